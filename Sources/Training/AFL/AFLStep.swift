import DetectorModel
import TensorEngine

/// One batch of AFL (paper Algorithm 2, minus the main network's optimiser step), as the trainer uses it.
public struct AFLStepResult {
    /// The scalar to back-propagate into the detector: mean_i(s_i·L_i), or mean_i(L_i) during warm-up.
    public let loss: Tensor
    /// Per-sample base losses `[B]` (carrying the detector's graph).
    public let perSample: Tensor
    /// Per-sample difficulty s_i = σ(−d(t'_i)) from the critic before this step's update, for the
    /// per-epoch difficulty log (paper figure 3). Computed during warm-up too.
    public let difficulty: [Float]
    /// The critic update's terms.
    public let critic: CriticStepReport
}

extension AFLCritic {
    /// Runs AFL on one batch: base losses, topologies of target and prediction, difficulty scores, then the
    /// critic's WGAN-GP update(s), and returns the loss for the detector.
    ///
    /// - The difficulty comes from the critic *before* its update, as in Algorithm 2, where one forward pass
    ///   of d on t' feeds both L_d and AFL.
    /// - For logit losses (focal, QFL) the topology of the prediction is taken on σ(output), so τ means the
    ///   same on prediction and target.
    /// - Channels excluded by the mask (mask 0: landmark not annotated) are made absent in both topologies:
    ///   the critic cannot know where an unannotated landmark belongs, so it must not judge it. This goes
    ///   beyond the paper, which has no mask. A channel with mask 1 and an all-zero target (truly absent) is
    ///   kept, so a false positive there changes t' and the critic can see it.
    public func step(baseLoss: BaseLoss, prediction: Tensor, target: Tensor, mask: Tensor, epoch: Int,
                     rng: inout RandomGenerator) -> AFLStepResult {
        step(perSample: baseLoss.perSample(prediction: prediction, target: target, mask: mask),
             prediction: prediction, target: target, mask: mask, outputIsLogit: baseLoss.outputIsLogit,
             epoch: epoch, rng: &rng)
    }

    /// The same for per-sample losses the caller already computed (any `PerSampleLoss`); `outputIsLogit`
    /// says whether `prediction` holds logits.
    public func step(perSample: Tensor, prediction: Tensor, target: Tensor, mask: Tensor, outputIsLogit: Bool,
                     epoch: Int, rng: inout RandomGenerator) -> AFLStepResult {
        precondition(perSample.shape == [prediction.shape[0]],
                     "AFLCritic.step: per-sample losses \(perSample.shape) do not match the batch of \(prediction.shape)")
        let (real, fake) = withNoGrad { () -> (Tensor, Tensor) in
            let channelMask = mask.detach().reshape([mask.shape[0], mask.shape[1], 1, 1])
            let heatmaps = (outputIsLogit ? ModelCard.OutputActivation.sigmoid : .identity).heatmaps(from: prediction)
            return (extractor.topology(of: target.detach() * channelMask), extractor.topology(of: heatmaps * channelMask))
        }
        let s = difficulty(fakeTopology: fake)
        let report = update(real: real, fake: fake, rng: &rng)
        let loss = config.weightsSamples(inEpoch: epoch)
            ? AdversarialFocalLoss.loss(perSample: perSample, difficulty: s)
            : perSample.mean()
        return AFLStepResult(loss: loss, perSample: perSample, difficulty: s.toArray(), critic: report)
    }

    /// `step(perSample:…)` with the critic's own generator.
    public func step(perSample: Tensor, prediction: Tensor, target: Tensor, mask: Tensor, outputIsLogit: Bool,
                     epoch: Int) -> AFLStepResult {
        var g = rng
        defer { rng = g }
        return step(perSample: perSample, prediction: prediction, target: target, mask: mask,
                    outputIsLogit: outputIsLogit, epoch: epoch, rng: &g)
    }
}
