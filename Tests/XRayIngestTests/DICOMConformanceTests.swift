import Foundation
import TestSupport
import XCTest
@testable import XRayIngest

/// Every row of ../shared/data/dicom-conformance/manifest.csv.
final class DICOMConformanceTests: XCTestCase {
    /// Lossy JPEG rows whose reference values come from GDCM+DCMTK (IJG); DCMTK decodes them here too.
    private func isConsensusRow(_ row: [String: String]) -> Bool { row["notes"]?.contains("[consensus:gdcm+dcmtk]") == true }

    func testDecodableFilesMatchManifest() throws {
        let root = DICOMTestData.conformance
        guard DICOMTestData.require(root) else { return }
        let rows = try DICOMTestData.csv(root.appendingPathComponent("manifest.csv")).filter { $0["expected"] == "decode" }
        XCTAssertEqual(rows.count, 46, "manifest should list 46 decodable files")
        let reader = DICOMReader(options: .init(keepStoredValues: true))
        for row in rows {
            let name = row["file"]!
            let file: DICOMFile
            do { file = try reader.read(root.appendingPathComponent(name)) } catch {
                XCTFail("\(name): \(error)")
                continue
            }
            XCTAssertEqual(file.header.rows, Int(row["rows"]!), name)
            XCTAssertEqual(file.header.columns, Int(row["cols"]!), name)
            XCTAssertEqual(file.header.frames, Int(row["frames"]!), name)
            XCTAssertEqual(file.header.samplesPerPixel, Int(row["samples_per_pixel"]!), name)
            XCTAssertEqual(file.header.bitsStored, Int(row["bits_stored"]!), name)
            XCTAssertEqual(file.header.transferSyntaxUID, row["transfer_syntax_uid"], name)
            XCTAssertEqual(file.header.photometric, row["photometric"], name)
            XCTAssertEqual(file.image.rows * file.image.columns, file.image.pixels.count, name)
            XCTAssertEqual(file.storedSHA256, row["stored_sha256"], "\(name): stored values differ\(isConsensusRow(row) ? " (lossy consensus row)" : "")")
            let stored = file.storedValues ?? []
            XCTAssertEqual(stored.count, file.header.rows * file.header.columns * file.header.samplesPerPixel, name)
            if let stats = ValueStats.of(stored) {
                XCTAssertEqual(stats.min, Double(row["stored_min"]!)!, name)
                XCTAssertEqual(stats.max, Double(row["stored_max"]!)!, name)
                XCTAssertEqual(stats.mean, Double(row["stored_mean"]!)!, accuracy: 1e-5, name)
            }
            if let mmin = Double(row["modality_min"] ?? ""), let mmax = Double(row["modality_max"] ?? "") {
                let stats = ValueStats.of(file.image.pixels)!
                let lo = stats.min, hi = stats.max
                XCTAssertEqual(lo, mmin, accuracy: max(1e-4, abs(mmin) * 1e-6), "\(name) modality min")
                XCTAssertEqual(hi, mmax, accuracy: max(1e-4, abs(mmax) * 1e-6), "\(name) modality max")
                XCTAssertNil(file.image.originalPhotometric, name)
                XCTAssertEqual(file.image.photometric.rawValue, row["photometric"], name)
            } else {
                XCTAssertEqual(file.image.originalPhotometric, row["photometric"], "\(name): colour must be flagged")
                XCTAssertTrue(file.image.warnings.contains { $0.contains("luminance") }, name)
            }
        }
    }

    func testErrorFilesFailCleanlyWithTheirKind() throws {
        let root = DICOMTestData.conformance
        guard DICOMTestData.require(root) else { return }
        let rows = try DICOMTestData.csv(root.appendingPathComponent("manifest.csv")).filter { $0["expected"] == "error" }
        XCTAssertEqual(rows.count, 5)
        let expected: [String: DICOMError.Kind] = [
            "pylibjpeg-data/JPEG2000Lossless/966.dcm": .decodeFailed,
            "pydicom-wheel/JPEG2000-embedded-sequence-delimiter.dcm": .decodeFailed,
            "generated/CR_6154_truncated.dcm": .truncated,
            "generated/CR_6154_rows0.dcm": .zeroSize,
            "generated/not_dicom.dcm": .notDICOM,
        ]
        for row in rows {
            let name = row["file"]!
            let url = root.appendingPathComponent(name)
            XCTAssertThrowsError(try DICOMReader().read(url), name) { error in
                guard let e = error as? DICOMError else { return XCTFail("\(name): not a DICOMError: \(error)") }
                XCTAssertEqual(e.kind, expected[name], "\(name): \(e)")
                XCTAssertEqual(e.path, url.path)
                XCTAssertTrue(e.description.contains(url.lastPathComponent), "message must name the file")
            }
        }
    }
}
