import XCTest
import XRayIngest
@testable import Landmarks

/// Loads the shared hand-xray folder through the real DICOM reader.
final class HandXrayDatasetTests: XCTestCase {
    /// Remembers each file's size and spacing so three loads of the same folder decode it once.
    final class MemoSource: ImageSource, @unchecked Sendable {
        let inner = IngestImageSource()
        let lock = NSLock()
        var memo: [URL: XRayImage] = [:]
        func image(at url: URL) throws -> XRayImage {
            lock.lock(); if let m = memo[url] { lock.unlock(); return m }; lock.unlock()
            let im = try inner.image(at: url)
            var slim = XRayImage(rows: 1, columns: 1, pixels: [0], photometric: im.photometric, spacing: im.spacing)
            slim.rows = im.rows; slim.columns = im.columns
            lock.lock(); memo[url] = slim; lock.unlock()
            return slim
        }
    }

    func manifestSpacing(_ root: URL) throws -> [String: Double] {
        let rows = CSVTable.parse(try String(contentsOf: root.appendingPathComponent("manifest.csv"), encoding: .utf8))
        let h = rows[0].fields
        let i = h.firstIndex(of: "image")!, s = h.firstIndex(of: "pixel_spacing_mm")!
        return Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0.fields[i], Double($0.fields[s])!) })
    }

    func testHandXrayLoadsAllImagesLandmarksAndSpacingAndImportsAgree() throws {
        let root = TestPaths.handXray
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent("landmarks.csv").path) else {
            return XCTFail("shared data missing: expected \(root.path)/landmarks.csv (repo root/../shared/data/hand-xray)")
        }
        let source = MemoSource()
        var o = DatasetLoadOptions(); o.schema = try SchemaLibrary().schema(named: "hand-37"); o.policy = .strict
        let ds = try LandmarkDataset.load(root: root, source: source, options: o)
        XCTAssertEqual(ds.images.count, 112)
        XCTAssertEqual(ds.landmarkCount, 4144)
        XCTAssertTrue(ds.summary.issues.isEmpty, ds.summary.text)
        XCTAssertEqual(ds.splits[.train]?.count, 91)
        XCTAssertEqual(ds.splits[.valid]?.count, 21)
        let manifest = try manifestSpacing(root)
        for im in ds.images {
            guard let s = im.spacing else { XCTFail("\(im.id): no spacing"); continue }
            XCTAssertEqual(s.source, .pixelSpacing, im.id)
            XCTAssertEqual(s.rowMM, manifest[im.id]!, accuracy: 1e-9, im.id)
            XCTAssertEqual(s.columnMM, manifest[im.id]!, accuracy: 1e-9, im.id)
        }
        // Images are named by relative path, never by patient identity.
        XCTAssertTrue(ds.images.allSatisfy { !$0.id.contains("HAND") && $0.relativePath == "\($0.id).dcm" })
        XCTAssertEqual(ds.images.first { $0.id == "3143" }?.landmarks[0], LandmarkPoint(x: 159.5, y: 927))
        XCTAssertEqual(ds.images.first { $0.id == "3143" }?.width, 675)

        // The same annotations as COCO and as wide CSV, converted here into a copy of the folder that links the images.
        let copy = try TestPaths.tempDir()
        try FileManager.default.createSymbolicLink(at: copy.appendingPathComponent("images"), withDestinationURL: root.appendingPathComponent("images"))
        try CocoKeypoints.export(ds).write(to: copy.appendingPathComponent("coco.json"))
        try WideCSVImporter.write(ds.images).write(to: copy.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
        for spec in [AnnotationSourceSpec(format: .coco, path: "coco.json"), AnnotationSourceSpec(format: .wideCSV, path: "wide.csv")] {
            var oo = o; oo.annotations = spec
            let other = try LandmarkDataset.load(root: copy, source: source, options: oo)
            XCTAssertEqual(other.images.count, 112, spec.path)
            XCTAssertEqual(other.landmarkCount, 4144, spec.path)
            XCTAssertEqual(other.images.map(\.id), ds.images.map(\.id), spec.path)
            XCTAssertEqual(other.images.map(\.landmarks), ds.images.map(\.landmarks), spec.path)
            XCTAssertEqual(other.images.map(\.spacing), ds.images.map(\.spacing), spec.path)
            XCTAssertEqual(other.images.map { [$0.width, $0.height] }, ds.images.map { [$0.width, $0.height] }, spec.path)
        }
    }

    func testCachedIngestOfARealDICOMKeepsPixelsAndSpacing() throws {
        let file = TestPaths.handXray.appendingPathComponent("images/3144.dcm")
        guard FileManager.default.fileExists(atPath: file.path) else { return XCTFail("shared data missing: \(file.path)") }
        let dir = try TestPaths.tempDir()
        let cache = try IngestImageSource.cached(in: dir)
        let a = try cache.image(at: file), b = try cache.image(at: file)
        XCTAssertEqual(cache.statistics.misses, 1); XCTAssertEqual(cache.statistics.hits, 1)
        XCTAssertEqual(a.pixels, b.pixels)
        XCTAssertEqual(b.photometric, .monochrome1)
        XCTAssertEqual(b.rows, 875); XCTAssertEqual(b.columns, 650)
        XCTAssertEqual(b.spacing?.rowMM ?? 0, 0.27806, accuracy: 1e-9)
    }
}
