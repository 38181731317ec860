import DetectorModel
import TensorEngine

/// A heatmap loss that returns one value per sample, so AFL can weigh each sample by its own difficulty.
///
/// Inputs: `prediction` `[B, K, h, w]` (the raw network output), `target` `[B, K, h, w]` (Gaussian heatmaps
/// with peak 1) and `mask` `[B, K]` (1 = channel included, 0 = excluded). The result is a `[B]` tensor,
/// differentiable with respect to `prediction` through the engine's autograd; target and mask are constants.
///
/// Absent landmarks: the dataset decides through the mask. Either the channel is excluded (mask 0: it adds
/// nothing, not even to the normaliser), or it is trained toward an all-zero map (mask 1 with a zero target).
public protocol PerSampleLoss: Sendable {
    /// The config/CLI name (`mse`, `l1`, `awing`, `focal`, `qfl`).
    var name: String { get }
    /// True when the loss reads the network's output as logits (it applies σ itself): heatmaps are then
    /// σ(output) for decoding, the presence threshold, the AFL topology and inference.
    var outputIsLogit: Bool { get }
    func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor
}

extension PerSampleLoss {
    /// The activation a model trained with this loss decodes through (σ for logit losses).
    public var outputActivation: ModelCard.OutputActivation { outputIsLogit ? .sigmoid : .identity }

    /// The prediction as heatmaps in target units, detached: what the topology extractor and the decoder
    /// should see (`OutputActivation.heatmaps(from:)`).
    public func heatmaps(fromPrediction prediction: Tensor) -> Tensor { outputActivation.heatmaps(from: prediction) }
}
