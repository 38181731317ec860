import TensorEngine

/// The run's learning rate per optimiser step: a linear warm-up from 10 % over `warmup_epochs`, then
/// cosine annealing to 1 % of the base rate at the last step, or a constant rate.
/// The detector's and the refiner's trainers share it.
enum LearningRatePlan {
    static func make(config: TrainConfig, batchesPerEpoch: Int) -> any LRSchedule {
        make(base: config.learningRate, epochs: config.epochs, warmupEpochs: config.warmupEpochs,
             batchesPerEpoch: batchesPerEpoch, constant: config.schedule == .constant)
    }

    static func make(base rate: Double, epochs: Int, warmupEpochs: Int, batchesPerEpoch: Int, constant: Bool = false) -> any LRSchedule {
        let base = Float(rate)
        let total = max(epochs * batchesPerEpoch, 1)
        let warm = min(warmupEpochs * batchesPerEpoch, total - 1)
        if constant { return LinearWarmup(steps: warm, startFactor: 0.1, then: ConstantLR(base)) }
        return LinearWarmup(steps: warm, startFactor: 0.1,
                            then: CosineLR(base: base, totalSteps: max(total - warm, 1), minimum: base * 0.01))
    }
}
