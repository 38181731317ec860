import XCTest
import Foundation
import TensorEngine
@testable import Training

/// The mask's two meanings, per-sample independence, and the config surface of `BaseLoss`.
final class LossMaskTests: XCTestCase {
    private let all: [BaseLoss] = [.mse, .l1, .awing(AdaptiveWingLoss()), .focal(FocalHeatmapLoss()),
                                   .qfl(QualityFocalLoss())]

    private func randomMaps(_ shape: [Int], seed: UInt64, low: Float = 0, high: Float = 1) -> [Float] {
        var rng = RandomGenerator(seed: seed)
        return (0..<shape.reduce(1, *)).map { _ in rng.uniform(low, high) }
    }

    /// Targets with one exact peak per channel so focal/QFL have positives.
    private func targets(_ shape: [Int], seed: UInt64) -> [Float] {
        var t = randomMaps(shape, seed: seed, low: 0, high: 0.6)
        let plane = shape[2] * shape[3]
        for c in 0..<(shape[0] * shape[1]) { t[c * plane + (c * 5) % plane] = 1 }
        return t
    }

    func testMaskedChannelIsIgnoredEntirely() {
        // Loss with channel 1 excluded equals the loss computed on channels {0, 2} alone.
        let shape = [2, 3, 5, 5], plane = 25
        let x = randomMaps(shape, seed: 1, low: -2, high: 2), y = targets(shape, seed: 2)
        let mask = Tensor([1, 0, 1, 1, 0, 1], shape: [2, 3])
        func keep(_ v: [Float]) -> [Float] {
            var out: [Float] = []
            for b in 0..<2 {
                for k in [0, 2] {
                    let start: Int = (b * 3 + k) * plane
                    out += v[start..<(start + plane)]
                }
            }
            return out
        }
        for loss in all {
            let full = loss.perSample(prediction: Tensor(x, shape: shape), target: Tensor(y, shape: shape), mask: mask)
            let sliced = loss.perSample(prediction: Tensor(keep(x), shape: [2, 2, 5, 5]),
                                        target: Tensor(keep(y), shape: [2, 2, 5, 5]), mask: Tensor.ones([2, 2]))
            for b in 0..<2 {
                XCTAssertEqual(full.toArray()[b], sliced.toArray()[b], accuracy: 1e-5 * max(1, abs(sliced.toArray()[b])),
                               "\(loss.name) sample \(b)")
            }
            // Garbage in the excluded channel changes nothing.
            var x2 = x
            for i in (1 * plane)..<(2 * plane) { x2[i] = 50 }
            let garbage = loss.perSample(prediction: Tensor(x2, shape: shape), target: Tensor(y, shape: shape), mask: mask)
            XCTAssertEqual(garbage.toArray(), full.toArray(), "\(loss.name)")
        }
    }

    func testAbsentLandmarkWithMaskOneIsTrainedTowardZero() {
        // Mask 1 with an all-zero target: a prediction that is not zero there costs something, and the
        // gradient pushes it down; with mask 0 the same channel costs nothing.
        let shape = [1, 1, 3, 3]
        let zeroTarget = Tensor.zeros(shape)
        for loss in all {
            let level: Float = loss.outputIsLogit ? 2 : 0.7   // σ(2) ≈ 0.88: clearly "on"
            let pred = Tensor(repeating: level, shape: shape, requiresGrad: true)
            let on = loss.perSample(prediction: pred, target: zeroTarget, mask: Tensor.ones([1, 1]))
            XCTAssertGreaterThan(on.toArray()[0], 0.01, loss.name)
            on.sum().backward()
            XCTAssertTrue(pred.grad!.toArray().allSatisfy { $0 > 0 }, "\(loss.name): gradient must lower the map")
            let off = loss.perSample(prediction: pred, target: zeroTarget, mask: Tensor.zeros([1, 1]))
            XCTAssertEqual(off.toArray(), [0], loss.name)
        }
    }

    func testSamplesAreIndependent() {
        let shape = [3, 2, 4, 4], sampleSize = 32
        let x = randomMaps(shape, seed: 3, low: -1, high: 1.5), y = targets(shape, seed: 4)
        let mask = Tensor.ones([3, 2])
        for loss in all {
            let base = loss.perSample(prediction: Tensor(x, shape: shape), target: Tensor(y, shape: shape), mask: mask)
            var x2 = x
            for i in sampleSize..<(2 * sampleSize) { x2[i] += 0.8 }
            let changed = loss.perSample(prediction: Tensor(x2, shape: shape), target: Tensor(y, shape: shape), mask: mask)
            XCTAssertEqual(base.toArray()[0], changed.toArray()[0], loss.name)
            XCTAssertEqual(base.toArray()[2], changed.toArray()[2], loss.name)
            XCTAssertNotEqual(base.toArray()[1], changed.toArray()[1], loss.name)

            // ∂L₀/∂(sample 1 and 2) is zero; ∂L₀/∂(sample 0) is not.
            let pred = Tensor(x, shape: shape, requiresGrad: true)
            let out = loss.perSample(prediction: pred, target: Tensor(y, shape: shape), mask: mask)
            out.backward(Tensor([1, 0, 0], shape: [3]))
            let g = pred.grad!.toArray()
            XCTAssertTrue(g[sampleSize...].allSatisfy { $0 == 0 }, loss.name)
            XCTAssertTrue(g[..<sampleSize].contains { $0 != 0 }, loss.name)
        }
    }

    func testSampleWithoutIncludedChannelsHasZeroLoss() {
        let shape = [2, 2, 3, 3]
        let x = randomMaps(shape, seed: 5), y = targets(shape, seed: 6)
        for loss in all {
            let out = loss.perSample(prediction: Tensor(x, shape: shape), target: Tensor(y, shape: shape),
                                     mask: Tensor([0, 0, 1, 1], shape: [2, 2]))
            XCTAssertEqual(out.toArray()[0], 0, loss.name)
            XCTAssertGreaterThan(out.toArray()[1], 0, loss.name)
        }
    }

    func testNamesAndCodableRoundTrip() throws {
        XCTAssertEqual(BaseLoss.names, all.map(\.name))
        for name in BaseLoss.names { XCTAssertEqual(BaseLoss(name: name)?.name, name) }
        XCTAssertNil(BaseLoss(name: "hinge"))

        let custom: [BaseLoss] = [.mse, .l1, .awing(AdaptiveWingLoss(alpha: 2.2, omega: 10, epsilon: 0.5, theta: 0.4, weight: 5)),
                                  .focal(FocalHeatmapLoss(a: 3, b: 2)),
                                  .qfl(QualityFocalLoss(beta: 1.5))]
        for loss in custom {
            let data = try JSONEncoder().encode(loss)
            XCTAssertEqual(try JSONDecoder().decode(BaseLoss.self, from: data), loss)
        }
        // Parameters left out take their defaults; an unknown name is an error that names the choices.
        let partial = try JSONDecoder().decode(BaseLoss.self, from: Data(#"{"name":"awing","omega":20}"#.utf8))
        XCTAssertEqual(partial, .awing(AdaptiveWingLoss(omega: 20)))
        XCTAssertThrowsError(try JSONDecoder().decode(BaseLoss.self, from: Data(#"{"name":"hinge"}"#.utf8))) { error in
            XCTAssertTrue(String(describing: error).contains("awing"))
        }
    }

    func testHeatmapsFromPredictionAppliesSigmoidOnlyForLogitLosses() {
        let pred = Tensor([0, 2], shape: [1, 1, 1, 2])
        XCTAssertEqual(BaseLoss.mse.heatmaps(fromPrediction: pred).toArray(), [0, 2])
        let s = BaseLoss.focal(FocalHeatmapLoss()).heatmaps(fromPrediction: pred).toArray()
        XCTAssertEqual(s[0], 0.5, accuracy: 1e-7)
        XCTAssertEqual(s[1], 1 / (1 + Float(Foundation.exp(-2.0))), accuracy: 1e-6)
    }
}
