import Foundation

/// How well AFL's difficulty score separates samples known to be hard from the rest, epoch by epoch.
///
/// The score is only useful if it ranks hard samples above easy ones; ROC AUC measures exactly that
/// ranking (0.5: no better than chance, 1: every hard sample above every easy one) without choosing a cut.
/// Labels come from outside the run, for example the phantom's record of the hard cases it drew.
public struct DifficultySeparation: Sendable, Equatable {
    public var epoch: Int
    /// P(score of a random hard sample > score of a random easy one), ties counting one half; nil when a
    /// group is empty.
    public var auc: Double?
    public var hardMean: Double?
    public var easyMean: Double?
    public var hardCount: Int
    public var easyCount: Int

    /// One row per logged epoch. Samples whose id is in `hard` are positives; the negatives are the logged
    /// samples in `easy`, or every other logged sample when `easy` is nil (to compare one kind of hard case
    /// with the plain images, pass both).
    public static func perEpoch(_ log: DifficultyLog, hard: Set<String>, easy: Set<String>? = nil) -> [DifficultySeparation] {
        let byEpoch = log.scoresByEpoch()
        return log.epochs.map { epoch in
            let scores = byEpoch[epoch] ?? [:]
            // In id order, so the sums (and the table) are the same on every run.
            let ids = scores.keys.sorted()
            let positives = ids.filter { hard.contains($0) }.map { scores[$0]! }
            let negatives = ids.filter { !hard.contains($0) && (easy?.contains($0) ?? true) }.map { scores[$0]! }
            func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
            return DifficultySeparation(epoch: epoch, auc: rocAUC(positives: positives, negatives: negatives),
                                        hardMean: mean(positives), easyMean: mean(negatives),
                                        hardCount: positives.count, easyCount: negatives.count)
        }
    }

    /// The Mann–Whitney form of ROC AUC, from ranks with ties averaged: O(n log n).
    public static func rocAUC(positives: [Double], negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let ranks = Ranks.tieAveraged(positives + negatives)
        let rankSumPositives = ranks.prefix(positives.count).reduce(0, +)
        let p = Double(positives.count), n = Double(negatives.count)
        return (rankSumPositives - p * (p + 1) / 2) / (p * n)
    }

    static let csvHeader = "epoch,auc,hard_mean,easy_mean,hard_count,easy_count"

    /// The table the trainer writes as `difficulty-separation.csv`; empty cells where a group is empty.
    public static func csv(_ rows: [DifficultySeparation]) -> String {
        func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "" }
        return ([csvHeader] + rows.map { "\($0.epoch),\(f($0.auc)),\(f($0.hardMean)),\(f($0.easyMean)),\($0.hardCount),\($0.easyCount)" })
            .joined(separator: "\n") + "\n"
    }
}
