import TensorEngine

/// Mean absolute error per sample: mean over included channels' pixels of |prediction − target|.
/// The subgradient at a zero residual is 0 (the engine's `abs`).
public struct L1Loss: PerSampleLoss, Equatable {
    public init() {}

    public var name: String { "l1" }
    public var outputIsLogit: Bool { false }

    public func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor {
        let layout = LossLayout(prediction: prediction, target: target, mask: mask, loss: "L1Loss")
        return layout.meanIncluded((prediction - target.detach()).abs())
    }
}
