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
