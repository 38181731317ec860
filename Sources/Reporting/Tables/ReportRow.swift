import Landmarks

/// What a row summarises.
public enum RowScope: String, Sendable, Codable, CaseIterable {
    case overall, landmark, image
}

/// One line of every table: one model under one protocol, over all landmarks, one landmark, or one image.
/// Counts follow docs/CONVENTIONS.md: FN, FP and misses each keep their own column.
public struct ReportRow: Sendable, Equatable, Codable {
    public var model: String
    public var contrastProtocol: String
    public var scope: RowScope
    /// "all", a landmark name, or an image's path relative to the dataset (never patient identity).
    public var item: String
    public var groundTruthPresent: Int
    public var falseNegatives: Int
    public var falsePositives: Int
    public var misses: Int
    /// Present in both (the landmarks with a radial error).
    public var matched: Int
    public var mrePX: Double?
    public var medianPX: Double?
    /// nil when nothing in the row was measured in mm (no spacing): shown as "n/a", never as 0.
    public var mreMM: Double?
    public var medianMM: Double?
    /// MRE over every ground-truth landmark at its predicted peak, detected or not (`ErrorSummary.mreAllPX`).
    public var mreAllPX: Double?
    public var mreAllMM: Double?
    /// SDR rates in [0,1] at `ReportRow.sdrRadiiMM`, nil without mm measurements.
    public var sdr: [Double?]
    /// Change against the first model's same row, in percent; nil for the first model or a zero baseline.
    public var falseNegativeChangePercent: Double?
    public var mreChangePercent: Double?
    public var mreAllChangePercent: Double?

    /// The radii every table reports (the paper's and the metrics' defaults).
    public static let sdrRadiiMM: [Double] = MetricsConfig.defaultSDRThresholdsMM

    public init(model: String, contrastProtocol: String, scope: RowScope, item: String, summary: ErrorSummary) {
        self.model = model; self.contrastProtocol = contrastProtocol; self.scope = scope; self.item = item
        groundTruthPresent = summary.groundTruthPresent
        falseNegatives = summary.falseNegatives
        falsePositives = summary.falsePositives
        misses = summary.misses
        matched = summary.matched
        mrePX = summary.mrePX; medianPX = summary.medianPX
        mreMM = summary.mreMM; medianMM = summary.medianMM
        mreAllPX = summary.mreAllPX; mreAllMM = summary.mreAllMM
        sdr = Self.sdrRadiiMM.map { summary.sdr(atMM: $0) }
    }

    /// The row's MRE in mm when it has one, else in px: what comparisons and charts use.
    public var preferredMRE: (value: Double, unit: String)? {
        if let mm = mreMM { return (mm, "mm") }
        if let px = mrePX { return (px, "px") }
        return nil
    }

    /// The same for the MRE over every ground-truth landmark.
    public var preferredMREAll: (value: Double, unit: String)? {
        if let mm = mreAllMM { return (mm, "mm") }
        if let px = mreAllPX { return (px, "px") }
        return nil
    }
}

/// FN and FP at one τ for one model and protocol.
public struct SweepRow: Sendable, Equatable, Codable {
    public var model: String
    public var contrastProtocol: String
    public var threshold: Double
    public var falseNegatives: Int
    public var falsePositives: Int
}
