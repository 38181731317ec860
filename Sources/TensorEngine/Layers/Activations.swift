/// ReLU as a layer, for use inside `Sequential` (it owns nothing, so it adds no state-dict entries
/// but keeps PyTorch's child indices aligned).
public final class ReLU: Module, Layer {
    public var kind: String { "relu" }
    public override init() { super.init() }
    public func forward(_ x: Tensor) -> Tensor { x.relu() }
}

/// LeakyReLU as a layer (PyTorch's default slope 0.01; WGAN critics use 0.2).
public final class LeakyReLU: Module, Layer {
    public let negativeSlope: Float
    public var kind: String { "leakyRelu" }
    public init(negativeSlope: Float = 0.01) {
        self.negativeSlope = negativeSlope
        super.init()
    }
    public func forward(_ x: Tensor) -> Tensor { x.leakyRelu(negativeSlope) }
}

/// Max pooling as a layer.
public final class MaxPool2d: Module, Layer {
    public let kernelSize: Size2, stride: Size2, padding: Size2
    public var kind: String { "maxPool2d" }
    public init(kernelSize: Size2, stride: Size2? = nil, padding: Size2 = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        super.init()
    }
    public func forward(_ x: Tensor) -> Tensor { maxPool2d(x, kernel: kernelSize, stride: stride, padding: padding) }
}
