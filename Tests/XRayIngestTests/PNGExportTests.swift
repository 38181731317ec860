import XCTest
@testable import XRayIngest

/// PNG previews are read back through libpng and compared sample by sample.
final class PNGExportTests: XCTestCase {
    let input: [Float] = [0, 1, 0.5, 0.25, -0.4, 1.3, .nan, 0.001, 0.999, 0.75]  // 5 wide × 2 high

    func testEightBit() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("preview.png")
        try PNGExport.writeGray(input, rows: 2, columns: 5, to: url, bitDepth: .eight)
        let png = try PNGReader.readGray(url)
        XCTAssertEqual(png.columns, 5)
        XCTAssertEqual(png.rows, 2)
        XCTAssertEqual(png.bitDepth, 8)
        // round(v·255) after clamping; 0.5·255 = 127.5 rounds away from zero.
        XCTAssertEqual(png.samples, [0, 255, 128, 64, 0, 255, 0, 0, 255, 191])
    }

    func testSixteenBit() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("preview16.png")
        try PNGExport.writeGray(input, rows: 2, columns: 5, to: url, bitDepth: .sixteen)
        let png = try PNGReader.readGray(url)
        XCTAssertEqual(png.bitDepth, 16)
        XCTAssertEqual(png.rows, 2)
        XCTAssertEqual(png.samples, [0, 65535, 32768, 16384, 0, 65535, 0, 66, 65469, 49151])
    }

    func testAtomicAndErrorsNameTheFile() throws {
        let dir = try makeTemporaryDirectory(self)
        let url = dir.appendingPathComponent("a.png")
        try PNGExport.writeGray([0.2, 0.4], rows: 1, columns: 2, to: url)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.png"])
        let bad = dir.appendingPathComponent("missing/b.png")
        XCTAssertThrowsError(try PNGExport.writeGray([0.2], rows: 1, columns: 1, to: bad)) { error in
            XCTAssertEqual((error as? PNGError)?.path, bad.path)
        }
        XCTAssertThrowsError(try PNGExport.writeGray([0.2], rows: 2, columns: 2, to: url))
        XCTAssertEqual(try PNGReader.readGray(url).samples, [51, 102], "a failed write must keep the old file")
        let notPNG = dir.appendingPathComponent("text.png")
        try Data("hello".utf8).write(to: notPNG)
        XCTAssertThrowsError(try PNGReader.readGray(notPNG)) { error in
            XCTAssertTrue("\(error)".contains(notPNG.path))
        }
    }
}
