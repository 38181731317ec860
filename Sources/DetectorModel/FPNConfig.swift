import TensorEngine

/// Architecture of an FPN keypoint network: ResNet stages, FPN width, heatmap count. The presets are
/// the networks the project measures and tests; any other combination is valid too.
public struct FPNConfig: Codable, Equatable, Sendable {
    /// Residual block kind: BasicBlock (two 3×3 convs) or Bottleneck (1×1, 3×3, 1×1 with 4× expansion).
    public enum BlockKind: String, Codable, Sendable {
        case basic, bottleneck

        /// Output channels per stage width.
        public var expansion: Int { self == .basic ? 1 : 4 }
    }

    public var block: BlockKind
    /// Residual blocks in each of the four stages.
    public var blocksPerStage: [Int]
    /// Inner width of each stage (output channels are width × expansion).
    public var widths: [Int]
    /// Output channels of the 7×7 stem convolution.
    public var stemChannels: Int
    public var fpnChannels: Int
    /// Number of landmarks, one heatmap each.
    public var keypoints: Int
    public var inputChannels: Int

    public init(block: BlockKind, blocksPerStage: [Int], widths: [Int], stemChannels: Int, fpnChannels: Int,
                keypoints: Int, inputChannels: Int = 1) {
        precondition(blocksPerStage.count == 4 && widths.count == 4, "FPNConfig: four stages expected")
        precondition(blocksPerStage.allSatisfy { $0 >= 1 } && widths.allSatisfy { $0 >= 1 }, "FPNConfig: empty stage")
        precondition(keypoints >= 1 && fpnChannels >= 1 && inputChannels >= 1 && stemChannels >= 1, "FPNConfig: sizes must be positive")
        self.block = block
        self.blocksPerStage = blocksPerStage
        self.widths = widths
        self.stemChannels = stemChannels
        self.fpnChannels = fpnChannels
        self.keypoints = keypoints
        self.inputChannels = inputChannels
    }

    /// Channels of C2…C5, the inputs of the lateral convolutions.
    public var stageOutputChannels: [Int] { widths.map { $0 * block.expansion } }

    /// The heatmaps' stride relative to the input.
    public static let outputStride = 4

    /// Exactly `shared/reference/torch_fpn.py`'s network: ResNet-18, FPN 128, stride-4 head.
    public static func r18(keypoints: Int = 36, inputChannels: Int = 1) -> FPNConfig {
        FPNConfig(block: .basic, blocksPerStage: [2, 2, 2, 2], widths: [64, 128, 256, 512], stemChannels: 64,
                  fpnChannels: 128, keypoints: keypoints, inputChannels: inputChannels)
    }

    /// ResNet-50 backbone (Bottleneck [3, 4, 6, 3]) with FPN 256.
    public static func r50(keypoints: Int = 36, inputChannels: Int = 1) -> FPNConfig {
        FPNConfig(block: .bottleneck, blocksPerStage: [3, 4, 6, 3], widths: [64, 128, 256, 512], stemChannels: 64,
                  fpnChannels: 256, keypoints: keypoints, inputChannels: inputChannels)
    }

    /// A tiny network for tests and the PyTorch parity fixture (`scripts/make_fpn_fixture.py`):
    /// one BasicBlock per stage, widths [8, 16, 32, 64], stem 8, FPN 16.
    public static func small(keypoints: Int = 4, inputChannels: Int = 1) -> FPNConfig {
        FPNConfig(block: .basic, blocksPerStage: [1, 1, 1, 1], widths: [8, 16, 32, 64], stemChannels: 8,
                  fpnChannels: 16, keypoints: keypoints, inputChannels: inputChannels)
    }

    /// The refinement stage's patch network: ResNet-18's layout at a quarter of its width (FPN 64), about
    /// 1/16 of r18's FLOPs per pixel, so K patches of 128² cost about half an r18 pass at 256².
    public static func refiner(keypoints: Int = 36, inputChannels: Int = 1) -> FPNConfig {
        FPNConfig(block: .basic, blocksPerStage: [2, 2, 2, 2], widths: [16, 32, 64, 128], stemChannels: 16,
                  fpnChannels: 64, keypoints: keypoints, inputChannels: inputChannels)
    }

    /// Looks a preset up by name ("r18", "r50", "small", "refiner").
    public static func preset(named name: String, keypoints: Int? = nil) -> FPNConfig? {
        switch name.lowercased() {
        case "r18", "resnet18": return r18(keypoints: keypoints ?? 36)
        case "r50", "resnet50": return r50(keypoints: keypoints ?? 36)
        case "small": return small(keypoints: keypoints ?? 4)
        case "refiner": return refiner(keypoints: keypoints ?? 36)
        default: return nil
        }
    }
}
