import DetectorModel

/// One benchmark configuration: training (forward + MSE + backward + Adam) or inference at a
/// resolution and batch size. The named cases mirror torch_fpn.py's.
public struct BenchmarkCase: Codable, Equatable, Sendable {
    /// Training step (forward, loss, backward, Adam) or inference forward.
    public enum Mode: String, Codable, Sendable { case train, infer }

    public var name: String
    public var mode: Mode
    public var resolution: Int
    public var batch: Int

    public init(name: String, mode: Mode, resolution: Int, batch: Int) {
        precondition(resolution > 0 && resolution % 32 == 0, "BenchmarkCase: resolution \(resolution) must be a positive multiple of 32")
        precondition(batch > 0, "BenchmarkCase: batch must be positive")
        self.name = name
        self.mode = mode
        self.resolution = resolution
        self.batch = batch
    }

    public static let train256 = BenchmarkCase(name: "train256", mode: .train, resolution: 256, batch: 8)
    public static let train512 = BenchmarkCase(name: "train512", mode: .train, resolution: 512, batch: 2)
    public static let infer256 = BenchmarkCase(name: "infer256", mode: .infer, resolution: 256, batch: 8)
    public static let infer512 = BenchmarkCase(name: "infer512", mode: .infer, resolution: 512, batch: 1)
    public static let all: [BenchmarkCase] = [train256, train512, infer256, infer512]
    /// The refinement stage's forward pass: one chunk of 64 patches of 128² (`PatchRefiner.chunk`); run it
    /// with the `refiner` preset. It has no torch_fpn.py counterpart, so it is not in `all`.
    public static let refine128 = BenchmarkCase(name: "refine128", mode: .infer, resolution: 128, batch: 64)

    /// Looks a case up by its torch_fpn.py name, or `refine128`.
    public static func named(_ name: String) -> BenchmarkCase? { (all + [refine128]).first { $0.name == name } }
}

/// How to run a benchmark.
public struct BenchmarkOptions: Sendable {
    public var config: FPNConfig
    /// Preset name recorded in the result ("r18", "small", or anything descriptive).
    public var presetName: String
    public var warmup: Int
    public var iterations: Int
    public var seed: UInt64
    /// Inference through the BN-folded, ReLU-fused network (the production path) instead of eval mode.
    public var foldedInference: Bool
    /// Collect per-layer-kind forward times (adds a clock read per layer call).
    public var profile: Bool

    public init(config: FPNConfig = .r18(), presetName: String = "r18", warmup: Int = 5, iterations: Int = 20,
                seed: UInt64 = 0, foldedInference: Bool = true, profile: Bool = false) {
        precondition(warmup >= 0 && iterations >= 1, "BenchmarkOptions: need warmup ≥ 0 and iterations ≥ 1")
        self.config = config
        self.presetName = presetName
        self.warmup = warmup
        self.iterations = iterations
        self.seed = seed
        self.foldedInference = foldedInference
        self.profile = profile
    }
}
