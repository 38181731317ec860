import Dispatch

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

/// Runs `body(worker)` for `workers` coarse work items at once (e.g. disjoint image ranges of a convolution),
/// with OpenBLAS single-threaded inside. Each worker then does im2col and GEMM on its own data with no
/// barrier in between, and BLAS threads never spin against the engine's own threads.
func parallelRegion(_ workers: Int, _ body: (Int) -> Void) {
    if workers <= 1 || insideParallelRegion {
        for w in 0..<max(workers, 1) { body(w) }
        return
    }
    Engine.setBLASThreads(1)
    insideParallelRegion = true
    DispatchQueue.concurrentPerform(iterations: workers) { body($0) }
    insideParallelRegion = false
    Engine.setBLASThreads(Engine.threads)
}
