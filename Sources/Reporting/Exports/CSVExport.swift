import FileOutput

/// `report.csv`: one row per model × protocol × scope × item with every metric column, then the τ sweep as
/// rows of scope `sweep` (item = τ; only FN and FP filled). Values are written exactly as the HTML shows them.
public enum CSVExport {
    public static let leadingColumns = ["model", "protocol", "scope", "item"]

    public static var header: [String] { leadingColumns + ReportColumn.metrics.map(\.key) }

    public static func render(_ tables: ReportTables) -> String {
        var lines = [CSV.row(header)]
        for r in tables.rows {
            let cells = [r.model, r.contrastProtocol, r.scope.rawValue, r.item] + ReportColumn.metrics.map { $0.value(r) }
            lines.append(CSV.row(cells))
        }
        let fn = header.firstIndex(of: "fn")!, fp = header.firstIndex(of: "fp")!
        for s in tables.sweep {
            var cells = [String](repeating: "", count: header.count)
            cells[0] = s.model; cells[1] = s.contrastProtocol; cells[2] = "sweep"; cells[3] = ReportFormat.threshold(s.threshold)
            cells[fn] = String(s.falseNegatives); cells[fp] = String(s.falsePositives)
            lines.append(CSV.row(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
