import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The toolkit's one way to write a file: readers never see a half-written one, and a crash right after
/// the call cannot leave an empty one. The content goes to a temporary file in the destination's
/// directory (same file system, so rename(2) replaces atomically), is fsync'ed, renamed over the
/// destination, and the directory entry is fsync'ed too. A failure leaves the destination untouched and
/// removes the temporary file. Foundation's `.atomic` option renames without fsync, so a power cut can
/// publish a zero-length checkpoint; that is why nothing in the toolkit uses it.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { temporary in
            try data.withUnsafeBytes { try writeAll($0, toNewFile: temporary, finalPath: url.path) }
        }
    }

    public static func write(_ bytes: [UInt8], toPath path: String) throws {
        try write(to: URL(fileURLWithPath: path)) { temporary in
            try bytes.withUnsafeBytes { try writeAll($0, toNewFile: temporary, finalPath: path) }
        }
    }

    public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }

    /// For writers that create the file themselves (libtiff, libpng, DCMTK): `body` writes the complete file
    /// at the temporary path it is given; it is then fsync'ed and renamed into place.
    public static func write(to url: URL, _ body: (String) throws -> Void) throws {
        let path = url.path
        let directory = url.deletingLastPathComponent().path
        let temporary = "\(directory)/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
        var committed = false
        defer { if !committed { unlink(temporary) } }
        try body(temporary)
        let fd = open(temporary, O_RDONLY)
        guard fd >= 0 else { throw posixError(path, "the temporary file vanished") }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced else { throw posixError(path, "fsync failed") }
        guard rename(temporary, path) == 0 else { throw posixError(path, "cannot rename the temporary file into place") }
        committed = true
        // Persist the directory entry too; the data is already in place if this fails.
        let dfd = open(directory, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    private static func writeAll(_ raw: UnsafeRawBufferPointer, toNewFile temporary: String, finalPath: String) throws {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw posixError(finalPath, "cannot create a temporary file beside it") }
        defer { close(fd) }
        var written = 0
        while written < raw.count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
            #else
            let n = Darwin.write(fd, raw.baseAddress! + written, raw.count - written)
            #endif
            if n < 0 { if errno == EINTR { continue }; throw posixError(finalPath, "write failed") }
            written += n
        }
    }

    private static func posixError(_ path: String, _ what: String) -> FileWriteError {
        FileWriteError(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
