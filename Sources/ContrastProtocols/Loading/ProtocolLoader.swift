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
        let parsed: ContrastProtocol
        do {
            parsed = try YAMLDecoder().decode(ProtocolDocument.self, from: yaml).value
        } catch let error as ProtocolFieldError {
            throw ProtocolError(file: file, field: error.field.isEmpty ? "(top level)" : error.field, message: error.message)
        } catch let error as YamlError {
            throw ProtocolError(file: file, field: "(yaml)", message: "not valid YAML: \(error)")
        } catch let error as DecodingError {
            throw ProtocolError(file: file, field: "(yaml)", message: describe(error))
        } catch {
            throw ProtocolError(file: file, field: "(yaml)", message: "\(error)")
        }
        if let expectedName, parsed.name != expectedName {
            throw ProtocolError(file: file, field: "name",
                                message: "'\(parsed.name)' must match the file name '\(expectedName)'")
        }
        return parsed
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
