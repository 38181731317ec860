import Reporting

/// The console summary of a finished report, shared by `report` and `demo`: its notes, then one line per
/// protocol with every model's false negatives and the change against the first model.
enum ReportConsole {
    static func printNotes(_ result: ReportJob.Result) {
        for note in result.notes { Console.print("report: \(note)") }
    }

    static func printFalseNegatives(_ result: ReportJob.Result) {
        for p in result.data.protocols {
            let cells = result.data.models.compactMap { m in
                result.tables.overall(model: m.name, contrastProtocol: p).map { "\(m.name) \(SummaryCell.text($0))/\($0.groundTruthPresent)" }
            }
            Console.print("  \(p): FN " + cells.joined(separator: ", "))
        }
    }

    /// One line per AFL model and protocol: how well its critic's score ranks images by error.
    static func printDifficultyRankings(_ result: ReportJob.Result) {
        for r in result.data.difficultyRankings {
            Console.print("  \(r.model) × \(r.contrastProtocol): difficulty vs MRE Spearman ρ \(ReportFormat.fixed(r.spearman, 3)); "
                + "hardest \(r.hardestCount) of \(r.images) images MRE \(ReportFormat.distance(r.hardestMRE)) vs rest "
                + "\(ReportFormat.distance(r.restMRE)) \(r.unit)")
        }
    }
}
