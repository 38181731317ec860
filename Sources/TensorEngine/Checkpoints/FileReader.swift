#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads at the POSIX level, refusing anything but a regular file (writes go through
/// `FileOutput.AtomicFile`).
enum FileReader {
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
}
