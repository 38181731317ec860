import XCTest
@testable import TensorEngine

/// End-to-end: a two-layer conv net fits a fixed batch with plain SGD written here.
final class TrainingTests: XCTestCase {
    /// Returns the loss before the first and after the last step.
    func fit(lr: Float, steps: Int, batchNorm: Bool) -> (first: Float, last: Float) {
        var rng = RandomGenerator(seed: 11)
        // 2×1×6×6 = 72 target values against ~340 parameters: fittable exactly.
        let x = Tensor.randn([2, 1, 6, 6], rng: &rng)
        let target = Tensor.randn([2, 1, 6, 6], std: 0.5, rng: &rng)
        let w1 = Tensor.kaimingNormal([16, 1, 3, 3], rng: &rng), b1 = Tensor.zeros([16], requiresGrad: true)
        let gamma = Tensor.ones([16], requiresGrad: true), beta = Tensor.zeros([16], requiresGrad: true)
        let rm = Tensor.zeros([16]), rv = Tensor.ones([16])
        let w2 = Tensor.kaimingNormal([1, 16, 3, 3], rng: &rng), b2 = Tensor.zeros([1], requiresGrad: true)
        let params = batchNorm ? [w1, b1, gamma, beta, w2, b2] : [w1, b1, w2, b2]
        func forward() -> Tensor {
            var h = conv2d(x, weight: w1, bias: b1, padding: 1)
            if batchNorm { h = batchNorm2d(h, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv, training: true) }
            return conv2d(h.relu(), weight: w2, bias: b2, padding: 1)
        }
        var first: Float = 0, last: Float = 0
        for step in 0..<steps {
            let loss = (forward() - target).square().mean()
            if step == 0 { first = loss.scalar }
            last = loss.scalar
            params.forEach { $0.zeroGrad() }
            loss.backward()
            withNoGrad {
                for p in params {
                    let g = p.grad!
                    for i in 0..<p.count { p.data[i] -= lr * g.data[i] }
                }
            }
        }
        return (first, last)
    }

    func testTwoLayerConvNetFitsSmallBatch() {
        let (first, last) = fit(lr: 0.03, steps: 1000, batchNorm: true)
        XCTAssertGreaterThan(first, 0.5)
        XCTAssertLessThan(last, 1e-3, "loss went from \(first) to \(last)")
    }
}
