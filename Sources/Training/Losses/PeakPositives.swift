import TensorEngine

/// The positive pixels of the focal losses: exactly one per present landmark, at the peak of its target
/// channel, which for an encoded Gaussian is the pixel nearest its sub-pixel centre (docs/AFL.md).
///
/// A level such as y ≥ 0.99 is not used because a Gaussian centred between pixels rarely reaches it: at σ = 2
/// about three landmarks in four had no positive at all, and each sample's normaliser (its positive count)
/// then varied more than AFL's whole weighting.
enum PeakPositives {
    /// A 0/1 constant of the target's shape `[B, K, h, w]`: 1 at the first maximum of every channel whose
    /// maximum is above 0; an all-zero channel (absent landmark) has none.
    static func mask(for target: Tensor) -> Tensor {
        precondition(target.rank == 4, "PeakPositives: target must be [B, K, h, w], got \(target.shape)")
        let plane = target.shape[2] * target.shape[3], channels = target.shape[0] * target.shape[1]
        var out = [Float](repeating: 0, count: target.count)
        target.withUnsafeBufferPointer { y in
            for c in 0..<channels {
                var best: Float = 0, at = -1
                for i in (c * plane)..<((c + 1) * plane) where y[i] > best { best = y[i]; at = i }
                if at >= 0 { out[at] = 1 }
            }
        }
        return Tensor(out, shape: target.shape)
    }
}
