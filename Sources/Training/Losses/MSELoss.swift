import TensorEngine

/// Mean squared error per sample: mean over included channels' pixels of (prediction − target)².
public struct MSELoss: PerSampleLoss, Equatable {
    public init() {}

    public var name: String { "mse" }
    public var outputIsLogit: Bool { false }

    public func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor {
        let layout = LossLayout(prediction: prediction, target: target, mask: mask, loss: "MSELoss")
        return layout.meanIncluded((prediction - target.detach()).square())
    }
}
