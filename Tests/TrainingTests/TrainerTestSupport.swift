import Foundation
import Landmarks
import XRayIngest
@testable import Training

/// A tiny learnable task: each image is dark with one bright blob per landmark, landmark 1 in the
/// upper left, 2 in the upper right, 3 in the lower half, so a small FPN can tell them apart.
enum BlobTask {
    static let schemaYAML = """
    # three bright blobs, for trainer tests
    name: blobs-3
    default_tolerance_mm: 3
    landmarks:
      - name: upper_left
      - name: upper_right
      - name: lower
    """

    static let columns = 96, rows = 128

    static func image(_ i: Int, seed: UInt64) -> AnnotatedImage {
        var rng = SeededRandom.derive(seed, UInt64(i))
        let w = Double(columns), h = Double(rows)
        let points = [
            LandmarkPoint(x: rng.uniform(0.15, 0.4) * w, y: rng.uniform(0.15, 0.4) * h),
            LandmarkPoint(x: rng.uniform(0.6, 0.85) * w, y: rng.uniform(0.15, 0.4) * h),
            LandmarkPoint(x: rng.uniform(0.3, 0.7) * w, y: rng.uniform(0.6, 0.85) * h),
        ]
        return AnnotatedImage(id: "blob-\(i)", relativePath: "blob-\(i).tif", url: URL(fileURLWithPath: "/blobs/\(seed)/\(i)"),
                              width: columns, height: rows,
                              spacing: PixelSpacing(rowMM: 0.5, columnMM: 0.5, source: .manifest), landmarks: points)
    }

    /// Renders the pixels from the landmarks the URL names, so no files are needed.
    struct Source: ImageSource {
        func image(at url: URL) throws -> XRayImage {
            let parts = url.path.split(separator: "/")
            let seed = UInt64(parts[parts.count - 2])!, i = Int(parts[parts.count - 1])!
            let item = BlobTask.image(i, seed: seed)
            var px = [Float](repeating: 0, count: columns * rows)
            for p in item.landmarks.compactMap({ $0 }) {
                for y in 0..<rows {
                    for x in 0..<columns {
                        let d2 = (Double(x) - p.x) * (Double(x) - p.x) + (Double(y) - p.y) * (Double(y) - p.y)
                        px[y * columns + x] += Float(1000 * exp(-d2 / (2 * 9)))
                    }
                }
            }
            return XRayImage(rows: rows, columns: columns, pixels: px, spacing: item.spacing)
        }
    }

    static func data(train: Int = 8, validation: Int = 4, seed: UInt64 = 11) throws -> TrainingData {
        let schema = try LandmarkSchema.parse(yaml: schemaYAML, file: "blobs-3.yaml")
        return TrainingData(schema: schema, schemaYAML: schemaYAML,
                            train: (0..<train).map { image($0, seed: seed) },
                            validation: (train..<(train + validation)).map { image($0, seed: seed) },
                            source: Source(), contrast: PercentileWindow.applier, randomProtocols: [])
    }

    static func config(epochs: Int) -> TrainConfig {
        var c = TrainConfig()
        c.preset = .small
        c.loss = .mse
        c.contrastProtocol = .named("high")
        c.epochs = epochs
        c.batchSize = 4
        c.inputWidth = 64
        c.inputHeight = 64
        c.sigma = 1.5
        c.learningRate = 3e-3
        c.warmupEpochs = 0
        c.seed = 3
        c.threads = 2
        return c
    }

    static func tempDir(_ name: String = #function) throws -> URL {
        let u = FileManager.default.temporaryDirectory
            .appendingPathComponent("ldk-trainer-\(name.filter { $0.isLetter })-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
