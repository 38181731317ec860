import XRayIngest

/// One predicted landmark in the ORIGINAL image's pixel grid (docs/CONVENTIONS.md), as a detector reports it.
///
/// `confidence` is the heatmap peak value; `present` is the decision at the threshold τ used when decoding
/// (peak ≥ τ). Metrics can re-decide presence at another τ from `confidence` (see `MetricsConfig.threshold`).
public struct LandmarkPrediction: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var confidence: Double
    public var present: Bool

    public init(x: Double, y: Double, confidence: Double, present: Bool) {
        self.x = x; self.y = y; self.confidence = confidence; self.present = present
    }

    public var point: LandmarkPoint { LandmarkPoint(x: x, y: y) }

    /// Not found, and with no position at all: what another system's SR says of a landmark it did not find. Its
    /// error is unknown (not 0, not the distance from the origin), so metrics that need every peak say n/a.
    public static let unplaced = LandmarkPrediction(x: .nan, y: .nan, confidence: 0, present: false)

    /// Presence at threshold τ: ties count as present, matching `HeatmapCodec` (peak ≥ τ).
    public func isPresent(at tau: Double?) -> Bool {
        guard let tau else { return present }
        return confidence >= tau
    }
}

/// Ground truth and predictions for one image, both indexed by schema landmark and in original pixels.
public struct ImageEvaluationInput: Sendable, Equatable, Codable {
    /// The image's name in outputs: its path relative to the dataset root, never patient identity.
    public var id: String
    /// nil entries are landmarks the annotation omits or marks not present.
    public var groundTruth: [LandmarkPoint?]
    public var predictions: [LandmarkPrediction]
    /// nil means the image has no usable spacing: errors are in px only and every mm value stays nil.
    public var spacing: PixelSpacing?

    public init(id: String, groundTruth: [LandmarkPoint?], predictions: [LandmarkPrediction], spacing: PixelSpacing?) {
        self.id = id; self.groundTruth = groundTruth; self.predictions = predictions; self.spacing = spacing
    }
}

extension LandmarkPrediction {
    /// From a decoded heatmap landmark already mapped to original pixels (e.g. `SamplePipeline.decodeToOriginal`).
    public init(_ decoded: DecodedLandmark) {
        self.init(x: decoded.x, y: decoded.y, confidence: Double(decoded.confidence), present: decoded.present)
    }
}

extension ImageEvaluationInput {
    /// Ground truth, id and spacing from a dataset image; predictions in the same (schema) order.
    public init(image: AnnotatedImage, predictions: [LandmarkPrediction]) {
        self.init(id: image.id, groundTruth: image.landmarks, predictions: predictions, spacing: image.spacing)
    }
}
