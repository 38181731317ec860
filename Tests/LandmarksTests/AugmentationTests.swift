import XCTest
import XRayIngest
@testable import Landmarks

final class AugmentationTests: XCTestCase {
    /// A dark image with a small bright Gaussian marker at each landmark.
    func markerImage(width: Int, height: Int, points: [LandmarkPoint]) -> XRayImage {
        var px = [Float](repeating: 0.05, count: width * height)
        for p in points {
            for y in max(0, Int(p.y) - 6)...min(height - 1, Int(p.y) + 6) {
                for x in max(0, Int(p.x) - 6)...min(width - 1, Int(p.x) + 6) {
                    let d2 = (Double(x) - p.x) * (Double(x) - p.x) + (Double(y) - p.y) * (Double(y) - p.y)
                    px[y * width + x] += Float(exp(-d2 / (2 * 1.5 * 1.5)))
                }
            }
        }
        return XRayImage(rows: height, columns: width, pixels: px)
    }

    func gridPoints(width: Int, height: Int, step: Double, rng: inout SeededRandom) -> [LandmarkPoint] {
        var pts: [LandmarkPoint] = []
        var y = step / 2
        while y < Double(height) - step / 2 {
            var x = step / 2
            while x < Double(width) - step / 2 {
                pts.append(LandmarkPoint(x: x + rng.uniform(-3, 3), y: y + rng.uniform(-3, 3)))
                x += step
            }
            y += step
        }
        return pts
    }

    /// Raw pixels scaled to [0,1] without percentile windowing, so marker brightness is untouched.
    let identityContrast: ContrastApplier = { im, _ in
        let m = im.pixels.max() ?? 1
        return GrayImage(width: im.columns, height: im.rows, pixels: im.pixels.map { $0 / m })
    }

    func checkMarkersFollowLandmarks(elastic: Bool, seed: UInt64) throws {
        var rng = SeededRandom(seed: seed)
        let w = 150, h = 120
        let pts = gridPoints(width: w, height: h, step: 25, rng: &rng)
        let image = markerImage(width: w, height: h, points: pts)
        let schema = LandmarkSchema.indexed(count: pts.count)
        var cfg = AugmentationConfig.geometryOnly
        cfg.rotationDegrees = 20; cfg.scaleMin = 0.85; cfg.scaleMax = 1.2; cfg.translationFraction = 0.1
        cfg.elasticProbability = elastic ? 1 : 0; cfg.elasticAmplitude = 2.5; cfg.elasticSpacing = 24
        let pipeline = SamplePipeline(source: ClosureImageSource { _ in image }, schema: schema,
                                      config: SampleConfig(inputWidth: 128, inputHeight: 128, heatmapStride: 4, sigma: 2),
                                      contrast: identityContrast, augmenter: Augmenter(config: cfg, schema: schema))
        let item = AnnotatedImage(id: "m", relativePath: "m.dcm", url: URL(fileURLWithPath: "/m.dcm"), width: w, height: h,
                                  spacing: nil, landmarks: pts)
        var checked = 0, absent = 0
        for s in 0..<4 {
            let sample = try pipeline.makeSample(item, seed: seed &+ UInt64(s))
            XCTAssertEqual(sample.transform.displacement != nil, elastic)
            for (i, q) in sample.inputLandmarks.enumerated() {
                guard let q else {
                    absent += 1
                    // Absent only because it left the crop, never silently.
                    XCTAssertFalse(sample.transform.isInside(sample.transform.forward(pts[i])))
                    // Trained toward an empty map (docs/CONVENTIONS.md), not masked out.
                    XCTAssertEqual(sample.target.mask[i], 1)
                    let plane = sample.target.width * sample.target.height
                    XCTAssertTrue(sample.target.heatmaps[(i * plane)..<((i + 1) * plane)].allSatisfy { $0 == 0 })
                    continue
                }
                // Markers too close to the edge are partly cut off; their brightest pixel is not meaningful.
                guard q.x > 3, q.y > 3, q.x < 124, q.y < 124 else { continue }
                var best: Float = -1, bx = 0, by = 0
                for y in (Int(q.y.rounded()) - 3)...(Int(q.y.rounded()) + 3) {
                    for x in (Int(q.x.rounded()) - 3)...(Int(q.x.rounded()) + 3) where sample.image[x, y] > best {
                        best = sample.image[x, y]; bx = x; by = y
                    }
                }
                let d = q.distance(to: LandmarkPoint(x: Double(bx), y: Double(by)))
                XCTAssertLessThanOrEqual(d, 1.0, "landmark \(i) at \(q), brightest pixel at (\(bx), \(by)), elastic=\(elastic)")
                XCTAssertEqual(sample.target.mask[i], 1)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 60)
        _ = absent
    }

    func testMarkersFollowLandmarksUnderAffine() throws { try checkMarkersFollowLandmarks(elastic: false, seed: 100) }
    func testMarkersFollowLandmarksUnderElastic() throws { try checkMarkersFollowLandmarks(elastic: true, seed: 200) }

    func testLandmarksPushedOutsideBecomeAbsentNotClamped() {
        let st = SpatialTransform(affine: .translation(-50, 0), outWidth: 100, outHeight: 100)
        let out = st.map([LandmarkPoint(x: 20, y: 50), LandmarkPoint(x: 80, y: 50), nil])
        XCTAssertNil(out[0])
        XCTAssertEqual(out[1], LandmarkPoint(x: 30, y: 50))
        XCTAssertNil(out[2])
    }

    func testFlipOnlyWithPartnersAndSwapsThem() throws {
        let paired = try LandmarkSchema.parse(yaml: """
        name: pair
        landmarks:
          - {name: left, partner: right}
          - {name: right, partner: left}
          - {name: mid}
        """, file: "pair.yaml")
        var cfg = AugmentationConfig.geometryOnly
        cfg.rotationDegrees = 0; cfg.scaleMin = 1; cfg.scaleMax = 1; cfg.translationFraction = 0; cfg.flipProbability = 1
        let aug = Augmenter(config: cfg, schema: paired)
        var rng = SeededRandom(seed: 5)
        let d = aug.draw(width: 64, height: 64, rng: &rng)
        XCTAssertTrue(d.flipped)
        let lb = Letterbox(sourceWidth: 64, sourceHeight: 64, targetWidth: 64, targetHeight: 64)
        let st = aug.spatialTransform(letterbox: lb, draw: d)
        let out = st.map([LandmarkPoint(x: 10, y: 20), LandmarkPoint(x: 50, y: 20), LandmarkPoint(x: 32, y: 40)])
        // The original left point (x=10) is now on the right at x = 63 − 10 and, being the mirror image, is labelled "right".
        XCTAssertEqual(out[1]!.x, 53, accuracy: 1e-9)
        XCTAssertEqual(out[0]!.x, 13, accuracy: 1e-9)
        XCTAssertEqual(out[2]!.x, 31, accuracy: 1e-9)
        // The image is mirrored by the same transform.
        let img = GrayImage(width: 64, height: 64, pixels: (0..<4096).map { Float($0 % 64) })
        let warped = st.warp(img)
        XCTAssertEqual(warped[0, 5], 63, accuracy: 1e-4)
        XCTAssertEqual(warped[63, 5], 0, accuracy: 1e-4)
        // Without partners the same config never flips.
        let solo = Augmenter(config: cfg, schema: .indexed(count: 3))
        for s in 0..<20 { var r = SeededRandom(seed: UInt64(s)); XCTAssertFalse(solo.draw(width: 64, height: 64, rng: &r).flipped) }
    }

    func testDrawsAreSeededAndChooseAmongProtocols() {
        let aug = Augmenter(config: AugmentationConfig(), schema: .indexed(count: 4))
        var a = SeededRandom(seed: 77), b = SeededRandom(seed: 77)
        var seen = Set<String>()
        for _ in 0..<40 {
            let da = aug.draw(width: 64, height: 64, rng: &a), db = aug.draw(width: 64, height: 64, rng: &b)
            XCTAssertEqual(da, db)
            seen.insert(da.protocolName ?? "none")
            XCTAssertTrue((0.8...1.25).contains(da.gamma))
        }
        XCTAssertEqual(seen, ["higher", "high", "low", "lower"])
    }

    func testIntensityAugmentationStaysInUnitRange() {
        var img = GrayImage(width: 32, height: 32, pixels: (0..<1024).map { Float($0) / 1023 })
        let orig = img
        let d = AugmentationDraw(affine: .identity, flipped: false, displacement: nil, gamma: 1.5, noiseStd: 0.05, noiseSeed: 3, protocolName: nil)
        Augmenter.applyIntensity(&img, draw: d)
        XCTAssertTrue(img.pixels.allSatisfy { (0...1).contains($0) })
        XCTAssertNotEqual(img, orig)
        // Gamma > 1 darkens mid-tones on average.
        XCTAssertLessThan(img.pixels.reduce(0, +), orig.pixels.reduce(0, +))
    }
}
