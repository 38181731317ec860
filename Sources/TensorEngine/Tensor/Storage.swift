import Foundation

/// A reference-counted, 64-byte-aligned Float32 buffer. Several tensors may share one storage
/// (a reshape is a new shape over the same storage), so in-place writes are visible through all of them.
public final class TensorStorage {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    /// Uninitialised storage: every kernel that allocates an output writes all of it, so zeroing would waste bandwidth.
    init(uninitializedCount count: Int) {
        self.count = count
        pointer = BufferCache.shared.take(floats: count)
    }

    convenience init(zeroedCount count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { BufferCache.shared.give(pointer, floats: count) }
}

/// Keeps freed large buffers for reuse, keyed by exact size. A training step allocates the same sizes in
/// the same order every iteration; without the cache each large buffer would be a fresh mmap whose pages
/// the kernel faults in and zeroes again (several percent of a step).
final class BufferCache: @unchecked Sendable {
    static let shared = BufferCache()
    /// Buffers below this size come from malloc directly: its own bins serve them well.
    static let minimumCachedFloats = 16_384
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private let lock = NSLock()
    var limitBytes = 2 << 30

    func take(floats: Int) -> UnsafeMutablePointer<Float> {
        let n = max(floats, 1)
        if n >= Self.minimumCachedFloats {
            lock.lock()
            if let p = free[n]?.popLast() {
                cachedBytes -= n * 4
                lock.unlock()
                return p
            }
            lock.unlock()
        }
        // 64-byte alignment keeps AVX loads aligned and avoids split cache lines in the GEMM packing routines.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: n * MemoryLayout<Float>.stride, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: n)
    }

    func give(_ p: UnsafeMutablePointer<Float>, floats: Int) {
        let n = max(floats, 1)
        if n >= Self.minimumCachedFloats {
            lock.lock()
            if cachedBytes + n * 4 <= limitBytes {
                free[n, default: []].append(p)
                cachedBytes += n * 4
                lock.unlock()
                return
            }
            lock.unlock()
        }
        UnsafeMutableRawPointer(p).deallocate()
    }

    func releaseAll() {
        lock.lock()
        let all = free.values.flatMap { $0 }
        free = [:]
        cachedBytes = 0
        lock.unlock()
        for p in all { UnsafeMutableRawPointer(p).deallocate() }
    }

    var bytesCached: Int { lock.lock(); defer { lock.unlock() }; return cachedBytes }
}
