import XCTest
import TensorEngine
@testable import Training

/// One AFL batch end to end: difficulty from the critic before its update, warm-up, masked channels.
final class AFLStepTests: XCTestCase {
    private let b = 2, k = 4, side = 8

    /// Maps with a single pixel of `value` at each given point (nil = empty map).
    private func maps(_ points: [[SIMD2<Int>?]], value: Float, background: Float = 0) -> Tensor {
        var v = [Float](repeating: background, count: b * k * side * side)
        for (s, sample) in points.enumerated() {
            for (c, p) in sample.enumerated() {
                if let p { v[((s * k + c) * side + p.y) * side + p.x] = value }
            }
        }
        return Tensor(v, shape: [b, k, side, side])
    }

    private func asDouble(_ points: [[SIMD2<Int>?]]) -> [[SIMD2<Double>?]] {
        points.map { $0.map { $0.map { SIMD2(Double($0.x), Double($0.y)) } } }
    }

    func testStepUsesPreUpdateDifficultyMasksChannelsAndWarmsUp() {
        let truth: [[SIMD2<Int>?]] = [[SIMD2(1, 1), SIMD2(6, 1), SIMD2(6, 6), SIMD2(1, 6)],
                                      [SIMD2(2, 2), SIMD2(5, 2), SIMD2(5, 5), nil]]
        // Sample 1 puts keypoint 1 in the wrong place and "finds" the absent keypoint 3 (a false positive);
        // keypoint 2 of sample 0 is excluded by the mask, and its prediction is far off.
        let predicted: [[SIMD2<Int>?]] = [[SIMD2(1, 1), SIMD2(6, 1), SIMD2(0, 7), SIMD2(1, 6)],
                                          [SIMD2(2, 2), SIMD2(7, 0), SIMD2(5, 5), SIMD2(3, 3)]]
        let mask = Tensor([1, 1, 0, 1, 1, 1, 1, 1], shape: [b, k])
        let target = maps(truth, value: 1)

        for loss in [BaseLoss.mse, .focal(FocalHeatmapLoss())] {
            // Focal predicts logits: +6 on the keypoint pixels (σ ≈ 0.998 ≥ τ), −6 elsewhere (σ ≈ 0.002).
            let prediction = loss.outputIsLogit ? maps(predicted, value: 6, background: -6) : maps(predicted, value: 1)
            var config = AFLConfig()
            config.warmUpEpochs = 1
            config.criticLearningRate = 1e-2
            var rng = RandomGenerator(seed: 9)
            let critic = AFLCritic(keypoints: k, config: config, rng: &rng)

            // What the step must see: the excluded channel absent in both topologies, the false positive kept.
            var expectedFakePoints = asDouble(predicted)
            expectedFakePoints[0][2] = nil
            let expectedFake = TopologyExtractor.topology(points: expectedFakePoints, width: 8, height: 8)
            let before = critic.difficulty(fakeTopology: expectedFake).toArray()
            let weightsBefore = critic.network.parameters().map { $0.toArray() }

            let pred = prediction.copy().requiringGrad()
            let warm = critic.step(baseLoss: loss, prediction: pred, target: target, mask: mask, epoch: 0, rng: &rng)
            for (a, e) in zip(warm.difficulty, before) { XCTAssertEqual(a, e, accuracy: 1e-6, loss.name) }
            XCTAssertEqual(warm.loss.scalar, warm.perSample.mean().scalar, accuracy: 1e-6, "\(loss.name): warm-up is the plain mean")
            XCTAssertNotEqual(critic.network.parameters().map { $0.toArray() }, weightsBefore, "\(loss.name): critic must update")

            let nowBefore = critic.difficulty(fakeTopology: expectedFake).toArray()
            let weighted = critic.step(baseLoss: loss, prediction: pred, target: target, mask: mask, epoch: 1, rng: &rng)
            for (a, e) in zip(weighted.difficulty, nowBefore) { XCTAssertEqual(a, e, accuracy: 1e-6, loss.name) }
            let l = weighted.perSample.toArray()
            let expected = (weighted.difficulty[0] * l[0] + weighted.difficulty[1] * l[1]) / 2
            XCTAssertEqual(weighted.loss.scalar, expected, accuracy: 1e-6 * max(1, expected), loss.name)
            XCTAssertNotEqual(weighted.loss.scalar, warm.loss.scalar, loss.name)

            // The loss back-propagates into the prediction only (the critic's grads are its own business).
            weighted.loss.backward()
            XCTAssertNotNil(pred.grad, loss.name)
        }
    }

    func testPrecomputedPerSampleVariantMatches() {
        let truth: [[SIMD2<Int>?]] = [[SIMD2(1, 1), SIMD2(6, 1), SIMD2(6, 6), SIMD2(1, 6)],
                                      [SIMD2(2, 2), SIMD2(5, 2), SIMD2(5, 5), SIMD2(2, 5)]]
        let guess: [[SIMD2<Int>?]] = [[SIMD2(1, 2), SIMD2(6, 1), SIMD2(6, 6), SIMD2(1, 6)],
                                      [SIMD2(5, 5), SIMD2(5, 2), SIMD2(2, 2), SIMD2(2, 5)]]
        let target = maps(truth, value: 1), mask = Tensor.ones([b, k])
        let prediction = maps(guess, value: 4, background: -4).requiringGrad()
        let loss = BaseLoss.qfl(QualityFocalLoss())
        var r1 = RandomGenerator(seed: 4), r2 = RandomGenerator(seed: 4), mix = RandomGenerator(seed: 8)
        let a = AFLCritic(keypoints: k, rng: &r1), c = AFLCritic(keypoints: k, rng: &r2)
        let viaLoss = a.step(baseLoss: loss, prediction: prediction, target: target, mask: mask, epoch: 0, rng: &mix)
        let perSample = loss.perSample(prediction: prediction, target: target, mask: mask)
        let viaValues = c.step(perSample: perSample, prediction: prediction, target: target, mask: mask,
                               outputIsLogit: true, epoch: 0)
        XCTAssertEqual(viaLoss.difficulty, viaValues.difficulty)
        XCTAssertEqual(viaLoss.loss.scalar, viaValues.loss.scalar, accuracy: 1e-7)
        // The two samples are judged differently (sample 1 has swapped keypoints).
        XCTAssertNotEqual(viaValues.difficulty[0], viaValues.difficulty[1])
    }
}
