import Landmarks
import XCTest
import XRayIngest
@testable import Inference

final class OverlayDrawingTests: XCTestCase {
    func count(_ img: RGBImage, _ c: RGBColor) -> Int {
        stride(from: 0, to: img.bytes.count, by: 3).filter { img.bytes[$0] == c.r && img.bytes[$0 + 1] == c.g && img.bytes[$0 + 2] == c.b }.count
    }

    func testDiscRingAndClipping() {
        var canvas = RGBCanvas(RGBImage(gray: [Float](repeating: 0, count: 400), width: 20, height: 20))
        // Radius 2 around a pixel centre: offsets with dx² + dy² ≤ 4 → 1 + 4 + 4 + 4 = 13 pixels.
        canvas.disc(cx: 10, cy: 10, radius: 2, color: .present)
        XCTAssertEqual(count(canvas.image, .present), 13)
        // Ring between radii 1.5 and 2: d² in [2.25, 4] → (±2,0),(0,±2) = 4; (±1,±1) has d² = 2, excluded.
        var ring = RGBCanvas(RGBImage(gray: [Float](repeating: 0, count: 400), width: 20, height: 20))
        ring.disc(cx: 10, cy: 10, radius: 2, inner: 1.5, color: .absent)
        XCTAssertEqual(count(ring.image, .absent), 4)
        // A disc centred outside the image only draws what is inside, without trapping.
        // Of its pixels only (0,0) is inside (d² = 2); (1,0) and (0,1) have d² = 5 > 4.
        canvas.disc(cx: -1, cy: -1, radius: 2, color: .edge)
        XCTAssertEqual(count(canvas.image, .edge), 1)
        canvas.disc(cx: 40, cy: 40, radius: 2, color: .edge)
        XCTAssertEqual(count(canvas.image, .edge), 1)
    }

    func testHorizontalLineCoversItsSpan() {
        var canvas = RGBCanvas(RGBImage(gray: [Float](repeating: 0.5, count: 200), width: 20, height: 10))
        canvas.line(from: (2, 5), to: (17, 5), width: 1, color: .edge)
        // Width 1 → radius 0.5 stamps: exactly row 5, columns 2…17 (d² ≤ 0.25 only at the row itself).
        XCTAssertEqual(count(canvas.image, .edge), 16)
        for x in 2...17 { XCTAssertEqual(canvas.image.bytes[3 * (5 * 20 + x)], RGBColor.edge.r) }
        XCTAssertEqual(canvas.image.bytes[3 * (5 * 20 + 1)], 128, "grey 0.5 → 128 untouched outside the segment")
    }
}

final class OverlayRendererTests: XCTestCase {
    /// Landmarks given in original pixels land on the protocol image through its transform (here a 2× block
    /// reduction), edges join only present landmarks, and absent ones are rings.
    func testEdgesJoinPresentLandmarksOnTheReducedGrid() throws {
        let schema = try LandmarkSchema.parse(yaml: Fixture.schemaYAML, file: "tiny")   // edges top–left, left–right
        let reduced = GrayImage(width: 40, height: 30, fill: 0)
        let prepared = PreparedInput(input: GrayImage(width: 64, height: 64), letterbox: Letterbox(sourceWidth: 80, sourceHeight: 60, targetWidth: 64, targetHeight: 64),
                                     width: 80, height: 60, spacing: nil, protocolImage: reduced,
                                     toProtocolImage: BlockDownsample.transform(factor: 2))
        func mark(_ name: String, _ x: Double, _ y: Double, _ present: Bool) -> PredictedLandmark {
            PredictedLandmark(name: name, x: x, y: y, xMM: nil, yMM: nil, confidence: present ? 0.9 : 0.1, present: present)
        }
        // Original (10.5, 20.5) → reduced (5, 10); (60.5, 20.5) → (30, 10); (60.5, 50.5) → (30, 25).
        let prediction = ImagePrediction(landmarks: [mark("top", 10.5, 20.5, true), mark("left", 60.5, 20.5, true),
                                                     mark("right", 60.5, 50.5, false)],
                                         width: 80, height: 60, spacing: nil, letterbox: prepared.letterbox)
        let img = OverlayRenderer.render(prepared, prediction: prediction, schema: schema)
        XCTAssertEqual([img.width, img.height], [40, 30])
        func pixel(_ x: Int, _ y: Int) -> RGBColor { let i = 3 * (y * 40 + x); return RGBColor(img.bytes[i], img.bytes[i + 1], img.bytes[i + 2]) }
        XCTAssertEqual(pixel(5, 10), .present)
        XCTAssertEqual(pixel(30, 10), .present)
        XCTAssertEqual(pixel(17, 10), .edge, "midway along top–left")
        XCTAssertEqual(pixel(30, 18), RGBColor(0, 0, 0), "no edge to the absent landmark")
        XCTAssertEqual(pixel(30, 25), RGBColor(0, 0, 0), "an absent landmark is a ring, its centre untouched")
        XCTAssertEqual(pixel(32, 25), .absent)
    }
}
