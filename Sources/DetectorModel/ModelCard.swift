import Foundation
import TensorEngine

/// Everything inference needs to use a trained network without the training run: architecture,
/// landmarks, input geometry, preprocessing and the presence threshold.
///
/// A model directory is self-contained:
/// ```
/// model/
///   model.json          this card (JSON)
///   weights.safetensors the state dict with PyTorch-style names; its metadata repeats model.json
///   schema.yaml         the exact landmark schema file the model was trained on
///   refiner.safetensors optional: the second, local stage (`refinement` in the card)
///   critic.safetensors  optional: an AFL run's topology critic, described by `critic` (see `CriticCard`)
/// ```
/// The trainer writes it (each file atomically); the predictor reads it and refuses images or
/// schemas that do not fit.
public struct ModelCard: Codable, Equatable, Sendable {
    /// The network's output activation, applied before heatmaps are decoded.
    public enum OutputActivation: String, Codable, Sendable {
        case identity, sigmoid

        /// The network's raw output as heatmaps (σ applied for logit outputs), detached and without a graph:
        /// what decoding, the presence threshold and AFL's topology extractor see. The one place that
        /// applies the activation, for training's validation, AFL, the refiner and the predictor alike.
        public func heatmaps(from raw: Tensor) -> Tensor {
            withNoGrad { self == .sigmoid ? raw.detach().sigmoid() : raw.detach() }
        }
    }

    /// 2 marks a card with a refinement stage, so toolkits that predate it refuse the model instead of
    /// silently predicting with the first stage alone; one-stage cards stay at 1.
    public static let currentFormatVersion = 2
    public static let cardFile = "model.json"
    public static let weightsFile = "weights.safetensors"
    public static let schemaFile = "schema.yaml"

    public var formatVersion: Int
    /// Preset name the network was built from ("small", "r18", "r50") or "custom".
    public var preset: String
    public var network: FPNConfig
    /// Schema name and landmark names in output-channel order; `network.keypoints == landmarkNames.count`.
    public var schemaName: String
    public var landmarkNames: [String]
    /// Network input size in pixels (images are letterboxed to it).
    public var inputWidth: Int
    public var inputHeight: Int
    /// Heatmap resolution is input / stride.
    public var heatmapStride: Int
    /// Gaussian sigma of the training targets, in heatmap pixels.
    public var sigma: Double
    /// Contrast protocol applied before the network at inference (the training default).
    public var contrastProtocol: String
    /// τ: a landmark is present when its heatmap peak is ≥ this (docs/CONVENTIONS.md).
    public var presenceThreshold: Double
    /// What turns the network's raw output into heatmaps: losses on logits (focal, QFL) train for a
    /// sigmoid. nil (cards written before the field existed) means identity.
    public var outputActivation: OutputActivation?
    /// Free-form facts about training (loss, AFL on/off, epochs, seed, …), for reports.
    public var training: [String: String]
    /// The second, local stage; nil for a one-stage model.
    public var refinement: RefinementStage? {
        didSet { formatVersion = refinement == nil ? 1 : Self.currentFormatVersion }
    }
    /// The AFL critic kept for difficulty scores at inference; nil for non-AFL models and older directories.
    public var critic: CriticCard?

    public init(preset: String, network: FPNConfig, schemaName: String, landmarkNames: [String], inputWidth: Int,
                inputHeight: Int, heatmapStride: Int = FPNConfig.outputStride, sigma: Double, contrastProtocol: String,
                presenceThreshold: Double = 0.5, outputActivation: OutputActivation = .identity,
                training: [String: String] = [:], critic: CriticCard? = nil) {
        // An older toolkit ignores a critic harmlessly (no difficulty column), so only a refinement stage raises the version.
        self.formatVersion = 1
        self.preset = preset
        self.network = network
        self.schemaName = schemaName
        self.landmarkNames = landmarkNames
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.heatmapStride = heatmapStride
        self.sigma = sigma
        self.contrastProtocol = contrastProtocol
        self.presenceThreshold = presenceThreshold
        self.outputActivation = outputActivation
        self.training = training
        self.critic = critic
    }

    /// Problems that make the card unusable, empty when it is consistent.
    public func problems() -> [String] {
        var found: [String] = []
        if formatVersion > Self.currentFormatVersion {
            found.append("format version \(formatVersion) is newer than this toolkit's \(Self.currentFormatVersion)")
        }
        if network.keypoints != landmarkNames.count {
            found.append("network has \(network.keypoints) outputs but the schema lists \(landmarkNames.count) landmarks")
        }
        if inputWidth <= 0 || inputHeight <= 0 || inputWidth % 32 != 0 || inputHeight % 32 != 0 {
            found.append("input size \(inputWidth)×\(inputHeight) must be positive multiples of 32")
        }
        if heatmapStride != FPNConfig.outputStride { found.append("heatmap stride \(heatmapStride) ≠ \(FPNConfig.outputStride)") }
        if !(presenceThreshold > 0 && presenceThreshold < 1) { found.append("presence threshold \(presenceThreshold) outside (0,1)") }
        if let r = refinement { found += r.problems(keypoints: landmarkNames.count) }
        if let critic { found += critic.problems(landmarks: landmarkNames.count) }
        return found
    }
}
