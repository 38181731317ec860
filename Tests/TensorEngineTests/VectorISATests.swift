import XCTest
import Foundation
import CVectorKernels
@testable import TensorEngine

/// The engine selects OpenBLAS's kernels by the CPU's widest vector ISA (`Engine.blasISA`), whatever the
/// environment pinned at load time. Every path the CPU can run must give the same numbers.
final class VectorISATests: XCTestCase {
    func testCoreNamesMapToTheirISA() {
        XCTAssertEqual(VectorISA(openBLASCore: "SkylakeX"), .avx512)
        XCTAssertEqual(VectorISA(openBLASCore: "COOPERLAKE"), .avx512)
        XCTAssertEqual(VectorISA(openBLASCore: "Haswell"), .avx2)
        XCTAssertEqual(VectorISA(openBLASCore: "Zen"), .avx2)
        XCTAssertEqual(VectorISA(openBLASCore: "Prescott"), .baseline)
        XCTAssertLessThan(VectorISA.avx2, VectorISA.avx512)
    }

    /// The engine's own cpuid/xgetbv check and the loader's choice of per-ISA kernel copies
    /// (`__builtin_cpu_supports`) must agree, and the FMA probe must run on that ISA.
    func testISADetectionsAgreeAndTheFMAProbeRuns() {
        XCTAssertEqual(Int(lk_vector_kernels_isa()), VectorISA.cpu.rawValue)
        let peak = VectorISA.measuredFMAPeakGFLOPs(seconds: 0.02)
        if VectorISA.cpu >= .avx2 { XCTAssertGreaterThan(peak, 0) } else { XCTAssertEqual(peak, 0) }
    }

    func testDefaultIsTheWidestTheCPUHas() throws {
        if let forced = ProcessInfo.processInfo.environment["LANDMARK_BLAS_ISA"], !["", "auto"].contains(forced.lowercased()) {
            throw XCTSkip("LANDMARK_BLAS_ISA=\(forced) overrides the default")
        }
        XCTAssertEqual(Engine.blasISA, VectorISA.cpu, "OpenBLAS runs \(Engine.blasCore) on a CPU with \(VectorISA.cpu)")
    }

    /// Convolution forward, input gradient and weight gradient (im2col and Winograd paths) and a plain
    /// matmul on every ISA this CPU runs: each equals the Float64 reference, and the paths agree.
    func testEveryISAPathGivesTheSameNumbers() throws {
        let paths = [VectorISA.avx2, .avx512].filter { $0 <= VectorISA.cpu }
        guard !paths.isEmpty else { throw XCTSkip("this CPU has neither AVX2 nor AVX-512") }
        let saved = Engine.blasISA
        defer { Engine.blasISA = saved }
        var rng = RandomGenerator(seed: 31)
        let x = randomTensor([4, 16, 12, 11], &rng), w = randomTensor([24, 16, 3, 3], &rng, scale: 0.2)
        let xs = randomTensor([3, 8, 9, 9], &rng), ws = randomTensor([5, 8, 3, 3], &rng, scale: 0.3)
        let a = randomTensor([70, 130], &rng, requiresGrad: false), b = randomTensor([130, 90], &rng, requiresGrad: false)
        var results: [[[Float]]] = []
        for isa in paths {
            Engine.blasISA = isa
            XCTAssertEqual(Engine.blasISA, isa)
            var out: [[Float]] = []
            for (input, weight, stride) in [(x, w, 1), (xs, ws, 2)] {
                input.zeroGrad(); weight.zeroGrad()
                let y = conv2d(input, weight: weight, stride: Size2(stride, stride), padding: 1)
                let ref = Ref.conv2d(R64(input), R64(weight), nil, stride: (stride, stride), padding: (1, 1), dilation: (1, 1))
                for i in 0..<y.count { XCTAssertEqual(Double(y[flat: i]), ref.data[i], accuracy: 1e-4, "\(isa) conv stride \(stride)") }
                (y * y).sum().backward()
                out += [y.toArray(), input.grad!.toArray(), weight.grad!.toArray()]
            }
            let p = matmul(a, b), pr = Ref.matmul(R64(a), R64(b))
            for i in 0..<p.count { XCTAssertEqual(Double(p[flat: i]), pr.data[i], accuracy: 1e-4, "\(isa) matmul") }
            out.append(p.toArray())
            results.append(out)
        }
        for other in results.dropFirst() {
            for (u, v) in zip(results[0], other) {
                for (p, q) in zip(u, v) { XCTAssertEqual(p, q, accuracy: 2e-5 * max(1, abs(p))) }
            }
        }
    }
}
