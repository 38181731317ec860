import ArgumentParser
import Cluster
import ContrastProtocols
import Foundation
import Reporting

/// `landmark report`: false negatives (and FP, misses, errors) per contrast protocol for one or more models.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate models on a test set under each contrast protocol and report what they missed.",
        discussion: """
        Arguments are one or more MODELs (model directories, or run directories containing model/) followed by \
        the TEST folder (an X-ray folder with images/ and annotations). The first model is the baseline: every \
        other model's false negatives and MRE are shown with their change against it, like "27 (−72%)". \
        Writes into --out: report.html (self-contained: inline CSS and SVG charts; overlays/ beside it), \
        report.csv, report.json, report.md (the same numbers), overlays/<model>/<protocol>/worst-N.png and \
        report-config.json. A false negative is a landmark present in the ground truth with no heatmap value \
        ≥ τ; false positives and misses (detected beyond the schema tolerance) have their own columns. Images \
        are named by their path relative to images/, never by patient identity. A run directory with \
        difficulty.csv (epoch,image,difficulty) also gets the AFL difficulty chart.

        --predictions-sr DIR adds another system's results, read from a folder of DICOM SRs (TID 1500, as \
        `landmark infer --dicom-sr` writes them), as one more arm after the models: each SR is matched to a test \
        image by the SOP Instance UID it references, and each landmark to the schema by its code. A test image \
        with no SR counts every landmark as not found. Its numbers do not depend on the protocol.
        """)

    @Argument(help: "MODEL [MODEL…] TEST-FOLDER")
    var paths: [String]

    @Option(parsing: .upToNextOption, help: "More models to compare against the first (after the positional ones).")
    var compare: [String] = []

    @Option(name: .customLong("predictions-sr"),
            help: "A folder of DICOM SRs from another system, compared after the models (repeatable).")
    var predictionsSR: [String] = []

    @Option(help: "Contrast protocols: 'all' (higher, high, low, lower) or a comma-separated list.")
    var protocols = "all"

    @Option(name: .customLong("protocols-dir"), help: "Extra folder of protocol YAML files (repeatable).")
    var protocolDirectories: [String] = []

    @Option(help: "Folder to write into.")
    var out: String

    @Option(help: "Images evaluated: test, valid or all.")
    var split: String = "test"

    @Option(help: "Presence threshold τ for every model (default: each model's own).")
    var threshold: Double?

    @Flag(inversion: .prefixedNo, help: "Run the refinement stage of two-stage models (--no-refine measures the first stage alone).")
    var refine = true

    @Option(help: "Worst-case overlays per model and protocol.")
    var worst = 3

    @Option(help: "Images per forward pass.")
    var batchSize = 4

    @OptionGroup var engine: EngineThreadsOption

    func validate() throws {
        guard paths.count >= 2 else { throw ValidationError("give at least one model and then the test folder") }
        guard ReportSplit(rawValue: split) != nil else { throw ValidationError("--split must be test, valid or all") }
        if let t = threshold, !(t > 0 && t <= 1) { throw ValidationError("--threshold must be in (0, 1]") }
        guard worst >= 0 else { throw ValidationError("--worst must be 0 or more") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() throws {
        try ClusterSession.run(threads: engine.threads) { try run(on: $0) }
    }

    private func run(on cluster: any Communicator) throws {
        let url = { (p: String) in URL(fileURLWithPath: p) }
        var options = ReportOptions(models: (paths.dropLast() + compare).map(url), dataset: url(paths.last!), output: url(out))
        options.split = ReportSplit(rawValue: split)!
        options.protocols = protocols == "all" ? [] : protocols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        options.threshold = threshold
        options.refine = refine
        options.worstCount = worst
        options.batchSize = batchSize
        options.protocolLibrary = try ProtocolLibrary.load(userDirectories: protocolDirectories.map(url))
        options.srPredictions = predictionsSR.map(url)

        let bar = ProgressBar("report", unit: "evaluations")
        let result: ReportJob.Result
        do {
            result = try ReportJob(options: options, communicator: cluster).run { done, total, what in bar.update(done: done, total: total, note: what) }
        } catch let error as ReportError {
            throw ValidationError(error.message)
        }
        ReportConsole.printNotes(result)
        Console.print("report: \(result.data.imageCount) images × \(result.data.protocols.count) protocols × "
            + "\(result.data.models.count) model(s), \(result.decodedImages) files decoded → \(out)/\(ReportWriter.htmlFile)")
        ReportConsole.printFalseNegatives(result)
        ReportConsole.printDifficultyRankings(result)
    }
}
