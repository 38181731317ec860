import Foundation
import XCTest
@testable import XRayIngest
final class ZZTimingScratch: XCTestCase {
    func testTiming() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: DICOMTestData.handXRay.appendingPathComponent("images").path).sorted().prefix(20).map { DICOMTestData.handXRay.appendingPathComponent("images/\($0)") }
        print("BENCH1", IngestBenchmark.run(files: Array(files), repeats: 1, concurrency: 1))
        let r = DICOMReader(options: .init(keepStoredValues: true))
        var t = Date()
        let decoded = files.map { try! r.read($0) }
        print("READ", Date().timeIntervalSince(t))
        t = Date()
        for f in decoded { _ = HandXRayIngestTests.check(["image": "x", "rows": "1", "cols": "1", "photometric": "", "transfer_syntax_uid": "", "pixel_spacing_mm": "1", "rescale_slope": "1"], root: DICOMTestData.handXRay, reader: r, checkWindow: false); _ = f; break }
        print("CHECK1", Date().timeIntervalSince(t))
    }
}
