import XCTest
import Benchmarks

/// `landmark bench afl` as a library call: both arms run and the report is internally consistent. The
/// figures themselves are printed by the benchmark, never asserted.
final class AFLBenchmarkTests: XCTestCase {
    func testBothArmsRunAndTheCriticIsThePapersSize() throws {
        var o = AFLBenchmark.Options()
        o.preset = "small"; o.resolution = 64; o.batch = 2; o.warmup = 0; o.iterations = 1
        let r = try AFLBenchmark.run(o)
        XCTAssertEqual(r.criticParameters, 9_481)
        XCTAssertTrue(r.baselineMs > 0 && r.aflMs > 0 && r.aflWeightingMs > 0)
        XCTAssertLessThan(r.aflWeightingMs, r.aflMs, "the weighting is part of the AFL step")
        XCTAssertEqual(r.loss, "awing")
        o.preset = "r101"
        XCTAssertThrowsError(try AFLBenchmark.run(o))
    }
}
