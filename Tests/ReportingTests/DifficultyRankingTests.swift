import Landmarks
import RunArtefacts
import Training
import XCTest

@testable import Reporting

/// Spearman's ρ and the hardest-tenth comparison of a critic's review score against per-image error.
final class DifficultyRankingTests: XCTestCase {
    func testSpearmanByHand() throws {
        // x ranks 1…5, y ranks 2, 1, 4, 3, 5: d = (−1, 1, −1, 1, 0), Σd² = 4 → 1 − 6·4/(5·24) = 0.8.
        XCTAssertEqual(try XCTUnwrap(Ranks.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])), 0.8, accuracy: 1e-12)
        // Ties: x ranks (1, 2.5, 2.5, 4), y ranks (1, 3, 2, 4); centred (−1.5, 0, 0, 1.5) and (−1.5, 0.5, −0.5, 1.5):
        // Σxy = 4.5, Σx² = 4.5, Σy² = 5 → 4.5/√22.5 = 0.948683.
        XCTAssertEqual(try XCTUnwrap(Ranks.spearman([1, 2, 2, 3], [10, 30, 20, 40])), 0.948683, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(Ranks.spearman([1, 2, 3], [30, 20, 10])), -1, accuracy: 1e-12)
        XCTAssertNil(Ranks.spearman([1, 1, 1], [1, 2, 3]), "a constant side ranks nothing")
        XCTAssertNil(Ranks.spearman([1], [2]))
        XCTAssertEqual(Ranks.tieAveraged([0.5, 0.1, 0.5, 0.9]), [2.5, 1, 2.5, 4])
    }

    /// Four images with one landmark each, no spacing (px): errors 1, 2, 3, 4 px and difficulties 0.1, 0.8, 0.5,
    /// 0.9. Difficulty ranks (1, 3, 2, 4) against error ranks (1, 2, 3, 4): Σd² = 2 → ρ = 1 − 12/60 = 0.8.
    /// Hardest ⌈0.4⌉ = 1 image: e4, 4 px; the rest (1 + 2 + 3)/3 = 2 px. e5 has no score and e6 no ground truth:
    /// both are left out.
    func testMeasureByHand() throws {
        let config = MetricsConfig(landmarkNames: ["p"], toleranceMM: [2], threshold: 0.5)
        func image(_ id: String, error: Double?) -> ImageEvaluationInput {
            ImageEvaluationInput(id: id, groundTruth: [error.map { _ in LandmarkPoint(x: 10, y: 10) }],
                                 predictions: [LandmarkPrediction(x: 10 + (error ?? 0), y: 10, confidence: 0.9, present: true)], spacing: nil)
        }
        let evaluation = try LandmarkEvaluator(config: config).report(
            [image("e1", error: 1), image("e2", error: 2), image("e3", error: 3), image("e4", error: 4), image("e5", error: 9),
             image("e6", error: nil)], sweepThresholds: [])
        let scores = ["e1": 0.1, "e2": 0.8, "e3": 0.5, "e4": 0.9, "e6": 0.99]
        let r = try XCTUnwrap(DifficultyRanking.measure(model: "afl", contrastProtocol: "high", difficulty: scores, evaluation: evaluation))
        XCTAssertEqual(r.images, 4)
        XCTAssertEqual(r.unit, "px")
        XCTAssertEqual(try XCTUnwrap(r.spearman), 0.8, accuracy: 1e-12)
        XCTAssertEqual(r.hardestCount, 1)
        XCTAssertEqual(try XCTUnwrap(r.hardestMRE), 4, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(r.restMRE), 2, accuracy: 1e-12)
        XCTAssertNil(DifficultyRanking.measure(model: "plain", contrastProtocol: "high", difficulty: [:], evaluation: evaluation))

        // The report's files show it only when a model has a critic.
        var data = try HandBuiltCase.data()
        let tables = ReportTables(data)
        XCTAssertFalse(MarkdownExport.render(data, tables, worstCases: [], notes: []).contains("review score"))
        data.difficultyRankings = [r]
        let md = MarkdownExport.render(data, tables, worstCases: [], notes: [])
        XCTAssertTrue(md.contains("| afl | high | 4 | 0.800 | 1 | 4.000 | 2.000 | px |"), md)
        XCTAssertTrue(HTMLReport.render(data, tables, worstCases: [], notes: []).contains("<td>0.800</td>"))
    }
}
