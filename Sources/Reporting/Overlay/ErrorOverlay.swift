import Inference
import Landmarks
import XRayIngest

/// Draws one evaluated image: ground truth, prediction and the error between them, over the protocol image the
/// network saw. Colours: ground truth green rings, detections filled (cyan within tolerance, orange misses),
/// yellow error lines, false negatives a red ring at the truth, false positives a magenta disc.
public enum ErrorOverlay {
    static let truthColor = RGBColor(60, 220, 60)
    static let hit = RGBColor(40, 200, 230)
    static let miss = RGBColor(255, 150, 0)
    static let errorLine = RGBColor(255, 235, 40)
    static let falseNegative = RGBColor(235, 30, 30)
    static let falsePositive = RGBColor(230, 60, 220)

    /// `truth` and `predictions` are in original pixels; `prepared.toProtocolImage` maps them onto the drawing.
    public static func render(_ prepared: PreparedInput, truth: [LandmarkPoint?], predictions: [PredictedLandmark],
                              outcomes: [LandmarkOutcome]) -> RGBImage {
        let source = prepared.protocolImage
        // Small protocol images are enlarged (nearest neighbour) so the marks stay legible in the report.
        let f = max(1, Int((Double(minimumSide) / Double(max(1, max(source.width, source.height)))).rounded(.up)))
        let base = enlarged(source, by: f)
        var canvas = RGBCanvas(RGBImage(gray: base.pixels, width: base.width, height: base.height))
        let radius = max(3, Double(min(base.width, base.height)) / 50)
        // Pixel centre i of the protocol grid is the centre of block i in the enlarged one: i·f + (f − 1)/2.
        let map = { (p: LandmarkPoint) -> LandmarkPoint in
            let q = prepared.toProtocolImage.apply(p)
            return LandmarkPoint(x: q.x * Double(f) + Double(f - 1) / 2, y: q.y * Double(f) + Double(f - 1) / 2)
        }
        for (k, outcome) in outcomes.enumerated() where k < predictions.count && k < truth.count {
            let pred = map(LandmarkPoint(x: predictions[k].x, y: predictions[k].y))
            switch outcome.kind {
            case .hit, .miss, .unjudged:
                guard let t = truth[k].map(map) else { continue }
                canvas.line(from: (t.x, t.y), to: (pred.x, pred.y), width: max(1, radius / 2.5), color: errorLine)
                canvas.disc(cx: t.x, cy: t.y, radius: radius, inner: radius * 0.55, color: truthColor)
                canvas.disc(cx: pred.x, cy: pred.y, radius: radius * 0.7, color: outcome.kind == .miss ? miss : hit)
            case .falseNegative:
                guard let t = truth[k].map(map) else { continue }
                canvas.disc(cx: t.x, cy: t.y, radius: radius * 1.4, inner: radius * 0.9, color: falseNegative)
            case .falsePositive:
                canvas.disc(cx: pred.x, cy: pred.y, radius: radius * 0.8, color: falsePositive)
            case .trueNegative:
                continue
            }
        }
        return canvas.image
    }

    /// Longest side an overlay is enlarged to at least.
    static let minimumSide = 360

    static func enlarged(_ image: GrayImage, by f: Int) -> GrayImage {
        guard f > 1 else { return image }
        let w = image.width * f, h = image.height * f
        var out = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            let row = (y / f) * image.width
            for x in 0..<w { out[y * w + x] = image.pixels[row + x / f] }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }

}
