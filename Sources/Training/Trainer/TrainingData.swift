import ContrastProtocols
import Foundation
import Landmarks

/// The images a run trains and validates on, where their pixels come from, and the schema (with
/// its exact YAML text, which the model directory carries).
public struct TrainingData: Sendable {
    public var schema: LandmarkSchema
    public var schemaYAML: String
    public var train: [AnnotatedImage]
    public var validation: [AnnotatedImage]
    public var source: ImageSource
    public var contrast: ContrastApplier
    /// Protocols the augmenter draws from when the configuration says "random".
    public var randomProtocols: [String]

    public init(schema: LandmarkSchema, schemaYAML: String, train: [AnnotatedImage], validation: [AnnotatedImage],
                source: ImageSource, contrast: @escaping ContrastApplier,
                randomProtocols: [String] = ProtocolLibrary.shippedNames) {
        self.schema = schema; self.schemaYAML = schemaYAML; self.train = train; self.validation = validation
        self.source = source; self.contrast = contrast; self.randomProtocols = randomProtocols
    }

    /// Splits a loaded dataset: its splits/ train and valid lists when it has them, else a random split
    /// seeded by `seed` with `validationFraction` of the images held out.
    public init(dataset: LandmarkDataset, schemaYAML: String, source: ImageSource, contrast: @escaping ContrastApplier,
                seed: UInt64, validationFraction: Double) throws {
        var splits = dataset.splits
        if (splits[.train] ?? []).isEmpty || (splits[.valid] ?? []).isEmpty {
            splits = dataset.randomSplit(seed: seed, train: 1 - validationFraction, valid: validationFraction)
        }
        let trainIDs = Set(splits[.train] ?? []), validIDs = Set(splits[.valid] ?? [])
        let train = dataset.images.filter { trainIDs.contains($0.id) }
        let validation = dataset.images.filter { validIDs.contains($0.id) }
        guard !train.isEmpty, !validation.isEmpty else {
            throw TrainerError.dataset("\(dataset.root.path): \(train.count) training and \(validation.count) validation images; both must be non-empty")
        }
        self.init(schema: dataset.schema, schemaYAML: schemaYAML, train: train, validation: validation, source: source,
                  contrast: contrast)
    }

    /// The production path: decoded-image cache over the ingest readers, the shipped (or user) contrast
    /// protocols, the schema from the configuration or the dataset.
    public static func load(config: TrainConfig) throws -> TrainingData {
        guard let path = config.dataset else { throw TrainerError.dataset("no dataset folder given") }
        let root = URL(fileURLWithPath: path, isDirectory: true)
        let cacheDir = config.cacheDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? defaultCacheDirectory()
        let source = try IngestImageSource.cached(in: cacheDir)
        var options = DatasetLoadOptions()
        let library = SchemaLibrary()
        let schemaName: String
        if let s = config.schema {
            schemaName = s
        } else {
            let yamlURL = root.appendingPathComponent("dataset.yaml")
            let datasetConfig = (try? String(contentsOf: yamlURL, encoding: .utf8)).flatMap { try? DatasetConfig.parse(yaml: $0, file: "dataset.yaml") }
            schemaName = datasetConfig?.schema ?? SchemaLibrary.defaultSchemaName
        }
        options.schema = try library.schema(named: schemaName)
        let yaml = try schemaText(named: schemaName, library: library)
        let dataset = try LandmarkDataset.load(root: root, source: source, options: options)
        let protocolLibrary = try ProtocolLibrary.load()
        var names = Set(ProtocolLibrary.shippedNames)
        if case .named(let name) = config.contrastProtocol { names.insert(name) }
        let contrast = try ProtocolContrast.applier(library: protocolLibrary, names: Array(names).sorted(),
                                                    defaultName: validationProtocol(for: config))
        return try TrainingData(dataset: dataset, schemaYAML: yaml, source: source, contrast: contrast,
                                seed: config.seed, validationFraction: config.validationFraction)
    }

    /// The protocol used for validation and written into the model card.
    public static func validationProtocol(for config: TrainConfig) -> String { config.contrastProtocol.validationProtocol }

    /// The schema file's exact text (a shipped schema's embedded copy is byte-identical), which the model
    /// directory carries so inference needs no schema folder.
    static func schemaText(named name: String, library: SchemaLibrary) throws -> String {
        do { return try library.yamlText(named: name) } catch {
            throw TrainerError.dataset("\(error)")
        }
    }

    static func defaultCacheDirectory() -> URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("landmarkkit/decoded", isDirectory: true)
    }
}
