import XCTest
@testable import Cluster

/// The split every job uses to merge results in single-process order.
final class ShardTests: XCTestCase {
    func testContiguousSharesCoverTheListInOrderAndBalance() {
        for n in [0, 1, 5, 7, 64] {
            for ranks in 1...5 {
                let ranges = (0..<ranks).map { Shard(index: $0, count: ranks).range(of: n) }
                XCTAssertEqual(ranges.flatMap { Array($0) }, Array(0..<n), "n \(n), \(ranks) ranks")
                let sizes = ranges.map(\.count)
                XCTAssertLessThanOrEqual(sizes.max()! - sizes.min()!, 1, "n \(n), \(ranks) ranks: \(sizes)")
            }
        }
        XCTAssertEqual(Shard(index: 1, count: 2).slice(["a", "b", "c"]), ["c"])
    }

    func testAlignedSharesStartOnBlockBoundaries() {
        for n in [0, 3, 12, 13] {
            let ranges = (0..<3).map { Shard(index: $0, count: 3).range(of: n, alignedTo: 4) }
            XCTAssertEqual(ranges.flatMap { Array($0) }, Array(0..<n), "n \(n)")
            for r in ranges where !r.isEmpty { XCTAssertEqual(r.lowerBound % 4, 0, "n \(n): \(ranges)") }
        }
        XCTAssertEqual(Shard(index: 0, count: 2).range(of: 12, alignedTo: 4), 0..<8)
        XCTAssertEqual(Shard(index: 1, count: 2).range(of: 12, alignedTo: 4), 8..<12)
    }

    func testLaunchModeNeedsAnMPILauncher() {
        XCTAssertEqual(LaunchMode.detect([:]), .single)
        XCTAssertEqual(LaunchMode.detect(["PATH": "/usr/bin"]), .single)
        XCTAssertEqual(LaunchMode.detect(["OMPI_COMM_WORLD_SIZE": "4"]), .mpi(worldSize: 4))
        XCTAssertEqual(LaunchMode.detect(["PMIX_RANK": "0"]), .mpi(worldSize: nil))
    }

    func testSingleProcessCollectivesAreTheIdentity() throws {
        let c = SingleProcess()
        var v: [Double] = [1.5, -2]
        c.allreduceSum(&v)
        XCTAssertEqual(v, [1.5, -2])
        XCTAssertEqual(try c.allgather(["x": 1]), [["x": 1]])
        XCTAssertEqual(c.shard, .whole)
    }
}
