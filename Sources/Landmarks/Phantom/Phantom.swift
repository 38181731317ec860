import ContrastProtocols
import Foundation
import XRayIngest

/// Synthetic lateral lumbar spine radiographs with exact ground truth for `spine-lateral-36`.
///
/// Physics, simplified but in the right order: attenuation line integrals of soft tissue, bowel gas, vertebral
/// bodies (trabecular fill with texture, cortical rim), discs, posterior elements, ribs, iliac wings and metal;
/// a detector blur; a heel-effect exposure gradient; Poisson-like quantum noise; a log transform so bone is
/// bright; then quantisation to 12–16 bits, MONOCHROME1 or 2. Every random choice comes from the seed.
public struct Phantom: Sendable {
    /// Probabilities and ranges; the defaults give a varied but mostly ordinary set.
    public struct Options: Sendable, Codable, Equatable {
        public var rows: Int = 512
        public var columns: Int = 384
        public var cutOffProbability = 0.15
        public var overlapProbability = 0.2
        public var metalProbability = 0.1
        public var strongCurvatureProbability = 0.15
        public var lowDoseProbability = 0.15
        public var monochrome1Probability = 0.35
        public var bitsStored: [Int] = [12, 14, 16]
        /// Explicit VR LE, JPEG lossless SV1, RLE, deflated: all lossless, so the truth survives the file.
        public var transferSyntaxes: [String] = ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.1.99"]
        public init(rows: Int = 512, columns: Int = 384) { self.rows = rows; self.columns = columns }
    }

    public var options: Options
    public init(options: Options = Options()) { self.options = options }

    public static let schemaName = "spine-lateral-36"
    static var landmarkNames: [String] {
        PhantomAnatomy.levels.flatMap { l in ["anterior_superior", "posterior_superior", "posterior_inferior", "anterior_inferior"].map { "\(l)_\($0)" } }
    }

    /// Renders image `index` of the set generated from `seed`; the same pair always gives the same image.
    public func render(index: Int, seed: UInt64) -> PhantomImage {
        let caseSeed = SeededRandom.deriveSeed(seed, UInt64(index))
        var rng = SeededRandom(seed: caseSeed)
        let rows = options.rows, cols = options.columns
        var hard: [PhantomHardCase] = []
        let cut = rng.chance(options.cutOffProbability), overlap = rng.chance(options.overlapProbability)
        let metal = rng.chance(options.metalProbability), strong = rng.chance(options.strongCurvatureProbability)
        let lowDose = rng.chance(options.lowDoseProbability)
        if cut { hard.append(.cutOff) }
        if overlap { hard.append(.overlap) }
        if metal { hard.append(.metal) }
        if strong { hard.append(.strongCurvature) }
        if lowDose { hard.append(.lowDose) }

        // Size the field of view from the spine's length so ordinary images contain it and cut-off ones do not.
        let scale = rng.uniform(0.85, 1.15)
        let spineMM = (PhantomAnatomy.heightMM.reduce(0, +) + PhantomAnatomy.discMM.reduce(0, +)) * scale
        let fovMM = spineMM * (cut ? rng.uniform(0.7, 0.9) : rng.uniform(1.12, 1.4))
        let spacing = fovMM / Double(rows)
        let spinePx = spineMM / spacing
        var topY = (Double(rows) - spinePx) / 2 + rng.uniform(-0.04, 0.04) * Double(rows)
        if cut { topY += (rng.chance(0.5) ? -1 : 1) * rng.uniform(0.15, 0.3) * spinePx }
        let top = LandmarkPoint(x: Double(cols) * rng.uniform(0.48, 0.6), y: topY)
        let lordosis = strong ? rng.uniform(45, 65) : rng.uniform(15, 35)
        let rotation = strong ? rng.uniform(-14, 14) : rng.uniform(-6, 6)
        let anatomy = PhantomAnatomy.make(spacing: spacing, scale: scale, lordosisDeg: lordosis, kyphosisDeg: rng.uniform(3, 12),
                                          sacralSlopeDeg: rng.uniform(30, 48), rotationDeg: rotation, top: top,
                                          wedge: rng.uniform(0.02, 0.08), rng: &rng)

        var canvas = AttenuationCanvas(width: cols, height: rows, spacing: spacing)
        drawSoftTissue(&canvas, anatomy: anatomy, rng: &rng)
        let texture = trabecularTexture(width: cols, height: rows, rng: &rng)
        drawSpine(&canvas, anatomy: anatomy, texture: texture)
        drawSacrumAndHips(&canvas, anatomy: anatomy, texture: texture, rng: &rng)
        drawRibsAndPelvis(&canvas, anatomy: anatomy, dense: overlap, rng: &rng)
        if metal { drawImplant(&canvas, anatomy: anatomy, rng: &rng) }

        let photons = lowDose ? rng.uniform(60, 200) : rng.uniform(1500, 5000)
        let bits = options.bitsStored[Int(rng.next() % UInt64(options.bitsStored.count))]
        let mono1 = rng.chance(options.monochrome1Probability)
        let syntax = options.transferSyntaxes[Int(rng.next() % UInt64(options.transferSyntaxes.count))]
        let magnification: Double? = rng.chance(0.4) ? rng.uniform(1.08, 1.2) : nil
        let (stored, wc, ww) = expose(canvas, photons: photons, bits: bits, mono1: mono1, rng: &rng)

        let names = Self.landmarkNames
        var landmarks: [LandmarkPoint?] = []
        var absent: [String] = []
        for (k, p) in anatomy.landmarks.enumerated() {
            let inside = p.x >= -0.5 && p.y >= -0.5 && p.x <= Double(cols) - 0.5 && p.y <= Double(rows) - 0.5
            landmarks.append(inside ? p : nil)
            if !inside { absent.append(names[k]) }
        }
        let info = PhantomCase(id: String(format: "phantom-%05d", index), seed: caseSeed, rows: rows, columns: cols,
                               spacingMM: spacing, spacingAttribute: magnification == nil ? "PixelSpacing" : "ImagerPixelSpacing",
                               magnificationFactor: magnification, photometric: mono1 ? .monochrome1 : .monochrome2,
                               bitsStored: bits, transferSyntaxUID: syntax, hardCases: hard, absentLandmarks: absent,
                               lordosisDeg: lordosis, rotationDeg: rotation, scale: scale, photonsPerPixel: photons)
        return PhantomImage(info: info, stored: stored, landmarks: landmarks, windowCenter: wc, windowWidth: ww)
    }

    // MARK: anatomy → attenuation

    private func drawSoftTissue(_ c: inout AttenuationCanvas, anatomy: PhantomAnatomy, rng: inout SeededRandom) {
        let sp = c.spacing
        let spineX = anatomy.bodies.map(\.centre.x).reduce(0, +) / Double(anatomy.bodies.count)
        let depth = anatomy.bodies[5].depthPx
        // Abdomen in front (−x), back muscles behind; the torso's left-right thickness gives the chord.
        let anterior = spineX - depth / 2 - rng.uniform(110, 190) / sp
        let posterior = spineX + depth / 2 + rng.uniform(55, 85) / sp
        let mid = (anterior + posterior) / 2, half = (posterior - anterior) / 2
        let thicknessMM = rng.uniform(240, 330)
        let mu = 0.0035 // per mm: a compressed dynamic range, as processed radiographs show it
        for x in 0..<c.width {
            let u = (Double(x) - mid) / half
            guard abs(u) < 1 else { continue }
            let v = Float(mu * thicknessMM * (1 - u * u).squareRoot())
            for y in 0..<c.height { c.att[y * c.width + x] += v }
        }
        // Bowel gas: soft dark pockets in the abdomen, which the detector must not take for disc spaces.
        for _ in 0..<Int(rng.uniform(3, 8)) {
            let centre = LandmarkPoint(x: rng.uniform(anterior + 20 / sp, spineX - depth), y: rng.uniform(0, Double(c.height)))
            let a = rng.uniform(0, .pi)
            c.ellipse(centre: centre, axis: (cos(a), sin(a)), r1: rng.uniform(10, 35) / sp, r2: rng.uniform(6, 18) / sp,
                      fill: -rng.uniform(0.04, 0.12), rim: 0, rimWidthPx: 1)
        }
    }

    private func trabecularTexture(width: Int, height: Int, rng: inout SeededRandom) -> [Float] {
        var noise = [Float](repeating: 0, count: width * height)
        for i in noise.indices { noise[i] = Float(rng.gaussian()) }
        // Trabeculae in vertebral bodies run mostly vertically: blur more along y than x.
        let t = GaussianBlur.blur(noise, width: width, height: height, sigmaX: 1.0, sigmaY: 2.2, border: .renormalize)
        var sd: Float = 0
        for v in t { sd += v * v }
        sd = (sd / Float(max(t.count, 1))).squareRoot()
        return t.map { 1 + 0.18 * $0 / max(sd, 1e-6) }
    }

    private func drawSpine(_ c: inout AttenuationCanvas, anatomy: PhantomAnatomy, texture: [Float]) {
        let sp = c.spacing
        for (i, b) in anatomy.bodies.enumerated() {
            // Corner order AS, PS, PI, AI: edge 1 (PS→PI) is posterior, edge 3 (AI→AS) anterior.
            let fill = 0.0055 * b.depthPx * sp
            // Edges in corner order: superior endplate, posterior wall, inferior endplate, anterior wall (the most concave).
            let outline = AttenuationCanvas.bowedOutline(b.corners, bows: [b.endplateBow, b.posteriorBow, b.endplateBow, b.anteriorBow])
            c.polygonBody(outline, centre: b.centre, anterior: b.anterior, halfDepth: b.depthPx / 2,
                          fillPerPx: fill, rimPeak: 0.24, rimWidthPx: 1.0 / sp, texture: texture)
            // Posterior elements: pedicle/articular mass and the spinous process, fainter than the body.
            let post = LandmarkPoint(x: (b.corners[1].x + b.corners[2].x) / 2, y: (b.corners[1].y + b.corners[2].y) / 2)
            let back = (x: -b.anterior.x, y: -b.anterior.y)
            let ped = LandmarkPoint(x: post.x + back.x * 0.3 * b.depthPx - b.down.x * 0.15 * b.heightPx,
                                    y: post.y + back.y * 0.3 * b.depthPx - b.down.y * 0.15 * b.heightPx)
            c.ellipse(centre: ped, axis: back, r1: 0.32 * b.depthPx, r2: 0.3 * b.heightPx, fill: 0.10, rim: 0.06, rimWidthPx: 1 / sp)
            if i < 8 {
                let spin = LandmarkPoint(x: post.x + back.x * 0.95 * b.depthPx + b.down.x * 0.3 * b.heightPx,
                                         y: post.y + back.y * 0.95 * b.depthPx + b.down.y * 0.3 * b.heightPx)
                let tilt = (x: back.x * 0.9 + b.down.x * 0.44, y: back.y * 0.9 + b.down.y * 0.44)
                let n = (tilt.x * tilt.x + tilt.y * tilt.y).squareRoot()
                c.ellipse(centre: spin, axis: (tilt.x / n, tilt.y / n), r1: 0.42 * b.depthPx, r2: 0.14 * b.heightPx,
                          fill: 0.08, rim: 0.05, rimWidthPx: 1 / sp)
            }
            if i + 1 < anatomy.bodies.count {
                // The disc: a little denser than the surrounding soft tissue.
                let n = anatomy.bodies[i + 1]
                c.convexBody([b.corners[3], b.corners[2], n.corners[1], n.corners[0]], fillPerPx: 0.0025 * b.depthPx * sp,
                             rimPeak: 0, rimWidthPx: 1, anteriorEdge: 3, posteriorEdge: 1, texture: nil)
            }
        }
    }

    private func drawSacrumAndHips(_ c: inout AttenuationCanvas, anatomy: PhantomAnatomy, texture: [Float], rng: inout SeededRandom) {
        let sp = c.spacing
        for seg in anatomy.sacrum {
            let outline = AttenuationCanvas.bowedOutline(seg.corners, bows: [0.01, 0.01, 0.01, 0.03])
            c.polygonBody(outline, centre: seg.centre, anterior: seg.anterior, halfDepth: seg.depthPx / 2,
                          fillPerPx: 0.004 * seg.depthPx * sp, rimPeak: 0.16, rimWidthPx: 1.0 / sp, texture: texture)
        }
        // Femoral heads: two overlapping discs in front of and below the sacrum, as a lateral view superimposes them.
        guard let s2 = anatomy.sacrum.first else { return }
        let base = LandmarkPoint(x: s2.centre.x + s2.anterior.x * rng.uniform(40, 70) / sp,
                                 y: s2.centre.y + rng.uniform(35, 60) / sp)
        for _ in 0..<2 {
            let r = rng.uniform(22, 27) / sp
            let centre = LandmarkPoint(x: base.x + rng.uniform(-6, 6) / sp, y: base.y + rng.uniform(-6, 6) / sp)
            c.ellipse(centre: centre, axis: (1, 0), r1: r, r2: r, fill: 0.12, rim: 0.08, rimWidthPx: 1.5 / sp)
        }
    }

    private func drawRibsAndPelvis(_ c: inout AttenuationCanvas, anatomy: PhantomAnatomy, dense: Bool, rng: inout SeededRandom) {
        let sp = c.spacing
        // Lower ribs leave the T10–T12 region curving down and forward; both sides overlap in a lateral view.
        let ribCount = dense ? Int(rng.uniform(4, 7)) : Int(rng.uniform(1, 4))
        for r in 0..<ribCount {
            let level = anatomy.bodies[min(2, r / 2)]
            let radius = rng.uniform(120, 200) / sp
            let centre = LandmarkPoint(x: level.centre.x - rng.uniform(40, 90) / sp, y: level.centre.y - radius * rng.uniform(0.6, 0.95))
            let a0 = rng.uniform(0.4, 0.9), a1 = a0 + rng.uniform(0.5, 0.9)
            c.arcBand(centre: centre, radius: radius, widthPx: rng.uniform(8, 13) / sp, from: a0, to: a1,
                      fill: dense ? 0.06 : 0.035, rim: dense ? 0.09 : 0.05)
        }
        // Iliac wings project over L4–S1.
        let s1 = anatomy.bodies[8], l5 = anatomy.bodies[7]
        let centre = LandmarkPoint(x: (s1.centre.x + l5.centre.x) / 2 + rng.uniform(-10, 25) / sp,
                                   y: (s1.centre.y + l5.centre.y) / 2 + rng.uniform(0, 25) / sp)
        let a = rng.uniform(-0.5, 0.3)
        c.ellipse(centre: centre, axis: (cos(a), sin(a)), r1: rng.uniform(70, 95) / sp, r2: rng.uniform(45, 65) / sp,
                  fill: dense ? 0.16 : 0.07, rim: dense ? 0.12 : 0.06, rimWidthPx: 2 / sp)
    }

    private func drawImplant(_ c: inout AttenuationCanvas, anatomy: PhantomAnatomy, rng: inout SeededRandom) {
        let sp = c.spacing
        let first = 3 + Int(rng.next() % 3)
        let levels = first...min(first + Int(rng.uniform(1, 3)), 7)
        var heads: [LandmarkPoint] = []
        for i in levels {
            let b = anatomy.bodies[i]
            // Screw from behind the pedicle into the body, slightly converging.
            let post = LandmarkPoint(x: (b.corners[1].x + b.corners[2].x) / 2, y: (b.corners[1].y + b.corners[2].y) / 2)
            let head = LandmarkPoint(x: post.x - b.anterior.x * 0.45 * b.depthPx, y: post.y - b.anterior.y * 0.45 * b.depthPx)
            let tip = LandmarkPoint(x: post.x + b.anterior.x * 0.75 * b.depthPx, y: post.y + b.anterior.y * 0.75 * b.depthPx)
            c.capsule(from: head, to: tip, radius: 3.2 / sp, density: 2.5)
            heads.append(head)
        }
        for (h0, h1) in zip(heads, heads.dropFirst()) { c.capsule(from: h0, to: h1, radius: 2.8 / sp, density: 2.5) }
    }

    // MARK: detector

    /// Blur, heel effect, quantum noise, log, quantisation. Returns stored values and a P1–P99 window.
    private func expose(_ c: AttenuationCanvas, photons: Double, bits: Int, mono1: Bool,
                        rng: inout SeededRandom) -> ([UInt16], Double, Double) {
        let att = GaussianBlur.blur(c.att, width: c.width, height: c.height, sigma: 0.7, border: .renormalize)
        let heel = rng.uniform(-0.35, 0.35), side = rng.uniform(-0.1, 0.1)
        var logImage = [Float](repeating: 0, count: att.count)
        for y in 0..<c.height {
            let gy = 1 + heel * (Double(y) / Double(c.height) - 0.5)
            for x in 0..<c.width {
                let i = y * c.width + x
                let exposure = photons * gy * (1 + side * (Double(x) / Double(c.width) - 0.5))
                let mean = exposure * exp(-Double(att[i]))
                let counts = max(1, mean + mean.squareRoot() * rng.gaussian())
                logImage[i] = Float(log(photons / counts))
            }
        }
        var sample = Swift.stride(from: 0, to: logImage.count, by: max(1, logImage.count / 40000)).map { logImage[$0] }
        sample.sort()
        let lo = Double(sample[Int(Double(sample.count - 1) * 0.001)]), hi = Double(sample[Int(Double(sample.count - 1) * 0.999)])
        let maxV = Double((1 << bits) - 1)
        let gain = 0.9 * maxV / max(hi - lo, 1e-6)
        var stored = [UInt16](repeating: 0, count: logImage.count)
        var values = [Double]()
        values.reserveCapacity(sample.count)
        for i in logImage.indices {
            var v = (Double(logImage[i]) - lo) * gain + 0.05 * maxV
            v = min(max(v.rounded(), 0), maxV)
            if mono1 { v = maxV - v }
            stored[i] = UInt16(v)
        }
        for s in sample {
            var v = min(max(((Double(s) - lo) * gain + 0.05 * maxV).rounded(), 0), maxV)
            if mono1 { v = maxV - v }
            values.append(v)
        }
        values.sort()
        let p1 = values[Int(Double(values.count - 1) * 0.01)], p99 = values[Int(Double(values.count - 1) * 0.99)]
        return (stored, ((p1 + p99) / 2 * 10).rounded() / 10, ((p99 - p1) * 10).rounded() / 10)
    }
}
