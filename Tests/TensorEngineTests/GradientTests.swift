import XCTest
import Foundation
@testable import TensorEngine

/// Every op, finite-difference checked in Float64 (first order) and, where the second derivative exists,
/// through double backward (see `checkGradients`).
final class GradientTests: XCTestCase {
    var rng = RandomGenerator(seed: 7)

    func testBinaryOpsWithBroadcasting() {
        let cases: [(String, (Tensor, Tensor) -> Tensor, (Double, Double) -> Double)] = [
            ("add", { $0 + $1 }, { $0 + $1 }), ("sub", { $0 - $1 }, { $0 - $1 }),
            ("mul", { $0 * $1 }, { $0 * $1 }), ("div", { $0 / $1 }, { $0 / $1 }),
            ("maximum", { maximum($0, $1) }, { max($0, $1) }), ("minimum", { minimum($0, $1) }, { min($0, $1) }),
        ]
        let shapes: [([Int], [Int])] = [([2, 3], [2, 3]), ([2, 3, 4], [3, 1]), ([1, 3, 1], [2, 1, 4]), ([2, 3], []), ([4], [2, 3, 4])]
        for (name, op, ref) in cases {
            for (sa, sb) in shapes {
                let a = randomTensor(sa, &rng), b = randomTensor(sb, &rng, awayFromZero: 0.3)
                checkGradients("\(name) \(sa) \(sb)", [a, b], engine: { op($0[0], $0[1]) }, reference: { Ref.broadcast($0[0], $0[1], ref) })
            }
        }
    }

    func testAddRelu() {
        let a = randomTensor([2, 3, 4], &rng), b = randomTensor([2, 3, 4], &rng)
        // Keep a + b away from the kink too.
        for i in 0..<a.count where abs(a[flat: i] + b[flat: i]) < 0.05 { a[flat: i] += 0.2 }
        checkGradients("addRelu", [a, b], engine: { addRelu($0[0], $0[1]) }, reference: { Ref.broadcast($0[0], $0[1]) { max($0 + $1, 0) } })
    }

    func testScalarOps() {
        let x = randomTensor([3, 4], &rng, awayFromZero: 0.2)
        checkGradients("addScalar", [x], engine: { $0[0] + 2.5 }, reference: { Ref.map($0[0]) { $0 + 2.5 } })
        checkGradients("rsubScalar", [x], engine: { 1 - $0[0] }, reference: { Ref.map($0[0]) { 1 - $0 } })
        checkGradients("mulScalar", [x], engine: { $0[0] * -3 }, reference: { Ref.map($0[0]) { $0 * -3 } })
        checkGradients("scalarDiv", [x], engine: { 2 / $0[0] }, reference: { Ref.map($0[0]) { 2 / $0 } })
        checkGradients("neg", [x], engine: { -$0[0] }, reference: { Ref.map($0[0]) { -$0 } })
    }

    func testUnaryOps() {
        let x = randomTensor([2, 3, 4], &rng, scale: 2, awayFromZero: 0.1)
        let pos = Tensor.uniform([2, 3, 4], low: 0.3, high: 2, rng: &rng, requiresGrad: true)
        checkGradients("relu", [x], engine: { $0[0].relu() }, reference: { Ref.map($0[0]) { max($0, 0) } })
        checkGradients("leakyRelu", [x], engine: { $0[0].leakyRelu(0.2) }, reference: { Ref.map($0[0]) { $0 > 0 ? $0 : 0.2 * $0 } })
        checkGradients("sigmoid", [x], engine: { $0[0].sigmoid() }, reference: { Ref.map($0[0]) { 1 / (1 + Foundation.exp(-$0)) } })
        checkGradients("tanh", [x], engine: { $0[0].tanh() }, reference: { Ref.map($0[0]) { Foundation.tanh($0) } })
        checkGradients("exp", [x], engine: { $0[0].exp() }, reference: { Ref.map($0[0]) { Foundation.exp($0) } })
        checkGradients("log", [pos], engine: { $0[0].log() }, reference: { Ref.map($0[0]) { Foundation.log($0) } })
        checkGradients("sqrt", [pos], engine: { $0[0].sqrt() }, reference: { Ref.map($0[0]) { $0.squareRoot() } })
        checkGradients("square", [x], engine: { $0[0].square() }, reference: { Ref.map($0[0]) { $0 * $0 } })
        checkGradients("pow 2.5", [pos], engine: { $0[0].pow(2.5) }, reference: { Ref.map($0[0]) { Foundation.pow($0, 2.5) } })
        checkGradients("pow -1", [pos], engine: { $0[0].pow(-1) }, reference: { Ref.map($0[0]) { 1 / $0 } })
        checkGradients("abs", [x], engine: { $0[0].abs() }, reference: { Ref.map($0[0]) { Swift.abs($0) } })
        checkGradients("clamp", [x], engine: { $0[0].clamp(min: -0.5, max: 0.75) }, reference: { Ref.map($0[0]) { min(max($0, -0.5), 0.75) } })
        checkGradients("reciprocal", [pos], engine: { $0[0].reciprocal() }, reference: { Ref.map($0[0]) { 1 / $0 } })
    }

    func testReductions() {
        let x = randomTensor([2, 3, 4], &rng)
        for axes in [[0], [1], [2], [0, 2], [0, 1, 2]] {
            for keep in [true, false] {
                checkGradients("sum \(axes) \(keep)", [x], engine: { $0[0].sum(axes: axes, keepDim: keep) },
                               reference: { Ref.reduce($0[0], axes: axes, keepDim: keep, initial: 0, +) })
                let n = Double(axes.reduce(1) { $0 * x.shape[$1] })
                checkGradients("mean \(axes) \(keep)", [x], engine: { $0[0].mean(axes: axes, keepDim: keep) },
                               reference: { Ref.map(Ref.reduce($0[0], axes: axes, keepDim: keep, initial: 0, +)) { $0 / n } })
            }
        }
        // Distinct, well-separated values so a 1e-2 step never changes the arg-max.
        var values: [Float] = (0..<24).map { (i: Int) -> Float in Float(i) * 0.1 - 1.2 }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, rng.int(below: i + 1)) }
        let distinct = Tensor(values, shape: [2, 3, 4], requiresGrad: true)
        for axes in [[1], [2], [0, 2], [0, 1, 2]] {
            checkGradients("max \(axes)", [distinct], engine: { $0[0].max(axes: axes, keepDim: false) },
                           reference: { Ref.reduce($0[0], axes: axes, keepDim: false, initial: -.infinity, max) })
            checkGradients("min \(axes)", [distinct], engine: { $0[0].min(axes: axes, keepDim: true) },
                           reference: { Ref.reduce($0[0], axes: axes, keepDim: true, initial: .infinity, min) })
        }
        checkGradients("sumTo", [x], engine: { sumTo($0[0], [3, 1]) },
                       reference: { let r = Ref.reduce($0[0], axes: [0, 2], keepDim: true, initial: 0, +); return R64([3, 1], r.data) })
    }

    func testMaxTiesSplitGradient() {
        let x = Tensor([1, 3, 3, 2], shape: [4], requiresGrad: true)
        x.max().backward()
        XCTAssertEqual(x.grad!.toArray(), [0, 0.5, 0.5, 0])
    }

    func testShapeOps() {
        let x = randomTensor([2, 3, 4], &rng)
        checkGradients("reshape", [x], engine: { $0[0].reshape([4, -1]) * $0[0].reshape([4, 6]) }, reference: { Ref.map($0[0]) { $0 * $0 }.reshaped([4, 6]) })
        checkGradients("permute", [x], engine: { $0[0].permute([2, 0, 1]) }, reference: { Ref.permute($0[0], [2, 0, 1]) })
        checkGradients("transpose", [x], engine: { $0[0].transpose(0, 2) }, reference: { Ref.permute($0[0], [2, 1, 0]) })
        let b = randomTensor([3, 1], &rng)
        checkGradients("expand", [b], engine: { $0[0].expand([2, 3, 4]) }, reference: { Ref.broadcast($0[0], R64([2, 3, 4], [Double](repeating: 0, count: 24)), { a, _ in a }) })
        checkGradients("slice", [x], engine: { $0[0].slice(axis: 1, start: 1, length: 2) }, reference: { r in
            var d: [Double] = []
            for i in 0..<2 { for j in 1..<3 { for k in 0..<4 { d.append(r[0][i, j, k]) } } }
            return R64([2, 2, 4], d)
        })
        checkGradients("pad", [x], engine: { $0[0].pad(axis: 2, before: 1, after: 2) }, reference: { r in
            var d: [Double] = []
            for i in 0..<2 { for j in 0..<3 { for k in 0..<7 { d.append(k >= 1 && k < 5 ? r[0][i, j, k - 1] : 0) } } }
            return R64([2, 3, 7], d)
        })
        let y = randomTensor([2, 1, 4], &rng)
        checkGradients("concat", [x, y], engine: { concat([$0[0], $0[1]], axis: 1) }, reference: { r in
            var d: [Double] = []
            for i in 0..<2 { for j in 0..<4 { for k in 0..<4 { d.append(j < 3 ? r[0][i, j, k] : r[1][i, 0, k]) } } }
            return R64([2, 4, 4], d)
        })
        checkGradients("flatten", [x], engine: { $0[0].flatten(from: 1).square() }, reference: { Ref.map($0[0]) { $0 * $0 }.reshaped([2, 12]) })
    }

    func testMatmulAndLinear() {
        let a = randomTensor([3, 4], &rng), b = randomTensor([4, 5], &rng)
        checkGradients("matmul", [a, b], engine: { matmul($0[0], $0[1]) }, reference: { Ref.matmul($0[0], $0[1]) })
        let at = randomTensor([4, 3], &rng), bt = randomTensor([5, 4], &rng)
        checkGradients("matmul tA tB", [at, bt], engine: { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
                       reference: { Ref.matmul(Ref.permute($0[0], [1, 0]), Ref.permute($0[1], [1, 0])) })
        let a3 = randomTensor([2, 3, 4], &rng), b3 = randomTensor([2, 4, 2], &rng)
        checkGradients("batched matmul", [a3, b3], engine: { matmul($0[0], $0[1]) }, reference: { r in
            var d: [Double] = []
            for i in 0..<2 {
                let ai = R64([3, 4], Array(r[0].data[(i * 12)..<(i * 12 + 12)])), bi = R64([4, 2], Array(r[1].data[(i * 8)..<(i * 8 + 8)]))
                d += Ref.matmul(ai, bi).data
            }
            return R64([2, 3, 2], d)
        })
        checkGradients("matmul 3D x 2D", [a3, b], engine: { matmul($0[0], $0[1]) }, reference: { r in
            R64([2, 3, 5], Ref.matmul(R64([6, 4], r[0].data), r[1]).data)
        })
        let x = randomTensor([3, 4], &rng), w = randomTensor([2, 4], &rng), bias = randomTensor([2], &rng)
        checkGradients("linear", [x, w, bias], engine: { linear($0[0], weight: $0[1], bias: $0[2]) }, reference: { r in
            Ref.broadcast(Ref.matmul(r[0], Ref.permute(r[1], [1, 0])), r[2], +)
        })
    }

    func testConv2d() {
        let configs: [(String, [Int], [Int], (Int, Int), (Int, Int), (Int, Int))] = [
            ("3x3 s1 p1", [2, 2, 5, 5], [3, 2, 3, 3], (1, 1), (1, 1), (1, 1)),
            ("3x3 s2 p1", [2, 2, 6, 5], [3, 2, 3, 3], (2, 2), (1, 1), (1, 1)),
            ("3x2 s(2,1) p(0,1) d(1,2)", [1, 2, 6, 6], [2, 2, 3, 2], (2, 1), (0, 1), (1, 2)),
            ("dilated 3x3 d2 p2", [2, 1, 7, 7], [2, 1, 3, 3], (1, 1), (2, 2), (2, 2)),
            ("1x1 pointwise", [2, 3, 4, 4], [4, 3, 1, 1], (1, 1), (0, 0), (1, 1)),
            ("1x1 stride 2", [2, 3, 5, 5], [2, 3, 1, 1], (2, 2), (0, 0), (1, 1)),
            ("7x7 s2 p3", [1, 1, 9, 9], [2, 1, 7, 7], (2, 2), (3, 3), (1, 1)),
        ]
        // One thread: im2col and GEMM parallel inside; two: images split between workers (batch parallelism).
        let saved = Engine.threads
        defer { Engine.threads = saved }
        for threads in [1, 2] { Engine.threads = threads; for (name, xs, ws, s, p, d) in configs {
            let x = randomTensor(xs, &rng), w = randomTensor(ws, &rng, scale: 0.5), b = randomTensor([ws[0]], &rng)
            checkGradients("conv2d \(name) threads \(threads)", [x, w, b],
                           engine: { conv2d($0[0], weight: $0[1], bias: $0[2], stride: Size2(s.0, s.1), padding: Size2(p.0, p.1), dilation: Size2(d.0, d.1)) },
                           reference: { Ref.conv2d($0[0], $0[1], $0[2], stride: s, padding: p, dilation: d) })
        } }
    }

    func testConv2dBatchFoldedGemm() {
        // 8 images of 3×3 output fold into one GEMM (imagesPerGemm > 1): checks the fold/unfold copies.
        let x = randomTensor([8, 2, 3, 3], &rng), w = randomTensor([3, 2, 3, 3], &rng, scale: 0.5)
        XCTAssertGreaterThan(ConvGeometry(n: 8, c: 2, h: 3, w: 3, cout: 3, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, oh: 3, ow: 3).imagesPerGemm, 1)
        checkGradients("conv2d folded", [x, w], engine: { conv2d($0[0], weight: $0[1], padding: 1) },
                       reference: { Ref.conv2d($0[0], $0[1], nil, stride: (1, 1), padding: (1, 1), dilation: (1, 1)) })
        let x1 = randomTensor([8, 3, 2, 2], &rng), w1 = randomTensor([2, 3, 1, 1], &rng)
        checkGradients("conv2d 1x1 folded", [x1, w1], engine: { conv2d($0[0], weight: $0[1]) },
                       reference: { Ref.conv2d($0[0], $0[1], nil, stride: (1, 1), padding: (0, 0), dilation: (1, 1)) })
    }

    func testConv2dWinogradPathsMatchIm2colToSecondOrder() {
        // ≥ 16 channels in and out: the forward and the input gradient run by Winograd (either tile). The
        // im2col kernels are checked against finite differences above; here the Winograd paths must equal
        // them in first and second order (a gradient penalty, as AFL's critic takes: ∂/∂w ‖∂L/∂x‖²).
        let saved = (Engine.winograd, WinogradTile.forced)
        defer { Engine.winograd = saved.0; WinogradTile.forced = saved.1 }
        let x = randomTensor([2, 16, 7, 6], &rng), w = randomTensor([16, 16, 3, 3], &rng, scale: 0.3)
        func run() -> (gx: [Float], gw: [Float]) {
            let y = conv2d(x, weight: w, padding: 1)
            let gx = grad(of: [(y * y).sum()], wrt: [x], createGraph: true)[0]
            let gw = grad(of: [(gx * gx).sum()], wrt: [w])[0]
            return (gx.toArray(), gw.toArray())
        }
        Engine.winograd = false
        let reference = run()
        Engine.winograd = true
        for tile in [WinogradTile.f2, .f4] {
            WinogradTile.forced = tile
            let r = run()
            for (u, v) in zip(r.gx, reference.gx) { XCTAssertEqual(u, v, accuracy: 5e-4 * max(1, abs(v)), "\(tile) ∂L/∂x") }
            for (u, v) in zip(r.gw, reference.gw) { XCTAssertEqual(u, v, accuracy: 2e-3 * max(1, abs(v)), "\(tile) ∂‖∂L/∂x‖²/∂w") }
        }
    }

    func testConvTranspose2d() {
        for (s, p, op, d) in [(1, 0, 0, 1), (2, 1, 1, 1), (2, 0, 0, 2)] {
            let x = randomTensor([2, 3, 3, 3], &rng), w = randomTensor([3, 2, 3, 3], &rng, scale: 0.5), b = randomTensor([2], &rng)
            checkGradients("convTranspose2d s\(s) p\(p) op\(op) d\(d)", [x, w, b],
                           engine: { convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: Size2(s, s), padding: Size2(p, p), outputPadding: Size2(op, op), dilation: Size2(d, d)) },
                           reference: { r in
                               let y = Ref.convTranspose2d(r[0], r[1], stride: s, padding: p, outputPadding: op, dilation: d)
                               return Ref.broadcast(y, R64([1, 2, 1, 1], r[2].data), +)
                           })
        }
    }

    func testBatchNorm() {
        let x = randomTensor([3, 2, 2, 3], &rng, scale: 2), gamma = randomTensor([2], &rng), beta = randomTensor([2], &rng)
        checkGradients("batchNorm2d train", [x, gamma, beta], gradTolerance: 3e-3,
                       engine: { batchNorm2d($0[0], gamma: $0[1], beta: $0[2], runningMean: nil, runningVar: nil, training: true) },
                       reference: { Ref.batchNormTrain($0[0], $0[1], $0[2], eps: 1e-5).y })
        checkGradients("batchNorm2d train, no affine", [x], gradTolerance: 3e-3,
                       engine: { batchNorm2d($0[0], gamma: nil, beta: nil, runningMean: nil, runningVar: nil, training: true) },
                       reference: { Ref.batchNormTrain($0[0], nil, nil, eps: 1e-5).y })
        let rm = Tensor([0.3, -0.2], shape: [2]), rv = Tensor([1.5, 0.7], shape: [2])
        checkGradients("batchNorm2d eval", [x, gamma, beta],
                       engine: { batchNorm2d($0[0], gamma: $0[1], beta: $0[2], runningMean: rm, runningVar: rv, training: false) },
                       reference: { Ref.batchNormEval($0[0], $0[1], $0[2], mean: [0.3, -0.2], variance: [1.5, 0.7], eps: 1e-5) })
        let x2 = randomTensor([4, 3], &rng)
        checkGradients("batchNorm2d train on NC", [x2], gradTolerance: 3e-3,
                       engine: { batchNorm2d($0[0], gamma: nil, beta: nil, runningMean: nil, runningVar: nil, training: true) },
                       reference: { R64([4, 3], Ref.batchNormTrain(R64([4, 3, 1, 1], $0[0].data), nil, nil, eps: 1e-5).y.data) })
    }

    func testMaxPoolAndUpsample() {
        var values: [Float] = (0..<100).map { (i: Int) -> Float in Float(i) * 0.05 - 2.5 }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, rng.int(below: i + 1)) }
        let x = Tensor(values, shape: [2, 2, 5, 5], requiresGrad: true)
        for (k, s, p) in [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 1, 0)] {
            checkGradients("maxPool2d k\(k) s\(s) p\(p)", [x], engine: { maxPool2d($0[0], kernel: Size2(k, k), stride: Size2(s, s), padding: Size2(p, p)) },
                           reference: { Ref.maxPool($0[0], kernel: k, stride: s, padding: p) })
        }
        let u = randomTensor([2, 3, 2, 3], &rng)
        for f in [2, 3] {
            checkGradients("upsampleNearest2d x\(f)", [u], engine: { upsampleNearest2d($0[0], factor: f).square() },
                           reference: { Ref.map(Ref.upsample($0[0], f)) { $0 * $0 } })
        }
    }

    func testSelectAndFusedConv() {
        let a = randomTensor([2, 3], &rng), b = randomTensor([2, 3], &rng)
        let mask = Tensor([1, 0, 1, 0, 0, 1], shape: [2, 3])
        checkGradients("select", [a, b], engine: { select(mask, $0[0], $0[1]) }, reference: { r in
            R64([2, 3], (0..<6).map { mask[flat: $0] == 1 ? r[0].data[$0] : r[1].data[$0] })
        })
        // Recording a graph, conv2dFused is conv2d + activation: check it differentiates like one.
        let x = randomTensor([2, 2, 4, 4], &rng), w = randomTensor([3, 2, 3, 3], &rng, scale: 0.5), bias = randomTensor([3], &rng)
        checkGradients("conv2dFused (recording)", [x, w, bias], secondOrder: false,
                       engine: { conv2dFused($0[0], weight: $0[1], bias: $0[2], padding: 1, activation: .leakyRelu(0.2)) },
                       reference: { Ref.map(Ref.conv2d($0[0], $0[1], $0[2], stride: (1, 1), padding: (1, 1), dilation: (1, 1))) { $0 > 0 ? $0 : 0.2 * $0 } })
    }
}

extension R64 {
    func reshaped(_ s: [Int]) -> R64 { R64(s, data) }
}
