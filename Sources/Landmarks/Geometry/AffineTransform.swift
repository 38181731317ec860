import Foundation

/// A 2-D affine map of pixel coordinates: x' = a·x + b·y + tx, y' = c·x + d·y + ty.
/// The same value moves images (via its inverse, when resampling) and landmarks, so the two never disagree.
public struct AffineTransform: Sendable, Equatable, Codable {
    public var a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.tx = tx; self.ty = ty
    }

    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    public static func translation(_ dx: Double, _ dy: Double) -> AffineTransform {
        AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: dx, ty: dy)
    }

    public static func scale(_ sx: Double, _ sy: Double) -> AffineTransform {
        AffineTransform(a: sx, b: 0, c: 0, d: sy, tx: 0, ty: 0)
    }

    /// Rotation by `radians` (counter-clockwise on screen, since y points down it reads clockwise in maths terms) about `center`.
    public static func rotation(_ radians: Double, about center: LandmarkPoint) -> AffineTransform {
        let co = cos(radians), si = sin(radians)
        let r = AffineTransform(a: co, b: -si, c: si, d: co, tx: 0, ty: 0)
        return translation(-center.x, -center.y).then(r).then(translation(center.x, center.y))
    }

    /// Maps pixel centres of a `fromWidth×fromHeight` grid onto a `toWidth×toHeight` grid covering the same extent:
    /// pixel edges align, so centre x maps to (x + 0.5)·s − 0.5, not x·s.
    public static func gridResize(fromWidth: Int, fromHeight: Int, toWidth: Int, toHeight: Int) -> AffineTransform {
        let sx = Double(toWidth) / Double(fromWidth), sy = Double(toHeight) / Double(fromHeight)
        return AffineTransform(a: sx, b: 0, c: 0, d: sy, tx: 0.5 * sx - 0.5, ty: 0.5 * sy - 0.5)
    }

    /// `self` first, then `next`.
    public func then(_ n: AffineTransform) -> AffineTransform {
        AffineTransform(a: n.a * a + n.b * c, b: n.a * b + n.b * d,
                        c: n.c * a + n.d * c, d: n.c * b + n.d * d,
                        tx: n.a * tx + n.b * ty + n.tx, ty: n.c * tx + n.d * ty + n.ty)
    }

    public var determinant: Double { a * d - b * c }

    public var inverted: AffineTransform {
        let det = determinant
        precondition(det != 0, "AffineTransform: singular transform has no inverse")
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineTransform(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }

    public func apply(_ p: LandmarkPoint) -> LandmarkPoint {
        LandmarkPoint(x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty)
    }

    @inlinable public func apply(x: Double, y: Double) -> (x: Double, y: Double) {
        (a * x + b * y + tx, c * x + d * y + ty)
    }

    /// Geometric-mean linear scale factor; used to decide how much to low-pass before shrinking.
    public var meanScale: Double { abs(determinant).squareRoot() }
}
