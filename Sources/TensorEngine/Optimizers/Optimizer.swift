/// A first-order optimiser over a fixed list of parameter tensors. `step()` reads each parameter's
/// `.grad` and updates the parameter in place (outside autograd); parameters without a gradient are
/// skipped, as in PyTorch.
public protocol Optimizer: AnyObject {
    /// The learning rate used by the next `step()`; schedules set it before each step.
    var learningRate: Float { get set }
    var parameters: [Tensor] { get }
    /// Number of `step()` calls so far.
    var stepCount: Int { get }
    func step()
}

extension Optimizer {
    /// Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Runs `body(range)` over `0..<count` in chunks on the engine's threads. Optimiser updates are pure
/// element-wise loops over millions of values, so they split cleanly.
@inline(__always)
func parallelElements(_ count: Int, _ body: (Range<Int>) -> Void) {
    parallelFor(count, grain: 65_536, body)
}
