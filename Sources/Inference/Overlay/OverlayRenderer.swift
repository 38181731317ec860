import Foundation
import Landmarks
import XRayIngest

/// Draws predictions over the protocol image the network saw (on the grid the protocol ran on): skeleton edges
/// between present landmarks, filled discs for present landmarks, rings for absent ones at their best guess.
public enum OverlayRenderer {
    public static func render(_ prepared: PreparedInput, prediction: ImagePrediction, schema: LandmarkSchema) -> RGBImage {
        let base = prepared.protocolImage
        var canvas = RGBCanvas(RGBImage(gray: base.pixels, width: base.width, height: base.height))
        // Marks scale with the image so they stay visible on large radiographs and small on thumbnails.
        let radius = max(2, Double(min(base.width, base.height)) / 120)
        let points = prediction.landmarks.map { prepared.toProtocolImage.apply(LandmarkPoint(x: $0.x, y: $0.y)) }
        for (a, b) in schema.edges where a < points.count && b < points.count {
            guard prediction.landmarks[a].present, prediction.landmarks[b].present else { continue }
            canvas.line(from: (points[a].x, points[a].y), to: (points[b].x, points[b].y), width: max(1, radius / 2), color: .edge)
        }
        for (l, p) in zip(prediction.landmarks, points) {
            if l.present {
                canvas.disc(cx: p.x, cy: p.y, radius: radius, color: .present)
            } else {
                canvas.disc(cx: p.x, cy: p.y, radius: radius, inner: radius * 0.6, color: .absent)
            }
        }
        return canvas.image
    }
}
