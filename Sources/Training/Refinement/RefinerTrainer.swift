import DetectorModel
import FileOutput
import Foundation
import Landmarks
import Logging
import RunArtefacts
import TensorEngine

/// One refiner epoch's result: the training loss and how far the validation windows' centres moved toward the truth.
public struct RefinerEpochResult: Sendable {
    public var epoch: Int
    public var trainLoss: Double
    /// Mean distance from the truth of the validation windows' centres (the jittered start) and of the refined answer.
    public var startError: Double
    public var refinedError: Double
    /// Refined answers within 2 mm (nil without spacing).
    public var refinedWithin2mm: Double?
    public var unit: String
    public var seconds: Double
}

/// Trains the refinement stage on patches cut around jittered annotations. It needs no first-stage model,
/// so it can run before, after or beside the first stage; `attach` then adds it to a model directory.
///
/// Run layout, under `<run>/refiner/`: `config.json` (the resolved settings), `metrics.csv`, and
/// `checkpoints/last.safetensors` (written atomically each epoch; `run(resume: true)` carries on from it).
/// The stage that goes into the model is the last epoch's: validation is reported, never used to choose.
public final class RefinerTrainer {
    public let config: RefinerConfig
    public let network: FPNKeypointNet
    public let directory: URL
    public var onBatch: ((_ epoch: Int, _ batch: Int, _ batches: Int, _ loss: Double) -> Void)?
    public var onEpoch: ((RefinerEpochResult) -> Void)?
    public var completedEpochs: Int { progress.completedEpochs }

    private let data: TrainingData
    private let seed: UInt64
    private let loss: BaseLoss
    private let optimizer: Adam
    private let schedule: any LRSchedule
    private let trainSampler: PatchSampler
    private let validationSampler: PatchSampler
    private var progress = TrainingProgress()
    private let logger = Logger(label: "LandmarkKit.refiner")

    /// `config` must already be resolved (`RefinerConfig.resolved`); `protocols` are drawn per training image.
    public init(config: RefinerConfig, data: TrainingData, runDirectory: URL, seed: UInt64, protocols: [String],
                validationProtocol: String) throws {
        let problems = config.problems()
        guard problems.isEmpty else { throw TrainerError.configuration(problems.joined(separator: "; ")) }
        guard let pixelSize = config.pixelSize, let jitter = config.jitter else {
            throw TrainerError.configuration("refiner settings must be resolved (pixel_size and jitter) before training")
        }
        guard let net = FPNConfig.preset(named: config.preset, keypoints: data.schema.count) else {
            throw TrainerError.configuration("unknown refiner preset '\(config.preset)'")
        }
        self.config = config
        self.data = data
        self.seed = seed
        directory = runDirectory.appendingPathComponent("refiner", isDirectory: true)
        loss = BaseLoss(config.loss)
        // A seed of its own, so the refiner's initialisation does not repeat the first stage's draws.
        network = FPNKeypointNet(config: net, seed: SeededRandom.deriveSeed(seed, 0x2EF1))
        network.train()
        optimizer = Adam(parameters: network.parameters(), learningRate: Float(config.learningRate))
        var sample = PatchSampleConfig()
        sample.patchSize = config.patchSize
        sample.pixelSize = pixelSize
        sample.sigma = config.sigma
        sample.jitter = jitter
        sample.rotationDegrees = config.rotationDegrees
        sample.scaleRange = config.scaleRange
        sample.protocols = protocols
        trainSampler = PatchSampler(source: data.source, keypoints: data.schema.count, config: sample, contrast: data.contrast,
                                    defaultProtocol: validationProtocol, augment: true)
        validationSampler = PatchSampler(source: data.source, keypoints: data.schema.count, config: sample,
                                         contrast: data.contrast, defaultProtocol: validationProtocol, augment: false)
        schedule = LearningRatePlan.make(base: config.learningRate, epochs: config.epochs, warmupEpochs: 1,
                                         batchesPerEpoch: max(1, data.train.count / config.imagesPerBatch))
    }

    /// The refiner a run's configuration asks for, with sizes derived from its data and first stage.
    public convenience init(run config: TrainConfig, data: TrainingData, runDirectory: URL) throws {
        let resolved = config.refine.resolved(images: data.train, inputWidth: config.inputWidth, inputHeight: config.inputHeight,
                                              stride: FPNConfig.outputStride)
        try self.init(config: resolved, data: data, runDirectory: runDirectory, seed: config.seed,
                      protocols: config.contrastProtocol == .random ? data.randomProtocols : [],
                      validationProtocol: config.contrastProtocol.validationProtocol)
    }

    /// One line for logs: window size and resolution, jitter, budget and network size.
    public var summary: String {
        "\(config.patchSize)² patches of \(String(format: "%.2f", config.pixelSize ?? 1)) original px, jitter "
            + "\(String(format: "%.1f", config.jitter ?? 0)) px, \(config.epochs) epochs (\(network.parameterCount) parameters)"
    }

    var checkpoint: URL { directory.appendingPathComponent("checkpoints/last.safetensors") }
    var metrics: URL { directory.appendingPathComponent("metrics.csv") }
    /// True when a previous call left a checkpoint to resume from.
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpoint.path) }

    /// Trains to `config.epochs`; with `resume`, from the last checkpoint. `stoppingAfter` ends the call early.
    @discardableResult
    public func run(resume: Bool = false, stoppingAfter stopEpoch: Int? = nil) throws -> [RefinerEpochResult] {
        let fm = FileManager.default
        let configJSON = try Self.encode(config)
        if resume, fm.fileExists(atPath: checkpoint.path) {
            try restore(configJSON: configJSON)
        } else if fm.fileExists(atPath: checkpoint.path) {
            throw TrainerError.runDirectory("\(directory.path) already holds a refiner checkpoint; pass --resume to continue it")
        }
        try fm.createDirectory(at: checkpoint.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(configJSON, to: directory.appendingPathComponent("config.json"))
        // Rows of epochs the checkpoint does not cover are dropped, so a resumed table has each epoch once.
        try RunDirectory.prepareEpochTable(metrics, header: Self.header, keepEpochs: progress.completedEpochs)
        var results: [RefinerEpochResult] = []
        while progress.completedEpochs < min(config.epochs, stopEpoch ?? .max) {
            let start = Date()
            let trainLoss = try trainEpoch(progress.completedEpochs)
            var r = try validate()
            progress.completedEpochs += 1
            r.epoch = progress.completedEpochs
            r.trainLoss = trainLoss
            r.seconds = Date().timeIntervalSince(start)
            try appendMetrics(r)
            try saveCheckpoint(configJSON: configJSON)
            logger.info("refiner epoch \(r.epoch)/\(config.epochs): train loss \(String(format: "%.5g", trainLoss)), validation windows \(String(format: "%.3f", r.startError)) → \(String(format: "%.3f", r.refinedError)) \(r.unit)\(r.refinedWithin2mm.map { String(format: ", %.1f%% within 2 mm", 100 * $0) } ?? "")")
            results.append(r)
            onEpoch?(r)
        }
        return results
    }

    private func trainEpoch(_ epoch: Int) throws -> Double {
        network.train()
        let loader = PatchBatchLoader(images: data.train, sampler: trainSampler, imagesPerBatch: config.imagesPerBatch,
                                      patchesPerImage: config.patchesPerImage, shuffle: true, seed: seed, epoch: epoch,
                                      dropLast: data.train.count > config.imagesPerBatch)
        defer { loader.cancel() }
        let k = data.schema.count, s = config.patchSize, h = s / FPNConfig.outputStride
        var sum = 0.0, good = 0, index = 0
        while let batch = try loader.next() {
            index += 1
            let n = batch.count
            guard n > 1 else { continue }
            schedule.apply(to: optimizer, step: progress.globalStep)
            optimizer.zeroGrad()
            let out = network(Tensor(batch.images, shape: [n, 1, s, s]))
            let value = loss.perSample(prediction: out, target: Tensor(batch.heatmaps, shape: [n, k, h, h]),
                                       mask: Tensor(batch.masks, shape: [n, k])).mean()
            let v = value.scalar
            guard v.isFinite else {
                logger.warning("refiner epoch \(epoch + 1) batch \(index): non-finite loss; step skipped")
                optimizer.zeroGrad()
                continue
            }
            value.backward()
            guard clipGradientNorm(optimizer.parameters, maxNorm: .infinity).isFinite else {
                logger.warning("refiner epoch \(epoch + 1) batch \(index): non-finite gradient; step skipped")
                optimizer.zeroGrad()
                continue
            }
            optimizer.step()
            progress.globalStep += 1
            sum += Double(v); good += 1
            onBatch?(epoch + 1, index, loader.batchCount, sum / Double(good))
        }
        return good > 0 ? sum / Double(good) : .nan
    }

    /// Every present landmark of every validation image, from a fixed jittered start.
    private func validate() throws -> RefinerEpochResult {
        network.eval()
        defer { network.train() }
        let stage = stageDescription()
        let refiner = PatchLocator(stage: stage, network: network)
        let loader = PatchBatchLoader(images: data.validation, sampler: validationSampler, imagesPerBatch: 2,
                                      patchesPerImage: nil, shuffle: false, seed: seed ^ 0x7A11, epoch: 0, dropLast: false)
        var start = 0.0, refined = 0.0, within = 0, count = 0, allMM = true
        while let batch = try loader.next() {
            let found = refiner.locate(batch)
            for (s, p) in zip(batch.samples, found) {
                let scale = s.spacing.map { ($0.columnMM, $0.rowMM) }
                if scale == nil { allMM = false }
                func dist(_ a: LandmarkPoint) -> Double {
                    let (sx, sy) = scale ?? (1, 1)
                    return (((a.x - s.truth.x) * sx) * ((a.x - s.truth.x) * sx) + ((a.y - s.truth.y) * sy) * ((a.y - s.truth.y) * sy)).squareRoot()
                }
                let d = dist(p ?? s.window.center)
                start += dist(s.window.center); refined += d; count += 1
                if d <= 2 { within += 1 }
            }
        }
        let n = Double(max(count, 1))
        return RefinerEpochResult(epoch: 0, trainLoss: .nan, startError: start / n, refinedError: refined / n,
                                  refinedWithin2mm: allMM ? Double(within) / n : nil, unit: allMM ? "mm" : "px", seconds: 0)
    }

    /// The stage as the model card records it.
    public func stageDescription() -> RefinementStage {
        RefinementStage(network: network.config, patchSize: config.patchSize, pixelSize: config.pixelSize ?? 1,
                        sigma: config.sigma, outputActivation: loss.outputActivation,
                        passes: config.passes, minimumConfidence: config.minimumConfidence,
                        training: ["epochs": String(config.epochs), "loss": config.loss.rawValue, "lr": String(config.learningRate),
                                   "jitter_px": String(format: "%.3f", config.jitter ?? 0), "seed": String(seed),
                                   "patches_per_image": String(config.patchesPerImage)])
    }

    /// Adds this stage to the model directory at `model` (rewriting it atomically file by file).
    public func attach(to model: URL) throws {
        network.eval()
        defer { network.train() }
        let loaded = try ModelDirectory.load(model)
        var card = loaded.card
        card.refinement = stageDescription()
        try ModelDirectory.write(card: card, network: loaded.network, refiner: network, schemaYAML: loaded.schemaYAML,
                                 critic: loaded.critic, to: model)
    }

    // MARK: files

    private static func encode(_ c: RefinerConfig) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(c)
    }

    private static let header = "epoch,train_loss,unit,start_error,refined_error,refined_within_2mm,seconds"

    private func appendMetrics(_ r: RefinerEpochResult) throws {
        try RunDirectory.append("\(r.epoch),\(String(format: "%.6g", r.trainLoss)),\(r.unit),\(String(format: "%.4f", r.startError)),"
            + "\(String(format: "%.4f", r.refinedError)),\(r.refinedWithin2mm.map { String(format: "%.4f", $0) } ?? ""),"
            + "\(String(format: "%.1f", r.seconds))\n", to: metrics)
    }

    /// The detector's checkpoint format with the plain mean as weighting; the resolved settings go where the
    /// detector keeps its config.yaml.
    private func saveCheckpoint(configJSON: Data) throws {
        try TrainingCheckpoint.archive(network: network, optimizer: optimizer, weighting: MeanWeighting(), progress: progress,
                                       configYAML: String(decoding: configJSON, as: UTF8.self)).write(to: checkpoint.path)
    }

    private func restore(configJSON: Data) throws {
        let archive = try SafetensorsArchive.read(from: checkpoint.path)
        if let saved = archive.metadata["config"], saved != String(decoding: configJSON, as: UTF8.self) {
            let savedConfig = try? JSONDecoder().decode(RefinerConfig.self, from: Data(saved.utf8))
            // Epochs may grow; passes and the minimum confidence act only at inference, so a finished refiner
            // can be attached again with other values.
            func trainingPart(_ c: RefinerConfig) -> RefinerConfig {
                var c = c
                c.epochs = 0; c.passes = 1; c.minimumConfidence = 0
                return c
            }
            guard trainingPart(savedConfig ?? config) == trainingPart(config) else {
                throw TrainerError.configuration("cannot resume the refiner with training settings other than its checkpoint's (only epochs, passes and minimum_confidence may change)")
            }
        }
        progress = try TrainingCheckpoint.restore(archive, source: checkpoint.path, network: network, optimizer: optimizer,
                                                  weighting: MeanWeighting())
        logger.info("resuming the refiner after epoch \(progress.completedEpochs)")
    }
}

/// Decodes a batch of patches with a training-mode network object (no folding), for validation.
struct PatchLocator {
    let stage: RefinementStage
    let network: FPNKeypointNet

    func locate(_ batch: PatchBatch) -> [LandmarkPoint?] {
        let s = stage.patchSize
        let raw = withNoGrad { network(Tensor(batch.images, shape: [batch.count, 1, s, s])) }
        return stage.landmarks(fromRaw: raw, windows: batch.samples.map(\.window), landmarks: batch.samples.map(\.landmark))
    }
}
