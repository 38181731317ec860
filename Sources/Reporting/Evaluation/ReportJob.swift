import ClinicalDICOM
import Cluster
import ContrastProtocols
import DetectorModel
import FileOutput
import Foundation
import Inference
import Landmarks
import RunArtefacts
import XRayIngest

/// Evaluates models × contrast protocols on a test split and writes the report.
///
/// Images stream once through the inference predictor (`PredictionStream`): each is decoded, prepared once per
/// protocol and distinct network input and shared by the models that need it, predicted in batches, and dropped;
/// only its predictions stay. Memory is bounded by the prefetch depth and batch size, whatever the test set's size.
/// Numbers come from `LandmarkEvaluator` (docs/CONVENTIONS.md definitions).
///
/// Under `mpirun -np N`, each rank streams a contiguous share of whole batches; the predictions are
/// gathered on every rank in image order, so every rank evaluates the same numbers, and rank 0 writes the report.
public final class ReportJob {
    public let options: ReportOptions
    public let communicator: any Communicator

    /// What a finished run produced.
    public struct Result {
        public var data: ReportData
        public var tables: ReportTables
        public var worstCases: [WorstCase]
        /// Files decoded: once by the dataset loader, once for prediction, once per overlay drawn.
        public var decodedImages: Int
        /// The most test images this process held prepared at once; bounded by the stream's settings, not the
        /// test set's size.
        public var peakImagesHeld: Int
        /// Notes for the user (e.g. a run without a difficulty log).
        public var notes: [String]
    }

    public init(options: ReportOptions, communicator: any Communicator = SingleProcess()) {
        self.options = options
        self.communicator = communicator
    }

    /// A model directory and the run directory around it, if any.
    struct ModelSource {
        var model: ReportModel
        var loaded: ModelDirectory.Loaded
        var schema: LandmarkSchema
        var runDirectory: URL?
    }

    /// `progress(done, total, what)` after each (model, protocol) evaluation, and with `done` 0 after each batch
    /// predicted before them.
    @discardableResult
    public func run(progress: ((Int, Int, String) -> Void)? = nil) throws -> Result {
        guard !options.models.isEmpty else { throw ReportError("no model given") }
        let library = try options.protocolLibrary ?? ProtocolLibrary.load()
        let protocols = options.protocols.isEmpty ? ProtocolLibrary.shippedNames : options.protocols
        for p in protocols where (try? library.named(p)) == nil {
            throw ReportError("unknown contrast protocol '\(p)'; known: \(library.names.joined(separator: ", "))")
        }
        let sources = try loadModels()
        let schema = sources[0].schema
        for s in sources.dropFirst() where s.schema.names != schema.names {
            throw ReportError("model '\(s.model.name)' has schema '\(s.schema.name)' (\(s.schema.count) landmarks) but '\(sources[0].model.name)' has '\(schema.name)' (\(schema.count)): they cannot be compared on one test set")
        }

        let files = RecordingImageSource(upstream: IngestImageSource())
        var loadOptions = DatasetLoadOptions()
        loadOptions.schema = schema
        let dataset = try LandmarkDataset.load(root: options.dataset, source: files, options: loadOptions)
        let images = select(dataset)
        guard !images.isEmpty else {
            throw ReportError("\(options.dataset.lastPathComponent): no annotated images in split '\(options.split.rawValue)'")
        }
        // This rank's images (all of them in one process), in whole batches: the same batches as one process predicts.
        let mine = communicator.shard.range(of: images.count, alignedTo: max(1, options.batchSize))
        let stream = PredictionStream(batchSize: options.batchSize, prefetch: options.prefetch, threads: options.prepareThreads)
        // Only predictions are kept per image; the few worst cases are decoded and prepared again for their overlays.
        func preparedAgain(_ preparer: InputPreparer) -> (Int) throws -> PreparedInput {
            { i in preparer.prepare(try files.image(at: images[i].url)) }
        }
        var usedNames = Set(sources.map(\.model.name)), srArms: [SRArm] = []
        if !options.srPredictions.isEmpty {
            // SRs are matched by the SOP Instance UID of every test image, not only this rank's share; the loader
            // decoded every image, so every UID is known.
            let uids = images.map { files.sopInstanceUID(of: $0.url) }
            for folder in options.srPredictions {
                let name = SRArm.uniqueName(for: folder, among: usedNames)
                usedNames.insert(name)
                srArms.append(try SRArm.load(folder, name: name, schema: schema, images: images, sopInstanceUIDs: uids))
            }
        }

        let writes = communicator.isRoot
        if writes { try FileManager.default.createDirectory(at: options.output, withIntermediateDirectories: true) }
        let metrics = MetricsConfig(schema: schema, threshold: options.threshold)
        let evaluator = LandmarkEvaluator(config: metrics)
        var results: [ProtocolResult] = [], worst: [WorstCase] = [], rankings: [DifficultyRanking] = []
        let total = protocols.count * (sources.count + srArms.count)
        var done = 0
        let predictors = try protocols.map { p in
            try sources.map { source in
                try Predictor(loaded: source.loaded, options: PredictorOptions(protocolName: p, threshold: options.threshold,
                                                                               protocolLibrary: library, refine: options.refine),
                              source: source.model.path)
            }
        }
        // One pass over this rank's images: each image is decoded once, prepared once per protocol and distinct
        // network input (size, refinement resolution), shared by the models that need it, and dropped after its batch.
        let streamed = try stream.run(images[mine].map(\.url), source: files, predictors: predictors.flatMap { $0 }) { n in
            progress?(0, total, "predicting \(n)/\(mine.count) images")
        }
        for (pIndex, p) in protocols.enumerated() {
            let predictors = predictors[pIndex]
            let ownPredictions = streamed.predictions[(pIndex * sources.count)..<((pIndex + 1) * sources.count)]
            for (source, (predictor, ownPredictions)) in zip(sources, zip(predictors, ownPredictions)) {
                var predictions = ownPredictions
                if communicator.size > 1 { predictions = try communicator.allgather(predictions).flatMap { $0 } }
                let evalInputs = zip(images, predictions).map { image, prediction in
                    ImageEvaluationInput(image: image, predictions: prediction.landmarks.map(\.asPrediction))
                }
                let evaluation = try evaluator.report(evalInputs)
                results.append(ProtocolResult(model: source.model.name, contrastProtocol: p, evaluation: evaluation))
                var difficulty: [String: Double] = [:]
                for (image, prediction) in zip(images, predictions) { difficulty[image.id] = prediction.difficulty }
                if let r = DifficultyRanking.measure(model: source.model.name, contrastProtocol: p, difficulty: difficulty,
                                                     evaluation: evaluation) {
                    rankings.append(r)
                }
                if writes {
                    worst += try writeWorstCases(evaluation, model: source.model.name, contrastProtocol: p, images: images,
                                                 prepared: preparedAgain(predictor.preparer),
                                                 predictions: predictions.map(\.landmarks))
                }
                done += 1
                progress?(done, total, "\(source.model.name) × \(p)")
            }
            // Other systems' SRs: the same evaluation under every protocol; their worst cases are drawn on this
            // protocol's image like the models' (there is always one model; the input that sorts first by size
            // and refinement resolution keeps the choice stable).
            let drawOn = predictors.map(\.preparer).min { Self.inputKey($0) < Self.inputKey($1) }!
            for arm in srArms {
                let evaluation = try evaluator.report(zip(images, arm.predictions).map { ImageEvaluationInput(image: $0, predictions: $1) })
                results.append(ProtocolResult(model: arm.model.name, contrastProtocol: p, evaluation: evaluation))
                if writes {
                    worst += try writeWorstCases(evaluation, model: arm.model.name, contrastProtocol: p, images: images,
                                                 prepared: preparedAgain(drawOn),
                                                 predictions: arm.predictions.map { zip(schema.names, $0).map { PredictedLandmark(name: $0, $1) } })
                }
                done += 1
                progress?(done, total, "\(arm.model.name) × \(p)")
            }
        }

        var difficulty: [String: DifficultyLog] = [:], notes: [String] = srArms.flatMap(\.notes)
        for s in sources {
            if let run = s.runDirectory, let log = try DifficultyLog.load(runDirectory: run) {
                difficulty[s.model.name] = log
            } else if s.model.training["afl"] == "true" {
                // Only an AFL model is expected to have one; saying so of every baseline would be noise.
                notes.append("\(s.model.name): trained with AFL but no \(DifficultyLog.fileName) in its run directory, so no difficulty chart")
            }
        }
        let data = ReportData(models: sources.map(\.model) + srArms.map(\.model), protocols: protocols, results: results, threshold: options.threshold,
                              dataset: options.dataset.standardizedFileURL.lastPathComponent, split: options.split.rawValue,
                              imageCount: images.count, difficulty: difficulty, difficultyRankings: rankings)
        let tables = ReportTables(data)
        if writes {
            try ReportWriter.write(data: data, tables: tables, worstCases: worst, notes: notes, to: options.output)
            try writeConfiguration(protocols: protocols, sources: sources, srArms: srArms)
        }
        return Result(data: data, tables: tables, worstCases: worst, decodedImages: files.decodeCount, peakImagesHeld: streamed.peakImagesHeld,
                      notes: notes)
    }

    func select(_ dataset: LandmarkDataset) -> [AnnotatedImage] {
        switch options.split {
        case .all: return dataset.images
        case .test, .valid:
            let ids = Set(dataset.effectiveSplits[options.split == .test ? .test : .valid] ?? [])
            return dataset.images.filter { ids.contains($0.id) }
        }
    }

    /// Display names must be unique: they key every table. The run directory's name is the natural one.
    func loadModels() throws -> [ModelSource] {
        var used: Set<String> = []
        return try options.models.map { url in
            let dir: URL
            do { dir = try InputLocation.modelDirectory(url) } catch { throw ReportError("\(url.path): \(error)") }
            let loaded = try ModelDirectory.load(dir)
            let schema = try LandmarkSchema.parse(yaml: loaded.schemaYAML, file: "\(dir.lastPathComponent)/\(ModelCard.schemaFile)")
            let run: URL? = dir.standardizedFileURL == url.standardizedFileURL
                ? (dir.lastPathComponent == "model" ? dir.deletingLastPathComponent() : nil) : url
            var name = (run ?? dir).standardizedFileURL.lastPathComponent
            if used.contains(name) {
                var n = 2
                while used.contains("\(name)-\(n)") { n += 1 }
                name = "\(name)-\(n)"
            }
            used.insert(name)
            // Which stages predicted is part of what a reader compares, so it is listed with the training facts.
            var facts = loaded.card.training
            if let r = loaded.card.refinement {
                facts["stages"] = options.refine
                    ? "detector + refiner (\(r.patchSize)² windows of \(String(format: "%.2f", r.pixelSize)) px)" : "detector only (--no-refine)"
            }
            return ModelSource(model: ReportModel(name: name, path: ReportModel.displayPath(url), training: facts),
                               loaded: loaded, schema: schema, runDirectory: run)
        }
    }

    /// The network input a preparer makes, as text that sorts by input size, then refinement resolution.
    static func inputKey(_ p: InputPreparer) -> String {
        "\(p.inputWidth)x\(p.inputHeight)/\(p.refinementPixelSize.map { String($0) } ?? "-")"
    }

    func writeWorstCases(_ evaluation: EvaluationReport, model: String, contrastProtocol p: String, images: [AnnotatedImage],
                         prepared: (Int) throws -> PreparedInput, predictions: [[PredictedLandmark]]) throws -> [WorstCase] {
        guard options.worstCount > 0 else { return [] }
        let index = Dictionary(uniqueKeysWithValues: images.enumerated().map { ($0.element.id, $0.offset) })
        let folder = "overlays/\(ReportCharts.slug(model))/\(ReportCharts.slug(p))"
        try FileManager.default.createDirectory(at: options.output.appendingPathComponent(folder), withIntermediateDirectories: true)
        return try WorstCaseRanking.rank(evaluation.images).prefix(options.worstCount).enumerated().map { rank, e in
            let i = index[e.id]!
            let rgb = ErrorOverlay.render(try prepared(i), truth: images[i].landmarks, predictions: predictions[i], outcomes: e.landmarks)
            // Files are named by rank, not by image path: the caption carries the relative path.
            let file = "\(folder)/worst-\(rank + 1).png"
            try PNGExport.writeRGB(rgb, to: options.output.appendingPathComponent(file))
            return WorstCase(model: model, contrastProtocol: p, image: e.id, falseNegatives: e.summary.falseNegatives,
                             misses: e.summary.misses, falsePositives: e.summary.falsePositives, mrePX: e.summary.mrePX, file: file)
        }
    }

    /// The run as resolved, for reproducing it.
    struct Configuration: Codable {
        var models: [String]
        var modelNames: [String]
        var dataset: String
        var split: String
        var protocols: [String]
        var threshold: Double?
        var worst: Int
        var batchSize: Int
        /// Folders of other systems' SRs compared after the models.
        var srPredictions: [String]
        /// Processes that shared the work (`mpirun -np N`).
        var worldSize: Int

        enum CodingKeys: String, CodingKey {
            case models, modelNames, dataset, split, protocols, threshold, worst, batchSize, srPredictions
            case worldSize = "world_size"
        }
    }

    func writeConfiguration(protocols: [String], sources: [ModelSource], srArms: [SRArm]) throws {
        let c = Configuration(models: options.models.map(\.standardizedFileURL.path),
                              modelNames: sources.map(\.model.name) + srArms.map(\.model.name),
                              dataset: options.dataset.standardizedFileURL.path, split: options.split.rawValue, protocols: protocols,
                              threshold: options.threshold, worst: options.worstCount, batchSize: options.batchSize,
                              srPredictions: options.srPredictions.map(\.standardizedFileURL.path), worldSize: communicator.size)
        try AtomicFile.write(ReportWriter.json(c), to: options.output.appendingPathComponent("report-config.json"))
    }
}
