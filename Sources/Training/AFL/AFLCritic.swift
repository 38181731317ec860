import Logging
import TensorEngine

/// What one critic update saw, for the per-epoch log.
public struct CriticStepReport: Sendable {
    public let loss: Float
    public let realScore: Float
    public let fakeScore: Float
    public let gradientPenalty: Float
    /// True when the update went non-finite and the critic was put back as it was before it.
    public var rolledBack = false
}

/// The critic side of AFL in one object: the topology extractor, the critic network and its Adam optimiser,
/// configured by `AFLConfig`. A trainer calls `step` once per batch (see AFLStep.swift), or `difficulty` and
/// `update` itself; `update` runs `criticStepsPerStep` WGAN-GP updates. Checkpoints: the critic's weights are
/// `network`'s state dict and its Adam state is `optimizer.stateTensors(prefix:)` (see `AFLWeighting`).
public final class AFLCritic {
    public let config: AFLConfig
    public let extractor: TopologyExtractor
    public let network: TopologyCritic
    public let optimizer: Adam
    /// Draws the WGAN-GP mixing weights α for the overloads without an `rng` argument (a caller such as a
    /// sample-weighting plug-in may have no generator of its own). Seeded from the initialiser's generator,
    /// so a seeded run stays reproducible.
    public var rng: RandomGenerator
    /// Data-parallel training: the replicas whose critics must stay identical. Gradients are summed over them, and
    /// `.batch` difficulty normalisation uses the global batch. nil = one process.
    public var replicas: (any ReplicaReducer)?
    /// With `replicas`: this replica's place in the global batch for the next update, so the WGAN-GP mixing weights
    /// α are drawn for the global batch and sliced, as one process would draw them.
    public var batchShare: BatchShare?
    /// Flat-bucket size for the critic's gradient sum.
    public var bucketElements = 1 << 22
    /// Updates undone because the critic loss or the new weights were not finite (see `update`).
    public private(set) var rolledBackUpdates = 0
    private let logger = Logger(label: "LandmarkKit.afl-critic")

    public init(keypoints: Int, config: AFLConfig = AFLConfig(), rng: inout RandomGenerator) {
        self.config = config
        extractor = TopologyExtractor(presenceThreshold: config.presenceThreshold)
        network = TopologyCritic(keypoints: keypoints, channels: config.criticChannels,
                                 negativeSlope: config.criticNegativeSlope, rng: &rng)
        optimizer = Adam(parameters: network.parameters(), learningRate: config.criticLearningRate,
                         beta1: config.criticBeta1, beta2: config.criticBeta2)
        self.rng = RandomGenerator(seed: UInt64(rng.nextUInt32()) << 32 | UInt64(rng.nextUInt32()))
    }

    /// WGAN-GP updates on ground-truth topologies t and predicted topologies t' (`[B, 2, K, K]`); returns the
    /// last update's terms.
    ///
    /// A non-finite critic loss, or weights that are not finite after a step, puts the critic (weights and
    /// Adam state) back as it was before this call, logs a warning and counts it in `rolledBackUpdates`, as
    /// the trainer's guard does for the detector: one NaN kept in the critic would turn every later
    /// difficulty score into NaN.
    @discardableResult
    public func update(real: Tensor, fake: Tensor, rng: inout RandomGenerator) -> CriticStepReport {
        let before = CriticSnapshot(self)
        var last = CriticStepReport(loss: 0, realScore: 0, fakeScore: 0, gradientPenalty: 0)
        for step in 0..<config.criticStepsPerStep {
            optimizer.zeroGrad()
            let terms: CriticLossTerms
            if let share = batchShare, replicas != nil {
                let alpha = (0..<share.globalCount).map { _ in rng.uniform() }
                terms = wganGPCriticLoss(critic: network, real: real, fake: fake,
                                         alpha: Array(alpha[share.offset..<(share.offset + real.shape[0])]),
                                         lambda: config.gradientPenaltyWeight)
            } else {
                terms = wganGPCriticLoss(critic: network, real: real, fake: fake,
                                         lambda: config.gradientPenaltyWeight, rng: &rng)
            }
            last = CriticStepReport(loss: terms.loss.scalar, realScore: terms.realScore,
                                    fakeScore: terms.fakeScore, gradientPenalty: terms.gradientPenalty)
            if let replicas {
                // Every replica must reach the gradient sum, so a non-finite loss travels as a flag beside the gradients
                // and all replicas roll back together.
                let share = batchShare.map { Float(real.shape[0]) / Float($0.globalCount) } ?? 1
                if last.loss.isFinite { (terms.loss * share).backward() } else {
                    for p in optimizer.parameters { p.grad = Tensor(zeros: p.shape) }
                }
                var flags: [Float] = [last.loss.isFinite ? 0 : 1]
                allreduceGradients(optimizer.parameters, replicas: replicas, bucketElements: bucketElements, scalars: &flags)
                guard flags[0] == 0 else { return rollBack(to: before, last, "loss \(last.loss) (on this or another rank)", step: step) }
            } else {
                guard last.loss.isFinite else { return rollBack(to: before, last, "loss \(last.loss)", step: step) }
                terms.loss.backward()
            }
            optimizer.learningRate = config.criticLearningRate(atUpdate: optimizer.stepCount + 1)
            optimizer.step()
            guard CriticSnapshot.isFinite(self) else { return rollBack(to: before, last, "weights after the step", step: step) }
        }
        return last
    }

    private func rollBack(to snapshot: CriticSnapshot, _ report: CriticStepReport, _ what: String, step: Int) -> CriticStepReport {
        optimizer.zeroGrad()
        snapshot.restore(into: self)
        rolledBackUpdates += 1
        logger.warning("AFL critic: non-finite \(what) (critic step \(step + 1) of \(config.criticStepsPerStep)); critic weights and Adam state rolled back, \(rolledBackUpdates) rollback(s) so far")
        var r = report
        r.rolledBack = true
        return r
    }

    /// The critic's weights under `critic.` and its Adam state under `critic_optimizer.`: what a checkpoint
    /// keeps and what a rolled-back update restores.
    public func stateTensors() -> [String: SafetensorsTensor] {
        var out = optimizer.stateTensors(prefix: "critic_optimizer.")
        for (name, t) in network.stateDict().tensors { out["critic.\(name)"] = t }
        return out
    }

    /// Loads `stateTensors()`'s form; checks the weights before the optimiser changes, so a mismatch changes nothing.
    public func load(stateTensors t: [String: SafetensorsTensor], source: String) throws {
        var weights: [String: SafetensorsTensor] = [:], optim: [String: SafetensorsTensor] = [:]
        for (name, tensor) in t {
            if name.hasPrefix("critic.") { weights[String(name.dropFirst(7))] = tensor }
            else if name.hasPrefix("critic_optimizer.") { optim[name] = tensor }
        }
        try SafetensorsArchive(tensors: weights).validate(against: network.stateSpecs(), source: source)
        try optimizer.load(stateTensors: optim, prefix: "critic_optimizer.")
        try network.load(stateDict: SafetensorsArchive(tensors: weights), source: source)
    }

    /// `update(real:fake:rng:)` with the critic's own generator.
    @discardableResult
    public func update(real: Tensor, fake: Tensor) -> CriticStepReport {
        var g = rng
        defer { rng = g }
        return update(real: real, fake: fake, rng: &g)
    }

    /// Difficulty scores s_i = σ(−k·z_i) `[B]` with the configured scale and normalisation (σ(−d(t'_i)) by
    /// default), detached, without recording a graph.
    public func difficulty(fakeTopology: Tensor) -> Tensor {
        withNoGrad {
            AdversarialFocalLoss.difficulty(criticScores: network.scores(fakeTopology.detach()), scale: config.difficultyScale,
                                            normalization: config.difficultyNormalization, replicas: replicas)
        }
    }
}

/// A replica's share of a data-parallel global batch: its first sample's index and the global batch size.
public struct BatchShare: Equatable, Sendable {
    public var offset: Int
    public var globalCount: Int
    public init(offset: Int, globalCount: Int) { self.offset = offset; self.globalCount = globalCount }
}
