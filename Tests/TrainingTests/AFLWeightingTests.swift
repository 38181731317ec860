import XCTest
import Foundation
import TensorEngine
@testable import Training

/// AFL = mean_i(stopgrad(σ(−d_i))·L_i) over every base loss.
final class AFLWeightingTests: XCTestCase {
    private let all: [BaseLoss] = [.mse, .l1, .awing(AdaptiveWingLoss()), .focal(FocalHeatmapLoss()),
                                   .qfl(QualityFocalLoss())]

    func testDifficultyIsSigmoidOfNegativeScoreAndConstant() {
        let scores = Tensor([-2, 0, 3], shape: [3, 1], requiresGrad: true)
        let s = AdversarialFocalLoss.difficulty(criticScores: scores)
        XCTAssertEqual(s.shape, [3])
        XCTAssertFalse(s.requiresGrad)
        let expected = [-2.0, 0, 3].map { Float(1 / (1 + exp($0))) }   // σ(−d)
        for (a, e) in zip(s.toArray(), expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
    }

    func testGradientIsDifficultyTimesBaseGradientForEveryLoss() {
        let shape = [3, 2, 4, 4], sample = 32
        var rng = RandomGenerator(seed: 21)
        let x = (0..<96).map { _ in rng.uniform(-1.5, 1.5) }
        var y = (0..<96).map { _ in rng.uniform(0, 0.5) }
        for c in 0..<6 { y[c * 16 + c] = 1 }
        let target = Tensor(y, shape: shape), mask = Tensor([1, 1, 1, 0, 1, 1], shape: [3, 2])
        let scores: [Float] = [-2, 0.5, 3]
        let s = scores.map { Float(1 / (1 + exp(Double($0)))) }

        for loss in all {
            // Per-sample base gradients g_i = ∂L_i/∂x.
            var base = [[Float]]()
            for i in 0..<3 {
                let pred = Tensor(x, shape: shape, requiresGrad: true)
                var onehot: [Float] = [0, 0, 0]
                onehot[i] = 1
                loss.perSample(prediction: pred, target: target, mask: mask).backward(Tensor(onehot, shape: [3]))
                base.append(pred.grad!.toArray())
            }

            let pred = Tensor(x, shape: shape, requiresGrad: true)
            let live = Tensor(scores, shape: [3], requiresGrad: true)   // a live critic output: must not get gradient
            let perSample = loss.perSample(prediction: pred, target: target, mask: mask)
            let afl = AdversarialFocalLoss.loss(perSample: perSample, criticScores: live)
            // Value: the batch mean of s_i·L_i, not mean(s)·mean(L).
            let l = perSample.toArray()
            let expected = zip(s, l).map { $0 * $1 }.reduce(0, +) / 3
            XCTAssertEqual(afl.scalar, expected, accuracy: 1e-5 * max(1, expected), loss.name)
            let meanOfMeans = s.reduce(0, +) / 3 * l.reduce(0, +) / 3
            XCTAssertGreaterThan(abs(afl.scalar - meanOfMeans), 1e-3 * max(1, expected), loss.name)

            afl.backward()
            XCTAssertNil(live.grad, "\(loss.name): the difficulty must be a constant")
            let g = pred.grad!.toArray()
            for i in 0..<3 {
                for j in (i * sample)..<((i + 1) * sample) {
                    XCTAssertEqual(g[j], s[i] / 3 * base[i][j], accuracy: 1e-6 + 1e-5 * abs(base[i][j]),
                                   "\(loss.name) sample \(i) element \(j)")
                }
            }
        }
    }
}
