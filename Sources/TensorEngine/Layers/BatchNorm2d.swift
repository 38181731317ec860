/// Batch normalisation over NCHW channels with PyTorch's names and semantics: affine `weight`/`bias`
/// (ones/zeros), `running_mean`/`running_var` updated with momentum 0.1 from the unbiased batch
/// variance in training mode, eps 1e-5, and the `num_batches_tracked` counter.
public final class BatchNorm2d: Module, Layer {
    public let channels: Int
    public let momentum: Float, eps: Float
    public let weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVar: Tensor
    public let numBatchesTracked: CounterBuffer
    /// In training, take batch statistics over every replica's batch (synchronised batch norm) instead of this
    /// process's alone; nil = local statistics.
    public var replicas: (any ReplicaReducer)?
    public var kind: String { "batchNorm2d" }

    public init(_ channels: Int, momentum: Float = 0.1, eps: Float = 1e-5) {
        self.channels = channels
        self.momentum = momentum
        self.eps = eps
        weight = Tensor.ones([channels])
        bias = Tensor.zeros([channels])
        runningMean = Tensor.zeros([channels])
        runningVar = Tensor.ones([channels])
        numBatchesTracked = CounterBuffer(0)
        super.init()
        register(parameter: weight, as: "weight")
        register(parameter: bias, as: "bias")
        register(buffer: runningMean, as: "running_mean")
        register(buffer: runningVar, as: "running_var")
        register(counter: numBatchesTracked, as: "num_batches_tracked")
    }

    public func forward(_ x: Tensor) -> Tensor {
        if isTraining { numBatchesTracked.value += 1 }
        return batchNorm2d(x, gamma: weight, beta: bias, runningMean: runningMean, runningVar: runningVar,
                           training: isTraining, momentum: momentum, eps: eps, replicas: replicas)
    }
}
