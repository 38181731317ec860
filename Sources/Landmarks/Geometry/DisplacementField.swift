import Foundation

/// A smooth random displacement over an output grid (cubic B-spline on a coarse control lattice).
/// Smoothness keeps the map invertible, which is what lets landmarks follow the warped image exactly.
public struct DisplacementField: Sendable, Equatable {
    public var spacing: Double
    public var nx: Int, ny: Int
    public var controlDX: [Double], controlDY: [Double]

    /// Control displacements ~ N(0, amplitude²) every `spacing` px; the B-spline shrinks their typical size a little.
    public static func random(width: Int, height: Int, spacing: Double, amplitude: Double,
                              rng: inout SeededRandom) -> DisplacementField {
        let nx = Int((Double(width) / spacing).rounded(.up)) + 5, ny = Int((Double(height) / spacing).rounded(.up)) + 5
        var dx = [Double](), dy = [Double]()
        dx.reserveCapacity(nx * ny); dy.reserveCapacity(nx * ny)
        for _ in 0..<(nx * ny) { dx.append(amplitude * rng.gaussian()); dy.append(amplitude * rng.gaussian()) }
        return DisplacementField(spacing: spacing, nx: nx, ny: ny, controlDX: dx, controlDY: dy)
    }

    @inline(__always) private static func weights(_ t: Double) -> (Double, Double, Double, Double) {
        let t2 = t * t, t3 = t2 * t, m = 1 - t
        return (m * m * m / 6, (3 * t3 - 6 * t2 + 4) / 6, (-3 * t3 + 3 * t2 + 3 * t + 1) / 6, t3 / 6)
    }

    public func displacement(x: Double, y: Double) -> (dx: Double, dy: Double) {
        let u = x / spacing + 2, v = y / spacing + 2
        let iu = Int(u.rounded(.down)), iv = Int(v.rounded(.down))
        let wu = Self.weights(u - Double(iu)), wv = Self.weights(v - Double(iv))
        let wus = [wu.0, wu.1, wu.2, wu.3], wvs = [wv.0, wv.1, wv.2, wv.3]
        var dx = 0.0, dy = 0.0
        for j in 0..<4 {
            let row = min(max(iv - 1 + j, 0), ny - 1) * nx
            for i in 0..<4 {
                let idx = row + min(max(iu - 1 + i, 0), nx - 1)
                let w = wus[i] * wvs[j]
                dx += w * controlDX[idx]; dy += w * controlDY[idx]
            }
        }
        return (dx, dy)
    }

    /// The output position q with q + d(q) = target, by fixed-point iteration (a contraction for smooth fields).
    public func solve(target: LandmarkPoint) -> LandmarkPoint {
        var q = target
        for _ in 0..<50 {
            let d = displacement(x: q.x, y: q.y)
            let next = LandmarkPoint(x: target.x - d.dx, y: target.y - d.dy)
            if next.distance(to: q) < 1e-9 { return next }
            q = next
        }
        return q
    }
}
