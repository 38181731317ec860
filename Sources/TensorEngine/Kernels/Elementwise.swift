// Element-wise and broadcasting kernels over raw pointers. They are @inline(__always) so each call site's
// closure is specialised into a tight, vectorisable loop.

@inline(__always)
func mapKernel(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
    let out = Tensor(uninitialized: x.shape)
    let src = x.data, dst = out.data
    parallelFor(x.count) { r in
        for i in r { dst[i] = f(src[i]) }
    }
    return out
}

/// Same-shape binary map, no broadcasting (backward kernels: both operands have the output's shape).
@inline(__always)
func zipKernel(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
    precondition(a.shape == b.shape, "internal zipKernel: shapes \(a.shape) and \(b.shape) differ")
    let out = Tensor(uninitialized: a.shape)
    let pa = a.data, pb = b.data, dst = out.data
    parallelFor(a.count) { r in
        for i in r { dst[i] = f(pa[i], pb[i]) }
    }
    return out
}

/// An element-wise function as a type. A closure handed to the worker pool is compiled on its own and
/// called once per element, 4× slower than the same loop on one thread, where it is inlined; a kernel
/// generic over one of these types is specialised with the function inlined into its loop on every thread.
/// The hot ops (ReLU, residual add, add) use them; the closure kernels above serve the rest.
protocol UnaryElementOp { static func apply(_ x: Float) -> Float }
protocol BinaryElementOp { static func apply(_ a: Float, _ b: Float) -> Float }

enum ReLUOp: UnaryElementOp { @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? x : 0 } }
/// g where x > 0, else 0: the backward of ReLU (and of addRelu, with x its output).
enum ReLUGradOp: BinaryElementOp { @inline(__always) static func apply(_ g: Float, _ x: Float) -> Float { x > 0 ? g : 0 } }
enum AddReLUOp: BinaryElementOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { let v = a + b; return v > 0 ? v : 0 } }
enum AddOp: BinaryElementOp { @inline(__always) static func apply(_ a: Float, _ b: Float) -> Float { a + b } }

@inline(__always)
func mapKernel<Op: UnaryElementOp>(_ x: Tensor, _: Op.Type) -> Tensor {
    let out = Tensor(uninitialized: x.shape)
    let src = x.data, dst = out.data
    parallelFor(x.count) { r in
        for i in r { dst[i] = Op.apply(src[i]) }
    }
    return out
}

@inline(__always)
func zipKernel<Op: BinaryElementOp>(_ a: Tensor, _ b: Tensor, _: Op.Type) -> Tensor {
    precondition(a.shape == b.shape, "internal zipKernel: shapes \(a.shape) and \(b.shape) differ")
    let out = Tensor(uninitialized: a.shape)
    let pa = a.data, pb = b.data, dst = out.data
    parallelFor(a.count) { r in
        for i in r { dst[i] = Op.apply(pa[i], pb[i]) }
    }
    return out
}

/// dst += src, same shape; used for gradient accumulation.
func addInPlace(_ dst: Tensor, _ src: Tensor) {
    precondition(dst.shape == src.shape, "addInPlace: shapes \(dst.shape) and \(src.shape) differ")
    addInPlace(dst.data, src.data, count: dst.count)
}

/// dst[i] += src[i] for i < count: one addition per element, so the result does not depend on the split
/// between threads (per-worker partial sums are added with it in worker order).
func addInPlace(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
    parallelFor(count) { r in
        for i in r { dst[i] += src[i] }
    }
}

/// Strides of `shape` as seen from an output of `outShape` (leading dimensions added; broadcast ones get 0).
func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
    let pad = outShape.count - shape.count
    var strides = [Int](repeating: 0, count: outShape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i + pad] = (shape[i] == 1 && outShape[i + pad] != 1) ? 0 : s
        s *= shape[i]
    }
    return strides
}

/// Merges adjacent dimensions that both operands traverse contiguously, so a bias add over NCHW becomes
/// a 3-D loop whose inner run is a whole H×W plane.
func collapse(_ shape: [Int], _ sa: [Int], _ sb: [Int]) -> ([Int], [Int], [Int]) {
    var s: [Int] = [], a: [Int] = [], b: [Int] = []
    for i in shape.indices where shape[i] != 1 {
        if let last = s.indices.last, a[last] == sa[i] * shape[i], b[last] == sb[i] * shape[i] {
            s[last] *= shape[i]; a[last] = sa[i]; b[last] = sb[i]
        } else {
            s.append(shape[i]); a.append(sa[i]); b.append(sb[i])
        }
    }
    if s.isEmpty { return ([1], [1], [1]) }
    return (s, a, b)
}

@inline(__always)
func broadcastKernel(_ a: Tensor, _ b: Tensor, _ outShape: [Int], _ f: (Float, Float) -> Float) -> Tensor {
    let out = Tensor(uninitialized: outShape)
    let pa = a.data, pb = b.data, dst = out.data
    if a.count == out.count && b.count == out.count {
        parallelFor(out.count) { r in for i in r { dst[i] = f(pa[i], pb[i]) } }
        return out
    }
    if b.count == 1 && a.count == out.count {
        let vb = pb[0]
        parallelFor(out.count) { r in for i in r { dst[i] = f(pa[i], vb) } }
        return out
    }
    if a.count == 1 && b.count == out.count {
        let va = pa[0]
        parallelFor(out.count) { r in for i in r { dst[i] = f(va, pb[i]) } }
        return out
    }
    let (shape, sa, sb) = collapse(outShape, broadcastStrides(a.shape, to: outShape), broadcastStrides(b.shape, to: outShape))
    let rank = shape.count
    let inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1]
    let rows = out.count / max(inner, 1)
    parallelFor(rows, grain: max(1, 16_384 / max(inner, 1))) { r in
        for row in r {
            var rem = row, oa = 0, ob = 0
            var d = rank - 2
            while d >= 0 {
                let idx = rem % shape[d]; rem /= shape[d]
                oa += idx * sa[d]; ob += idx * sb[d]
                d -= 1
            }
            let o = dst + row * inner, x = pa + oa, y = pb + ob
            if ia == 1 && ib == 1 {
                for i in 0..<inner { o[i] = f(x[i], y[i]) }
            } else if ia == 1 {
                let v = y[0]
                for i in 0..<inner { o[i] = f(x[i], v) }
            } else if ib == 1 {
                let v = x[0]
                for i in 0..<inner { o[i] = f(v, y[i]) }
            } else {
                for i in 0..<inner { o[i] = f(x[i * ia], y[i * ib]) }
            }
        }
    }
    return out
}

/// Sum of a contiguous run with eight independent accumulators: vectorises, and is more accurate than one
/// running Float sum.
@inline(__always)
func sumContiguous(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    var i = 0
    let raw = UnsafeRawPointer(p)
    while i + 8 <= n {
        acc += raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        i += 8
    }
    var s = acc.sum()
    while i < n { s += p[i]; i += 1 }
    return s
}

/// Reduces the middle axis of a [outer, length, inner] view. `initial` seeds each output, `combine` folds.
/// Each output is produced by exactly one thread in a fixed order, so results do not depend on the thread count.
@inline(__always)
func reduceAxisKernel(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, outer: Int, length: Int, inner: Int,
                      initial: Float, _ combine: (Float, Float) -> Float) {
    if inner == 1 {
        parallelFor(outer, grain: max(1, 16_384 / max(length, 1))) { r in
            for o in r {
                var acc = initial
                let p = src + o * length
                for k in 0..<length { acc = combine(acc, p[k]) }
                dst[o] = acc
            }
        }
        return
    }
    parallelFor(outer * inner, grain: max(256, 16_384 / max(length, 1))) { r in
        // Walk by (outer, inner-chunk) so the inner loop reads contiguous memory.
        var idx = r.lowerBound
        while idx < r.upperBound {
            let o = idx / inner, i0 = idx % inner
            let i1 = min(inner, i0 + (r.upperBound - idx))
            let d = dst + o * inner
            for i in i0..<i1 { d[i] = initial }
            for k in 0..<length {
                let p = src + (o * length + k) * inner
                for i in i0..<i1 { d[i] = combine(d[i], p[i]) }
            }
            idx += i1 - i0
        }
    }
}
