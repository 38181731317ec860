import ClinicalDICOM
import Cluster
import DetectorModel
import FileOutput
import Foundation
import Landmarks
import TensorEngine
import XRayIngest

/// Batch inference over files and folders: decoding and preprocessing run ahead on other threads through a
/// bounded queue, the network runs batched on this one, and every output is written atomically at the end.
/// A file that cannot be read is listed with its reason; it never stops the run.
///
/// Under `mpirun -np N` (a `communicator` of N ranks), each rank decodes and predicts a contiguous share of the files;
/// rank 0 gathers the shares and writes the outputs, which are the same as one process's but for timings and
/// `world_size`. Overlays are written by the rank that predicted the image, so the output folder must be shared.
public final class InferenceJob {
    public let options: InferenceOptions
    public let communicator: any Communicator

    /// Outputs written by `run`, relative to the output folder.
    public static let csvFile = "landmarks.csv"
    public static let cocoFile = "predictions.coco.json"
    public static let summaryFile = "summary.json"
    public static let configurationFile = "configuration.json"
    public static let overlayFolder = "overlays"
    public static let labelMeFolder = LabelMeWriter.folder

    public init(options: InferenceOptions, communicator: any Communicator = SingleProcess()) {
        self.options = options
        self.communicator = communicator
    }

    /// A decoded-and-prepared image, or the reason there is none.
    enum Item: Sendable {
        /// Name, network input, why the LabelMe PNG could not be written (nil when written or not asked for),
        /// and the file when it is DICOM (clinical objects reference it).
        case ready(String, PreparedInput, String?, URL?)
        case failed(String, String)
    }

    /// What a finished run produced.
    public struct Result {
        public var summary: InferenceSummary
        public var predictions: [NamedPrediction]
        public var configuration: ResolvedInferenceConfiguration
    }

    /// Runs everything; `progress(done, total)` is called on the calling thread after each batch
    /// (total is 0 until the scan has listed the inputs).
    @discardableResult
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let start = Date()
        let predictor = try Predictor.load(try InputLocation.modelDirectory(options.model), options: options.predictor)
        if options.overlays, options.overlayOrder == .difficulty, predictor.difficultyScorer == nil {
            throw PredictorError(.noCritic, "\(options.model.path): overlays ordered by difficulty need a model trained with AFL, "
                + "whose directory keeps its critic (\(CriticCard.weightsFile)); this one has none")
        }
        let root = InputLocation.commonRoot(of: options.inputs)
        try FileManager.default.createDirectory(at: options.output, withIntermediateDirectories: true)

        let queue = PrefetchQueue<Item>(capacity: options.prefetch)
        let total = LockedCounter()
        var sharedScan = IngestScan(readers: [DICOMIngestReader(), TIFFIngestReader()], concurrency: options.decodeThreads,
                                    keepImages: false, root: root)
        if communicator.size > 1 {
            // Each rank reads its contiguous part of the files in the scan's deterministic order, in whole batches, so
            // each image meets the same batch companions as in one process (with one decoding thread and no failures).
            let shard = communicator.shard, batch = max(1, options.batchSize)
            sharedScan.share = { (n: Int) -> Range<Int> in shard.range(of: n, alignedTo: batch) }
        }
        let scan = sharedScan
        let preparer = predictor.preparer, inputs = options.inputs, rootPath = root.path
        let labelMeFolder = options.labelMe ? options.output.appendingPathComponent(Self.labelMeFolder) : nil
        let producer = Thread {
            _ = scan.run(inputs, progress: { _, n in total.set(n) }, each: { entry in
                let name = entry.record.path
                if let image = entry.image {
                    // The full-resolution picture is made here, on the decoding threads, while the image is at hand.
                    let pngError = labelMeFolder.flatMap { folder in
                        Self.writeLabelMeImage(image.image, name: name, preparer: preparer, folder: folder)
                            .map { Self.anonymisePaths($0, root: rootPath) }
                    }
                    queue.put(.ready(name, preparer.prepare(image.image), pngError, image.format == .dicom ? entry.url : nil))
                } else {
                    let reason = entry.error.map { String(describing: $0) } ?? entry.record.error ?? "unreadable"
                    queue.put(.failed(name, Self.anonymisePaths(reason, root: rootPath)))
                }
            })
            queue.close()
        }
        producer.start()

        var predictions: [NamedPrediction] = [], failures: [InferenceFailure] = [], overlayFailures: [InferenceFailure] = []
        var labelMeFailures: [InferenceFailure] = []
        var batch: [(String, PreparedInput)] = []
        var dicomSources: [String: URL] = [:]
        // Where the time goes: in the network, or waiting for decoding to catch up.
        var networkSeconds = 0.0, waitSeconds = 0.0
        func flush() {
            guard !batch.isEmpty else { return }
            let t0 = Date()
            let results = predictor.predict(batch.map(\.1))
            networkSeconds += Date().timeIntervalSince(t0)
            for ((name, prepared), prediction) in zip(batch, results) {
                predictions.append(NamedPrediction(image: name, prediction: prediction))
                if options.overlays {
                    do { try writeOverlay(prepared, prediction, name: name, schema: predictor.schema) } catch {
                        overlayFailures.append(InferenceFailure(image: name, reason: "overlay not written: \(error)"))
                    }
                }
            }
            batch.removeAll(keepingCapacity: true)
            progress?(predictions.count + failures.count, total.value)
        }
        while true {
            let t0 = Date()
            guard let item = queue.take() else { break }
            waitSeconds += Date().timeIntervalSince(t0)
            switch item {
            case .ready(let name, let prepared, let pngError, let source):
                if let pngError { labelMeFailures.append(InferenceFailure(image: name, reason: pngError)) }
                batch.append((name, prepared))
                dicomSources[name] = source
                if batch.count >= max(1, options.batchSize) { flush() }
            case .failed(let name, let reason):
                failures.append(InferenceFailure(image: name, reason: reason))
            }
        }
        flush()
        progress?(predictions.count + failures.count, total.value)

        if communicator.size > 1 {
            let mine = InferenceShare(predictions: predictions, failures: failures, overlayFailures: overlayFailures,
                                      labelMeFailures: labelMeFailures, dicomSources: dicomSources,
                                      networkSeconds: networkSeconds, waitSeconds: waitSeconds)
            // The other ranks are done once rank 0 has their share; their `Result` describes their share only.
            guard let shares = try communicator.gather(mine, root: 0) else {
                return Result(summary: summarise(predictions, failures, overlayFailures, start: start, networkSeconds: networkSeconds,
                                                 waitSeconds: waitSeconds),
                              predictions: predictions, configuration: resolvedConfiguration(predictor, root: root))
            }
            predictions = shares.flatMap(\.predictions)
            failures = shares.flatMap(\.failures)
            overlayFailures = shares.flatMap(\.overlayFailures)
            labelMeFailures = shares.flatMap(\.labelMeFailures)
            dicomSources = shares.reduce(into: [:]) { $0.merge($1.dicomSources) { a, _ in a } }
            // Summed over ranks: the compute the job used, comparable with a single process's.
            networkSeconds = shares.reduce(0) { $0 + $1.networkSeconds }
            waitSeconds = shares.reduce(0) { $0 + $1.waitSeconds }
        }
        predictions.sort { $0.image < $1.image }
        failures.sort { $0.image < $1.image }
        if options.labelMe {
            labelMeFailures += writeLabelMeFiles(predictions, schema: predictor.schema)
            labelMeFailures.sort { $0.image < $1.image }
        }
        var summary = summarise(predictions, failures, overlayFailures, start: start, networkSeconds: networkSeconds,
                                waitSeconds: waitSeconds)
        summary.labelMeFailures = options.labelMe ? labelMeFailures : nil
        if options.overlays, options.overlayOrder == .difficulty, let ranked = summary.difficulty {
            try ReviewOrder.renameOverlays(ranked, in: options.output.appendingPathComponent(Self.overlayFolder))
        }
        if !options.clinicalObjects.isEmpty {
            let writer = ClinicalObjectOutput(kinds: options.clinicalObjects, output: options.output, schemaName: predictor.schema.name,
                                              threshold: predictor.threshold,
                                              algorithm: AlgorithmIdentity(modelIdentifier: try ModelIdentifier.make(
                                                  card: predictor.card, modelDirectory: InputLocation.modelDirectory(options.model))))
            summary.dicomObjects = writer.write(predictions, sources: dicomSources, root: root.path)
        }
        let configuration = resolvedConfiguration(predictor, root: root)
        try write(Data(LandmarksCSVWriter.render(predictions).utf8), Self.csvFile)
        try write(COCOPredictionWriter.render(predictions, schema: predictor.schema), Self.cocoFile)
        try write(JSONOutput.encode(summary), Self.summaryFile)
        try write(JSONOutput.encode(configuration), Self.configurationFile)
        return Result(summary: summary, predictions: predictions, configuration: configuration)
    }

    private func summarise(_ predictions: [NamedPrediction], _ failures: [InferenceFailure], _ overlayFailures: [InferenceFailure],
                           start: Date, networkSeconds: Double, waitSeconds: Double) -> InferenceSummary {
        let seconds = Date().timeIntervalSince(start)
        let marks = predictions.flatMap(\.prediction.landmarks)
        return InferenceSummary(imagesDone: predictions.count, imagesFailed: failures.count, failures: failures,
                                overlayFailures: overlayFailures,
                                seconds: seconds, networkSeconds: networkSeconds, waitingForInputSeconds: waitSeconds,
                                imagesPerSecond: seconds > 0 ? Double(predictions.count) / seconds : 0,
                                imagesWithoutSpacing: predictions.filter { $0.prediction.spacing == nil }.count,
                                landmarksPresent: marks.filter(\.present).count, landmarksAbsent: marks.filter { !$0.present }.count,
                                difficulty: ReviewOrder.ranked(predictions), worldSize: communicator.size)
    }

    /// Error messages name files by absolute path; outputs name them relative to the input root only.
    static func anonymisePaths(_ reason: String, root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return reason.replacingOccurrences(of: prefix, with: "")
    }

    /// Writes `data` to `file` (relative to the output folder) atomically: readers never see half a file.
    func write(_ data: Data, _ file: String) throws {
        try AtomicFile.write(data, to: options.output.appendingPathComponent(file))
    }

    private func writeOverlay(_ prepared: PreparedInput, _ prediction: ImagePrediction, name: String, schema: LandmarkSchema) throws {
        let url = options.output.appendingPathComponent(Self.overlayFolder).appendingPathComponent(name + ".png")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try PNGExport.writeRGB(OverlayRenderer.render(prepared, prediction: prediction, schema: schema), to: url)
    }

    private func resolvedConfiguration(_ p: Predictor, root: URL) -> ResolvedInferenceConfiguration {
        ResolvedInferenceConfiguration(
            model: (try? InputLocation.modelDirectory(options.model).standardizedFileURL.path) ?? options.model.path,
            inputs: options.inputs.map { $0.standardizedFileURL.path }, inputRoot: root.path,
            output: options.output.standardizedFileURL.path, batchSize: max(1, options.batchSize), overlays: options.overlays,
            overlayOrder: options.overlays ? options.overlayOrder : nil, labelMe: options.labelMe,
            prefetch: options.prefetch, decodeThreads: options.decodeThreads, engineThreads: Engine.threads,
            contrastProtocol: p.protocolName, presenceThreshold: p.threshold, schema: p.schema.name, landmarks: p.schema.names,
            inputWidth: p.card.inputWidth, inputHeight: p.card.inputHeight, preset: p.card.preset,
            refinement: p.mapping.codec.refinement.rawValue, refinementStage: p.refiner?.stage,
            clinicalObjects: options.clinicalObjects.isEmpty ? nil : options.clinicalObjects)
    }
}

/// The total the scan reports from its worker threads.
final class LockedCounter: @unchecked Sendable {
    private var n = 0
    private let lock = NSLock()
    func set(_ v: Int) { lock.lock(); n = v; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

/// JSON for output files: stable key order, readable, slashes unescaped.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}

/// One rank's part of a sharded inference run, as sent to rank 0.
struct InferenceShare: Codable {
    var predictions: [NamedPrediction]
    var failures: [InferenceFailure]
    var overlayFailures: [InferenceFailure]
    var labelMeFailures: [InferenceFailure]
    /// Image name → its DICOM file, for the clinical objects rank 0 writes.
    var dicomSources: [String: URL]
    var networkSeconds: Double
    var waitSeconds: Double
}
