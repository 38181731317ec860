import XCTest
@testable import TensorEngine

/// Expected values are computed here from the published update rules, step by step in Double, so
/// the optimisers are checked against the formulas rather than against themselves.
final class OptimizerTests: XCTestCase {
    private func param(_ values: [Float]) -> Tensor { Tensor(values, shape: [values.count], requiresGrad: true) }
    private func setGrad(_ p: Tensor, _ g: [Float]) { p.grad = Tensor(g, shape: [g.count]) }

    private func assertClose(_ a: [Float], _ b: [Double], _ tol: Double = 1e-6, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(Double(x), y, accuracy: tol * max(1, abs(y)), file: file, line: line) }
    }

    func testAdamTwoStepsByHand() {
        let p = param([1.0, -2.0, 0.5])
        let grads: [[Float]] = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.0]]
        let lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1
        let adam = Adam(parameters: [p], learningRate: Float(lr), weightDecay: Float(wd))
        var x: [Double] = [1.0, -2.0, 0.5], m = [0.0, 0, 0], v = [0.0, 0, 0]
        for (t, g) in grads.enumerated() {
            setGrad(p, g)
            adam.step()
            for i in 0..<3 {
                let gi = Double(g[i]) + wd * x[i]  // Adam's weight decay is L2 on the gradient
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                let mh = m[i] / (1 - pow(b1, Double(t + 1))), vh = v[i] / (1 - pow(b2, Double(t + 1)))
                x[i] -= lr * mh / (vh.squareRoot() + eps)
            }
            assertClose(p.toArray(), x)
            if t == 0 {
                // Adam's first step moves every coordinate by lr against its gradient's sign.
                assertClose(p.toArray(), [1.0 - lr, -2.0 + lr, 0.5 - lr], 1e-5)
            }
        }
        XCTAssertEqual(adam.stepCount, 2)
    }

    func testAdamWDecouplesWeightDecay() {
        let p = param([2.0, -1.0])
        let lr = 0.1, wd = 0.5, b1 = 0.9, b2 = 0.999, eps = 1e-8
        let opt = Adam.adamW(parameters: [p], learningRate: Float(lr), weightDecay: Float(wd))
        var x: [Double] = [2.0, -1.0], m = [0.0, 0], v = [0.0, 0]
        for (t, g) in [[Float(0.3), -0.1], [0.2, 0.2]].enumerated() {
            setGrad(p, g)
            opt.step()
            for i in 0..<2 {
                x[i] *= 1 - lr * wd
                m[i] = b1 * m[i] + (1 - b1) * Double(g[i])
                v[i] = b2 * v[i] + (1 - b2) * Double(g[i]) * Double(g[i])
                let mh = m[i] / (1 - pow(b1, Double(t + 1))), vh = v[i] / (1 - pow(b2, Double(t + 1)))
                x[i] -= lr * mh / (vh.squareRoot() + eps)
            }
            assertClose(p.toArray(), x)
        }
    }

    func testSGDMomentumAndNesterovByHand() {
        for nesterov in [false, true] {
            let p = param([1.0, 3.0])
            let lr = 0.1, mu = 0.9, wd = 0.01
            let sgd = SGD(parameters: [p], learningRate: Float(lr), momentum: Float(mu), weightDecay: Float(wd), nesterov: nesterov)
            var x: [Double] = [1.0, 3.0], buf: [Double]? = nil
            for g in [[Float(0.5), -1.0], [0.25, 2.0], [-1.0, 0.0]] {
                setGrad(p, g)
                sgd.step()
                let gd = (0..<2).map { Double(g[$0]) + wd * x[$0] }
                let b = buf.map { old in (0..<2).map { mu * old[$0] + gd[$0] } } ?? gd
                buf = b
                for i in 0..<2 { x[i] -= lr * (nesterov ? gd[i] + mu * b[i] : b[i]) }
                assertClose(p.toArray(), x)
            }
        }
    }

    func testPlainSGDAndSkippedParameters() {
        let p = param([1, 2]), q = param([5])
        let sgd = SGD(parameters: [p, q], learningRate: 0.5)
        setGrad(p, [1, -1])
        sgd.step()
        XCTAssertEqual(p.toArray(), [0.5, 2.5])
        XCTAssertEqual(q.toArray(), [5], "a parameter without a gradient is left alone")
        sgd.zeroGrad()
        XCTAssertNil(p.grad)
    }

    func testAdamLargeParameterUsesParallelPathConsistently() {
        // Above the parallel grain: every element must get the same update as a lone element would.
        let n = 200_000
        let p = Tensor(repeating: 1, shape: [n], requiresGrad: true)
        p.grad = Tensor(repeating: 0.5, shape: [n])
        let adam = Adam(parameters: [p], learningRate: 0.1)
        adam.step()
        let values = p.toArray()
        XCTAssertEqual(Double(values[0]), 1 - 0.1 * 0.5 / (0.5 + 1e-8), accuracy: 1e-6)
        XCTAssertTrue(values.allSatisfy { $0 == values[0] })
    }

    func testSchedulesAtKnownSteps() {
        let step = StepLR(base: 0.1, stepSize: 10, gamma: 0.5)
        XCTAssertEqual(step.learningRate(at: 0), 0.1, accuracy: 1e-9)
        XCTAssertEqual(step.learningRate(at: 9), 0.1, accuracy: 1e-9)
        XCTAssertEqual(step.learningRate(at: 10), 0.05, accuracy: 1e-9)
        XCTAssertEqual(step.learningRate(at: 25), 0.025, accuracy: 1e-9)

        let cosine = CosineLR(base: 1, totalSteps: 100, minimum: 0.1)
        XCTAssertEqual(cosine.learningRate(at: 0), 1, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 50), 0.55, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 25), Float(0.1 + 0.9 * (1 + cos(Double.pi / 4)) / 2), accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 100), 0.1, accuracy: 1e-6)
        XCTAssertEqual(cosine.learningRate(at: 500), 0.1, accuracy: 1e-6)

        let warm = LinearWarmup(steps: 4, startFactor: 0, then: CosineLR(base: 2, totalSteps: 10))
        XCTAssertEqual(warm.learningRate(at: 0), 0, accuracy: 1e-6)
        XCTAssertEqual(warm.learningRate(at: 1), 0.5, accuracy: 1e-6)
        XCTAssertEqual(warm.learningRate(at: 3), 1.5, accuracy: 1e-6)
        XCTAssertEqual(warm.learningRate(at: 4), 2, accuracy: 1e-6)
        XCTAssertEqual(warm.learningRate(at: 9), 1, accuracy: 1e-6)
        XCTAssertEqual(warm.learningRate(at: 14), 0, accuracy: 1e-6)

        let warmStep = LinearWarmup(steps: 2, startFactor: 0.5, then: StepLR(base: 1, stepSize: 3, gamma: 0.1))
        XCTAssertEqual(warmStep.learningRate(at: 1), 0.75, accuracy: 1e-6)
        XCTAssertEqual(warmStep.learningRate(at: 5), 0.1, accuracy: 1e-6)

        let p = param([0])
        let sgd = SGD(parameters: [p], learningRate: 9)
        step.apply(to: sgd, step: 10)
        XCTAssertEqual(sgd.learningRate, 0.05, accuracy: 1e-9)
    }

    func testClipGradientNormScalesAllTogether() {
        let a = param([0, 0]), b = param([0]), c = param([7])
        setGrad(a, [3, 0])
        setGrad(b, [4])
        let norm = clipGradientNorm([a, b, c], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        XCTAssertEqual(Double(a.grad!.toArray()[0]), 0.6, accuracy: 1e-5)
        XCTAssertEqual(Double(b.grad!.toArray()[0]), 0.8, accuracy: 1e-5)
        // Below the limit nothing changes.
        let norm2 = clipGradientNorm([a, b], maxNorm: 10)
        XCTAssertEqual(norm2, 1, accuracy: 1e-5)
        XCTAssertEqual(Double(b.grad!.toArray()[0]), 0.8, accuracy: 1e-5)
    }
}
