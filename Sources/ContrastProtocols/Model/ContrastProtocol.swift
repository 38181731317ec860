/// A named contrast pipeline (docs/CONVENTIONS.md, contrast protocols): a window, then any tone curves, CLAHE, unsharp masks
/// and clamps, in order. Build one with `init` (validated) or load one from YAML with
/// `ProtocolLibrary` / `ProtocolLoader`.
public struct ContrastProtocol: Sendable, Equatable {
    public var name: String
    public var description: String
    public var steps: [ProtocolStep]

    /// Validates the pipeline rules: a file-friendly name, and exactly one window, as the first
    /// step (every later step works on [0,1], and MONOCHROME1 inversion follows the window).
    public init(name: String, description: String, steps: [ProtocolStep]) throws {
        try Self.checkName(name)
        guard let first = steps.first else {
            throw ProtocolFieldError(field: "steps", message: "a protocol needs at least a window step")
        }
        guard case .window = first else {
            throw ProtocolFieldError(field: "steps[0].step", message: "the first step must be 'window', got '\(first.kind)'")
        }
        for (index, step) in steps.enumerated().dropFirst() {
            if case .window = step {
                throw ProtocolFieldError(field: "steps[\(index)].step", message: "only one window step is allowed, and it comes first")
            }
        }
        for (index, step) in steps.enumerated() {
            do {
                switch step {
                case .window(.percentiles(let low, let high)), .window(.voi(_, .percentiles(let low, let high))):
                    try ParameterChecks.percentiles(low: low, high: high)
                case .tone(let curve):
                    try ParameterChecks.tone(curve)
                default:
                    break
                }
            } catch let error as ProtocolFieldError {
                throw error.nested(under: "steps[\(index)]")
            }
        }
        self.name = name
        self.description = description
        self.steps = steps
    }

    static func checkName(_ name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ allowed.contains($0) }) else {
            throw ProtocolFieldError(field: "name",
                                     message: "must be 1-64 characters of a-z, 0-9, '-' or '_', got '\(name)'")
        }
    }
}
