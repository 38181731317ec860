/// Why a safetensors file could not be read, written or applied. Every case that concerns a file
/// names it, so a user with many checkpoints knows which one is broken.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is not a well-formed safetensors file (bad header length, JSON, offsets, truncation).
    case corrupted(file: String, reason: String)
    /// Reading or writing the file failed at the operating-system level.
    case io(file: String, reason: String)
    /// A tensor built in memory is inconsistent (shape vs byte count, bad name).
    case invalidTensor(name: String?, reason: String)
    /// The file is well formed but does not fit the model it is loaded into; lists every difference.
    case mismatch(file: String, problems: [StateDictProblem])

    public var description: String {
        switch self {
        case let .corrupted(file, reason): return "safetensors file '\(file)' is corrupted: \(reason)"
        case let .io(file, reason): return "safetensors file '\(file)': \(reason)"
        case let .invalidTensor(name, reason): return "invalid tensor\(name.map { " '\($0)'" } ?? ""): \(reason)"
        case let .mismatch(file, problems):
            let lines = problems.map { "  - \($0)" }.joined(separator: "\n")
            return "safetensors file '\(file)' does not match the model (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n\(lines)"
        }
    }
}
