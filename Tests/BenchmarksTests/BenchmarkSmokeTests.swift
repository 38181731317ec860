import Foundation
import TensorEngine
import XCTest
import Benchmarks
import DetectorModel

/// Runs the benchmark code once on the small preset to check it works end to end. It asserts what
/// the run must report, never how fast it was.
final class BenchmarkSmokeTests: XCTestCase {
    private func options(profile: Bool) -> BenchmarkOptions {
        BenchmarkOptions(config: .small(), presetName: "small", warmup: 1, iterations: 1, profile: profile)
    }

    func testTrainingBenchmarkReportsConsistentFigures() throws {
        let c = BenchmarkCase(name: "train64", mode: .train, resolution: 64, batch: 2)
        let r = DetectorBenchmark.run(c, options: options(profile: true))
        XCTAssertEqual(r.caseName, "train64")
        XCTAssertEqual(r.mode, "train")
        XCTAssertEqual(r.batch, 2)
        XCTAssertEqual(r.iterations, 1)
        XCTAssertEqual(r.threads, Engine.threads)
        XCTAssertEqual(r.parameters, FPNKeypointNet(config: .small()).parameterCount)
        XCTAssertGreaterThan(r.medianMs, 0)
        XCTAssertEqual(r.imagesPerSecond, 2 / (r.medianMs / 1000), accuracy: 1e-6 * r.imagesPerSecond)
        XCTAssertEqual(r.convGflopPerImage, Double(ConvFLOPs.training(.small(), height: 64, width: 64)) / 1e9, accuracy: 1e-12)
        XCTAssertEqual(r.achievedGflops, r.convGflopPerImage * r.imagesPerSecond, accuracy: 1e-6 * r.achievedGflops)
        XCTAssertGreaterThan(r.peakRssMib, 1)
        XCTAssertTrue(r.finalLoss.map { $0.isFinite && $0 > 0 } ?? false)
        let profile = try XCTUnwrap(r.profileMsPerIteration)
        for kind in ["conv2d", "batchNorm2d", "maxPool2d", "upsample", "backward", "optimizer", "loss",
                     "conv2d (backward)", "maxPool2d (backward)"] {
            XCTAssertNotNil(profile[kind], "profile lacks \(kind): \(profile.keys.sorted())")
        }
        let backwardOps = profile.filter { $0.key.hasSuffix("(backward)") }.values.reduce(0, +)
        XCTAssertLessThanOrEqual(backwardOps, profile["backward"]! * 1.01 + 0.1, "per-op backward time is part of the backward total")
        XCTAssertGreaterThan(backwardOps, 0)
    }

    func testInferenceBenchmarkJSONLine() throws {
        let c = BenchmarkCase(name: "infer64", mode: .infer, resolution: 64, batch: 1)
        let r = DetectorBenchmark.run(c, options: options(profile: false))
        XCTAssertTrue(r.foldedInference)
        XCTAssertNil(r.finalLoss)
        XCTAssertNil(r.profileMsPerIteration)
        let line = r.jsonLine()
        XCTAssertFalse(line.contains("\n"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(object["case"] as? String, "infer64")
        XCTAssertNotNil(object["img_per_s"])
        XCTAssertNotNil(object["peak_rss_mib"])
        XCTAssertEqual(try JSONDecoder().decode(BenchmarkResult.self, from: Data(line.utf8)), r)
        XCTAssertEqual(BenchmarkCase.named("train256"), .train256)
        XCTAssertEqual(BenchmarkCase.infer512.batch, 1)
        // The refinement stage's case: found by name, but not among torch_fpn.py's cases.
        let refine = try XCTUnwrap(BenchmarkCase.named("refine128"))
        XCTAssertEqual([refine.resolution, refine.batch], [128, 64])
        XCTAssertFalse(BenchmarkCase.all.contains(refine))
        XCTAssertNil(BenchmarkCase.named("refine256"))
    }
}
