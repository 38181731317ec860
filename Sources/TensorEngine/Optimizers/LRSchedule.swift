#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A learning rate as a function of the 0-based optimiser step. Schedules compose: `LinearWarmup`
/// wraps another schedule, which starts counting from 0 when the warm-up ends.
public protocol LRSchedule {
    func learningRate(at step: Int) -> Float
}

extension LRSchedule {
    /// Sets the optimiser's rate for `step`; call before `optimizer.step()`.
    public func apply(to optimizer: any Optimizer, step: Int) {
        optimizer.learningRate = learningRate(at: step)
    }
}

/// The same rate at every step.
public struct ConstantLR: LRSchedule {
    public let base: Float
    public init(_ base: Float) { self.base = base }
    public func learningRate(at step: Int) -> Float { base }
}

/// base · γ^⌊step / stepSize⌋ (PyTorch's StepLR).
public struct StepLR: LRSchedule {
    public let base: Float, stepSize: Int, gamma: Float
    public init(base: Float, stepSize: Int, gamma: Float = 0.1) {
        precondition(stepSize > 0, "StepLR: stepSize must be positive")
        self.base = base
        self.stepSize = stepSize
        self.gamma = gamma
    }
    public func learningRate(at step: Int) -> Float {
        base * Float(pow(Double(gamma), Double(max(step, 0) / stepSize)))
    }
}

/// Cosine annealing from `base` at step 0 to `minimum` at `totalSteps`, held there afterwards
/// (PyTorch's CosineAnnealingLR with T_max = totalSteps, without restarts).
public struct CosineLR: LRSchedule {
    public let base: Float, totalSteps: Int, minimum: Float
    public init(base: Float, totalSteps: Int, minimum: Float = 0) {
        precondition(totalSteps > 0, "CosineLR: totalSteps must be positive")
        self.base = base
        self.totalSteps = totalSteps
        self.minimum = minimum
    }
    public func learningRate(at step: Int) -> Float {
        let s = Double(min(max(step, 0), totalSteps))
        return minimum + (base - minimum) * Float((1 + cos(Double.pi * s / Double(totalSteps))) / 2)
    }
}

/// Linear warm-up over `steps` steps from `startFactor` × the wrapped schedule's first rate up to it,
/// then the wrapped schedule from its own step 0.
public struct LinearWarmup<Inner: LRSchedule>: LRSchedule {
    public let steps: Int, startFactor: Float
    public let inner: Inner
    public init(steps: Int, startFactor: Float = 0, then inner: Inner) {
        precondition(steps >= 0, "LinearWarmup: steps must be non-negative")
        self.steps = steps
        self.startFactor = startFactor
        self.inner = inner
    }
    public func learningRate(at step: Int) -> Float {
        if step >= steps { return inner.learningRate(at: step - steps) }
        let f = startFactor + (1 - startFactor) * Float(max(step, 0)) / Float(steps)
        return inner.learningRate(at: 0) * f
    }
}
