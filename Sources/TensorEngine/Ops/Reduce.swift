// Reductions over axes. sum's vjp is an expand; mean is sum times a constant; max/min send the gradient to
// the arg-extreme entries through a constant 0/1 mask (split evenly between ties).

// MARK: forward/backward pairs

func normalizeAxes(_ axes: [Int]?, _ shape: [Int], op: String) -> [Int] {
    guard let axes else { return Array(shape.indices) }
    let a = axes.map { ax in checked { try Shapes.axis(ax, rank: shape.count, shape: shape, op: op) } }
    precondition(Set(a).count == a.count, "\(op): repeated axis in \(axes) for shape \(shape)")
    return a.sorted()
}

func keepDimShape(_ shape: [Int], _ axes: [Int]) -> [Int] {
    var s = shape
    for a in axes { s[a] = 1 }
    return s
}

/// One axis at a time, highest first; the result has the keep-dim shape.
func reduceForward(_ x: Tensor, axes: [Int], initial: Float, _ combine: (Float, Float) -> Float, isSum: Bool) -> Tensor {
    var cur = x
    var shape = x.shape
    for a in axes.sorted(by: >) where shape[a] != 1 {
        let (outer, len, inner) = axisSplit(shape, a)
        shape[a] = 1
        let out = Tensor(uninitialized: shape)
        if isSum && inner == 1 {
            let src = cur.data, dst = out.data
            parallelFor(outer, grain: max(1, 16_384 / max(len, 1))) { r in
                for o in r { dst[o] = sumContiguous(src + o * len, len) }
            }
        } else {
            reduceAxisKernel(cur.data, out.data, outer: outer, length: len, inner: inner, initial: initial, combine)
        }
        cur = out
    }
    if cur === x { return x.copy().reshapeStorage(shape) }
    return cur
}

func sumForward(_ x: Tensor, axes: [Int], keepDim: Bool) -> Tensor {
    let r = reduceForward(x, axes: axes, initial: 0, { $0 + $1 }, isSum: true)
    return keepDim ? r : r.reshapeStorage(x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] })
}

func sumBackward(_ g: Tensor, _ x: Tensor, axes: [Int]) -> Tensor {
    g.reshape(keepDimShape(x.shape, axes)).expand(x.shape)
}

func extremeBackward(_ g: Tensor, _ x: Tensor, _ y: Tensor, axes: [Int]) -> Tensor {
    let keep = keepDimShape(x.shape, axes)
    let mask = withNoGrad { () -> Tensor in
        let hit = broadcastKernel(x, y.reshapeStorage(keep), x.shape) { $0 == $1 ? 1 : 0 }
        let n = reduceForward(hit, axes: axes, initial: 0, { $0 + $1 }, isSum: true)
        return broadcastKernel(hit, n, x.shape) { $0 / $1 }
    }
    return g.reshape(keep).expand(x.shape) * mask
}

// MARK: public API

extension Tensor {
    /// Sum over `axes` (all when nil).
    public func sum(axes: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let x = self
        let ax = normalizeAxes(axes, x.shape, op: "sum")
        let y = sumForward(x, axes: ax, keepDim: keepDim)
        return record(y, "sum", [x]) { g, _ in [sumBackward(g, x, axes: ax)] }
    }

    public func mean(axes: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let ax = normalizeAxes(axes, shape, op: "mean")
        let n = ax.reduce(1) { $0 * shape[$1] }
        return sum(axes: ax, keepDim: keepDim) * (1 / Float(Swift.max(n, 1)))
    }

    /// Maximum over `axes` (all when nil).
    public func max(axes: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let x = self
        let ax = normalizeAxes(axes, x.shape, op: "max")
        precondition(x.count > 0, "max: empty tensor of shape \(x.shape)")
        let k = reduceForward(x, axes: ax, initial: -.infinity, { Swift.max($0, $1) }, isSum: false)
        let y = keepDim ? k : k.reshapeStorage(x.shape.indices.filter { !ax.contains($0) }.map { x.shape[$0] })
        let saved = y.detach()
        return record(y, "max", [x]) { g, _ in [extremeBackward(g, x, saved, axes: ax)] }
    }

    /// Minimum over `axes` (all when nil).
    public func min(axes: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let x = self
        let ax = normalizeAxes(axes, x.shape, op: "min")
        precondition(x.count > 0, "min: empty tensor of shape \(x.shape)")
        let k = reduceForward(x, axes: ax, initial: .infinity, { Swift.min($0, $1) }, isSum: false)
        let y = keepDim ? k : k.reshapeStorage(x.shape.indices.filter { !ax.contains($0) }.map { x.shape[$0] })
        let saved = y.detach()
        return record(y, "min", [x]) { g, _ in [extremeBackward(g, x, saved, axes: ax)] }
    }
}
