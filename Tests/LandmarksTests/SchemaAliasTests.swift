import Foundation
import XCTest
@testable import Landmarks

/// Schema aliases: annotation files whose labels differ from the schema's names import unchanged, through every
/// importer; a schema whose labels would be ambiguous is refused with the file named.
final class SchemaAliasTests: XCTestCase {
    /// The shipped file, not the embedded copy: the test fails if the file loses its aliases.
    var ceph: LandmarkSchema { get throws { try LandmarkSchema.load(from: TestPaths.schemas.appendingPathComponent("ceph-19.yaml")) } }

    func testCeph19ResolvesISBINumbersAbbreviationsAndNamesIgnoringCase() throws {
        let schema = try ceph
        for k in 1...19 {
            XCTAssertEqual(schema.index(of: "l\(k)"), k - 1)
            XCTAssertEqual(schema.index(of: "L\(k)"), k - 1)
            XCTAssertEqual(schema.index(of: schema.names[k - 1].uppercased()), k - 1)
        }
        XCTAssertEqual(schema.index(of: " S "), 0)
        XCTAssertEqual(schema.index(of: "Sella"), 0)
        XCTAssertEqual(schema.index(of: "Pog"), 6)
        XCTAssertEqual(schema.index(of: "pog'"), 15)
        XCTAssertEqual(schema.index(of: "Ar"), 18)
        XCTAssertNil(schema.index(of: "l20"))
        XCTAssertNil(schema.index(of: "l"))
        // Outputs keep writing the schema's own names.
        XCTAssertEqual(schema.names.first, "sella")
    }

    /// A LabelMe set labelled l1…l19 (ISBI order), a COCO file whose category names L1…L19, and a long CSV using the
    /// abbreviations all load to the same dataset as the schema's names.
    func testEveryImporterResolvesAliases() throws {
        let schema = try ceph
        let root = try TestPaths.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let points: [LandmarkPoint] = (0..<19).map { (k: Int) -> LandmarkPoint in
            let x = Double(10 + 7 * k) + 0.25, y = Double(200 - 9 * k) + 0.5
            return LandmarkPoint(x: x, y: y)
        }
        let abbreviations = ["S", "N", "Or", "Po", "A", "B", "Pog", "Me", "Gn", "Go", "LIT", "UIT", "UL", "LL", "Sn",
                             "Pog'", "PNS", "ANS", "Ar"]
        func csv(_ labels: [String]) -> String {
            let rows: [String] = zip(labels, points).map { (label: String, p: LandmarkPoint) -> String in "x1,\"\(label)\",\(p.x),\(p.y)" }
            return "image,landmark,x,y\n" + rows.joined(separator: "\n")
        }
        try makeTextDataset(at: root, images: ["x1": (300, 250)], csv: csv(schema.names))
        try csv(abbreviations).write(to: root.appendingPathComponent("abbreviated.csv"), atomically: true, encoding: .utf8)

        let labelme = root.appendingPathComponent("labelme")
        try FileManager.default.createDirectory(at: labelme, withIntermediateDirectories: true)
        let shapes: [[String: Any]] = points.enumerated().map { (k: Int, p: LandmarkPoint) -> [String: Any] in
            let shape: [String: Any] = ["label": "l\(k + 1)", "points": [[p.x, p.y]], "shape_type": "point", "group_id": NSNull(),
                                        "flags": [String: Any]()]
            return shape
        }
        try JSONSerialization.data(withJSONObject: ["version": "5.4.1", "imagePath": "../images/x1.dcm", "shapes": shapes,
                                                    "imageData": NSNull(), "imageHeight": 250, "imageWidth": 300])
            .write(to: labelme.appendingPathComponent("x1.json"))

        let keypoints: [Double] = points.flatMap { (p: LandmarkPoint) -> [Double] in [p.x, p.y, 2] }
        let names: [String] = (1...19).map { "L\($0)" }
        let image: [String: Any] = ["id": 1, "file_name": "x1.dcm", "width": 300, "height": 250]
        let annotation: [String: Any] = ["id": 1, "image_id": 1, "category_id": 3, "keypoints": keypoints]
        let category: [String: Any] = ["id": 3, "name": "isbi", "keypoints": names]
        let coco: [String: Any] = ["images": [image], "annotations": [annotation], "categories": [category]]
        try JSONSerialization.data(withJSONObject: coco).write(to: root.appendingPathComponent("coco.json"))

        func load(_ spec: AnnotationSourceSpec) throws -> LandmarkDataset {
            var o = DatasetLoadOptions(); o.schema = schema; o.annotations = spec; o.policy = .strict
            return try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: o)
        }
        let reference = try load(.canonical)
        XCTAssertEqual(reference.images.first?.landmarks, points)
        for spec in [AnnotationSourceSpec(format: .labelme, path: "labelme"), AnnotationSourceSpec(format: .coco, path: "coco.json"),
                     AnnotationSourceSpec(format: .csv, path: "abbreviated.csv")] {
            let ds = try load(spec)
            XCTAssertEqual(ds.images, reference.images, "\(spec.format)")
            XCTAssertEqual(ds.summary.issues, [], "\(spec.format)")
        }
    }

    func testAnUnknownLabelIsStillReported() throws {
        let root = try TestPaths.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        try makeTextDataset(at: root, images: ["a": (50, 50)], csv: "image,landmark,x,y\na,l1,1,2\na,l99,3,4\n")
        var o = DatasetLoadOptions(); o.schema = try ceph; o.policy = .lenient
        let ds = try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: o)
        XCTAssertEqual(ds.summary.count(.unknownLandmark), 1)
        XCTAssertEqual(ds.images.first?.landmarks.first, LandmarkPoint(x: 1, y: 2))
    }

    func testAmbiguousLabelsAreRefusedNamingTheFile() {
        func problem(_ yaml: String) -> SchemaError? {
            do { _ = try LandmarkSchema.parse(yaml: yaml, file: "my-schemas/bad.yaml"); return nil } catch { return error as? SchemaError }
        }
        // An alias equal, ignoring case, to another landmark's name.
        let clash = problem("name: s\nlandmarks:\n  - name: sella\n    aliases: [S]\n  - name: nasion\n    aliases: [SELLA]\n")
        XCTAssertEqual(clash?.problem, .labelCollision(label: "SELLA", landmark: "nasion", other: "sella"))
        XCTAssertTrue(clash?.description.hasPrefix("my-schemas/bad.yaml: label 'SELLA' of landmark 'nasion'") == true, clash?.description ?? "")
        // An alias shared by two landmarks.
        XCTAssertEqual(problem("name: s\nlandmarks:\n  - name: a\n    aliases: [p]\n  - name: b\n    aliases: [P]\n")?.problem,
                       .labelCollision(label: "P", landmark: "b", other: "a"))
        // A name that is another landmark's alias.
        XCTAssertEqual(problem("name: s\nlandmarks:\n  - name: a\n    aliases: [b]\n  - name: B\n")?.problem,
                       .labelCollision(label: "B", landmark: "B", other: "a"))
        // Two names differing only in case would be ambiguous too.
        XCTAssertEqual(problem("name: s\nlandmarks:\n  - name: tip\n  - name: TIP\n")?.problem,
                       .labelCollision(label: "TIP", landmark: "TIP", other: "tip"))
        XCTAssertEqual(problem("name: s\nlandmarks:\n  - name: a\n    aliases: [\"7\"]\n")?.problem, .numericAlias(alias: "7", landmark: "a"))
        XCTAssertEqual(problem("name: s\nlandmarks:\n  - name: a\n    aliases: [\" \"]\n")?.problem, .emptyAlias(landmark: "a"))
        // Repeating one's own name (in another case) is harmless.
        XCTAssertNil(problem("name: s\nlandmarks:\n  - name: tip\n    aliases: [Tip, t, T]\n"))
    }
}
