import DetectorModel
import Foundation
import Landmarks

/// Which epoch's weights a run publishes as its model.
public enum ModelSelection: String, Codable, CaseIterable, Sendable {
    /// The final epoch: with a schedule that anneals to the end, the honest choice, since it never looks
    /// at the validation split.
    case last
    /// The epoch with the lowest validation MRE. Convenient, but it tunes on the split it then reports.
    case bestValidation = "best-validation"
}

/// Everything that defines a training run. Every field has a default, so a YAML file may give any subset;
/// command-line flags are applied on top, and the resolved value is written to the run directory.
///
/// The defaults are the recommended recipe (README, "The recommended recipe"; measured in docs/ACCURACY.md):
/// r18 at 256² with Adaptive Wing under contrast protocols drawn per sample, then the refinement stage.
public struct TrainConfig: Codable, Equatable, Sendable {
    /// Dataset folder (docs/CONVENTIONS.md, X-ray folders).
    public var dataset: String?
    /// Schema name or path; nil = the dataset's own (dataset.yaml) or the library default.
    public var schema: String?
    public var preset: DetectorPreset = .r18
    public var loss: BaseLoss.Name = .awing
    /// A contrast protocol for training and validation, or `random` to draw one of the shipped
    /// protocols per sample while training (validation then uses the default protocol).
    public var contrastProtocol: ProtocolChoice = .random
    public var epochs: Int = 30
    public var batchSize: Int = 8
    public var learningRate: Double = 1e-3
    public var weightDecay: Double = 0
    public var optimizer: OptimizerChoice = .adam
    /// The rate after the warm-up.
    public var schedule: ScheduleChoice = .cosine
    public var warmupEpochs: Int = 1
    /// Global gradient-norm clip; nil or 0 = off (the norm is still checked for non-finite values).
    public var gradientClipNorm: Double?
    public var inputWidth: Int = 256
    public var inputHeight: Int = 256
    /// Gaussian target sigma in heatmap pixels.
    public var sigma: Double = 2
    /// τ for false negatives and for the model card.
    public var presenceThreshold: Double = 0.5
    public var seed: UInt64 = 0
    /// Engine threads, set by the `train` command before the run (the trainer itself never sets them);
    /// nil = LANDMARK_THREADS or the active core count.
    public var threads: Int?
    /// Random augmentation of training samples (geometry, gamma, noise).
    public var augment: Bool = true
    /// Used only when the dataset has no splits/: the seeded random split's validation fraction.
    public var validationFraction: Double = 0.2
    /// Non-finite steps in a row after which training stops.
    public var maxConsecutiveNonFinite: Int = 5
    /// Run directory.
    public var out: String?
    /// Decoded-image cache; nil = ~/.cache/landmarkkit/decoded.
    public var cacheDirectory: String?
    /// Adversarial Focal Loss (docs/AFL.md); nil = off, the plain batch mean.
    public var afl: AFLConfig?
    /// The second, local stage trained after the detector (docs/ACCURACY.md).
    public var refine = RefinerConfig()
    /// Which epoch's weights become `model/`.
    public var modelSelection: ModelSelection = .last
    /// Landmarks missing from a sample: trained toward an all-zero heatmap (docs/CONVENTIONS.md), or masked out of the loss.
    public var absentLandmarks: AbsentLandmarkPolicy = .train
    /// With several ranks (mpirun): batch statistics over the global batch (default) or each rank's share.
    public var batchNorm: BatchNormMode = .synchronized

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dataset, schema, preset, loss
        case contrastProtocol = "protocol"
        case epochs
        case batchSize = "batch_size"
        case learningRate = "lr"
        case weightDecay = "weight_decay"
        case optimizer, schedule
        case warmupEpochs = "warmup_epochs"
        case gradientClipNorm = "grad_clip_norm"
        case inputWidth = "input_width"
        case inputHeight = "input_height"
        case sigma
        case presenceThreshold = "presence_threshold"
        case seed, threads, augment
        case validationFraction = "validation_fraction"
        case maxConsecutiveNonFinite = "max_consecutive_non_finite"
        case out
        case cacheDirectory = "cache_dir"
        case afl, refine
        case modelSelection = "model_selection"
        case absentLandmarks = "absent_landmarks"
        case batchNorm = "batch_norm"
    }

    /// Missing keys keep their defaults, so a partial file works; unknown keys are rejected by
    /// `TrainConfigFile`, since a misspelt key silently ignored would train the wrong thing.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainConfig()
        dataset = try c.decodeIfPresent(String.self, forKey: .dataset)
        schema = try c.decodeIfPresent(String.self, forKey: .schema)
        preset = try c.decodeIfPresent(DetectorPreset.self, forKey: .preset) ?? d.preset
        loss = try c.decodeIfPresent(BaseLoss.Name.self, forKey: .loss) ?? d.loss
        contrastProtocol = try c.decodeIfPresent(ProtocolChoice.self, forKey: .contrastProtocol) ?? d.contrastProtocol
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? d.weightDecay
        optimizer = try c.decodeIfPresent(OptimizerChoice.self, forKey: .optimizer) ?? d.optimizer
        schedule = try c.decodeIfPresent(ScheduleChoice.self, forKey: .schedule) ?? d.schedule
        warmupEpochs = try c.decodeIfPresent(Int.self, forKey: .warmupEpochs) ?? d.warmupEpochs
        gradientClipNorm = try c.decodeIfPresent(Double.self, forKey: .gradientClipNorm)
        inputWidth = try c.decodeIfPresent(Int.self, forKey: .inputWidth) ?? d.inputWidth
        inputHeight = try c.decodeIfPresent(Int.self, forKey: .inputHeight) ?? d.inputHeight
        sigma = try c.decodeIfPresent(Double.self, forKey: .sigma) ?? d.sigma
        presenceThreshold = try c.decodeIfPresent(Double.self, forKey: .presenceThreshold) ?? d.presenceThreshold
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        augment = try c.decodeIfPresent(Bool.self, forKey: .augment) ?? d.augment
        validationFraction = try c.decodeIfPresent(Double.self, forKey: .validationFraction) ?? d.validationFraction
        maxConsecutiveNonFinite = try c.decodeIfPresent(Int.self, forKey: .maxConsecutiveNonFinite) ?? d.maxConsecutiveNonFinite
        out = try c.decodeIfPresent(String.self, forKey: .out)
        cacheDirectory = try c.decodeIfPresent(String.self, forKey: .cacheDirectory)
        afl = try c.decodeIfPresent(AFLConfig.self, forKey: .afl)
        refine = try c.decodeIfPresent(RefinerConfig.self, forKey: .refine) ?? d.refine
        modelSelection = try c.decodeIfPresent(ModelSelection.self, forKey: .modelSelection) ?? d.modelSelection
        absentLandmarks = try c.decodeIfPresent(AbsentLandmarkPolicy.self, forKey: .absentLandmarks) ?? d.absentLandmarks
        batchNorm = try c.decodeIfPresent(BatchNormMode.self, forKey: .batchNorm) ?? d.batchNorm
    }

    /// Problems that make the configuration unusable, each naming its key; empty when valid. Choices from a
    /// fixed list (preset, loss, optimizer, schedule) are checked when they are read.
    public func problems() -> [String] {
        var found: [String] = []
        if epochs < 1 { found.append("epochs must be ≥ 1 (got \(epochs))") }
        if batchSize < 1 { found.append("batch_size must be ≥ 1 (got \(batchSize))") }
        if !(learningRate > 0 && learningRate.isFinite) { found.append("lr must be positive (got \(learningRate))") }
        if weightDecay < 0 { found.append("weight_decay must be ≥ 0") }
        if warmupEpochs < 0 { found.append("warmup_epochs must be ≥ 0") }
        if inputWidth <= 0 || inputHeight <= 0 || inputWidth % 32 != 0 || inputHeight % 32 != 0 {
            found.append("input size \(inputWidth)×\(inputHeight) must be positive multiples of 32 (the FPN's deepest stride)")
        }
        if !(sigma > 0) { found.append("sigma must be positive") }
        if !(presenceThreshold > 0 && presenceThreshold < 1) { found.append("presence_threshold must be in (0, 1)") }
        if let t = threads, t < 1 { found.append("threads must be ≥ 1") }
        if !(validationFraction > 0 && validationFraction < 1) { found.append("validation_fraction must be in (0, 1)") }
        if maxConsecutiveNonFinite < 1 { found.append("max_consecutive_non_finite must be ≥ 1") }
        if let g = gradientClipNorm, g < 0 { found.append("grad_clip_norm must be ≥ 0") }
        if refine.enabled { found += refine.problems() }
        return found
    }
}
