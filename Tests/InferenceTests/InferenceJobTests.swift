import Foundation
import Landmarks
import TestSupport
import XCTest
import XRayIngest
@testable import Inference

final class InferenceJobTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("job") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// images/a.dcm (row spacing 0.1 mm, column 0.2 mm, with a patient name and ID), images/sub/b.tif (no spacing),
    /// images/sub/broken.dcm (garbage), images/notes.txt (ignored).
    func makeFolder() throws -> URL {
        let images = dir.appendingPathComponent("images")
        try Fixture.writeDICOM(images.appendingPathComponent("a.dcm"), patientName: "DOE^JANE", patientID: "PID-99173")
        try Fixture.writeTIFF(images.appendingPathComponent("sub/b.tif"))
        try Data("this is not a DICOM file at all".utf8).write(to: images.appendingPathComponent("sub/broken.dcm"))
        try Data("notes".utf8).write(to: images.appendingPathComponent("notes.txt"))
        return images
    }

    func runJob(images: URL, overlays: Bool = false, batchSize: Int = 2) throws -> (InferenceJob.Result, URL) {
        try Fixture.writeModel(to: dir.appendingPathComponent("run/model"))
        let out = dir.appendingPathComponent("out")
        var options = InferenceOptions(model: dir.appendingPathComponent("run"), inputs: [images], output: out)
        options.batchSize = batchSize
        options.overlays = overlays
        options.prefetch = 1   // the smallest queue still drains everything
        return (try InferenceJob(options: options).run(), out)
    }

    func testCorruptFileIsReportedAndTheOthersFinish() throws {
        let (result, out) = try runJob(images: try makeFolder())
        XCTAssertEqual(result.predictions.map(\.image), ["a.dcm", "sub/b.tif"])
        XCTAssertEqual(result.summary.imagesDone, 2)
        XCTAssertEqual(result.summary.imagesFailed, 1)
        XCTAssertEqual(result.summary.failures.map(\.image), ["sub/broken.dcm"])
        XCTAssertFalse(result.summary.failures[0].reason.isEmpty)
        XCTAssertFalse(result.summary.failures[0].reason.contains(dir.path), "reasons name files relative to the input root")
        XCTAssertEqual(result.summary.imagesWithoutSpacing, 1)
        XCTAssertGreaterThan(result.summary.networkSeconds, 0)
        XCTAssertLessThanOrEqual(result.summary.networkSeconds + result.summary.waitingForInputSeconds, result.summary.seconds)
        XCTAssertEqual(result.summary.landmarksPresent + result.summary.landmarksAbsent, 6)
        let summary = try JSONDecoder().decode(InferenceSummary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        XCTAssertEqual(summary, result.summary)
        let config = try JSONDecoder().decode(ResolvedInferenceConfiguration.self,
                                              from: Data(contentsOf: out.appendingPathComponent("configuration.json")))
        XCTAssertEqual(config.contrastProtocol, "high")
        XCTAssertEqual(config.schema, "tiny-3")
        XCTAssertEqual(config.batchSize, 2)
        XCTAssertTrue(config.model.hasSuffix("run/model"))
    }

    func testCSVAndCOCOParseBackAndAgree() throws {
        let (result, out) = try runJob(images: try makeFolder(), batchSize: 1)
        let rows = CSVTable.parse(try String(contentsOf: out.appendingPathComponent("landmarks.csv"), encoding: .utf8))
        XCTAssertEqual(rows.first?.fields, ["image", "landmark", "x", "y", "x_mm", "y_mm", "confidence", "present", "difficulty"])
        let body = Array(rows.dropFirst())
        XCTAssertEqual(body.count, 6)
        XCTAssertEqual(body.map { $0.fields[0] }, ["a.dcm", "a.dcm", "a.dcm", "sub/b.tif", "sub/b.tif", "sub/b.tif"])
        XCTAssertEqual(body.map { $0.fields[1] }, ["top", "left", "right", "top", "left", "right"])
        for r in body where r.fields[0] == "a.dcm" {
            // mm = px × spacing (column 0.2 for x, row 0.1 for y), up to the 1e-4 rounding of both.
            XCTAssertEqual(Double(r.fields[4])!, Double(r.fields[2])! * 0.2, accuracy: 2e-4)
            XCTAssertEqual(Double(r.fields[5])!, Double(r.fields[3])! * 0.1, accuracy: 2e-4)
        }
        for r in body where r.fields[0] == "sub/b.tif" {
            XCTAssertEqual(r.fields[4], "")
            XCTAssertEqual(r.fields[5], "")
        }

        let coco = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("predictions.coco.json"))) as! [String: Any]
        let images = coco["images"] as! [[String: Any]], anns = coco["annotations"] as! [[String: Any]]
        XCTAssertEqual(images.map { $0["file_name"] as! String }, ["a.dcm", "sub/b.tif"])
        XCTAssertEqual(images.map { $0["width"] as! Int }, [120, 70])
        XCTAssertEqual((coco["categories"] as! [[String: Any]])[0]["keypoints"] as! [String], ["top", "left", "right"])
        for (i, ann) in anns.enumerated() {
            let kp = (ann["keypoints"] as! [NSNumber]).map(\.doubleValue)
            let scores = (ann["keypoint_scores"] as! [NSNumber]).map(\.doubleValue)
            XCTAssertEqual(kp.count, 9)
            for k in 0..<3 {
                let r = body[i * 3 + k].fields
                XCTAssertEqual(scores[k], Double(r[6])!)
                if r[7] == "1" {
                    XCTAssertEqual(kp[3 * k + 2], 2)
                    XCTAssertEqual(kp[3 * k], Double(r[2])!)
                    XCTAssertEqual(kp[3 * k + 1], Double(r[3])!)
                } else {
                    XCTAssertEqual(Array(kp[(3 * k)..<(3 * k + 3)]), [0, 0, 0])
                }
            }
        }
        // And both agree with what the job returned in memory.
        let first = result.predictions[0].prediction.landmarks[0]
        XCTAssertEqual(Double(body[0].fields[2])!, first.x, accuracy: 1e-4)
        // The project's COCO importer reads the file back: present landmarks only, named by the schema.
        let imported = CocoKeypoints.parse(try Data(contentsOf: out.appendingPathComponent("predictions.coco.json")), file: "p")
        XCTAssertTrue(imported.issues.isEmpty, "\(imported.issues)")
        XCTAssertEqual(imported.records.filter { $0.point != nil }.count, body.filter { $0.fields[7] == "1" }.count)
    }

    func testNoPatientIdentityInAnyOutput() throws {
        let (_, out) = try runJob(images: try makeFolder(), overlays: true)
        let files = FileManager.default.enumerator(at: out, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        XCTAssertGreaterThanOrEqual(files.count, 6)  // csv, coco, summary, configuration, two overlays
        for f in files {
            let bytes = try Data(contentsOf: f)
            for secret in ["DOE^JANE", "DOE", "JANE", "PID-99173"] {
                XCTAssertNil(bytes.range(of: Data(secret.utf8)), "\(secret) found in \(f.lastPathComponent)")
            }
        }
        // Meanwhile the input really does carry the name, so the check above can fail.
        let dicom = try Data(contentsOf: dir.appendingPathComponent("images/a.dcm"))
        XCTAssertNotNil(dicom.range(of: Data("DOE^JANE".utf8)))
    }

    func testOverlaysAreRGBPNGsOfTheProtocolImage() throws {
        let (result, out) = try runJob(images: try makeFolder(), overlays: true)
        XCTAssertTrue(result.summary.overlayFailures.isEmpty)
        for name in ["a.dcm", "sub/b.tif"] {
            let png = try Data(contentsOf: out.appendingPathComponent("overlays/\(name).png"))
            XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            XCTAssertEqual(png[25], 2, "colour type 2 = RGB")
            let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            // These images are small enough that the protocol runs at full resolution.
            XCTAssertEqual([width, height], name == "a.dcm" ? [120, 80] : [70, 90])
        }
    }

    func testFileInputsAreNamedRelativeToTheirCommonFolder() throws {
        let images = try makeFolder()
        try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        var options = InferenceOptions(model: dir.appendingPathComponent("model"),
                                       inputs: [images.appendingPathComponent("a.dcm"), images.appendingPathComponent("sub/b.tif")],
                                       output: dir.appendingPathComponent("out2"))
        options.batchSize = 8
        let result = try InferenceJob(options: options).run()
        XCTAssertEqual(result.predictions.map(\.image), ["a.dcm", "sub/b.tif"])
        XCTAssertTrue(result.summary.failures.isEmpty)
    }

    func testSchemaMismatchRefusesBeforeAnyOutput() throws {
        let images = try makeFolder()
        try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        var options = InferenceOptions(model: dir.appendingPathComponent("model"), inputs: [images], output: dir.appendingPathComponent("o"))
        options.predictor.expectedSchema = LandmarkSchema.indexed(count: 36, name: "spine-lateral-36")
        XCTAssertThrowsError(try InferenceJob(options: options).run())
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("o/landmarks.csv").path))
    }
}
