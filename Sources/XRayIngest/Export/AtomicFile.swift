import Foundation

/// Writes a file so that readers never see a half-written one: the content goes to a temporary
/// file in the same directory (same file system, so rename is atomic) which then replaces the
/// destination. A failed write leaves the destination untouched and removes the temporary file.
public enum AtomicFile {
    public static func write(to url: URL, _ body: (String) throws -> Void) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try body(temporary.path)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [
                    NSFilePathErrorKey: url.path,
                    NSLocalizedDescriptionKey: "cannot rename into place: \(String(cString: strerror(errno)))",
                ])
            }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}
