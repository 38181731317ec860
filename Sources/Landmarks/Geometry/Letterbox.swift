import Foundation

/// Fits an image into the network input without distorting it: uniform scale, centred, padded.
/// The recorded transform maps original pixels to input pixels; its inverse maps predictions back exactly.
public struct Letterbox: Sendable, Equatable, Codable {
    public var sourceWidth: Int, sourceHeight: Int
    public var targetWidth: Int, targetHeight: Int
    /// Original pixel coordinates → input pixel coordinates.
    public var transform: AffineTransform

    public init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && targetWidth > 0 && targetHeight > 0, "Letterbox: empty size")
        self.sourceWidth = sourceWidth; self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth; self.targetHeight = targetHeight
        let s = min(Double(targetWidth) / Double(sourceWidth), Double(targetHeight) / Double(sourceHeight))
        // Work in edge coordinates (pixel centre at +0.5) so the content's outer edges, not its centres, are centred.
        let padX = (Double(targetWidth) - s * Double(sourceWidth)) / 2
        let padY = (Double(targetHeight) - s * Double(sourceHeight)) / 2
        transform = AffineTransform(a: s, b: 0, c: 0, d: s, tx: 0.5 * s + padX - 0.5, ty: 0.5 * s + padY - 0.5)
    }

    public var scale: Double { transform.a }

    public func toInput(_ p: LandmarkPoint) -> LandmarkPoint { transform.apply(p) }
    public func toOriginal(_ p: LandmarkPoint) -> LandmarkPoint { transform.inverted.apply(p) }
}

/// Relation between the network input grid and its heatmap grid (stride s): heatmap pixel j covers input pixels s·j … s·j+s−1.
public enum HeatmapGrid {
    public static func inputToHeatmap(stride s: Int) -> AffineTransform {
        let f = 1 / Double(s)
        return AffineTransform(a: f, b: 0, c: 0, d: f, tx: 0.5 * f - 0.5, ty: 0.5 * f - 0.5)
    }
}
