import XCTest
import XRayIngest
@testable import Landmarks

final class GeometryTests: XCTestCase {
    func testAffineComposeAndInverse() {
        let a = AffineTransform.rotation(0.3, about: LandmarkPoint(x: 5, y: 7)).then(.scale(1.7, 0.6)).then(.translation(3, -2))
        let p = LandmarkPoint(x: 12.25, y: -3.5)
        let back = a.inverted.apply(a.apply(p))
        XCTAssertEqual(back.x, p.x, accuracy: 1e-9)
        XCTAssertEqual(back.y, p.y, accuracy: 1e-9)
        // The rotation centre stays put.
        let c = AffineTransform.rotation(0.3, about: LandmarkPoint(x: 5, y: 7)).apply(LandmarkPoint(x: 5, y: 7))
        XCTAssertEqual(c.x, 5, accuracy: 1e-12); XCTAssertEqual(c.y, 7, accuracy: 1e-12)
    }

    func testLetterboxRoundTripAndHalfPixelConvention() {
        var rng = SeededRandom(seed: 1)
        for (sw, sh) in [(675, 975), (1024, 512), (300, 300), (37, 1001)] {
            let lb = Letterbox(sourceWidth: sw, sourceHeight: sh, targetWidth: 256, targetHeight: 192)
            for _ in 0..<50 {
                let p = LandmarkPoint(x: rng.uniform(-0.5, Double(sw) - 0.5), y: rng.uniform(-0.5, Double(sh) - 0.5))
                let q = lb.toOriginal(lb.toInput(p))
                XCTAssertLessThan(p.distance(to: q), 1e-3)
            }
            // The image's outer pixel edges land on the padded box's edges along the limiting axis.
            let s = lb.scale
            let left = lb.toInput(LandmarkPoint(x: -0.5, y: -0.5)), right = lb.toInput(LandmarkPoint(x: Double(sw) - 0.5, y: Double(sh) - 0.5))
            XCTAssertEqual(right.x - left.x, s * Double(sw), accuracy: 1e-9)
            XCTAssertEqual((left.x + 0.5) + (255.5 - right.x), 256 - s * Double(sw), accuracy: 1e-9)
            XCTAssertEqual(left.x + 0.5, 255.5 - right.x, accuracy: 1e-9, "content is centred")
        }
    }

    func testExactTwoTimesDownsampleMatchesAreaAverageCentres() {
        // 2×2 average pooling: output pixel j has its centre at source coordinate 2j + 0.5.
        let t = AffineTransform.gridResize(fromWidth: 8, fromHeight: 8, toWidth: 4, toHeight: 4)
        let p = t.apply(LandmarkPoint(x: 2.5, y: 4.5))
        XCTAssertEqual(p.x, 1, accuracy: 1e-12)
        XCTAssertEqual(p.y, 2, accuracy: 1e-12)
        let h = HeatmapGrid.inputToHeatmap(stride: 4).apply(LandmarkPoint(x: 5.5, y: 1.5))
        XCTAssertEqual(h.x, 1, accuracy: 1e-12)
        XCTAssertEqual(h.y, 0, accuracy: 1e-12)
    }

    func testBilinearWarpUsesTheSameAffineAsThePoints() {
        // A linear ramp is reproduced exactly by bilinear sampling, so the warped value at a mapped point equals
        // the ramp at the original point: this pins the half-pixel convention of the resampler.
        let w = 40, h = 30
        let img = GrayImage(width: w, height: h, pixels: (0..<(w * h)).map { Float(3 * ($0 % w) + 5 * ($0 / w)) })
        let t = AffineTransform.rotation(0.2, about: LandmarkPoint(x: 20, y: 15)).then(.scale(1.3, 1.3)).then(.translation(2, 1))
        let out = ImageWarp.warp(img, transform: t, outWidth: 50, outHeight: 40, antialias: false)
        let inv = t.inverted
        var checked = 0
        for v in 0..<40 { for u in 0..<50 {
            let s = inv.apply(LandmarkPoint(x: Double(u), y: Double(v)))
            guard s.x >= 0, s.y >= 0, s.x <= Double(w - 1), s.y <= Double(h - 1) else { continue }
            XCTAssertEqual(Double(out[u, v]), 3 * s.x + 5 * s.y, accuracy: 1e-3)
            checked += 1
        } }
        XCTAssertGreaterThan(checked, 500)
        // Outside the source, the fill value.
        let far = ImageWarp.warp(img, transform: .translation(100, 0), outWidth: 10, outHeight: 10, fill: -1)
        XCTAssertTrue(far.pixels.allSatisfy { $0 == -1 })
    }

    func testDisplacementFieldInversionIsExact() {
        var rng = SeededRandom(seed: 9)
        let f = DisplacementField.random(width: 128, height: 96, spacing: 24, amplitude: 3, rng: &rng)
        for _ in 0..<30 {
            let t = LandmarkPoint(x: rng.uniform(0, 127), y: rng.uniform(0, 95))
            let q = f.solve(target: t)
            let d = f.displacement(x: q.x, y: q.y)
            XCTAssertEqual(q.x + d.dx, t.x, accuracy: 1e-6)
            XCTAssertEqual(q.y + d.dy, t.y, accuracy: 1e-6)
        }
        let d = f.displacement(x: 50, y: 50)
        XCTAssertGreaterThan(abs(d.dx) + abs(d.dy), 0, "the field actually displaces")
    }

    func testSpatialTransformBackwardInvertsForward() {
        var rng = SeededRandom(seed: 11)
        let field = DisplacementField.random(width: 64, height: 64, spacing: 16, amplitude: 2, rng: &rng)
        let st = SpatialTransform(affine: Letterbox(sourceWidth: 300, sourceHeight: 200, targetWidth: 64, targetHeight: 64).transform,
                                  displacement: field, outWidth: 64, outHeight: 64)
        for _ in 0..<20 {
            let p = LandmarkPoint(x: rng.uniform(20, 280), y: rng.uniform(20, 180))
            XCTAssertLessThan(st.backward(st.forward(p)).distance(to: p), 1e-3)
        }
    }
}

final class BlockDownsampleTests: XCTestCase {
    func testBlockAverageOfARampSitsAtTheMappedCentre() {
        let w = 23, h = 17
        let im = XRayImage(rows: h, columns: w, pixels: (0..<(w * h)).map { Float(2 * ($0 % w) + 7 * ($0 / w)) },
                           spacing: PixelSpacing(rowMM: 0.1, columnMM: 0.2, source: .pixelSpacing))
        let f = 4
        let d = BlockDownsample.apply(im, factor: f)
        XCTAssertEqual(d.columns, 6); XCTAssertEqual(d.rows, 5)
        XCTAssertEqual(d.spacing?.rowMM ?? 0, 0.4, accuracy: 1e-12)
        XCTAssertEqual(d.spacing?.columnMM ?? 0, 0.8, accuracy: 1e-12)
        let back = BlockDownsample.transform(factor: f).inverted
        for oy in 0..<4 { for ox in 0..<5 { // full blocks only
            let p = back.apply(LandmarkPoint(x: Double(ox), y: Double(oy)))
            XCTAssertEqual(Double(d[oy, ox]), 2 * p.x + 7 * p.y, accuracy: 1e-3)
        } }
    }

    func testReducedResolutionProtocolsGiveTheSameSampleGeometry() throws {
        let w = 600, h = 480
        var px = [Float](repeating: 0.1, count: w * h)
        let pts = [LandmarkPoint(x: 100.3, y: 120.8), LandmarkPoint(x: 420.6, y: 300.2), LandmarkPoint(x: 300, y: 50.5)]
        for p in pts { for y in (Int(p.y) - 20)...(Int(p.y) + 20) { for x in (Int(p.x) - 20)...(Int(p.x) + 20) {
            let d2 = (Double(x) - p.x) * (Double(x) - p.x) + (Double(y) - p.y) * (Double(y) - p.y)
            px[y * w + x] += Float(exp(-d2 / (2 * 36)))
        } } }
        let image = XRayImage(rows: h, columns: w, pixels: px)
        let contrast: ContrastApplier = { im, _ in GrayImage(width: im.columns, height: im.rows, pixels: im.pixels.map { $0 / 1.1 }) }
        let item = AnnotatedImage(id: "s", relativePath: "s.dcm", url: URL(fileURLWithPath: "/s"), width: w, height: h, spacing: nil, landmarks: pts)
        func sample(_ over: Double) throws -> TrainingSample {
            var cfg = SampleConfig(inputWidth: 64, inputHeight: 64, heatmapStride: 4, sigma: 1.5)
            cfg.protocolOversampling = over
            return try SamplePipeline(source: ClosureImageSource { _ in image }, schema: .indexed(count: 3), config: cfg,
                                      contrast: contrast).makeSample(item, seed: 0)
        }
        let full = try sample(0), reduced = try sample(2)
        XCTAssertEqual(full.inputLandmarks, reduced.inputLandmarks)
        let diff = zip(full.image.pixels, reduced.image.pixels).map { abs($0 - $1) }
        XCTAssertLessThan(diff.reduce(0, +) / Float(diff.count), 0.01)
        XCTAssertLessThan(diff.max()!, 0.08)
        // The markers are still where the landmarks say.
        for q in reduced.inputLandmarks.compactMap({ $0 }) {
            var best: Float = -1, bx = 0, by = 0
            for y in (Int(q.y) - 2)...(Int(q.y) + 2) { for x in (Int(q.x) - 2)...(Int(q.x) + 2) where reduced.image[x, y] > best {
                best = reduced.image[x, y]; bx = x; by = y
            } }
            XCTAssertLessThanOrEqual(q.distance(to: LandmarkPoint(x: Double(bx), y: Double(by))), 1)
        }
    }
}
