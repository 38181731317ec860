import XCTest
@testable import XRayIngest

/// Every failure is a typed `TIFFError` that names the file.
final class TIFFErrorTests: XCTestCase {
    private func assertError(_ url: URL, _ kind: TIFFError.Kind, _ reasonPart: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try TIFFReader.read(url), file: file, line: line) { error in
            guard let e = error as? TIFFError else { return XCTFail("not a TIFFError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.kind, kind, "\(e)", file: file, line: line)
            XCTAssertEqual(e.path, url.path, file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix(url.path), e.description, file: file, line: line)
            if let reasonPart {
                XCTAssertTrue(e.reason.contains(reasonPart), "\(e.reason) lacks \(reasonPart)", file: file, line: line)
            }
        }
    }

    func testMissingAndNonTIFFFiles() throws {
        let dir = try makeTemporaryDirectory(self)
        assertError(dir.appendingPathComponent("absent.tif"), .cannotOpen)
        let text = dir.appendingPathComponent("notes.tif")
        try Data("just some text, not an image".utf8).write(to: text)
        assertError(text, .notTIFF)
        let empty = dir.appendingPathComponent("empty.tif")
        try Data().write(to: empty)
        assertError(empty, .notTIFF)
    }

    func testUnsupportedLayouts() throws {
        let dir = try makeTemporaryDirectory(self)
        let rgb = dir.appendingPathComponent("rgb.tif")
        try HandMadeTIFF.strip(width: 2, height: 1, bitsPerSample: [8, 8, 8], sampleFormat: 1, photometric: 2,
                               pixelData: [1, 2, 3, 4, 5, 6]).write(to: rgb)
        assertError(rgb, .unsupportedColour, "3 samples")
        let palette = dir.appendingPathComponent("palette.tif")
        // With a ColorMap: without one, libtiff itself reinterprets a palette image as MinIsBlack.
        try HandMadeTIFF.strip(width: 2, height: 1, bitsPerSample: [8], sampleFormat: 1, photometric: 3,
                               pixelData: [1, 2], extra: [(320, .short([UInt16](repeating: 1000, count: 768)))]).write(to: palette)
        assertError(palette, .unsupportedColour, "photometric")
        let signed = dir.appendingPathComponent("signed.tif")
        try HandMadeTIFF.strip(width: 2, height: 1, bitsPerSample: [16], sampleFormat: 2, photometric: 1,
                               pixelData: [1, 0, 2, 0]).write(to: signed)
        assertError(signed, .unsupportedSampleFormat, "signed")
        let twelve = dir.appendingPathComponent("twelve.tif")
        try HandMadeTIFF.strip(width: 2, height: 1, bitsPerSample: [12], sampleFormat: 1, photometric: 1,
                               pixelData: [1, 2, 3]).write(to: twelve)
        assertError(twelve, .unsupportedBitDepth, "12 bits")
        let double = dir.appendingPathComponent("double.tif")
        try HandMadeTIFF.strip(width: 1, height: 1, bitsPerSample: [64], sampleFormat: 3, photometric: 1,
                               pixelData: [UInt8](repeating: 0, count: 8)).write(to: double)
        assertError(double, .unsupportedBitDepth, "64 bits")
    }

    func testTruncatedStrip() throws {
        // A hand-made file whose StripByteCounts promises more bytes than the file holds.
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("short.tif")
        let full = HandMadeTIFF.strip(width: 8, height: 4, bitsPerSample: [16], sampleFormat: 1, photometric: 1,
                                      pixelData: [UInt8](repeating: 7, count: 64))
        try Data(full.bytes.dropLast(40)).write(to: url)
        assertError(url, .corrupt, "strip 0")
    }

    func testTruncatedLibtiffFile() throws {
        // Cutting a written file in half loses the strips' end (and libtiff writes the directory last).
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("cut.tif")
        try TIFFWriter.writeFloat32((0..<4096).map { Float($0) }, rows: 64, columns: 64, to: url,
                                    options: TIFFWriteOptions(compression: .none))
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count / 2).write(to: url)
        assertError(url, .corrupt)
    }

    func testCorruptCompressedData() throws {
        // Garbage in a Deflate stream must be an error, never silently wrong pixels.
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("garbled.tif")
        try TIFFWriter.write([TIFFPage(rows: 64, columns: 64, samples: .uint16((0..<4096).map { UInt16($0 * 13 % 65536) }),
                                       options: TIFFWriteOptions(compression: .deflate, rowsPerStrip: 64))], to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        // libtiff places the only strip right after the 8-byte header.
        for i in 8..<40 { bytes[i] = 0xA5 }
        try Data(bytes).write(to: url)
        assertError(url, .corrupt, "strip 0")
    }
}

/// TIFF, DICOM and PNG errors share `FileError`/`PathError` but stay apart as types, so one format's catch never
/// takes another's failure.
final class IngestErrorTypesTests: XCTestCase {
    func testFormatErrorsAreDistinctTypesWithTheSameDescriptionShape() {
        let tiff: Error = TIFFError(.corrupt, path: "a.tif", reason: "short strip")
        let dicom: Error = DICOMError(.truncated, path: "a.dcm", reason: "ends early")
        let png: Error = PNGError(path: "a.png", reason: "no space")
        XCTAssertFalse(tiff is DICOMError)
        XCTAssertFalse(dicom is TIFFError)
        XCTAssertEqual("\(tiff)", "a.tif: truncated or corrupt: short strip")
        XCTAssertEqual("\(dicom)", "a.dcm: truncated: ends early")
        XCTAssertEqual("\(png)", "a.png: no space")
    }
}
