// Element-wise binary ops with numpy broadcasting. Backward reduces the broadcast gradient back to each
// operand's shape with sumTo, which is itself differentiable (its vjp is expand).

// MARK: forward/backward pairs

func addForward(_ a: Tensor, _ b: Tensor) -> Tensor {
    // Same shapes (residual sums, gradient sums) take the typed kernel; broadcasting is rarer.
    if a.shape == b.shape { return zipKernel(a, b, AddOp.self) }
    return broadcastKernel(a, b, checked { try Shapes.broadcast(a.shape, b.shape, op: "add") }) { $0 + $1 }
}
func addBackward(_ g: Tensor, _ a: Tensor, _ b: Tensor) -> [Tensor?] {
    [a.requiresGrad ? sumTo(g, a.shape) : nil, b.requiresGrad ? sumTo(g, b.shape) : nil]
}

func subForward(_ a: Tensor, _ b: Tensor) -> Tensor {
    broadcastKernel(a, b, checked { try Shapes.broadcast(a.shape, b.shape, op: "sub") }) { $0 - $1 }
}
func subBackward(_ g: Tensor, _ a: Tensor, _ b: Tensor) -> [Tensor?] {
    [a.requiresGrad ? sumTo(g, a.shape) : nil, b.requiresGrad ? sumTo(-g, b.shape) : nil]
}

func mulForward(_ a: Tensor, _ b: Tensor) -> Tensor {
    broadcastKernel(a, b, checked { try Shapes.broadcast(a.shape, b.shape, op: "mul") }) { $0 * $1 }
}
func mulBackward(_ g: Tensor, _ a: Tensor, _ b: Tensor) -> [Tensor?] {
    [a.requiresGrad ? sumTo(g * b, a.shape) : nil, b.requiresGrad ? sumTo(g * a, b.shape) : nil]
}

func divForward(_ a: Tensor, _ b: Tensor) -> Tensor {
    broadcastKernel(a, b, checked { try Shapes.broadcast(a.shape, b.shape, op: "div") }) { $0 / $1 }
}
func divBackward(_ g: Tensor, _ a: Tensor, _ b: Tensor) -> [Tensor?] {
    [a.requiresGrad ? sumTo(g / b, a.shape) : nil,
     b.requiresGrad ? sumTo(-(g * a) / (b * b), b.shape) : nil]
}

// MARK: public API

public func + (a: Tensor, b: Tensor) -> Tensor { record(addForward(a, b), "add", [a, b]) { g, _ in addBackward(g, a, b) } }
public func - (a: Tensor, b: Tensor) -> Tensor { record(subForward(a, b), "sub", [a, b]) { g, _ in subBackward(g, a, b) } }
public func * (a: Tensor, b: Tensor) -> Tensor { record(mulForward(a, b), "mul", [a, b]) { g, _ in mulBackward(g, a, b) } }
public func / (a: Tensor, b: Tensor) -> Tensor { record(divForward(a, b), "div", [a, b]) { g, _ in divBackward(g, a, b) } }

// Scalar forms avoid materialising a broadcast constant and have trivial vjps.
public func + (a: Tensor, s: Float) -> Tensor { record(mapKernel(a) { $0 + s }, "addScalar", [a]) { g, _ in [g] } }
public func + (s: Float, a: Tensor) -> Tensor { a + s }
public func - (a: Tensor, s: Float) -> Tensor { a + (-s) }
public func - (s: Float, a: Tensor) -> Tensor { record(mapKernel(a) { s - $0 }, "rsubScalar", [a]) { g, _ in [-g] } }
public func * (a: Tensor, s: Float) -> Tensor { record(mapKernel(a) { $0 * s }, "mulScalar", [a]) { g, _ in [g * s] } }
public func * (s: Float, a: Tensor) -> Tensor { a * s }
public func / (a: Tensor, s: Float) -> Tensor { a * (1 / s) }
public func / (s: Float, a: Tensor) -> Tensor { s * a.reciprocal() }
public prefix func - (a: Tensor) -> Tensor { record(mapKernel(a) { -$0 }, "neg", [a]) { g, _ in [-g] } }

/// Element-wise maximum/minimum of two tensors (broadcasting). The gradient goes to the larger (smaller)
/// operand; ties send it to `a`.
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = broadcastKernel(a, b, checked { try Shapes.broadcast(a.shape, b.shape, op: "maximum") }) { Swift.max($0, $1) }
    return record(out, "maximum", [a, b]) { g, _ in
        let pick = withNoGrad { broadcastKernel(a, b, out.shape) { $0 >= $1 ? 1 : 0 } }
        return [a.requiresGrad ? sumTo(g * pick, a.shape) : nil, b.requiresGrad ? sumTo(g * (1 - pick).detach(), b.shape) : nil]
    }
}

public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { -maximum(-a, -b) }

/// Comparison masks: 1 where the condition holds, else 0. Constants: they never carry a graph.
extension Tensor {
    public func greater(_ v: Float) -> Tensor { withNoGrad { mapKernel(self) { $0 > v ? 1 : 0 } } }
    public func greaterEqual(_ v: Float) -> Tensor { withNoGrad { mapKernel(self) { $0 >= v ? 1 : 0 } } }
    public func less(_ v: Float) -> Tensor { withNoGrad { mapKernel(self) { $0 < v ? 1 : 0 } } }
    public func lessEqual(_ v: Float) -> Tensor { withNoGrad { mapKernel(self) { $0 <= v ? 1 : 0 } } }
}

/// `mask ? a : b` element-wise, with `mask` a 0/1 constant (broadcasting all three).
public func select(_ mask: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let m = mask.detach()
    return m * a + (1 - m) * b
}

// MARK: fused residual

func addReluForward(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "addRelu: shapes \(a.shape) and \(b.shape) must be equal")
    return zipKernel(a, b, AddReLUOp.self)
}

/// relu(a + b) in one pass, for residual blocks: one output buffer instead of two and a single read of
/// each operand. The gradient mask comes from the output (y > 0 ⇔ a + b > 0) and is a constant, exactly
/// as for `relu`.
public func addRelu(_ a: Tensor, _ b: Tensor) -> Tensor {
    let y = addReluForward(a, b)
    let saved = y.detach()
    return record(y, "addRelu", [a, b]) { g, createGraph in
        let ga = createGraph ? g * saved.greater(0) : zipKernel(g, saved, ReLUGradOp.self)
        return [a.requiresGrad ? ga : nil, b.requiresGrad ? ga : nil]
    }
}
