import Foundation

/// A square window of the original image around one point: what the refinement stage looks at.
///
/// The window is `size` patch pixels wide, each covering `pixelSize` original pixels, optionally rotated
/// (training augmentation). `center` lands exactly on the patch's geometric centre, (size − 1) / 2, so a
/// prediction at the patch centre maps back to `center` without a half-pixel bias.
public struct PatchWindow: Sendable, Equatable, Codable {
    /// Original pixels.
    public var center: LandmarkPoint
    public var size: Int
    /// Original pixels per patch pixel.
    public var pixelSize: Double
    /// Radians, the same sense as `AffineTransform.rotation`.
    public var rotation: Double

    public init(center: LandmarkPoint, size: Int, pixelSize: Double, rotation: Double = 0) {
        precondition(size > 0 && pixelSize > 0, "PatchWindow: size and pixel size must be positive")
        self.center = center; self.size = size; self.pixelSize = pixelSize; self.rotation = rotation
    }

    /// Original pixels → patch pixels.
    public var transform: AffineTransform {
        let mid = Double(size - 1) / 2
        return AffineTransform.translation(-center.x, -center.y)
            .then(.rotation(rotation, about: LandmarkPoint(x: 0, y: 0)))
            .then(.scale(1 / pixelSize, 1 / pixelSize))
            .then(.translation(mid, mid))
    }

    public func toPatch(_ p: LandmarkPoint) -> LandmarkPoint { transform.apply(p) }
    public func toOriginal(_ p: LandmarkPoint) -> LandmarkPoint { transform.inverted.apply(p) }

    /// Cuts the window out of `image`, whose pixels sit on `imageFromOriginal`'s grid (for example the
    /// block-reduced grid a contrast protocol ran on). Outside the image the patch gets `fill`.
    ///
    /// No anti-aliasing blur: it would filter the whole source image for every patch, and the refinement
    /// stage reads an image already reduced to within a factor of two of the patch resolution.
    public func cut(_ image: GrayImage, imageFromOriginal: AffineTransform, fill: Float = 0) -> GrayImage {
        ImageWarp.warp(image, transform: imageFromOriginal.inverted.then(transform), outWidth: size, outHeight: size,
                       fill: fill, antialias: false)
    }

    /// The integer block factor to reduce an image by before cutting windows of `pixelSize`: the largest that
    /// still keeps at least one reduced pixel per patch pixel.
    public static func reductionFactor(pixelSize: Double) -> Int { max(1, Int((pixelSize + 1e-9).rounded(.down))) }
}

extension PatchWindow {
    /// The landmark a patch network's heatmap channel shows, in original pixels; nil when the channel's peak
    /// is below `codec.threshold`. `stride` is the patch network's heatmap stride.
    public func landmark(in channel: UnsafeBufferPointer<Float>, codec: HeatmapCodec, stride: Int) -> LandmarkPoint? {
        let d = codec.decodeChannel(channel)
        guard d.present else { return nil }
        return toOriginal(HeatmapGrid.inputToHeatmap(stride: stride).inverted.apply(d.point))
    }
}
