import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// When one rank fails, mpirun stops the others with SIGTERM. Without a word from them, a user sees only that
/// rank's error; this handler says on each of the others why it stopped. Only async-signal-safe calls are made.
enum TerminationNotice {
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var length = 0

    static func install(rank: Int) {
        let text = "landmark: rank \(rank) stopped by mpirun because another rank of the job ended (its files are whole: each is replaced atomically)\n"
        message = strdup(text)
        length = text.utf8.count
        signal(SIGTERM) { _ in
            if let m = TerminationNotice.message { _ = write(2, m, TerminationNotice.length) }
            _exit(143)
        }
    }
}
