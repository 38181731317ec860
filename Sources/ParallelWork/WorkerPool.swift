import Foundation

/// The toolkit's parallel loop for everything outside the tensor engine (decoding, sample preparation, folder
/// scans). libdispatch's Linux thread pool adds workers only when it judges the machine idle, so on a busy host
/// `DispatchQueue.concurrentPerform` often ran on one thread; parked threads of our own give the requested
/// width every time. The engine keeps its own pool (TensorEngine/Kernels/Parallel.swift), whose fixed
/// partitioning its determinism relies on.
public final class WorkerPool: @unchecked Sendable {
    /// The pool every target shares; its threads are started on first use and then parked.
    public static let shared = WorkerPool(name: "LandmarkKit worker")

    private let name: String
    private let cond = NSCondition()
    /// One entry per helper a running loop asked for; a parked thread takes the first.
    private var requests: [ParallelLoop] = []
    private var started = 0

    public init(name: String) { self.name = name }

    /// Calls `body(i)` once for every i in 0..<iterations, on up to `width` threads counting the caller, and
    /// returns when every call has returned. Iterations are handed out one at a time in increasing order, so a
    /// thread slowed by another process takes fewer. The caller works through the iterations itself and helpers
    /// only join in, so a loop nested inside another never waits for a busy pool: at worst it runs inline.
    public func forEach(_ iterations: Int, width: Int = ProcessInfo.processInfo.activeProcessorCount,
                        _ body: (Int) -> Void) {
        let helpers = min(width, iterations) - 1
        guard helpers > 0 else {
            for i in 0..<max(iterations, 0) { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let loop = ParallelLoop(count: iterations, body: escapable)
            cond.lock()
            while started < helpers { startThread() }
            for _ in 0..<helpers { requests.append(loop) }
            cond.broadcast()
            cond.unlock()
            loop.work()
            // Requests no thread has taken yet are dropped; then wait for helpers still inside `body`.
            cond.lock()
            requests.removeAll { $0 === loop }
            cond.unlock()
            loop.finish()
        }
    }

    /// Called with `cond` held.
    private func startThread() {
        started += 1
        let thread = Thread { [unowned self] in self.threadLoop() }
        thread.name = "\(name) \(started)"
        thread.start()
    }

    private func threadLoop() {
        while true {
            cond.lock()
            while requests.isEmpty { cond.wait() }
            let loop = requests.removeFirst()
            cond.unlock()
            loop.work()
        }
    }
}

/// One `forEach` call: the next iteration to hand out and the threads inside the body.
private final class ParallelLoop {
    private let lock = NSCondition()
    private let count: Int
    private var next = 0
    private var active = 0
    /// Borrowed from the caller for the duration of `forEach`; nil once it returns, so no thread keeps it.
    private var body: ((Int) -> Void)?

    init(count: Int, body: @escaping (Int) -> Void) { self.count = count; self.body = body }

    /// Takes iterations until none are left.
    func work() {
        while let i = claim() {
            call(i)
            lock.lock()
            active -= 1
            if active == 0 { lock.broadcast() }
            lock.unlock()
        }
    }

    /// Waits for the threads still inside the body, then lets go of it.
    func finish() {
        lock.lock()
        while active > 0 { lock.wait() }
        body = nil
        lock.unlock()
    }

    private func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard body != nil, next < count else { return nil }
        next += 1
        active += 1
        return next - 1
    }

    /// In its own frame, so the reference to `body` ends with the call. `body` does not change while a thread
    /// is active, so it is read without the lock.
    @inline(never)
    private func call(_ i: Int) { body!(i) }
}
