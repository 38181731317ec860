/// Settings of Adversarial Focal Loss training. Every field has a default, and a config file may give any
/// subset of them.
///
/// Where the defaults come from:
/// - `gradientPenaltyWeight` λ = 10 and `criticStepsPerStep` = 1: AFL paper, Algorithm 2 (one critic update per
///   main-network update, WGAN-GP's default λ).
/// - `criticLearningRate` 1e-4 with Adam β = (0.5, 0.9): the AFL paper states no critic optimiser;
///   Gulrajani et al. (2017, WGAN-GP) use lr 1e-4 and β₂ = 0.9, with β₁ = 0.5 in their CIFAR-10 setup.
/// - `warmUpEpochs` = 0: the paper weights from the first step. During warm-up epochs the critic trains but
///   the main loss is the plain batch mean of the base loss.
/// - `presenceThreshold` τ = 0.5: DESIGN §3, the same τ as the false-negative rule.
/// - `criticChannels` 8, 16, 48 and slope 0.2: see `TopologyCritic`.
public struct AFLConfig: Codable, Sendable, Equatable {
    public var criticLearningRate: Float = 1e-4
    public var criticBeta1: Float = 0.5
    public var criticBeta2: Float = 0.9
    public var criticStepsPerStep: Int = 1
    public var warmUpEpochs: Int = 0
    public var presenceThreshold: Float = 0.5
    public var gradientPenaltyWeight: Float = 10
    public var criticChannels: [Int] = [8, 16, 48]
    public var criticNegativeSlope: Float = 0.2

    public init() {}

    /// True when the main loss should be difficulty-weighted in this (0-based) epoch.
    public func weightsSamples(inEpoch epoch: Int) -> Bool { epoch >= warmUpEpochs }

    private enum CodingKeys: String, CodingKey {
        case criticLearningRate, criticBeta1, criticBeta2, criticStepsPerStep, warmUpEpochs, presenceThreshold,
             gradientPenaltyWeight, criticChannels, criticNegativeSlope
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
        try c.encode(warmUpEpochs, forKey: .warmUpEpochs)
        try c.encode(exact(presenceThreshold), forKey: .presenceThreshold)
        try c.encode(exact(gradientPenaltyWeight), forKey: .gradientPenaltyWeight)
        try c.encode(criticChannels, forKey: .criticChannels)
        try c.encode(exact(criticNegativeSlope), forKey: .criticNegativeSlope)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AFLConfig()
        criticLearningRate = try c.decodeIfPresent(Float.self, forKey: .criticLearningRate) ?? d.criticLearningRate
        criticBeta1 = try c.decodeIfPresent(Float.self, forKey: .criticBeta1) ?? d.criticBeta1
        criticBeta2 = try c.decodeIfPresent(Float.self, forKey: .criticBeta2) ?? d.criticBeta2
        criticStepsPerStep = try c.decodeIfPresent(Int.self, forKey: .criticStepsPerStep) ?? d.criticStepsPerStep
        warmUpEpochs = try c.decodeIfPresent(Int.self, forKey: .warmUpEpochs) ?? d.warmUpEpochs
        presenceThreshold = try c.decodeIfPresent(Float.self, forKey: .presenceThreshold) ?? d.presenceThreshold
        gradientPenaltyWeight = try c.decodeIfPresent(Float.self, forKey: .gradientPenaltyWeight) ?? d.gradientPenaltyWeight
        criticChannels = try c.decodeIfPresent([Int].self, forKey: .criticChannels) ?? d.criticChannels
        criticNegativeSlope = try c.decodeIfPresent(Float.self, forKey: .criticNegativeSlope) ?? d.criticNegativeSlope
        guard criticStepsPerStep >= 1, warmUpEpochs >= 0, criticLearningRate > 0, gradientPenaltyWeight >= 0,
              !criticChannels.isEmpty, criticChannels.allSatisfy({ $0 > 0 }) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "AFL config: need criticStepsPerStep ≥ 1, warmUpEpochs ≥ 0, criticLearningRate > 0, gradientPenaltyWeight ≥ 0 and positive criticChannels"))
        }
    }
}
