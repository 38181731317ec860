import Foundation

/// Makes items 0..<count ahead of their consumer on several threads and hands them out in index order, so a
/// consumer that batches them in order gets the same batches whatever the thread count.
///
/// Thread t makes items t, t + threads, … into its own `PrefetchQueue` of `depth`, and `next()` takes from the
/// queues in turn. At most `threads × (depth + 1)` items exist ahead of the consumer (each thread's queue plus
/// the one it is making), whatever `count` is.
final class OrderedPrefetch<T: Sendable>: @unchecked Sendable {
    private let queues: [PrefetchQueue<T>]
    private let count: Int
    private var taken = 0
    private let cancelled = LockedFlag()

    init(count: Int, threads: Int, depth: Int, produce: @escaping @Sendable (Int) -> T) {
        let threads = max(1, min(threads, count))
        self.count = count
        queues = (0..<threads).map { _ in PrefetchQueue<T>(capacity: depth) }
        for t in 0..<threads {
            let queue = queues[t], cancelled = cancelled
            Thread {
                for i in stride(from: t, to: count, by: threads) {
                    if cancelled.value { break }
                    queue.put(produce(i))
                }
                queue.close()
            }.start()
        }
    }

    /// The next item in index order, or nil after the last.
    func next() -> T? {
        guard taken < count else { return nil }
        defer { taken += 1 }
        return queues[taken % queues.count].take()
    }

    /// Stops the producers early (a consumer that gives up must call this, or they wait on full queues forever).
    func cancel() {
        cancelled.set()
        // A closed queue no longer blocks `put`, so a waiting producer returns, sees the flag and stops.
        for q in queues { q.close() }
    }
}

/// A flag set once, read from other threads.
final class LockedFlag: @unchecked Sendable {
    private var flag = false
    private let lock = NSLock()
    func set() { lock.lock(); flag = true; lock.unlock() }
    var value: Bool { lock.lock(); defer { lock.unlock() }; return flag }
}
