import ContrastProtocols
import Foundation
import Landmarks
import XRayIngest

/// One image made ready for the network, plus what is needed to map its heatmaps back and draw its overlay.
public struct PreparedInput: Sendable {
    /// inputHeight × inputWidth, [0,1], 1 channel.
    public var input: GrayImage
    /// Original pixels → input pixels.
    public var letterbox: Letterbox
    public var width: Int
    public var height: Int
    public var spacing: PixelSpacing?
    /// The protocol output on the (possibly block-reduced) grid the protocol ran on, for overlays.
    public var protocolImage: GrayImage
    /// Original pixels → `protocolImage` pixels.
    public var toProtocolImage: Landmarks.AffineTransform
    /// The image the refinement stage cuts its patches from; nil for a one-stage model.
    public var refinementImage: RefinementImage?
}

/// The evaluation path of the training pipeline (`SamplePipeline` without augmentation): block-reduce the
/// calibrated image to near the input resolution, run the contrast protocol, letterbox into the input.
/// Inference must see images exactly as validation did, so the reduction rule and fill are the same.
public struct InputPreparer: Sendable, Equatable {
    public var contrastProtocol: ContrastProtocol
    public var inputWidth: Int
    public var inputHeight: Int
    /// Same meaning and default as `SampleConfig.protocolOversampling`.
    public var protocolOversampling: Double
    public var fill: Float
    /// The refinement stage's original pixels per patch pixel; nil for a one-stage model.
    public var refinementPixelSize: Double?

    public init(contrastProtocol: ContrastProtocol, inputWidth: Int, inputHeight: Int,
                protocolOversampling: Double = SampleConfig().protocolOversampling, fill: Float = SampleConfig().fill,
                refinementPixelSize: Double? = nil) {
        self.contrastProtocol = contrastProtocol; self.inputWidth = inputWidth; self.inputHeight = inputHeight
        self.protocolOversampling = protocolOversampling; self.fill = fill; self.refinementPixelSize = refinementPixelSize
    }

    public func prepare(_ xray: XRayImage) -> PreparedInput {
        let letterbox = Letterbox(sourceWidth: xray.columns, sourceHeight: xray.rows, targetWidth: inputWidth, targetHeight: inputHeight)
        let factor = protocolOversampling > 0
            ? max(1, Int((1 / (letterbox.scale * protocolOversampling) - 1e-9).rounded(.up))) : 1
        let processed = contrastProtocol.apply(to: BlockDownsample.apply(xray, factor: factor))
        let gray = GrayImage(width: processed.columns, height: processed.rows, pixels: processed.pixels)
        let toReduced = BlockDownsample.transform(factor: factor)
        let input = ImageWarp.warp(gray, transform: toReduced.inverted.then(letterbox.transform),
                                   outWidth: inputWidth, outHeight: inputHeight, fill: fill)
        // The refinement stage reads the protocol at its own resolution; when that is the first stage's grid
        // (small images), the image already made serves both.
        let refinement = refinementPixelSize.map { size -> RefinementImage in
            guard PatchWindow.reductionFactor(pixelSize: size) != factor else {
                return RefinementImage(image: gray, fromOriginal: toReduced)
            }
            return RefinementImage(xray: xray, pixelSize: size) { reduced in
                let out = contrastProtocol.apply(to: reduced)
                return GrayImage(width: out.columns, height: out.rows, pixels: out.pixels)
            }
        }
        return PreparedInput(input: input, letterbox: letterbox, width: xray.columns, height: xray.rows, spacing: xray.spacing,
                             protocolImage: gray, toProtocolImage: toReduced, refinementImage: refinement)
    }
}
