/// The AFL topology critic a model directory may carry (`critic.safetensors`), so inference can score how
/// unlike ground truth each prediction looks, σ(−k·d(t')), from the prediction alone (docs/AFL.md). The
/// critic itself is built by the Training module; this is what it needs to rebuild it.
public struct CriticCard: Codable, Equatable, Sendable {
    public static let weightsFile = "critic.safetensors"

    /// Landmarks K; the critic reads `[B, 2, K, K]` topologies.
    public var keypoints: Int
    /// Output channels of its stride-2 convolutions.
    public var channels: [Int]
    public var negativeSlope: Double
    /// τ of the topology extractor: a heatmap pixel counts towards a centroid when it is ≥ this.
    public var presenceThreshold: Double
    /// k in σ(−k·d) (AFLConfig.difficultyScale). Training's batch normalisation of d has no meaning for one
    /// image, so inference always scores σ(−k·d); ranking images by it is unaffected.
    public var difficultyScale: Double

    public init(keypoints: Int, channels: [Int], negativeSlope: Double, presenceThreshold: Double, difficultyScale: Double) {
        self.keypoints = keypoints; self.channels = channels; self.negativeSlope = negativeSlope
        self.presenceThreshold = presenceThreshold; self.difficultyScale = difficultyScale
    }

    /// Problems that make the description unusable, empty when it is consistent.
    public func problems(landmarks: Int) -> [String] {
        var found: [String] = []
        if keypoints != landmarks { found.append("critic reads \(keypoints) landmarks but the model has \(landmarks)") }
        if channels.isEmpty || !channels.allSatisfy({ $0 > 0 }) { found.append("critic channels \(channels) must be positive") }
        if !(difficultyScale > 0 && difficultyScale.isFinite) { found.append("critic difficulty scale \(difficultyScale) must be positive") }
        return found
    }
}
