import Foundation
import Landmarks

/// Settings of the refinement stage (the second, local stage of a two-stage model; measured in docs/ACCURACY.md).
///
/// Sizes left nil are derived from the dataset and the first stage, so one default serves a 1000-pixel hand
/// and a 2500-pixel spine: the patch's pixel is 1/16 of a first-stage heatmap pixel but never finer than
/// the original, and the training jitter is ¾ of a first-stage heatmap pixel (about the first stage's
/// typical error), both measured in original pixels over the training images' median size.
public struct RefinerConfig: Codable, Equatable, Sendable {
    public var enabled: Bool = true
    /// Network preset; `refiner` is sized for K patches per image on a CPU.
    public var preset: String = "refiner"
    public var patchSize: Int = 128
    /// Original pixels per patch pixel; nil = derived (see the type's comment).
    public var pixelSize: Double?
    public var epochs: Int = 40
    public var imagesPerBatch: Int = 4
    public var patchesPerImage: Int = 8
    public var learningRate: Double = 2e-3
    public var loss: BaseLoss.Name = .awing
    /// Gaussian sigma in the patch's heatmap pixels.
    public var sigma: Double = 2
    /// Standard deviation of the training windows' offset, original pixels; nil = derived.
    public var jitter: Double?
    public var rotationDegrees: Double = 15
    public var scaleRange: Double = 0.1
    /// Refinement passes at inference (each re-centres the windows on the previous answer). Two, chosen on a
    /// held-out third of hand-xray's `train` (docs/ACCURACY.md): equal or better than one under every protocol.
    public var passes: Int = 2
    /// Patch peaks below this keep the first stage's position.
    public var minimumConfidence: Double = 0.1

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case enabled, preset
        case patchSize = "patch_size"
        case pixelSize = "pixel_size"
        case epochs
        case imagesPerBatch = "images_per_batch"
        case patchesPerImage = "patches_per_image"
        case learningRate = "lr"
        case loss, sigma, jitter
        case rotationDegrees = "rotation_degrees"
        case scaleRange = "scale_range"
        case passes
        case minimumConfidence = "minimum_confidence"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = RefinerConfig()
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        preset = try c.decodeIfPresent(String.self, forKey: .preset) ?? d.preset
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? d.patchSize
        pixelSize = try c.decodeIfPresent(Double.self, forKey: .pixelSize)
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        imagesPerBatch = try c.decodeIfPresent(Int.self, forKey: .imagesPerBatch) ?? d.imagesPerBatch
        patchesPerImage = try c.decodeIfPresent(Int.self, forKey: .patchesPerImage) ?? d.patchesPerImage
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        loss = try c.decodeIfPresent(BaseLoss.Name.self, forKey: .loss) ?? d.loss
        sigma = try c.decodeIfPresent(Double.self, forKey: .sigma) ?? d.sigma
        jitter = try c.decodeIfPresent(Double.self, forKey: .jitter)
        rotationDegrees = try c.decodeIfPresent(Double.self, forKey: .rotationDegrees) ?? d.rotationDegrees
        scaleRange = try c.decodeIfPresent(Double.self, forKey: .scaleRange) ?? d.scaleRange
        passes = try c.decodeIfPresent(Int.self, forKey: .passes) ?? d.passes
        minimumConfidence = try c.decodeIfPresent(Double.self, forKey: .minimumConfidence) ?? d.minimumConfidence
    }

    /// Problems that make the settings unusable, each naming its key; empty when valid.
    public func problems() -> [String] {
        var found: [String] = []
        if patchSize <= 0 || patchSize % 32 != 0 { found.append("refine.patch_size \(patchSize) must be a positive multiple of 32") }
        if let p = pixelSize, !(p > 0) { found.append("refine.pixel_size must be positive") }
        if epochs < 1 { found.append("refine.epochs must be ≥ 1") }
        if imagesPerBatch < 1 || patchesPerImage < 1 { found.append("refine.images_per_batch and patches_per_image must be ≥ 1") }
        if !(learningRate > 0) { found.append("refine.lr must be positive") }
        if let j = jitter, j < 0 { found.append("refine.jitter must be ≥ 0") }
        if passes < 1 { found.append("refine.passes must be ≥ 1") }
        if !(minimumConfidence >= 0 && minimumConfidence < 1) { found.append("refine.minimum_confidence must be in [0, 1)") }
        return found
    }

    /// Original pixels per first-stage heatmap pixel for the median training image.
    public static func firstStageHeatmapPixel(images: [AnnotatedImage], inputWidth: Int, inputHeight: Int, stride: Int) -> Double {
        let sizes = images.map { Double(stride) / min(Double(inputWidth) / Double($0.width), Double(inputHeight) / Double($0.height)) }.sorted()
        return sizes.isEmpty ? Double(stride) : sizes[sizes.count / 2]
    }

    /// The settings with every derived size filled in.
    public func resolved(images: [AnnotatedImage], inputWidth: Int, inputHeight: Int, stride: Int) -> RefinerConfig {
        let h = Self.firstStageHeatmapPixel(images: images, inputWidth: inputWidth, inputHeight: inputHeight, stride: stride)
        var r = self
        if r.pixelSize == nil { r.pixelSize = max(1, h / 16) }
        if r.jitter == nil { r.jitter = 0.75 * h }
        return r
    }
}
