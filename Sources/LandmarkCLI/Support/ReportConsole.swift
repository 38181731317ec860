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
}
