import Benchmarks
import Foundation
import TestSupport
import XCTest

/// `landmark bench ingest` as a library call, on files of the shared conformance set.
final class IngestBenchmarkTests: XCTestCase {
    func testBenchmarkCountsImagesAndFailures() throws {
        guard DICOMTestData.require(DICOMTestData.conformance) else { return }
        let root = DICOMTestData.conformance
        let files = ["pydicom-wheel/CT_small.dcm", "pydicom-wheel/MR_small_RLE.dcm", "generated/not_dicom.dcm"]
            .map { root.appendingPathComponent($0) }
        let result = IngestBenchmark.run(files: files, repeats: 2, concurrency: 2)
        XCTAssertEqual(result.files, 3)
        XCTAssertEqual(result.failures, 1)
        XCTAssertGreaterThan(result.imagesPerSecond, 0)
        XCTAssertGreaterThan(result.fileMBPerSecond, 0)
        XCTAssertEqual(result.pixelMBPerSecond * result.secondsMedian, Double(128 * 128 + 64 * 64) * 4 / 1e6, accuracy: 1e-9)
    }
}
