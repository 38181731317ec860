/// What an evaluation measures against: per-landmark tolerances, SDR radii and the presence threshold.
public struct MetricsConfig: Sendable, Equatable, Codable {
    /// Landmark names in schema order; also fixes K.
    public var landmarkNames: [String]
    /// Per-landmark miss tolerance in mm (schema `tolerance_mm`).
    public var toleranceMM: [Double]
    /// Miss tolerance in px, used only for images without spacing. When nil, such images have no
    /// miss judgement at all: a px distance cannot be compared with a mm tolerance without inventing a spacing.
    public var tolerancePX: Double?
    /// Successful-detection radii in mm; an error equal to the radius counts as a success.
    public var sdrThresholdsMM: [Double]
    /// Presence threshold τ applied to each prediction's confidence; nil uses the predictions' own `present` flags.
    public var threshold: Double?

    public static let defaultSDRThresholdsMM: [Double] = [2, 2.5, 3, 4]

    public init(landmarkNames: [String], toleranceMM: [Double], tolerancePX: Double? = nil,
                sdrThresholdsMM: [Double] = defaultSDRThresholdsMM, threshold: Double? = nil) {
        precondition(landmarkNames.count == toleranceMM.count, "MetricsConfig: \(landmarkNames.count) names, \(toleranceMM.count) tolerances")
        self.landmarkNames = landmarkNames; self.toleranceMM = toleranceMM; self.tolerancePX = tolerancePX
        self.sdrThresholdsMM = sdrThresholdsMM; self.threshold = threshold
    }

    /// Names and tolerances from a schema.
    public init(schema: LandmarkSchema, tolerancePX: Double? = nil,
                sdrThresholdsMM: [Double] = defaultSDRThresholdsMM, threshold: Double? = nil) {
        self.init(landmarkNames: schema.names, toleranceMM: schema.landmarks.map(\.toleranceMM), tolerancePX: tolerancePX,
                  sdrThresholdsMM: sdrThresholdsMM, threshold: threshold)
    }

    public var count: Int { landmarkNames.count }
}
