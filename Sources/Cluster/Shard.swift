/// One rank's share of a list: a contiguous, balanced slice (the first `n % count` ranks get one item more).
/// Contiguous slices concatenated in rank order give back the list in its original order, which is how the
/// ranks' results are merged into the same order as a single process's.
public struct Shard: Equatable, Sendable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && (0..<count).contains(index), "Shard: index \(index) outside 0..<\(count)")
        self.index = index
        self.count = count
    }

    /// The whole list: what a single process takes.
    public static let whole = Shard(index: 0, count: 1)

    /// This rank's slice of `0..<n`.
    public func range(of n: Int) -> Range<Int> {
        let base = n / count, extra = n % count
        let start = index * base + min(index, extra)
        return start..<(start + base + (index < extra ? 1 : 0))
    }

    /// This rank's slice of `0..<n` in whole blocks of `block` items (the last block may be short). Batched work
    /// sharded this way puts every item in the same batch as one process would, so results match to the last bit
    /// (a network's output can depend on the batch it is computed in, through the GEMM blocking).
    public func range(of n: Int, alignedTo block: Int) -> Range<Int> {
        let b = max(block, 1)
        let blocks = range(of: (n + b - 1) / b)
        return min(blocks.lowerBound * b, n)..<min(blocks.upperBound * b, n)
    }

    /// This rank's elements of `items`.
    public func slice<T>(_ items: [T]) -> [T] { Array(items[range(of: items.count)]) }
}

extension Communicator {
    /// This rank's share of every list the job splits.
    public var shard: Shard { Shard(index: rank, count: size) }
}
