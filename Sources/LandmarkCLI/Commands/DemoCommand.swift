import ArgumentParser
import ContrastProtocols
import DetectorModel
import Foundation
import Inference
import Landmarks
import Reporting
import Training

/// `landmark demo`: the whole mission on the built-in synthetic phantom — synthesise, train, infer on the
/// test split, and write the false-negative report under every contrast protocol.
///
/// The defaults are sized to finish in a few minutes on two cores in a release build; the flags scale it up.
/// Which models are trained is `DemoRecipe.variants`; this command trains, infers and reports for each.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline on the built-in synthetic dataset (synth → train → infer → false-negative report).")

    @Option(help: "Folder for everything the demo writes.")
    var out = "demo-output"

    // 96 images are enough: r18 at 128² for 30 epochs under random protocols, then a 15-epoch refiner, finds every
    // test landmark under all four protocols (figures in docs/ACCURACY.md). A model trained under one protocol
    // misses most landmarks under low/lower, which is why the demo trains under all of them.
    @Option(help: "Number of synthetic images (80/10/10 train/valid/test).")
    var count = 96

    @Option(help: "Training epochs per model.")
    var epochs = 30

    @Option(help: "Network preset")
    var preset: DetectorPreset = .r18

    // The first stage only has to land within the refiner's window, so it runs at 128²; the refinement stage
    // works at the phantom's full resolution.
    @Option(help: "Network input size in pixels (square; a multiple of 32).")
    var inputSize = 128

    @Option(help: "Epochs of the refinement stage (0: one-stage models).")
    var refineEpochs = 15

    @Option(help: "Random seed: phantom, split, initialisation and data order.")
    var seed: UInt64 = 1

    @OptionGroup var engine: EngineThreadsOption

    func validate() throws {
        // Fewer than 10 images leaves the 10% valid or test split empty, and training needs both.
        guard count >= 10 else { throw ValidationError("--count must be at least 10") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
        EngineThreads.apply(engine.threads)
        let start = Date()
        let root = URL(fileURLWithPath: out)
        let dataset = root.appendingPathComponent("phantom")
        let recipe = DemoRecipe(dataset: dataset, runsRoot: root.appendingPathComponent("runs"), preset: preset,
                                epochs: epochs, inputSize: inputSize, seed: seed, threads: engine.threads,
                                refineEpochs: refineEpochs)
        // Validate every model's settings before spending time on synthesis.
        let models = try recipe.models()

        Console.print("demo 1/4: synthesising \(count) lateral spine radiographs")
        let synthBar = ProgressBar("synth", total: count, unit: "images")
        let summary = try Phantom.writeDataset(to: dataset, count: count, seed: seed) { done in synthBar.update(done: done) }
        Console.print(SynthReport.describe(summary))

        Console.print("demo 2/4: training \(models.map(\.name).joined(separator: ", "))")
        var trained: [(name: String, model: URL)] = []
        for model in models { if let dir = try train(model) { trained.append((model.name, dir)) } }
        guard !trained.isEmpty else {
            Console.print("demo: no model produced a finite validation error, so there is nothing to infer with")
            throw ExitCode(1)
        }
        if let config = recipe.refinerConfig() { try refine(config, models: trained.map(\.model)) }

        Console.print("demo 3/4: predicting the test split")
        let testImages = try DemoRecipe.splitImages(dataset: dataset, split: DatasetSplit.test.rawValue)
        let predictions = root.appendingPathComponent("predictions")
        var inferenceFailed = false
        for model in trained {
            // One model keeps the plain predictions/ layout; with several, each gets its own folder.
            let folder = trained.count == 1 ? predictions : predictions.appendingPathComponent(model.name)
            inferenceFailed = try infer(model: model.model, images: testImages, into: folder, label: model.name) || inferenceFailed
        }

        Console.print("demo 4/4: false-negative report on the test split under every contrast protocol")
        let reportFolder = root.appendingPathComponent("report")
        try report(models: trained.map(\.model), dataset: dataset, into: reportFolder)

        Console.print("""

        demo done in \(ProgressBar.clock(Date().timeIntervalSince(start))). Look at:
          \(reportFolder.path)/\(ReportWriter.htmlFile)   the false-negative report (open in a browser)
          \(predictions.path)/            landmarks.csv, predictions.coco.json, overlays/ for the test split
          \(recipe.runsRoot.path)/                   training runs (config.yaml, metrics.csv, model/)
          \(dataset.path)/                 the X-ray folder (DICOM, landmarks.csv, splits/)
        """)
        if inferenceFailed { throw ExitCode(1) }
    }

    /// Trains one model with a bar per epoch; returns its model directory, or nil when no epoch had a
    /// finite validation error (the trainer then writes no model/).
    private func train(_ model: DemoRecipe.Model) throws -> URL? {
        let config = model.config
        let data = try TrainingData.load(config: config)
        let trainer = try Trainer(config: config, data: data, runDirectory: URL(fileURLWithPath: config.out!))
        Console.print("train \(model.name): \(data.train.count) training / \(data.validation.count) validation images, "
            + "preset \(trainer.preset) (\(trainer.network.parameterCount) parameters), \(config.inputWidth)×\(config.inputHeight), "
            + "\(config.epochs) epochs × batch \(config.batchSize)")
        EpochProgress.attach(to: trainer, epochs: config.epochs, batchSize: config.batchSize)
        let start = Date()
        let summary = try trainer.run()
        guard let last = summary.history.last, last.validation.meanRadialError.isFinite else { return nil }
        Console.print("train \(model.name): done in \(ProgressBar.clock(Date().timeIntervalSince(start))); final validation MRE "
            + "\(String(format: "%.3f", last.validation.meanRadialError)) \(last.validation.unit), "
            + "\(last.validation.falseNegatives) false negatives")
        // The phantom knows its hard images, so an AFL run can say how well its difficulty finds them.
        if let s = summary.history.last?.difficultySeparation, let auc = s.auc {
            Console.print("train \(model.name): difficulty of the \(s.hardCount) hard-case images against the \(s.easyCount) plain ones: "
                + "ROC AUC \(String(format: "%.2f", auc)) → \(trainer.run.difficultyPNG.path)")
        }
        return trainer.run.model
    }

    /// Trains the refinement stage once and attaches it to every model.
    private func refine(_ config: TrainConfig, models: [URL]) throws {
        let data = try TrainingData.load(config: config)
        let refiner = try RefinerTrainer(run: config, data: data, runDirectory: URL(fileURLWithPath: config.out!))
        Console.print("train refiner: \(refiner.summary), shared by \(models.count) model(s)")
        RefinerProgress.attach(to: refiner)
        let start = Date()
        let results = try refiner.run()
        for model in models { try refiner.attach(to: model) }
        if let last = results.last {
            Console.print("train refiner: done in \(ProgressBar.clock(Date().timeIntervalSince(start))); validation windows "
                + "\(String(format: "%.2f", last.startError)) → \(String(format: "%.2f", last.refinedError)) \(last.unit)")
        }
    }

    /// Batch inference with overlays; returns whether any file failed.
    private func infer(model: URL, images: [URL], into folder: URL, label: String) throws -> Bool {
        var options = InferenceOptions(model: model, inputs: images, output: folder)
        options.overlays = true
        let bar = ProgressBar("infer \(label)", total: images.count, unit: "images")
        let s = try InferenceJob(options: options).run { done, total in bar.update(done: done, total: max(total, done)) }.summary
        Console.print("infer \(label): \(s.imagesDone) images in \(String(format: "%.1f", s.seconds)) s, "
            + "\(s.landmarksPresent) landmarks present, \(s.landmarksAbsent) absent → \(folder.path)")
        for f in s.failures { Console.print("  \(f.image): \(f.reason)") }
        return !s.failures.isEmpty
    }

    /// The report over the test split, all shipped protocols, the first model as the baseline.
    private func report(models: [URL], dataset: URL, into folder: URL) throws {
        var options = ReportOptions(models: models, dataset: dataset, output: folder)
        options.split = .test
        options.protocols = []  // empty = every shipped protocol (higher, high, low, lower)
        options.protocolLibrary = try ProtocolLibrary.load()
        let bar = ProgressBar("report", unit: "evaluations")
        let result = try ReportJob(options: options).run { done, total, what in bar.update(done: done, total: total, note: what) }
        ReportConsole.printNotes(result)
        Console.print("report: \(result.data.imageCount) test images × \(result.data.protocols.count) protocols × "
            + "\(result.data.models.count) model(s)")
        ReportConsole.printFalseNegatives(result)
        ReportConsole.printDifficultyRankings(result)
    }
}
