import ClinicalDICOM
import DetectorModel
import Foundation

/// How overlay files are named.
public enum OverlayOrder: String, Sendable, Codable, CaseIterable {
    /// `overlays/<image path>.png`, mirroring the inputs.
    case name
    /// `overlays/<rank>-<difficulty>-<image path with / as __>.png`, hardest first, so a file browser lists the
    /// predictions to review first at the top. Needs a model with an AFL critic.
    case difficulty
}

/// Settings of one inference run; written back as `configuration.json` with the model facts resolved.
public struct InferenceOptions: Sendable {
    public var model: URL
    public var inputs: [URL]
    public var output: URL
    public var batchSize: Int = 4
    public var overlays: Bool = false
    public var overlayOrder: OverlayOrder = .name
    /// Also write `labelme/<image>.json` and `.png` per image, for correcting the predictions in LabelMe (`LabelMeWriter`).
    public var labelMe: Bool = false
    /// Images decoded and prepared ahead of the network.
    public var prefetch: Int = 8
    /// Decoding threads (the network uses the engine's threads).
    public var decodeThreads: Int = 1
    public var predictor: PredictorOptions = PredictorOptions()
    /// Clinical DICOM objects to write for each DICOM input (SR, GSPS). They copy the source's patient and study,
    /// so they are written only when asked for; every other output stays anonymous.
    public var clinicalObjects: [ClinicalObjectKind] = []

    public init(model: URL, inputs: [URL], output: URL) {
        self.model = model; self.inputs = inputs; self.output = output
    }
}

/// The configuration as it ran, for reproducing it: everything the user chose and everything the model decided.
public struct ResolvedInferenceConfiguration: Codable, Equatable, Sendable {
    public var model: String
    public var inputs: [String]
    public var inputRoot: String
    public var output: String
    public var batchSize: Int
    public var overlays: Bool
    public var overlayOrder: OverlayOrder?
    /// Whether LabelMe files were written; nil in configurations written before the option existed.
    public var labelMe: Bool?
    public var prefetch: Int
    public var decodeThreads: Int
    public var engineThreads: Int
    public var contrastProtocol: String
    public var presenceThreshold: Double
    public var schema: String
    public var landmarks: [String]
    public var inputWidth: Int
    public var inputHeight: Int
    public var preset: String
    /// The sub-pixel decoding of the heatmaps (`dark`, …).
    public var refinement: String
    /// The refinement stage that ran, nil when only the first stage did (a one-stage model, or `--no-refine`).
    public var refinementStage: RefinementStage?
    /// The clinical objects asked for (nil when none, as in runs that predate them).
    public var clinicalObjects: [ClinicalObjectKind]?
}

/// One file that produced no prediction, and why.
public struct InferenceFailure: Codable, Equatable, Sendable {
    public var image: String
    public var reason: String
}

/// What `summary.json` says about a run.
public struct InferenceSummary: Codable, Equatable, Sendable {
    public var imagesDone: Int
    public var imagesFailed: Int
    public var failures: [InferenceFailure]
    /// Images predicted whose overlay PNG could not be written (their landmarks are in the outputs).
    public var overlayFailures: [InferenceFailure]
    /// With `--labelme`: images whose LabelMe JSON or PNG could not be written (their landmarks are in the other
    /// outputs); nil when LabelMe files were not asked for.
    public var labelMeFailures: [InferenceFailure]?
    public var seconds: Double
    /// Time in forward passes and decoding of heatmaps.
    public var networkSeconds: Double
    /// Time the network thread waited for decoded images: large means decoding is the bottleneck.
    public var waitingForInputSeconds: Double
    public var imagesPerSecond: Double
    /// Images with no spacing: their mm columns are empty.
    public var imagesWithoutSpacing: Int
    public var landmarksPresent: Int
    public var landmarksAbsent: Int
    /// Each image's AFL review score, hardest first; nil when the model has no critic.
    public var difficulty: [ImageDifficulty]?
    /// SR/GSPS objects written; nil unless asked for.
    public var dicomObjects: ClinicalObjectsSummary? = nil
    /// Processes that shared the work (`mpirun -np N`); 1 for a plain run.
    public var worldSize: Int = 1

    enum CodingKeys: String, CodingKey {
        case imagesDone, imagesFailed, failures, overlayFailures, labelMeFailures, seconds, networkSeconds, waitingForInputSeconds,
             imagesPerSecond, imagesWithoutSpacing, landmarksPresent, landmarksAbsent, difficulty, dicomObjects
        // Shared with reports and training logs.
        case worldSize = "world_size"
    }
}

/// One image's difficulty σ(−k·d(t')) from the model's AFL critic.
public struct ImageDifficulty: Codable, Equatable, Sendable {
    public var image: String
    public var difficulty: Double
}
