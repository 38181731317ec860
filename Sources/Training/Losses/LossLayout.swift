import TensorEngine

/// Shapes and the channel mask of one loss call, checked once, plus the per-sample reductions every
/// base loss shares. Keeping the reductions here means all five losses agree on what "per sample" and
/// "included channel" mean.
struct LossLayout {
    let batch: Int, channels: Int, height: Int, width: Int
    /// The mask reshaped to `[B, K, 1, 1]` so it broadcasts over a channel's pixels; a constant.
    let channelMask: Tensor
    /// Number of included channels per sample.
    let includedChannels: [Float]

    /// Stops with a message naming the loss and every shape when the inputs disagree (the engine's ops
    /// do not throw either, and a shape mismatch here is a programming error in the trainer).
    init(prediction: Tensor, target: Tensor, mask: Tensor, loss: String) {
        precondition(prediction.rank == 4,
                     "\(loss): prediction must be [B, K, h, w], got \(prediction.shape)")
        precondition(target.shape == prediction.shape,
                     "\(loss): target shape \(target.shape) does not match prediction shape \(prediction.shape)")
        let s = prediction.shape
        precondition(mask.shape == [s[0], s[1]],
                     "\(loss): mask must be [B, K] = [\(s[0]), \(s[1])], got \(mask.shape)")
        batch = s[0]; channels = s[1]; height = s[2]; width = s[3]
        let m = mask.toArray()
        precondition(m.allSatisfy { $0 == 0 || $0 == 1 }, "\(loss): mask entries must be 0 or 1")
        channelMask = Tensor(m, shape: [s[0], s[1], 1, 1])
        includedChannels = (0..<s[0]).map { b in m[(b * s[1])..<((b + 1) * s[1])].reduce(0, +) }
    }

    /// Σ over included channels' pixels, per sample: `[B, K, h, w]` → `[B]`.
    func sumIncluded(_ elementwise: Tensor) -> Tensor {
        (elementwise * channelMask).sum(axes: [1, 2, 3])
    }

    /// Mean over included channels' pixels, per sample. A sample with no included channel has loss 0
    /// (its denominator is taken as 1), so it contributes nothing instead of NaN.
    func meanIncluded(_ elementwise: Tensor) -> Tensor {
        let pixels = Float(height * width)
        let scale = includedChannels.map { 1 / (Swift.max($0, 1) * pixels) }
        return sumIncluded(elementwise) * Tensor(scale, shape: [batch])
    }

    /// Σ over included channels' pixels divided by the number of positive pixels (`positive` is a 0/1
    /// constant `[B, K, h, w]`) in included channels, at least 1 — the focal-loss normalisation.
    func sumIncludedPerPositive(_ elementwise: Tensor, positive: Tensor) -> Tensor {
        let counts = sumIncluded(positive).toArray()
        let scale = counts.map { 1 / Swift.max($0, 1) }
        return sumIncluded(elementwise) * Tensor(scale, shape: [batch])
    }
}
