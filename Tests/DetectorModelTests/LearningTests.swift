import TensorEngine
import XCTest
import Benchmarks
@testable import DetectorModel

final class LearningTests: XCTestCase {
    /// The small preset memorises one batch of Gaussian heatmaps with Adam: the whole training path
    /// (BN in train mode, backward through every op, optimiser) has to work for the loss to fall 10×.
    func testSmallPresetFitsOneBatch() {
        var rng = RandomGenerator(seed: 5)
        let net = FPNKeypointNet(config: .small(), rng: &rng)
        net.train()
        let x = Tensor.randn([2, 1, 64, 64], rng: &rng)
        let y = benchmarkGaussianHeatmaps(batch: 2, keypoints: 4, size: 16, rng: &rng)
        let adam = Adam(parameters: net.parameters(), learningRate: 3e-3)
        var first: Float = 0, last: Float = 0
        for step in 0..<Self.steps {
            adam.zeroGrad()
            let loss = benchmarkMSE(net(x), y)
            loss.backward()
            adam.step()
            if step == 0 { first = loss.scalar }
            last = loss.scalar
        }
        XCTAssertTrue(last.isFinite)
        XCTAssertLessThanOrEqual(last * 10, first, "loss \(first) → \(last) after \(Self.steps) steps")
        // Predicting all zeros scores mean(y²); the net must beat that 10× too, so it has learnt the peaks.
        let zeroPredictor = y.square().mean().scalar
        XCTAssertLessThanOrEqual(last * 10, zeroPredictor, "loss \(last) vs all-zeros \(zeroPredictor)")
    }

    static let steps = 60
}
