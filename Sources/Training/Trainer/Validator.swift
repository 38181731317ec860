import DetectorModel
import Foundation
import Landmarks
import TensorEngine

/// Runs the network over the validation images (letterbox only, default protocol) and scores it
/// in the original images' pixels and millimetres.
struct Validator {
    var pipeline: SamplePipeline
    var images: [AnnotatedImage]
    var batchSize: Int
    var loss: any PerSampleLoss
    var presenceThreshold: Float
    static let radiiMM: [Double] = [2, 2.5, 3, 4]

    func run(network: FPNKeypointNet, progress: ((Int, Int) -> Void)?) throws -> ValidationMetrics {
        network.eval()
        defer { network.train() }
        let useMM = images.allSatisfy { $0.spacing != nil }
        let k = pipeline.schema.count, c = pipeline.config
        var errors: [Double] = []
        var fn = 0, fp = 0, misses = 0, annotated = 0
        var lossSum = 0.0, done = 0
        let loader = BatchLoader(images: images, pipeline: pipeline, batchSize: batchSize, shuffle: false, seed: 0)
        while let batch = try loader.next() {
            let b = batch.count
            let (heatmaps, batchLoss): ([Float], Double) = withNoGrad {
                let x = Tensor(batch.images, shape: [b, 1, c.inputHeight, c.inputWidth])
                let y = Tensor(batch.heatmaps, shape: [b, k, c.heatmapHeight, c.heatmapWidth])
                let m = Tensor(batch.masks, shape: [b, k])
                let out = network(x)
                let l = loss.perSample(prediction: out, target: y, mask: m).sum().scalar
                return ((loss.outputIsLogit ? out.sigmoid() : out).toArray(), Double(l))
            }
            lossSum += batchLoss
            let per = k * c.heatmapHeight * c.heatmapWidth
            for i in 0..<b {
                let decoded = pipeline.decodeToOriginal(Array(heatmaps[(i * per)..<((i + 1) * per)]), transform: batch.transforms[i])
                let spacing = batch.spacings[i]
                for j in 0..<k {
                    let d = decoded[j].present && decoded[j].confidence >= presenceThreshold
                    guard let truth = batch.originalLandmarks[i][j] else {
                        if d { fp += 1 }
                        continue
                    }
                    annotated += 1
                    if !d { fn += 1 }
                    let dx = decoded[j].x - truth.x, dy = decoded[j].y - truth.y
                    let e: Double
                    if useMM, let s = spacing {
                        e = ((dx * s.columnMM) * (dx * s.columnMM) + (dy * s.rowMM) * (dy * s.rowMM)).squareRoot()
                        if d && e > pipeline.schema.landmarks[j].toleranceMM { misses += 1 }
                    } else {
                        e = (dx * dx + dy * dy).squareRoot()
                    }
                    errors.append(e)
                }
            }
            done += b
            progress?(done, images.count)
        }
        let n = Double(max(errors.count, 1))
        var rates: [String: Double] = [:]
        for r in Self.radiiMM { rates[Self.key(r)] = Double(errors.filter { $0 <= r }.count) / n }
        return ValidationMetrics(unit: useMM ? "mm" : "px", meanRadialError: errors.reduce(0, +) / n, successRates: rates,
                                 falseNegatives: fn, falsePositives: fp, misses: misses, annotatedLandmarks: annotated,
                                 loss: lossSum / Double(max(images.count, 1)))
    }

    /// "2", "2.5", … as the CSV column suffix.
    static func key(_ r: Double) -> String { r == r.rounded() ? String(Int(r)) : String(r) }
}
