import XCTest
import TensorEngine
@testable import Training

/// The WGAN-GP critic loss: value from its parts, and ∂L_d/∂(critic weights) — through the gradient penalty,
/// i.e. the engine's double backward — against central differences of L_d.
final class CriticGradientPenaltyTests: XCTestCase {
    private let k = 4, batch = 3
    private let alpha: [Float] = [0.2, 0.55, 0.9]

    private func setup() -> (TopologyCritic, Tensor, Tensor) {
        var rng = RandomGenerator(seed: 11)
        let critic = TopologyCritic(keypoints: k, channels: [6, 8], rng: &rng)
        let real = Tensor.uniform([batch, 2, k, k], rng: &rng)
        let fake = Tensor.uniform([batch, 2, k, k], rng: &rng)
        return (critic, real, fake)
    }

    func testValueMatchesItsParts() {
        let (critic, real, fake) = setup()
        let terms = wganGPCriticLoss(critic: critic, real: real, fake: fake, alpha: alpha)
        XCTAssertEqual(terms.loss.scalar, terms.fakeScore - terms.realScore + 10 * terms.gradientPenalty,
                       accuracy: 1e-5)
        // The penalty recomputed independently: the input gradient of d at each mixed point, by a fresh
        // first-order grad per sample.
        var penalty: Float = 0
        for i in 0..<batch {
            let a = alpha[i]
            let m = (a * real.slice(axis: 0, start: i, length: 1) + (1 - a) * fake.slice(axis: 0, start: i, length: 1))
                .detach().requiringGrad()
            let g = grad(of: critic(m).sum(), wrt: m).toArray()
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            penalty += (norm - 1) * (norm - 1) / Float(batch)
        }
        XCTAssertEqual(terms.gradientPenalty, penalty, accuracy: 1e-5)
        XCTAssertGreaterThan(terms.gradientPenalty, 0.01)   // far enough from 0 that it matters below
    }

    func testDoubleBackwardMatchesCentralDifferences() {
        let (critic, real, fake) = setup()
        let terms = wganGPCriticLoss(critic: critic, real: real, fake: fake, alpha: alpha)
        critic.zeroGrad()
        terms.loss.backward()
        let analytic = critic.parameters().map { $0.grad!.toArray() }

        // Without the penalty (λ = 0) the gradient differs: the check below really covers the penalty path.
        critic.zeroGrad()
        wganGPCriticLoss(critic: critic, real: real, fake: fake, alpha: alpha, lambda: 0).loss.backward()
        let plain = critic.parameters().map { $0.grad!.toArray() }
        let penaltyPart = zip(analytic, plain).flatMap { zip($0, $1).map { abs($0 - $1) } }.max()!
        XCTAssertGreaterThan(penaltyPart, 0.05)

        func lossValue() -> Double {
            Double(wganGPCriticLoss(critic: critic, real: real, fake: fake, alpha: alpha).loss.scalar)
        }
        // L_d is only piecewise smooth in the weights: moving a weight can flip a LeakyReLU pre-activation's
        // sign at t, t' or m, and the input gradient in the penalty then jumps. Central differences across
        // such a jump are meaningless, so entries whose ±h step flips any sign are not compared (and counted).
        let mixed = withNoGrad { () -> Tensor in
            let a = Tensor(alpha, shape: [batch, 1, 1, 1])
            return a * real + (1 - a) * fake
        }
        func branches() -> [Bool] {
            withNoGrad {
                var signs: [Bool] = []
                for input in [real, fake, mixed] {
                    var x = input
                    for layer in critic.features.layers {
                        x = layer(x)
                        if layer is Conv2d { signs += x.toArray().map { $0 > 0 } }
                    }
                }
                return signs
            }
        }
        let pattern = branches()
        let h: Float = 3e-3
        var checked = 0, flipped = 0
        for (pi, p) in critic.parameters().enumerated() {
            // Every bias entry and a spread of weight entries of every tensor.
            let picks = p.count <= 16 ? Array(0..<p.count) : stride(from: pi % 3, to: p.count, by: p.count / 16).map { $0 }
            for j in picks {
                let original = p.data[j]
                p.data[j] = original + h
                let up = lossValue(), upSame = branches() == pattern
                p.data[j] = original - h
                let down = lossValue(), downSame = branches() == pattern
                p.data[j] = original
                guard upSame && downSame else { flipped += 1; continue }
                let numeric = (up - down) / Double(2 * h)
                XCTAssertEqual(Double(analytic[pi][j]), numeric, accuracy: 2e-3 + 1e-2 * abs(numeric),
                               "parameter \(critic.namedParameters()[pi].0)[\(j)]")
                checked += 1
            }
        }
        print("WGAN-GP finite differences: \(checked) weight entries compared, \(flipped) skipped on LeakyReLU kinks")
        XCTAssertGreaterThanOrEqual(checked, 2 * flipped, "too many entries sit on a LeakyReLU kink to check")
        XCTAssertGreaterThan(checked, 40)
    }
}
