import Foundation
import XRayIngest

/// How refinement patches are cut and augmented for training.
///
/// A training patch imitates what inference will hand the refiner: a window around a first-stage estimate
/// that is off by a few heatmap pixels. So each window is centred on the annotation plus a Gaussian offset of
/// `jitter` original pixels per axis, then rotated, rescaled and re-contrasted like a first-stage sample.
public struct PatchSampleConfig: Sendable, Codable, Equatable {
    /// Patch pixels per side; a multiple of 32 (the FPN's deepest stride).
    public var patchSize: Int = 128
    /// Original pixels per patch pixel.
    public var pixelSize: Double = 1
    public var heatmapStride: Int = 4
    /// Gaussian target sigma in heatmap pixels.
    public var sigma: Double = 2
    /// Standard deviation of the window centre's offset from the annotation, original pixels per axis.
    public var jitter: Double = 12
    /// Offsets are cut at this many standard deviations so the landmark stays well inside the window.
    public var jitterLimit: Double = 2.5
    public var rotationDegrees: Double = 15
    /// The window's pixel size is scaled by a factor drawn log-uniformly in [1/(1+r), 1+r].
    public var scaleRange: Double = 0.1
    public var gammaMin: Double = 0.8
    public var gammaMax: Double = 1.25
    public var noiseStd: Double = 0.01
    /// Protocols drawn per image while training; empty = the sampler's default protocol.
    public var protocols: [String] = []
    public var fill: Float = 0

    public init() {}

    public var heatmapSize: Int { patchSize / heatmapStride }
    public var codec: HeatmapCodec { HeatmapCodec(width: heatmapSize, height: heatmapSize, sigma: sigma) }
}

/// One refinement training patch: the window around landmark `landmark` and its one-channel target.
public struct PatchSample: Sendable {
    public var id: String
    public var landmark: Int
    /// patchSize × patchSize, [0,1].
    public var image: GrayImage
    /// K × h × w; only channel `landmark` holds a Gaussian.
    public var heatmaps: [Float]
    public var window: PatchWindow
    /// The annotation in original pixels.
    public var truth: LandmarkPoint
    public var spacing: PixelSpacing?
}

/// Cuts refinement patches from annotated images: one contrast pass per image, then one window per chosen landmark.
public struct PatchSampler: Sendable {
    public var source: ImageSource
    public var keypoints: Int
    public var config: PatchSampleConfig
    public var contrast: ContrastApplier
    /// Protocol when none is drawn (validation, or an empty `config.protocols`).
    public var defaultProtocol: String?
    /// false at validation: jitter only (a fixed draw), no rotation, rescaling or intensity change.
    public var augment: Bool

    public init(source: ImageSource, keypoints: Int, config: PatchSampleConfig, contrast: @escaping ContrastApplier,
                defaultProtocol: String?, augment: Bool) {
        precondition(config.patchSize % 32 == 0 && config.patchSize > 0, "PatchSampler: patch size must be a positive multiple of 32")
        self.source = source; self.keypoints = keypoints; self.config = config; self.contrast = contrast
        self.defaultProtocol = defaultProtocol; self.augment = augment
    }

    /// Patches for the given landmarks of one image (absent ones are skipped: there is nothing to refine toward).
    public func patches(_ item: AnnotatedImage, landmarks: [Int], seed: UInt64) throws -> [PatchSample] {
        let c = config
        var rng = SeededRandom(seed: seed)
        let proto = augment && !c.protocols.isEmpty ? c.protocols[Int(rng.next() % UInt64(c.protocols.count))] : defaultProtocol
        let xray = try source.image(at: item.url)
        let prepared = try RefinementImage(xray: xray, pixelSize: c.pixelSize) { try contrast($0, proto) }
        let toHeatmap = HeatmapGrid.inputToHeatmap(stride: c.heatmapStride)
        let codec = c.codec, plane = c.heatmapSize * c.heatmapSize
        var out: [PatchSample] = []
        for k in landmarks {
            guard k < item.landmarks.count, let truth = item.landmarks[k] else { continue }
            func offset() -> Double { max(-c.jitterLimit, min(c.jitterLimit, rng.gaussian())) * c.jitter }
            let centre = LandmarkPoint(x: truth.x + offset(), y: truth.y + offset())
            var rotation = 0.0, pixelSize = c.pixelSize
            if augment {
                rotation = rng.uniform(-c.rotationDegrees, c.rotationDegrees) * .pi / 180
                pixelSize *= exp(rng.uniform(-log(1 + c.scaleRange), log(1 + c.scaleRange)))
            }
            let window = PatchWindow(center: centre, size: c.patchSize, pixelSize: pixelSize, rotation: rotation)
            var image = prepared.patch(window, fill: c.fill)
            if augment {
                let gamma = exp(rng.uniform(log(c.gammaMin), log(c.gammaMax)))
                Augmenter.applyIntensity(&image, gamma: gamma, noiseStd: c.noiseStd, seed: rng.next())
            }
            // Only channel k is supervised (the batch mask is one-hot), so the target needs only its Gaussian.
            var points = [LandmarkPoint?](repeating: nil, count: keypoints)
            points[k] = toHeatmap.apply(window.toPatch(truth))
            var heatmaps = [Float](repeating: 0, count: keypoints * plane)
            let single = codec.encode([points[k]])
            heatmaps.replaceSubrange((k * plane)..<((k + 1) * plane), with: single.heatmaps)
            out.append(PatchSample(id: item.id, landmark: k, image: image, heatmaps: heatmaps, window: window,
                                   truth: truth, spacing: item.spacing))
        }
        return out
    }
}
