import Foundation
import XCTest
import XRayIngest
@testable import Landmarks

/// The refinement stage's geometry: cutting a window and mapping its answers back to original pixels.
final class PatchWindowTests: XCTestCase {
    func testOriginalToPatchAndBackRoundTripsWithinAThousandthOfAPixel() {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let w = PatchWindow(center: LandmarkPoint(x: rng.uniform(-50, 3000), y: rng.uniform(-50, 3000)),
                                size: [32, 64, 96, 128][Int(rng.next() % 4)], pixelSize: rng.uniform(0.5, 3),
                                rotation: rng.uniform(-0.5, 0.5))
            let p = LandmarkPoint(x: rng.uniform(0, 2500), y: rng.uniform(0, 2500))
            let back = w.toOriginal(w.toPatch(p))
            XCTAssertEqual(back.x, p.x, accuracy: 1e-3)
            XCTAssertEqual(back.y, p.y, accuracy: 1e-3)
        }
    }

    func testTheCentreLandsOnThePatchCentreAndPixelSizeScalesDistances() {
        let w = PatchWindow(center: LandmarkPoint(x: 400.25, y: 300.5), size: 128, pixelSize: 2)
        let c = w.toPatch(w.center)
        XCTAssertEqual(c.x, 63.5, accuracy: 1e-12)
        XCTAssertEqual(c.y, 63.5, accuracy: 1e-12)
        // 20 original pixels to the right are 10 patch pixels to the right.
        let r = w.toPatch(LandmarkPoint(x: 420.25, y: 300.5))
        XCTAssertEqual(r.x, 73.5, accuracy: 1e-12)
        XCTAssertEqual(r.y, 63.5, accuracy: 1e-12)
        // A rotation by 90° turns "right of the centre" into "below" or "above" it, at the same distance.
        let turned = PatchWindow(center: w.center, size: 128, pixelSize: 2, rotation: .pi / 2).toPatch(LandmarkPoint(x: 420.25, y: 300.5))
        XCTAssertEqual(turned.x, 63.5, accuracy: 1e-9)
        XCTAssertEqual(abs(turned.y - 63.5), 10, accuracy: 1e-9)
    }

    func testCutPatchShowsAnOriginalPixelWhereTheTransformSaysAcrossTheReducedGrid() {
        // A single bright pixel in a 300×200 image; the protocol image is reduced 2× (as for pixel size 2.4).
        var pixels = [Float](repeating: 0, count: 300 * 200)
        let bright = (x: 181, y: 97)
        for dy in 0...1 { for dx in 0...1 { pixels[(bright.y + dy) * 300 + bright.x + dx] = 1 } }
        let xray = XRayImage(rows: 200, columns: 300, pixels: pixels)
        let prepared = RefinementImage(xray: xray, pixelSize: 2.4) { GrayImage(width: $0.columns, height: $0.rows, pixels: $0.pixels) }
        XCTAssertEqual(prepared.image.width, 150)
        let window = PatchWindow(center: LandmarkPoint(x: 170, y: 110), size: 32, pixelSize: 2.4)
        let patch = prepared.patch(window)
        let peak = patch.pixels.indices.max { patch.pixels[$0] < patch.pixels[$1] }!
        // The 2×2 bright block's centre is at original (181.5, 97.5).
        let expected = window.toPatch(LandmarkPoint(x: 181.5, y: 97.5))
        XCTAssertEqual(Double(peak % 32), expected.x, accuracy: 1)
        XCTAssertEqual(Double(peak / 32), expected.y, accuracy: 1)
    }

    func testAPatchHeatmapPeakDecodesBackToTheOriginalPoint() {
        let window = PatchWindow(center: LandmarkPoint(x: 512.3, y: 700.9), size: 128, pixelSize: 1.5, rotation: 0.2)
        let truth = LandmarkPoint(x: 530.7, y: 688.2)
        let codec = HeatmapCodec(width: 32, height: 32, sigma: 2, threshold: 0.1)
        let target = codec.encode([HeatmapGrid.inputToHeatmap(stride: 4).apply(window.toPatch(truth))])
        let found = target.heatmaps.withUnsafeBufferPointer { window.landmark(in: $0, codec: codec, stride: 4) }
        XCTAssertNotNil(found)
        XCTAssertEqual(found!.x, truth.x, accuracy: 0.05)
        XCTAssertEqual(found!.y, truth.y, accuracy: 0.05)
        // An empty channel is no answer at all, not a point at the patch corner.
        let empty = [Float](repeating: 0, count: 32 * 32)
        XCTAssertNil(empty.withUnsafeBufferPointer { window.landmark(in: $0, codec: codec, stride: 4) })
    }

    func testReductionFactorNeverGoesCoarserThanThePatch() {
        XCTAssertEqual(PatchWindow.reductionFactor(pixelSize: 0.7), 1)
        XCTAssertEqual(PatchWindow.reductionFactor(pixelSize: 1), 1)
        XCTAssertEqual(PatchWindow.reductionFactor(pixelSize: 2.99), 2)
        XCTAssertEqual(PatchWindow.reductionFactor(pixelSize: 3), 3)
    }
}
