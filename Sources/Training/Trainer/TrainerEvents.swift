import Foundation
import RunArtefacts

/// Why training stopped or could not start.
public enum TrainerError: Error, CustomStringConvertible, Equatable {
    case dataset(String)
    case configuration(String)
    case runDirectory(String)
    /// Too many non-finite steps in a row; the last checkpoint is untouched.
    case diverged(String)

    public var description: String {
        switch self {
        case .dataset(let m): return "dataset: \(m)"
        case .configuration(let m): return "configuration: \(m)"
        case .runDirectory(let m): return "run directory: \(m)"
        case .diverged(let m): return "training diverged: \(m)"
        }
    }
}

/// One finished optimiser step, for a progress bar.
public struct BatchProgress: Sendable {
    public var epoch: Int
    /// 1-based index of the batch within the epoch, and the epoch's batch count.
    public var batch: Int
    public var batchCount: Int
    /// This batch's loss and the running mean over the epoch so far.
    public var loss: Double
    public var meanLoss: Double
    public var imagesPerSecond: Double
    /// Seconds left in this epoch at the current rate.
    public var etaSeconds: Double
}

/// A step that was not taken because its loss or gradient norm was not finite.
public struct NonFiniteStep: Sendable, Equatable {
    public var epoch: Int
    public var batch: Int
    /// The images of the batch, so the offending ones can be looked at.
    public var imageIDs: [String]
    /// "loss" or "gradient norm".
    public var quantity: String
    public var value: Double
    public var consecutive: Int
}

/// Validation figures for one epoch (docs/CONVENTIONS.md), from the Landmarks metrics. Distances are in mm when
/// every validation image has a spacing, else in px (`unit` says which; SDR is then empty).
public struct ValidationMetrics: Sendable, Equatable, Codable {
    public var unit: String
    /// Mean radial error over every annotated landmark, at its heatmap peak whether or not the peak
    /// reaches τ: the model-selection figure, which cannot improve by detecting less.
    public var meanRadialError: Double
    /// Mean radial error over landmarks annotated and detected at τ (the report's definition); nil when
    /// nothing was detected.
    public var meanRadialErrorDetected: Double?
    /// Success detection rates over every annotated landmark, keyed by radius in mm ("2", "2.5", "3", "4").
    public var successRates: [String: Double]
    /// Annotated, but the heatmap peak is below τ.
    public var falseNegatives: Int
    /// Not annotated, but the heatmap peak reaches τ.
    public var falsePositives: Int
    /// Detected, but farther than the schema's tolerance from the truth.
    public var misses: Int
    public var annotatedLandmarks: Int
    /// Mean per-sample base loss.
    public var loss: Double
}

/// One finished epoch.
public struct EpochResult: Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var validation: ValidationMetrics
    public var learningRate: Double
    public var skippedSteps: Int
    public var seconds: Double
    /// True when this epoch became the best so far (and `model/` was rewritten).
    public var isBest: Bool
    /// With AFL on a dataset whose hard samples are known (a phantom set): how well this epoch's difficulty
    /// scores separate them from the rest.
    public var difficultySeparation: DifficultySeparation? = nil
}

/// Hooks the library calls while training; the CLI draws a progress bar and prints from them.
public struct TrainerCallbacks {
    public var batch: ((BatchProgress) -> Void)?
    public var epoch: ((EpochResult) -> Void)?
    public var nonFinite: ((NonFiniteStep) -> Void)?
    /// Validation progress: (images done, total).
    public var validation: ((Int, Int) -> Void)?
    public init(batch: ((BatchProgress) -> Void)? = nil, epoch: ((EpochResult) -> Void)? = nil,
                nonFinite: ((NonFiniteStep) -> Void)? = nil, validation: ((Int, Int) -> Void)? = nil) {
        self.batch = batch; self.epoch = epoch; self.nonFinite = nonFinite; self.validation = validation
    }
}
