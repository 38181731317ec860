import Foundation

/// The second, local stage of a two-stage model: a patch network that re-finds each landmark in a window
/// of the original image centred on the first stage's estimate, at (or near) the original resolution.
///
/// Stored in the model directory as the card's `refinement` section plus `refiner.safetensors`. A model
/// directory without it is a one-stage model and predicts exactly as before.
public struct RefinementStage: Codable, Equatable, Sendable {
    public static let weightsFile = "refiner.safetensors"

    public var network: FPNConfig
    /// Patch pixels per side (a multiple of 32).
    public var patchSize: Int
    /// Original pixels per patch pixel.
    public var pixelSize: Double
    public var heatmapStride: Int
    /// Gaussian sigma of the training targets, in the patch's heatmap pixels.
    public var sigma: Double
    public var outputActivation: ModelCard.OutputActivation
    /// Windows re-centred on the previous pass's answer; more than one helps when the first stage is far off.
    public var passes: Int
    /// A patch whose peak stays below this keeps the first stage's position (the refiner saw nothing it knows).
    public var minimumConfidence: Double
    /// Free-form facts about how the stage was trained.
    public var training: [String: String]

    public init(network: FPNConfig, patchSize: Int, pixelSize: Double, heatmapStride: Int = FPNConfig.outputStride,
                sigma: Double, outputActivation: ModelCard.OutputActivation, passes: Int = 1,
                minimumConfidence: Double = 0.1, training: [String: String] = [:]) {
        self.network = network; self.patchSize = patchSize; self.pixelSize = pixelSize
        self.heatmapStride = heatmapStride; self.sigma = sigma; self.outputActivation = outputActivation
        self.passes = passes; self.minimumConfidence = minimumConfidence; self.training = training
    }

    /// Problems that make the stage unusable for a model with `keypoints` landmarks; empty when consistent.
    public func problems(keypoints: Int) -> [String] {
        var found: [String] = []
        if network.keypoints != keypoints { found.append("refiner has \(network.keypoints) outputs for \(keypoints) landmarks") }
        if patchSize <= 0 || patchSize % 32 != 0 { found.append("refiner patch size \(patchSize) must be a positive multiple of 32") }
        if !(pixelSize > 0 && pixelSize.isFinite) { found.append("refiner pixel size \(pixelSize) must be positive") }
        if heatmapStride != FPNConfig.outputStride { found.append("refiner heatmap stride \(heatmapStride) ≠ \(FPNConfig.outputStride)") }
        if passes < 1 { found.append("refiner passes must be ≥ 1") }
        return found
    }
}
