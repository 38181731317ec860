import FileOutput
import Foundation

/// `landmark ingest`: decode every file once, write the inventory, and each preview it is given (the command
/// passes one per contrast protocol).
///
/// Output layout under `output`:
/// - `inventory.csv`, `inventory.json`: one record per file, including the failures and why;
/// - `previews/<preview>/<relative path without extension>.tif` (16-bit) and `.png` (8-bit);
/// - `ingest-config.json`: the resolved configuration, so the run can be reproduced.
/// Files are named by their path relative to the input folder, never by patient identity.
public struct IngestJob: Sendable {
    public struct Options: Sendable {
        public var inputs: [URL]
        public var output: URL
        /// The previews of every decoded image; the resolved configuration records each one's definition.
        public var previews: [any IngestPreview]
        public var inventoryOnly: Bool
        public var frame: Int
        public var concurrency: Int

        public init(inputs: [URL], output: URL, previews: [any IngestPreview], inventoryOnly: Bool = false,
                    frame: Int = 0, concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) {
            self.inputs = inputs
            self.output = output
            self.previews = previews
            self.inventoryOnly = inventoryOnly
            self.frame = frame
            self.concurrency = concurrency
        }
    }

    /// What a run did; failures keep the file and the reason, and never stop the run.
    public struct Summary: Sendable, Codable {
        public struct Failure: Sendable, Codable {
            public var path: String
            public var reason: String
        }
        public var files: Int
        public var decoded: Int
        public var previews: Int
        public var seconds: Double
        public var failures: [Failure]
    }

    /// The configuration as written next to the outputs. The previews are listed under `protocols`, the name
    /// every `ingest-config.json` has used, with a preview's definition as `yaml`.
    struct ResolvedConfig: Codable {
        struct ProtocolRecord: Codable {
            var name: String
            var source: String
            var yaml: String
        }
        var inputs: [String]
        var protocols: [ProtocolRecord]
        var inventoryOnly: Bool
        var frame: Int
        var concurrency: Int
    }

    public var options: Options
    public init(options: Options) { self.options = options }

    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let start = Date()
        let fm = FileManager.default
        try fm.createDirectory(at: options.output, withIntermediateDirectories: true)
        let config = ResolvedConfig(inputs: options.inputs.map(\.path), protocols: options.previews.map {
                                        .init(name: $0.name, source: $0.source, yaml: $0.definition)
                                    },
                                    inventoryOnly: options.inventoryOnly, frame: options.frame,
                                    concurrency: options.concurrency)
        try Self.writeJSON(config, to: options.output.appendingPathComponent("ingest-config.json"))

        let scan = IngestScan(readers: [DICOMIngestReader(options: .init(frame: options.frame)), TIFFIngestReader()],
                              concurrency: options.concurrency)
        let previewErrors = LockedList<Summary.Failure>()
        let previewCount = LockedList<Int>()
        let options = self.options
        let entries = scan.run(options.inputs, progress: progress) { entry in
            guard !options.inventoryOnly, let ingested = entry.image else { return }
            for preview in options.previews {
                do {
                    try Self.writePreview(preview, of: ingested.image, relativePath: entry.record.path, under: options.output)
                    previewCount.append(1)
                } catch {
                    previewErrors.append(.init(path: entry.record.path, reason: "preview \(preview.name): \(error)"))
                }
            }
        }
        let records = entries.map(\.record)
        try IngestInventoryWriter.writeCSV(records, to: options.output.appendingPathComponent("inventory.csv"))
        try IngestInventoryWriter.writeJSON(records, to: options.output.appendingPathComponent("inventory.json"))
        let decodeFailures = records.filter { $0.status == .error }
            .map { Summary.Failure(path: $0.path, reason: $0.error ?? "unknown error") }
        return Summary(files: records.count, decoded: records.count - decodeFailures.count,
                       previews: previewCount.values.count, seconds: Date().timeIntervalSince(start),
                       failures: decodeFailures + previewErrors.values)
    }

    /// `previews/<preview>/<path without extension>.{tif,png}`; a path that escapes the folder is flattened.
    static func writePreview(_ preview: any IngestPreview, of image: XRayImage, relativePath: String, under output: URL) throws {
        var stem = relativePath
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") { stem = String(stem[..<dot]) }
        stem = stem.split(separator: "/").filter { $0 != ".." && $0 != "." }.joined(separator: "/")
        let base = output.appendingPathComponent("previews/\(preview.name)/\(stem)")
        try FileManager.default.createDirectory(at: base.deletingLastPathComponent(), withIntermediateDirectories: true)
        try preview.write(image, to: base)
    }

    static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(encoder.encode(value), to: url)
    }
}
