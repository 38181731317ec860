import Foundation
import Landmarks
import RunArtefacts
import Training
import XRayIngest

@testable import Reporting

/// A case small enough to compute by hand (K = 3: top, left, right; tolerances 2, 3, 2 mm; τ = 0.5).
///
/// Image "a/img1" has 0.5 mm spacing; image "b/img2" has none (its mm columns must read n/a).
/// Model A: img1 top 3 px = 1.5 mm (hit), left peak 0.3 (FN), right absent in GT but peak 0.8 (FP);
///          img2 top 4 px, left peak 0.2 (FN), right 10 px (both unjudged: no spacing, no px tolerance).
/// Model B: img1 top 6 px = 3 mm (miss), left 2 px = 1 mm (hit), right peak 0.1 (TN);
///          img2 top 0 px, left peak 0.1 (FN), right 0 px.
enum HandBuiltCase {
    static let names = ["top", "left", "right"]
    static let config = MetricsConfig(landmarkNames: names, toleranceMM: [2, 3, 2], threshold: 0.5)
    static let spacing = PixelSpacing(rowMM: 0.5, columnMM: 0.5, source: .manifest)

    static func p(_ x: Double, _ y: Double, _ c: Double) -> LandmarkPrediction { LandmarkPrediction(x: x, y: y, confidence: c, present: c >= 0.5) }

    static var truth1: [LandmarkPoint?] { [LandmarkPoint(x: 10, y: 10), LandmarkPoint(x: 20, y: 20), nil] }
    static var truth2: [LandmarkPoint?] { [LandmarkPoint(x: 5, y: 5), LandmarkPoint(x: 30, y: 30), LandmarkPoint(x: 40, y: 40)] }

    static var modelA: [ImageEvaluationInput] {
        [ImageEvaluationInput(id: "a/img1", groundTruth: truth1, predictions: [p(10, 13, 0.9), p(20, 20, 0.3), p(50, 50, 0.8)], spacing: spacing),
         ImageEvaluationInput(id: "b/img2", groundTruth: truth2, predictions: [p(5, 9, 0.9), p(30, 30, 0.2), p(46, 48, 0.7)], spacing: nil)]
    }

    static var modelB: [ImageEvaluationInput] {
        [ImageEvaluationInput(id: "a/img1", groundTruth: truth1, predictions: [p(10, 16, 0.9), p(20, 22, 0.6), p(50, 50, 0.1)], spacing: spacing),
         ImageEvaluationInput(id: "b/img2", groundTruth: truth2, predictions: [p(5, 5, 0.9), p(30, 30, 0.1), p(40, 40, 0.9)], spacing: nil)]
    }

    static func data(difficulty: [String: DifficultyLog] = [:]) throws -> ReportData {
        let evaluator = LandmarkEvaluator(config: config)
        let results = [
            ProtocolResult(model: "baseline", contrastProtocol: "high", evaluation: try evaluator.report(modelA)),
            ProtocolResult(model: "afl", contrastProtocol: "high", evaluation: try evaluator.report(modelB)),
        ]
        return ReportData(models: [ReportModel(name: "baseline", path: "runs/baseline"), ReportModel(name: "afl", path: "runs/afl")],
                          protocols: ["high"], results: results, threshold: 0.5, dataset: "hand", split: "test", imageCount: 2,
                          difficulty: difficulty)
    }

}
