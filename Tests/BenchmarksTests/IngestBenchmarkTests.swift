import Benchmarks
import Foundation
import TestSupport
import XRayIngest
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

/// The synthetic large file of `landmark bench ingest` is a real 16-bit DICOM holding the gradient it promises.
final class LargeUncompressedBenchmarkTests: XCTestCase {
    func testSyntheticFileDecodesToItsValues() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-large-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("large.dcm")
        try IngestBenchmark.writeSyntheticDICOM(side: 12, to: url)
        let file = try DICOMReader().read(url)
        XCTAssertEqual(file.image.rows, 12)
        XCTAssertEqual(file.image.columns, 12)
        XCTAssertEqual(file.image.pixels, IngestBenchmark.syntheticValues(side: 12).map(Float.init))
        XCTAssertEqual(Set(IngestBenchmark.syntheticValues(side: 12)).count, 12 * 12, "a gradient without repeats")
    }

    func testLargeCaseTimesOneFileWithoutFailures() throws {
        let result = try IngestBenchmark.runLargeUncompressed(side: 16, repeats: 1)
        XCTAssertEqual(result.files, 1)
        XCTAssertEqual(result.failures, 0)
        XCTAssertEqual(result.pixelMBPerSecond * result.secondsMedian, Double(16 * 16) * 4 / 1e6, accuracy: 1e-9)
    }
}
