import Foundation
import XRayIngest

/// An image made ready for cutting refinement patches: the calibrated image block-reduced to about the
/// patch resolution, then put through a contrast protocol once, so all K patches of an image share one
/// protocol pass (and its image-wide statistics, as the first stage's input does).
public struct RefinementImage: Sendable {
    /// The protocol output on the reduced grid.
    public var image: GrayImage
    /// Original pixels → `image` pixels.
    public var fromOriginal: AffineTransform

    public init(image: GrayImage, fromOriginal: AffineTransform) {
        self.image = image; self.fromOriginal = fromOriginal
    }

    /// Reduces `xray` by `PatchWindow.reductionFactor(pixelSize:)` and applies `contrast` to the result.
    public init(xray: XRayImage, pixelSize: Double, contrast: (XRayImage) throws -> GrayImage) rethrows {
        let factor = PatchWindow.reductionFactor(pixelSize: pixelSize)
        image = try contrast(BlockDownsample.apply(xray, factor: factor))
        fromOriginal = BlockDownsample.transform(factor: factor)
    }

    public func patch(_ window: PatchWindow, fill: Float = 0) -> GrayImage {
        window.cut(image, imageFromOriginal: fromOriginal, fill: fill)
    }
}
