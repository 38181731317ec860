import XCTest
import XRayIngest
@testable import Landmarks

final class AnnotationFormatTests: XCTestCase {
    let schema = try! LandmarkSchema.parse(yaml: "name: tri\nlandmarks:\n  - name: apex\n  - name: left\n  - name: right\n", file: "tri.yaml")

    func load(_ root: URL, _ spec: AnnotationSourceSpec, policy: IssuePolicy = .strict) throws -> LandmarkDataset {
        var o = DatasetLoadOptions(); o.schema = schema; o.annotations = spec; o.policy = policy
        return try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: o)
    }

    func makeRoot() throws -> URL {
        let root = try TestPaths.tempDir()
        try makeTextDataset(at: root, images: ["a": (100, 80), "sub/b": (50, 60)], csv: """
        image,landmark,x,y,present
        a,apex,10.5,20.25,1
        a,left,30,40,1
        a,right,,,0
        sub/b,apex,1,2,1
        sub/b,left,49.4,59.4,1
        sub/b,right,0,0,1
        """)
        return root
    }

    func testCocoWideCSVAndLabelMeGiveTheSameDatasetAsTheLongCSV() throws {
        let root = try makeRoot()
        let reference = try load(root, .canonical)
        // COCO: export, then import what was exported.
        try CocoKeypoints.export(reference).write(to: root.appendingPathComponent("coco.json"))
        let coco = try load(root, AnnotationSourceSpec(format: .coco, path: "coco.json"))
        XCTAssertEqual(coco.images, reference.images)
        // Wide CSV.
        try WideCSVImporter.write(reference.images).write(to: root.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
        let wide = try load(root, AnnotationSourceSpec(format: .wideCSV, path: "wide.csv"))
        XCTAssertEqual(wide.images, reference.images)
        // LabelMe: one JSON per image, beside the images; absent landmarks are simply not drawn.
        let lm = root.appendingPathComponent("labelme/sub")
        try FileManager.default.createDirectory(at: lm, withIntermediateDirectories: true)
        for im in reference.images {
            let shapes: [[String: Any]] = im.landmarks.enumerated().compactMap { k, p in
                p.map { ["label": schema.landmarks[k].name, "points": [[$0.x, $0.y]], "shape_type": "point"] }
            }
            // The JSON sits at labelme/<id>.json; imagePath is relative to it, as LabelMe writes it.
            let up = String(repeating: "../", count: im.id.split(separator: "/").count)
            let json: [String: Any] = ["imagePath": "\(up)images/\(im.relativePath)", "shapes": shapes,
                                       "imageWidth": im.width, "imageHeight": im.height]
            try JSONSerialization.data(withJSONObject: json).write(to: root.appendingPathComponent("labelme/\(im.id).json"))
        }
        let labelme = try load(root, AnnotationSourceSpec(format: .labelme, path: "labelme"))
        XCTAssertEqual(labelme.images, reference.images)
    }

    /// A LabelMe file without shapes is a reviewed image where nothing was found: every landmark absent, not skipped.
    func testLabelMeFileWithoutShapesLoadsAsAllAbsent() throws {
        let root = try makeRoot()
        let dir = root.appendingPathComponent("lm/sub")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"{"imagePath": "b.png", "shapes": []}"#.write(to: dir.appendingPathComponent("b.json"), atomically: true, encoding: .utf8)
        try #"{"imagePath": "../a.png", "shapes": [{"label": "apex", "points": [[1, 2]], "shape_type": "point"}]}"#
            .write(to: root.appendingPathComponent("lm/a.json"), atomically: true, encoding: .utf8)
        try #"{"shapes": []}"#.write(to: root.appendingPathComponent("lm/gone.json"), atomically: true, encoding: .utf8)
        let ds = try load(root, AnnotationSourceSpec(format: .labelme, path: "lm"), policy: .lenient)
        XCTAssertEqual(ds.images.map(\.id), ["a", "sub/b"])
        XCTAssertEqual(ds.images[1].landmarks, [nil, nil, nil])
        XCTAssertEqual(ds.summary.count(.imageWithoutAnnotations), 0)
        XCTAssertEqual(ds.summary.issues.map(\.kind), [.annotationWithoutImage], "an empty file for a missing image is still reported")
        XCTAssertEqual(ds.summary.issues.first?.location.file, "lm/gone.json")
    }

    func testRootRelativeAndWindowsPathsResolve() throws {
        let root = try makeRoot()
        try #"{"images": [{"id": 7, "file_name": "images/a.dcm"}], "annotations": [{"image_id": 7, "keypoints": [1, 2, 2, 0, 0, 0, 3, 4, 1]}]}"#
            .write(to: root.appendingPathComponent("c.json"), atomically: true, encoding: .utf8)
        // Each file annotates one of the two images; the other is skipped and counted.
        let onlyOne = IssuePolicy([.imageWithoutAnnotations: .skip], default: .fatal)
        let coco = try load(root, AnnotationSourceSpec(format: .coco, path: "c.json"), policy: onlyOne)
        XCTAssertEqual(coco.summary.count(.imageWithoutAnnotations), 1)
        XCTAssertEqual(coco.images.map(\.id), ["a"])
        XCTAssertEqual(coco.images[0].landmarks, [LandmarkPoint(x: 1, y: 2), nil, LandmarkPoint(x: 3, y: 4)])
        let dir = root.appendingPathComponent("lm"); try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"{"imagePath": "..\\images\\sub\\b.dcm", "shapes": [{"label": "left", "points": [[5, 6]], "shape_type": "point"}]}"#
            .write(to: dir.appendingPathComponent("whatever.json"), atomically: true, encoding: .utf8)
        let lm = try load(root, AnnotationSourceSpec(format: .labelme, path: "lm"), policy: onlyOne)
        XCTAssertEqual(lm.images.map(\.id), ["sub/b"])
        XCTAssertEqual(lm.images[0].landmarks, [nil, LandmarkPoint(x: 5, y: 6), nil])
    }

    func testCocoExportCarriesSchemaAndVisibility() throws {
        let ds = try load(try makeRoot(), .canonical)
        let obj = try JSONSerialization.jsonObject(with: CocoKeypoints.export(ds)) as! [String: Any]
        let cats = obj["categories"] as! [[String: Any]]
        XCTAssertEqual(cats[0]["keypoints"] as? [String], ["apex", "left", "right"])
        let anns = obj["annotations"] as! [[String: Any]]
        let kp = anns[0]["keypoints"] as! [Double]
        XCTAssertEqual(kp, [10.5, 20.25, 2, 30, 40, 2, 0, 0, 0])
        XCTAssertEqual(anns[0]["num_keypoints"] as? Int, 2)
        let images = obj["images"] as! [[String: Any]]
        XCTAssertEqual(images[1]["file_name"] as? String, "sub/b.dcm")
    }

    func testMalformedFilesGiveNamedErrors() throws {
        let root = try makeRoot()
        let cases: [(String, AnnotationFormat, String, String)] = [
            ("bad.json", .coco, "{\"images\": [{\"id\": 1, \"file_name\": \"a.dcm\"}], \"annotations\": [{\"image_id\": 1, \"keypoints\": [1, 2]}]}", "bad.json (annotations[0])"),
            ("bad2.json", .coco, "not json", "bad2.json"),
            ("wide.csv", .wideCSV, "id,x1,y1,x2,y2,x3,y3\na,1,2,3,4\n", "wide.csv:2"),
            ("wide2.csv", .wideCSV, "a,1,2,3,4,5,zz\n", "wide2.csv:1 (landmark 3)"),
            ("long.csv", .csv, "image,landmark,x\na,apex,1\n", "long.csv:1"),
            ("long2.csv", .csv, "image,landmark,x,y,present\na,apex,1,2,maybe\n", "long2.csv:2"),
        ]
        for (name, format, text, location) in cases {
            try text.write(to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try load(root, AnnotationSourceSpec(format: format, path: name)), name) { e in
                guard let err = e as? DatasetLoadError else { return XCTFail("\(name): \(e)") }
                XCTAssertEqual(err.issue.kind, .malformedRecord, name)
                XCTAssertEqual(err.issue.location.description, location, name)
            }
        }
        // LabelMe polygons are not landmarks.
        let dir = root.appendingPathComponent("lm"); try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try #"{"imagePath": "../images/a.dcm", "shapes": [{"label": "apex", "points": [[1,2],[3,4],[5,6]], "shape_type": "polygon"}]}"#
            .write(to: dir.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load(root, AnnotationSourceSpec(format: .labelme, path: "lm"))) { e in
            XCTAssertEqual((e as? DatasetLoadError)?.issue.location.description, "lm/a.json (shapes[0])")
        }
    }

    func testCSVParserHandlesQuotesAndLineNumbers() {
        let rows = CSVTable.parse("a,b\n\n\"x, y\",\"he said \"\"hi\"\"\"\r\nlast,1")
        XCTAssertEqual(rows.map(\.line), [1, 3, 4])
        XCTAssertEqual(rows[1].fields, ["x, y", "he said \"hi\""])
    }
}
