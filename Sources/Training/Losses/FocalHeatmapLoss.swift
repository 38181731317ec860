import TensorEngine

/// CornerNet's focal heatmap loss, per sample. The prediction is a logit map: this loss applies the
/// sigmoid itself (p = σ(prediction)), so the network's head must not.
///
/// Positive pixels contribute `−(1 − p)^a·log p`; every other pixel contributes `−(1 − y)^b·p^a·log(1 − p)`.
/// Each present landmark has exactly one positive, its target's peak pixel (`PeakPositives`), since sub-pixel
/// Gaussian targets rarely reach y == 1 or any fixed level near it. The sum over included channels is divided
/// by the number of positive pixels in included channels (at least 1). Logs use the log-sigmoid form, so
/// saturated logits give finite losses and gradients instead of log(0).
public struct FocalHeatmapLoss: PerSampleLoss, Codable, Equatable {
    /// Focusing exponent on the prediction (CornerNet's α).
    public var a: Float
    /// Penalty-reduction exponent around positives (CornerNet's β).
    public var b: Float

    public init(a: Float = 2, b: Float = 4) {
        precondition(a >= 1, "FocalHeatmapLoss: a must be ≥ 1 (p^a must have a finite slope at p = 0)")
        self.a = a; self.b = b
    }

    public var name: String { "focal" }
    public var outputIsLogit: Bool { true }

    public func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor {
        let layout = LossLayout(prediction: prediction, target: target, mask: mask, loss: "FocalHeatmapLoss")
        let y = target.detach()
        let positive = PeakPositives.mask(for: y)
        let x = prediction
        let p = x.sigmoid()
        let oneMinusP = (-x).sigmoid()   // σ(−x), not 1 − σ(x): keeps precision where p ≈ 1
        let positiveLoss = -(oneMinusP.pow(a) * x.logSigmoid())
        let negativeWeight = (1 - y).clamp(min: 0).pow(b)
        let negativeLoss = -(negativeWeight * p.pow(a) * (-x).logSigmoid())
        let pixelLoss = positive * positiveLoss + (1 - positive) * negativeLoss
        return layout.sumIncludedPerPositive(pixelLoss, positive: positive)
    }
}
