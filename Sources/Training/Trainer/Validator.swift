import Cluster
import DetectorModel
import Foundation
import Landmarks
import TensorEngine

/// Runs the network over the validation images (letterbox only, the default protocol), decodes each
/// heatmap back to the original image's pixels and scores it with the Landmarks metrics.
struct Validator {
    var pipeline: SamplePipeline
    var images: [AnnotatedImage]
    var batchSize: Int
    var loss: any PerSampleLoss
    var presenceThreshold: Double
    static let radiiMM = MetricsConfig.defaultSDRThresholdsMM

    /// With several ranks, each validates its contiguous share and the shares are gathered in rank order, so every
    /// rank scores the whole set in the order one process would.
    func run(network: FPNKeypointNet, communicator: any Communicator = SingleProcess(),
             progress: ((Int, Int) -> Void)?) throws -> ValidationMetrics {
        network.eval()
        defer { network.train() }
        let k = pipeline.schema.count, c = pipeline.config
        var inputs: [ImageEvaluationInput] = []
        var lossSum = 0.0
        // Whole batches per rank, so every image is scored in the same batch as in one process.
        let mine = Array(images[communicator.shard.range(of: images.count, alignedTo: batchSize)])
        let loader = BatchLoader(images: mine, pipeline: pipeline, batchSize: batchSize, shuffle: false, seed: 0)
        while let batch = try loader.next() {
            let b = batch.count
            let (heatmaps, batchLoss): ([Float], Double) = withNoGrad {
                let x = Tensor(batch.images, shape: [b, 1, c.inputHeight, c.inputWidth])
                let y = Tensor(batch.heatmaps, shape: [b, k, c.heatmapHeight, c.heatmapWidth])
                let m = Tensor(batch.masks, shape: [b, k])
                let out = network(x)
                let l = loss.perSample(prediction: out, target: y, mask: m).sum().scalar
                return (loss.heatmaps(fromPrediction: out).toArray(), Double(l))
            }
            lossSum += batchLoss
            let per = k * c.heatmapHeight * c.heatmapWidth
            for i in 0..<b {
                let decoded = pipeline.decodeToOriginal(Array(heatmaps[(i * per)..<((i + 1) * per)]), transform: batch.transforms[i])
                inputs.append(ImageEvaluationInput(
                    id: batch.ids[i], groundTruth: batch.originalLandmarks[i],
                    predictions: decoded.map { LandmarkPrediction(x: $0.x, y: $0.y, confidence: Double($0.confidence), present: $0.present) },
                    spacing: batch.spacings[i]))
            }
            progress?(inputs.count, mine.count)
        }
        if communicator.size > 1 {
            let parts = try communicator.allgather(ValidationShare(inputs: inputs, lossSum: lossSum))
            inputs = parts.flatMap(\.inputs)
            lossSum = parts.reduce(0) { $0 + $1.lossSum }
        }
        let schema = pipeline.schema
        // At τ: the FN/FP/miss counts a report gives.
        let atTau = try LandmarkEvaluator(config: MetricsConfig(schema: schema, threshold: presenceThreshold))
            .report(inputs, sweepThresholds: []).overall
        // Every peak counted as a detection: the error over all annotated landmarks.
        let allPeaks = try LandmarkEvaluator(config: MetricsConfig(schema: schema, threshold: -Double.infinity))
            .report(inputs, sweepThresholds: []).overall
        let inMM = allPeaks.measuredMM == allPeaks.matched && allPeaks.matched > 0
        var rates: [String: Double] = [:]
        if inMM { for r in Self.radiiMM { rates[Self.key(r)] = allPeaks.sdr(atMM: r) } }
        return ValidationMetrics(
            unit: inMM ? "mm" : "px",
            meanRadialError: (inMM ? allPeaks.mreMM : allPeaks.mrePX) ?? .nan,
            meanRadialErrorDetected: inMM ? atTau.mreMM : atTau.mrePX,
            successRates: rates, falseNegatives: atTau.falseNegatives, falsePositives: atTau.falsePositives,
            misses: atTau.misses, annotatedLandmarks: atTau.groundTruthPresent,
            loss: lossSum / Double(max(images.count, 1)))
    }

    /// "2", "2.5", … as the CSV column suffix.
    static func key(_ r: Double) -> String { r == r.rounded() ? String(Int(r)) : String(r) }
}

/// One rank's validation results, as sent to the others.
struct ValidationShare: Codable {
    var inputs: [ImageEvaluationInput]
    var lossSum: Double
}
