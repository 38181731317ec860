import XCTest
import Foundation
import TensorEngine
@testable import Training

/// Trained alone, the critic must tell ground-truth topologies from corrupted ones on held-out samples.
final class CriticTrainingTests: XCTestCase {
    private let k = 6, size = 64.0

    /// A plausible "anatomy": a fixed chain of keypoints, jittered, shifted and slightly scaled.
    private func groundTruth(_ rng: inout RandomGenerator) -> [SIMD2<Double>?] {
        let template: [SIMD2<Double>] = [SIMD2(20, 10), SIMD2(30, 18), SIMD2(36, 30), SIMD2(34, 42),
                                         SIMD2(26, 50), SIMD2(16, 54)]
        let shift = SIMD2(Double(rng.uniform(-6, 6)), Double(rng.uniform(-4, 4)))
        let scale = Double(rng.uniform(0.9, 1.1))
        return template.map { p in
            let jitter = SIMD2(Double(rng.normal()), Double(rng.normal())) * 1.0
            return (p - SIMD2(28, 32)) * scale + SIMD2(28, 32) + shift + jitter
        }
    }

    /// Corruptions of a plausible set: two keypoints swapped, or one displaced by 12–20 px.
    private func corrupted(_ rng: inout RandomGenerator) -> [SIMD2<Double>?] {
        var p = groundTruth(&rng)
        let i = rng.int(below: k)
        if rng.uniform() < 0.5 {
            let j = (i + 1 + rng.int(below: k - 1)) % k
            p.swapAt(i, j)
        } else {
            let angle = Double(rng.uniform(0, 2 * .pi)), r = Double(rng.uniform(12, 20))
            p[i] = p[i]! + SIMD2(cos(angle), sin(angle)) * r
        }
        return p
    }

    private func topologies(_ n: Int, corrupt: Bool, _ rng: inout RandomGenerator) -> Tensor {
        TopologyExtractor.topology(points: (0..<n).map { _ in corrupt ? corrupted(&rng) : groundTruth(&rng) },
                                   width: size, height: size)
    }

    func testCriticSeparatesGroundTruthFromCorruptedTopologies() {
        var rng = RandomGenerator(seed: 5)
        var config = AFLConfig()
        config.criticLearningRate = 2e-3   // faster than the training default, to converge in a test budget
        let critic = AFLCritic(keypoints: k, config: config, rng: &rng)

        let heldReal = topologies(100, corrupt: false, &rng), heldFake = topologies(100, corrupt: true, &rng)
        func auc() -> (Double, Float) {
            let r = critic.network.scores(heldReal).toArray(), f = critic.network.scores(heldFake).toArray()
            var wins = 0.0
            for a in r { for b in f { wins += a > b ? 1 : (a == b ? 0.5 : 0) } }
            return (wins / Double(r.count * f.count), r.reduce(0, +) / 100 - f.reduce(0, +) / 100)
        }
        let (aucBefore, _) = auc()

        var last = CriticStepReport(loss: 0, realScore: 0, fakeScore: 0, gradientPenalty: 0)
        for _ in 0..<300 {
            last = critic.update(real: topologies(16, corrupt: false, &rng), fake: topologies(16, corrupt: true, &rng),
                                 rng: &rng)
        }
        let (aucAfter, gap) = auc()
        print("critic held-out AUC \(aucBefore) → \(aucAfter), mean score gap \(gap)")
        XCTAssertGreaterThan(gap, 0)
        XCTAssertGreaterThanOrEqual(aucAfter, 0.9, "held-out AUC \(aucAfter) (before training \(aucBefore))")
        XCTAssertGreaterThan(last.realScore, last.fakeScore)
        // Difficulty follows: corrupted sets are harder on average.
        let sReal = critic.difficulty(fakeTopology: heldReal).mean().scalar
        let sFake = critic.difficulty(fakeTopology: heldFake).mean().scalar
        XCTAssertGreaterThan(sFake, sReal)
    }
}
