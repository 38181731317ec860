import TensorEngine

/// Adversarial Focal Loss as the trainer's sample weighting (docs/AFL.md): each batch runs the critic's
/// WGAN-GP update on topologies of target vs. prediction and returns mean_i(s_i·L_i) with the constant
/// difficulty s_i = σ(−d(t'_i)). During `AFLConfig.warmUpEpochs` the loss is the plain mean, but the critic
/// still trains, so it is useful by the time weighting starts. `weights` carries s_i for the difficulty log.
public final class AFLWeighting: SampleWeighting {
    public let critic: AFLCritic
    /// Whether the detector's output holds logits (focal, QFL): the critic then sees σ(output).
    public let outputIsLogit: Bool
    private let seed: UInt64

    /// `seed` fixes the critic's initial weights and, with the global step, each step's WGAN-GP mixing
    /// weights α, so a resumed run draws the same α as an uninterrupted one without storing generator state.
    public init(keypoints: Int, config: AFLConfig, outputIsLogit: Bool, seed: UInt64) {
        var rng = RandomGenerator(seed: seed ^ 0xAF1C_0A7F_1C0A_7F1C)
        critic = AFLCritic(keypoints: keypoints, config: config, rng: &rng)
        self.outputIsLogit = outputIsLogit
        self.seed = seed
    }

    public var name: String { "afl" }

    public func reduce(_ perSample: Tensor, context: WeightingContext) -> WeightedLoss {
        // Derived from (seed, step), not carried along: the checkpoint then needs no generator state.
        var rng = RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(context.step) &+ 1)
        critic.batchShare = context.share
        // The trainer's epochs are 1-based; `AFLConfig.weightsSamples(inEpoch:)` counts from 0.
        let result = critic.step(perSample: perSample, prediction: context.predictions, target: context.targets,
                                 mask: context.masks, outputIsLogit: outputIsLogit, epoch: context.epoch - 1, rng: &rng)
        return WeightedLoss(loss: result.loss, weights: result.difficulty)
    }

    /// The critic's state dict under `critic.` and its Adam moments and step counts under `critic_optimizer.`.
    public func stateTensors() -> [String: SafetensorsTensor] { critic.stateTensors() }

    public func load(stateTensors t: [String: SafetensorsTensor]) throws {
        try critic.load(stateTensors: t, source: "checkpoint (AFL critic)")
    }
}
