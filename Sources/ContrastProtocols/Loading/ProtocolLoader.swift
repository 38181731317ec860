import Foundation
import Yams

/// Parses and validates protocol YAML. Every error is a `ProtocolError` naming the file and field.
public enum ProtocolLoader {
    /// Loads `<dir>/<name>.yaml`; the protocol's `name` must equal the file's base name, so the
    /// name a user types always finds the file it came from.
    public static func load(contentsOf url: URL) throws -> ContrastProtocol {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ProtocolError(file: url.path, field: "(file)", message: "cannot read: \(error.localizedDescription)")
        }
        let expected = url.deletingPathExtension().lastPathComponent
        return try parse(text, file: url.path, expectedName: expected)
    }

    /// Parses protocol YAML from a string; `file` is only used in error messages.
    public static func parse(_ yaml: String, file: String, expectedName: String? = nil) throws -> ContrastProtocol {
        guard !yaml.allSatisfy({ $0.isWhitespace }) else {
            throw ProtocolError(file: file, field: "(yaml)", message: "the file is empty")
        }
        let parsed: ContrastProtocol
        do {
            parsed = try YAMLDecoder().decode(ProtocolDocument.self, from: yaml).value
        } catch {
            throw locate(unwrap(error), file: file)
        }
        if let expectedName, parsed.name != expectedName {
            throw ProtocolError(file: file, field: "name",
                                message: "'\(parsed.name)' must match the file name '\(expectedName)'")
        }
        return parsed
    }

    /// Yams wraps anything thrown while decoding (including our own field errors) in a
    /// DecodingError whose underlying error is the real reason.
    private static func unwrap(_ error: Error) -> Error {
        if case DecodingError.dataCorrupted(let context) = error, let underlying = context.underlyingError {
            return unwrap(underlying)
        }
        return error
    }

    private static func locate(_ error: Error, file: String) -> ProtocolError {
        switch error {
        case let error as ProtocolFieldError:
            return ProtocolError(file: file, field: error.field.isEmpty ? "(top level)" : error.field, message: error.message)
        case let error as YamlError:
            return ProtocolError(file: file, field: "(yaml)", message: "not valid YAML: \(error)")
        case let error as DecodingError:
            return ProtocolError(file: file, field: "(yaml)", message: describe(error))
        default:
            return ProtocolError(file: file, field: "(yaml)", message: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            let path = fieldPath(context.codingPath)
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
