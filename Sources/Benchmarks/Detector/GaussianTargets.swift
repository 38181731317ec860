import Foundation
import TensorEngine

/// Gaussian heatmaps exp(−d²/2σ²) at random sub-pixel positions, [batch, K, size, size]: the
/// benchmark's (and the learning test's) stand-in for real landmark targets, as torch_fpn.py uses.
public func benchmarkGaussianHeatmaps(batch: Int, keypoints: Int, size: Int, sigma: Float = 2,
                                          rng: inout RandomGenerator) -> Tensor {
    let t = Tensor.zeros([batch, keypoints, size, size])
    let p = t.data
    let inv = 1 / (2 * sigma * sigma)
    for plane in 0..<(batch * keypoints) {
        let cx = rng.uniform() * Float(size - 1), cy = rng.uniform() * Float(size - 1)
        let base = plane * size * size
        for y in 0..<size {
            let dy = Float(y) - cy
            for x in 0..<size {
                let dx = Float(x) - cx
                p[base + y * size + x] = Foundation.exp(-(dx * dx + dy * dy) * inv)
            }
        }
    }
    return t
}
