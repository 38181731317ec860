import XCTest
import Foundation
@testable import TensorEngine

/// Forward values on fixed inputs against Float64 direct loops (Ref.*), including the configurations the
/// detector uses and the code paths the engine picks by size (batch folding, pointwise GEMM).
final class ParityTests: XCTestCase {
    /// Deterministic, irregular values without any RNG: entries of sin over a non-integer grid.
    func fixed(_ shape: [Int], phase: Double = 0, scale: Double = 1) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor((0..<n).map { Float(scale * sin(Double($0) * 0.731 + phase)) }, shape: shape)
    }

    func assertClose(_ t: Tensor, _ r: R64, tol: Double = 1e-4, _ msg: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(t.shape, r.shape, msg, file: file, line: line)
        guard t.shape == r.shape else { return }
        var worst = 0.0
        for i in 0..<t.count { worst = max(worst, abs(Double(t[flat: i]) - r.data[i])) }
        let scale = max(1, r.data.map(abs).max() ?? 1)
        XCTAssertLessThanOrEqual(worst, tol * scale, "\(msg): max abs error \(worst)", file: file, line: line)
    }

    func testConv2dMatchesDirectLoops() {
        let cases: [(String, [Int], [Int], (Int, Int), (Int, Int), (Int, Int), Bool)] = [
            ("stem 7x7/2 p3", [2, 1, 20, 18], [4, 1, 7, 7], (2, 2), (3, 3), (1, 1), false),
            ("3x3 p1", [3, 4, 9, 9], [5, 4, 3, 3], (1, 1), (1, 1), (1, 1), true),
            ("3x3 s2 p1 batch-folded", [8, 3, 6, 6], [4, 3, 3, 3], (2, 2), (1, 1), (1, 1), true),
            ("dilation 2 p2", [2, 2, 11, 10], [3, 2, 3, 3], (1, 1), (2, 2), (2, 2), false),
            ("asymmetric 2x4 s(1,3) p(1,0) d(2,1)", [2, 3, 9, 13], [2, 3, 2, 4], (1, 3), (1, 0), (2, 1), true),
            ("1x1 pointwise", [2, 6, 40, 40], [3, 6, 1, 1], (1, 1), (0, 0), (1, 1), true),
            ("1x1 pointwise batch-folded", [8, 6, 4, 4], [3, 6, 1, 1], (1, 1), (0, 0), (1, 1), true),
            ("1x1 stride 2", [2, 4, 7, 7], [3, 4, 1, 1], (2, 2), (0, 0), (1, 1), false),
        ]
        for (name, xs, ws, s, p, d, useBias) in cases {
            let x = fixed(xs), w = fixed(ws, phase: 1.3, scale: 0.3), b = fixed([ws[0]], phase: 2.1)
            let y = conv2d(x, weight: w, bias: useBias ? b : nil, stride: Size2(s.0, s.1), padding: Size2(p.0, p.1), dilation: Size2(d.0, d.1))
            assertClose(y, Ref.conv2d(R64(x), R64(w), useBias ? R64(b) : nil, stride: s, padding: p, dilation: d), "conv2d \(name)")
        }
    }

    func testConvSchedulesAgree() {
        // Batch 1 with two threads splits output rows between workers; batch 8 hands images out dynamically;
        // one thread runs everything in order. All must equal the direct loops.
        let saved = Engine.threads
        defer { Engine.threads = saved }
        for threads in [1, 2] {
            Engine.threads = threads
            for (xs, act) in [([1, 3, 20, 17], Activation.relu), ([8, 3, 9, 9], Activation.leakyRelu(0.1))] {
                let x = fixed(xs), w = fixed([5, 3, 3, 3], phase: 0.7, scale: 0.4), b = fixed([5], phase: 0.1)
                let y = withNoGrad { conv2dFused(x, weight: w, bias: b, stride: 1, padding: 1, activation: act) }
                let ref = Ref.conv2d(R64(x), R64(w), R64(b), stride: (1, 1), padding: (1, 1), dilation: (1, 1))
                let slope = act == .relu ? 0.0 : 0.1
                assertClose(y, Ref.map(ref) { $0 > 0 ? $0 : slope * $0 }, "conv schedule \(xs) threads \(threads)")
            }
        }
    }

    func testWinogradMatchesDirectLoops() {
        let saved = (Engine.winograd, Engine.threads, WinogradTile.forced)
        defer { Engine.winograd = saved.0; Engine.threads = saved.1; WinogradTile.forced = saved.2 }
        Engine.winograd = true
        // Odd and even sizes (partial tiles and partial groups of four tiles), paddings 0–2, batch folding,
        // batch 1, with and without bias/activation, on one and two threads, with both tile sizes.
        let cases: [([Int], Int, Int, Bool, Activation)] = [
            ([2, 16, 8, 8], 16, 1, true, .relu), ([1, 17, 9, 7], 16, 1, false, .none), ([3, 16, 7, 13], 16, 0, true, .leakyRelu(0.2)),
            ([8, 16, 4, 4], 24, 2, true, .none), ([1, 16, 13, 10], 16, 1, true, .relu), ([2, 16, 21, 18], 20, 1, true, .none),
        ]
        for tile in [WinogradTile.f2, .f4] {
            WinogradTile.forced = tile
            for threads in [1, 2] {
                Engine.threads = threads
                for (xs, cout, pad, useBias, act) in cases {
                    let x = fixed(xs), w = fixed([cout, xs[1], 3, 3], phase: 0.3, scale: 0.2), b = fixed([cout], phase: 1.9)
                    let g = convGeometry(xs, w.shape, stride: 1, padding: Size2(pad, pad), dilation: 1, op: "test")
                    XCTAssertTrue(g.winogradEligible)
                    let y = withNoGrad { conv2dFused(x, weight: w, bias: useBias ? b : nil, padding: Size2(pad, pad), activation: act) }
                    let ref = Ref.conv2d(R64(x), R64(w), useBias ? R64(b) : nil, stride: (1, 1), padding: (pad, pad), dilation: (1, 1))
                    let slope: Double
                    switch act { case .none: slope = 1; case .relu: slope = 0; case .leakyRelu(let s): slope = Double(s) }
                    // F(4×4)'s transforms have larger coefficients (up to 8 and 1/24), so it rounds a little more.
                    assertClose(y, Ref.map(ref) { $0 > 0 ? $0 : slope * $0 }, tol: tile == .f2 ? 2e-5 : 6e-5,
                                "winograd \(tile) \(xs) cout \(cout) pad \(pad) threads \(threads)")
                }
            }
        }
    }

    /// The training graph runs Winograd for the forward pass and (as the convolution of gy with the rotated,

    /// The direct kernels (layers with ≤ 4 input channels, such as a grayscale stem; forward and weight
    /// gradient) on every vector width this CPU runs: strides 1–3, square and oblong kernels, widths that leave a partial pixel block,
    /// channel counts that leave a partial register block, every activation, one and two threads.
    func testDirectConvolutionMatchesDirectLoops() {
        let saved = (Engine.directConvolution, Engine.threads, DirectConvISA.forced)
        defer { Engine.directConvolution = saved.0; Engine.threads = saved.1; DirectConvISA.forced = saved.2 }
        Engine.directConvolution = true
        // (input, weight, stride, padding, activation)
        let cases: [([Int], [Int], Int, Size2, Activation)] = [
            ([2, 1, 23, 19], [64, 1, 7, 7], 2, 3, .relu), ([1, 3, 17, 40], [13, 3, 5, 5], 1, 2, .none),
            ([2, 2, 12, 12], [5, 2, 3, 3], 3, 1, .leakyRelu(0.2)), ([1, 4, 9, 70], [9, 4, 3, 3], 2, 0, .leakyRelu(3)),
            ([1, 2, 10, 11], [6, 2, 3, 5], 1, Size2(1, 2), .relu), ([1, 1, 5, 6], [4, 1, 7, 7], 2, 3, .none),
        ]
        for isa in [VectorISA.baseline, .avx2, .avx512] where isa <= .cpu {
            DirectConvISA.forced = isa
            for threads in [1, 2] {
                Engine.threads = threads
                for (xs, ws, stride, pad, act) in cases {
                    let x = fixed(xs), w = fixed(ws, phase: 0.3, scale: 0.3), b = fixed([ws[0]], phase: 1.9)
                    let g = convGeometry(xs, ws, stride: Size2(stride, stride), padding: pad, dilation: 1, op: "test")
                    XCTAssertTrue(g.directEligible)
                    let y = withNoGrad { conv2dFused(x, weight: w, bias: b, stride: Size2(stride, stride), padding: pad, activation: act) }
                    let ref = Ref.conv2d(R64(x), R64(w), R64(b), stride: (stride, stride), padding: (pad.h, pad.w), dilation: (1, 1))
                    let slope: Double
                    switch act { case .none: slope = 1; case .relu: slope = 0; case .leakyRelu(let s): slope = Double(s) }
                    assertClose(y, Ref.map(ref) { $0 > 0 ? $0 : slope * $0 }, tol: 1e-5,
                                "direct \(isa) \(xs) \(ws) stride \(stride) pad \(pad) \(act) threads \(threads)")
                    let gy = fixed(g.outputShape, phase: 0.7)
                    let dw = conv2dWeightGradKernel(x, gy, g)
                    assertClose(dw, Ref.conv2dWeightGrad(R64(x), R64(gy), kernel: (ws[2], ws[3]), stride: stride, padding: (pad.h, pad.w)),
                                tol: 1e-5, "direct weight grad \(isa) \(xs) \(ws) stride \(stride) pad \(pad) threads \(threads)")
                    // Threads split output channels, never images: the same sums in the same order.
                    if threads == 2 {
                        Engine.threads = 1
                        XCTAssertEqual(conv2dWeightGradKernel(x, gy, g).toArray(), dw.toArray(), "direct weight grad 1 vs 2 threads")
                        Engine.threads = 2
                    }
                }
            }
        }
    }

    /// Weight gradients whose columns are built channels-last (≥ 32 channels, planes ≤ 32 wide) and by NCHW
    /// im2col both equal Float64 loops: strides 1 and 2, 3×3 and 5×5, batch folding, one and two threads.
    func testChannelsLastWeightGradientMatchesDirectLoops() {
        let saved = (Engine.channelsLastColumns, Engine.threads, WinogradTile.forced)
        defer { Engine.channelsLastColumns = saved.0; Engine.threads = saved.1; WinogradTile.forced = saved.2 }
        WinogradTile.forced = .f2  // so no stride-1 case takes the F(4×4) weight gradient
        // (input, cout, kernel, stride, padding)
        let cases: [([Int], Int, Int, Int, Int)] = [
            ([2, 32, 9, 11], 8, 3, 1, 1), ([3, 40, 12, 12], 6, 3, 2, 1), ([1, 32, 7, 6], 5, 5, 1, 2), ([4, 33, 5, 5], 4, 3, 2, 0),
        ]
        for channelsLast in [true, false] {
            Engine.channelsLastColumns = channelsLast
            for threads in [1, 2] {
                Engine.threads = threads
                for (xs, cout, k, stride, pad) in cases {
                    let g = convGeometry(xs, [cout, xs[1], k, k], stride: Size2(stride, stride), padding: Size2(pad, pad),
                                         dilation: 1, op: "test")
                    XCTAssertTrue(g.channelsLastColumns)
                    let x = fixed(xs), gy = fixed(g.outputShape, phase: 0.7)
                    let dw = conv2dWeightGradKernel(x, gy, g)
                    let ref = Ref.conv2dWeightGrad(R64(x), R64(gy), kernel: (k, k), stride: stride, padding: (pad, pad))
                    assertClose(dw, ref, tol: 2e-5, "channels-last \(channelsLast) \(xs) k\(k) s\(stride) p\(pad) threads \(threads)")
                }
            }
        }
    }

    /// An inference layer passes the same `PreparedFilters` on every call: each tile's filter transform is
    /// computed once, kept, and gives exactly what the unprepared call computes.
    func testPreparedFiltersAreKeptPerTileAndChangeNothing() {
        let saved = (Engine.winograd, WinogradTile.forced)
        defer { Engine.winograd = saved.0; WinogradTile.forced = saved.1 }
        Engine.winograd = true
        let w = fixed([24, 16, 3, 3], phase: 0.3, scale: 0.2), b = fixed([24], phase: 1.9)
        let prepared = PreparedFilters()
        XCTAssertEqual(prepared.bytes, 0)
        for (tile, floats) in [(WinogradTile.f4, 36 * 24 * 16), (.f2, (36 + 16) * 24 * 16)] {
            WinogradTile.forced = tile
            for phase in [0.0, 1.3] {
                let x = fixed([2, 16, 11, 9], phase: phase)
                let plain = withNoGrad { conv2dFused(x, weight: w, bias: b, padding: 1) }
                let kept = withNoGrad { conv2dFused(x, weight: w, bias: b, padding: 1, prepared: prepared) }
                XCTAssertEqual(kept.toArray(), plain.toArray(), "\(tile), input phase \(phase)")
                XCTAssertEqual(prepared.bytes, 4 * floats, "\(tile): one transform per tile, none per call")
            }
        }
    }
    /// transposed filters) for the input gradient; both must equal the im2col kernels, for both tiles.
    func testWinogradForwardAndInputGradientMatchIm2col() {
        let saved = (Engine.winograd, WinogradTile.forced)
        defer { Engine.winograd = saved.0; WinogradTile.forced = saved.1 }
        var rng = RandomGenerator(seed: 8)
        for (xs, cout, pad) in [([2, 16, 5, 6], 16, 1), ([3, 16, 14, 11], 24, 0), ([1, 24, 9, 12], 16, 2)] {
            let x = randomTensor(xs, &rng), w = randomTensor([cout, xs[1], 3, 3], &rng, scale: 0.3)
            func run(_ on: Bool) -> (y: [Float], gx: [Float], gw: [Float]) {
                Engine.winograd = on
                x.zeroGrad(); w.zeroGrad()
                let y = conv2d(x, weight: w, padding: Size2(pad, pad))
                (y * y).sum().backward()
                return (y.toArray(), x.grad!.toArray(), w.grad!.toArray())
            }
            let reference = run(false)
            for tile in [WinogradTile.f2, .f4] {
                WinogradTile.forced = tile
                let a = run(true)
                for (u, v) in zip(a.y, reference.y) { XCTAssertEqual(u, v, accuracy: 1e-4 * max(1, abs(v)), "\(tile) \(xs) y") }
                for (u, v) in zip(a.gx, reference.gx) { XCTAssertEqual(u, v, accuracy: 5e-4 * max(1, abs(v)), "\(tile) \(xs) dx") }
                for (u, v) in zip(a.gw, reference.gw) { XCTAssertEqual(u, v, accuracy: 1e-3 * max(1, abs(v)), "\(tile) \(xs) dw") }
            }
        }
    }

    func testWorkerPoolVisitsEveryIndexOnce() {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        Engine.threads = 2
        let n = 100_003
        let hits = Tensor.zeros([n])
        let p = hits.data
        for _ in 0..<50 { parallelFor(n, grain: 1_000) { r in for i in r { p[i] += 1 } } }
        XCTAssertEqual(hits.min().scalar, 50)
        XCTAssertEqual(hits.max().scalar, 50)
        var seen = [Int](repeating: 0, count: 37)
        seen.withUnsafeMutableBufferPointer { sb in
            let q = sb.baseAddress!
            parallelRegion(iterations: 37, concurrent: true) { i in q[i] += 1 }
        }
        XCTAssertEqual(seen, [Int](repeating: 1, count: 37))
    }

    func testConvTransposeAndFusedMatchDirectLoops() {
        let x = fixed([2, 3, 5, 4]), w = fixed([3, 2, 3, 3], phase: 0.4, scale: 0.5)
        let y = convTranspose2d(x, weight: w, stride: 2, padding: 1, outputPadding: 1)
        assertClose(y, Ref.convTranspose2d(R64(x), R64(w), stride: 2, padding: 1, outputPadding: 1, dilation: 1), "convTranspose2d")

        // Fused conv + folded BN + ReLU equals conv → BN(eval) → ReLU.
        let xi = fixed([2, 3, 8, 8]), wi = fixed([4, 3, 3, 3], phase: 0.2, scale: 0.4)
        let gamma = fixed([4], phase: 0.5), beta = fixed([4], phase: 0.9)
        let rm = fixed([4], phase: 1.7, scale: 0.2), rv = Tensor([0.5, 1.2, 2.0, 0.9], shape: [4])
        let (fw, fb) = foldBatchNorm(weight: wi, bias: nil, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv)
        let fused = withNoGrad { conv2dFused(xi, weight: fw, bias: fb, stride: 2, padding: 1, activation: .relu) }
        let conv = Ref.conv2d(R64(xi), R64(wi), nil, stride: (2, 2), padding: (1, 1), dilation: (1, 1))
        let bn = Ref.batchNormEval(conv, R64(gamma), R64(beta), mean: R64(rm).data, variance: R64(rv).data, eps: 1e-5)
        assertClose(fused, Ref.map(bn) { max($0, 0) }, "conv2dFused + foldBatchNorm")
    }

    func testBatchNormTrainAndEvalWithRunningStats() {
        let c = 3
        let gamma = fixed([c], phase: 0.3), beta = fixed([c], phase: 1.1)
        let rm = Tensor(zeros: [c]), rv = Tensor.ones([c])
        var refMean = [Double](repeating: 0, count: c), refVar = [Double](repeating: 1, count: c)
        let momentum = 0.1
        // Two training steps with different batches (with an offset per channel, to exercise the two-pass variance).
        for step in 0..<2 {
            let x = fixed([4, c, 5, 6], phase: Double(step), scale: 3) + Tensor([10, -4, 0.5], shape: [1, c, 1, 1])
            let y = batchNorm2d(x, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv, training: true, momentum: Float(momentum))
            let ref = Ref.batchNormTrain(R64(x), R64(gamma), R64(beta), eps: 1e-5)
            assertClose(y, ref.y, tol: 2e-4, "batchNorm2d train step \(step)")
            for ch in 0..<c {
                refMean[ch] = (1 - momentum) * refMean[ch] + momentum * ref.mean[ch]
                refVar[ch] = (1 - momentum) * refVar[ch] + momentum * ref.unbiasedVar[ch]
            }
            for ch in 0..<c {
                XCTAssertEqual(Double(rm[flat: ch]), refMean[ch], accuracy: 1e-4, "running mean step \(step) channel \(ch)")
                XCTAssertEqual(Double(rv[flat: ch]), refVar[ch], accuracy: 1e-4 * max(1, refVar[ch]), "running var step \(step) channel \(ch)")
            }
        }
        let x = fixed([2, c, 4, 4], phase: 5)
        let y = withNoGrad { batchNorm2d(x, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv, training: false) }
        assertClose(y, Ref.batchNormEval(R64(x), R64(gamma), R64(beta), mean: refMean, variance: refVar, eps: 1e-5), "batchNorm2d eval")
        // Eval must not move the running statistics.
        XCTAssertEqual(Double(rm[flat: 0]), refMean[0], accuracy: 1e-4)
        // The recording eval path (composite ops) gives the same values.
        gamma.requiresGrad = true
        let yRec = batchNorm2d(x, gamma: gamma, beta: beta, runningMean: rm, runningVar: rv, training: false)
        assertClose(yRec, R64(y), tol: 1e-5, "batchNorm2d eval, recording")
    }

    func testMaxPoolMatchesDirectLoops() {
        for (k, s, p) in [(3, 2, 1), (2, 2, 0), (3, 1, 1), (3, 3, 0)] {
            let x = fixed([2, 3, 11, 10], phase: Double(k))
            let ref = Ref.maxPool(R64(x), kernel: k, stride: s, padding: p)
            // Recorded (with source indices for backward) and inference (values only) are separate kernels.
            let xg = Tensor(x.toArray(), shape: x.shape, requiresGrad: true)
            let y = maxPool2d(xg, kernel: Size2(k, k), stride: Size2(s, s), padding: Size2(p, p))
            assertClose(y, ref, tol: 0, "maxPool2d k\(k) s\(s) p\(p)")
            let yi = withNoGrad { maxPool2d(x, kernel: Size2(k, k), stride: Size2(s, s), padding: Size2(p, p)) }
            assertClose(yi, ref, tol: 0, "maxPool2d inference k\(k) s\(s) p\(p)")
        }
        // A NaN wins every window it is in, whatever comes after it in the window, on both paths.
        let x = Tensor([1, .nan, 3, 4, 5, 6, 7, 8, 9], shape: [1, 1, 3, 3], requiresGrad: true)
        for recorded in [true, false] {
            let y = recorded ? maxPool2d(x, kernel: 2, stride: 1) : withNoGrad { maxPool2d(x, kernel: 2, stride: 1) }
            let v = y.toArray()
            XCTAssertTrue(v[0].isNaN && v[1].isNaN, "recorded \(recorded): \(v)")
            XCTAssertEqual(v[2], 8, "recorded \(recorded)")
            XCTAssertEqual(v[3], 9, "recorded \(recorded)")
        }
    }

    func testUpsampleAndConcatValues() {
        let x = Tensor([1, 2, 3, 4], shape: [1, 1, 2, 2])
        XCTAssertEqual(upsampleNearest2d(x, factor: 2).toArray(), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        let a = Tensor([1, 2, 3, 4], shape: [2, 2]), b = Tensor([5, 6], shape: [2, 1])
        XCTAssertEqual(concat([a, b], axis: 1).toArray(), [1, 2, 5, 3, 4, 6])
        XCTAssertEqual(a.permute([1, 0]).toArray(), [1, 3, 2, 4])
        XCTAssertEqual(Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]).slice(axis: 1, start: 1, length: 2).toArray(), [2, 3, 5, 6])
    }

    /// The engine's own kernels (reductions, batch norm, element-wise, im2col) give bit-identical results for
    /// any thread count; OpenBLAS's SGEMM may round differently with a different thread count, so a whole
    /// convolution is only required to repeat exactly at a fixed thread count.
    func testDeterminismAcrossThreadCounts() {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        var rng = RandomGenerator(seed: 99)
        let x = Tensor.randn([4, 8, 33, 31], rng: &rng), w = Tensor.randn([6, 8, 3, 3], rng: &rng)
        func ownKernels(_ t: Tensor) -> [Float] {
            let bn = batchNorm2d(t, gamma: nil, beta: nil, runningMean: nil, runningVar: nil, training: true)
            return bn.sum(axes: [0, 2, 3]).toArray() + t.sum(axes: [1]).toArray() + [bn.relu().mean().scalar, bn.max().scalar]
                + maxPool2d(t, kernel: 3, stride: 2, padding: 1).toArray() + (t * t + 1).sqrt().toArray()
        }
        Engine.threads = 1
        let one = ownKernels(x)
        let conv1 = conv2d(x, weight: w, padding: 1).toArray()
        Engine.threads = 2
        XCTAssertEqual(one, ownKernels(x))
        let conv2a = conv2d(x, weight: w, padding: 1).toArray(), conv2b = conv2d(x, weight: w, padding: 1).toArray()
        XCTAssertEqual(conv2a, conv2b)
        XCTAssertEqual(conv1.count, conv2a.count)
        for i in conv1.indices { XCTAssertEqual(conv1[i], conv2a[i], accuracy: 1e-4 * max(1, abs(conv1[i]))) }
        // Same seed, same initial values.
        var r1 = RandomGenerator(seed: 42), r2 = RandomGenerator(seed: 42), r3 = RandomGenerator(seed: 43)
        let a = Tensor.kaimingNormal([8, 4, 3, 3], rng: &r1).toArray()
        XCTAssertEqual(a, Tensor.kaimingNormal([8, 4, 3, 3], rng: &r2).toArray())
        XCTAssertNotEqual(a, Tensor.kaimingNormal([8, 4, 3, 3], rng: &r3).toArray())
    }
}
