import TensorEngine

/// Quality Focal Loss (Generalized Focal Loss, Li et al.) for sigmoid heatmaps with soft targets, per
/// sample. The prediction is a logit map: this loss applies the sigmoid itself (σ = σ(prediction)).
///
/// `QFL = −|y − σ|^β·((1 − y)·log(1 − σ) + y·log σ)`, written with log-sigmoids so saturated logits stay
/// finite. The sum over included channels is divided by the number of positive pixels (at least 1).
/// QFL itself needs no positives; they only define the normaliser. We count one per present landmark, its
/// target's peak pixel (`PeakPositives`, as the CornerNet loss does), rather than pixels with y > 0, whose
/// number depends on the Gaussian's σ and truncation and would make the loss scale change with the codec.
public struct QualityFocalLoss: PerSampleLoss, Codable, Equatable {
    public var beta: Float

    public init(beta: Float = 2) {
        precondition(beta >= 1, "QualityFocalLoss: β must be ≥ 1 (|y − σ|^β must have a finite slope at 0)")
        self.beta = beta
    }

    public var name: String { "qfl" }
    public var outputIsLogit: Bool { true }

    public func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor {
        let layout = LossLayout(prediction: prediction, target: target, mask: mask, loss: "QualityFocalLoss")
        let y = target.detach()
        let x = prediction
        let residual = y - x.sigmoid()
        let modulation = beta == 2 ? residual.square() : residual.abs().pow(beta)
        // −[(1 − y)·log(1 − σ) + y·log σ] = (1 − y)·softplus(x) + y·softplus(−x)
        let crossEntropy = (1 - y) * x.softplusStable() + y * (-x).softplusStable()
        let positive = PeakPositives.mask(for: y)
        return layout.sumIncludedPerPositive(modulation * crossEntropy, positive: positive)
    }
}
