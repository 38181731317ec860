import XRayIngest

/// How one landmark of one image was judged (docs/CONVENTIONS.md). Each kind is counted in its own column, never merged.
public enum OutcomeKind: String, Sendable, Codable, CaseIterable {
    /// Present in both, within tolerance.
    case hit
    /// Present in both, farther than the tolerance.
    case miss
    /// Present in both, but no tolerance applies (no spacing and no px tolerance given).
    case unjudged
    /// Ground truth present, prediction absent.
    case falseNegative = "false-negative"
    /// Ground truth absent, prediction present.
    case falsePositive = "false-positive"
    /// Absent in both.
    case trueNegative = "true-negative"
}

/// One landmark of one image: presence on both sides, the radial error when both are present, and the verdict.
public struct LandmarkOutcome: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var groundTruthPresent: Bool
    public var predictedPresent: Bool
    public var confidence: Double
    /// Radial error in px; nil unless present in both.
    public var errorPX: Double?
    /// Radial error in mm (dx·columnMM, dy·rowMM); nil unless present in both AND the image has spacing.
    public var errorMM: Double?
    public var kind: OutcomeKind
    /// Radial error of the predicted peak, wherever it is and whatever its value (τ ignored); nil only when
    /// the ground truth lacks the landmark. Averaging these compares models on the same landmarks even when
    /// their false-negative counts differ, which the matched-only `errorPX` cannot.
    public var peakErrorPX: Double?
    /// The same in mm; nil also when the image has no spacing.
    public var peakErrorMM: Double?
}

extension LandmarkOutcome {
    /// Judges one landmark. A miss uses the mm tolerance when the image has spacing, else the px tolerance if configured.
    static func judge(index: Int, config: MetricsConfig, truth: LandmarkPoint?, prediction: LandmarkPrediction,
                      spacing: PixelSpacing?) -> LandmarkOutcome {
        let predicted = prediction.isPresent(at: config.threshold)
        var errPX: Double?, errMM: Double?, peakPX: Double?, peakMM: Double?
        // A non-finite position means "no position at all" (see `LandmarkPrediction.unplaced`).
        if let t = truth, prediction.x.isFinite, prediction.y.isFinite {
            let dx = prediction.x - t.x, dy = prediction.y - t.y
            peakPX = (dx * dx + dy * dy).squareRoot()
            peakMM = spacing?.distanceMM(dx: dx, dy: dy)
        }
        let kind: OutcomeKind
        switch (truth, predicted) {
        case (nil, false): kind = .trueNegative
        case (nil, true): kind = .falsePositive
        case (.some, false): kind = .falseNegative
        case (.some, true):
            errPX = peakPX
            errMM = peakMM
            if let mm = errMM {
                kind = mm > config.toleranceMM[index] ? .miss : .hit
            } else if let tolPX = config.tolerancePX, let px = errPX {
                kind = px > tolPX ? .miss : .hit
            } else {
                kind = .unjudged
            }
        }
        return LandmarkOutcome(index: index, name: config.landmarkNames[index], groundTruthPresent: truth != nil,
                               predictedPresent: predicted, confidence: prediction.confidence,
                               errorPX: errPX, errorMM: errMM, kind: kind, peakErrorPX: peakPX, peakErrorMM: peakMM)
    }
}
