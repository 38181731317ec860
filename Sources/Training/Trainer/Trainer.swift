import Cluster
import DetectorModel
import Foundation
import Landmarks
import Logging
import RunArtefacts
import TensorEngine

/// What a finished `Trainer.run` achieved.
public struct TrainingSummary: Sendable {
    /// Epochs run by this call (after a resume, only the new ones) and their results.
    public var history: [EpochResult]
    public var completedEpochs: Int
    public var bestEpoch: Int?
    public var bestMeanRadialError: Double?
    public var unit: String?
}

/// Trains an FPN heatmap detector: per-sample base loss → sample weighting → Adam, validation after every
/// epoch, atomic checkpoints, the best epoch as a self-contained model directory, exact resume, and a
/// guard that skips non-finite steps instead of letting them into the weights.
public final class Trainer {
    public let config: TrainConfig
    public let data: TrainingData
    public let run: RunDirectory
    public let network: FPNKeypointNet
    public let preset: String
    public let optimizer: Adam
    public let loss: any PerSampleLoss
    public let weighting: any SampleWeighting
    public var callbacks = TrainerCallbacks()
    /// May change a batch before its step; a seam for tests (poisoning a batch with NaN) and debugging.
    public var batchHook: ((inout TrainingBatch, _ epoch: Int, _ batch: Int) -> Void)?
    public var completedEpochs: Int { progress.completedEpochs }
    public var globalStep: Int { progress.globalStep }

    private var progress = TrainingProgress()
    /// (image id, difficulty) of every training sample seen this epoch, for difficulty.csv.
    private var epochDifficulty: [(String, Float)] = []
    /// The same scores grouped by batch, for the within-batch spread (difficulty-spread.csv).
    private var epochBatchDifficulty: [[Float]] = []
    /// Only a weighting that scores samples has difficulties worth logging; the mean gives every sample 1.
    private var logsDifficulty: Bool { weighting is AFLWeighting }
    /// Images known to be hard (the phantom's sidecar), to measure how well difficulty finds them.
    private let hardImageIDs: Set<String>?
    private let trainPipeline: SamplePipeline
    private let validator: Validator
    private let schedule: any LRSchedule
    /// Optimiser steps per epoch (a ragged last batch is dropped when there are full ones).
    public let batchesPerEpoch: Int
    /// The job's ranks; rank 0 alone writes the run directory. One process without mpirun.
    public let communicator: any Communicator
    /// Set only when more than one rank trains: a single process takes exactly the path it always took.
    private let parallel: DataParallel?
    private var isRoot: Bool { communicator.isRoot }
    private let logger = Logger(label: "LandmarkKit.trainer")

    /// `communicator`: the ranks of an `mpirun` job (data-parallel training, docs/DISTRIBUTED.md); the default is one process.
    public init(config: TrainConfig, data: TrainingData, runDirectory: URL,
                weighting: (any SampleWeighting)? = nil, communicator: any Communicator = SingleProcess()) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw TrainerError.configuration(problems.joined(separator: "; ")) }
        self.config = config
        self.data = data
        self.run = RunDirectory(runDirectory)
        self.loss = BaseLoss(config.loss)
        preset = config.preset.rawValue
        let net = config.preset.network(keypoints: data.schema.count)
        // An explicit weighting wins; otherwise the configuration's `afl` section chooses.
        if let weighting {
            self.weighting = weighting
        } else if let afl = config.afl {
            self.weighting = AFLWeighting(keypoints: data.schema.count, config: afl, outputIsLogit: loss.outputIsLogit,
                                          seed: config.seed)
        } else {
            self.weighting = MeanWeighting()
        }
        hardImageIDs = Self.knownHardImages(dataset: config.dataset, logger: logger)
        network = FPNKeypointNet(config: net, seed: config.seed)
        network.train()
        optimizer = Adam(parameters: network.parameters(), learningRate: Float(config.learningRate),
                         weightDecay: Float(config.weightDecay), decoupledWeightDecay: config.optimizer == .adamw)

        var sample = SampleConfig(inputWidth: config.inputWidth, inputHeight: config.inputHeight,
                                  heatmapStride: FPNConfig.outputStride, sigma: config.sigma)
        sample.threshold = Float(config.presenceThreshold)
        sample.absentLandmarks = config.absentLandmarks
        let validationProtocol = TrainingData.validationProtocol(for: config)
        var augmenter: Augmenter?
        if config.augment {
            var a = AugmentationConfig()
            a.protocols = config.contrastProtocol == .random ? data.randomProtocols : []
            augmenter = Augmenter(config: a, schema: data.schema)
        } else if config.contrastProtocol == .random {
            // Random contrast is itself an augmentation; keep it even with geometry and intensity off.
            var a = AugmentationConfig()
            a.rotationDegrees = 0; a.scaleMin = 1; a.scaleMax = 1; a.translationFraction = 0; a.flipProbability = 0
            a.gammaMin = 1; a.gammaMax = 1; a.noiseStd = 0; a.protocols = data.randomProtocols
            augmenter = Augmenter(config: a, schema: data.schema)
        }
        trainPipeline = SamplePipeline(source: data.source, schema: data.schema, config: sample, contrast: data.contrast,
                                       augmenter: augmenter, defaultProtocol: validationProtocol)
        let validationPipeline = SamplePipeline(source: data.source, schema: data.schema, config: sample,
                                                contrast: data.contrast, augmenter: nil, defaultProtocol: validationProtocol)
        validator = Validator(pipeline: validationPipeline, images: data.validation, batchSize: config.batchSize,
                              loss: loss, presenceThreshold: config.presenceThreshold)
        self.communicator = communicator
        if communicator.size > 1 {
            guard config.batchSize >= communicator.size, data.train.count >= communicator.size else {
                throw TrainerError.configuration("batch_size \(config.batchSize) (the global batch) and the \(data.train.count) training images must each be at least the \(communicator.size) ranks")
            }
            let dp = DataParallel(communicator: communicator, batchNorm: config.batchNorm)
            dp.attach(network: network, weighting: self.weighting)
            parallel = dp
        } else {
            parallel = nil
        }
        let n = data.train.count
        batchesPerEpoch = Self.dropLast(n, config.batchSize) ? n / config.batchSize : (n + config.batchSize - 1) / config.batchSize
        schedule = LearningRatePlan.make(config: config, batchesPerEpoch: batchesPerEpoch)
    }

    /// A ragged last batch is dropped when there are full ones: a batch of one or two gives noisy
    /// batch-norm statistics.
    static func dropLast(_ count: Int, _ batchSize: Int) -> Bool { count > batchSize }

    // MARK: run

    /// Trains up to `config.epochs`. With `resume`, continues from `checkpoints/last.safetensors` and
    /// reaches the same weights as an uninterrupted run; without it, refuses a directory that already
    /// holds a checkpoint. `stoppingAfter` ends the call after that many completed epochs (a bounded
    /// session; the schedule still follows `config.epochs`, and a later `--resume` carries on exactly).
    @discardableResult
    public func run(resume: Bool = false, stoppingAfter stopEpoch: Int? = nil) throws -> TrainingSummary {
        let fm = FileManager.default
        let configYAML = try TrainConfigFile.yaml(config)
        if resume {
            try restoreLastCheckpoint()
        } else if fm.fileExists(atPath: run.lastCheckpoint.path) {
            throw TrainerError.runDirectory("\(run.root.path) already holds a checkpoint; pass --resume to continue it or choose another --out")
        }
        if isRoot {
            try fm.createDirectory(at: run.checkpoints, withIntermediateDirectories: true)
            try TrainConfigFile.write(config, to: run.config)
            try run.prepareMetrics(keepEpochs: progress.completedEpochs)
            if logsDifficulty { try run.prepareDifficulty(keepEpochs: progress.completedEpochs) }
        }

        var history: [EpochResult] = []
        while progress.completedEpochs < min(config.epochs, stopEpoch ?? .max) {
            let epoch = progress.completedEpochs
            let start = Date()
            let (trainLoss, skipped, lr) = try trainEpoch(epoch)
            parallel?.averageRunningStatistics(network)
            let metrics = try validator.run(network: network, communicator: communicator, progress: callbacks.validation)
            progress.completedEpochs += 1
            let isBest = metrics.meanRadialError.isFinite && metrics.meanRadialError < (progress.bestMetric ?? .infinity)
            var result = EpochResult(epoch: epoch + 1, trainLoss: trainLoss, validation: metrics, learningRate: lr,
                                     skippedSteps: skipped, seconds: Date().timeIntervalSince(start), isBest: isBest)
            if let dp = parallel {
                try gatherDifficulty(dp)
                if isRoot, dp.reducedSteps > 0 {
                    logger.info("epoch \(epoch + 1): gradient allreduce \(String(format: "%.1f", 1000 * dp.reduceSeconds / Double(dp.reducedSteps))) ms/step over \(communicator.size) ranks")
                }
            }
            if isBest {
                progress.bestEpoch = epoch + 1
                progress.bestMetric = metrics.meanRadialError
            }
            // Every rank keeps the same counters and takes the same decisions; only rank 0 writes them down.
            if isRoot {
                try writeEpoch(&result, configYAML: configYAML)
                logger.info("epoch \(epoch + 1)/\(config.epochs): train loss \(String(format: "%.5g", trainLoss)), val MRE \(String(format: "%.3f", metrics.meanRadialError)) \(metrics.unit), SDR@2/2.5/3/4 \(Validator.radiiMM.map { r in metrics.successRates[Validator.key(r)].map { String(format: "%.1f%%", 100 * $0) } ?? "n/a" }.joined(separator: "/")), FN \(metrics.falseNegatives) at τ=\(config.presenceThreshold)\(result.difficultySeparation?.auc.map { String(format: ", difficulty AUC hard vs easy %.3f", $0) } ?? "")\(isBest ? " (best)" : "")")
            }
            history.append(result)
            callbacks.epoch?(result)
        }
        // A finished run resumed under `last` selection re-publishes its final weights, so a run made while the
        // default was the best validation epoch can be brought to the honest choice without retraining.
        if resume, history.isEmpty, config.modelSelection == .last, progress.completedEpochs == config.epochs,
           (try? ModelDirectory.load(run.model).card.training["model_epoch"]) != String(progress.completedEpochs) {
            let metrics = try validator.run(network: network, communicator: communicator, progress: callbacks.validation)
            if isRoot {
                try writeModel(EpochResult(epoch: progress.completedEpochs, trainLoss: .nan, validation: metrics, learningRate: 0,
                                           skippedSteps: 0, seconds: 0, isBest: false))
            }
        }
        return TrainingSummary(history: history, completedEpochs: progress.completedEpochs, bestEpoch: progress.bestEpoch,
                               bestMeanRadialError: progress.bestMetric, unit: history.last?.validation.unit)
    }

    /// Rank 0's files for one finished epoch: metrics and difficulty rows, the best checkpoint and model, then the
    /// resume checkpoint last (each written atomically), so a kill at any point leaves a consistent run directory.
    private func writeEpoch(_ result: inout EpochResult, configYAML: String) throws {
        try run.appendMetrics(result)
        if logsDifficulty {
            try run.appendDifficulty(epoch: result.epoch, rows: epochDifficulty)
            try run.appendDifficultySpread(DifficultySpread(epoch: result.epoch, batches: epochBatchDifficulty))
            result.difficultySeparation = try writeDifficultyFigures()
        }
        if result.isBest { try saveBest(result) }
        if config.modelSelection == .last || (result.isBest && config.modelSelection == .bestValidation) {
            try writeModel(result)
        }
        try TrainingCheckpoint.archive(network: network, optimizer: optimizer, weighting: weighting,
                                       progress: progress, configYAML: configYAML,
                                       worldSize: communicator.size).write(to: run.lastCheckpoint.path)
    }

    /// Rank 0 logs every sample's difficulty, so the ranks' rows come to it in the order one process would log them.
    private func gatherDifficulty(_ dp: DataParallel) throws {
        guard logsDifficulty else { return }
        var batches: [[DifficultyRow]] = [], offset = 0
        for weights in epochBatchDifficulty {
            batches.append(epochDifficulty[offset..<(offset + weights.count)].map { DifficultyRow(image: $0.0, difficulty: $0.1) })
            offset += weights.count
        }
        guard let merged = try dp.gatherDifficulty(batches) else { return }
        epochBatchDifficulty = merged.map { $0.map(\.difficulty) }
        epochDifficulty = merged.flatMap { $0.map { ($0.image, $0.difficulty) } }
    }

    private func restoreLastCheckpoint() throws {
        let path = run.lastCheckpoint.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainerError.runDirectory("nothing to resume: \(path) does not exist")
        }
        let archive = try SafetensorsArchive.read(from: path)
        if let savedYAML = archive.metadata["config"] {
            let saved = try TrainConfigFile.parse(yaml: savedYAML, file: path)
            let changed = Self.resumeBreakingDifferences(saved, config)
            guard changed.isEmpty else {
                let allowed = TrainConfig.mayChangeOnResume.map(\.key.rawValue).joined(separator: ", ")
                throw TrainerError.configuration("cannot resume with different \(changed.joined(separator: ", ")) than the checkpoint; only \(allowed) may change")
            }
        }
        // Data order and each sample's augmentation do not depend on the rank count; local batch-norm statistics do.
        let savedRanks = archive.metadata[TrainingCheckpoint.worldSizeKey].flatMap { Int($0) } ?? 1
        if savedRanks != communicator.size, config.batchNorm == .local {
            throw TrainerError.configuration("\(path) was written by a run on \(savedRanks) rank(s) with batch_norm: local; resume it on \(savedRanks) (mpirun -np \(savedRanks)), since local batch-norm statistics depend on the rank count")
        }
        progress = try TrainingCheckpoint.restore(archive, source: path, network: network, optimizer: optimizer, weighting: weighting)
        logger.info("resuming \(run.root.path) after epoch \(progress.completedEpochs) (step \(progress.globalStep))")
    }

    /// Settings whose change would make a resumed run differ from an uninterrupted one (see `TrainConfig.mayChangeOnResume`).
    static func resumeBreakingDifferences(_ a: TrainConfig, _ b: TrainConfig) -> [String] {
        TrainConfig.resumeBreakingDifferences(a, b)
    }

    // MARK: one epoch

    private func trainEpoch(_ epoch: Int) throws -> (loss: Double, skipped: Int, lr: Double) {
        network.train()
        let shard = communicator.shard
        // Each rank loads its contiguous part of every global batch.
        var share: (@Sendable (Int) -> Range<Int>)?
        if parallel != nil { share = { (n: Int) -> Range<Int> in shard.range(of: n) } }
        let loader = BatchLoader(images: data.train, pipeline: trainPipeline, batchSize: config.batchSize, shuffle: true,
                                 seed: config.seed, epoch: epoch, dropLast: Self.dropLast(data.train.count, config.batchSize),
                                 share: share)
        defer { loader.cancel() }
        epochDifficulty = []
        epochBatchDifficulty = []
        let start = Date()
        var lossSum = 0.0, good = 0, skipped = 0, images = 0, index = 0
        var batchLoss = Double.nan
        var lastLR = Double(schedule.learningRate(at: progress.globalStep))
        while var batch = try loader.next() {
            index += 1
            batchHook?(&batch, epoch + 1, index)
            lastLR = Double(schedule.learningRate(at: progress.globalStep))
            switch step(batch, epoch: epoch + 1, index: index) {
            case .taken(let l):
                batchLoss = l
                lossSum += l
                good += 1
                progress.consecutiveNonFinite = 0
            case .skipped(let event):
                batchLoss = .nan
                skipped += 1
                logger.warning("epoch \(event.epoch) batch \(event.batch): non-finite \(event.quantity) (\(event.value)); step skipped, batch-norm statistics rolled back; images: \(event.imageIDs.joined(separator: ", "))")
                callbacks.nonFinite?(event)
                if event.consecutive >= config.maxConsecutiveNonFinite {
                    throw TrainerError.diverged("\(event.consecutive) non-finite steps in a row (last: epoch \(event.epoch), batch \(event.batch), images \(event.imageIDs.joined(separator: ", "))); weights and checkpoints hold the last good state. Lower the learning rate or set grad_clip_norm")
                }
            }
            images += parallel == nil ? batch.count : globalBatchSize(index)
            let elapsed = Date().timeIntervalSince(start)
            let rate = elapsed > 0 ? Double(images) / elapsed : 0
            let remaining = Double(batchesPerEpoch - index) * Double(config.batchSize)
            callbacks.batch?(BatchProgress(epoch: epoch + 1, batch: index, batchCount: batchesPerEpoch,
                                           loss: batchLoss,
                                           meanLoss: good > 0 ? lossSum / Double(good) : .nan,
                                           imagesPerSecond: rate, etaSeconds: rate > 0 ? remaining / rate : .infinity))
        }
        return (good > 0 ? lossSum / Double(good) : .nan, skipped, lastLR)
    }

    private enum StepOutcome {
        case taken(Double)
        case skipped(NonFiniteStep)
    }

    /// One optimiser step, or none: a non-finite loss or gradient norm leaves weights and optimiser as
    /// they were, and the batch-norm running statistics (which the forward pass already updated) are
    /// put back, so the state is exactly the last good one.
    private func step(_ batch: TrainingBatch, epoch: Int, index: Int) -> StepOutcome {
        let share = parallel?.share(globalCount: globalBatchSize(index))
        let b = batch.count, k = data.schema.count, c = trainPipeline.config
        let statistics = BatchNormState(network)
        // The weighting (AFL's critic) updates itself inside `reduce`; a skipped step must undo that too.
        let weightingState = weighting.stateTensors()
        schedule.apply(to: optimizer, step: progress.globalStep)
        optimizer.zeroGrad()
        let x = Tensor(batch.images, shape: [b, 1, c.inputHeight, c.inputWidth])
        let y = Tensor(batch.heatmaps, shape: [b, k, c.heatmapHeight, c.heatmapWidth])
        let m = Tensor(batch.masks, shape: [b, k])
        let out = network(x)
        let perSample = loss.perSample(prediction: out, target: y, mask: m)
        let reduced = weighting.reduce(perSample, context: WeightingContext(predictions: out, targets: y, masks: m, ids: batch.ids,
                                                                             epoch: epoch, step: progress.globalStep,
                                                                             share: share))
        // Recorded even when the step is then skipped: the scores come from the critic as it was before this
        // batch, which is also the state a skip restores.
        epochDifficulty += zip(batch.ids, reduced.weights).map { ($0, $1) }
        epochBatchDifficulty.append(reduced.weights)
        var value = reduced.loss.scalar
        var objective = reduced.loss
        func skip(_ what: String, _ v: Float) -> StepOutcome {
            optimizer.zeroGrad()
            statistics.restore()
            if !weightingState.isEmpty {
                do { try weighting.load(stateTensors: weightingState) } catch {
                    logger.error("could not roll back the \(weighting.name) state after a skipped step: \(error)")
                }
            }
            progress.consecutiveNonFinite += 1
            return .skipped(NonFiniteStep(epoch: epoch, batch: index, imageIDs: batch.ids, quantity: what, value: Double(v),
                                          consecutive: progress.consecutiveNonFinite))
        }
        if let parallel {
            // Ranks must agree before the backward pass, whose synchronised batch norm and gradient sum are collectives.
            let agreed = parallel.agree(loss: value, count: b, statistic: statistics.firstNonFiniteBuffer())
            if let problem = agreed.problem { return skip(problem.quantity, problem.value) }
            value = agreed.loss
            objective = reduced.loss * agreed.weight
        }
        guard value.isFinite else { return skip("loss", value) }
        objective.backward()
        parallel?.reduceGradients(optimizer.parameters)
        let clip = config.gradientClipNorm.flatMap { $0 > 0 ? Float($0) : nil } ?? .infinity
        let norm = clipGradientNorm(optimizer.parameters, maxNorm: clip)
        guard norm.isFinite else { return skip("gradient norm", norm) }
        // ReLU and max-pooling can swallow a NaN on the way forward while batch norm has already
        // averaged it into its running statistics.
        if let bad = statistics.firstNonFiniteBuffer() { return skip("batch-norm statistic \(bad)", .nan) }
        optimizer.step()
        progress.globalStep += 1
        return .taken(Double(value))
    }

    /// Samples in global batch `index` (1-based): full batches, and a ragged last one when it is kept.
    private func globalBatchSize(_ index: Int) -> Int {
        min(config.batchSize, data.train.count - (index - 1) * config.batchSize)
    }

    // MARK: difficulty figures

    /// The phantom's hard images when the dataset is a phantom set; nil otherwise (or if its sidecar is unreadable).
    private static func knownHardImages(dataset: String?, logger: Logger) -> Set<String>? {
        guard let dataset else { return nil }
        do {
            return try PhantomSidecar.load(datasetRoot: URL(fileURLWithPath: dataset))?.hardImageIDs
        } catch {
            logger.warning("\(error); difficulty is logged without hard-case labels")
            return nil
        }
    }

    /// Redraws the figures from the whole difficulty.csv, so a resumed run's figure covers every epoch.
    private func writeDifficultyFigures() throws -> DifficultySeparation? {
        let written = try DifficultyFigures.write(run: run, hardImageIDs: hardImageIDs)
        if let problem = written.renderProblem { logger.warning("difficulty figure: \(problem)") }
        return written.separation.last
    }

    // MARK: best model

    private func saveBest(_ result: EpochResult) throws {
        let v = result.validation
        try network.save(to: run.bestCheckpoint.path, metadata: ["epoch": String(result.epoch),
                                                                 "val_mre": String(v.meanRadialError), "unit": v.unit])
    }

    /// `model/` from this epoch's weights (the refinement stage, trained afterwards, is attached to it).
    private func writeModel(_ result: EpochResult) throws {
        // An AFL run keeps its critic beside the detector, so inference can give each image a difficulty score.
        try ModelDirectory.write(card: modelCard(modelEpoch: result.epoch, metrics: result.validation), network: network,
                                 schemaYAML: data.schemaYAML,
                                 critic: (weighting as? AFLWeighting).map { DifficultyScorer.export($0.critic).weights },
                                 to: run.model)
    }

    /// The card inference reads; `training` carries the facts reports quote.
    public func modelCard(modelEpoch bestEpoch: Int, metrics: ValidationMetrics) -> ModelCard {
        var facts: [String: String] = [
            "loss": loss.name,
            "weighting": weighting.name,
            // From the weighting actually used, which an explicit `weighting:` argument may have set.
            "afl": String(weighting is AFLWeighting),
            "epochs": String(config.epochs),
            "model_epoch": String(bestEpoch),
            "model_selection": config.modelSelection.rawValue,
            "seed": String(config.seed),
            "optimizer": config.optimizer.rawValue,
            "lr": String(config.learningRate),
            "batch_size": String(config.batchSize),
            "augment": String(config.augment),
            "training_protocol": config.contrastProtocol.description,
            "absent_landmarks": config.absentLandmarks.rawValue,
            "val_mre": String(format: "%.4f", metrics.meanRadialError),
            "val_mre_unit": metrics.unit,
            "train_images": String(data.train.count),
            "validation_images": String(data.validation.count),
        ]
        if let d = config.dataset { facts["dataset"] = d }
        if let a = (weighting as? AFLWeighting)?.critic.config {
            facts["afl_critic_lr"] = String(a.criticLearningRate)
            facts["afl_critic_betas"] = "\(a.criticBeta1),\(a.criticBeta2)"
            facts["afl_critic_steps_per_step"] = String(a.criticStepsPerStep)
            facts["afl_critic_channels"] = a.criticChannels.map(String.init).joined(separator: ",")
            facts["afl_critic_negative_slope"] = String(a.criticNegativeSlope)
            facts["afl_gradient_penalty_weight"] = String(a.gradientPenaltyWeight)
            facts["afl_warm_up_epochs"] = String(a.warmUpEpochs)
            facts["afl_presence_threshold"] = String(a.presenceThreshold)
            facts["afl_difficulty_scale"] = String(a.difficultyScale)
            facts["afl_difficulty_normalization"] = a.difficultyNormalization.rawValue
        }
        return ModelCard(preset: preset, network: network.config, schemaName: data.schema.name,
                         landmarkNames: data.schema.names, inputWidth: config.inputWidth, inputHeight: config.inputHeight,
                         heatmapStride: FPNConfig.outputStride, sigma: config.sigma,
                         contrastProtocol: TrainingData.validationProtocol(for: config),
                         presenceThreshold: config.presenceThreshold,
                         outputActivation: loss.outputActivation, training: facts,
                         critic: (weighting as? AFLWeighting).map { DifficultyScorer.export($0.critic).card })
    }
}

/// A copy of every batch-norm running statistic and counter, to undo a forward pass in training mode.
private struct BatchNormState {
    let names: [String]
    let buffers: [(Tensor, [Float])]
    let counters: [(CounterBuffer, Int64)]

    init(_ module: Module) {
        names = module.namedBuffers().map(\.0)
        buffers = module.namedBuffers().map { ($0.1, $0.1.toArray()) }
        counters = module.namedCounters().map { ($0.1, $0.1.value) }
    }

    func restore() {
        for (t, values) in buffers where t.count > 0 {
            t.withUnsafeMutableBufferPointer { dst in
                values.withUnsafeBufferPointer { dst.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            }
        }
        for (c, v) in counters { c.value = v }
    }

    /// The name of a running statistic that is now NaN or infinite, if any.
    func firstNonFiniteBuffer() -> String? {
        for (i, (t, _)) in buffers.enumerated() {
            let finite = t.withUnsafeBufferPointer { b in b.allSatisfy(\.isFinite) }
            if !finite { return names[i] }
        }
        return nil
    }
}
