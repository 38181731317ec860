import Foundation

/// A reference-counted, 64-byte-aligned Float32 buffer. Several tensors may share one storage
/// (a reshape is a new shape over the same storage), so in-place writes are visible through all of them.
public final class TensorStorage {
    public let count: Int
    public let pointer: UnsafeMutablePointer<Float>

    /// Uninitialised storage: every kernel that allocates an output writes all of it, so zeroing would waste bandwidth.
    init(uninitializedCount count: Int) {
        self.count = count
        // 64-byte alignment keeps AVX loads aligned and avoids split cache lines in the GEMM packing routines.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    convenience init(zeroedCount count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
