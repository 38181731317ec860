import CDicomBridge
import FileOutput

/// Why a DICOM file could not be read, decoded or written, naming the file.
///
/// Match on `kind`; `reason` carries the detail (often the codec's own message). `FileError` gives the shape and
/// the "path: kind: reason" description.
public typealias DICOMError = FileError<DICOMErrorKind>

/// The class of a DICOM failure.
public enum DICOMErrorKind: String, FileErrorKind, Codable, CaseIterable {
    case notDICOM = "not DICOM"
    case truncated = "truncated"
    case noPixelData = "no pixel data"
    case zeroSize = "zero rows or columns"
    case unsupportedTransferSyntax = "unsupported transfer syntax"
    case inconsistentBitDepth = "inconsistent bit depths"
    case decodeFailed = "decode failed"
    case frameOutOfRange = "frame out of range"
    case unreadable = "unreadable"
    case unsupported = "unsupported"
    case invalidArgument = "invalid argument"
    case writeFailed = "write failed"
}

extension FileError where K == DICOMErrorKind {
    /// Maps a bridge status; the bridge never reports patient data in its messages.
    public init(status: Int32, path: String, reason: String) {
        let kind: Kind
        switch ldk_status(rawValue: UInt32(bitPattern: status)) {
        case LDK_ERR_NOT_DICOM: kind = .notDICOM
        case LDK_ERR_TRUNCATED: kind = .truncated
        case LDK_ERR_NO_PIXEL_DATA: kind = .noPixelData
        case LDK_ERR_ZERO_SIZE: kind = .zeroSize
        case LDK_ERR_UNSUPPORTED_SYNTAX: kind = .unsupportedTransferSyntax
        case LDK_ERR_INCONSISTENT_BITS: kind = .inconsistentBitDepth
        case LDK_ERR_DECODE: kind = .decodeFailed
        case LDK_ERR_FRAME_RANGE: kind = .frameOutOfRange
        case LDK_ERR_IO: kind = .unreadable
        case LDK_ERR_UNSUPPORTED: kind = .unsupported
        case LDK_ERR_INVALID_ARGUMENT, LDK_ERR_BUFFER_TOO_SMALL: kind = .invalidArgument
        default: kind = .writeFailed
        }
        self.init(kind, path: path, reason: reason)
    }
}
