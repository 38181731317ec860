import Foundation
import ParallelWork
import XCTest

/// The toolkit's parallel loop: every iteration once, real concurrency, and nesting that cannot deadlock.
final class WorkerPoolTests: XCTestCase {
    func testEveryIterationRunsExactlyOnce() {
        for n in [0, 1, 2, 7, 1000] {
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(n, 1))
            counts.initialize(repeating: 0)
            defer { counts.deallocate() }
            WorkerPool.shared.forEach(n, width: 4) { i in counts[i] += 1 }
            XCTAssertEqual(Array(counts.prefix(n)), Array(repeating: 1, count: n), "n = \(n)")
        }
    }

    /// Two iterations that each wait for the other can only finish when they run at the same time; a pool that
    /// ran them one after the other (as concurrentPerform can on a busy Linux host) would time out here.
    func testIterationsRunConcurrently() {
        let pool = WorkerPool(name: "test")
        let arrived = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let met = Locked(0)
        pool.forEach(2, width: 2) { _ in
            arrived.signal()
            if met.increment() == 2 { release.signal(); release.signal() }
            if release.wait(timeout: .now() + 10) == .success { return }
            XCTFail("the two iterations never overlapped")
        }
        XCTAssertEqual(met.value, 2)
    }

    func testNestedLoopsFinish() {
        let total = Locked(0)
        WorkerPool.shared.forEach(8, width: 4) { _ in
            WorkerPool.shared.forEach(8, width: 4) { _ in _ = total.increment() }
        }
        XCTAssertEqual(total.value, 64)
    }

    func testConcurrentCallersShareThePool() {
        let total = Locked(0)
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                WorkerPool.shared.forEach(100, width: 3) { _ in _ = total.increment() }
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(total.value, 400)
    }
}

private final class Locked: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ value: Int) { count = value }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; count += 1; return count }
}
