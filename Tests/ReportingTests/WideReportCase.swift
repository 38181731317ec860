import Foundation
import Landmarks
import XRayIngest
@testable import Reporting

/// A report as wide as real ones get, for layout tests: two models under the four shipped protocols on the 37 hand
/// landmarks and 21 images (one without spacing), with three-digit counts, large errors and signed changes, so
/// every cell prints its longest form ("612 (+183%)", "104.279 mm (+255%)"). No network: predictions are made up.
enum WideReportCase {
    static let protocols = ["higher", "high", "low", "lower"]
    static let models = ["hand-baseline-awing", "hand-afl-awing"]

    static func data() throws -> ReportData {
        let schema = try SchemaLibrary().schema(named: "hand-37")
        let evaluator = LandmarkEvaluator(config: MetricsConfig(schema: schema, threshold: 0.5))
        var results: [ProtocolResult] = []
        for (p, name) in protocols.enumerated() {
            for (m, model) in models.enumerated() {
                var rng = SeededRandom(seed: UInt64(100 * p + m + 1))
                let inputs = (0..<21).map { i -> ImageEvaluationInput in
                    let truth = (0..<schema.count).map { k -> LandmarkPoint? in
                        // A few annotations left out, so false positives have somewhere to happen.
                        guard (i + k) % 17 != 0 else { return nil }
                        let x: Double = 40 + 12 * Double(k), y: Double = 900 - 20 * Double(k)
                        return LandmarkPoint(x: x, y: y)
                    }
                    let predictions = truth.enumerated().map { k, t -> LandmarkPrediction in
                        let spread: Double = 30 * Double(1 + m * 2 + p)
                        let x: Double = (t?.x ?? 300) + rng.uniform(-spread, spread)
                        let y: Double = (t?.y ?? 300) + rng.uniform(-spread, spread)
                        // The second model detects fewer landmarks, so its FN change is a large positive percentage.
                        let penalty: Double = m == 1 ? 0.3 : 0, bonus: Double = k % 5 == 0 ? 0.2 : 0
                        let confidence = rng.uniform(0, 1) - penalty + bonus
                        return LandmarkPrediction(x: x, y: y, confidence: confidence, present: confidence >= 0.5)
                    }
                    let spacing = i == 20 ? nil : PixelSpacing(rowMM: 0.278, columnMM: 0.278, source: .pixelSpacing)
                    return ImageEvaluationInput(id: "\(3100 + 7 * i)", groundTruth: truth, predictions: predictions, spacing: spacing)
                }
                results.append(ProtocolResult(model: model, contrastProtocol: name, evaluation: try evaluator.report(inputs)))
            }
        }
        return ReportData(models: models.map { ReportModel(name: $0, path: "runs/\($0)/model", training: ["loss": "awing", "afl": String($0.contains("afl"))]) },
                          protocols: protocols, results: results, threshold: 0.5, dataset: "hand-xray", split: "valid", imageCount: 21)
    }
}
