#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accumulates wall time per layer kind while installed as `LayerProfiler.active`. Container layers
/// (Sequential, blocks) are skipped so nested time is not counted twice: only leaves are timed.
public final class LayerProfiler {
    /// The profiler layers report to; nil (the default) costs one load per layer call.
    nonisolated(unsafe) public static var active: LayerProfiler?

    public private(set) var seconds: [String: Double] = [:]
    public private(set) var calls: [String: Int] = [:]
    /// Convolution kernels by kind ("3×3 forward", "1×1 s2 weight grad", ...): wall time and dense FLOPs
    /// (2·N·Cout·C·kh·kw·OH·OW, whatever the algorithm), so time ÷ FLOPs is comparable across algorithms.
    public private(set) var kernels: [String: (seconds: Double, flops: Double)] = [:]
    private var depth = 0

    public init() {}

    /// Kinds that only group other layers; their time is their children's.
    static let containers: Set<String> = ["sequential", "block"]

    func time<R>(_ kind: String, _ body: () -> R) -> R {
        if LayerProfiler.containers.contains(kind) || depth > 0 { return body() }
        depth += 1
        let t0 = monotonicSeconds()
        let r = body()
        seconds[kind, default: 0] += monotonicSeconds() - t0
        calls[kind, default: 0] += 1
        depth -= 1
        return r
    }

    /// Adds time measured outside a layer call (e.g. an upsample inside a network's forward).
    public func add(_ kind: String, seconds s: Double) {
        seconds[kind, default: 0] += s
        calls[kind, default: 0] += 1
    }

    /// Times `body` under `kind` when a profiler is active.
    public static func measure<R>(_ kind: String, _ body: () -> R) -> R {
        guard let p = active else { return body() }
        return p.time(kind, body)
    }

    /// Times a kernel under `kind`, with `flops` dense FLOPs, when a profiler is active. Kernels run inside
    /// layers, so they are kept apart from the layer-kind times.
    static func kernel<R>(_ kind: @autoclosure () -> String, flops: @autoclosure () -> Double, _ body: () -> R) -> R {
        guard let p = active else { return body() }
        let t0 = monotonicSeconds()
        let r = body()
        let k = kind(), dt = monotonicSeconds() - t0
        let old = p.kernels[k] ?? (0, 0)
        p.kernels[k] = (old.seconds + dt, old.flops + flops())
        return r
    }

    public func reset() { seconds = [:]; calls = [:]; kernels = [:] }
}

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
