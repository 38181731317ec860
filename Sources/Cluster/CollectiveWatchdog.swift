import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ends this rank when one collective has waited longer than `timeout`.
///
/// mpirun ends the job by itself when a rank exits or is killed. What it cannot see is a rank that is alive but
/// stuck (stopped, swapping, a hung file system, a lost link between machines): every other rank would then wait in
/// its next collective for ever. The watchdog turns that into an exit with a message; mpirun sees a rank exit
/// without MPI_Finalize and stops the rest. It exits rather than calling MPI_Abort because MPI is initialised for
/// one calling thread, and the main thread is the one blocked.
final class CollectiveWatchdog: @unchecked Sendable {
    static let exitCode: Int32 = 124
    private let timeout: Double
    private let rank: Int
    private let lock = NSLock()
    private var current: (name: String, since: Date)?
    private var thread: Thread?

    init(timeout: Double, rank: Int) {
        self.timeout = timeout
        self.rank = rank
        let t = Thread { [unowned self] in self.watch() }
        t.name = "cluster.watchdog"
        t.start()
        thread = t
    }

    /// Marks the start and end of one blocking collective.
    func enter(_ name: String) { lock.lock(); current = (name, Date()); lock.unlock() }
    func leave() { lock.lock(); current = nil; lock.unlock() }

    private func watch() {
        let period = min(1.0, timeout / 4)
        while true {
            Thread.sleep(forTimeInterval: period)
            lock.lock()
            let c = current
            lock.unlock()
            guard let c, Date().timeIntervalSince(c.since) > timeout else { continue }
            let message = "landmark: rank \(rank) waited \(Int(timeout)) s in \(c.name): another rank has failed or hangs; "
                + "ending the job (the last checkpoint is intact; raise \(Cluster.timeoutVariable) if a rank legitimately needs longer)\n"
            FileHandle.standardError.write(Data(message.utf8))
            _exit(Self.exitCode)
        }
    }
}
