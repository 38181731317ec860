/// A bad value in a protocol, located by its field path (e.g. `steps[2].clip_limit`), before the
/// file name is known. Loading turns it into a `ProtocolError` that also names the file.
public struct ProtocolFieldError: Error, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { "\(field): \(message)" }

    /// The same error one level deeper, e.g. `clip_limit` inside `steps[2]`.
    func nested(under prefix: String) -> ProtocolFieldError {
        guard !prefix.isEmpty else { return self }
        return ProtocolFieldError(field: field.isEmpty ? prefix : "\(prefix).\(field)", message: message)
    }
}

/// A protocol that could not be loaded or found. The description names the file and the field.
public struct ProtocolError: Error, Equatable, CustomStringConvertible {
    /// The file path, or `embedded:<name>` for the copies built into the binary.
    public var file: String
    /// The field path (`steps[2].clip_limit`), or `(yaml)` for syntax errors, `(file)` for I/O.
    public var field: String
    public var message: String
    public init(file: String, field: String, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }
    public var description: String { "\(file): \(field): \(message)" }
}
