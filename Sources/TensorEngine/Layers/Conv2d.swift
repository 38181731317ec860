/// 2-D convolution layer (groups = 1) with PyTorch's parameter names (`weight` [out, in, kH, kW],
/// optional `bias`) and PyTorch's default initialisation: Kaiming-uniform with a = √5 for the weight
/// (bound 1/√fanIn) and U(−1/√fanIn, 1/√fanIn) for the bias.
public final class Conv2d: Module, Layer {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: Size2, stride: Size2, padding: Size2
    public let weight: Tensor
    public let bias: Tensor?
    public var kind: String { "conv2d" }

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2, stride: Size2 = 1, padding: Size2 = 0,
                bias: Bool = true, rng: inout RandomGenerator) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        let shape = [outChannels, inChannels, kernelSize.h, kernelSize.w]
        weight = Tensor.kaimingUniform(shape, negativeSlope: Float(5).squareRoot(), rng: &rng)
        let bound = 1 / Float(Tensor.fanIn(shape)).squareRoot()
        self.bias = bias ? Tensor.uniform([outChannels], low: -bound, high: bound, rng: &rng) : nil
        super.init()
        register(parameter: weight, as: "weight")
        if let b = self.bias { register(parameter: b, as: "bias") }
    }

    public func forward(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
