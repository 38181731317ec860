import Foundation
import TensorEngine

/// Adam/AdamW (PyTorch's update rule, per-parameter bias correction) whose complete state — both
/// moments and each parameter's step count — can be exported and restored. TensorEngine's `Adam`
/// keeps its moments private, and an exact `--resume` needs them bit for bit.
public final class CheckpointableAdam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    public let decoupledWeightDecay: Bool
    public let parameters: [Tensor]
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]
    private var parameterSteps: [Int]

    public init(parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        firstMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        secondMoments = parameters.map { [Float](repeating: 0, count: $0.count) }
        parameterSteps = Array(repeating: 0, count: parameters.count)
    }

    public func step() {
        stepCount += 1
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = self.eps
        let decay: Float = decoupledWeightDecay ? 1 - lr * weightDecay : 1
        let l2: Float = decoupledWeightDecay ? 0 : weightDecay
        for (i, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            parameterSteps[i] += 1
            let t = Double(parameterSteps[i])
            let stepSize = Float(Double(lr) / (1 - pow(Double(b1), t)))
            let bc2Sqrt = Float((1 - pow(Double(b2), t)).squareRoot())
            let pp = p.data, gp = grad.data
            firstMoments[i].withUnsafeMutableBufferPointer { m in
                secondMoments[i].withUnsafeMutableBufferPointer { v in
                    for j in 0..<p.count {
                        let g = gp[j] + l2 * pp[j]
                        let mj = b1 * m[j] + (1 - b1) * g
                        let vj = b2 * v[j] + (1 - b2) * g * g
                        m[j] = mj
                        v[j] = vj
                        pp[j] = pp[j] * decay - stepSize * mj / (vj.squareRoot() / bc2Sqrt + eps)
                    }
                }
            }
        }
    }

    // MARK: state

    /// Moments as `<prefix>m.<i>`, `<prefix>v.<i>` (F32) and step counts as `<prefix>steps` (I64 [P]).
    public func stateTensors(prefix: String = "optimizer.") -> [String: SafetensorsTensor] {
        var out: [String: SafetensorsTensor] = [:]
        for i in parameters.indices {
            out["\(prefix)m.\(i)"] = try! SafetensorsTensor(float32: firstMoments[i], shape: [firstMoments[i].count])
            out["\(prefix)v.\(i)"] = try! SafetensorsTensor(float32: secondMoments[i], shape: [secondMoments[i].count])
        }
        out["\(prefix)steps"] = try! SafetensorsTensor(int64: parameterSteps.map(Int64.init), shape: [parameterSteps.count])
        out["\(prefix)step_count"] = try! SafetensorsTensor(int64: [Int64(stepCount)], shape: [])
        return out
    }

    /// Restores what `stateTensors` wrote; checks everything before changing anything.
    public func load(stateTensors t: [String: SafetensorsTensor], prefix: String = "optimizer.") throws {
        func fail(_ why: String) -> CheckpointError { CheckpointError(message: "optimizer state: \(why)") }
        guard let steps = t["\(prefix)steps"]?.int64s(), steps.count == parameters.count,
              let count = t["\(prefix)step_count"]?.int64s().first else {
            throw fail("missing step counts for \(parameters.count) parameters")
        }
        var m: [[Float]] = [], v: [[Float]] = []
        for (i, p) in parameters.enumerated() {
            guard let mi = t["\(prefix)m.\(i)"], let vi = t["\(prefix)v.\(i)"], mi.dtype == .f32, vi.dtype == .f32,
                  mi.elementCount == p.count, vi.elementCount == p.count else {
                throw fail("moments of parameter \(i) missing or not \(p.count) values")
            }
            m.append(mi.floats())
            v.append(vi.floats())
        }
        firstMoments = m
        secondMoments = v
        parameterSteps = steps.map { Int($0) }
        stepCount = Int(count)
    }
}

/// A checkpoint that cannot be used to resume; says what is wrong.
public struct CheckpointError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
