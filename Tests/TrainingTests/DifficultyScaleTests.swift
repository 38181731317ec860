import XCTest
import TensorEngine
@testable import Training

/// s_i = σ(−k·z_i) for hand-computed critic scores d = (−1, 0, 2).
final class DifficultyScaleTests: XCTestCase {
    private let d = Tensor([-1, 0, 2], shape: [3, 1])

    private func assertClose(_ got: Tensor, _ want: [Float], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.shape, [3], file: file, line: line)
        for (g, w) in zip(got.toArray(), want) { XCTAssertEqual(g, w, accuracy: 2e-6, message, file: file, line: line) }
    }

    func testPaperFormAndScale() {
        // k = 1: σ(1), σ(0), σ(−2).
        assertClose(AdversarialFocalLoss.difficulty(criticScores: d), [0.731059, 0.5, 0.119203], "paper")
        // k = 2: σ(2), σ(0), σ(−4).
        assertClose(AdversarialFocalLoss.difficulty(criticScores: d, scale: 2), [0.880797, 0.5, 0.017986], "k = 2")
    }

    func testBatchNormalization() {
        // mean 1/3, population sd √(42/27) = 1.247219 → z = (−1.069045, −0.267261, 1.336306).
        assertClose(AdversarialFocalLoss.difficulty(criticScores: d, normalization: .batch), [0.744415, 0.566420, 0.208118], "batch, k = 1")
        assertClose(AdversarialFocalLoss.difficulty(criticScores: d, scale: 2, normalization: .batch),
                    [0.894551, 0.630537, 0.064609], "batch, k = 2")
        // Standardised weights ignore the critic's range and offset: 0.1·d + 5 gives the same weights.
        let shrunk = Tensor([-0.1 + 5, 5, 0.2 + 5], shape: [3])
        assertClose(AdversarialFocalLoss.difficulty(criticScores: shrunk, normalization: .batch), [0.744415, 0.566420, 0.208118], "affine d")
        // Scores that do not vary rank nothing: every weight ½.
        assertClose(AdversarialFocalLoss.difficulty(criticScores: Tensor([0.3, 0.3, 0.3], shape: [3]), normalization: .batch),
                    [0.5, 0.5, 0.5], "constant d")
    }

    func testCriticUsesItsConfiguredScale() {
        var rng = RandomGenerator(seed: 5)
        var config = AFLConfig()
        config.difficultyScale = 3
        let critic = AFLCritic(keypoints: 3, config: config, rng: &rng)
        let t = TopologyExtractor.topology(points: [[SIMD2(1, 1), SIMD2(5, 2), SIMD2(3, 6)], [SIMD2(2, 1), nil, SIMD2(6, 6)]],
                                           width: 8, height: 8)
        let scores = withNoGrad { critic.network.scores(t) }.toArray()
        let want = scores.map { Float(1 / (1 + Foundation.exp(3 * Double($0)))) }
        for (g, w) in zip(critic.difficulty(fakeTopology: t).toArray(), want) { XCTAssertEqual(g, w, accuracy: 1e-6) }
    }
}
