import Foundation
import COpenBLAS

/// Engine-wide settings. The one place that sets how many threads OpenBLAS and the engine's own loops use.
public enum Engine {
    nonisolated(unsafe) private static var _threads: Int = {
        let env = ProcessInfo.processInfo.environment["LANDMARK_THREADS"].flatMap { Int($0) }
        let n = max(1, env ?? ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(Int32(n))
        return n
    }()

    /// Thread count for GEMM (OpenBLAS) and for the engine's parallel loops. Defaults to `LANDMARK_THREADS`
    /// or the number of active cores. Results are deterministic for a given thread count; reductions are
    /// written so that they do not depend on it at all.
    public static var threads: Int {
        get { _threads }
        set {
            _threads = max(1, newValue)
            openblas_set_num_threads(Int32(_threads))
        }
    }
}
