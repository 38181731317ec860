import Foundation
import TestSupport
import XCTest
@testable import XRayIngest

/// A TIFF stand-in: the real reader lives in the TIFF part of XRayIngest.
private struct FakeTIFFReader: IngestFormatReader {
    var format: IngestFormat { .tiff }
    func read(_ url: URL) throws -> IngestedImage {
        IngestedImage(image: XRayImage(rows: 1, columns: 2, pixels: [0, 1]), format: .tiff, pixelSHA256: "fake")
    }
}

final class IngestScanTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("nested/deeper"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func copy(_ relative: String, to name: String) throws {
        try FileManager.default.copyItem(at: DICOMTestData.conformance.appendingPathComponent(relative),
                                         to: folder.appendingPathComponent(name))
    }

    func testScanRecognisesByContentReportsErrorsAndKeepsOrder() throws {
        guard DICOMTestData.require(DICOMTestData.conformance) else { return }
        try copy("pydicom-wheel/dicomdirtests/77654033/CR1/6154", to: "nested/deeper/6154")
        try copy("generated/not_dicom.dcm", to: "not_dicom.dcm")
        try copy("generated/CR_6154_truncated.dcm", to: "nested/truncated.dcm")
        try copy("pylibjpeg-data/JPEG2000Lossless/966_fixed.dcm", to: "b_966.dcm")
        try Data([0x49, 0x49, 42, 0, 8, 0, 0, 0]).write(to: folder.appendingPathComponent("scan.tif"))
        try Data("id,x\n".utf8).write(to: folder.appendingPathComponent("landmarks.csv"))

        let withoutTIFF = IngestScan(concurrency: 2).run([folder])
        XCTAssertEqual(withoutTIFF.map(\.record.path),
                       ["b_966.dcm", "nested/deeper/6154", "nested/truncated.dcm", "not_dicom.dcm", "scan.tif"])
        let byPath = Dictionary(uniqueKeysWithValues: withoutTIFF.map { ($0.record.path, $0.record) })
        let cr = try XCTUnwrap(byPath["nested/deeper/6154"])
        XCTAssertEqual(cr.status, .ok)
        XCTAssertEqual(cr.modality, "CR")
        XCTAssertEqual(cr.photometric, "MONOCHROME1")
        XCTAssertEqual(cr.rows, 16)
        XCTAssertEqual(cr.pixelSHA256?.count, 64)
        XCTAssertEqual(byPath["b_966.dcm"]?.spacingSource, "PixelSpacing")
        XCTAssertEqual(byPath["b_966.dcm"]?.spacingRowMM, 0.16)
        XCTAssertEqual(byPath["not_dicom.dcm"]?.status, .error)
        XCTAssertTrue(byPath["not_dicom.dcm"]?.error?.hasPrefix("not DICOM") == true)
        XCTAssertTrue(byPath["nested/truncated.dcm"]?.error?.hasPrefix("truncated") == true)
        XCTAssertTrue(byPath["scan.tif"]?.error?.contains("no TIFF reader") == true)
        XCTAssertTrue(withoutTIFF.first { $0.record.path == "not_dicom.dcm" }?.error is DICOMError)

        let withTIFF = IngestScan(readers: [DICOMIngestReader(), FakeTIFFReader()], concurrency: 1).run([folder])
        XCTAssertEqual(withTIFF.first { $0.record.path == "scan.tif" }?.record.status, .ok)
        XCTAssertEqual(withTIFF.map(\.record.path), withoutTIFF.map(\.record.path), "order must not depend on concurrency")
        let dicomRecords = withTIFF.filter { $0.record.format == .dicom }.map(\.record)
        XCTAssertEqual(dicomRecords, withoutTIFF.filter { $0.record.format == .dicom }.map(\.record))

        // An explicitly named file is reported even when it is not an image.
        let explicit = IngestScan().run([folder.appendingPathComponent("landmarks.csv")])
        XCTAssertEqual(explicit.map(\.record.status), [.error])
    }

    /// A folder of links to the real files (a common way to assemble a split) scans like the files.
    func testSymlinkedFilesAreScanned() throws {
        guard DICOMTestData.require(DICOMTestData.conformance) else { return }
        let target = DICOMTestData.conformance.appendingPathComponent("pydicom-wheel/CT_small.dcm")
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("linked.dcm"), withDestinationURL: target)
        let records = IngestScan(concurrency: 1).inventory([folder])
        XCTAssertEqual(records.map(\.path), ["linked.dcm"])
        XCTAssertEqual(records.first?.status, .ok)
    }

    func testInventoryWritersAreAtomicAndParseable() throws {
        guard DICOMTestData.require(DICOMTestData.conformance) else { return }
        try copy("pydicom-wheel/CT_small.dcm", to: "ct, small.dcm")
        try copy("generated/CR_6154_rows0.dcm", to: "rows0.dcm")
        let records = IngestScan().inventory([folder])
        XCTAssertEqual(records.map(\.status), [.ok, .error])
        XCTAssertTrue(records[1].error?.hasPrefix("zero rows or columns") == true)
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try IngestInventoryWriter.writeCSV(records, to: out.appendingPathComponent("inventory.csv"))
        try IngestInventoryWriter.writeJSON(records, to: out.appendingPathComponent("inventory.json"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(), ["inventory.csv", "inventory.json"])
        let csv = try DICOMTestData.csv(out.appendingPathComponent("inventory.csv"))
        XCTAssertEqual(csv.count, 2)
        XCTAssertEqual(csv[0]["path"], "ct, small.dcm")
        XCTAssertEqual(csv[0]["transfer_syntax"], "1.2.840.10008.1.2.1")
        XCTAssertEqual(csv[0]["pixel_sha256"], records[0].pixelSHA256)
        XCTAssertEqual(csv[1]["status"], "error")
        let decoded = try JSONDecoder().decode([IngestInventoryRecord].self,
                                               from: Data(contentsOf: out.appendingPathComponent("inventory.json")))
        XCTAssertEqual(decoded, records)
        let json = try String(contentsOf: out.appendingPathComponent("inventory.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"pixel_sha256\""))
    }
}
