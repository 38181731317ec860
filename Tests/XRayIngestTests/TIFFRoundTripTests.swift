import XCTest
@testable import XRayIngest

/// Writes with `TIFFWriter` in every supported compression × layout × sample type and reads back
/// exact pixels. Images are 37 wide × 23 high, so swapped width/height tags, a wrong row stride or
/// mishandled partial edge tiles/strips all change pixel positions and fail.
final class TIFFRoundTripTests: XCTestCase {
    let rows = 23, columns = 37

    private func pattern(_ f: (Int, Int) -> Float) -> [Float] {
        (0..<rows).flatMap { y in (0..<columns).map { x in f(y, x) } }
    }

    func testEveryCompressionLayoutAndSampleType() throws {
        let dir = try makeTemporaryDirectory(self)
        let values8 = pattern { y, x in Float((y * 37 + x * 11) % 256) }
        let values16 = pattern { y, x in Float((y * 2851 + x * 1009 + y * x * 7) % 65536) }
        let valuesFloat = pattern { y, x in Float(y) * 0.37 - Float(x) * 1.5 + (x == 3 ? 1e6 : 0) + (y == 5 ? -2.5e-4 : 0) }
        let cases: [(String, TIFFSamples, [Float], ClosedRange<Float>?, Int?)] = [
            ("u8", .uint8(values8.map { UInt8($0) }), values8, 0...255, 8),
            ("u16", .uint16(values16.map { UInt16($0) }), values16, 0...65535, 16),
            ("f32", .float32(valuesFloat), valuesFloat, nil, nil),
        ]
        var checked = 0
        for compression in TIFFCompression.allCases {
            for tile in [nil, 16] as [Int?] {
                for (label, samples, expected, range, bits) in cases {
                    let name = "\(label)-\(compression)-\(tile.map { "tiled\($0)" } ?? "stripped")"
                    let url = dir.appendingPathComponent("\(name).tif")
                    // Five rows per strip leaves a short last strip (23 = 4·5 + 3).
                    let options = TIFFWriteOptions(compression: compression, tileSize: tile, rowsPerStrip: tile == nil ? 5 : nil)
                    try TIFFWriter.write([TIFFPage(rows: rows, columns: columns, samples: samples, options: options)], to: url)

                    let info = try TIFFReader.inspect(url)
                    XCTAssertEqual(info.width, columns, name)
                    XCTAssertEqual(info.height, rows, name)
                    XCTAssertEqual(info.compression, Int(compression.rawValue), name)
                    XCTAssertEqual(info.bitsPerSample, bits ?? 32, name)
                    XCTAssertEqual(info.sampleFormat, bits == nil ? 3 : 1, name)
                    XCTAssertEqual(info.samplesPerPixel, 1, name)
                    XCTAssertEqual(info.photometric, 1, name)
                    XCTAssertEqual(info.pageCount, 1, name)
                    XCTAssertEqual(info.isTiled, tile != nil, name)
                    if tile == nil { XCTAssertEqual(info.rowsPerStrip, 5, name) } else { XCTAssertEqual(info.tileWidth, 16, name) }

                    let image = try TIFFReader.read(url)
                    XCTAssertEqual(image.rows, rows, name)
                    XCTAssertEqual(image.columns, columns, name)
                    XCTAssertEqual(image.pixels, expected, name)
                    XCTAssertEqual(image.valueRange, range, name)
                    XCTAssertEqual(image.bitsStored, bits, name)
                    XCTAssertEqual(image.photometric, .monochrome2, name)
                    XCTAssertNil(image.spacing, name)
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, 4 * 2 * 3)
    }

    func testWriteUInt16ScalesUnitRangeAndFloat32KeepsValues() throws {
        let dir = try makeTemporaryDirectory(self)
        let url16 = dir.appendingPathComponent("processed.tif")
        let normalized: [Float] = [0, 1, 0.5, -0.3, 1.2, .nan]
        try TIFFWriter.writeUInt16(normalized: normalized, rows: 2, columns: 3, to: url16)
        XCTAssertEqual(try TIFFReader.read(url16).pixels, [0, 65535, 32768, 0, 65535, 0])

        let urlF = dir.appendingPathComponent("heatmap.tif")
        let heat: [Float] = [0.125, -3, 7.5e-7, 1, 2, 3]
        try TIFFWriter.writeFloat32(heat, rows: 3, columns: 2, to: urlF)
        let back = try TIFFReader.read(urlF)
        XCTAssertEqual(back.pixels, heat)
        XCTAssertEqual(back.rows, 3)
        XCTAssertEqual(back.columns, 2)
    }

    func testWritesAtomicallyAndLeavesNoTemporaryFiles() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("out.tif")
        try TIFFWriter.writeFloat32([1, 2, 3, 4], rows: 2, columns: 2, to: url)
        try TIFFWriter.writeFloat32([5, 6, 7, 8], rows: 2, columns: 2, to: url)  // replaces
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.tif"])
        XCTAssertEqual(try TIFFReader.read(url).pixels, [5, 6, 7, 8])

        let missing = dir.appendingPathComponent("no-such-dir/out.tif")
        XCTAssertThrowsError(try TIFFWriter.writeFloat32([1], rows: 1, columns: 1, to: missing)) { error in
            let e = error as? TIFFError
            XCTAssertEqual(e?.kind, .writeFailed)
            XCTAssertEqual(e?.path, missing.path)
        }
        XCTAssertThrowsError(try TIFFWriter.writeFloat32([1, 2, 3], rows: 2, columns: 2, to: url)) { error in
            XCTAssertEqual((error as? TIFFError)?.kind, .writeFailed)
        }
        XCTAssertEqual(try TIFFReader.read(url).pixels, [5, 6, 7, 8], "a failed write must leave the old file intact")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.tif"])
    }
}
