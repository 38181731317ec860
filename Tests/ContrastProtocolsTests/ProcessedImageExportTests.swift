import XCTest
import XRayIngest
@testable import ContrastProtocols

final class ProcessedImageExportTests: XCTestCase {
    func testPNGAndTIFFRoundTrip() throws {
        let dir = try makeTemporaryDirectory(self)
        let spacing = PixelSpacing(rowMM: 0.2, columnMM: 0.25, source: .pixelSpacing)
        let image = ProcessedImage(rows: 2, columns: 3, pixels: [0, 0.2, 0.4, 0.6, 0.8, 1], spacing: spacing)

        let png = dir.appendingPathComponent("p.png")
        try image.writePNG(to: png)
        XCTAssertEqual(try PNGReader.readGray(png).samples, [0, 51, 102, 153, 204, 255])

        let tif = dir.appendingPathComponent("p.tif")
        try image.writeTIFF(to: tif)
        let back = try TIFFReader.read(tif)
        XCTAssertEqual(back.rows, 2)
        XCTAssertEqual(back.columns, 3)
        assertClose(back.pixels.map { $0 / 65535 }, image.pixels, accuracy: 1e-5)
        let readSpacing = try XCTUnwrap(back.spacing)
        XCTAssertEqual(readSpacing.rowMM, 0.2, accuracy: 1e-6)
        XCTAssertEqual(readSpacing.columnMM, 0.25, accuracy: 1e-6)
    }
}
