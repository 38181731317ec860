import Foundation

/// The random anatomy of one synthetic lateral spine: nine vertebral bodies (T10–S1) as quadrilaterals in pixel
/// coordinates, plus the structures that overlap them. The 36 landmarks are exactly the body corners.
struct PhantomAnatomy {
    /// One vertebral body: corners in schema order (anterior-superior, posterior-superior, posterior-inferior, anterior-inferior).
    struct Body {
        var corners: [LandmarkPoint]
        /// Unit vector pointing anteriorly and down the spine, for placing posterior elements.
        var anterior: (x: Double, y: Double)
        var down: (x: Double, y: Double)
        var depthPx: Double
        var heightPx: Double
        var centre: LandmarkPoint
        /// Inward bow of each edge as a fraction of its length: real bodies have a waist and concave endplates.
        var endplateBow = 0.02, posteriorBow = 0.015, anteriorBow = 0.04
    }
    struct Rib { var centre: LandmarkPoint; var radius: Double; var width: Double; var startAngle: Double; var endAngle: Double }
    struct Screw { var from: LandmarkPoint; var to: LandmarkPoint; var radius: Double }

    var bodies: [Body] = []
    /// S2–S4 below S1: fused, shrinking, curling forward; drawn but not annotated.
    var sacrum: [Body] = []
    var ribs: [Rib] = []
    /// Iliac wing: centre, radii and rotation, in pixels.
    var ilium: (centre: LandmarkPoint, rx: Double, ry: Double, angle: Double, strength: Double)?
    var screws: [Screw] = []
    /// Torso extent along x (anterior skin, posterior skin), pixels.
    var anteriorSkin: Double = 0, posteriorSkin: Double = 0

    static let levels = ["T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1"]
    // Typical adult body heights and AP depths (mm) and the disc below each level; S1 has no disc below.
    static let heightMM: [Double] = [22, 23, 24.5, 26, 27, 28, 28, 27, 25]
    static let depthMM: [Double] = [29, 31, 33, 36, 38, 40, 41, 41, 38]
    static let discMM: [Double] = [5.5, 6, 7, 8.5, 9.5, 10.5, 11, 10]

    /// Builds the spine. `spacing` mm/px; `lordosisDeg` the total angular swing of the lumbar curve;
    /// `rotationDeg` tilts the whole spine; `top` is where the T10 superior endplate centre lands.
    static func make(spacing: Double, scale: Double, lordosisDeg: Double, kyphosisDeg: Double, sacralSlopeDeg: Double,
                     rotationDeg: Double, top: LandmarkPoint, wedge: Double, rng: inout SeededRandom) -> PhantomAnatomy {
        var a = PhantomAnatomy()
        // Tangent angle per level relative to straight down; positive leans the next level posteriorly (+x).
        // Thoracolumbar kyphosis leans anteriorly at the top, lordosis swings back from L3 down, S1 tilts with the sacral slope.
        var phi: [Double] = []
        for i in 0..<9 {
            let deg: Double
            switch i {
            case 0...2: deg = -kyphosisDeg * Double(3 - i) / 3 - lordosisDeg * 0.5
            case 3...7: deg = lordosisDeg * (Double(i) - 5) / 4
            default: deg = sacralSlopeDeg
            }
            phi.append((deg + rotationDeg + rng.uniform(-2, 2)) * .pi / 180)
        }
        var centre = top
        for i in 0..<9 {
            let h = heightMM[i] * scale * rng.uniform(0.94, 1.06) / spacing
            let d = depthMM[i] * scale * rng.uniform(0.95, 1.05) / spacing
            let t = (x: sin(phi[i]), y: cos(phi[i]))
            let n = (x: -cos(phi[i]), y: sin(phi[i]))
            if i == 0 { centre = LandmarkPoint(x: top.x + t.x * h / 2, y: top.y + t.y * h / 2) }
            // Lower thoracic and L1 bodies are slightly wedged (shorter anteriorly); S1 narrows inferiorly.
            let w = (i <= 3 ? wedge : 0) * rng.uniform(0.5, 1.5)
            let ha = h * (1 - w), hp = h * (1 + w)
            let dInf = i == 8 ? d * 0.8 : d
            func p(_ along: Double, _ across: Double) -> LandmarkPoint {
                LandmarkPoint(x: centre.x + t.x * along + n.x * across, y: centre.y + t.y * along + n.y * across)
            }
            let corners = [p(-ha / 2, d / 2), p(-hp / 2, -d / 2), p(hp / 2, -dInf / 2), p(ha / 2, dInf / 2)]
            var body = Body(corners: corners, anterior: n, down: t, depthPx: d, heightPx: h, centre: centre)
            body.endplateBow = rng.uniform(0.01, 0.035)
            body.posteriorBow = rng.uniform(0.005, 0.025)
            body.anteriorBow = rng.uniform(0.02, 0.06)
            a.bodies.append(body)
            if i < 8 {
                let disc = discMM[i] * scale * rng.uniform(0.8, 1.2) / spacing
                let hn = heightMM[i + 1] * scale / spacing
                let mid = (phi[i] + phi[i + 1]) / 2
                let step = h / 2 + disc + hn / 2
                centre = LandmarkPoint(x: centre.x + sin(mid) * step, y: centre.y + cos(mid) * step)
            }
        }
        // The sacrum continues below S1 with no discs, each segment smaller and tilted further (sacral kyphosis).
        var prev = a.bodies[8]
        var angle = phi[8]
        for k in 0..<3 {
            angle += rng.uniform(6, 14) * .pi / 180
            let shrink = [0.78, 0.62, 0.48][k]
            let h = PhantomAnatomy.heightMM[8] * scale * shrink / spacing, d = PhantomAnatomy.depthMM[8] * scale * shrink / spacing
            let t = (x: sin(angle), y: cos(angle)), n = (x: -cos(angle), y: sin(angle))
            let gap = 1.5 * scale / spacing
            let step = prev.heightPx / 2 + gap + h / 2
            // Keep the posterior (canal) side roughly continuous: shift the segment back as it narrows.
            let shiftBack = (prev.depthPx - d) / 2
            let c = LandmarkPoint(x: prev.centre.x + t.x * step - n.x * shiftBack, y: prev.centre.y + t.y * step - n.y * shiftBack)
            func p(_ along: Double, _ across: Double) -> LandmarkPoint {
                LandmarkPoint(x: c.x + t.x * along + n.x * across, y: c.y + t.y * along + n.y * across)
            }
            let corners = [p(-h / 2, d / 2), p(-h / 2, -d / 2), p(h / 2, -d * 0.4), p(h / 2, d * 0.4)]
            let seg = Body(corners: corners, anterior: n, down: t, depthPx: d, heightPx: h, centre: c)
            a.sacrum.append(seg)
            prev = seg
        }
        return a
    }

    var landmarks: [LandmarkPoint] { bodies.flatMap(\.corners) }
}
