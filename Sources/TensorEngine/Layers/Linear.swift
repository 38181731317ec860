/// Fully connected layer, y = x·Wᵀ + b, W of shape [out, in], with PyTorch's default initialisation
/// (Kaiming-uniform a = √5, bias U(−1/√in, 1/√in)).
public final class Linear: Module, Layer {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Tensor
    public let bias: Tensor?
    public var kind: String { "linear" }

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Tensor.kaimingUniform([outFeatures, inFeatures], negativeSlope: Float(5).squareRoot(), rng: &rng)
        let bound = 1 / Float(max(inFeatures, 1)).squareRoot()
        self.bias = bias ? Tensor.uniform([outFeatures], low: -bound, high: bound, rng: &rng) : nil
        super.init()
        register(parameter: weight, as: "weight")
        if let b = self.bias { register(parameter: b, as: "bias") }
    }

    public func forward(_ x: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }
}
