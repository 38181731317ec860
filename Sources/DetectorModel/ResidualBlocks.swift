import TensorEngine

/// A ResNet residual block; `folded()` gives its inference form with BN folded into the convs.
public protocol ResidualBlock: Layer {
    func folded() -> FoldedBlock
}

/// conv3×3(stride) + BN + ReLU, conv3×3 + BN, plus the identity (or a 1×1 conv + BN projection
/// named `down` when the shape changes), then ReLU. Names follow torch_fpn.py.
public final class BasicBlock: Module, ResidualBlock {
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    public let down: Sequential?
    public var kind: String { "block" }

    public init(_ inChannels: Int, _ outChannels: Int, stride: Int, rng: inout RandomGenerator) {
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, stride: Size2(stride, stride), padding: 1, bias: false, rng: &rng)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(outChannels)
        down = (stride != 1 || inChannels != outChannels) ? projection(inChannels, outChannels, stride: stride, rng: &rng) : nil
        super.init()
        register(child: conv1, as: "conv1")
        register(child: bn1, as: "bn1")
        register(child: conv2, as: "conv2")
        register(child: bn2, as: "bn2")
        if let down { register(child: down, as: "down") }
    }

    public func forward(_ x: Tensor) -> Tensor {
        let identity = down.map { $0(x) } ?? x
        let y = profiledReLU(bn1(conv1(x)))
        let z = bn2(conv2(y))
        return LayerProfiler.measure("add+relu") { addRelu(z, identity) }
    }

    public func folded() -> FoldedBlock {
        FoldedBlock(convs: [FusedConv(conv1, bn1, activation: .relu), FusedConv(conv2, bn2, activation: .none)],
                    down: down.map(FusedConv.init(projection:)))
    }
}

/// conv1×1 + BN + ReLU, conv3×3(stride) + BN + ReLU, conv1×1 (×4 channels) + BN, plus the identity or
/// a projection `down`, then ReLU (torchvision's ResNet v1.5 places the stride on the 3×3).
public final class Bottleneck: Module, ResidualBlock {
    public static let expansion = 4
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d, conv3: Conv2d, bn3: BatchNorm2d
    public let down: Sequential?
    public var kind: String { "block" }

    public init(_ inChannels: Int, width: Int, stride: Int, rng: inout RandomGenerator) {
        let out = width * Bottleneck.expansion
        conv1 = Conv2d(inChannels, width, kernelSize: 1, bias: false, rng: &rng)
        bn1 = BatchNorm2d(width)
        conv2 = Conv2d(width, width, kernelSize: 3, stride: Size2(stride, stride), padding: 1, bias: false, rng: &rng)
        bn2 = BatchNorm2d(width)
        conv3 = Conv2d(width, out, kernelSize: 1, bias: false, rng: &rng)
        bn3 = BatchNorm2d(out)
        down = (stride != 1 || inChannels != out) ? projection(inChannels, out, stride: stride, rng: &rng) : nil
        super.init()
        register(child: conv1, as: "conv1")
        register(child: bn1, as: "bn1")
        register(child: conv2, as: "conv2")
        register(child: bn2, as: "bn2")
        register(child: conv3, as: "conv3")
        register(child: bn3, as: "bn3")
        if let down { register(child: down, as: "down") }
    }

    public func forward(_ x: Tensor) -> Tensor {
        let identity = down.map { $0(x) } ?? x
        var y = profiledReLU(bn1(conv1(x)))
        y = profiledReLU(bn2(conv2(y)))
        let z = bn3(conv3(y))
        return LayerProfiler.measure("add+relu") { addRelu(z, identity) }
    }

    public func folded() -> FoldedBlock {
        FoldedBlock(convs: [FusedConv(conv1, bn1, activation: .relu), FusedConv(conv2, bn2, activation: .relu),
                            FusedConv(conv3, bn3, activation: .none)],
                    down: down.map(FusedConv.init(projection:)))
    }
}

/// The 1×1 strided conv + BN shortcut, as `nn.Sequential(conv, bn)` so its names are `down.0`, `down.1`.
func projection(_ inChannels: Int, _ outChannels: Int, stride: Int, rng: inout RandomGenerator) -> Sequential {
    Sequential([Conv2d(inChannels, outChannels, kernelSize: 1, stride: Size2(stride, stride), bias: false, rng: &rng),
                BatchNorm2d(outChannels)])
}
