import FileOutput
import Foundation

/// Why a TIFF file could not be read or written; `FileError` gives the shape and the "path: kind: reason"
/// description, so a batch ingest log line is enough to find the culprit.
public typealias TIFFError = FileError<TIFFErrorKind>

/// The broad reason a TIFF failed, for callers that react differently (skip vs. abort).
public enum TIFFErrorKind: String, FileErrorKind {
    case cannotOpen = "cannot open"
    case notTIFF = "not a TIFF file"
    case unsupportedSampleFormat = "unsupported sample format"
    case unsupportedBitDepth = "unsupported bit depth"
    case unsupportedColour = "unsupported colour layout"
    case corrupt = "truncated or corrupt"
    case writeFailed = "write failed"
}

/// Reads the C shim's error buffer as a Swift string.
func shimMessage(_ buffer: [CChar]) -> String {
    let message = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    return message.isEmpty ? "unknown error" : message
}
