import XCTest
@testable import Landmarks

final class SchemaTests: XCTestCase {
    func loadShipped(_ name: String) throws -> LandmarkSchema {
        try LandmarkSchema.load(from: TestPaths.schemas.appendingPathComponent("\(name).yaml"))
    }

    func testSpineSchemaHasNineVertebraeTimesFourCornersInOrder() throws {
        let s = try loadShipped("spine-lateral-36")
        XCTAssertEqual(s.count, 36)
        XCTAssertEqual(Array(s.names[0..<4]), ["T10_anterior_superior", "T10_posterior_superior", "T10_posterior_inferior", "T10_anterior_inferior"])
        XCTAssertEqual(s.names.last, "S1_anterior_inferior")
        XCTAssertEqual(s.names[16], "L2_anterior_superior")
        XCTAssertFalse(s.supportsHorizontalFlip)
        // 9 quadrilaterals + 2 disc edges between each of the 8 neighbouring pairs.
        XCTAssertEqual(s.edges.count, 9 * 4 + 8 * 2)
        XCTAssertEqual(SchemaLibrary.defaultSchemaName, "spine-lateral-36")
    }

    func testHandAndCephSchemas() throws {
        let h = try loadShipped("hand-37")
        XCTAssertEqual(h.count, 37)
        XCTAssertEqual(h.index(of: "radius_ulna_1"), 0)
        XCTAssertEqual(h.index(of: "thumb_tip"), 20)
        XCTAssertEqual(h.index(of: "index_mcp"), 21)
        XCTAssertEqual(h.index(of: "little_tip"), 36)
        XCTAssertEqual(h.landmarks[0].toleranceMM, 4.0)
        let c = try loadShipped("ceph-19")
        XCTAssertEqual(c.count, 19)
        XCTAssertEqual(c.names.first, "sella")
        XCTAssertEqual(c.names[9], "gonion")
        XCTAssertEqual(c.names.last, "articulare")
        XCTAssertEqual(c.landmarks[0].toleranceMM, 2.0)
    }

    func testEmbeddedCopiesEqualTheFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.schemas.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(files.map { String($0.dropLast(5)) }, EmbeddedSchemas.yaml.keys.sorted(),
                       "every shipped schema must be embedded; run landmark-schemas/embed.sh")
        for f in files {
            let text = try String(contentsOf: TestPaths.schemas.appendingPathComponent(f), encoding: .utf8)
            XCTAssertEqual(EmbeddedSchemas.yaml[String(f.dropLast(5))], text, "\(f) differs from its embedded copy; run landmark-schemas/embed.sh")
        }
    }

    /// Run from a folder with no landmark-schemas/ (an installed binary), a shipped schema's text still comes
    /// back byte for byte, so a model directory can carry it; an unknown name fails naming what was searched.
    func testYAMLTextFallsBackToTheEmbeddedCopy() throws {
        let empty = try TestPaths.tempDir()
        let library = SchemaLibrary(explicitDirectory: empty, environment: [:])
        var offline = library
        offline.searchDirectories = [empty]
        let text = try offline.yamlText(named: "hand-37")
        XCTAssertEqual(text, try String(contentsOf: TestPaths.schemas.appendingPathComponent("hand-37.yaml"), encoding: .utf8))
        XCTAssertThrowsError(try offline.yamlText(named: "no-such-schema")) { error in
            XCTAssertTrue("\(error)".contains(empty.path), "\(error)")
        }
        offline.useEmbedded = false
        XCTAssertThrowsError(try offline.yamlText(named: "hand-37"))
    }

    func testLibraryLookupOrder() throws {
        let dir = try TestPaths.tempDir()
        try """
        name: spine-lateral-36
        landmarks:
          - name: only
        """.write(to: dir.appendingPathComponent("spine-lateral-36.yaml"), atomically: true, encoding: .utf8)
        // An explicit directory wins over everything.
        XCTAssertEqual(try SchemaLibrary(explicitDirectory: dir).schema(named: "spine-lateral-36").count, 1)
        // So does the environment variable when given.
        XCTAssertEqual(try SchemaLibrary(environment: ["LANDMARK_SCHEMAS": dir.path]).schema(named: "spine-lateral-36").count, 1)
        // Without either, the repo's folder (cwd or executable-relative) or the embedded copy gives the real one.
        XCTAssertEqual(try SchemaLibrary(environment: [:]).schema(named: "spine-lateral-36").count, 36)
        // Embedded copies work with no folder at all.
        var lib = SchemaLibrary(environment: [:])
        lib.searchDirectories = []
        XCTAssertEqual(try lib.schema(named: "ceph-19").count, 19)
        XCTAssertThrowsError(try lib.schema(named: "no-such-schema")) { e in
            XCTAssertTrue(String(describing: e).contains("no-such-schema"))
        }
        XCTAssertTrue(lib.availableNames().contains("hand-37"))
    }

    func testPartnersGiveFlipPermutationAndAnyK() throws {
        let s = try LandmarkSchema.parse(yaml: """
        name: face-5
        landmarks:
          - {name: left_eye, partner: right_eye, tolerance_mm: 1.5}
          - {name: right_eye, partner: left_eye}
          - {name: nose}
          - {name: left_mouth, partner: right_mouth}
          - {name: right_mouth, partner: left_mouth}
        edges:
          - [left_eye, right_eye]
        """, file: "face-5.yaml")
        XCTAssertTrue(s.supportsHorizontalFlip)
        XCTAssertEqual(s.flipPermutation, [1, 0, 2, 4, 3])
        XCTAssertEqual(s.landmarks[0].toleranceMM, 1.5)
        XCTAssertEqual(s.landmarks[1].toleranceMM, LandmarkSchema.fallbackToleranceMM)
        XCTAssertEqual(s.edges.count, 1)
        XCTAssertEqual(s.edges[0].0, 0); XCTAssertEqual(s.edges[0].1, 1)
    }

    func assertSchemaError(_ yaml: String, _ expected: SchemaError.Problem, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try LandmarkSchema.parse(yaml: yaml, file: "bad.yaml"), file: file, line: line) { e in
            guard let se = e as? SchemaError else { return XCTFail("not a SchemaError: \(e)", file: file, line: line) }
            XCTAssertEqual(se.problem, expected, file: file, line: line)
            XCTAssertTrue(se.description.hasPrefix("bad.yaml: "), se.description, file: file, line: line)
        }
    }

    func testValidationErrorsNameFileAndProblem() {
        assertSchemaError("name: x\nlandmarks:\n  - name: a\n  - name: a\n", .duplicateName("a"))
        assertSchemaError("name: x\nlandmarks:\n  - {name: a, partner: zz}\n", .unknownPartner(landmark: "a", partner: "zz"))
        assertSchemaError("name: x\nlandmarks:\n  - {name: a, partner: b}\n  - {name: b, partner: c}\n  - {name: c, partner: b}\n",
                          .nonMutualPartner(landmark: "a", partner: "b", partnersPartner: "c"))
        assertSchemaError("name: x\nlandmarks:\n  - {name: a, partner: a}\n", .selfPartner("a"))
        assertSchemaError("name: x\nlandmarks:\n  - name: a\nedges:\n  - [a, q]\n", .badEdge(index: 0, reason: "unknown landmark 'q'"))
        assertSchemaError("name: x\nlandmarks:\n  - name: a\n  - name: b\nedges:\n  - [a]\n", .badEdge(index: 0, reason: "needs exactly two landmark names, got 1"))
        assertSchemaError("name: x\nlandmarks:\n  - name: a\nedges:\n  - [a, a]\n", .badEdge(index: 0, reason: "joins 'a' to itself"))
        assertSchemaError("name: x\nlandmarks:\n  - {name: a, tolerance_mm: -1}\n", .badTolerance(landmark: "a", value: -1))
        assertSchemaError("name: x\nlandmarks: []\n", .noLandmarks)
        XCTAssertThrowsError(try LandmarkSchema.parse(yaml: "name: [unclosed", file: "bad.yaml")) { e in
            guard case .malformedYAML? = (e as? SchemaError)?.problem else { return XCTFail("\(e)") }
        }
    }
}
