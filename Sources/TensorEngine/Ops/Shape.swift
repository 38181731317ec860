// Shape ops. reshape shares storage; the rest copy. Each vjp is another shape op:
// reshape ↔ reshape, permute ↔ inverse permute, expand ↔ sumTo, slice ↔ pad, concat → slices.

// MARK: kernels

/// Copies a [outer, srcLen, inner] block into a [outer, dstLen, inner] block at offset `dstStart` along the
/// middle axis, `length` rows starting at `srcStart`. Serves slice, pad and concat.
func copyAxisBlock(_ src: UnsafePointer<Float>, srcLen: Int, srcStart: Int,
                   _ dst: UnsafeMutablePointer<Float>, dstLen: Int, dstStart: Int,
                   outer: Int, length: Int, inner: Int) {
    let run = length * inner
    parallelFor(outer, grain: max(1, 16_384 / max(run, 1))) { r in
        for o in r {
            (dst + (o * dstLen + dstStart) * inner).update(from: src + (o * srcLen + srcStart) * inner, count: run)
        }
    }
}

func axisSplit(_ shape: [Int], _ axis: Int) -> (outer: Int, len: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

// MARK: forward/backward pairs

func permuteForward(_ x: Tensor, _ perm: [Int]) -> Tensor {
    let outShape = perm.map { x.shape[$0] }
    var inStrides = [Int](repeating: 1, count: x.rank)
    for i in stride(from: x.rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * x.shape[i + 1] }
    let permStrides = perm.map { inStrides[$0] }
    // Reuse the broadcasting kernel's strided walk: the source is read with permuted strides.
    let (shape, sa, _) = collapse(outShape, permStrides, [Int](repeating: 0, count: outShape.count))
    let out = Tensor(uninitialized: outShape)
    let rank = shape.count, inner = shape[rank - 1], ia = sa[rank - 1]
    let src = x.data, dst = out.data
    let rows = out.count / max(inner, 1)
    parallelFor(rows, grain: max(1, 16_384 / max(inner, 1))) { r in
        for row in r {
            var rem = row, off = 0, d = rank - 2
            while d >= 0 { off += (rem % shape[d]) * sa[d]; rem /= shape[d]; d -= 1 }
            let o = dst + row * inner, p = src + off
            if ia == 1 { o.update(from: p, count: inner) } else { for i in 0..<inner { o[i] = p[i * ia] } }
        }
    }
    return out
}

func expandForward(_ x: Tensor, _ shape: [Int]) -> Tensor {
    if x.shape == shape { return x }
    let zero = Tensor(zeros: [])
    return broadcastKernel(x, zero, shape) { a, _ in a }
}

func sumToForward(_ x: Tensor, _ shape: [Int]) -> Tensor {
    if x.shape == shape { return x }
    let pad = x.rank - shape.count
    var axes: [Int] = Array(0..<pad)
    for i in shape.indices where shape[i] == 1 && x.shape[i + pad] != 1 { axes.append(i + pad) }
    return sumForward(x, axes: axes, keepDim: true).reshapeStorage(shape)
}

func sliceForward(_ x: Tensor, axis: Int, start: Int, length: Int) -> Tensor {
    var shape = x.shape; shape[axis] = length
    let out = Tensor(uninitialized: shape)
    let (outer, len, inner) = axisSplit(x.shape, axis)
    copyAxisBlock(x.data, srcLen: len, srcStart: start, out.data, dstLen: length, dstStart: 0, outer: outer, length: length, inner: inner)
    return out
}

func padForward(_ x: Tensor, axis: Int, before: Int, after: Int) -> Tensor {
    var shape = x.shape; shape[axis] += before + after
    let out = Tensor(zeros: shape)
    let (outer, len, inner) = axisSplit(x.shape, axis)
    copyAxisBlock(x.data, srcLen: len, srcStart: 0, out.data, dstLen: shape[axis], dstStart: before, outer: outer, length: len, inner: inner)
    return out
}

// MARK: public API

extension Tensor {
    /// Internal reshape with no graph: same storage, new shape.
    func reshapeStorage(_ shape: [Int]) -> Tensor { Tensor(storage: storage, shape: shape) }

    /// Same data, new shape (one dimension may be -1). Shares storage with `self`.
    public func reshape(_ newShape: [Int]) -> Tensor {
        let x = self
        let shape = checked { try Shapes.reshape(x.shape, newShape) }
        if shape == x.shape { return x }
        return record(reshapeStorage(shape), "reshape", [x]) { g, _ in [g.reshape(x.shape)] }
    }

    /// Flattens dimensions from `startAxis` on: [N, C, H, W].flatten(1) → [N, C·H·W].
    public func flatten(from startAxis: Int = 1) -> Tensor {
        reshape(Array(shape[..<startAxis]) + [shape[startAxis...].reduce(1, *)])
    }

    public func permute(_ perm: [Int]) -> Tensor {
        let x = self
        precondition(perm.count == x.rank && Set(perm) == Set(0..<x.rank),
                     "permute: \(perm) is not a permutation of the axes of shape \(x.shape)")
        if perm == Array(0..<x.rank) { return x }
        var inverse = perm
        for (i, p) in perm.enumerated() { inverse[p] = i }
        return record(permuteForward(x, perm), "permute", [x]) { g, _ in [g.permute(inverse)] }
    }

    /// Swaps two axes (a permute).
    public func transpose(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let ra = checked { try Shapes.axis(a, rank: rank, shape: shape, op: "transpose") }
        let rb = checked { try Shapes.axis(b, rank: rank, shape: shape, op: "transpose") }
        var perm = Array(0..<rank); perm.swapAt(ra, rb)
        return permute(perm)
    }

    /// Materialises a broadcast to `shape`.
    public func expand(_ shape: [Int]) -> Tensor {
        let x = self
        let out = checked { () throws -> [Int] in
            let b = try Shapes.broadcast(x.shape, shape, op: "expand")
            guard b == shape else { throw ShapeError(op: "expand", "shape \(x.shape) cannot expand to \(shape)") }
            return b
        }
        if out == x.shape { return x }
        return record(expandForward(x, out), "expand", [x]) { g, _ in [sumTo(g, x.shape)] }
    }

    /// Keeps `length` entries of `axis` starting at `start`.
    public func slice(axis: Int, start: Int, length: Int) -> Tensor {
        let x = self
        let ax = checked { try Shapes.axis(axis, rank: x.rank, shape: x.shape, op: "slice") }
        precondition(start >= 0 && length >= 0 && start + length <= x.shape[ax],
                     "slice: range \(start)..<\(start + length) out of bounds for axis \(ax) of shape \(x.shape)")
        if start == 0 && length == x.shape[ax] { return x }
        let total = x.shape[ax]
        return record(sliceForward(x, axis: ax, start: start, length: length), "slice", [x]) { g, _ in
            [g.pad(axis: ax, before: start, after: total - start - length)]
        }
    }

    /// Zero padding along one axis.
    public func pad(axis: Int, before: Int, after: Int) -> Tensor {
        let x = self
        let ax = checked { try Shapes.axis(axis, rank: x.rank, shape: x.shape, op: "pad") }
        precondition(before >= 0 && after >= 0, "pad: negative padding \(before), \(after) for shape \(x.shape)")
        if before == 0 && after == 0 { return x }
        return record(padForward(x, axis: ax, before: before, after: after), "pad", [x]) { g, _ in
            [g.slice(axis: ax, start: before, length: x.shape[ax])]
        }
    }
}

/// Sums `x` down to `shape` (the reverse of broadcasting); the identity when shapes match.
public func sumTo(_ x: Tensor, _ shape: [Int]) -> Tensor {
    if x.shape == shape { return x }
    _ = checked { () throws -> [Int] in
        let b = try Shapes.broadcast(shape, x.shape, op: "sumTo")
        guard b == x.shape else { throw ShapeError(op: "sumTo", "shape \(x.shape) cannot be summed to \(shape)") }
        return b
    }
    return record(sumToForward(x, shape), "sumTo", [x]) { g, _ in [g.expand(x.shape)] }
}

/// Joins tensors along `axis`; all other dimensions must match.
public func concat(_ tensors: [Tensor], axis: Int) -> Tensor {
    let outShape = checked { try Shapes.concat(tensors.map(\.shape), axis: axis) }
    let ax = axis < 0 ? axis + outShape.count : axis
    let out = Tensor(uninitialized: outShape)
    var offset = 0
    var starts: [Int] = []
    for t in tensors {
        let (outer, len, inner) = axisSplit(t.shape, ax)
        copyAxisBlock(t.data, srcLen: len, srcStart: 0, out.data, dstLen: outShape[ax], dstStart: offset, outer: outer, length: len, inner: inner)
        starts.append(offset)
        offset += len
    }
    return record(out, "concat", tensors) { g, _ in
        zip(tensors, starts).map { t, s in t.requiresGrad ? g.slice(axis: ax, start: s, length: t.shape[ax]) : nil }
    }
}
