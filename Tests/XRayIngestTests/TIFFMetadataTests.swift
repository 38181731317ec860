import XCTest
@testable import XRayIngest

/// Pages, resolution tags and photometric interpretation.
final class TIFFMetadataTests: XCTestCase {
    func testMultiPageReadsFirstPage() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("pages.tif")
        let first = TIFFPage(rows: 3, columns: 5, samples: .uint16((0..<15).map { UInt16($0 * 100) }),
                             options: TIFFWriteOptions(compression: .lzw))
        let second = TIFFPage(rows: 4, columns: 2, samples: .uint16([UInt16](repeating: 9, count: 8)),
                              options: TIFFWriteOptions(compression: .none))
        try TIFFWriter.write([first, second], to: url)
        XCTAssertEqual(try TIFFReader.inspect(url).pageCount, 2)
        let image = try TIFFReader.read(url)
        XCTAssertEqual(image.rows, 3)
        XCTAssertEqual(image.columns, 5)
        XCTAssertEqual(image.pixels, (0..<15).map { Float($0 * 100) })
        XCTAssertEqual(image.frameCount, 2)
        XCTAssertEqual(image.frameIndex, 0)
        XCTAssertTrue(image.warnings.contains { $0.contains("2 pages") }, "\(image.warnings)")
    }

    private func spacing(writing tags: TIFFResolutionTags?, in dir: URL) throws -> PixelSpacing? {
        let url = dir.appendingPathComponent("res-\(UUID().uuidString).tif")
        try TIFFWriter.write([TIFFPage(rows: 2, columns: 3, samples: .uint8([1, 2, 3, 4, 5, 6]),
                                       options: TIFFWriteOptions(resolution: tags))], to: url)
        return try TIFFReader.read(url).spacing
    }

    func testResolutionUnits() throws {
        let dir = try makeTemporaryDirectory(self)
        // 40 px/cm across, 50 px/cm down: columns 0.25 mm apart, rows 0.2 mm apart.
        let cm = try XCTUnwrap(spacing(writing: TIFFResolutionTags(x: 40, y: 50, unit: .centimeter), in: dir))
        XCTAssertEqual(cm.columnMM, 0.25, accuracy: 1e-9)
        XCTAssertEqual(cm.rowMM, 0.2, accuracy: 1e-9)
        XCTAssertEqual(cm.source, .tiffResolution)
        // 254 dpi across, 127 dpi down: 0.1 mm and 0.2 mm.
        let inch = try XCTUnwrap(spacing(writing: TIFFResolutionTags(x: 254, y: 127, unit: .inch), in: dir))
        XCTAssertEqual(inch.columnMM, 0.1, accuracy: 1e-9)
        XCTAssertEqual(inch.rowMM, 0.2, accuracy: 1e-9)
        XCTAssertNil(try spacing(writing: TIFFResolutionTags(x: 300, y: 300, unit: .none), in: dir))
        XCTAssertNil(try spacing(writing: nil, in: dir))
    }

    func testSpacingWrittenFromPixelSpacingRoundTrips() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("spacing.tif")
        let written = PixelSpacing(rowMM: 0.15, columnMM: 0.3, source: .pixelSpacing)
        try TIFFWriter.writeUInt16(normalized: [0, 0.5, 1, 0.25], rows: 1, columns: 4, to: url,
                                   options: TIFFWriteOptions(spacing: written))
        let info = try TIFFReader.inspect(url)
        XCTAssertEqual(try XCTUnwrap(info.xResolution), 10 / 0.3, accuracy: 1e-3)
        XCTAssertEqual(try XCTUnwrap(info.yResolution), 10 / 0.15, accuracy: 1e-3)
        XCTAssertEqual(info.resolutionUnit, 3)
        let read = try XCTUnwrap(TIFFReader.read(url).spacing)
        XCTAssertEqual(read.rowMM, 0.15, accuracy: 1e-6)
        XCTAssertEqual(read.columnMM, 0.3, accuracy: 1e-6)
    }

    func testAbsentResolutionUnitGivesNoSpacing() throws {
        // TIFF 6.0 defaults the unit to inch, but an omitted unit is treated as unknown.
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("nounit.tif")
        try HandMadeTIFF.strip(width: 2, height: 1, bitsPerSample: [8], sampleFormat: 1, photometric: 1, pixelData: [7, 9],
                               extra: [(282, .rational([(300, 1)])), (283, .rational([(300, 1)]))]).write(to: url)
        let info = try TIFFReader.inspect(url)
        XCTAssertNil(info.resolutionUnit)
        XCTAssertEqual(info.xResolution, 300)
        XCTAssertNil(try TIFFReader.read(url).spacing)
    }

    func testMinIsWhiteBecomesMonochrome1() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("white.tif")
        try TIFFWriter.write([TIFFPage(rows: 1, columns: 2, samples: .uint16([10, 60000]),
                                       options: TIFFWriteOptions(minIsWhite: true))], to: url)
        let image = try TIFFReader.read(url)
        XCTAssertEqual(image.photometric, .monochrome1)
        XCTAssertEqual(image.pixels, [10, 60000], "the reader keeps stored values; protocols invert")
    }

    func testHandMadeFileWithWidthUnequalHeight() throws {
        // Written without libtiff: 3 columns × 2 rows of 16-bit samples, no photometric tag.
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("hand.tif")
        let samples: [UInt16] = [1, 2, 3, 400, 500, 65535]
        try HandMadeTIFF.strip(width: 3, height: 2, bitsPerSample: [16], sampleFormat: nil, photometric: nil,
                               pixelData: littleEndianBytes(samples)).write(to: url)
        let info = try TIFFReader.inspect(url)
        XCTAssertEqual(info.width, 3)
        XCTAssertEqual(info.height, 2)
        XCTAssertNil(info.photometric)
        let image = try TIFFReader.read(url)
        XCTAssertEqual(image.columns, 3)
        XCTAssertEqual(image.rows, 2)
        XCTAssertEqual(image[1, 0], 400)
        XCTAssertEqual(image[0, 2], 3)
        XCTAssertEqual(image.photometric, .monochrome2)
        XCTAssertTrue(image.warnings.contains { $0.contains("Photometric") })
    }

    func testMaxSampleValueNarrowsTheValueRange() throws {
        let dir = try makeTemporaryDirectory(self)
        let twelveBit = dir.appendingPathComponent("12bit.tif")
        try HandMadeTIFF.strip(width: 3, height: 1, bitsPerSample: [16], sampleFormat: 1, photometric: 1,
                               pixelData: littleEndianBytes([0, 2000, 4095]), extra: [(281, .short([4095]))]).write(to: twelveBit)
        XCTAssertEqual(try TIFFReader.inspect(twelveBit).maxSampleValue, 4095)
        XCTAssertEqual(try TIFFReader.read(twelveBit).valueRange, 0...4095)
        let plain = dir.appendingPathComponent("16bit.tif")
        try HandMadeTIFF.strip(width: 3, height: 1, bitsPerSample: [16], sampleFormat: 1, photometric: 1,
                               pixelData: littleEndianBytes([0, 2000, 4095])).write(to: plain)
        XCTAssertNil(try TIFFReader.inspect(plain).maxSampleValue)
        XCTAssertEqual(try TIFFReader.read(plain).valueRange, 0...65535)
    }
}
