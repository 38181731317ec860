import Foundation
import Landmarks
import TestSupport
import XCTest
import XRayIngest
@testable import Inference

/// `infer --labelme`: predictions → LabelMe JSON (+ PNG) → the project's importer → the same points.
final class LabelMeOutputTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("labelme") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var schema: LandmarkSchema { get throws { try LandmarkSchema.parse(yaml: Fixture.schemaYAML, file: "tiny-3.yaml") } }

    /// Runs the job over `images` with LabelMe output. The random-weight model's peaks are about 0.006 for one
    /// landmark and below 0 for the others, so τ = 0.001 gives both present and absent landmarks.
    func run(_ images: URL) throws -> (InferenceJob.Result, URL) {
        try Fixture.writeModel(to: dir.appendingPathComponent("model"))
        let out = dir.appendingPathComponent("out")
        var options = InferenceOptions(model: dir.appendingPathComponent("model"), inputs: [images], output: out)
        options.labelMe = true
        options.predictor = PredictorOptions(threshold: 0.001)
        return (try InferenceJob(options: options).run(), out)
    }

    func testPredictionsRoundTripThroughLabelMeIntoADatasetThatTrains() throws {
        let images = dir.appendingPathComponent("data/images")
        // Square, like the 64×64 input: the random model's peaks then never fall in letterbox padding outside the
        // image, which the importer would rightly refuse.
        try Fixture.writeDICOM(images.appendingPathComponent("a.dcm"), rows: 96, columns: 96, patientName: "DOE^JANE", patientID: "PID-99173")
        try Fixture.writeTIFF(images.appendingPathComponent("sub/b.tif"), rows: 72, columns: 72)
        let (result, out) = try run(images)
        XCTAssertEqual(result.predictions.map(\.image), ["a.dcm", "sub/b.tif"])
        XCTAssertEqual(result.summary.labelMeFailures, [])
        XCTAssertEqual(result.configuration.labelMe, true)
        let present = result.predictions.flatMap(\.prediction.landmarks).filter(\.present).count
        let absent = result.predictions.flatMap(\.prediction.landmarks).count - present
        XCTAssertGreaterThan(present, 0, "the round trip needs present landmarks to compare")
        XCTAssertGreaterThan(absent, 0, "and absent ones, to see them stay absent")

        // What LabelMe opens: the JSON names a PNG beside it, at the original size.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("labelme/sub/b.json"))) as! [String: Any]
        XCTAssertEqual(json["imagePath"] as? String, "b.png")
        XCTAssertEqual(json["sourceImage"] as? String, "sub/b.tif")
        XCTAssertEqual(json["imageWidth"] as? Int, 72)
        XCTAssertEqual(json["imageHeight"] as? Int, 72)
        let png = try PNGReader.readGray(out.appendingPathComponent("labelme/sub/b.png"))
        XCTAssertEqual([png.columns, png.rows], [72, 72])
        XCTAssertGreaterThan(Set(png.samples).count, 10, "the PNG shows the image, not a flat field")
        XCTAssertEqual(try PNGReader.readGray(out.appendingPathComponent("labelme/a.png")).columns, 96)
        let labels = (json["shapes"] as! [[String: Any]]).map { $0["label"] as! String }
        XCTAssertTrue(Set(labels).isSubset(of: ["top", "left", "right"]), "\(labels)")
        let written = try String(contentsOf: out.appendingPathComponent("labelme/a.json"), encoding: .utf8)
        XCTAssertFalse(written.contains("DOE") || written.contains("PID-99173"), "no patient identity in LabelMe files")

        // The corrected folder, unchanged, beside images/: the dataset loader reads it back.
        let root = dir.appendingPathComponent("data")
        try FileManager.default.copyItem(at: out.appendingPathComponent("labelme"), to: root.appendingPathComponent("labelme"))
        try "annotations: {format: labelme, path: labelme}\n".write(to: root.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
        var load = DatasetLoadOptions(); load.schema = try schema; load.policy = .strict
        let dataset = try LandmarkDataset.load(root: root, source: IngestImageSource(), options: load)
        XCTAssertEqual(dataset.images.map(\.id), ["a", "sub/b"])
        for (image, p) in zip(dataset.images, result.predictions) {
            XCTAssertEqual(image.width, p.prediction.width)
            for (k, l) in p.prediction.landmarks.enumerated() {
                guard l.present else { XCTAssertNil(image.landmarks[k], "\(p.image) \(l.name) absent"); continue }
                let back = try XCTUnwrap(image.landmarks[k], "\(p.image) \(l.name)")
                XCTAssertEqual(back.x, l.x, accuracy: 0.5e-4, "\(p.image) \(l.name) x")
                XCTAssertEqual(back.y, l.y, accuracy: 0.5e-4, "\(p.image) \(l.name) y")
            }
        }
    }

    func testAbsentLandmarksAreOmittedAndNamesComeFromTheSchema() throws {
        let schema = try LandmarkSchema.parse(yaml: "name: t\nlandmarks:\n  - name: top\n    aliases: [T1]\n  - name: left\n  - name: right\n",
                                              file: "t.yaml")
        let marks = [PredictedLandmark(name: "top", x: 10.123456, y: 20.5, confidence: 0.91, present: true),
                     PredictedLandmark(name: "left", x: 3, y: 4, confidence: 0.2, present: false),
                     PredictedLandmark(name: "right", x: 0, y: 59.99999, confidence: 0.77, present: true)]
        let prediction = NamedPrediction(image: "x/y.dcm", prediction: ImagePrediction(
            landmarks: marks, width: 64, height: 60, spacing: nil,
            letterbox: Letterbox(sourceWidth: 64, sourceHeight: 60, targetWidth: 64, targetHeight: 64)))
        let data = try LabelMeWriter.render(prediction, schema: schema, imageFile: "y.png")
        let shapes = (try JSONSerialization.jsonObject(with: data) as! [String: Any])["shapes"] as! [[String: Any]]
        XCTAssertEqual(shapes.map { $0["label"] as! String }, ["top", "right"])
        XCTAssertEqual(shapes.map { $0["shape_type"] as! String }, ["point", "point"])
        XCTAssertEqual(shapes[0]["description"] as? String, "confidence 0.91")

        let images = dir.appendingPathComponent("images")
        let set = LabelMeImporter.parse(data, file: "y.json", fallbackID: "x/y", jsonDirectory: dir.appendingPathComponent("labelme/x"),
                                        imagesRoot: images)
        XCTAssertEqual(set.issues, [])
        XCTAssertEqual(set.records.map(\.image), ["x/y", "x/y"])
        XCTAssertEqual(set.records.map { $0.landmark.resolve(in: schema) }, [0, 2])
        XCTAssertEqual(set.records[0].point, LandmarkPoint(x: 10.1235, y: 20.5))
        XCTAssertEqual(set.records[1].point, LandmarkPoint(x: 0, y: 60))
        XCTAssertEqual(LabelMeWriter.stem(of: "a/b.c/d.dcm"), "a/b.c/d")
        XCTAssertEqual(LabelMeWriter.stem(of: "../6154"), "6154")
    }

    func testImagesDifferingOnlyInExtensionGetNoLabelMeFileButTheRunFinishes() throws {
        let images = dir.appendingPathComponent("images")
        try Fixture.writeDICOM(images.appendingPathComponent("c.dcm"))
        try Fixture.writeTIFF(images.appendingPathComponent("c.tif"))
        try Fixture.writeTIFF(images.appendingPathComponent("d.tif"))
        let (result, out) = try run(images)
        XCTAssertEqual(result.summary.imagesDone, 3)
        XCTAssertEqual(result.summary.labelMeFailures?.map(\.image), ["c.dcm", "c.tif"])
        XCTAssertTrue(result.summary.labelMeFailures?[0].reason.contains("c.tif would share labelme/c.json") == true,
                      result.summary.labelMeFailures?[0].reason ?? "")
        let fm = FileManager.default
        XCTAssertFalse(fm.fileExists(atPath: out.appendingPathComponent("labelme/c.json").path))
        XCTAssertFalse(fm.fileExists(atPath: out.appendingPathComponent("labelme/c.png").path))
        XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("labelme/d.json").path))
        XCTAssertTrue(fm.fileExists(atPath: out.appendingPathComponent("labelme/d.png").path))
    }
}
