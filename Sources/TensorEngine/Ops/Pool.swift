// Max pooling, nearest upsampling and their adjoints. Max pooling records which input each output took;
// its vjp scatters into those positions (scatterAdd) and scatterAdd's vjp gathers from them, so the pair
// is closed for double backward. Nearest upsampling and block summation are each other's adjoints.

/// Flat indices into a tensor, shared by a gather and its scatter.
final class IndexMap {
    let indices: [Int32]
    let sourceShape: [Int]
    init(_ indices: [Int32], sourceShape: [Int]) { self.indices = indices; self.sourceShape = sourceShape }
}

// MARK: forward/backward pairs

func gatherForward(_ x: Tensor, _ map: IndexMap, shape: [Int]) -> Tensor {
    let out = Tensor(uninitialized: shape)
    let src = x.data, dst = out.data
    map.indices.withUnsafeBufferPointer { idx in
        let ip = idx.baseAddress!
        parallelFor(out.count) { r in for i in r { dst[i] = src[Int(ip[i])] } }
    }
    return out
}

/// Adds g[i] into out[index[i]]. Sequential: several outputs may share an index (overlapping windows),
/// and a fixed order keeps the sums deterministic.
func scatterAddForward(_ g: Tensor, _ map: IndexMap) -> Tensor {
    let out = Tensor(zeros: map.sourceShape)
    let src = g.data, dst = out.data
    map.indices.withUnsafeBufferPointer { idx in
        for i in 0..<g.count { dst[Int(idx[i])] += src[i] }
    }
    return out
}

func gatherOp(_ x: Tensor, _ map: IndexMap, shape: [Int]) -> Tensor {
    record(gatherForward(x, map, shape: shape), "gather", [x]) { g, _ in [scatterAddOp(g, map)] }
}

func scatterAddOp(_ g: Tensor, _ map: IndexMap) -> Tensor {
    let outShape = g.shape
    return record(scatterAddForward(g, map), "scatterAdd", [g]) { gg, _ in [gatherOp(gg, map, shape: outShape)] }
}

/// Max pooling with -∞ padding. `withIndices` records each output's source (flat index into x) for the
/// backward scatter; inference skips that bookkeeping. NaN wins a window, as in PyTorch.
func maxPoolForward(_ x: Tensor, kernel: Size2, stride: Size2, padding: Size2, withIndices: Bool) -> (Tensor, IndexMap?) {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let kh = kernel.h, kw = kernel.w, sh = stride.h, sw = stride.w, ph = padding.h, pw = padding.w
    let oh = Shapes.convOutput(h, kernel: kh, stride: sh, padding: ph, dilation: 1)
    let ow = Shapes.convOutput(w, kernel: kw, stride: sw, padding: pw, dilation: 1)
    let out = Tensor(uninitialized: [n, c, oh, ow])
    if !withIndices {
        maxPoolValues(x.data, out.data, planes: n * c, h: h, w: w, oh: oh, ow: ow, kh: kh, kw: kw, sh: sh, sw: sw, ph: ph, pw: pw)
        return (out, nil)
    }
    var indices = [Int32](repeating: 0, count: out.count)
    let src = x.data, dst = out.data
    indices.withUnsafeMutableBufferPointer { ib in
        let ip = ib.baseAddress!
        parallelItems(n * c, costPerItem: oh * ow * kh * kw) { planes in
            for p in planes {
                let plane = src + p * h * w
                // `!(v <= best)` takes a NaN but lets a later value replace it; keeping the NaN costs a
                // branch per element (3× the time), so planes are checked first: a NaN makes the sum NaN.
                if sumContiguous(plane, h * w).isNaN {
                    maxPoolPlaneWithIndices(plane, p, nanWins: true)
                } else {
                    maxPoolPlaneWithIndices(plane, p, nanWins: false)
                }
            }
        }
        @inline(__always) func maxPoolPlaneWithIndices(_ plane: UnsafePointer<Float>, _ p: Int, nanWins: Bool) {
            let base = p * h * w
            for oy in 0..<oh {
                let y0 = oy * sh - ph
                let ys = Swift.max(y0, 0), ye = Swift.min(y0 + kh, h)
                let o = dst + (p * oh + oy) * ow
                for ox in 0..<ow {
                    let x0 = ox * sw - pw
                    let xs = Swift.max(x0, 0), xe = Swift.min(x0 + kw, w)
                    var best = -Float.infinity, bestIdx = ys * w + xs
                    for iy in ys..<ye {
                        let row = plane + iy * w
                        for ix in xs..<xe {
                            let v = row[ix]
                            if nanWins ? (v > best || v != v) && best == best : !(v <= best) { best = v; bestIdx = iy * w + ix }
                        }
                    }
                    o[ox] = best
                    ip[(p * oh + oy) * ow + ox] = Int32(base + bestIdx)
                }
            }
        }
    }
    return (out, IndexMap(indices, sourceShape: x.shape))
}

/// max(a, b), NaN if either is NaN.
@inline(__always) private func nanMax(_ a: Float, _ b: Float) -> Float { (a > b || a != a) ? a : b }

/// Max pooling without indices (inference), in two passes per output row that read memory in order: the
/// maximum down the window's rows for every column, into a row padded with −∞, then across each window.
private func maxPoolValues(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, planes: Int, h: Int, w: Int,
                           oh: Int, ow: Int, kh: Int, kw: Int, sh: Int, sw: Int, ph: Int, pw: Int) {
    let padded = (ow - 1) * sw + kw  // columns −pw ..< padded − pw
    parallelItems(planes, costPerItem: oh * (padded * kh + ow * kw)) { range in
        let column = UnsafeMutablePointer<Float>.allocate(capacity: padded)
        defer { column.deallocate() }
        column.initialize(repeating: -.infinity, count: padded)
        let inside = min(w, padded - pw)
        for p in range {
            let plane = src + p * h * w
            for oy in 0..<oh {
                let y0 = oy * sh - ph, ys = max(y0, 0), ye = min(y0 + kh, h)
                let m = column + pw
                (m).update(from: plane + ys * w, count: inside)
                for iy in (ys + 1)..<max(ye, ys + 1) {
                    let row = plane + iy * w
                    for x in 0..<inside { m[x] = nanMax(row[x], m[x]) }
                }
                let o = dst + (p * oh + oy) * ow
                for ox in 0..<ow {
                    let win = column + ox * sw
                    var best = win[0]
                    for k in 1..<max(kw, 1) { best = nanMax(win[k], best) }
                    o[ox] = best
                }
            }
        }
    }
}

func upsampleNearestForward(_ x: Tensor, _ f: Int) -> Tensor {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let out = Tensor(uninitialized: [n, c, h * f, w * f])
    let src = x.data, dst = out.data
    let ow = w * f
    parallelItems(n * c * h, costPerItem: f * ow) { rows in
        for r in rows {
            let s = src + r * w
            let d0 = dst + r * f * ow
            for ix in 0..<w { let v = s[ix]; for j in 0..<f { d0[ix * f + j] = v } }
            for i in 1..<Swift.max(f, 1) { (d0 + i * ow).update(from: d0, count: ow) }
        }
    }
    return out
}

/// Sums each f×f block: the adjoint of nearest upsampling.
func blockSumForward(_ g: Tensor, _ f: Int) -> Tensor {
    let n = g.shape[0], c = g.shape[1], h = g.shape[2] / f, w = g.shape[3] / f
    let out = Tensor(uninitialized: [n, c, h, w])
    let src = g.data, dst = out.data
    let gw = w * f
    parallelItems(n * c * h, costPerItem: f * gw) { rows in
        for r in rows {
            let d = dst + r * w
            for ix in 0..<w { d[ix] = 0 }
            for i in 0..<f {
                let s = src + (r * f + i) * gw
                for ix in 0..<w { var acc: Float = 0; for j in 0..<f { acc += s[ix * f + j] }; d[ix] += acc }
            }
        }
    }
    return out
}

func upsampleOp(_ x: Tensor, _ f: Int) -> Tensor {
    record(upsampleNearestForward(x, f), "upsampleNearest2d", [x]) { g, _ in [blockSumOp(g, f)] }
}

func blockSumOp(_ g: Tensor, _ f: Int) -> Tensor {
    record(blockSumForward(g, f), "blockSum2d", [g]) { gg, _ in [upsampleOp(gg, f)] }
}

// MARK: public API

/// Max pooling over NCHW with -∞ padding (PyTorch's max_pool2d, dilation 1). Stride defaults to the kernel.
public func maxPool2d(_ x: Tensor, kernel: Size2, stride: Size2? = nil, padding: Size2 = 0) -> Tensor {
    let s = stride ?? kernel
    precondition(x.rank == 4, "maxPool2d: input \(x.shape) must be NCHW")
    precondition(kernel.h > 0 && kernel.w > 0 && s.h > 0 && s.w > 0, "maxPool2d: kernel \(kernel) and stride \(s) must be positive (input \(x.shape))")
    precondition(padding.h * 2 <= kernel.h && padding.w * 2 <= kernel.w, "maxPool2d: padding \(padding) must be at most half the kernel \(kernel) (input \(x.shape))")
    precondition(x.shape[2] + 2 * padding.h >= kernel.h && x.shape[3] + 2 * padding.w >= kernel.w,
                 "maxPool2d: input \(x.shape) is smaller than kernel \(kernel)")
    let recording = willRecord(x)
    let (y, map) = maxPoolForward(x, kernel: kernel, stride: s, padding: padding, withIndices: recording)
    guard let map else { return y }
    return record(y, "maxPool2d", [x]) { g, _ in [scatterAddOp(g, map)] }
}

/// Nearest-neighbour upsampling by an integer factor (PyTorch's interpolate(mode="nearest", scale_factor=f)).
public func upsampleNearest2d(_ x: Tensor, factor: Int) -> Tensor {
    precondition(x.rank == 4 && factor >= 1, "upsampleNearest2d: input \(x.shape) must be NCHW and factor \(factor) ≥ 1")
    if factor == 1 { return x }
    return upsampleOp(x, factor)
}
