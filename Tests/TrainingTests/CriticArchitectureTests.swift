import XCTest
import TensorEngine
@testable import Training

/// Size, shapes and state-dict names of the topology critic.
final class CriticArchitectureTests: XCTestCase {
    func testPaperSizeAtK36() {
        var rng = RandomGenerator(seed: 1)
        let critic = TopologyCritic(keypoints: 36, rng: &rng)
        // 2→8: 8·2·9 + 8 = 152; 8→16: 16·8·9 + 16 = 1,168; 16→48: 48·16·9 + 48 = 6,960;
        // sides 36 → 18 → 9 → 5, linear 48·5·5 + 1 = 1,201. Total 9,481 (paper: ≈ 9,700).
        XCTAssertEqual(critic.parameterCount, 9_481)
        // 18²·8·18 + 9²·16·72 + 5²·48·144 + 1,200 = 46,656 + 93,312 + 172,800 + 1,200 = 313,968 multiply-adds.
        XCTAssertEqual(TopologyCritic.multiplyAdds(keypoints: 36), 313_968)
        XCTAssertEqual(critic(Tensor.zeros([3, 2, 36, 36])).shape, [3, 1])
    }

    func testAnyKeypointCountAndNoBatchCoupling() {
        var rng = RandomGenerator(seed: 2)
        for k in [1, 4, 37] {
            let critic = TopologyCritic(keypoints: k, rng: &rng)
            let x = Tensor.uniform([2, 2, k, k], rng: &rng)
            let both = critic.scores(x).toArray()
            // No batch norm: a sample's score does not depend on its batch mates.
            let alone = critic.scores(x.slice(axis: 0, start: 1, length: 1)).toArray()
            XCTAssertEqual(both.count, 2)
            XCTAssertEqual(both[1], alone[0], accuracy: 1e-6, "K = \(k)")
        }
    }

    func testStateDictNames() {
        var rng = RandomGenerator(seed: 3)
        let critic = TopologyCritic(keypoints: 4, rng: &rng)
        XCTAssertEqual(critic.namedParameters().map(\.0),
                       ["features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias",
                        "features.4.weight", "features.4.bias", "head.weight", "head.bias"])
        XCTAssertEqual(critic.head.weight.shape, [1, 48])   // K = 4 → sides 2, 1, 1
    }
}
