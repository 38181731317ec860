import TensorEngine

/// The FPN heatmap detector: a ResNet backbone (stem, layer1…layer4), lateral 1×1 convs with bias to
/// the FPN width, nearest ×2 top-down path, a 3×3 smoothing conv on P2 and a 1×1 head at stride 4 with
/// one output per landmark. Module names equal `shared/reference/torch_fpn.py`'s, so its state dicts
/// load unchanged.
public final class FPNKeypointNet: Module, Layer {
    public let config: FPNConfig
    public let stem: Sequential
    public let layer1: Sequential, layer2: Sequential, layer3: Sequential, layer4: Sequential
    public let lat: ModuleList<Conv2d>
    public let smooth: Conv2d
    public let head: Conv2d
    public var kind: String { "sequential" }

    /// Builds the network with PyTorch's default initialisation drawn from `seed`.
    public convenience init(config: FPNConfig, seed: UInt64 = 0) {
        var rng = RandomGenerator(seed: seed)
        self.init(config: config, rng: &rng)
    }

    public init(config: FPNConfig, rng: inout RandomGenerator) {
        self.config = config
        stem = Sequential([
            Conv2d(config.inputChannels, config.stemChannels, kernelSize: 7, stride: 2, padding: 3, bias: false, rng: &rng),
            BatchNorm2d(config.stemChannels), ReLU(), MaxPool2d(kernelSize: 3, stride: 2, padding: 1),
        ])
        var stages: [Sequential] = []
        var cin = config.stemChannels
        for (i, (width, count)) in zip(config.widths, config.blocksPerStage).enumerated() {
            var blocks: [any Layer] = []
            for b in 0..<count {
                let stride = (i > 0 && b == 0) ? 2 : 1
                switch config.block {
                case .basic: blocks.append(BasicBlock(cin, width, stride: stride, rng: &rng))
                case .bottleneck: blocks.append(Bottleneck(cin, width: width, stride: stride, rng: &rng))
                }
                cin = width * config.block.expansion
            }
            stages.append(Sequential(blocks))
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3])
        lat = ModuleList(config.stageOutputChannels.map { Conv2d($0, config.fpnChannels, kernelSize: 1, rng: &rng) })
        smooth = Conv2d(config.fpnChannels, config.fpnChannels, kernelSize: 3, padding: 1, rng: &rng)
        head = Conv2d(config.fpnChannels, config.keypoints, kernelSize: 1, rng: &rng)
        super.init()
        register(child: stem, as: "stem")
        register(child: layer1, as: "layer1")
        register(child: layer2, as: "layer2")
        register(child: layer3, as: "layer3")
        register(child: layer4, as: "layer4")
        register(child: lat, as: "lat")
        register(child: smooth, as: "smooth")
        register(child: head, as: "head")
    }

    /// Heatmaps [N, K, H/4, W/4] for input [N, inputChannels, H, W]; H and W must be multiples of 32
    /// so the top-down path's ×2 upsampling meets each lateral exactly.
    public func forward(_ x: Tensor) -> Tensor {
        checkInput(x.shape, config: config)
        let c2 = layer1(stem(x))
        let c3 = layer2(c2)
        let c4 = layer3(c3)
        let c5 = layer4(c4)
        var p = lat[3](c5)
        for (i, c) in [(2, c4), (1, c3), (0, c2)] {
            let up = LayerProfiler.measure("upsample") { upsampleNearest2d(p, factor: 2) }
            let l = lat[i](c)
            p = LayerProfiler.measure("add") { l + up }
        }
        return head(smooth(p))
    }

    /// The inference network with every BN folded into its conv and ReLUs fused. It reads the running
    /// statistics as they are now; build it again after further training. Only an eval-mode network
    /// computes what the folded one does, so folding a network in training mode is refused.
    public func folded() -> FoldedFPN {
        precondition(!isTraining, "FPNKeypointNet.folded(): call eval() first; folding uses the running statistics")
        return FoldedFPN(self)
    }
}

func checkInput(_ shape: [Int], config: FPNConfig) {
    precondition(shape.count == 4 && shape[1] == config.inputChannels,
                 "FPNKeypointNet: input \(shape) must be [N, \(config.inputChannels), H, W]")
    precondition(shape[2] % 32 == 0 && shape[3] % 32 == 0 && shape[2] > 0 && shape[3] > 0,
                 "FPNKeypointNet: input \(shape[2])×\(shape[3]) must be a positive multiple of 32 in each dimension")
}
