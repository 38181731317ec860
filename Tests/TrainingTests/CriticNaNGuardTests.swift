import XCTest
import TensorEngine
@testable import Training

/// A non-finite critic update is undone entirely (weights and Adam state) and counted.
final class CriticNaNGuardTests: XCTestCase {
    private let k = 4

    private func topology(_ points: [[SIMD2<Double>?]]) -> Tensor {
        TopologyExtractor.topology(points: points, width: 32, height: 32)
    }

    private var real: Tensor { topology([[SIMD2(4, 4), SIMD2(20, 6), SIMD2(24, 24), SIMD2(6, 20)],
                                         [SIMD2(5, 5), SIMD2(21, 5), SIMD2(23, 25), SIMD2(5, 21)]]) }
    private var fake: Tensor { topology([[SIMD2(4, 4), SIMD2(28, 6), nil, SIMD2(6, 10)],
                                         [SIMD2(15, 5), SIMD2(21, 5), SIMD2(10, 12), SIMD2(5, 21)]]) }

    /// Every weight and every Adam moment and step count, flattened by name.
    private func state(_ critic: AFLCritic) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for (n, t) in critic.network.stateDict().tensors { out["w." + n] = t.floats().map(Double.init) }
        for (n, t) in critic.optimizer.stateTensors(prefix: "o.") {
            out[n] = t.dtype == .f32 ? t.floats().map(Double.init) : t.int64s().map(Double.init)
        }
        return out
    }

    private func poisoned(_ value: Float) -> Tensor {
        var v = real.toArray()
        v[7] = value
        return Tensor(v, shape: real.shape)
    }

    func testNonFiniteCriticLossRollsBackWeightsAndAdamState() {
        var rng = RandomGenerator(seed: 11)
        var config = AFLConfig()
        config.criticStepsPerStep = 2
        let critic = AFLCritic(keypoints: k, config: config, rng: &rng)
        var g = RandomGenerator(seed: 1)
        // A good update first, so the Adam moments are non-zero and a rollback to zeros would be caught.
        XCTAssertFalse(critic.update(real: real, fake: fake, rng: &g).rolledBack)
        let good = state(critic)
        XCTAssertTrue(good.filter { $0.key.hasPrefix("o.m.") }.values.contains { $0.contains { $0 != 0 } })

        for (i, poison) in [Float.nan, .infinity].enumerated() {
            let report = critic.update(real: poisoned(poison), fake: fake, rng: &g)
            XCTAssertTrue(report.rolledBack, "\(poison)")
            XCTAssertFalse(report.loss.isFinite, "\(poison)")
            XCTAssertEqual(critic.rolledBackUpdates, i + 1)
            XCTAssertEqual(state(critic), good, "\(poison): the critic must be exactly as before the update")
        }
        // Training carries on from the good state.
        let next = critic.update(real: real, fake: fake, rng: &g)
        XCTAssertFalse(next.rolledBack)
        XCTAssertTrue(next.loss.isFinite)
        XCTAssertNotEqual(state(critic), good)
        XCTAssertEqual(critic.rolledBackUpdates, 2)
    }

    func testDifficultyAfterARollbackStaysFinite() {
        var rng = RandomGenerator(seed: 12)
        let critic = AFLCritic(keypoints: k, rng: &rng)
        var g = RandomGenerator(seed: 2)
        critic.update(real: poisoned(.nan), fake: fake, rng: &g)
        XCTAssertTrue(critic.difficulty(fakeTopology: fake).toArray().allSatisfy(\.isFinite))
    }
}
