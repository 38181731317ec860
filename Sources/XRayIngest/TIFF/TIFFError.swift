import Foundation

/// Why a TIFF file could not be read or written. The description always names the file, so a
/// batch ingest log line is enough to find the culprit.
public struct TIFFError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The broad reason, for callers that react differently (skip vs. abort).
    public enum Kind: String, Sendable, Equatable {
        case cannotOpen = "cannot open"
        case notTIFF = "not a TIFF file"
        case unsupportedSampleFormat = "unsupported sample format"
        case unsupportedBitDepth = "unsupported bit depth"
        case unsupportedColour = "unsupported colour layout"
        case corrupt = "truncated or corrupt"
        case writeFailed = "write failed"
    }

    public var kind: Kind
    public var path: String
    public var reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(kind.rawValue): \(reason)" }
    public var errorDescription: String? { description }
}

/// Reads the C shim's error buffer as a Swift string.
func shimMessage(_ buffer: [CChar]) -> String {
    let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return message.isEmpty ? "unknown error" : message
}
