/// Settings of Adversarial Focal Loss training. Every field has a default, and a config file may give any
/// subset of them.
///
/// Where the defaults come from:
/// - `gradientPenaltyWeight` λ = 10 and `criticStepsPerStep` = 1: AFL paper, Algorithm 2 (one critic update per
///   main-network update, WGAN-GP's default λ).
/// - `criticLearningRate` 1e-4 with Adam β = (0.5, 0.9): the AFL paper states no critic optimiser;
///   Gulrajani et al. (2017, WGAN-GP) use lr 1e-4 and β₂ = 0.9, with β₁ = 0.5 in their CIFAR-10 setup.
/// - `criticWarmUpUpdates` = 0: no warm-up, as in the paper. W > 0 ramps the critic's learning rate linearly
///   over its first W updates (lr·n/W at update n), so an untrained critic's first large Adam steps cannot
///   fling d far from 0 before the detector has produced anything worth judging (ablated in docs/AFL.md).
/// - `warmUpEpochs` = 0: the paper weights from the first step. During warm-up epochs the critic trains but
///   the main loss is the plain batch mean of the base loss.
/// - `presenceThreshold` of the topology extractor = 0.3, below the false-negative rule's τ = 0.5: the one
///   setting of the ablation (docs/AFL.md) that cut false negatives on both fresh phantom sets with MRE no
///   worse, chosen on the selection set. With 0.5, a landmark whose peak is faint (0.3–0.5, the ones about to
///   become false negatives) is simply absent from t', so the critic judges a zero row rather than where the
///   faint peak sits. 0.5 is the paper's form ("the same τ as the false-negative rule").
/// - `criticChannels` 8, 16, 48 and slope 0.2: see `TopologyCritic`.
///
/// How the critic's score d(t') becomes the weight s_i (docs/AFL.md; the AFL paper's §6 names "stronger
/// regularization on the range of L_d^{y'}" as future work):
/// - `difficultyScale` k: s_i = σ(−k·z_i). A gradient-penalised critic is about 1-Lipschitz and moves by only
///   ~0.1–0.2 per heatmap pixel of error, so with k = 1 the weights stay within ~0.42–0.56 and AFL re-weighs
///   samples by ±10–15 %; k > 1 stretches them apart (k = 10 turns a 0.2 difference in d into a factor ~7 in
///   the weight ratio), k < 1 flattens them. Default 1: the paper's form.
/// - `difficultyNormalization`: what z_i is. `none` uses z_i = d(t'_i) (the paper). `batch` standardises d
///   within the batch, z_i = (d_i − mean)/sd (population sd), so the weights spread by the same amount
///   whatever the critic's range or drift, and k alone sets that amount; a batch whose scores are all equal
///   (or a batch of one) gets s_i = ½ for every sample, the same weight for all. Default `none`: the paper.
/// Every other default is the paper's: no other variant beat it on the selection set by more than the seed
/// spread (docs/AFL.md).
public struct AFLConfig: Codable, Sendable, Equatable {
    /// What the critic score is measured against before the sigmoid (see the type's doc comment).
    public enum DifficultyNormalization: String, Codable, CaseIterable, Sendable {
        /// d itself, as in the paper.
        case none
        /// d standardised within the batch.
        case batch
    }

    public var criticLearningRate: Float = 1e-4
    public var criticBeta1: Float = 0.5
    public var criticBeta2: Float = 0.9
    public var criticStepsPerStep: Int = 1
    public var criticWarmUpUpdates: Int = 0
    public var warmUpEpochs: Int = 0
    public var presenceThreshold: Float = 0.3
    public var gradientPenaltyWeight: Float = 10
    public var criticChannels: [Int] = [8, 16, 48]
    public var criticNegativeSlope: Float = 0.2
    public var difficultyScale: Float = 1
    public var difficultyNormalization: DifficultyNormalization = .none

    public init() {}

    /// The critic's learning rate for its `update`-th update (1-based), after the warm-up ramp.
    public func criticLearningRate(atUpdate update: Int) -> Float {
        guard criticWarmUpUpdates > 0, update < criticWarmUpUpdates else { return criticLearningRate }
        return criticLearningRate * Float(max(update, 1)) / Float(criticWarmUpUpdates)
    }

    /// True when the main loss should be difficulty-weighted in this (0-based) epoch.
    public func weightsSamples(inEpoch epoch: Int) -> Bool { epoch >= warmUpEpochs }

    private enum CodingKeys: String, CodingKey {
        case criticLearningRate, criticBeta1, criticBeta2, criticStepsPerStep, criticWarmUpUpdates, warmUpEpochs, presenceThreshold,
             gradientPenaltyWeight, criticChannels, criticNegativeSlope, difficultyScale, difficultyNormalization
    }

    /// Floats go out as the shortest decimal that reads back the same, so config.yaml says 0.0001 and not
    /// 9.9999997473787516e-05 (the Float widened to Double).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        func exact(_ f: Float) -> Double { Double("\(f)") ?? Double(f) }
        try c.encode(exact(criticLearningRate), forKey: .criticLearningRate)
        try c.encode(exact(criticBeta1), forKey: .criticBeta1)
        try c.encode(exact(criticBeta2), forKey: .criticBeta2)
        try c.encode(criticStepsPerStep, forKey: .criticStepsPerStep)
        try c.encode(criticWarmUpUpdates, forKey: .criticWarmUpUpdates)
        try c.encode(warmUpEpochs, forKey: .warmUpEpochs)
        try c.encode(exact(presenceThreshold), forKey: .presenceThreshold)
        try c.encode(exact(gradientPenaltyWeight), forKey: .gradientPenaltyWeight)
        try c.encode(criticChannels, forKey: .criticChannels)
        try c.encode(exact(criticNegativeSlope), forKey: .criticNegativeSlope)
        try c.encode(exact(difficultyScale), forKey: .difficultyScale)
        try c.encode(difficultyNormalization, forKey: .difficultyNormalization)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AFLConfig()
        criticLearningRate = try c.decodeIfPresent(Float.self, forKey: .criticLearningRate) ?? d.criticLearningRate
        criticBeta1 = try c.decodeIfPresent(Float.self, forKey: .criticBeta1) ?? d.criticBeta1
        criticBeta2 = try c.decodeIfPresent(Float.self, forKey: .criticBeta2) ?? d.criticBeta2
        criticStepsPerStep = try c.decodeIfPresent(Int.self, forKey: .criticStepsPerStep) ?? d.criticStepsPerStep
        criticWarmUpUpdates = try c.decodeIfPresent(Int.self, forKey: .criticWarmUpUpdates) ?? d.criticWarmUpUpdates
        warmUpEpochs = try c.decodeIfPresent(Int.self, forKey: .warmUpEpochs) ?? d.warmUpEpochs
        presenceThreshold = try c.decodeIfPresent(Float.self, forKey: .presenceThreshold) ?? d.presenceThreshold
        gradientPenaltyWeight = try c.decodeIfPresent(Float.self, forKey: .gradientPenaltyWeight) ?? d.gradientPenaltyWeight
        criticChannels = try c.decodeIfPresent([Int].self, forKey: .criticChannels) ?? d.criticChannels
        criticNegativeSlope = try c.decodeIfPresent(Float.self, forKey: .criticNegativeSlope) ?? d.criticNegativeSlope
        difficultyScale = try c.decodeIfPresent(Float.self, forKey: .difficultyScale) ?? d.difficultyScale
        difficultyNormalization = try c.decodeIfPresent(DifficultyNormalization.self, forKey: .difficultyNormalization)
            ?? d.difficultyNormalization
        guard criticStepsPerStep >= 1, criticWarmUpUpdates >= 0, warmUpEpochs >= 0, criticLearningRate > 0, gradientPenaltyWeight >= 0,
              !criticChannels.isEmpty, criticChannels.allSatisfy({ $0 > 0 }), difficultyScale > 0, difficultyScale.isFinite else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "AFL config: need criticStepsPerStep ≥ 1, criticWarmUpUpdates ≥ 0, warmUpEpochs ≥ 0, criticLearningRate > 0, gradientPenaltyWeight ≥ 0, positive criticChannels and a finite difficultyScale > 0"))
        }
    }
}
