// Matrix products on OpenBLAS. The primitive is mm(A, B, transA, transB) on 2-D tensors (and bmm on 3-D
// with equal batch); transposes are GEMM flags, never copies. Its vjp is two more products:
//   C = op(A)·op(B):  dA = tA ? op(B)·gᵀ : g·op(B)ᵀ,   dB = tB ? gᵀ·op(A) : op(A)ᵀ·g

// MARK: forward/backward pairs

func mmForward(_ a: Tensor, _ b: Tensor, _ tA: Bool, _ tB: Bool) -> Tensor {
    let shape = checked { try Shapes.matmul(a.shape, b.shape, transposeA: tA, transposeB: tB) }
    precondition(a.rank == b.rank && (a.rank == 2 || a.rank == 3), "internal mm: ranks \(a.shape) \(b.shape)")
    let batch = a.rank == 3 ? a.shape[0] : 1
    let m = shape[shape.count - 2], n = shape[shape.count - 1]
    let k = tA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
    let out = Tensor(uninitialized: shape)
    let sa = a.shape[a.rank - 2] * a.shape[a.rank - 1], sb = b.shape[b.rank - 2] * b.shape[b.rank - 1]
    for i in 0..<batch {
        sgemm(transA: tA, transB: tB, m: m, n: n, k: k, a: a.data + i * sa, lda: a.shape[a.rank - 1],
              b: b.data + i * sb, ldb: b.shape[b.rank - 1], beta: 0, c: out.data + i * m * n, ldc: n)
    }
    return out
}

func mmBackward(_ g: Tensor, _ a: Tensor, _ b: Tensor, _ tA: Bool, _ tB: Bool) -> [Tensor?] {
    let da: Tensor? = a.requiresGrad ? (tA ? mm(b, g, tB, true) : mm(g, b, false, !tB)) : nil
    let db: Tensor? = b.requiresGrad ? (tB ? mm(g, a, true, tA) : mm(a, g, !tA, false)) : nil
    return [da, db]
}

/// The recorded primitive: 2-D × 2-D or batched 3-D × 3-D (same batch), with transpose flags.
func mm(_ a: Tensor, _ b: Tensor, _ tA: Bool, _ tB: Bool) -> Tensor {
    record(mmForward(a, b, tA, tB), "matmul", [a, b]) { g, _ in mmBackward(g, a, b, tA, tB) }
}

// MARK: public API

/// Matrix product with batch dimensions: [..., M, K] × [K, N] (the batch folds into M: one GEMM) or
/// [..., M, K] × [..., K, N] with equal batch dimensions. Optional transposes of the last two axes.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let outShape = checked { try Shapes.matmul(a.shape, b.shape, transposeA: transposeA, transposeB: transposeB) }
    if a.rank == 2 && b.rank == 2 { return mm(a, b, transposeA, transposeB) }
    if b.rank == 2 && !transposeA {
        let k = a.shape[a.rank - 1]
        return mm(a.reshape([-1, k]), b, false, transposeB).reshape(outShape)
    }
    let batch = outShape.dropLast(2).reduce(1, *)
    let a3 = a.reshape([batch, a.shape[a.rank - 2], a.shape[a.rank - 1]])
    let b3 = b.rank == 2 ? b.reshape([1] + b.shape).expand([batch] + b.shape) : b.reshape([batch, b.shape[b.rank - 2], b.shape[b.rank - 1]])
    return mm(a3, b3, transposeA, transposeB).reshape(outShape)
}

/// y = x·Wᵀ + b with W of shape [out, in] (PyTorch's layout); x is [..., in].
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(weight.rank == 2, "linear: weight must be [out, in], got \(weight.shape) for input \(x.shape)")
    precondition(x.rank >= 1 && x.shape[x.rank - 1] == weight.shape[1],
                 "linear: input \(x.shape) has \(x.shape.last ?? 0) features but weight \(weight.shape) expects \(weight.shape[1])")
    if let bias { precondition(bias.shape == [weight.shape[0]], "linear: bias \(bias.shape) does not match weight \(weight.shape)") }
    let x2 = x.rank == 2 ? x : x.reshape([-1, weight.shape[1]])
    var y = mm(x2, weight, false, true)
    if let bias { y = y + bias }
    return x.rank == 2 ? y : y.reshape(Array(x.shape.dropLast()) + [weight.shape[0]])
}
