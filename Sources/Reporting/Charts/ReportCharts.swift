import Charts
import RunArtefacts

/// The report's charts, each an inline SVG with a stable id the HTML and tests refer to.
public enum ReportCharts {
    public static let falseNegativesID = "chart-fn-per-protocol"
    public static func sweepID(_ contrastProtocol: String) -> String { "chart-sweep-\(slug(contrastProtocol))" }
    public static func landmarkErrorID(_ contrastProtocol: String) -> String { "chart-landmark-error-\(slug(contrastProtocol))" }
    public static func difficultyID(_ model: String) -> String { "chart-difficulty-\(slug(model))" }

    /// Ids are built from user names; anything but letters, digits and '-' becomes '-'.
    public static func slug(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
    }

    /// FN per protocol, one bar per model: the table-3 numbers as a picture.
    public static func falseNegatives(_ data: ReportData, _ tables: ReportTables) -> String {
        GroupedBarChart(id: falseNegativesID, title: "False negatives per contrast protocol", valueLabel: "false negatives",
                        categories: data.protocols,
                        series: data.models.map { m in
                            (name: m.name, values: data.protocols.map { p in tables.overall(model: m.name, contrastProtocol: p).map { Double($0.falseNegatives) } })
                        }).svg()
    }

    /// FN (solid) and FP (dashed) against τ, per model, for one protocol.
    public static func sweep(_ data: ReportData, _ tables: ReportTables, contrastProtocol p: String) -> String {
        var lines: [LineChart.Line] = []
        for (i, m) in data.models.enumerated() {
            let rows = tables.sweep(model: m.name, contrastProtocol: p)
            lines.append(.init(name: "\(m.name) FN", points: rows.map { (x: $0.threshold, y: Double($0.falseNegatives)) }, color: Palette.color(i)))
            lines.append(.init(name: "\(m.name) FP", points: rows.map { (x: $0.threshold, y: Double($0.falsePositives)) }, color: Palette.color(i), dash: "6 4"))
        }
        return LineChart(id: sweepID(p), title: "FN and FP against the presence threshold τ (\(p))", xLabel: "τ",
                         yLabel: "landmarks", lines: lines).svg()
    }

    /// MRE per landmark, per model, for one protocol; in mm when every model measured that protocol in mm, else px.
    public static func landmarkError(_ data: ReportData, _ tables: ReportTables, contrastProtocol p: String) -> String {
        let names = data.results.first { $0.contrastProtocol == p }?.evaluation.landmarks.map(\.name) ?? []
        let perModel = data.models.map { tables.rows(scope: .landmark, contrastProtocol: p, model: $0.name) }
        let useMM = perModel.allSatisfy { rows in rows.contains { $0.mreMM != nil } }
        let series = zip(data.models, perModel).map { m, rows -> (name: String, values: [Double?]) in
            (m.name, names.map { n in rows.first { $0.item == n }.flatMap { useMM ? $0.mreMM : $0.mrePX } })
        }
        return GroupedBarChart(id: landmarkErrorID(p), title: "Mean radial error per landmark (\(p))",
                               valueLabel: useMM ? "MRE (mm)" : "MRE (px)", categories: names, series: series).svg()
    }

    /// The easiest and hardest samples' difficulty over epochs (paper figure 3), the same figure the trainer writes.
    public static func difficulty(model: String, log: DifficultyLog, count: Int = 3) -> String {
        DifficultyChart.svg(log, id: difficultyID(model), count: count, title: "AFL difficulty over training (\(model))")
    }
}
