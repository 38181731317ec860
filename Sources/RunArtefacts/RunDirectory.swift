import FileOutput
import Foundation

/// The layout of a run directory, and the append-only, epoch-keyed tables training writes into it. The
/// metrics table's columns and `config.yaml` are the trainer's (its extension in Training); the difficulty
/// tables are read back by `landmark difficulty` and the report.
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

    public var metrics: URL { root.appendingPathComponent("metrics.csv") }
    public var difficulty: URL { root.appendingPathComponent(DifficultyLog.fileName) }
    public var difficultySVG: URL { root.appendingPathComponent("difficulty.svg") }
    public var difficultyPNG: URL { root.appendingPathComponent("difficulty.png") }
    public var difficultySeparation: URL { root.appendingPathComponent("difficulty-separation.csv") }
    public var difficultySpread: URL { root.appendingPathComponent(DifficultySpread.fileName) }
    public var checkpoints: URL { root.appendingPathComponent("checkpoints", isDirectory: true) }
    public var lastCheckpoint: URL { checkpoints.appendingPathComponent("last.safetensors") }
    public var bestCheckpoint: URL { checkpoints.appendingPathComponent("best.safetensors") }
    public var model: URL { root.appendingPathComponent("model", isDirectory: true) }

    /// Starts a table whose first column is the epoch afresh, or on resume keeps its rows up to `keepEpochs`.
    public static func prepareEpochTable(_ url: URL, header: String, keepEpochs: Int) throws {
        var lines = [header]
        if keepEpochs > 0, let text = try? String(contentsOf: url, encoding: .utf8) {
            for line in text.split(separator: "\n").dropFirst() {
                if let e = Int(line.prefix { $0 != "," }), e <= keepEpochs { lines.append(String(line)) }
            }
        }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: url)
    }

    /// Appends `text` to an existing table.
    public static func append(_ text: String, to url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    public static let difficultyHeader = "epoch,image,difficulty"

    /// Starts difficulty.csv afresh, or on resume keeps only rows of epochs up to `keepEpochs`, so an
    /// epoch whose rows were written before a kill but whose checkpoint was not is not logged twice.
    public func prepareDifficulty(keepEpochs: Int) throws {
        try Self.prepareEpochTable(difficulty, header: Self.difficultyHeader, keepEpochs: keepEpochs)
        try Self.prepareEpochTable(difficultySpread, header: DifficultySpread.csvHeader, keepEpochs: keepEpochs)
    }

    /// One row per epoch; an epoch without a finite score writes nothing.
    public func appendDifficultySpread(_ spread: DifficultySpread?) throws {
        guard let spread else { return }
        try Self.append(spread.csvRow + "\n", to: difficultySpread)
    }

    /// One row per sample; `image` is the dataset's image id (its relative path), never patient identity.
    /// Ids are quoted when they hold a comma or quote, so the table stays parseable.
    public func appendDifficulty(epoch: Int, rows: [(String, Float)]) throws {
        let text = rows.map { "\(epoch),\(CSV.field($0.0)),\(String(format: "%.6g", $0.1))\n" }.joined()
        try Self.append(text, to: difficulty)
    }
}
