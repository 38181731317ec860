#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam and AdamW with PyTorch's semantics and bias correction:
///   m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  p ← p − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).
/// Adam's weight decay is L2 (g ← g + λp); AdamW's is decoupled (p ← p·(1 − lr·λ) before the update).
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    /// True for AdamW's decoupled weight decay.
    public let decoupledWeightDecay: Bool
    public let parameters: [Tensor]
    public internal(set) var stepCount = 0
    // Internal, not private: AdamState.swift exports and restores them for exact resume.
    var firstMoments: [Tensor?]
    var secondMoments: [Tensor?]
    var parameterSteps: [Int]

    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = Array(repeating: nil, count: parameters.count)
        secondMoments = Array(repeating: nil, count: parameters.count)
        parameterSteps = Array(repeating: 0, count: parameters.count)
    }

    /// AdamW: Adam with decoupled weight decay (PyTorch's default λ = 0.01).
    public static func adamW(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                             eps: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, eps: eps,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    public func step() {
        stepCount += 1
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = self.eps, wd = weightDecay, decoupled = decoupledWeightDecay
        withNoGrad {
            for (i, p) in parameters.enumerated() {
                guard let grad = p.grad else { continue }
                if firstMoments[i] == nil {
                    firstMoments[i] = Tensor.zeros(p.shape)
                    secondMoments[i] = Tensor.zeros(p.shape)
                }
                // Per-parameter step counts, as PyTorch keeps them: a parameter that had no gradient
                // on some steps gets its own bias correction.
                parameterSteps[i] += 1
                let t = Double(parameterSteps[i])
                let bc1 = 1 - pow(Double(b1), t)
                let bc2 = 1 - pow(Double(b2), t)
                let stepSize = Float(Double(lr) / bc1)
                let bc2Sqrt = Float(bc2.squareRoot())
                let pp = p.data, gp = grad.data, mp = firstMoments[i]!.data, vp = secondMoments[i]!.data
                let decay: Float = decoupled ? 1 - lr * wd : 1
                let l2: Float = decoupled ? 0 : wd
                parallelElements(p.count) { r in
                    for j in r {
                        let g = gp[j] + l2 * pp[j]
                        let m = b1 * mp[j] + (1 - b1) * g
                        let v = b2 * vp[j] + (1 - b2) * g * g
                        mp[j] = m
                        vp[j] = v
                        pp[j] = pp[j] * decay - stepSize * m / (v.squareRoot() / bc2Sqrt + eps)
                    }
                }
            }
        }
    }
}
