import Crypto
import XCTest
@testable import XRayIngest

/// The TIFF plug-in for the ingest scan.
final class TIFFIngestReaderTests: XCTestCase {
    func testHashIdentifiesPixelsWhateverTheLayout() throws {
        let dir = try makeTemporaryDirectory(self)
        let samples: [UInt16] = (0..<(19 * 33)).map { UInt16($0 * 97 % 65536) }
        let a = dir.appendingPathComponent("a.tif"), b = dir.appendingPathComponent("b.tif"), c = dir.appendingPathComponent("c.tif")
        try TIFFWriter.write([TIFFPage(rows: 19, columns: 33, samples: .uint16(samples), options: TIFFWriteOptions(compression: .none))], to: a)
        try TIFFWriter.write([TIFFPage(rows: 19, columns: 33, samples: .uint16(samples),
                                       options: TIFFWriteOptions(compression: .lzw, tileSize: 16))], to: b)
        var changed = samples
        changed[200] += 1
        try TIFFWriter.write([TIFFPage(rows: 19, columns: 33, samples: .uint16(changed))], to: c)

        let reader = TIFFIngestReader()
        XCTAssertEqual(reader.format, .tiff)
        let ia = try reader.read(a), ib = try reader.read(b), ic = try reader.read(c)
        // Independent: the hash of the little-endian sample bytes.
        let expected = SHA256.hash(data: littleEndianBytes(samples)).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(ia.pixelSHA256, expected)
        XCTAssertEqual(ib.pixelSHA256, expected)
        XCTAssertNotEqual(ic.pixelSHA256, expected)
        XCTAssertEqual(ia.image.pixels, samples.map(Float.init))
        XCTAssertEqual(ia.format, .tiff)
    }

    func testDetectedAndScannedAlongsideDICOM() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("noextension")
        try TIFFWriter.writeFloat32([1, 2, 3, 4, 5, 6], rows: 2, columns: 3, to: url)
        let head = [UInt8](try Data(contentsOf: url).prefix(132))
        XCTAssertEqual(IngestFormat.detect(leadingBytes: head, url: url), .tiff)
        XCTAssertThrowsError(try TIFFIngestReader().read(dir.appendingPathComponent("absent.tif"))) { error in
            XCTAssertEqual((error as? TIFFError)?.kind, .cannotOpen)
        }
    }

    func testIngestScanReadsTIFFThroughThePlugIn() throws {
        let dir = try makeTemporaryDirectory(self)
        try TIFFWriter.write([TIFFPage(rows: 4, columns: 6, samples: .uint16((0..<24).map { UInt16($0 * 1000) }),
                                       options: TIFFWriteOptions(spacing: PixelSpacing(rowMM: 0.5, columnMM: 0.25, source: .manifest)))],
                             to: dir.appendingPathComponent("scan.tif"))
        try Data("not an image".utf8).write(to: dir.appendingPathComponent("broken.tif"))
        let entries = IngestScan(readers: [DICOMIngestReader(), TIFFIngestReader()], concurrency: 1).run([dir])
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0.url.lastPathComponent, $0) })
        let good = try XCTUnwrap(byName["scan.tif"])
        XCTAssertEqual(good.record.status, .ok)
        XCTAssertEqual(good.record.format, .tiff)
        XCTAssertEqual(good.record.rows, 4)
        XCTAssertEqual(good.record.spacingSource, "TIFFResolution")
        XCTAssertEqual(try XCTUnwrap(good.record.spacingColMM), 0.25, accuracy: 1e-6)
        XCTAssertEqual(good.record.pixelSHA256?.count, 64)
        let bad = try XCTUnwrap(byName["broken.tif"])
        XCTAssertEqual(bad.record.status, .error)
        XCTAssertTrue(bad.error is TIFFError, "\(String(describing: bad.error))")
    }
}
