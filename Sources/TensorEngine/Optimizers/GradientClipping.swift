/// Scales all gradients together so their global L2 norm is at most `maxNorm` (PyTorch's
/// clip_grad_norm_: factor maxNorm / (norm + 1e-6) when that is below 1). Returns the norm before
/// clipping, accumulated in Double so millions of squares do not lose precision.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
    var sumSquares = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.withUnsafeBufferPointer { b in
            var s = 0.0
            for v in b { s += Double(v) * Double(v) }
            sumSquares += s
        }
    }
    let norm = Float(sumSquares.squareRoot())
    let factor = maxNorm / (norm + 1e-6)
    if factor < 1 {
        for p in parameters {
            guard let g = p.grad else { continue }
            g.withUnsafeMutableBufferPointer { b in for j in b.indices { b[j] *= factor } }
        }
    }
    return norm
}
