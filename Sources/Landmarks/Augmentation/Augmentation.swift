import Foundation

/// Ranges for random augmentation. Geometric parts act about the output centre, in output pixels.
public struct AugmentationConfig: Sendable, Codable, Equatable {
    // Defaults sized for datasets of ~100 images (docs/ACCURACY.md): wide enough that the network never sees the
    // same geometry twice, narrow enough that a letterboxed radiograph stays inside the input.
    public var rotationDegrees: Double = 15
    public var scaleMin: Double = 0.85
    public var scaleMax: Double = 1.15
    /// Maximum shift as a fraction of the output size.
    public var translationFraction: Double = 0.08
    public var elasticProbability: Double = 0.3
    /// Standard deviation of control-point displacements, output pixels.
    public var elasticAmplitude: Double = 3
    /// Control-point spacing, output pixels; larger is smoother.
    public var elasticSpacing: Double = 32
    /// Used only when the schema defines partners.
    public var flipProbability: Double = 0.5
    public var gammaMin: Double = 0.8
    public var gammaMax: Double = 1.25
    /// Gaussian noise standard deviation on the [0,1] image.
    public var noiseStd: Double = 0.01
    /// Protocols to choose among, uniformly; empty means the pipeline's default protocol.
    public var protocols: [String] = ["higher", "high", "low", "lower"]

    public init() {}

    /// Geometry only, for tests and for checking that labels follow pixels.
    public static var geometryOnly: AugmentationConfig {
        var c = AugmentationConfig()
        c.gammaMin = 1; c.gammaMax = 1; c.noiseStd = 0; c.protocols = []
        return c
    }
}

/// One random draw: what to do to a single sample.
public struct AugmentationDraw: Sendable, Equatable {
    /// Output → output, applied after the letterbox.
    public var affine: AffineTransform
    public var flipped: Bool
    public var displacement: DisplacementField?
    public var gamma: Double
    public var noiseStd: Double
    public var noiseSeed: UInt64
    public var protocolName: String?
}

/// Seeded random augmentation; its draws turn a letterbox into a `SpatialTransform` for image and landmarks alike.
public struct Augmenter: Sendable {
    public var config: AugmentationConfig
    public var schema: LandmarkSchema

    public init(config: AugmentationConfig = AugmentationConfig(), schema: LandmarkSchema) {
        self.config = config; self.schema = schema
    }

    public func draw(width: Int, height: Int, rng: inout SeededRandom) -> AugmentationDraw {
        let c = config
        let centre = LandmarkPoint(x: Double(width - 1) / 2, y: Double(height - 1) / 2)
        let angle = rng.uniform(-c.rotationDegrees, c.rotationDegrees) * .pi / 180
        // Scale drawn log-uniformly so shrinking and growing are equally likely.
        let scale = exp(rng.uniform(log(c.scaleMin), log(c.scaleMax)))
        let tx = rng.uniform(-c.translationFraction, c.translationFraction) * Double(width)
        let ty = rng.uniform(-c.translationFraction, c.translationFraction) * Double(height)
        let flip = schema.supportsHorizontalFlip && rng.chance(c.flipProbability)
        var m = AffineTransform.translation(-centre.x, -centre.y)
        if flip { m = m.then(.scale(-1, 1)) }
        m = m.then(.rotation(angle, about: LandmarkPoint(x: 0, y: 0))).then(.scale(scale, scale))
            .then(.translation(centre.x + tx, centre.y + ty))
        var field: DisplacementField?
        if c.elasticProbability > 0, rng.chance(c.elasticProbability) {
            field = .random(width: width, height: height, spacing: c.elasticSpacing, amplitude: c.elasticAmplitude, rng: &rng)
        }
        let gamma = exp(rng.uniform(log(c.gammaMin), log(c.gammaMax)))
        let proto = c.protocols.isEmpty ? nil : c.protocols[Int(rng.next() % UInt64(c.protocols.count))]
        return AugmentationDraw(affine: m, flipped: flip, displacement: field, gamma: gamma, noiseStd: c.noiseStd,
                                noiseSeed: rng.next(), protocolName: proto)
    }

    /// Composes the letterbox with a draw: the single transform for this sample.
    public func spatialTransform(letterbox: Letterbox, draw: AugmentationDraw) -> SpatialTransform {
        SpatialTransform(affine: letterbox.transform.then(draw.affine), displacement: draw.displacement,
                         permutation: draw.flipped ? schema.flipPermutation : nil,
                         outWidth: letterbox.targetWidth, outHeight: letterbox.targetHeight)
    }

    /// Gamma then noise on a [0,1] image; clamped back to [0,1] so the network's input range never drifts.
    public static func applyIntensity(_ image: inout GrayImage, draw: AugmentationDraw) {
        applyIntensity(&image, gamma: draw.gamma, noiseStd: draw.noiseStd, seed: draw.noiseSeed)
    }

    /// The same for callers without a full draw (refinement patches).
    public static func applyIntensity(_ image: inout GrayImage, gamma: Double, noiseStd n: Double, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let g = Float(gamma)
        for i in image.pixels.indices {
            var v = max(image.pixels[i], 0)
            if g != 1 { v = powf(v, g) }
            if n > 0 { v += Float(n * rng.gaussian()) }
            image.pixels[i] = min(max(v, 0), 1)
        }
    }
}
