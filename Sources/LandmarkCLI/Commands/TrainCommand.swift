import ArgumentParser
import Cluster
import ContrastProtocols
import DetectorModel
import Foundation
import Landmarks
import RunArtefacts
import Training

/// `landmark train`: fit the FPN heatmap detector to an X-ray folder.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the landmark detector on an X-ray folder.",
        discussion: """
        Settings come from --config (YAML; any subset of the keys in a run's config.yaml) and are \
        overridden by flags. The run directory receives config.yaml (the resolved settings), \
        metrics.csv (one row per epoch: train/val loss, MRE, SDR at 2/2.5/3/4 mm, FN/FP/misses at τ), \
        checkpoints/last.safetensors (resume point), checkpoints/best.safetensors and model/ (the best \
        validation epoch as a self-contained model directory for `landmark infer`).
        --resume continues a stopped run from checkpoints/last.safetensors; with the same thread count \
        it ends with the same weights, bit for bit, as a run that was never stopped.
        Under `mpirun -np N` it trains data-parallel: --batch-size is the global batch, split across the ranks; \
        rank 0 writes the run directory; --resume needs the same N with --batch-norm local. The refinement stage \
        is trained by rank 0 alone. See docs/DISTRIBUTED.md.
        """)

    @Argument(help: "Dataset folder (images/, landmarks.csv, optional splits/ and dataset.yaml).")
    var dataset: String?

    @Option(help: "Landmark schema name or YAML path (default: the dataset's own).")
    var schema: String?

    @Option(help: "Network preset")
    var preset: DetectorPreset?

    @Option(help: "Base loss")
    var loss: BaseLoss.Name?

    @Option(name: .customLong("protocol"), help: ArgumentHelp(
        "Contrast protocol for training and validation (\(ProtocolLibrary.shippedNames.joined(separator: ", ")) or a user protocol), "
            + "or '\(ProtocolChoice.randomName)' to draw one of the shipped protocols per training sample."))
    var contrastProtocol: ProtocolChoice?

    @Option(help: "Number of epochs.")
    var epochs: Int?

    @Option(help: "Images per batch.")
    var batchSize: Int?

    @Option(help: "Peak learning rate (Adam).")
    var lr: Double?

    @Option(help: "Network input size in pixels (square; a multiple of 32).")
    var inputSize: Int?

    @Option(help: "Random seed: initialisation, split, data order and augmentation.")
    var seed: UInt64?

    @OptionGroup var engine: EngineThreadsOption

    @Option(help: "Run directory.")
    var out: String?

    @Option(help: "YAML configuration file; flags override its values.")
    var config: String?

    @Flag(help: "Adversarial Focal Loss: weight each sample's loss by a topology critic's difficulty score (default critic settings unless the config has an `afl:` section). Also writes difficulty.csv to the run directory.")
    var afl = false

    @Flag(inversion: .prefixedNo, help: "Train the refinement stage (a patch network that re-finds each landmark near full resolution) after the detector; on by default.")
    var refine: Bool?

    @Option(help: "Epochs of the refinement stage.")
    var refineEpochs: Int?

    @Option(help: "Which stages to train: all (detector, then refiner), detector, or refiner (attached to the run's existing model/).")
    var stage: TrainingStage = .all

    @Option(help: "Landmarks missing from a sample (not annotated, or pushed out of the crop): 'train' toward an empty heatmap (default), or 'mask' them out of the loss (only for datasets that label a subset).")
    var absentLandmarks: AbsentLandmarkPolicy?

    @Option(help: "Under mpirun: batch-norm statistics over the global batch ('synchronized', the default: N ranks × b train as one process with N·b) or over each rank's share ('local'). No effect in one process.")
    var batchNorm: BatchNormMode?

    @Flag(help: "Continue the run in --out from its last checkpoint (settings from its config.yaml unless --config is given).")
    var resume = false

    func run() throws {
        // Resolved first: a config file's `threads:` sets the engine's threads like the flag does.
        let resolved = try resolvedConfig()
        try ClusterSession.run(threads: resolved.threads) { try run(resolved, on: $0) }
    }

    /// The file's settings (the run's own config.yaml on --resume), then the flags.
    private func resolvedConfig() throws -> TrainConfig {
        var overrides = TrainConfigOverrides()
        overrides.set(\.dataset, dataset)
        overrides.set(\.schema, schema)
        overrides.set(\.preset, preset)
        overrides.set(\.loss, loss)
        overrides.set(\.contrastProtocol, contrastProtocol)
        overrides.set(\.epochs, epochs)
        overrides.set(\.batchSize, batchSize)
        overrides.set(\.learningRate, lr)
        overrides.setInputSize(inputSize)
        overrides.set(\.seed, seed)
        overrides.set(\.threads, engine.threads)
        overrides.set(\.out, out)
        if afl { overrides.switchOnAFL() }
        overrides.set(\.refine.enabled, refine)
        overrides.set(\.refine.epochs, refineEpochs)
        overrides.set(\.absentLandmarks, absentLandmarks)
        overrides.set(\.batchNorm, batchNorm)

        var file = config.map { URL(fileURLWithPath: $0) }
        if resume, file == nil, let out {
            file = URL(fileURLWithPath: out).appendingPathComponent(TrainConfigFile.runFileName)
        }
        return try TrainConfig.resolve(file: file, overrides: overrides)
    }

    private func run(_ resolved: TrainConfig, on cluster: any Communicator) throws {
        guard let outPath = resolved.out else { throw ValidationError("give the run directory with --out (or `out:` in --config)") }
        guard resolved.dataset != nil else { throw ValidationError("give the dataset folder (argument or `dataset:` in --config)") }

        let log = Console.logger("train")
        log.info("loading \(resolved.dataset!)")
        let data = try TrainingData.load(config: resolved)
        let runURL = URL(fileURLWithPath: outPath)
        let start = Date()
        if stage != .refiner {
            let trainer = try Trainer(config: resolved, data: data, runDirectory: runURL, communicator: cluster)
            Console.print("train: \(data.train.count) training / \(data.validation.count) validation images, schema \(data.schema.name) "
                + "(K = \(data.schema.count)), preset \(trainer.preset) (\(trainer.network.parameterCount) parameters), "
                + "\(resolved.inputWidth)×\(resolved.inputHeight), loss \(resolved.loss), protocol \(resolved.contrastProtocol), "
                + "\(resolved.epochs) epochs × batch \(resolved.batchSize), weighting \(trainer.weighting.name), seed \(resolved.seed) → \(outPath)"
                + (cluster.size > 1 ? " on \(cluster.size) ranks (batch norm \(resolved.batchNorm.rawValue))" : ""))
            EpochProgress.attach(to: trainer, epochs: resolved.epochs, batchSize: resolved.batchSize,
                                 firstEpoch: trainer.completedEpochs + 1)
            let summary = try trainer.run(resume: resume)
            let unit = summary.unit ?? "mm"
            if let last = summary.history.last {
                Console.print("train: detector done in \(ProgressBar.clock(Date().timeIntervalSince(start))); final validation MRE "
                    + "\(String(format: "%.3f", last.validation.meanRadialError)) \(unit) → \(trainer.run.model.path)")
            }
        }
        guard stage != .detector else { return }
        // The refinement stage is not data-parallel yet: rank 0 trains it while the others wait to leave the job.
        guard cluster.isRoot else { return }
        guard resolved.refine.enabled else {
            if stage == .refiner { throw ValidationError("--stage refiner, but the configuration has refine.enabled: false (pass --refine)") }
            return
        }
        let refiner = try RefinerTrainer(run: resolved, data: data, runDirectory: runURL)
        Console.print("train: refinement stage, \(refiner.summary)")
        RefinerProgress.attach(to: refiner)
        try refiner.run(resume: resume || stage == .refiner && refiner.hasCheckpoint)
        let model = RunDirectory(runURL).model
        guard FileManager.default.fileExists(atPath: model.appendingPathComponent("model.json").path) else {
            Console.print("train: refiner trained in \(refiner.directory.path); \(model.path) holds no detector to attach it to yet "
                + "(train one with --stage detector, then run --stage refiner again to attach)")
            return
        }
        try refiner.attach(to: model)
        Console.print("train: done in \(ProgressBar.clock(Date().timeIntervalSince(start))); two-stage model → \(RunDirectory(runURL).model.path)")
    }
}

/// Which parts of a two-stage model `landmark train` fits.
enum TrainingStage: String, ExpressibleByArgument, CaseIterable {
    case all, detector, refiner
}

extension AbsentLandmarkPolicy: ExpressibleByArgument {}

/// Names in any letter case, as config files accept them.
extension DetectorPreset: ExpressibleByArgument {
    public init?(argument: String) { self.init(caseInsensitive: argument) }
}

extension BaseLoss.Name: ExpressibleByArgument {
    public init?(argument: String) { self.init(caseInsensitive: argument) }
}

extension ProtocolChoice: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension BatchNormMode: ExpressibleByArgument {}
