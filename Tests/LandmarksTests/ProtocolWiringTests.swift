import XCTest
import XRayIngest
import ContrastProtocols
@testable import Landmarks

final class ProtocolWiringTests: XCTestCase {
    func handImage(_ id: String) throws -> (XRayImage, [LandmarkPoint]) {
        let root = TestPaths.handXray
        let url = root.appendingPathComponent("images/\(id).dcm")
        guard FileManager.default.fileExists(atPath: url.path) else {
            XCTFail("shared data missing: \(url.path)"); throw CocoaError(.fileNoSuchFile)
        }
        let csv = CSVTable.parse(try String(contentsOf: root.appendingPathComponent("landmarks.csv"), encoding: .utf8))
        let pts = csv.dropFirst().filter { $0.fields[0] == id }.map { LandmarkPoint(x: Double($0.fields[2])!, y: Double($0.fields[3])!) }
        return (try IngestImageSource().image(at: url), pts)
    }

    func testEveryShippedProtocolGivesBoneBrightUnitImagesForBothPhotometrics() throws {
        let apply = try ProtocolContrast.shipped()
        for id in ["3143", "3144"] { // MONOCHROME2, MONOCHROME1
            let (image, pts) = try handImage(id)
            XCTAssertEqual(pts.count, 37)
            for name in ProtocolLibrary.shippedNames {
                let out = try apply(image, name)
                XCTAssertEqual(out.width, image.columns); XCTAssertEqual(out.height, image.rows)
                XCTAssertTrue(out.pixels.allSatisfy { (0...1).contains($0) }, "\(id) \(name)")
                let atLandmarks = pts.map { Double(out[Int($0.x.rounded()), Int($0.y.rounded())]) }.reduce(0, +) / Double(pts.count)
                let overall = Double(out.pixels.reduce(0, +)) / Double(out.pixels.count)
                XCTAssertGreaterThan(atLandmarks, overall, "\(id) \(name): the hand's joints must be brighter than the average pixel")
            }
        }
        XCTAssertThrowsError(try apply(try handImage("3143").0, "no-such-protocol"))
    }

    func testAugmentedSamplesUseAllFourProtocols() throws {
        let (image, pts) = try handImage("3144")
        let schema = try SchemaLibrary().schema(named: "hand-37")
        let pipeline = SamplePipeline(source: ClosureImageSource { _ in image }, schema: schema,
                                      config: SampleConfig(inputWidth: 128, inputHeight: 128, heatmapStride: 4, sigma: 2),
                                      contrast: try ProtocolContrast.shipped(),
                                      augmenter: Augmenter(config: AugmentationConfig(), schema: schema))
        let item = AnnotatedImage(id: "3144", relativePath: "3144.dcm", url: URL(fileURLWithPath: "/x"), width: image.columns,
                                  height: image.rows, spacing: image.spacing, landmarks: pts)
        var used = Set<String>()
        for s in 0..<12 {
            let sample = try pipeline.makeSample(item, seed: UInt64(s))
            used.insert(sample.protocolName ?? "none")
            XCTAssertTrue(sample.image.pixels.allSatisfy { (0...1).contains($0) })
            XCTAssertEqual(sample.target.mask, [Float](repeating: 1, count: schema.count), "absent landmarks are trained too")
        }
        XCTAssertEqual(used, Set(ProtocolLibrary.shippedNames))
    }

    func testTIFFImagesLoadThroughTheIngestSource() throws {
        let root = try TestPaths.tempDir()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("images/a"), withIntermediateDirectories: true)
        let px = (0..<(40 * 30)).map { Float($0 % 40) / 40 }
        try TIFFWriter.writeUInt16(normalized: px, rows: 30, columns: 40, to: root.appendingPathComponent("images/a/x.tif"))
        try "image,landmark,x,y\na/x,1,5,6\n".write(to: root.appendingPathComponent("landmarks.csv"), atomically: true, encoding: .utf8)
        var o = DatasetLoadOptions(); o.schema = .indexed(count: 2); o.policy = .strict
        let ds = try LandmarkDataset.load(root: root, source: IngestImageSource(), options: o)
        XCTAssertEqual(ds.images.map(\.id), ["a/x"])
        XCTAssertEqual(ds.images[0].width, 40); XCTAssertEqual(ds.images[0].height, 30)
        XCTAssertNil(ds.images[0].spacing, "no resolution tags: spacing is none, never an invented 1 mm")
    }

    func testEvaluationSampleOfARealRadiographRoundTripsItsAnnotation() throws {
        let (image, pts) = try handImage("3143")
        let schema = try SchemaLibrary().schema(named: "hand-37")
        let pipeline = SamplePipeline(source: ClosureImageSource { _ in image }, schema: schema,
                                      config: SampleConfig(inputWidth: 256, inputHeight: 256, heatmapStride: 4, sigma: 2),
                                      contrast: try ProtocolContrast.shipped(), defaultProtocol: "high")
        let item = AnnotatedImage(id: "3143", relativePath: "3143.dcm", url: URL(fileURLWithPath: "/x"), width: image.columns,
                                  height: image.rows, spacing: image.spacing, landmarks: pts)
        let s = try pipeline.makeSample(item, seed: 0)
        XCTAssertEqual(s.protocolName, "high")
        let decoded = pipeline.decodeToOriginal(s.target.heatmaps, transform: s.transform)
        // 0.05 heatmap px is 0.2 input px, i.e. 0.2 / scale original px (scale = 256/975 here).
        let tol = 0.05 * 4 / s.transform.affine.a
        for (d, p) in zip(decoded, pts) {
            XCTAssertTrue(d.present)
            XCTAssertLessThan(d.point.distance(to: p), tol, "\(p) decoded \(d.point)")
        }
        XCTAssertEqual(s.image.width, 256)
        XCTAssertTrue(s.image.pixels.allSatisfy { (0...1).contains($0) })
    }
}
