import TensorEngine

/// A convolution with batch norm folded into its weight and bias and the activation fused into the
/// output pass: the inference form of conv + BN (+ ReLU).
public struct FusedConv {
    public let weight: Tensor
    public let bias: Tensor
    public let stride: Size2, padding: Size2
    public let activation: Activation
    /// Filter transforms computed on the first call and reused: the weights never change after folding.
    let prepared = PreparedFilters()

    /// Folds `bn`'s running statistics and affine parameters into `conv` (copies; the layers are untouched).
    public init(_ conv: Conv2d, _ bn: BatchNorm2d, activation: Activation) {
        let f = withNoGrad {
            foldBatchNorm(weight: conv.weight, bias: conv.bias, gamma: bn.weight, beta: bn.bias,
                          runningMean: bn.runningMean, runningVar: bn.runningVar, eps: bn.eps)
        }
        weight = f.weight.detach()
        bias = f.bias.detach()
        stride = conv.stride
        padding = conv.padding
        self.activation = activation
    }

    /// A plain conv with its own bias (FPN laterals, smoothing, head): nothing to fold.
    public init(_ conv: Conv2d, activation: Activation = .none) {
        weight = conv.weight.copy()
        bias = conv.bias?.copy() ?? Tensor.zeros([conv.outChannels])
        stride = conv.stride
        padding = conv.padding
        self.activation = activation
    }

    /// The `down` shortcut: Sequential(conv, bn).
    init(projection: Sequential) {
        self.init(projection.layers[0] as! Conv2d, projection.layers[1] as! BatchNorm2d, activation: .none)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        LayerProfiler.measure("conv2dFused") {
            conv2dFused(x, weight: weight, bias: bias, stride: stride, padding: padding, activation: activation,
                        prepared: prepared)
        }
    }
}

/// A residual block in inference form: its fused convs in order, the optional fused projection, then
/// add and ReLU.
public struct FoldedBlock {
    public let convs: [FusedConv]
    public let down: FusedConv?

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let identity = down.map { $0(x) } ?? x
        let y = convs.reduce(x) { h, c in c(h) }
        return LayerProfiler.measure("add+relu") { addRelu(y, identity) }
    }
}

/// ReLU attributed to the "relu" kind in layer profiles.
func profiledReLU(_ x: Tensor) -> Tensor { LayerProfiler.measure("relu") { x.relu() } }
