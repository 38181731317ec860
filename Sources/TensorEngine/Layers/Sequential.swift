/// Layers applied in order; children are named "0", "1", ... as in PyTorch's `nn.Sequential`, so
/// nested names such as `stem.1.running_mean` line up.
public final class Sequential: Module, Layer {
    public let layers: [any Layer]
    public var kind: String { "sequential" }

    public init(_ layers: [any Layer]) {
        self.layers = layers
        super.init()
        for (i, l) in layers.enumerated() { register(child: l, as: String(i)) }
    }

    public func forward(_ x: Tensor) -> Tensor {
        layers.reduce(x) { y, layer in layer(y) }
    }
}

/// An indexed list of modules with no forward of its own (PyTorch's `nn.ModuleList`): children are
/// named "0", "1", ...
public final class ModuleList<Element: Module>: Module {
    public let items: [Element]

    public init(_ items: [Element]) {
        self.items = items
        super.init()
        for (i, m) in items.enumerated() { register(child: m, as: String(i)) }
    }

    public subscript(i: Int) -> Element { items[i] }
    public var count: Int { items.count }
}
