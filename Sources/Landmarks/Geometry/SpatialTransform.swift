import Foundation

/// Everything that moves pixels from the original image to the network input: one affine, an optional
/// displacement field, and the label permutation a flip implies. Image and landmarks go through this one value.
public struct SpatialTransform: Sendable, Equatable {
    /// Original pixels → output pixels.
    public var affine: AffineTransform
    /// Applied in the output grid: output pixel q shows the original at affine⁻¹(q + d(q)).
    public var displacement: DisplacementField?
    /// Output landmark i is original landmark `permutation[i]` (identity unless flipped with partners).
    public var permutation: [Int]?
    public var outWidth: Int
    public var outHeight: Int

    public init(affine: AffineTransform, displacement: DisplacementField? = nil, permutation: [Int]? = nil,
                outWidth: Int, outHeight: Int) {
        self.affine = affine; self.displacement = displacement; self.permutation = permutation
        self.outWidth = outWidth; self.outHeight = outHeight
    }

    public func warp(_ image: GrayImage, fill: Float = 0) -> GrayImage {
        ImageWarp.warp(image, transform: affine, outWidth: outWidth, outHeight: outHeight, displacement: displacement, fill: fill)
    }

    /// Where an original point lands in the output, ignoring the crop.
    public func forward(_ p: LandmarkPoint) -> LandmarkPoint {
        let t = affine.apply(p)
        return displacement?.solve(target: t) ?? t
    }

    /// Output point → original pixels: how predictions go back to the stored image's grid.
    public func backward(_ p: LandmarkPoint) -> LandmarkPoint {
        var q = p
        if let d = displacement { let dd = d.displacement(x: p.x, y: p.y); q.x += dd.dx; q.y += dd.dy }
        return affine.inverted.apply(q)
    }

    public func isInside(_ p: LandmarkPoint) -> Bool {
        p.x >= -0.5 && p.y >= -0.5 && p.x < Double(outWidth) - 0.5 && p.y < Double(outHeight) - 0.5
    }

    /// Moves landmarks; those pushed outside the output become absent rather than being clamped to the border.
    public func map(_ points: [LandmarkPoint?]) -> [LandmarkPoint?] {
        let moved: [LandmarkPoint?] = points.map { p in
            guard let p else { return nil }
            let q = forward(p)
            return isInside(q) ? q : nil
        }
        guard let perm = permutation else { return moved }
        return perm.map { moved[$0] }
    }
}
