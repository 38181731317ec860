import DetectorModel
import Foundation

/// The training half of `landmark demo`: which models the demo trains on the phantom folder and with
/// what settings. It lives in the library (not the CLI) so the demo's choices can be tested and reused,
/// and so the command only parses flags and prints.
public struct DemoRecipe: Sendable {
    /// One model the demo trains. `name` is its run folder under `runs/` and its name in the report.
    public struct Model: Sendable {
        public var name: String
        public var config: TrainConfig
    }

    public var dataset: URL
    public var runsRoot: URL
    public var preset: DetectorPreset
    public var epochs: Int
    public var inputSize: Int
    public var batchSize: Int
    public var seed: UInt64
    public var threads: Int?
    /// Epochs of the refinement stage, trained once and shared by every model (0 = one-stage models).
    public var refineEpochs: Int

    public init(dataset: URL, runsRoot: URL, preset: DetectorPreset = .small, epochs: Int, inputSize: Int,
                batchSize: Int = 8, seed: UInt64, threads: Int? = nil, refineEpochs: Int = 0) {
        self.dataset = dataset; self.runsRoot = runsRoot; self.preset = preset; self.epochs = epochs
        self.inputSize = inputSize; self.batchSize = batchSize; self.seed = seed; self.threads = threads
        self.refineEpochs = refineEpochs
    }

    /// The shared settings every demo model starts from, so models differ only in what their
    /// variant changes and the report compares like with like.
    public func baseConfig() -> TrainConfig {
        var c = TrainConfig()
        c.dataset = dataset.path
        c.preset = preset
        c.epochs = epochs
        // Adaptive Wing, not MSE: on the small preset MSE settles on all-zero heatmaps (every
        // landmark a false negative), while AWing's weighted map keeps pulling the peaks up.
        c.loss = .awing
        // The small preset learns at 3e-3 what it does not at the trainer's 1e-3 default in this budget:
        // 15.5 mm validation MRE against 25.5 mm on the 48-image phantom, 100 epochs. r18 keeps the default.
        if preset == .small { c.learningRate = 3e-3 }
        c.batchSize = batchSize
        c.inputWidth = inputSize
        c.inputHeight = inputSize
        c.seed = seed
        c.threads = threads
        // A few epochs cannot afford a whole epoch of warm-up out of, say, three.
        c.warmupEpochs = epochs > 3 ? 1 : 0
        // One model for every contrast the report tests (docs/ACCURACY.md: trained under `high` alone, a model
        // misses most landmarks under `low` and `lower`).
        c.contrastProtocol = .random
        c.refine.enabled = refineEpochs > 0
        c.refine.epochs = max(refineEpochs, 1)
        return c
    }

    /// The refinement stage's run: the shared settings, in its own folder. It does not depend on the
    /// first stage, so one refiner serves both models and the comparison isolates what AFL changes.
    public func refinerConfig() -> TrainConfig? {
        guard refineEpochs > 0 else { return nil }
        var c = baseConfig()
        c.out = runsRoot.appendingPathComponent("refiner", isDirectory: true).path
        return c
    }

    /// Variants in report order: the first is the baseline the report compares every other model against.
    /// The same run with Adversarial Focal Loss (default critic settings) is the second: the comparison
    /// the paper's table 3 makes.
    public static let variants: [(name: String, adjust: @Sendable (inout TrainConfig) -> Void)] = [
        ("baseline", { _ in }),
        ("afl", { $0.afl = AFLConfig() }),
    ]

    /// Every variant's configuration, validated like `TrainConfig.resolve` does for `landmark train`.
    public func models() throws -> [Model] {
        try Self.variants.map { variant in
            var c = baseConfig()
            variant.adjust(&c)
            c.out = runsRoot.appendingPathComponent(variant.name, isDirectory: true).path
            let problems = c.problems()
            guard problems.isEmpty else {
                throw TrainConfigError(file: "<demo \(variant.name)>", message: problems.joined(separator: "; "))
            }
            return Model(name: variant.name, config: c)
        }
    }

    /// Image files of one split of an X-ray folder: those under images/ whose id (path relative to
    /// images/ without extension, the convention of splits/*.txt) is listed in splits/<split>.txt.
    /// Inference takes files, not a dataset, so this is how the demo infers on the test split only.
    public static func splitImages(dataset: URL, split: String) throws -> [URL] {
        let list = dataset.appendingPathComponent("splits/\(split).txt")
        let ids = Set(try String(contentsOf: list, encoding: .utf8)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        let images = dataset.appendingPathComponent("images", isDirectory: true).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: images, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw TrainerError.dataset("\(images.path): cannot list")
        }
        let prefix = images.path.hasSuffix("/") ? images.path : images.path + "/"
        var found: [URL] = []
        for case let url as URL in walker {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            let id = (String(path.dropFirst(prefix.count)) as NSString).deletingPathExtension
            if ids.contains(id) { found.append(url) }
        }
        guard found.count == ids.count else {
            throw TrainerError.dataset("\(list.path) lists \(ids.count) images, \(found.count) found under \(images.path)")
        }
        return found.sorted { $0.path < $1.path }
    }
}
