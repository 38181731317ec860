/// A mutable Int64 that a module owns and exposes in its state dict, for counters PyTorch keeps as
/// integer buffers (BatchNorm's `num_batches_tracked`). The engine's tensors are Float32 only, and a
/// step counter must stay exact past 2^24.
public final class CounterBuffer {
    public var value: Int64
    public init(_ value: Int64 = 0) { self.value = value }
}

/// Base class of every layer: owns named parameters, buffers, counters and child modules, and derives
/// from them PyTorch-compatible hierarchical names (`layer1.0.conv1.weight`), train/eval mode, and
/// state-dict save/load through safetensors.
///
/// Subclasses register what they own in their initialiser, in PyTorch's declaration order, so the
/// names and their order match `state_dict()` of the equivalent `nn.Module`.
open class Module {
    private var ownParameters: [(String, Tensor)] = []
    private var ownBuffers: [(String, Tensor)] = []
    private var ownCounters: [(String, CounterBuffer)] = []
    private var ownChildren: [(String, Module)] = []

    /// Training mode: batch norm uses batch statistics and updates its running ones.
    public private(set) var isTraining = true

    public init() {}

    // MARK: registration

    /// Registers a trainable tensor (it is marked `requiresGrad`) and returns it.
    @discardableResult
    public func register(parameter: Tensor, as name: String) -> Tensor {
        precondition(!name.contains("."), "Module: parameter name '\(name)' must not contain '.'")
        parameter.requiresGrad = true
        ownParameters.append((name, parameter))
        return parameter
    }

    /// Registers a non-trainable Float tensor saved in the state dict (running statistics).
    @discardableResult
    public func register(buffer: Tensor, as name: String) -> Tensor {
        precondition(!name.contains("."), "Module: buffer name '\(name)' must not contain '.'")
        ownBuffers.append((name, buffer))
        return buffer
    }

    /// Registers an integer counter saved as a 0-d I64 tensor, as PyTorch saves it.
    @discardableResult
    public func register(counter: CounterBuffer, as name: String) -> CounterBuffer {
        ownCounters.append((name, counter))
        return counter
    }

    /// Registers a child; its entries appear under `name.`.
    @discardableResult
    public func register<M: Module>(child: M, as name: String) -> M {
        precondition(!name.contains("."), "Module: child name '\(name)' must not contain '.'")
        ownChildren.append((name, child))
        return child
    }

    // MARK: traversal

    /// Direct children in registration order.
    public var children: [(String, Module)] { ownChildren }

    /// Every module of the tree with its dotted path ("" for self), depth first, parents first.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var out = [(prefix, self)]
        for (n, c) in ownChildren { out += c.namedModules(prefix: Module.join(prefix, n)) }
        return out
    }

    public func namedParameters(prefix: String = "") -> [(String, Tensor)] {
        var out = ownParameters.map { (Module.join(prefix, $0.0), $0.1) }
        for (n, c) in ownChildren { out += c.namedParameters(prefix: Module.join(prefix, n)) }
        return out
    }

    public func namedBuffers(prefix: String = "") -> [(String, Tensor)] {
        var out = ownBuffers.map { (Module.join(prefix, $0.0), $0.1) }
        for (n, c) in ownChildren { out += c.namedBuffers(prefix: Module.join(prefix, n)) }
        return out
    }

    public func namedCounters(prefix: String = "") -> [(String, CounterBuffer)] {
        var out = ownCounters.map { (Module.join(prefix, $0.0), $0.1) }
        for (n, c) in ownChildren { out += c.namedCounters(prefix: Module.join(prefix, n)) }
        return out
    }

    /// All trainable tensors, for an optimiser.
    public func parameters() -> [Tensor] { namedParameters().map { $0.1 } }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    // MARK: mode

    /// Sets training mode on this module and every descendant.
    public func train(_ on: Bool = true) {
        isTraining = on
        for (_, c) in ownChildren { c.train(on) }
    }

    /// Inference mode: batch norm uses running statistics.
    public func eval() { train(false) }

    /// Drops every parameter's gradient.
    public func zeroGrad() { for p in parameters() { p.zeroGrad() } }
}
