#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// File I/O at the POSIX level, because atomic replacement needs fsync on the file and on its
/// directory, which Foundation does not expose.
enum AtomicFileWriter {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = parentDirectory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let temp = "\(directory)/.\(base).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        func fail(_ what: String) -> SafetensorsError {
            .io(file: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw fail("cannot create temporary file in '\(directory)'") }
        var committed = false
        defer { if !committed { unlink(temp) } }

        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        guard ok else { let e = fail("write failed"); close(fd); throw e }
        guard fsync(fd) == 0 else { let e = fail("fsync failed"); close(fd); throw e }
        guard close(fd) == 0 else { throw fail("close failed") }
        guard rename(temp, path) == 0 else { throw fail("cannot rename temporary file into place") }
        committed = true

        // Persist the directory entry too; failure here is not fatal to the data already renamed.
        let dfd = open(directory, O_RDONLY)
        if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    }

    static func readAll(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw SafetensorsError.io(file: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SafetensorsError.io(file: path, reason: "cannot stat: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw SafetensorsError.io(file: path, reason: "not a regular file") }
        var out = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        try out.withUnsafeMutableBytes { raw in
            while got < raw.count {
                let n = read(fd, raw.baseAddress! + got, raw.count - got)
                if n < 0 { if errno == EINTR { continue }; throw SafetensorsError.io(file: path, reason: "read failed: \(String(cString: strerror(errno)))") }
                if n == 0 { break }
                got += n
            }
        }
        return got == out.count ? out : Array(out[0..<got])
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}
