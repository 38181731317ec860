/// FN and FP counts at one presence threshold τ.
public struct ThresholdSweepPoint: Sendable, Equatable, Codable {
    public var threshold: Double
    /// Ground truth present, peak < τ.
    public var falseNegatives: Int
    /// Ground truth absent, peak ≥ τ.
    public var falsePositives: Int
    public var groundTruthPresent: Int
    public var groundTruthAbsent: Int
}

/// The FN/FP trade-off against τ, decided from each prediction's peak value (present ⇔ peak ≥ τ, ties present).
public enum ThresholdSweep {
    /// 0.05, 0.10, …, 0.95.
    public static let defaultThresholds: [Double] = (1...19).map { Double($0) / 20 }

    public static func sweep(_ inputs: [ImageEvaluationInput], thresholds: [Double] = defaultThresholds) -> [ThresholdSweepPoint] {
        // Pairs of (ground truth present, peak), collected once so each τ is a single pass.
        var pairs: [(Bool, Double)] = []
        for img in inputs {
            for (t, p) in zip(img.groundTruth, img.predictions) { pairs.append((t != nil, p.confidence)) }
        }
        let present = pairs.filter(\.0).count
        return thresholds.sorted().map { tau in
            var fn = 0, fp = 0
            for (gt, peak) in pairs {
                if gt && peak < tau { fn += 1 }
                if !gt && peak >= tau { fp += 1 }
            }
            return ThresholdSweepPoint(threshold: tau, falseNegatives: fn, falsePositives: fp,
                                       groundTruthPresent: present, groundTruthAbsent: pairs.count - present)
        }
    }
}
