/// A module with a single-input forward pass. `callAsFunction` routes through the profiler so layer
/// time can be attributed per kind without touching each layer.
public protocol Layer: Module {
    /// Short kind name used in profiles ("conv2d", "batchNorm2d", ...).
    var kind: String { get }
    func forward(_ x: Tensor) -> Tensor
}

extension Layer {
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard let profiler = LayerProfiler.active else { return forward(x) }
        return profiler.time(kind) { forward(x) }
    }
}
