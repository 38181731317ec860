/// Every outcome of one image and their summary.
public struct ImageEvaluation: Sendable, Equatable, Codable {
    public var id: String
    /// nil when the image has no spacing: mm columns are n/a for it.
    public var spacingSource: String?
    public var landmarks: [LandmarkOutcome]
    public var summary: ErrorSummary
}

/// One landmark's summary across all images.
public struct LandmarkEvaluation: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var toleranceMM: Double
    public var summary: ErrorSummary
}

/// A whole evaluation: per image, per landmark, overall, and the FN/FP sweep against τ. Codable for report files.
public struct EvaluationReport: Sendable, Equatable, Codable {
    public var config: MetricsConfig
    public var images: [ImageEvaluation]
    public var landmarks: [LandmarkEvaluation]
    public var overall: ErrorSummary
    public var sweep: [ThresholdSweepPoint]
}
