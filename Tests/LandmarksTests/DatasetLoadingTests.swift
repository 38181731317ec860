import XCTest
import XRayIngest
@testable import Landmarks

final class DatasetLoadingTests: XCTestCase {
    let schemaYAML = """
    name: tri
    landmarks:
      - name: apex
      - name: left
      - name: right
    """
    var schema: LandmarkSchema { try! LandmarkSchema.parse(yaml: schemaYAML, file: "tri.yaml") }

    func options(_ policy: IssuePolicy = .lenient) -> DatasetLoadOptions {
        var o = DatasetLoadOptions(); o.schema = schema; o.policy = policy
        return o
    }

    func testCanonicalFolderWithNestingNamesIndicesPresenceAndSplits() throws {
        let root = try TestPaths.tempDir()
        try makeTextDataset(at: root, images: ["a": (100, 80), "sub/b": (50, 60)], csv: """
        image,landmark,x,y,present
        a,apex,10.5,20.25,1
        a,2,30,40,
        a,right,,,0
        sub/b,apex,1,2,1
        sub/b,left,49.4,59.4,true
        sub/b,3,0,0,1
        """, yaml: "spacing_mm: [0.3, 0.4]\n", splits: ["train": ["a"], "test": ["sub/b"]])
        let ds = try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options())
        XCTAssertEqual(ds.images.map(\.id), ["a", "sub/b"])
        XCTAssertEqual(ds.images[0].landmarks, [LandmarkPoint(x: 10.5, y: 20.25), LandmarkPoint(x: 30, y: 40), nil])
        XCTAssertEqual(ds.images[1].relativePath, "sub/b.dcm")
        XCTAssertEqual(ds.images[1].width, 50); XCTAssertEqual(ds.images[1].height, 60)
        XCTAssertEqual(ds.landmarkCount, 5)
        // dataset.yaml's spacing overrides the file's 0.5 mm and is recorded as user-given.
        XCTAssertEqual(ds.images[0].spacing, PixelSpacing(rowMM: 0.3, columnMM: 0.4, source: .manifest))
        XCTAssertEqual(ds.images(in: .train).map(\.id), ["a"])
        XCTAssertEqual(ds.images(in: .test).map(\.id), ["sub/b"])
        XCTAssertTrue(ds.summary.issues.isEmpty)
        XCTAssertTrue(ds.summary.text.contains("nothing skipped"))
    }

    func testSpacingFromIngestAndFromAColumn() throws {
        let root = try TestPaths.tempDir()
        try makeTextDataset(at: root, images: ["a": (100, 80), "b": (100, 80)], csv: """
        image,landmark,x,y,spacing_mm
        a,apex,1,1,0.125
        b,apex,1,1,
        """)
        let ds = try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options())
        XCTAssertEqual(ds.images[0].spacing, PixelSpacing(rowMM: 0.125, columnMM: 0.125, source: .manifest))
        XCTAssertEqual(ds.images[1].spacing, PixelSpacing(rowMM: 0.5, columnMM: 0.5, source: .pixelSpacing))
    }

    /// One file with one instance of every problem.
    func makeBrokenDataset() throws -> URL {
        let root = try TestPaths.tempDir()
        try makeTextDataset(at: root, images: ["a": (100, 80), "b": (100, 80), "lonely": (10, 10)], csv: """
        image,landmark,x,y
        a,apex,10,10
        a,nose,5,5
        a,left,150,10
        a,apex,11,11
        ghost,apex,1,1
        b,right,1,2
        b,left,one,2
        """, splits: ["valid": ["b", "nobody"]])
        return root
    }

    func testEachErrorKindIsFatalWithFileAndLineWhenAskedTo() throws {
        let root = try makeBrokenDataset()
        let expectations: [(AnnotationIssueKind, String)] = [
            (.unknownLandmark, "landmarks.csv:3"),
            (.outsideImage, "landmarks.csv:4"),
            (.duplicateLandmark, "landmarks.csv:5"),
            (.annotationWithoutImage, "landmarks.csv:6"),
            (.malformedRecord, "landmarks.csv:8"),
            (.imageWithoutAnnotations, "images/lonely.dcm"),
            (.unknownSplitEntry, "splits/valid.txt:2"),
        ]
        for (kind, location) in expectations {
            let policy = IssuePolicy([kind: .fatal], default: .skip)
            XCTAssertThrowsError(try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options(policy)), "\(kind)") { e in
                guard let err = e as? DatasetLoadError else { return XCTFail("\(kind): \(e)") }
                XCTAssertEqual(err.issue.kind, kind)
                XCTAssertEqual(err.issue.location.description, location)
                XCTAssertTrue(err.description.contains(kind.rawValue), err.description)
            }
        }
    }

    func testSkippedIssuesAreCountedNeverSilentlyDropped() throws {
        let root = try makeBrokenDataset()
        let ds = try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options(IssuePolicy(default: .skip)))
        let s = ds.summary
        for k in [AnnotationIssueKind.unknownLandmark, .outsideImage, .duplicateLandmark, .annotationWithoutImage,
                  .malformedRecord, .imageWithoutAnnotations, .unknownSplitEntry] {
            XCTAssertEqual(s.count(k), 1, "\(k)")
        }
        XCTAssertEqual(ds.images.map(\.id), ["a", "b"])
        XCTAssertEqual(ds.images[0].landmarks, [LandmarkPoint(x: 10, y: 10), nil, nil], "duplicate keeps the first")
        XCTAssertEqual(ds.images[1].landmarks, [nil, nil, LandmarkPoint(x: 1, y: 2)])
        XCTAssertEqual(ds.splits[.valid], ["b"])
        XCTAssertTrue(s.text.contains("skipped 1 annotation: unknown-landmark"), s.text)
        XCTAssertTrue(s.text.contains("skipped 1 image: image-without-annotations"), s.text)
        // The default policy stops on records it cannot parse.
        XCTAssertThrowsError(try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options(.lenient)))
    }

    func testUnreadableImageAndMissingAnnotationFile() throws {
        let root = try TestPaths.tempDir()
        try makeTextDataset(at: root, images: ["a": (10, 10)], csv: "image,landmark,x,y\na,apex,1,1\n")
        try "garbage".write(to: root.appendingPathComponent("images/a.dcm"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options(.strict))) { e in
            XCTAssertEqual((e as? DatasetLoadError)?.issue.kind, .unreadableImage)
            XCTAssertEqual((e as? DatasetLoadError)?.issue.location.file, "images/a.dcm")
        }
        var o = options(); o.annotations = AnnotationSourceSpec(format: .coco, path: "missing.json")
        XCTAssertThrowsError(try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: o)) { e in
            XCTAssertTrue(String(describing: e).contains("missing.json"))
        }
    }

    func testRandomSplitIsSeededAndComplete() throws {
        let root = try TestPaths.tempDir()
        var imgs: [String: (w: Int, h: Int)] = [:]
        var csv = "image,landmark,x,y\n"
        for i in 0..<20 { imgs["i\(i)"] = (20, 20); csv += "i\(i),apex,1,1\n" }
        try makeTextDataset(at: root, images: imgs, csv: csv)
        let ds = try LandmarkDataset.load(root: root, source: TextHeaderSource(), options: options())
        let a = ds.randomSplit(seed: 4), b = ds.randomSplit(seed: 4), c = ds.randomSplit(seed: 5)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a[.train]!.count, 16); XCTAssertEqual(a[.valid]!.count, 2); XCTAssertEqual(a[.test]!.count, 2)
        XCTAssertEqual(Set(a.values.flatMap { $0 }), Set(ds.images.map(\.id)))
        XCTAssertEqual(ds.effectiveSplits, ds.randomSplit(seed: 0))
    }
}
