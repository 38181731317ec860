import Foundation
import Landmarks
import RunArtefacts

/// How well an AFL model's per-image difficulty (its critic's review score at inference) ranks images by
/// their real error, under one protocol: Spearman's ρ between difficulty and per-image MRE, and the MRE of
/// the hardest tenth against the rest. A useful review score has ρ well above 0 and a hardest tenth whose
/// error is clearly higher.
///
/// The per-image MRE is over every ground-truth landmark at its peak (τ ignored), so an image full of false
/// negatives still has an error to rank; it is in mm when every scored image has spacing, else in px.
public struct DifficultyRanking: Sendable, Equatable, Codable {
    public var model: String
    public var contrastProtocol: String
    /// Images with both a difficulty and an error.
    public var images: Int
    public var unit: String
    public var spearman: Double?
    /// The ⌈10 %⌉ highest-difficulty images (at least one) and their mean per-image MRE; the rest's mean.
    public var hardestCount: Int
    public var hardestMRE: Double?
    public var restMRE: Double?

    public init(model: String, contrastProtocol: String, images: Int, unit: String, spearman: Double?, hardestCount: Int,
                hardestMRE: Double?, restMRE: Double?) {
        self.model = model; self.contrastProtocol = contrastProtocol; self.images = images; self.unit = unit
        self.spearman = spearman; self.hardestCount = hardestCount; self.hardestMRE = hardestMRE; self.restMRE = restMRE
    }

    /// nil when no evaluated image has a difficulty (a model without a critic).
    public static func measure(model: String, contrastProtocol: String, difficulty: [String: Double],
                               evaluation: EvaluationReport) -> DifficultyRanking? {
        let scored = evaluation.images.filter { difficulty[$0.id] != nil && $0.summary.mreAllPX != nil }
        guard !scored.isEmpty else { return nil }
        let inMM = scored.allSatisfy { $0.summary.mreAllMM != nil }
        let pairs = scored.map { (id: $0.id, difficulty: difficulty[$0.id]!, error: (inMM ? $0.summary.mreAllMM : $0.summary.mreAllPX)!) }
        // Hardest first; ties by image id so the split is the same on every run.
        let ranked = pairs.sorted { $0.difficulty != $1.difficulty ? $0.difficulty > $1.difficulty : $0.id < $1.id }
        let top = max(1, Int((Double(ranked.count) * 0.1).rounded(.up)))
        func mean(_ v: ArraySlice<(id: String, difficulty: Double, error: Double)>) -> Double? {
            v.isEmpty ? nil : v.map(\.error).reduce(0, +) / Double(v.count)
        }
        return DifficultyRanking(model: model, contrastProtocol: contrastProtocol, images: pairs.count, unit: inMM ? "mm" : "px",
                                 spearman: Ranks.spearman(pairs.map(\.difficulty), pairs.map(\.error)), hardestCount: top,
                                 hardestMRE: mean(ranked.prefix(top)), restMRE: mean(ranked.dropFirst(top)))
    }

    /// Header and cells of the table HTML and Markdown share.
    static let columns = ["Model", "Protocol", "Images", "Spearman ρ", "Hardest", "MRE hardest", "MRE rest", "Unit"]
    var cells: [String] {
        [model, contrastProtocol, String(images), ReportFormat.fixed(spearman, 3), String(hardestCount),
         ReportFormat.distance(hardestMRE), ReportFormat.distance(restMRE), unit]
    }
}
