import XCTest
import XRayIngest
@testable import ContrastProtocols

/// A protocol library entry is one of `landmark ingest`'s previews: the protocol's output as TIFF and PNG.
final class ProtocolIngestPreviewTests: XCTestCase {
    func testAnEntryWritesTheProtocolOutputAsTIFFAndPNG() throws {
        let entry = try ProtocolLibrary.embedded().entry(named: "high")
        XCTAssertEqual(entry.name, "high")
        XCTAssertEqual(entry.source, "embedded:high")
        XCTAssertEqual(entry.definition, entry.yaml)

        let dir = try makeTemporaryDirectory(self)
        let image = XRayImage(rows: 4, columns: 5, pixels: (0..<20).map(Float.init))
        let base = dir.appendingPathComponent("case")
        try entry.write(image, to: base)

        let expected = entry.contrastProtocol.apply(to: image)
        let png = try PNGReader.readGray(base.appendingPathExtension("png"))
        XCTAssertEqual(png.samples, expected.pixels.map { UInt16(($0 * 255).rounded()) })
        let tiff = try TIFFReader.read(base.appendingPathExtension("tif"))
        XCTAssertEqual(tiff.rows, 4)
        XCTAssertEqual(tiff.columns, 5)
        assertClose(tiff.pixels.map { $0 / 65535 }, expected.pixels, accuracy: 1e-4)
    }
}
