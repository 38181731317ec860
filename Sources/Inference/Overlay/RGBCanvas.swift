import Foundation
import XRayIngest

/// An RGB colour.
public struct RGBColor: Sendable, Equatable {
    public var r: UInt8, g: UInt8, b: UInt8
    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
    public static let present = RGBColor(40, 220, 60)
    public static let absent = RGBColor(235, 40, 40)
    public static let edge = RGBColor(40, 200, 230)
}

/// Drawing primitives on an `RGBImage` (pixel centres at integer coordinates, clipped at the borders).
public struct RGBCanvas: Sendable {
    public var image: RGBImage

    public init(_ image: RGBImage) { self.image = image }

    public mutating func set(_ x: Int, _ y: Int, _ c: RGBColor) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        let i = 3 * (y * image.width + x)
        image.bytes[i] = c.r; image.bytes[i + 1] = c.g; image.bytes[i + 2] = c.b
    }

    /// Pixels whose centre lies within `radius` of (cx, cy); with `inner` > 0 only the ring between the two radii.
    public mutating func disc(cx: Double, cy: Double, radius: Double, inner: Double = 0, color: RGBColor) {
        guard cx.isFinite, cy.isFinite, radius > 0 else { return }
        let x0 = Int((cx - radius).rounded(.down)), x1 = Int((cx + radius).rounded(.up))
        let y0 = Int((cy - radius).rounded(.down)), y1 = Int((cy + radius).rounded(.up))
        let r2 = radius * radius, i2 = inner * inner
        let xs = max(x0, 0), xe = min(x1, image.width - 1), ys = max(y0, 0), ye = min(y1, image.height - 1)
        guard xs <= xe, ys <= ye else { return }
        for y in ys...ye {
            for x in xs...xe {
                let d2 = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)
                if d2 <= r2 && d2 >= i2 { set(x, y, color) }
            }
        }
    }

    /// A segment `width` pixels thick: discs stamped every half pixel, so thickness is even at any angle.
    public mutating func line(from a: (Double, Double), to b: (Double, Double), width: Double, color: RGBColor) {
        guard a.0.isFinite, a.1.isFinite, b.0.isFinite, b.1.isFinite else { return }
        let length = ((b.0 - a.0) * (b.0 - a.0) + (b.1 - a.1) * (b.1 - a.1)).squareRoot()
        let steps = max(1, Int((length * 2).rounded(.up)))
        let r = max(width / 2, 0.5)
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            disc(cx: a.0 + t * (b.0 - a.0), cy: a.1 + t * (b.1 - a.1), radius: r, color: color)
        }
    }
}
