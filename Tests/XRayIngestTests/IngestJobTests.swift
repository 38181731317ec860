import Foundation
import XCTest
@testable import XRayIngest

/// A preview that records the image it was given, so the job's wiring can be checked without contrast protocols.
private struct SizePreview: IngestPreview {
    var name = "size"
    var source = "test:size"
    var definition = "rows × columns"
    func write(_ image: XRayImage, to base: URL) throws {
        try Data("\(image.rows)x\(image.columns)".utf8).write(to: base.appendingPathExtension("txt"))
    }
}

private struct FailingPreview: IngestPreview {
    struct Refused: Error, CustomStringConvertible { var description: String { "refused" } }
    var name = "failing"
    var source = "test:failing"
    var definition = ""
    func write(_ image: XRayImage, to base: URL) throws { throw Refused() }
}

/// `landmark ingest`'s job: inventory, one preview per preview given, the resolved configuration, and failures
/// that never stop the run.
final class IngestJobTests: XCTestCase {
    func testWritesInventoryPreviewsConfigAndKeepsGoingPastFailures() throws {
        let dir = try makeTemporaryDirectory(self)
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try TIFFWriter.writeFloat32([0, 0.5, 1, 0.25, 0.75, 1], rows: 2, columns: 3, to: input.appendingPathComponent("sub/a.tif"))
        try Data("not an image".utf8).write(to: input.appendingPathComponent("broken.dcm"))
        let output = dir.appendingPathComponent("out")

        let options = IngestJob.Options(inputs: [input], output: output, previews: [SizePreview(), FailingPreview()],
                                        concurrency: 2)
        let summary = try IngestJob(options: options).run()

        XCTAssertEqual(summary.files, 2)
        XCTAssertEqual(summary.decoded, 1)
        XCTAssertEqual(summary.previews, 1)
        XCTAssertEqual(Set(summary.failures.map(\.path)), ["broken.dcm", "sub/a.tif"])
        XCTAssertEqual(summary.failures.first { $0.path == "sub/a.tif" }?.reason, "preview failing: refused")
        XCTAssertEqual(try String(contentsOf: output.appendingPathComponent("previews/size/sub/a.txt"), encoding: .utf8), "2x3")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("inventory.csv").path))

        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("ingest-config.json")))
        let protocols = try XCTUnwrap((config as? [String: Any])?["protocols"] as? [[String: String]])
        XCTAssertEqual(protocols, [["name": "size", "source": "test:size", "yaml": "rows × columns"],
                                   ["name": "failing", "source": "test:failing", "yaml": ""]])
    }

    func testInventoryOnlyWritesNoPreviews() throws {
        let dir = try makeTemporaryDirectory(self)
        try TIFFWriter.writeFloat32([0, 1], rows: 1, columns: 2, to: dir.appendingPathComponent("a.tif"))
        let output = dir.appendingPathComponent("out")
        let summary = try IngestJob(options: .init(inputs: [dir.appendingPathComponent("a.tif")], output: output,
                                                   previews: [SizePreview()], inventoryOnly: true)).run()
        XCTAssertEqual(summary.decoded, 1)
        XCTAssertEqual(summary.previews, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("previews").path))
    }
}
