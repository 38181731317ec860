/// Why an image cannot be evaluated against a config.
public struct MetricsError: Error, Equatable, CustomStringConvertible {
    public var image: String
    public var message: String
    public var description: String { "\(image): \(message)" }
}

/// Pure evaluation of landmark predictions against ground truth (docs/CONVENTIONS.md definitions).
public struct LandmarkEvaluator: Sendable {
    public var config: MetricsConfig

    public init(config: MetricsConfig) { self.config = config }

    /// Judges every landmark of one image; both sides must have exactly K entries.
    public func evaluate(_ input: ImageEvaluationInput) throws -> ImageEvaluation {
        let k = config.count
        guard input.groundTruth.count == k, input.predictions.count == k else {
            throw MetricsError(image: input.id, message: "expected \(k) landmarks, got \(input.groundTruth.count) in the ground truth and \(input.predictions.count) predicted")
        }
        let outcomes = (0..<k).map {
            LandmarkOutcome.judge(index: $0, config: config, truth: input.groundTruth[$0], prediction: input.predictions[$0], spacing: input.spacing)
        }
        return ImageEvaluation(id: input.id, spacingSource: input.spacing?.source.rawValue, landmarks: outcomes,
                               summary: ErrorSummary(outcomes: outcomes, sdrThresholdsMM: config.sdrThresholdsMM))
    }

    /// Evaluates all images and aggregates per landmark and overall; the sweep runs over `sweepThresholds`.
    public func report(_ inputs: [ImageEvaluationInput],
                       sweepThresholds: [Double] = ThresholdSweep.defaultThresholds) throws -> EvaluationReport {
        let images = try inputs.map(evaluate)
        let perLandmark = (0..<config.count).map { i in
            LandmarkEvaluation(index: i, name: config.landmarkNames[i], toleranceMM: config.toleranceMM[i],
                               summary: ErrorSummary(outcomes: images.map { $0.landmarks[i] }, sdrThresholdsMM: config.sdrThresholdsMM))
        }
        let overall = ErrorSummary(outcomes: images.flatMap(\.landmarks), sdrThresholdsMM: config.sdrThresholdsMM)
        return EvaluationReport(config: config, images: images, landmarks: perLandmark, overall: overall,
                                sweep: ThresholdSweep.sweep(inputs, thresholds: sweepThresholds))
    }
}
