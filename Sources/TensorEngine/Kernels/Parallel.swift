import Dispatch
import Foundation

/// Splits `0..<count` into at most `Engine.threads` contiguous chunks of at least `grain` items and runs
/// them concurrently. Small jobs run inline: a dispatch round trip costs a few microseconds.
@inline(__always)
func parallelFor(_ count: Int, grain: Int = 16_384, _ body: (Range<Int>) -> Void) {
    let threads = insideParallelRegion ? 1 : Engine.threads
    let chunks = min(threads, count / max(grain, 1))
    if chunks <= 1 {
        if count > 0 { body(0..<count) }
        return
    }
    let per = (count + chunks - 1) / chunks
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
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

/// Runs `body(i)` for i in 0..<iterations, concurrently when `concurrent` (libdispatch hands iterations to
/// free threads as they finish, at most `Engine.threads` at a time), with OpenBLAS single-threaded inside.
/// Used for coarse work items such as disjoint image ranges of a convolution: each does im2col and GEMM on
/// its own data with no barrier in between, and BLAS threads never spin against the engine's own threads.
func parallelRegion(iterations: Int, concurrent: Bool, _ body: (Int) -> Void) {
    if !concurrent || iterations <= 1 || insideParallelRegion || Engine.threads <= 1 {
        for i in 0..<iterations { body(i) }
        return
    }
    Engine.setBLASThreads(1)
    insideParallelRegion = true
    // concurrentPerform alone would run as many threads as the machine has cores; cap at Engine.threads
    // and let those workers pull iterations from a shared counter.
    let workers = min(Engine.threads, iterations)
    let lock = NSLock()
    var next = 0
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
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
