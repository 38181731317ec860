/// Stochastic gradient descent with PyTorch's semantics:
///   g ← grad + λ·p;  b ← g (first step) or μ·b + (1 − τ)·g;  g ← g + μ·b (Nesterov) or b;  p ← p − lr·g.
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float, dampening: Float, weightDecay: Float
    public let nesterov: Bool
    public let parameters: [Tensor]
    public private(set) var stepCount = 0
    private var buffers: [Tensor?]

    public init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov needs momentum > 0 and zero dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        buffers = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        stepCount += 1
        let lr = learningRate, mu = momentum, damp = dampening, wd = weightDecay, nesterov = self.nesterov
        withNoGrad {
            for (i, p) in parameters.enumerated() {
                guard let grad = p.grad else { continue }
                let pp = p.data, gp = grad.data
                if mu == 0 {
                    parallelElements(p.count) { r in for j in r { pp[j] -= lr * (gp[j] + wd * pp[j]) } }
                    continue
                }
                let first = buffers[i] == nil
                if first { buffers[i] = Tensor.zeros(p.shape) }
                let bp = buffers[i]!.data
                parallelElements(p.count) { r in
                    for j in r {
                        let g = gp[j] + wd * pp[j]
                        let b = first ? g : mu * bp[j] + (1 - damp) * g
                        bp[j] = b
                        pp[j] -= lr * (nesterov ? g + mu * b : b)
                    }
                }
            }
        }
    }
}
