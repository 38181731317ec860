import Foundation
import COpenBLAS
import CVectorKernels

/// A vector instruction set, ordered from narrowest to widest. The engine's GEMMs (OpenBLAS) run on one.
public enum VectorISA: Int, Comparable, CustomStringConvertible, Sendable {
    case baseline, avx2, avx512

    public static func < (a: VectorISA, b: VectorISA) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["baseline", "avx2", "avx512"][rawValue] }

    /// The widest set this CPU has and the OS enables.
    public static let cpu: VectorISA = {
        let bits = landmark_cpu_vector_features()
        return bits & 2 != 0 ? .avx512 : bits & 1 != 0 ? .avx2 : .baseline
    }()

    /// The OpenBLAS kernel set that serves this ISA, by OPENBLAS_CORETYPE name.
    var openBLASCore: String? {
        switch self {
        case .avx512: "SkylakeX"
        case .avx2: "Haswell"
        case .baseline: nil
        }
    }

    /// The ISA of an OpenBLAS kernel set, by the name `openblas_get_corename` reports.
    init(openBLASCore name: String) {
        switch name.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": self = .avx512
        case "haswell", "zen", "excavator": self = .avx2
        default: self = .baseline
        }
    }
}

/// OpenBLAS picks its kernels once, when it is loaded: from its CPU table, or from OPENBLAS_CORETYPE when
/// that is set. Machines of this project's kind set OPENBLAS_CORETYPE=Haswell in their environment, which
/// pins the AVX2 kernels even on AVX-512 CPUs, at about half the SGEMM rate (122 against 229 GFLOP/s on
/// one Zen 5 core; docs/BENCHMARKS.md). So before the first GEMM the engine selects the kernels for the
/// widest ISA the CPU has and the OS enables. `LANDMARK_BLAS_ISA` overrides that choice: `avx2`,
/// `avx512`, or `inherit` to keep whatever OpenBLAS chose at load time.
enum BLASKernels {
    nonisolated(unsafe) private static var checked = false
    private static let lock = NSLock()

    /// Called before every GEMM; the selection itself runs once. (A lazily initialised `static let` of
    /// type Void is not enough: the optimiser drops an unused read of it, and with it the initialisation.)
    @inline(__always) static func prepare() { if !checked { prepareOnce() } }

    @inline(never) private static func prepareOnce() {
        lock.lock(); defer { lock.unlock() }
        guard !checked else { return }
        // Set only once the kernels are in place: a GEMM on another thread must not start mid-switch.
        defer { checked = true }
        let wanted: VectorISA
        switch ProcessInfo.processInfo.environment["LANDMARK_BLAS_ISA"]?.lowercased() {
        case "inherit": return
        case "avx2": wanted = min(.avx2, VectorISA.cpu)
        case "avx512": wanted = VectorISA.cpu
        case nil, "", "auto": wanted = VectorISA.cpu
        case let other?:
            FileHandle.standardError.write(Data("LANDMARK_BLAS_ISA=\(other) is not one of auto, avx2, avx512, inherit; using auto\n".utf8))
            wanted = VectorISA.cpu
        }
        if VectorISA(openBLASCore: core) != wanted { _ = select(wanted) }
    }

    static var core: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// Switches OpenBLAS to the kernels for `isa`; false when this OpenBLAS cannot switch at run time.
    static func select(_ isa: VectorISA) -> Bool {
        guard let name = isa.openBLASCore else { return false }
        return landmark_openblas_select_core(name) == 0 && VectorISA(openBLASCore: core) == isa
    }
}

extension Engine {
    /// The ISA of the kernels OpenBLAS runs. By default the widest the CPU has (see `BLASKernels`). Set it
    /// to a narrower one to run and compare another path; it must not exceed `VectorISA.cpu`, and no
    /// GEMM may be running while it changes.
    public static var blasISA: VectorISA {
        get { BLASKernels.prepare(); return VectorISA(openBLASCore: BLASKernels.core) }
        set {
            BLASKernels.prepare()
            precondition(newValue <= VectorISA.cpu, "Engine.blasISA: this CPU supports up to \(VectorISA.cpu), not \(newValue)")
            guard newValue != blasISA else { return }
            precondition(BLASKernels.select(newValue), "Engine.blasISA: OpenBLAS cannot switch to \(newValue) kernels at run time")
        }
    }

    /// OpenBLAS's name for the kernel set in use, for benchmark reports.
    public static var blasCore: String { BLASKernels.prepare(); return BLASKernels.core }
}

extension VectorISA {
    /// One core's single-precision FMA rate on this ISA's widest vectors, in GFLOP/s, measured by running
    /// independent FMA chains for about `seconds` (Sources/CVectorKernels/fma_peak.c): the ceiling that
    /// achieved convolution rates are read against. 0 below AVX2.
    public static func measuredFMAPeakGFLOPs(seconds: Double = 0.3) -> Double { lk_fma_peak_gflops(seconds) }
}
