import FileOutput
import Foundation

/// The layout of a run directory and its append-only metrics table.
///
/// ```
/// <run>/config.yaml                  the resolved configuration
/// <run>/metrics.csv                  one row per epoch
/// <run>/difficulty.csv               with AFL: one row per training sample per epoch
/// <run>/difficulty.svg, .png         with AFL: the easiest and hardest samples' scores over epochs
/// <run>/difficulty-separation.csv    with AFL on a phantom set: hard vs easy ROC AUC per epoch
/// <run>/difficulty-spread.csv        with AFL: per epoch, the spread of s_i and of s_i / batch mean
/// <run>/checkpoints/last.safetensors everything needed to resume
/// <run>/checkpoints/best.safetensors the best validation epoch's state
/// <run>/model/                       the best epoch as a self-contained model directory
/// ```
public struct RunDirectory: Sendable {
    public var root: URL
    public init(_ root: URL) { self.root = root }

    public var config: URL { root.appendingPathComponent(TrainConfigFile.runFileName) }
    public var metrics: URL { root.appendingPathComponent("metrics.csv") }
    public var difficulty: URL { root.appendingPathComponent("difficulty.csv") }
    public var difficultySVG: URL { root.appendingPathComponent("difficulty.svg") }
    public var difficultyPNG: URL { root.appendingPathComponent("difficulty.png") }
    public var difficultySeparation: URL { root.appendingPathComponent("difficulty-separation.csv") }
    public var difficultySpread: URL { root.appendingPathComponent(DifficultySpread.fileName) }
    public var checkpoints: URL { root.appendingPathComponent("checkpoints", isDirectory: true) }
    public var lastCheckpoint: URL { checkpoints.appendingPathComponent("last.safetensors") }
    public var bestCheckpoint: URL { checkpoints.appendingPathComponent("best.safetensors") }
    public var model: URL { root.appendingPathComponent("model", isDirectory: true) }

    static let metricsHeader = "epoch,train_loss,val_loss,unit,mre,mre_detected,"
        + Validator.radiiMM.map { "sdr_\(Validator.key($0))" }.joined(separator: ",")
        + ",false_negatives,false_positives,misses,annotated,lr,skipped_steps,seconds"

    static func row(_ r: EpochResult) -> String {
        let v = r.validation
        let sdr = Validator.radiiMM.map { v.successRates[Validator.key($0)].map { String(format: "%.4f", $0) } ?? "" }.joined(separator: ",")
        let detected = v.meanRadialErrorDetected.map { String(format: "%.4f", $0) } ?? ""
        return "\(r.epoch),\(String(format: "%.6g", r.trainLoss)),\(String(format: "%.6g", v.loss)),\(v.unit),"
            + "\(String(format: "%.4f", v.meanRadialError)),\(detected),\(sdr),\(v.falseNegatives),\(v.falsePositives),\(v.misses),"
            + "\(v.annotatedLandmarks),\(String(format: "%.6g", r.learningRate)),\(r.skippedSteps),\(String(format: "%.1f", r.seconds))"
    }

    /// Starts metrics.csv afresh, or on resume keeps only rows up to `keepEpochs` (a run killed after
    /// writing a row but before its checkpoint would otherwise repeat that epoch).
    func prepareMetrics(keepEpochs: Int) throws {
        try Self.prepareEpochTable(metrics, header: Self.metricsHeader, keepEpochs: keepEpochs)
    }

    /// Starts a table whose first column is the epoch afresh, or on resume keeps its rows up to `keepEpochs`.
    static func prepareEpochTable(_ url: URL, header: String, keepEpochs: Int) throws {
        var lines = [header]
        if keepEpochs > 0, let text = try? String(contentsOf: url, encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                if let e = Int(line.prefix { $0 != "," }), e <= keepEpochs { lines.append(String(line)) }
            }
        }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: url)
    }

    static func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func appendMetrics(_ r: EpochResult) throws {
        try Self.append(Self.row(r) + "\n", to: metrics)
    }

    static let difficultyHeader = "epoch,image,difficulty"

    /// Starts difficulty.csv afresh, or on resume keeps only rows of epochs up to `keepEpochs`, so an
    /// epoch whose rows were written before a kill but whose checkpoint was not is not logged twice.
    func prepareDifficulty(keepEpochs: Int) throws {
        try Self.prepareEpochTable(difficulty, header: Self.difficultyHeader, keepEpochs: keepEpochs)
        try Self.prepareEpochTable(difficultySpread, header: DifficultySpread.csvHeader, keepEpochs: keepEpochs)
    }

    /// One row per epoch; an epoch without a finite score writes nothing.
    func appendDifficultySpread(_ spread: DifficultySpread?) throws {
        guard let spread else { return }
        try Self.append(spread.csvRow + "\n", to: difficultySpread)
    }

    /// One row per sample; `image` is the dataset's image id (its relative path), never patient identity.
    /// Ids are quoted when they hold a comma or quote, so the table stays parseable.
    func appendDifficulty(epoch: Int, rows: [(String, Float)]) throws {
        let text = rows.map { "\(epoch),\(CSV.field($0.0)),\(String(format: "%.6g", $0.1))\n" }.joined()
        try Self.append(text, to: difficulty)
    }
}
