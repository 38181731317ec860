import FileOutput
import Foundation
import Landmarks
import Yams

/// Why a configuration file could not be used; names the file.
public struct TrainConfigError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var message: String
    public init(file: String, message: String) { self.file = file; self.message = message }
    public var description: String { "\(file): \(message)" }
}

/// Reading and writing `TrainConfig` as YAML (the `--config` file and the run directory's `config.yaml`).
public enum TrainConfigFile {
    public static let runFileName = "config.yaml"

    public static func parse(yaml: String, file: String) throws -> TrainConfig {
        // An unknown key is an error: a misspelt `batchsize:` silently ignored would train with the default.
        if let top = try? Yams.load(yaml: yaml) {
            guard let dict = top as? [String: Any] else {
                throw TrainConfigError(file: file, message: "expected a mapping of settings at the top level")
            }
            let known = Set(TrainConfig.CodingKeys.allCases.map(\.rawValue))
            let unknown = dict.keys.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw TrainConfigError(file: file, message: "unknown setting(s) \(unknown.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))")
            }
        } else if !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw TrainConfigError(file: file, message: "not valid YAML")
        }
        if yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return TrainConfig() }
        do {
            return try YAMLDecoder().decode(TrainConfig.self, from: yaml)
        } catch {
            throw TrainConfigError(file: file, message: "bad value: \(error)")
        }
    }

    public static func load(from url: URL) throws -> TrainConfig {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TrainConfigError(file: url.path, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: url.path)
    }

    public static func yaml(_ config: TrainConfig) throws -> String {
        try YAMLEncoder().encode(config)
    }

    /// Written atomically, so a reader never sees half a configuration.
    public static func write(_ config: TrainConfig, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(Data(yaml(config).utf8), to: url)
    }
}

/// Command-line values; each non-nil one replaces the file's (or the default) value.
public struct TrainConfigOverrides: Sendable, Equatable {
    public var dataset: String?
    public var schema: String?
    public var preset: String?
    public var loss: String?
    public var contrastProtocol: String?
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    /// Square input (`--input-size 256`); `inputWidth`/`inputHeight` win over it when given.
    public var inputSize: Int?
    public var inputWidth: Int?
    public var inputHeight: Int?
    public var seed: UInt64?
    public var threads: Int?
    public var out: String?
    /// `--afl`: switch Adversarial Focal Loss on with default settings, keeping a file's `afl:` section if any.
    public var afl = false
    /// `--refine/--no-refine`: train the refinement stage after the detector.
    public var refine: Bool?
    public var refineEpochs: Int?
    /// `--absent-landmarks train|mask`.
    public var absentLandmarks: AbsentLandmarkPolicy?
    /// `--batch-norm synchronized|local` (matters only under mpirun).
    public var batchNorm: BatchNormMode?

    public init() {}

    public func applied(to base: TrainConfig) -> TrainConfig {
        var c = base
        if let v = dataset { c.dataset = v }
        if let v = schema { c.schema = v }
        if let v = preset { c.preset = v }
        if let v = loss { c.loss = v }
        if let v = contrastProtocol { c.contrastProtocol = v }
        if let v = epochs { c.epochs = v }
        if let v = batchSize { c.batchSize = v }
        if let v = learningRate { c.learningRate = v }
        if let v = inputSize { c.inputWidth = v; c.inputHeight = v }
        if let v = inputWidth { c.inputWidth = v }
        if let v = inputHeight { c.inputHeight = v }
        if let v = seed { c.seed = v }
        if let v = threads { c.threads = v }
        if let v = out { c.out = v }
        if afl, c.afl == nil { c.afl = AFLConfig() }
        if let v = refine { c.refine.enabled = v }
        if let v = refineEpochs { c.refine.epochs = v }
        if let v = absentLandmarks { c.absentLandmarks = v }
        if let v = batchNorm { c.batchNorm = v }
        return c
    }
}

extension TrainConfig {
    /// The file's values (or the defaults without a file), then the overrides; validated.
    public static func resolve(file: URL?, overrides: TrainConfigOverrides) throws -> TrainConfig {
        let base = try file.map { try TrainConfigFile.load(from: $0) } ?? TrainConfig()
        let resolved = overrides.applied(to: base)
        let problems = resolved.problems()
        guard problems.isEmpty else {
            throw TrainConfigError(file: file?.path ?? "<flags>", message: problems.joined(separator: "; "))
        }
        return resolved
    }
}
