import Foundation
import Landmarks
import RunArtefacts

/// One evaluated model as the report names it.
public struct ReportModel: Sendable, Equatable, Codable {
    /// Short display name (the directory's name, or the run directory's when the model sits in `model/`).
    public var name: String
    /// The model directory, relative to the working directory when it lies below it (never a machine's
    /// absolute layout when the user gave a relative one; never patient data).
    public var path: String
    /// Free-form training facts from the model card, e.g. whether AFL was on.
    public var training: [String: String]

    public init(name: String, path: String, training: [String: String] = [:]) {
        self.name = name; self.path = path; self.training = training
    }

    /// `url` relative to `workingDirectory` when it lies below it, else its full path.
    public static func displayPath(_ url: URL,
                                   workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        let path = url.standardizedFileURL.path
        let base = URL(fileURLWithPath: workingDirectory).standardizedFileURL.path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}

/// The evaluation of one model under one contrast protocol.
public struct ProtocolResult: Sendable, Equatable, Codable {
    public var model: String
    public var contrastProtocol: String
    public var evaluation: EvaluationReport

    public init(model: String, contrastProtocol: String, evaluation: EvaluationReport) {
        self.model = model; self.contrastProtocol = contrastProtocol; self.evaluation = evaluation
    }
}

/// Every number a report shows: models × protocols evaluations, plus optional AFL difficulty logs.
/// All outputs (HTML, CSV, JSON, Markdown) are rendered from this one value, so they cannot disagree.
public struct ReportData: Sendable, Equatable, Codable {
    /// In comparison order: relative changes are against the first.
    public var models: [ReportModel]
    public var protocols: [String]
    public var results: [ProtocolResult]
    /// The τ the evaluations used (nil: each model's own card threshold).
    public var threshold: Double?
    /// Dataset facts for the header: its folder name and the split evaluated.
    public var dataset: String
    public var split: String
    public var imageCount: Int
    /// Difficulty logs of runs that had one, keyed by model name.
    public var difficulty: [String: DifficultyLog]
    /// For models that kept their AFL critic: how well its per-image score ranks images by error, per protocol.
    public var difficultyRankings: [DifficultyRanking]

    public init(models: [ReportModel], protocols: [String], results: [ProtocolResult], threshold: Double?,
                dataset: String, split: String, imageCount: Int, difficulty: [String: DifficultyLog] = [:],
                difficultyRankings: [DifficultyRanking] = []) {
        self.models = models; self.protocols = protocols; self.results = results; self.threshold = threshold
        self.dataset = dataset; self.split = split; self.imageCount = imageCount; self.difficulty = difficulty
        self.difficultyRankings = difficultyRankings
    }

    public func result(model: String, contrastProtocol: String) -> ProtocolResult? {
        results.first { $0.model == model && $0.contrastProtocol == contrastProtocol }
    }

    /// The first model: the baseline of every relative change.
    public var baseline: ReportModel? { models.first }
}
