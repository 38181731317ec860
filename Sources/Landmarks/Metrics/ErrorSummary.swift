/// Successful detection rate at one radius: the share of mm-measured landmarks with error ≤ radius.
public struct SDREntry: Sendable, Equatable, Codable {
    public var radiusMM: Double
    /// Landmarks within the radius.
    public var within: Int
    /// Fraction of `ErrorSummary.measuredMM`; nil when nothing was measured in mm.
    public var rate: Double?
}

/// Counts and radial-error statistics over any group of landmark outcomes (one landmark, one image, or all).
///
/// Distance statistics cover landmarks present in both ground truth and prediction, except the `mreAll…`
/// pair, which covers every ground-truth landmark at its predicted peak whether detected or not. mm statistics
/// cover only those on images with spacing; they are nil (never 0) when there are none.
public struct ErrorSummary: Sendable, Equatable, Codable {
    /// Outcomes summarised (K per image).
    public var total: Int
    public var groundTruthPresent: Int
    public var predictedPresent: Int
    /// Present in both: the landmarks with a radial error.
    public var matched: Int
    public var falseNegatives: Int
    public var falsePositives: Int
    public var misses: Int
    /// Matched landmarks that could be judged for a miss (had a mm or px tolerance).
    public var missJudged: Int
    public var trueNegatives: Int
    /// Matched landmarks with an mm error (image had spacing).
    public var measuredMM: Int
    public var mrePX: Double?
    public var medianPX: Double?
    public var sdPX: Double?
    public var mreMM: Double?
    public var medianMM: Double?
    public var sdMM: Double?
    /// Mean radial error over every ground-truth landmark at the predicted peak, τ ignored (docs/CONVENTIONS.md counts
    /// the FN separately; this is the error two models can be compared on whatever their FN counts).
    public var mreAllPX: Double?
    public var mreAllMM: Double?
    public var sdr: [SDREntry]

    public init(outcomes: [LandmarkOutcome], sdrThresholdsMM: [Double]) {
        total = outcomes.count
        groundTruthPresent = outcomes.filter(\.groundTruthPresent).count
        predictedPresent = outcomes.filter(\.predictedPresent).count
        func count(_ k: OutcomeKind) -> Int { outcomes.filter { $0.kind == k }.count }
        falseNegatives = count(.falseNegative)
        falsePositives = count(.falsePositive)
        misses = count(.miss)
        missJudged = count(.miss) + count(.hit)
        trueNegatives = count(.trueNegative)
        let px = outcomes.compactMap(\.errorPX), mm = outcomes.compactMap(\.errorMM)
        matched = px.count
        measuredMM = mm.count
        (mrePX, medianPX, sdPX) = (Self.mean(px), Self.median(px), Self.sampleSD(px))
        (mreMM, medianMM, sdMM) = (Self.mean(mm), Self.median(mm), Self.sampleSD(mm))
        // A prediction without a position (another system's SR records none for a landmark it did not find) leaves
        // "every ground-truth landmark" incomplete: the mean would flatter it, so there is none.
        let unplaced = outcomes.contains { $0.groundTruthPresent && $0.peakErrorPX == nil }
        mreAllPX = unplaced ? nil : Self.mean(outcomes.compactMap(\.peakErrorPX))
        mreAllMM = unplaced ? nil : Self.mean(outcomes.compactMap(\.peakErrorMM))
        sdr = sdrThresholdsMM.map { r in
            let n = mm.filter { $0 <= r }.count
            return SDREntry(radiusMM: r, within: n, rate: mm.isEmpty ? nil : Double(n) / Double(mm.count))
        }
    }

    /// The SDR at a radius, if it was configured and anything was measured in mm.
    public func sdr(atMM r: Double) -> Double? { sdr.first { $0.radiusMM == r }?.rate ?? nil }

    static func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }

    /// Even counts average the two middle values.
    static func median(_ v: [Double]) -> Double? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted(), m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// Sample standard deviation (n − 1); nil below two values, where it is undefined.
    static func sampleSD(_ v: [Double]) -> Double? {
        guard v.count >= 2, let m = mean(v) else { return nil }
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }
}
