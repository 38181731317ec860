import Foundation

/// Accumulates line-integral attenuation (μ·length, dimensionless) on a pixel grid. Each primitive touches only its
/// bounding box and anti-aliases its edge by area coverage, so sub-pixel corners stay where the landmarks say.
struct AttenuationCanvas {
    let width: Int, height: Int
    /// mm per pixel, so densities can be given per mm.
    let spacing: Double
    var att: [Float]

    init(width: Int, height: Int, spacing: Double) {
        self.width = width; self.height = height; self.spacing = spacing
        att = [Float](repeating: 0, count: width * height)
    }

    private func box(_ pts: [LandmarkPoint], margin: Double) -> (Int, Int, Int, Int)? {
        let x0 = max(0, Int((pts.map(\.x).min()! - margin).rounded(.down))), x1 = min(width - 1, Int((pts.map(\.x).max()! + margin).rounded(.up)))
        let y0 = max(0, Int((pts.map(\.y).min()! - margin).rounded(.down))), y1 = min(height - 1, Int((pts.map(\.y).max()! + margin).rounded(.up)))
        return x0 <= x1 && y0 <= y1 ? (x0, x1, y0, y1) : nil
    }

    /// A convex quadrilateral body seen side-on: trabecular fill thickest mid-depth, a cortical rim brightest at the edge.
    /// `anteriorEdge`/`posteriorEdge` index the edges (k → k+1) that bound the depth direction.
    mutating func convexBody(_ poly: [LandmarkPoint], fillPerPx: Double, rimPeak: Double, rimWidthPx: Double,
                             anteriorEdge: Int, posteriorEdge: Int, texture: [Float]?) {
        guard let (x0, x1, y0, y1) = box(poly, margin: 2) else { return }
        let n = poly.count
        var area = 0.0
        for k in 0..<n { area += poly[k].x * poly[(k + 1) % n].y - poly[(k + 1) % n].x * poly[k].y }
        let orient = area > 0 ? 1.0 : -1.0
        // Edge normals pointing inwards, as (nx, ny, c): signed distance = nx·x + ny·y + c.
        var edges: [(Double, Double, Double)] = []
        for k in 0..<n {
            let a = poly[k], b = poly[(k + 1) % n]
            let len = max(a.distance(to: b), 1e-9)
            let nx = -(b.y - a.y) / len * orient, ny = (b.x - a.x) / len * orient
            edges.append((nx, ny, -(nx * a.x + ny * a.y)))
        }
        for y in y0...y1 {
            for x in x0...x1 {
                let px = Double(x), py = Double(y)
                var dIn = Double.infinity
                for e in edges { dIn = min(dIn, e.0 * px + e.1 * py + e.2) }
                guard dIn > -0.5 else { continue }
                let coverage = min(1, dIn + 0.5)
                let da = edges[anteriorEdge].0 * px + edges[anteriorEdge].1 * py + edges[anteriorEdge].2
                let dp = edges[posteriorEdge].0 * px + edges[posteriorEdge].1 * py + edges[posteriorEdge].2
                let u = (da - dp) / max(da + dp, 1e-9)
                let chord = max(0, 1 - u * u).squareRoot()
                let tex = texture.map { Double($0[y * width + x]) } ?? 1
                let rim = exp(-max(dIn, 0) / rimWidthPx)
                att[y * width + x] += Float(coverage * (fillPerPx * (0.45 + 0.55 * chord) * tex + rimPeak * rim))
            }
        }
    }

    /// A filled, rotated ellipse with a brighter rim: posterior elements, the iliac wing, gas (negative density).
    mutating func ellipse(centre c: LandmarkPoint, axis: (x: Double, y: Double), r1: Double, r2: Double,
                          fill: Double, rim: Double, rimWidthPx: Double) {
        let ext = max(r1, r2) + 2
        guard let (x0, x1, y0, y1) = box([LandmarkPoint(x: c.x - ext, y: c.y - ext), LandmarkPoint(x: c.x + ext, y: c.y + ext)], margin: 0) else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) - c.x, dy = Double(y) - c.y
                let a = (dx * axis.x + dy * axis.y) / r1, b = (-dx * axis.y + dy * axis.x) / r2
                let r = (a * a + b * b).squareRoot()
                // Distance to the outline in pixels, approximately (exact on the axes).
                let dIn = (1 - r) * min(r1, r2)
                guard dIn > -0.5 else { continue }
                let coverage = min(1, dIn + 0.5)
                let chord = max(0, 1 - r * r).squareRoot()
                att[y * width + x] += Float(coverage * (fill * chord + rim * exp(-max(dIn, 0) / rimWidthPx)))
            }
        }
    }

    /// A curved band (rib): cortical edges on both sides of a fainter marrow core.
    mutating func arcBand(centre c: LandmarkPoint, radius: Double, widthPx: Double, from a0: Double, to a1: Double,
                          fill: Double, rim: Double) {
        let ext = radius + widthPx
        guard let (x0, x1, y0, y1) = box([LandmarkPoint(x: c.x - ext, y: c.y - ext), LandmarkPoint(x: c.x + ext, y: c.y + ext)], margin: 0) else { return }
        let half = widthPx / 2
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) - c.x, dy = Double(y) - c.y
                let ang = atan2(dy, dx)
                guard ang >= a0, ang <= a1 else { continue }
                let d = abs((dx * dx + dy * dy).squareRoot() - radius)
                let dIn = half - d
                guard dIn > -0.5 else { continue }
                // Fade the ends so ribs do not stop with a hard cut.
                let t = (ang - a0) / (a1 - a0)
                let fade = min(1, min(t, 1 - t) * 8)
                att[y * width + x] += Float(min(1, dIn + 0.5) * fade * (fill + rim * exp(-max(dIn, 0) / 1.2)))
            }
        }
    }

    /// A solid rod (pedicle screw, connecting rod): metal saturates the detector.
    mutating func capsule(from a: LandmarkPoint, to b: LandmarkPoint, radius: Double, density: Double) {
        guard let (x0, x1, y0, y1) = box([a, b], margin: radius + 1) else { return }
        let vx = b.x - a.x, vy = b.y - a.y, len2 = max(vx * vx + vy * vy, 1e-9)
        for y in y0...y1 {
            for x in x0...x1 {
                let px = Double(x) - a.x, py = Double(y) - a.y
                let t = min(1, max(0, (px * vx + py * vy) / len2))
                let dx = px - t * vx, dy = py - t * vy
                let dIn = radius - (dx * dx + dy * dy).squareRoot()
                guard dIn > -0.5 else { continue }
                att[y * width + x] += Float(min(1, dIn + 0.5) * density)
            }
        }
    }
}

extension AttenuationCanvas {
    /// The outline of a vertebral body: corners joined by quadratic curves that bow inwards by `bows[k]` × edge length
    /// (concave anterior wall and endplates). The curves pass exactly through the corners, so landmarks stay exact.
    static func bowedOutline(_ corners: [LandmarkPoint], bows: [Double], samplesPerEdge: Int = 8) -> [LandmarkPoint] {
        let n = corners.count
        let cx = corners.map(\.x).reduce(0, +) / Double(n), cy = corners.map(\.y).reduce(0, +) / Double(n)
        var out: [LandmarkPoint] = []
        for k in 0..<n {
            let a = corners[k], b = corners[(k + 1) % n]
            let mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2
            // Control point pulled from the edge midpoint towards the centre; a quadratic Bézier reaches half of that pull.
            let len = a.distance(to: b)
            let tx = cx - mx, ty = cy - my, tl = max((tx * tx + ty * ty).squareRoot(), 1e-9)
            let ctrl = LandmarkPoint(x: mx + tx / tl * 2 * bows[k] * len, y: my + ty / tl * 2 * bows[k] * len)
            for s in 0..<samplesPerEdge {
                let t = Double(s) / Double(samplesPerEdge)
                let u = 1 - t
                out.append(LandmarkPoint(x: u * u * a.x + 2 * u * t * ctrl.x + t * t * b.x, y: u * u * a.y + 2 * u * t * ctrl.y + t * t * b.y))
            }
        }
        return out
    }

    /// A (possibly concave) polygonal body: fill thickest mid-depth along `anterior`, cortical rim at the outline.
    mutating func polygonBody(_ outline: [LandmarkPoint], centre: LandmarkPoint, anterior: (x: Double, y: Double), halfDepth: Double,
                              fillPerPx: Double, rimPeak: Double, rimWidthPx: Double, texture: [Float]?) {
        let xs = outline.map(\.x), ys = outline.map(\.y)
        let x0 = max(0, Int((xs.min()! - 2).rounded(.down))), x1 = min(width - 1, Int((xs.max()! + 2).rounded(.up)))
        let y0 = max(0, Int((ys.min()! - 2).rounded(.down))), y1 = min(height - 1, Int((ys.max()! + 2).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let n = outline.count
        for y in y0...y1 {
            let py = Double(y)
            for x in x0...x1 {
                let px = Double(x)
                var inside = false
                var d2 = Double.infinity
                var j = n - 1
                for i in 0..<n {
                    let a = outline[i], b = outline[j]
                    if (a.y > py) != (b.y > py), px < (b.x - a.x) * (py - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                    let vx = b.x - a.x, vy = b.y - a.y
                    let t = min(1, max(0, ((px - a.x) * vx + (py - a.y) * vy) / max(vx * vx + vy * vy, 1e-12)))
                    let dx = px - a.x - t * vx, dy = py - a.y - t * vy
                    d2 = min(d2, dx * dx + dy * dy)
                    j = i
                }
                let dIn = (inside ? 1 : -1) * d2.squareRoot()
                guard dIn > -0.5 else { continue }
                let coverage = min(1, dIn + 0.5)
                let u = ((px - centre.x) * anterior.x + (py - centre.y) * anterior.y) / halfDepth
                let chord = max(0, 1 - u * u).squareRoot()
                let tex = texture.map { Double($0[y * width + x]) } ?? 1
                att[y * width + x] += Float(coverage * (fillPerPx * (0.45 + 0.55 * chord) * tex + rimPeak * exp(-max(dIn, 0) / rimWidthPx)))
            }
        }
    }
}
