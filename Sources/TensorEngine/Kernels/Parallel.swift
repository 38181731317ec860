import Foundation

/// The engine's own worker threads. libdispatch's Linux thread pool adds workers only when it judges the
/// machine idle, so on a busy host `concurrentPerform` often ran on one thread; a fixed pool of parked
/// threads gives the requested parallelism every time.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    private let cond = NSCondition()
    private var job: ((Int) -> Void)?
    private var generation = 0
    private var participants = 0     // pool workers (indices 1...participants) taking part in the current job
    private var pending = 0
    private var started = 0
    /// True while a job runs: a nested request runs inline instead of waiting on busy workers.
    private(set) var busy = false

    private func ensureWorkers(_ n: Int) {
        while started < n {
            started += 1
            let index = started
            let t = Thread { [unowned self] in self.workerLoop(index) }
            t.name = "TensorEngine worker \(index)"
            t.start()
        }
    }

    private func workerLoop(_ index: Int) {
        var seen = 0
        while true {
            cond.lock()
            while generation == seen { cond.wait() }
            seen = generation
            let participates = index <= participants
            cond.unlock()
            if !participates { continue }
            runCurrentJob(index)
            cond.lock()
            pending -= 1
            if pending == 0 { cond.broadcast() }
            cond.unlock()
        }
    }

    /// Calls the job in its own frame so this thread holds no reference to it once it counts as finished
    /// (the closure is only borrowed, via withoutActuallyEscaping, for the duration of `run`). `job` does
    /// not change while workers are pending, so it is read without the lock.
    @inline(never)
    private func runCurrentJob(_ index: Int) { job!(index) }

    /// Runs `body(i)` for i in 0..<parties, i = 0 on the calling thread, and returns when all have finished.
    func run(_ parties: Int, _ body: (Int) -> Void) {
        cond.lock()
        if parties <= 1 || busy {
            // Nested inside a job, or another thread owns the pool right now: do the work here.
            cond.unlock()
            for i in 0..<max(parties, 1) { body(i) }
            return
        }
        busy = true
        cond.unlock()
        withoutActuallyEscaping(body) { escapable in
            cond.lock()
            ensureWorkers(parties - 1)
            job = escapable
            participants = parties - 1
            pending = parties - 1
            generation += 1
            cond.broadcast()
            cond.unlock()
            escapable(0)
            cond.lock()
            while pending > 0 { cond.wait() }
            job = nil
            busy = false
            cond.unlock()
        }
    }
}

/// Splits `0..<count` into at most `Engine.threads` contiguous chunks of at least `grain` items and runs
/// them concurrently. Small jobs run inline: waking a worker costs microseconds.
@inline(__always)
func parallelFor(_ count: Int, grain: Int = 16_384, _ body: (Range<Int>) -> Void) {
    let threads = insideParallelRegion ? 1 : Engine.threads
    let chunks = min(threads, count / max(grain, 1))
    if chunks <= 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let per = (count + chunks - 1) / chunks
    WorkerPool.shared.run(chunks) { c in
        let lo = c * per, hi = min(count, lo + per)
        if lo < hi { body(lo..<hi) }
    }
}

/// Like `parallelFor`, but the unit of work is expensive (a channel plane, an image), so any count ≥ 2 splits.
@inline(__always)
func parallelItems(_ count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
    let grain = max(1, 32_768 / max(costPerItem, 1))
    parallelFor(count, grain: grain, body)
}

/// Set while `parallelRegion` runs: loops nested inside a worker run serially instead of oversubscribing.
nonisolated(unsafe) private(set) var insideParallelRegion = false

/// Runs `body(i)` for i in 0..<iterations, concurrently when `concurrent` (at most `Engine.threads` workers
/// pull iterations from a shared counter, so a worker slowed by another process takes fewer), with OpenBLAS
/// single-threaded inside. Used for coarse work items such as disjoint image ranges of a convolution: each
/// does im2col and GEMM on its own data with no barrier in between, and BLAS threads never spin against
/// the engine's own threads.
func parallelRegion(iterations: Int, concurrent: Bool, _ body: (Int) -> Void) {
    if !concurrent || iterations <= 1 || insideParallelRegion || Engine.threads <= 1 {
        for i in 0..<iterations { body(i) }
        return
    }
    Engine.setBLASThreads(1)
    insideParallelRegion = true
    let lock = NSLock()
    var next = 0
    WorkerPool.shared.run(min(Engine.threads, iterations)) { _ in
        while true {
            lock.lock()
            let i = next
            next += 1
            lock.unlock()
            if i >= iterations { break }
            body(i)
        }
    }
    insideParallelRegion = false
    Engine.setBLASThreads(Engine.threads)
}
