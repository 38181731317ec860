import Foundation

// Element-wise unary ops. Each vjp has a fused kernel for plain backward and, when a graph must be built
// (createGraph), a form written with differentiable ops. Masks of piecewise-linear ops are constants:
// their derivative is zero almost everywhere, so that is exact for double backward.

// MARK: forward/backward pairs

func reluForward(_ x: Tensor) -> Tensor { mapKernel(x, ReLUOp.self) }
func reluBackward(_ g: Tensor, _ x: Tensor, createGraph: Bool) -> Tensor {
    createGraph ? g * x.greater(0) : zipKernel(g, x, ReLUGradOp.self)
}

func leakyReluForward(_ x: Tensor, _ slope: Float) -> Tensor { mapKernel(x) { $0 > 0 ? $0 : $0 * slope } }
func leakyReluBackward(_ g: Tensor, _ x: Tensor, _ slope: Float, createGraph: Bool) -> Tensor {
    createGraph ? g * withNoGrad { mapKernel(x) { $0 > 0 ? 1 : slope } } : zipKernel(g, x) { $1 > 0 ? $0 : $0 * slope }
}

func sigmoidForward(_ x: Tensor) -> Tensor { mapKernel(x) { 1 / (1 + Foundation.exp(-$0)) } }
func sigmoidBackward(_ g: Tensor, _ x: Tensor, _ y: Tensor, createGraph: Bool) -> Tensor {
    if createGraph { let s = x.sigmoid(); return g * s * (1 - s) }
    return zipKernel(g, y) { $0 * $1 * (1 - $1) }
}

func tanhForward(_ x: Tensor) -> Tensor { mapKernel(x) { Foundation.tanh($0) } }
func tanhBackward(_ g: Tensor, _ x: Tensor, _ y: Tensor, createGraph: Bool) -> Tensor {
    if createGraph { let t = x.tanh(); return g * (1 - t * t) }
    return zipKernel(g, y) { $0 * (1 - $1 * $1) }
}

func expForward(_ x: Tensor) -> Tensor { mapKernel(x) { Foundation.exp($0) } }
func expBackward(_ g: Tensor, _ x: Tensor, _ y: Tensor, createGraph: Bool) -> Tensor {
    createGraph ? g * x.exp() : zipKernel(g, y) { $0 * $1 }
}

func logForward(_ x: Tensor) -> Tensor { mapKernel(x) { Foundation.log($0) } }
func logBackward(_ g: Tensor, _ x: Tensor, createGraph: Bool) -> Tensor {
    createGraph ? g / x : zipKernel(g, x) { $0 / $1 }
}

func sqrtForward(_ x: Tensor) -> Tensor { mapKernel(x) { $0.squareRoot() } }
func sqrtBackward(_ g: Tensor, _ x: Tensor, _ y: Tensor, createGraph: Bool) -> Tensor {
    createGraph ? g * 0.5 / x.sqrt() : zipKernel(g, y) { $0 * 0.5 / $1 }
}

func squareForward(_ x: Tensor) -> Tensor { mapKernel(x) { $0 * $0 } }
func squareBackward(_ g: Tensor, _ x: Tensor, createGraph: Bool) -> Tensor {
    createGraph ? g * x * 2 : zipKernel(g, x) { 2 * $0 * $1 }
}

func powForward(_ x: Tensor, _ p: Float) -> Tensor { mapKernel(x) { Foundation.pow($0, p) } }
func powBackward(_ g: Tensor, _ x: Tensor, _ p: Float, createGraph: Bool) -> Tensor {
    if p == 0 { return createGraph ? g * 0 : Tensor(zeros: g.shape) }
    return createGraph ? g * x.pow(p - 1) * p : zipKernel(g, x) { $0 * p * Foundation.pow($1, p - 1) }
}

func absForward(_ x: Tensor) -> Tensor { mapKernel(x) { Swift.abs($0) } }
func absBackward(_ g: Tensor, _ x: Tensor, createGraph: Bool) -> Tensor {
    let sign = { (v: Float) -> Float in v > 0 ? 1 : (v < 0 ? -1 : 0) }
    return createGraph ? g * withNoGrad { mapKernel(x, sign) } : zipKernel(g, x) { $0 * sign($1) }
}

func clampForward(_ x: Tensor, _ lo: Float, _ hi: Float) -> Tensor { mapKernel(x) { Swift.min(Swift.max($0, lo), hi) } }
func clampBackward(_ g: Tensor, _ x: Tensor, _ lo: Float, _ hi: Float, createGraph: Bool) -> Tensor {
    // The gradient passes where the input was inside [lo, hi] (boundary included, as in PyTorch).
    createGraph ? g * withNoGrad { mapKernel(x) { $0 >= lo && $0 <= hi ? 1 : 0 } }
        : zipKernel(g, x) { $1 >= lo && $1 <= hi ? $0 : 0 }
}

func reciprocalForward(_ x: Tensor) -> Tensor { mapKernel(x) { 1 / $0 } }

// MARK: public API

extension Tensor {
    public func relu() -> Tensor {
        let x = self
        return record(reluForward(x), "relu", [x]) { g, cg in [reluBackward(g, x, createGraph: cg)] }
    }

    public func leakyRelu(_ negativeSlope: Float = 0.01) -> Tensor {
        let x = self
        return record(leakyReluForward(x, negativeSlope), "leakyRelu", [x]) { g, cg in [leakyReluBackward(g, x, negativeSlope, createGraph: cg)] }
    }

    public func sigmoid() -> Tensor {
        let x = self, y = sigmoidForward(x)
        // Save y's storage without its graph node: capturing y itself would form a reference cycle.
        let saved = y.detach()
        return record(y, "sigmoid", [x]) { g, cg in [sigmoidBackward(g, x, saved, createGraph: cg)] }
    }

    public func tanh() -> Tensor {
        let x = self, y = tanhForward(x), saved = y.detach()
        return record(y, "tanh", [x]) { g, cg in [tanhBackward(g, x, saved, createGraph: cg)] }
    }

    public func exp() -> Tensor {
        let x = self, y = expForward(x), saved = y.detach()
        return record(y, "exp", [x]) { g, cg in [expBackward(g, x, saved, createGraph: cg)] }
    }

    public func log() -> Tensor {
        let x = self
        return record(logForward(x), "log", [x]) { g, cg in [logBackward(g, x, createGraph: cg)] }
    }

    public func sqrt() -> Tensor {
        let x = self, y = sqrtForward(x), saved = y.detach()
        return record(y, "sqrt", [x]) { g, cg in [sqrtBackward(g, x, saved, createGraph: cg)] }
    }

    public func square() -> Tensor {
        let x = self
        return record(squareForward(x), "square", [x]) { g, cg in [squareBackward(g, x, createGraph: cg)] }
    }

    public func pow(_ p: Float) -> Tensor {
        let x = self
        return record(powForward(x, p), "pow", [x]) { g, cg in [powBackward(g, x, p, createGraph: cg)] }
    }

    public func abs() -> Tensor {
        let x = self
        return record(absForward(x), "abs", [x]) { g, cg in [absBackward(g, x, createGraph: cg)] }
    }

    public func clamp(min lo: Float = -.infinity, max hi: Float = .infinity) -> Tensor {
        let x = self
        return record(clampForward(x, lo, hi), "clamp", [x]) { g, cg in [clampBackward(g, x, lo, hi, createGraph: cg)] }
    }

    public func reciprocal() -> Tensor {
        let x = self
        return record(reciprocalForward(x), "reciprocal", [x]) { g, _ in [-(g / (x * x))] }
    }
}
