import Foundation

/// The class of failure a `FileError` carries: a string-backed enum whose raw value reads well in a message
/// ("not DICOM", "write failed").
public protocol FileErrorKind: RawRepresentable, Sendable, Equatable where RawValue == String {}

/// The toolkit's one error for a file that could not be read, decoded or written, when callers react to the
/// class of failure: `kind`, the file as the caller gave it, and the detail (often a codec's own message).
///
/// Each format declares its own kind (`DICOMError` is `FileError<DICOMErrorKind>`), so errors of different
/// formats stay different types and a `catch let e as DICOMError` never catches a TIFF failure.
/// The description always names the file, so one log line is enough to find the culprit.
public struct FileError<K: FileErrorKind>: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The format's class of failure, named here because callers write `DICOMError.Kind`.
    public typealias Kind = K

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
    public var errorDescription: String? { description }
}

/// The toolkit's one error for a file, when callers need no class of failure: the file and why.
///
/// `Domain` is a caseless tag (`PNGFile`, `ModelDirectoryFile`, ...) that only keeps the errors of different
/// writers apart as types: `PNGExport` rethrows its own errors and rewraps everything else, which needs a PNG
/// failure and an atomic-write failure to be told apart by `catch let e as PNGError`.
public struct PathError<Domain>: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
    public var errorDescription: String? { description }
}

/// Tag for `FileWriteError`: the atomic write itself failed.
public enum AtomicWrite {}

/// Why a file could not be written atomically, naming it.
public typealias FileWriteError = PathError<AtomicWrite>
