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
        } catch let error as DecodingError {
            throw TrainConfigError(file: file, message: "bad value: \(describe(error))")
        } catch {
            throw TrainConfigError(file: file, message: "bad value: \(error)")
        }
    }

    /// `key.path: what is wrong`, instead of the decoder's dump of its context.
    static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let c), .keyNotFound(_, let c), .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
        @unknown default: return "\(error)"
        }
        let key = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return key.isEmpty ? context.debugDescription : "\(key): \(context.debugDescription)"
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

/// Command-line values on top of a file's; each flag the user gave replaces that setting. A new setting needs
/// no field here: its flag calls `set(\.setting, value)`.
public struct TrainConfigOverrides {
    private var edits: [(inout TrainConfig) -> Void] = []

    public init() {}

    /// Replaces the setting at `path` when `value` is non-nil (the flag was given).
    public mutating func set<T>(_ path: WritableKeyPath<TrainConfig, T>, _ value: T?) {
        if let value { edits.append { $0[keyPath: path] = value } }
    }

    /// The same for an optional setting: a flag not given leaves the file's value, it does not clear it.
    public mutating func set<T>(_ path: WritableKeyPath<TrainConfig, T?>, _ value: T?) {
        if let value { edits.append { $0[keyPath: path] = value } }
    }

    /// `--input-size n`: a square input.
    public mutating func setInputSize(_ size: Int?) {
        if let size { edits.append { $0.inputWidth = size; $0.inputHeight = size } }
    }

    /// `--afl`: switch Adversarial Focal Loss on with default settings, keeping a file's `afl:` section if any.
    public mutating func switchOnAFL() {
        edits.append { if $0.afl == nil { $0.afl = AFLConfig() } }
    }

    /// The edits in the order they were made.
    public func applied(to base: TrainConfig) -> TrainConfig {
        var c = base
        for edit in edits { edit(&c) }
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
