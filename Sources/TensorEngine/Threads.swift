import Foundation
import COpenBLAS

/// Engine-wide settings, among them how many threads OpenBLAS and the engine's own loops use. Libraries read
/// `threads` and never set it; the command line sets it once per command (LandmarkCLI's `EngineThreads.apply`).
public enum Engine {
    nonisolated(unsafe) private static var _threads: Int = {
        let env = ProcessInfo.processInfo.environment["LANDMARK_THREADS"].flatMap { Int($0) }
        let n = max(1, env ?? ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(Int32(n))
        blasThreads = Int32(n)
        return n
    }()

    /// Thread count for GEMM (OpenBLAS) and for the engine's parallel loops. Defaults to `LANDMARK_THREADS`
    /// or the number of active cores. Results are deterministic for a given thread count; reductions are
    /// written so that they do not depend on it at all.
    public static var threads: Int {
        get { _threads }
        set {
            _threads = max(1, newValue)
            setBLASThreads(_threads)
        }
    }

    /// Forward 3×3 stride-1 convolutions (≥ 16 channels in and out) by Winograd F(2×2, 3×3): 2.25× fewer
    /// multiplies, results equal to im2col within ~1e-5 relative; used by the forward pass (recorded or not).
    nonisolated(unsafe) public static var winograd = true
    /// Direct convolution (no im2col) for layers with at most 4 input channels and a kernel of at least 3×3,
    /// such as a grayscale stem; false falls back to im2col + SGEMM.
    nonisolated(unsafe) public static var directConvolution = true
    /// Weight gradients of 3×3-and-larger layers with ≥ 32 channels on planes ≤ 32 wide build their columns
    /// from a channels-last copy of the input (long contiguous copies instead of 8–32-float rows); false
    /// uses NCHW im2col.
    nonisolated(unsafe) public static var channelsLastColumns = true

    /// Upper bound on freed tensor memory kept for reuse (default 2 GiB). Lower it for small-memory use;
    /// 0 disables the cache.
    public static var memoryCacheLimitBytes: Int {
        get { BufferCache.shared.limitBytes }
        set { BufferCache.shared.limitBytes = max(0, newValue) }
    }

    /// Bytes currently held for reuse.
    public static var memoryCachedBytes: Int { BufferCache.shared.bytesCached }

    /// Returns every cached buffer to the system (e.g. between training and a long idle phase).
    public static func releaseCachedMemory() { BufferCache.shared.releaseAll() }

    nonisolated(unsafe) private static var blasThreads: Int32 = 0

    /// OpenBLAS's own thread count; changed only around `parallelRegion`, where the engine splits the work itself.
    static func setBLASThreads(_ n: Int) {
        let v = Int32(max(1, n))
        if v != blasThreads { openblas_set_num_threads(v); blasThreads = v }
    }
}
