import TensorEngine

/// The run's learning rate per optimiser step: a linear warm-up from 10 % over `warmup_epochs`, then
/// cosine annealing to 1 % of the base rate at the last step, or a constant rate.
enum LearningRatePlan {
    static func make(config: TrainConfig, batchesPerEpoch: Int) -> any LRSchedule {
        let base = Float(config.learningRate)
        let total = max(config.epochs * batchesPerEpoch, 1)
        let warm = min(config.warmupEpochs * batchesPerEpoch, total - 1)
        switch config.schedule {
        case "constant":
            return LinearWarmup(steps: warm, startFactor: 0.1, then: ConstantLR(base))
        default:
            return LinearWarmup(steps: warm, startFactor: 0.1,
                                then: CosineLR(base: base, totalSteps: max(total - warm, 1), minimum: base * 0.01))
        }
    }
}
