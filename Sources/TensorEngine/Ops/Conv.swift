// 2-D convolution (groups = 1). Each kernel picks its algorithm from the geometry: Winograd for 3×3
// stride-1 layers with ≥ 16 channels (Winograd.swift, Winograd4.swift), the direct kernel for layers with
// ≤ 4 input channels (DirectConv.swift), else im2col + SGEMM with the batch folded into the GEMM for small
// planes (channels-last columns for the weight gradient on planes ≤ 32 wide, Im2col.swift).
//
// Three kernels close under differentiation, which is what makes double backward work:
//   y  = conv(x, w)                 vjp: dx = convInputGrad(g, w),  dw = convWeightGrad(x, g)
//   dx = convInputGrad(gy, w)       vjp: d gy = conv(G, w),         dw = convWeightGrad(G, gy)
//   dw = convWeightGrad(x, gy)      vjp: dx = convInputGrad(gy, G), d gy = conv(x, G)
// convInputGrad is the transposed convolution.

/// A (height, width) pair; an integer literal means the same value for both.
public struct Size2: Equatable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    public var h: Int, w: Int
    public init(_ h: Int, _ w: Int) { self.h = h; self.w = w }
    public init(integerLiteral v: Int) { h = v; w = v }
    public var description: String { h == w ? "\(h)" : "(\(h), \(w))" }
}

/// Element-wise activation applied inside the fused inference convolution.
public enum Activation: Equatable {
    case none, relu
    case leakyRelu(Float)
}

// MARK: kernels

/// Adds bias and applies the activation to `count` output planes of `plane` pixels in place.
func convEpilogue(_ y: UnsafeMutablePointer<Float>, planes: Int, plane: Int, channels: Int,
                  bias: UnsafePointer<Float>?, activation: Activation) {
    if bias == nil && activation == .none { return }
    parallelItems(planes, costPerItem: plane) { ps in
        for p in ps {
            let b = bias?[p % channels] ?? 0
            let d = y + p * plane
            switch activation {
            case .none: for i in 0..<plane { d[i] += b }
            case .relu: for i in 0..<plane { let v = d[i] + b; d[i] = v > 0 ? v : 0 }
            case .leakyRelu(let s): for i in 0..<plane { let v = d[i] + b; d[i] = v > 0 ? v : v * s }
            }
        }
    }
}

/// How a convolution's batch is cut into GEMMs and spread over threads.
struct ConvSchedule {
    let group: Int     // images per GEMM
    let groups: Int
    let workers: Int   // > 1: workers take disjoint image ranges with single-threaded BLAS
    /// One pointwise image per GEMM: the tensors themselves are the GEMM's operands, with no column buffer.
    let inPlace: Bool

    init(_ g: ConvGeometry, imagesPerGemm: Int? = nil) {
        let threads = Engine.threads
        var group = imagesPerGemm ?? g.imagesPerGemm
        // Batch parallelism: give every thread whole images when the batch allows it.
        if threads > 1 && g.n >= threads { group = min(group, (g.n + threads - 1) / threads) }
        self.group = group
        groups = (g.n + group - 1) / group
        workers = threads > 1 && groups >= threads ? threads : 1
        inPlace = g.isPointwise && group == 1
    }

    /// Group indices owned by `worker`.
    func groups(of worker: Int) -> Range<Int> {
        let per = (groups + workers - 1) / workers
        return min(groups, worker * per)..<min(groups, (worker + 1) * per)
    }
}

func conv2dForwardKernel(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ g: ConvGeometry, activation: Activation = .none,
                         prepared: PreparedFilters? = nil) -> Tensor {
    LayerProfiler.kernel(g.kernelKind("forward"), flops: g.denseFLOPs) {
        convForward(x, w, bias: bias, g, activation: activation, prepared: prepared)
    }
}

private func convForward(_ x: Tensor, _ w: Tensor, bias: Tensor?, _ g: ConvGeometry, activation: Activation,
                         prepared: PreparedFilters?) -> Tensor {
    let y = Tensor(uninitialized: g.outputShape)
    let plan = ConvSchedule(g)
    let xd = x.data, wd = w.data, yd = y.data
    if Engine.winograd && g.winogradEligible {
        winogradConv(xd, wd, yd, g, bias: bias?.data, activation: activation, prepared: prepared)
        return y
    }
    if Engine.directConvolution && g.directEligible {
        directConv(xd, wd, yd, g, bias: bias?.data, activation: activation)
        return y
    }
    if plan.workers == 1 && Engine.threads > 1 && plan.inPlace && g.ohw >= 64 * Engine.threads {
        // One pointwise image per GEMM with fewer images than threads: split the pixels (GEMM columns)
        // between workers, each on single-threaded BLAS (OpenBLAS's own threads spin between calls and
        // compete with the engine's workers).
        let chunks = 2 * Engine.threads, per = (g.ohw + chunks - 1) / chunks
        parallelRegion(iterations: g.n * chunks, concurrent: true) { t in
            let n = t / chunks, c0 = (t % chunks) * per, cols = min(g.ohw, c0 + per) - c0
            guard cols > 0 else { return }
            let out = yd + n * g.cout * g.ohw + c0
            sgemm(transA: false, transB: false, m: g.cout, n: cols, k: g.c, a: wd, lda: g.c, b: xd + n * g.c * g.hw + c0, ldb: g.hw,
                  beta: 0, c: out, ldc: g.ohw)
            for co in 0..<g.cout {
                convEpilogue(out + co * g.ohw, planes: 1, plane: cols, channels: 1, bias: bias.map { $0.data + co }, activation: activation)
            }
        }
        return y
    }
    if plan.workers == 1 && Engine.threads > 1 && !plan.inPlace && g.oh >= 2 * Engine.threads {
        // Fewer images than threads (batch-1 inference): split each image's output rows between workers.
        let chunks = min(g.oh, 4 * Engine.threads), rowsPer = (g.oh + chunks - 1) / chunks
        let tasks = (g.oh + rowsPer - 1) / rowsPer
        parallelRegion(iterations: g.n * tasks, concurrent: true) { t in
            let n = t / tasks, r0 = (t % tasks) * rowsPer, r1 = min(g.oh, r0 + rowsPer)
            let cols = (r1 - r0) * g.ow
            let col = TensorStorage(uninitializedCount: g.ckk * cols)
            im2col(xd + n * g.c * g.hw, col.pointer, ld: cols, g, outputRows: r0..<r1)
            let out = yd + n * g.cout * g.ohw + r0 * g.ow
            sgemm(transA: false, transB: false, m: g.cout, n: cols, k: g.ckk, a: wd, lda: g.ckk, b: col.pointer, ldb: cols, beta: 0, c: out, ldc: g.ohw)
            for co in 0..<g.cout {
                convEpilogue(out + co * g.ohw, planes: 1, plane: cols, channels: 1, bias: bias.map { $0.data + co }, activation: activation)
            }
        }
        return y
    }
    // Images are independent here, so groups are handed out dynamically: a worker slowed down by another
    // process on the machine simply takes fewer of them.
    parallelRegion(iterations: plan.groups, concurrent: plan.workers > 1) { gi in
        let n0 = gi * plan.group, cnt = min(plan.group, g.n - n0), ld = cnt * g.ohw
        let col = plan.inPlace ? nil : TensorStorage(uninitializedCount: g.ckk * ld)
        let folded = cnt > 1 ? TensorStorage(uninitializedCount: g.cout * ld) : nil
        let b = inputPanel(xd, col: col?.pointer, n0: n0, count: cnt, ld: ld, inPlace: plan.inPlace, g)
        let out = cnt == 1 ? yd + n0 * g.cout * g.ohw : folded!.pointer
        sgemm(transA: false, transB: false, m: g.cout, n: ld, k: g.ckk, a: wd, lda: g.ckk, b: b, ldb: ld, beta: 0, c: out, ldc: ld)
        if cnt > 1 { unfoldBatch(folded!.pointer, yd, n0: n0, count: cnt, rows: g.cout, plane: g.ohw) }
        // Bias and activation while the block is still in cache.
        convEpilogue(yd + n0 * g.cout * g.ohw, planes: cnt * g.cout, plane: g.ohw, channels: g.cout, bias: bias?.data, activation: activation)
    }
    return y
}

/// A Winograd convolution over the whole batch, in the schedule's image groups, with the tile chosen for
/// the group size. With `prepared`, the filter transform is taken from (or kept in) it.
private func winogradConv(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, rotated: Bool = false, _ y: UnsafeMutablePointer<Float>,
                          _ g: ConvGeometry, bias: UnsafePointer<Float>?, activation: Activation, prepared: PreparedFilters? = nil) {
    let plan = ConvSchedule(g, imagesPerGemm: WinogradTile.imagesPerGemm(g))
    let tile = WinogradTile.choose(g, imagesPerGemm: plan.group)
    let u = prepared.map { p in p.winograd(tile) { winogradFilterTransform(tile, w, g, rotated: rotated) } }
        ?? winogradFilterTransform(tile, w, g, rotated: rotated)
    parallelRegion(iterations: plan.groups, concurrent: plan.workers > 1) { gi in
        let n0 = gi * plan.group, count = min(plan.group, g.n - n0)
        if tile == .f4 {
            winograd4ConvImages(x, u.pointer, y, n0: n0, count: count, g, bias: bias, activation: activation)
        } else {
            winogradConvImages(x, u.pointer, y, n0: n0, count: count, g, bias: bias, activation: activation)
        }
    }
}

/// dx = Wᵀ·gy, folded back with col2im (the transposed convolution of gy). Images are independent, so
/// groups are scheduled dynamically as in the forward pass.
func conv2dInputGradKernel(_ gy: Tensor, _ w: Tensor, _ g: ConvGeometry) -> Tensor {
    LayerProfiler.kernel(g.kernelKind("input grad"), flops: g.denseFLOPs) { convInputGrad(gy, w, g) }
}

private func convInputGrad(_ gy: Tensor, _ w: Tensor, _ g: ConvGeometry) -> Tensor {
    if Engine.winograd, let t = g.inputGradientAsConvolution, t.winogradEligible {
        // Winograd on the equivalent convolution: 2.25× fewer multiplies, and no column buffer or col2im.
        let dx = Tensor(uninitialized: g.inputShape)
        winogradConv(gy.data, w.data, rotated: true, dx.data, t, bias: nil, activation: .none)
        return dx
    }
    let plan = ConvSchedule(g)
    let dx = g.isPointwise ? Tensor(uninitialized: g.inputShape) : Tensor(zeros: g.inputShape)
    let gd = gy.data, wd = w.data, xd = dx.data
    parallelRegion(iterations: plan.groups, concurrent: plan.workers > 1) { gi in
        let n0 = gi * plan.group, cnt = min(plan.group, g.n - n0), ld = cnt * g.ohw
        let col = plan.inPlace ? nil : TensorStorage(uninitializedCount: g.ckk * ld)
        let folded = cnt > 1 ? TensorStorage(uninitializedCount: g.cout * ld) : nil
        let src: UnsafeMutablePointer<Float>
        if cnt == 1 { src = gd + n0 * g.cout * g.ohw } else {
            foldBatch(gd, folded!.pointer, n0: n0, count: cnt, rows: g.cout, plane: g.ohw)
            src = folded!.pointer
        }
        let dst = plan.inPlace ? xd + n0 * g.c * g.hw : col!.pointer
        sgemm(transA: true, transB: false, m: g.ckk, n: ld, k: g.cout, a: wd, lda: g.ckk, b: src, ldb: ld, beta: 0, c: dst, ldc: ld)
        if plan.inPlace { return }
        if g.isPointwise {
            unfoldBatch(col!.pointer, xd, n0: n0, count: cnt, rows: g.c, plane: g.hw)
        } else {
            for i in 0..<cnt { col2im(col!.pointer + i * g.ohw, ld: ld, xd + (n0 + i) * g.c * g.hw, g) }
        }
    }
    return dx
}

/// dw = Σₙ gyₙ·colₙᵀ, accumulated by the GEMM itself (beta = 1 after a worker's first group). With several
/// workers each sums its own images into a private buffer; the partial sums are then added in worker order,
/// so the result is deterministic for a given thread count.
func conv2dWeightGradKernel(_ x: Tensor, _ gy: Tensor, _ g: ConvGeometry) -> Tensor {
    LayerProfiler.kernel(g.kernelKind("weight grad"), flops: g.denseFLOPs) { convWeightGrad(x, gy, g) }
}

private func convWeightGrad(_ x: Tensor, _ gy: Tensor, _ g: ConvGeometry) -> Tensor {
    if Engine.winograd && g.winogradEligible {
        let plan = ConvSchedule(g, imagesPerGemm: WinogradTile.imagesPerGemm(g))
        if WinogradTile.choose(g, imagesPerGemm: plan.group) == .f4 { return winograd4WeightGradient(x.data, gy.data, g, plan) }
    }
    if Engine.directConvolution && g.directEligible { return directConvWeightGradient(x.data, gy.data, g) }
    let plan = ConvSchedule(g)
    // Channels-last columns give dw in [cout][kh][kw][c] order; it is permuted back at the end.
    let lastColumns = Engine.channelsLastColumns && g.channelsLastColumns
    let dw = Tensor(uninitialized: g.weightShape)
    let partials = (1..<max(plan.workers, 1)).map { _ in TensorStorage(uninitializedCount: dw.count) }
    let xd = x.data, gd = gy.data
    var written = [Bool](repeating: false, count: max(plan.workers, 1))
    written.withUnsafeMutableBufferPointer { wb in
        let wrote = wb.baseAddress!
        parallelRegion(iterations: plan.workers, concurrent: plan.workers > 1) { worker in
            let acc = worker == 0 ? dw.data : partials[worker - 1].pointer
            let col = plan.inPlace ? nil : TensorStorage(uninitializedCount: g.ckk * plan.group * g.ohw)
            let folded = plan.group > 1 ? TensorStorage(uninitializedCount: g.cout * plan.group * g.ohw) : nil
            var first = true
            let padded = lastColumns ? TensorStorage(uninitializedCount: g.paddedHW.h * g.paddedHW.w * g.c) : nil
            for gi in plan.groups(of: worker) {
                let n0 = gi * plan.group, cnt = min(plan.group, g.n - n0), ld = cnt * g.ohw
                let src: UnsafeMutablePointer<Float>
                if cnt == 1 { src = gd + n0 * g.cout * g.ohw } else {
                    foldBatch(gd, folded!.pointer, n0: n0, count: cnt, rows: g.cout, plane: g.ohw)
                    src = folded!.pointer
                }
                if let padded {
                    channelsLastPanel(xd, n0: n0, count: cnt, g, padded: padded.pointer, into: col!.pointer)
                    sgemm(transA: false, transB: false, m: g.cout, n: g.ckk, k: ld, a: src, lda: ld,
                          b: col!.pointer, ldb: g.ckk, beta: first ? 0 : 1, c: acc, ldc: g.ckk)
                } else {
                    let b = inputPanel(xd, col: col?.pointer, n0: n0, count: cnt, ld: ld, inPlace: plan.inPlace, g)
                    sgemm(transA: false, transB: true, m: g.cout, n: g.ckk, k: ld, a: src, lda: ld,
                          b: b, ldb: ld, beta: first ? 0 : 1, c: acc, ldc: g.ckk)
                }
                first = false
            }
            wrote[worker] = !first
        }
    }
    if !written[0] { dw.data.update(repeating: 0, count: dw.count) }
    for (i, p) in partials.enumerated() where written[i + 1] { addInPlace(dw.data, p.pointer, count: dw.count) }
    guard lastColumns else { return dw }
    let out = Tensor(uninitialized: g.weightShape)
    permuteFiltersChannelsLast(dw.data, out.data, g, inverse: true)
    return out
}

// MARK: recorded ops (forward/backward pairs)

func conv2dOp(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry) -> Tensor {
    let y = conv2dForwardKernel(x, w, bias: bias, g)
    let inputs = bias.map { [x, w, $0] } ?? [x, w]
    return record(y, "conv2d", inputs) { gy, _ in
        var grads: [Tensor?] = [x.requiresGrad ? conv2dInputGradOp(gy, w, g) : nil,
                                w.requiresGrad ? conv2dWeightGradOp(x, gy, g) : nil]
        if let bias { grads.append(bias.requiresGrad ? gy.sum(axes: [0, 2, 3]) : nil) }
        return grads
    }
}

func conv2dInputGradOp(_ gy: Tensor, _ w: Tensor, _ g: ConvGeometry) -> Tensor {
    record(conv2dInputGradKernel(gy, w, g), "conv2dInputGrad", [gy, w]) { gg, _ in
        [gy.requiresGrad ? conv2dOp(gg, w, nil, g) : nil,
         w.requiresGrad ? conv2dWeightGradOp(gg, gy, g) : nil]
    }
}

func conv2dWeightGradOp(_ x: Tensor, _ gy: Tensor, _ g: ConvGeometry) -> Tensor {
    record(conv2dWeightGradKernel(x, gy, g), "conv2dWeightGrad", [x, gy]) { gg, _ in
        [x.requiresGrad ? conv2dInputGradOp(gy, gg, g) : nil,
         gy.requiresGrad ? conv2dOp(x, gg, nil, g) : nil]
    }
}

func convGeometry(_ x: [Int], _ w: [Int], stride: Size2, padding: Size2, dilation: Size2, op: String) -> ConvGeometry {
    let y = checked { try Shapes.conv2d(input: x, weight: w, stride: (stride.h, stride.w), padding: (padding.h, padding.w),
                                        dilation: (dilation.h, dilation.w), op: op) }
    return ConvGeometry(n: x[0], c: x[1], h: x[2], w: x[3], cout: w[0], kh: w[2], kw: w[3],
                        sh: stride.h, sw: stride.w, ph: padding.h, pw: padding.w, dh: dilation.h, dw: dilation.w,
                        oh: y[2], ow: y[3])
}

// MARK: public API

/// 2-D cross-correlation (PyTorch's conv2d, groups = 1). x: [N, C, H, W], weight: [Cout, C, kH, kW],
/// bias: [Cout].
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2 = 1, padding: Size2 = 0, dilation: Size2 = 1) -> Tensor {
    let g = convGeometry(x.shape, weight.shape, stride: stride, padding: padding, dilation: dilation, op: "conv2d")
    if let bias { precondition(bias.shape == [g.cout], "conv2d: bias \(bias.shape) does not match weight \(weight.shape)") }
    return conv2dOp(x, weight, bias, g)
}

/// Transposed convolution (PyTorch's conv_transpose2d, groups = 1). x: [N, Cin, H, W], weight:
/// [Cin, Cout, kH, kW]. It is the input-gradient of conv2d, so it shares its kernels and derivatives.
public func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2 = 1, padding: Size2 = 0,
                            outputPadding: Size2 = 0, dilation: Size2 = 1) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[0],
                 "convTranspose2d: input \(x.shape) and weight \(weight.shape) must be 4-D with input channels = weight.shape[0]")
    let oh = (x.shape[2] - 1) * stride.h - 2 * padding.h + dilation.h * (weight.shape[2] - 1) + outputPadding.h + 1
    let ow = (x.shape[3] - 1) * stride.w - 2 * padding.w + dilation.w * (weight.shape[3] - 1) + outputPadding.w + 1
    precondition(oh > 0 && ow > 0, "convTranspose2d: input \(x.shape) and weight \(weight.shape) give an empty output")
    precondition(outputPadding.h < max(stride.h, dilation.h) && outputPadding.w < max(stride.w, dilation.w),
                 "convTranspose2d: outputPadding \(outputPadding) must be smaller than stride or dilation")
    let g = convGeometry([x.shape[0], weight.shape[1], oh, ow], weight.shape, stride: stride, padding: padding,
                         dilation: dilation, op: "convTranspose2d")
    precondition(g.oh == x.shape[2] && g.ow == x.shape[3], "convTranspose2d: inconsistent geometry for input \(x.shape), weight \(weight.shape)")
    let y = conv2dInputGradOp(x, weight, g)
    guard let bias else { return y }
    precondition(bias.shape == [g.c], "convTranspose2d: bias \(bias.shape) does not match weight \(weight.shape)")
    return y + bias.reshape([1, g.c, 1, 1])
}

/// Inference convolution with bias and activation fused into the GEMM's output pass. Pair it with
/// `foldBatchNorm` to run conv+BN+ReLU as one op. When a graph is being recorded it falls back to the
/// separate differentiable ops, so it is always safe to call. A caller whose weights stay constant passes
/// the same `prepared` on every call, so filter transforms are computed once.
public func conv2dFused(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Size2 = 1, padding: Size2 = 0,
                        dilation: Size2 = 1, activation: Activation = .relu, prepared: PreparedFilters? = nil) -> Tensor {
    let g = convGeometry(x.shape, weight.shape, stride: stride, padding: padding, dilation: dilation, op: "conv2dFused")
    if let bias { precondition(bias.shape == [g.cout], "conv2dFused: bias \(bias.shape) does not match weight \(weight.shape)") }
    if willRecord(x, weight) || (bias?.requiresGrad ?? false) && GradMode.isEnabled {
        let y = conv2dOp(x, weight, bias, g)
        switch activation {
        case .none: return y
        case .relu: return y.relu()
        case .leakyRelu(let s): return y.leakyRelu(s)
        }
    }
    return conv2dForwardKernel(x, weight, bias: bias, g, activation: activation, prepared: prepared)
}

/// Folds an inference batch norm into the preceding conv: w' = w·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β.
public func foldBatchNorm(weight: Tensor, bias: Tensor?, gamma: Tensor?, beta: Tensor?, runningMean: Tensor,
                          runningVar: Tensor, eps: Float = 1e-5) -> (weight: Tensor, bias: Tensor) {
    let cout = weight.shape[0]
    precondition(runningMean.shape == [cout] && runningVar.shape == [cout],
                 "foldBatchNorm: running stats \(runningMean.shape), \(runningVar.shape) do not match weight \(weight.shape)")
    let w = weight.copy(), b = Tensor(zeros: [cout])
    let per = weight.count / max(cout, 1)
    for c in 0..<cout {
        let scale = (gamma?.data[c] ?? 1) / (runningVar.data[c] + eps).squareRoot()
        for i in 0..<per { w.data[c * per + i] *= scale }
        b.data[c] = ((bias?.data[c] ?? 0) - runningMean.data[c]) * scale + (beta?.data[c] ?? 0)
    }
    return (w, b)
}

/// Channels-last columns of images n0..<n0+count, pixel-major ([count·ohw][kh][kw][c]), built through the
/// caller's zero-bordered channels-last scratch image.
private func channelsLastPanel(_ xd: UnsafeMutablePointer<Float>, n0: Int, count: Int, _ g: ConvGeometry,
                               padded: UnsafeMutablePointer<Float>, into col: UnsafeMutablePointer<Float>) {
    for i in 0..<count {
        channelsLastPadded(xd + (n0 + i) * g.c * g.hw, g, into: padded)
        im2colChannelsLast(padded, col + i * g.ohw * g.ckk, ld: g.ckk, g)
    }
}

/// The GEMM's input panel for images n0..<n0+count: the input itself when one pointwise image needs no
/// copy, the images' planes side by side for a pointwise conv, else their im2col columns.
@inline(__always)
private func inputPanel(_ xd: UnsafeMutablePointer<Float>, col: UnsafeMutablePointer<Float>?, n0: Int, count: Int,
                        ld: Int, inPlace: Bool, _ g: ConvGeometry) -> UnsafeMutablePointer<Float> {
    if inPlace { return xd + n0 * g.c * g.hw }
    if g.isPointwise {
        foldBatch(xd, col!, n0: n0, count: count, rows: g.c, plane: g.hw)
    } else {
        for i in 0..<count { im2col(xd + (n0 + i) * g.c * g.hw, col! + i * g.ohw, ld: ld, g) }
    }
    return col!
}
