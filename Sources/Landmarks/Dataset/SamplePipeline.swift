import Foundation
import XRayIngest

/// Network input geometry and target settings.
public struct SampleConfig: Sendable, Codable, Equatable {
    public var inputWidth: Int = 256
    public var inputHeight: Int = 256
    /// Input pixels per heatmap pixel (4 for the reference FPN head).
    public var heatmapStride: Int = 4
    /// Gaussian sigma in heatmap pixels.
    public var sigma: Double = 2
    public var threshold: Float = 0.5
    public var refinement: HeatmapCodec.Refinement = .dark
    /// Value of letterbox padding and of pixels moved in from outside (0 = black, no attenuation).
    public var fill: Float = 0
    /// Protocols run on the image area-averaged down to at most this many times the input resolution
    /// (an integer factor); 0 runs them at full resolution. Saves most of the per-sample work on large radiographs.
    public var protocolOversampling: Double = 2
    /// Loss mask of landmarks the annotation lacks or augmentation pushed out of the crop (docs/CONVENTIONS.md: trained).
    public var absentLandmarks: AbsentLandmarkPolicy = .train

    public init(inputWidth: Int = 256, inputHeight: Int = 256, heatmapStride: Int = 4, sigma: Double = 2) {
        self.inputWidth = inputWidth; self.inputHeight = inputHeight; self.heatmapStride = heatmapStride; self.sigma = sigma
    }

    public var heatmapWidth: Int { inputWidth / heatmapStride }
    public var heatmapHeight: Int { inputHeight / heatmapStride }
    public var codec: HeatmapCodec {
        HeatmapCodec(width: heatmapWidth, height: heatmapHeight, sigma: sigma, threshold: threshold, refinement: refinement)
    }
}

/// One network-ready sample.
public struct TrainingSample: Sendable {
    public var id: String
    /// inputHeight × inputWidth, [0,1].
    public var image: GrayImage
    public var target: HeatmapTarget
    /// Original pixels → input pixels (with augmentation, if any).
    public var transform: SpatialTransform
    /// Landmarks in the input grid (nil = absent or pushed out of the crop).
    public var inputLandmarks: [LandmarkPoint?]
    /// The annotation in the original image's pixels, for metrics after `decodeToOriginal`.
    public var originalLandmarks: [LandmarkPoint?]
    /// mm per pixel of the original image; nil = none (metrics in px).
    public var spacing: PixelSpacing?
    public var protocolName: String?
}

/// Calibrated image → protocol → one spatial transform (letterbox ∘ augmentation) → intensity augmentation → targets.
public struct SamplePipeline: Sendable {
    public var source: ImageSource
    public var schema: LandmarkSchema
    public var config: SampleConfig
    public var contrast: ContrastApplier
    /// nil at evaluation: letterbox only.
    public var augmenter: Augmenter?
    /// Protocol used without augmentation, or when the augmenter draws none.
    public var defaultProtocol: String?

    public init(source: ImageSource, schema: LandmarkSchema, config: SampleConfig = SampleConfig(),
                contrast: @escaping ContrastApplier = PercentileWindow.applier, augmenter: Augmenter? = nil,
                defaultProtocol: String? = nil) {
        precondition(config.inputWidth % config.heatmapStride == 0 && config.inputHeight % config.heatmapStride == 0,
                     "SampleConfig: input size must be a multiple of the heatmap stride")
        self.source = source; self.schema = schema; self.config = config; self.contrast = contrast
        self.augmenter = augmenter; self.defaultProtocol = defaultProtocol
    }

    public func makeSample(_ item: AnnotatedImage, seed: UInt64) throws -> TrainingSample {
        let xray = try source.image(at: item.url)
        var rng = SeededRandom(seed: seed)
        let letterbox = Letterbox(sourceWidth: xray.columns, sourceHeight: xray.rows,
                                  targetWidth: config.inputWidth, targetHeight: config.inputHeight)
        var transform = SpatialTransform(affine: letterbox.transform, outWidth: config.inputWidth, outHeight: config.inputHeight)
        var draw: AugmentationDraw?
        if let aug = augmenter {
            let d = aug.draw(width: config.inputWidth, height: config.inputHeight, rng: &rng)
            transform = aug.spatialTransform(letterbox: letterbox, draw: d)
            draw = d
        }
        let proto = draw?.protocolName ?? defaultProtocol
        let factor = config.protocolOversampling > 0
            ? max(1, Int((1 / (letterbox.scale * config.protocolOversampling) - 1e-9).rounded(.up))) : 1
        let contrasted = try contrast(BlockDownsample.apply(xray, factor: factor), proto)
        // The pixels now live on the reduced grid; the warp reads them through reduced → original → output.
        var pixelTransform = transform
        pixelTransform.affine = BlockDownsample.transform(factor: factor).inverted.then(transform.affine)
        var image = pixelTransform.warp(contrasted, fill: config.fill)
        if let d = draw { Augmenter.applyIntensity(&image, draw: d) }
        let inputPoints = transform.map(item.landmarks)
        let toHeatmap = HeatmapGrid.inputToHeatmap(stride: config.heatmapStride)
        let target = config.codec.encode(inputPoints.map { $0.map(toHeatmap.apply) }, absent: config.absentLandmarks)
        return TrainingSample(id: item.id, image: image, target: target, transform: transform,
                              inputLandmarks: inputPoints, originalLandmarks: item.landmarks, spacing: item.spacing,
                              protocolName: proto)
    }

    /// Decodes network heatmaps (K × h × w) and maps each landmark back to the original image's pixels.
    public func decodeToOriginal(_ heatmaps: [Float], transform: SpatialTransform) -> [DecodedLandmark] {
        let fromHeatmap = HeatmapGrid.inputToHeatmap(stride: config.heatmapStride).inverted
        return config.codec.decode(heatmaps, count: schema.count).map { d in
            let p = transform.backward(fromHeatmap.apply(d.point))
            return DecodedLandmark(x: p.x, y: p.y, confidence: d.confidence, present: d.present)
        }
    }
}
