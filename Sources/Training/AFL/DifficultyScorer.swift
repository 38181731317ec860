import DetectorModel
import TensorEngine

/// A trained AFL critic used as a review score at inference: difficulty σ(−k·d(T(ŷ))) of each predicted
/// heatmap set, from the prediction alone (the critic never needs the ground truth to judge). Near 1 means
/// the predicted landmarks' layout looks unlike any annotation the critic saw, so a reader should look first.
public final class DifficultyScorer {
    public let card: CriticCard
    private let extractor: TopologyExtractor
    private let network: TopologyCritic

    /// Rebuilds the critic from a model directory's description and weights; `source` names the file in errors.
    public init(card: CriticCard, weights: SafetensorsArchive, source: String) throws {
        // K against the detector is ModelCard.problems' job; here only the critic's own fields are checked.
        let problems = card.problems(landmarks: card.keypoints)
        guard problems.isEmpty else {
            throw ModelDirectoryError(path: source, reason: problems.joined(separator: "; "))
        }
        self.card = card
        extractor = TopologyExtractor(presenceThreshold: Float(card.presenceThreshold))
        var rng = RandomGenerator(seed: 0)
        network = TopologyCritic(keypoints: card.keypoints, channels: card.channels, negativeSlope: Float(card.negativeSlope),
                                 rng: &rng)
        try network.load(stateDict: weights, source: source)
    }

    /// One difficulty per sample of heatmaps `[B, K, h, w]` in target units (σ already applied for logit losses).
    public func difficulty(heatmaps: Tensor) -> [Double] {
        withNoGrad {
            let scores = network.scores(extractor.topology(of: heatmaps.detach()))
            return AdversarialFocalLoss.difficulty(criticScores: scores, scale: Float(card.difficultyScale)).toArray().map(Double.init)
        }
    }

    /// What a model directory records of a training critic, and its weights.
    public static func export(_ critic: AFLCritic) -> (card: CriticCard, weights: SafetensorsArchive) {
        let c = critic.config
        func exact(_ f: Float) -> Double { Double("\(f)") ?? Double(f) }
        let card = CriticCard(keypoints: critic.network.keypoints, channels: critic.network.channels,
                              negativeSlope: exact(c.criticNegativeSlope), presenceThreshold: exact(c.presenceThreshold),
                              difficultyScale: exact(c.difficultyScale))
        return (card, critic.network.stateDict())
    }
}
