import CDicomBridge

/// Why a DICOM file could not be read, decoded or written, naming the file.
///
/// Match on `kind`; `reason` carries the detail (often the codec's own message).
public struct DICOMError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of failure.
    public enum Kind: String, Sendable, Codable, CaseIterable {
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

    public var kind: Kind
    /// The file concerned, as given by the caller.
    public var path: String
    public var reason: String

    public init(_ kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(kind.rawValue): \(reason)" }

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
