/// The record of one op application: its inputs and its vector–Jacobian product.
///
/// `vjp(g, createGraph)` returns one gradient per input (nil where the input needs none). When createGraph
/// is true it runs with grad mode on and must build its result from differentiable ops, so the gradient can
/// itself be differentiated; when false it runs in no-grad mode and may use fused kernels.
public final class GradFn {
    public let name: String
    private(set) var inputs: [Tensor]
    private(set) var vjp: ((Tensor, Bool) -> [Tensor?])?

    init(name: String, inputs: [Tensor], vjp: @escaping (Tensor, Bool) -> [Tensor?]) {
        self.name = name
        self.inputs = inputs
        self.vjp = vjp
    }

    var isReleased: Bool { vjp == nil }

    /// Drops saved tensors so activations are freed as soon as the backward pass has used them.
    func release() { vjp = nil; inputs = [] }
}

/// Attaches a graph node to `out` when grad mode is on and some input requires grad.
@inline(__always)
func record(_ out: Tensor, _ name: String, _ inputs: [Tensor], _ vjp: @escaping (Tensor, Bool) -> [Tensor?]) -> Tensor {
    guard GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) else { return out }
    out.gradFn = GradFn(name: name, inputs: inputs, vjp: vjp)
    out.requiresGrad = true
    return out
}

/// Whether an op's result would be recorded; ops use it to skip saving what only backward needs.
@inline(__always)
func willRecord(_ inputs: Tensor...) -> Bool {
    GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad })
}

extension Tensor {
    /// Reverse-mode pass from this tensor. Without `gradient` the tensor must hold one element (seeded with 1).
    /// Gradients add into `.grad` of every reachable leaf that requires grad. The graph is freed afterwards
    /// unless `retainGraph` (or `createGraph`) is set.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) {
        precondition(requiresGrad, "backward: tensor of shape \(shape) does not require grad (no input required grad, or it was computed under withNoGrad)")
        let seed: Tensor
        if let g = gradient {
            precondition(g.shape == shape, "backward: gradient shape \(g.shape) does not match tensor shape \(shape)")
            seed = g
        } else {
            precondition(count == 1, "backward: implicit gradient needs a one-element tensor, got shape \(shape); pass a gradient")
            seed = Tensor(repeating: 1, shape: shape)
        }
        _ = Autograd.run(roots: [self], seeds: [seed], inputs: nil, createGraph: createGraph,
                         retainGraph: retainGraph || createGraph)
    }
}

/// Gradients of `outputs` (weighted by `gradOutputs`, default ones) with respect to `inputs`, without
/// touching any `.grad` (torch.autograd.grad). With `createGraph` the results carry a graph and can be
/// differentiated again (double backward, e.g. the WGAN-GP penalty). An input that the outputs do not
/// depend on gets zeros. The graph is kept when `retainGraph` (defaults to `createGraph`) is set.
public func grad(of outputs: [Tensor], wrt inputs: [Tensor], gradOutputs: [Tensor]? = nil,
                 createGraph: Bool = false, retainGraph: Bool? = nil) -> [Tensor] {
    precondition(!outputs.isEmpty && !inputs.isEmpty, "grad(of:wrt:): needs at least one output and one input")
    let seeds: [Tensor] = gradOutputs ?? outputs.map { o in
        precondition(o.count == 1, "grad(of:wrt:): output of shape \(o.shape) is not a scalar; pass gradOutputs")
        return Tensor(repeating: 1, shape: o.shape)
    }
    precondition(seeds.count == outputs.count, "grad(of:wrt:): \(outputs.count) outputs but \(seeds.count) gradOutputs")
    for (o, s) in zip(outputs, seeds) {
        precondition(o.shape == s.shape, "grad(of:wrt:): gradOutput shape \(s.shape) does not match output shape \(o.shape)")
        precondition(o.requiresGrad, "grad(of:wrt:): output of shape \(o.shape) does not require grad")
    }
    for x in inputs { precondition(x.requiresGrad, "grad(of:wrt:): input of shape \(x.shape) does not require grad") }
    let found = Autograd.run(roots: outputs, seeds: seeds, inputs: inputs, createGraph: createGraph,
                             retainGraph: retainGraph ?? createGraph)
    return zip(inputs, found).map { x, g in g ?? Tensor(zeros: x.shape) }
}

/// Convenience for one output and one input.
public func grad(of output: Tensor, wrt input: Tensor, createGraph: Bool = false) -> Tensor {
    grad(of: [output], wrt: [input], createGraph: createGraph)[0]
}

enum Autograd {
    /// The backward engine shared by `backward()` and `grad(of:wrt:)`.
    /// With `inputs` nil, leaf gradients accumulate into `.grad`; otherwise they are returned for `inputs` only,
    /// and the walk is pruned to the part of the graph that leads to them.
    static func run(roots: [Tensor], seeds: [Tensor], inputs: [Tensor]?, createGraph: Bool, retainGraph: Bool) -> [Tensor?] {
        // Topological order by iterative DFS (a deep network must not overflow the stack).
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        // For grad(): which tensors can reach a requested input. Post-order visits children first, so the
        // flag is final when a node is appended.
        let wanted: Set<ObjectIdentifier> = Set((inputs ?? []).map { ObjectIdentifier($0) })
        var reaches = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = roots.map { ($0, 0) }
        while let (t, next) = stack.popLast() {
            let id = ObjectIdentifier(t)
            if next == 0 {
                if visited.contains(id) { continue }
                visited.insert(id)
            }
            if let fn = t.gradFn {
                precondition(!fn.isReleased, "backward: the graph through '\(fn.name)' was already freed; pass retainGraph: true to the first backward")
                if next < fn.inputs.count {
                    stack.append((t, next + 1))
                    let child = fn.inputs[next]
                    if child.requiresGrad, !visited.contains(ObjectIdentifier(child)) { stack.append((child, 0)) }
                    continue
                }
                if inputs != nil {
                    if wanted.contains(id) || fn.inputs.contains(where: { reaches.contains(ObjectIdentifier($0)) }) { reaches.insert(id) }
                }
            } else if wanted.contains(id) {
                reaches.insert(id)
            }
            order.append(t)
        }

        var pending: [ObjectIdentifier: (grad: Tensor, owned: Bool)] = [:]
        func accumulate(_ t: Tensor, _ g: Tensor) {
            let id = ObjectIdentifier(t)
            precondition(g.shape == t.shape, "backward: gradient shape \(g.shape) does not match tensor shape \(t.shape)\(t.gradFn.map { " (produced by \($0.name))" } ?? "")")
            guard let existing = pending[id] else { pending[id] = (g, false); return }
            if createGraph {
                pending[id] = (existing.grad + g, false)
            } else if existing.owned {
                addInPlace(existing.grad, g)
            } else {
                // The first gradient may alias another tensor's (add passes g to both inputs), so sum out of place once.
                pending[id] = (withNoGrad { existing.grad + g }, true)
            }
        }
        for (r, s) in zip(roots, seeds) { accumulate(r, s) }

        var results = [Tensor?](repeating: nil, count: inputs?.count ?? 0)
        let inputIndex: [ObjectIdentifier: [Int]] = Dictionary(grouping: (inputs ?? []).indices, by: { ObjectIdentifier(inputs![$0]) })

        for t in order.reversed() {
            let id = ObjectIdentifier(t)
            if inputs != nil && !reaches.contains(id) { continue }
            guard let (g, _) = pending.removeValue(forKey: id) else { continue }
            if let idx = inputIndex[id] {
                for i in idx { results[i] = g }
            }
            guard let fn = t.gradFn else {
                if inputs == nil && t.requiresGrad { accumulateLeaf(t, g, createGraph: createGraph) }
                continue
            }
            if inputs != nil && wanted.contains(id) && !fn.inputs.contains(where: { reaches.contains(ObjectIdentifier($0)) }) {
                continue
            }
            let grads = GradMode.with(enabled: createGraph) { fn.vjp!(g, createGraph) }
            precondition(grads.count == fn.inputs.count, "backward: '\(fn.name)' returned \(grads.count) gradients for \(fn.inputs.count) inputs")
            for (x, gx) in zip(fn.inputs, grads) {
                guard let gx, x.requiresGrad else { continue }
                if inputs != nil && !reaches.contains(ObjectIdentifier(x)) { continue }
                accumulate(x, gx)
            }
            if !retainGraph { fn.release() }
        }
        return results
    }

    static func accumulateLeaf(_ t: Tensor, _ g: Tensor, createGraph: Bool) {
        if let existing = t.grad {
            if !createGraph && t.gradIsOwned && existing.gradFn == nil {
                addInPlace(existing, g)
            } else if createGraph {
                t.grad = existing + g
                t.gradIsOwned = false
            } else {
                t.grad = withNoGrad { existing + g }
                t.gradIsOwned = true
            }
        } else if createGraph {
            t.grad = g
            t.gradIsOwned = false
        } else {
            // Copy so that later in-place accumulation (and in-place optimiser tricks) cannot reach a buffer
            // shared with another tensor's gradient.
            t.grad = g.copy()
            t.gradIsOwned = true
        }
    }
}
