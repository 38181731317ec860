import XCTest
import Foundation
@testable import TensorEngine

/// Autograd semantics: no-grad mode, accumulation, graph freeing, grad(of:wrt:), error messages, RNG.
final class AutogradTests: XCTestCase {
    func testNoGradRecordsNothing() {
        let w = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let y = withNoGrad { (w * w).sum() }
        XCTAssertNil(y.gradFn)
        XCTAssertFalse(y.requiresGrad)
        XCTAssertFalse(GradMode.isEnabled == false, "mode must be restored after withNoGrad")
        let nested = withNoGrad { withGrad { (w * 2).sum() } }
        XCTAssertNotNil(nested.gradFn, "withGrad inside withNoGrad records again")
        let recorded = (w * w).sum()
        XCTAssertEqual(recorded.gradFn?.name, "sum")
        XCTAssertTrue(recorded.requiresGrad)
        // Inputs that do not require grad record nothing either.
        let c = Tensor([1, 2], shape: [2])
        XCTAssertNil((c * c).gradFn)
    }

    func testGradientsAccumulateAcrossBackwardCalls() {
        let w = Tensor([1, -2, 3], shape: [3], requiresGrad: true)
        (w * w).sum().backward()
        XCTAssertEqual(w.grad!.toArray(), [2, -4, 6])
        (w * 3).sum().backward()
        XCTAssertEqual(w.grad!.toArray(), [5, -1, 9])
        w.zeroGrad()
        XCTAssertNil(w.grad)
        w.sum().backward()
        XCTAssertEqual(w.grad!.toArray(), [1, 1, 1])
    }

    func testSharedGradientIsNotAliased() {
        // add passes the same upstream gradient to both operands; accumulating into one must not change the other.
        let a = Tensor([1, 2], shape: [2], requiresGrad: true), b = Tensor([3, 4], shape: [2], requiresGrad: true)
        (a + b).sum().backward()
        (a * 5).sum().backward()
        XCTAssertEqual(a.grad!.toArray(), [6, 6])
        XCTAssertEqual(b.grad!.toArray(), [1, 1])
    }

    func testDiamondGraphSumsBothPaths() {
        let x = Tensor([0.5, -1.5], shape: [2], requiresGrad: true)
        let h = x.exp()
        let y = (h * h + h.sigmoid()).sum()
        y.backward()
        for i in 0..<2 {
            let e = exp(Double(x[flat: i])), s = 1 / (1 + exp(-e))
            XCTAssertEqual(Double(x.grad![flat: i]), (2 * e + s * (1 - s)) * e, accuracy: 1e-5)
        }
    }

    func testGraphIsFreedUnlessRetained() {
        let w = Tensor([1, 2], shape: [2], requiresGrad: true)
        let y = (w * w).sum()
        y.backward(retainGraph: true)
        y.backward()
        XCTAssertEqual(w.grad!.toArray(), [4, 8])
        XCTAssertEqual(y.gradFn?.isReleased, true, "saved tensors are dropped after a non-retained backward")
    }

    func testGradOfWrtDoesNotTouchDotGradAndPrunes() {
        let x = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let w = Tensor([0.5, -1, 2], shape: [3], requiresGrad: true)
        let unrelated = Tensor([1], shape: [1], requiresGrad: true)
        let y = (x * w).sum()
        let gs = grad(of: [y], wrt: [x, unrelated])
        XCTAssertEqual(gs[0].toArray(), [0.5, -1, 2])
        XCTAssertEqual(gs[1].toArray(), [0], "an input the output does not depend on gets zeros")
        XCTAssertNil(x.grad); XCTAssertNil(w.grad)
        XCTAssertNil(gs[0].gradFn, "without createGraph the gradient carries no graph")
        // With createGraph: d/dx of Σ (∂y/∂x)² where y = Σ x³ → ∂y/∂x = 3x², Σ 9x⁴ → 36x³.
        let y3 = x.pow(3).sum()
        let g = grad(of: y3, wrt: x, createGraph: true)
        XCTAssertNotNil(g.gradFn)
        g.square().sum().backward()
        XCTAssertEqual(x.grad!.toArray(), [36, 288, 972])
    }

    func testGradOutputsWeightNonScalarOutputs() {
        let x = Tensor([1, 2], shape: [2], requiresGrad: true)
        let y = x * x
        let g = grad(of: [y], wrt: [x], gradOutputs: [Tensor([3, -1], shape: [2])])[0]
        XCTAssertEqual(g.toArray(), [6, -4])
    }

    func testShapeErrorsNameOpAndBothShapes() {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch { return "\(error)" }
        }
        let add = message { try Shapes.broadcast([2, 3], [4, 3], op: "add") }
        XCTAssertTrue(add.hasPrefix("add:") && add.contains("[2, 3]") && add.contains("[4, 3]"), add)
        let mm = message { try Shapes.matmul([2, 3], [4, 5]) }
        XCTAssertTrue(mm.hasPrefix("matmul:") && mm.contains("[2, 3]") && mm.contains("[4, 5]"), mm)
        let conv = message { try Shapes.conv2d(input: [1, 3, 8, 8], weight: [4, 2, 3, 3], stride: (1, 1), padding: (0, 0), dilation: (1, 1)) }
        XCTAssertTrue(conv.hasPrefix("conv2d:") && conv.contains("[1, 3, 8, 8]") && conv.contains("[4, 2, 3, 3]"), conv)
        let small = message { try Shapes.conv2d(input: [1, 1, 2, 2], weight: [1, 1, 3, 3], stride: (1, 1), padding: (0, 0), dilation: (1, 1)) }
        XCTAssertTrue(small.contains("[1, 1, 2, 2]") && small.contains("[1, 1, 3, 3]"), small)
        let cat = message { try Shapes.concat([[2, 3], [3, 3]], axis: 1) }
        XCTAssertTrue(cat.hasPrefix("concat:") && cat.contains("[2, 3]") && cat.contains("[3, 3]"), cat)
        let rs = message { try Shapes.reshape([2, 3], [4, 2]) }
        XCTAssertTrue(rs.hasPrefix("reshape:") && rs.contains("[2, 3]") && rs.contains("[4, 2]"), rs)
        XCTAssertEqual(message { try Shapes.broadcast([2, 1, 3], [4, 3], op: "mul") }, "", "valid shapes do not throw")
        XCTAssertEqual(try Shapes.broadcast([2, 1, 3], [4, 3], op: "mul"), [2, 4, 3])
    }

    func testRandomGeneratorStatistics() {
        var rng = RandomGenerator(seed: 1)
        let n = 20_000
        var s = 0.0, q = 0.0, u = 0.0
        for _ in 0..<n { let v = Double(rng.normal()); s += v; q += v * v; u += Double(rng.uniform()) }
        XCTAssertEqual(s / Double(n), 0, accuracy: 0.03)
        XCTAssertEqual(q / Double(n), 1, accuracy: 0.04)
        XCTAssertEqual(u / Double(n), 0.5, accuracy: 0.01)
        var counts = [Int](repeating: 0, count: 5)
        for _ in 0..<5000 { counts[rng.int(below: 5)] += 1 }
        XCTAssertTrue(counts.allSatisfy { $0 > 900 && $0 < 1100 }, "\(counts)")
        let k = Tensor.kaimingUniform([64, 32, 3, 3], rng: &rng)
        let bound = Float((6.0 / Double(32 * 9)).squareRoot())
        XCTAssertLessThanOrEqual(k.abs().max().scalar, bound)
        XCTAssertGreaterThan(k.abs().max().scalar, 0.95 * bound)
    }

    func testThreadsSetting() {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        Engine.threads = 1
        XCTAssertEqual(Engine.threads, 1)
        Engine.threads = 0
        XCTAssertEqual(Engine.threads, 1, "clamped to at least one thread")
    }
}

final class ThreadingTests: XCTestCase {
    func testGradModeIsPerThread() {
        let w = Tensor([1, 2], shape: [2], requiresGrad: true)
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread {
            withNoGrad {
                entered.signal()
                release.wait()
            }
            done.signal()
        }.start()
        entered.wait()
        // The other thread is inside withNoGrad right now; this thread still records.
        XCTAssertTrue(GradMode.isEnabled)
        XCTAssertNotNil((w * w).sum().gradFn)
        release.signal()
        done.wait()
    }

    func testOpsFromTwoThreadsAtOnce() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.randn([4, 3, 12, 12], rng: &rng), w = Tensor.randn([5, 3, 3, 3], rng: &rng)
        let expected = conv2d(x, weight: w, padding: 1).relu().sum(axes: [0, 2, 3]).toArray()
        final class Box: @unchecked Sendable { var value: [Float] = [] }
        let other = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            for _ in 0..<20 { other.value = conv2d(x, weight: w, padding: 1).relu().sum(axes: [0, 2, 3]).toArray() }
            done.signal()
        }.start()
        for _ in 0..<20 { XCTAssertEqual(conv2d(x, weight: w, padding: 1).relu().sum(axes: [0, 2, 3]).toArray(), expected) }
        done.wait()
        XCTAssertEqual(other.value, expected)
    }
}
