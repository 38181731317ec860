import Charts
import Foundation
import RunArtefacts

/// `report.html`: one self-contained page (inline CSS and SVG; overlays are PNG files beside it, referenced by
/// relative path). Every metric cell carries `data-k="model|protocol|scope|item|column"` so tools and tests can
/// read values back and match them with report.csv and report.json.
public enum HTMLReport {
    public static let summaryTableID = "summary-table"

    public static func render(_ data: ReportData, _ tables: ReportTables, worstCases: [WorstCase], notes: [String]) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Landmark report</title>"
        h += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><style>\(HTMLStyle.css)</style></head><body>\n"
        h += "<h1>Landmark report: false negatives per contrast protocol</h1>\n"
        h += "<p class=\"meta\">Dataset <b>\(e(data.dataset))</b>, split <b>\(e(data.split))</b>, \(data.imageCount) images, "
        h += "\(data.protocols.count) protocols, \(data.models.count) model\(data.models.count == 1 ? "" : "s"). Presence threshold τ: "
        h += "\(data.threshold.map { ReportFormat.threshold($0) } ?? "each model's own").</p>\n"
        h += "<p class=\"meta\">False negative: ground truth present, no heatmap value ≥ τ. False positive: ground truth absent, detection present. "
        h += "Miss: detected farther than the landmark's tolerance. mm columns read n/a for images without pixel spacing.</p>\n"
        h += modelTable(data.models)

        h += "<h2>Summary</h2>\n<div class=\"scroll\">" + summaryTable(data, tables) + "</div>\n"
        h += "<div class=\"charts\">\(ReportCharts.falseNegatives(data, tables))</div>\n"

        for p in data.protocols {
            h += "<h2 id=\"protocol-\(ReportCharts.slug(p))\">Protocol: \(e(p))</h2>\n"
            h += metricTable(tables.rows(scope: .overall, contrastProtocol: p), itemHeader: nil)
            h += "<div class=\"charts\">\(ReportCharts.sweep(data, tables, contrastProtocol: p))</div>\n"
            h += "<h3>Per landmark</h3><div class=\"charts scroll\">\(ReportCharts.landmarkError(data, tables, contrastProtocol: p))</div>\n"
            h += "<div class=\"scroll\">" + metricTable(tables.rows(scope: .landmark, contrastProtocol: p), itemHeader: "Landmark") + "</div>\n"
            h += "<details><summary>Per image</summary><div class=\"scroll\">"
                + metricTable(tables.rows(scope: .image, contrastProtocol: p), itemHeader: "Image") + "</div></details>\n"
            h += sweepTable(data, tables, p)
        }

        // The section appears when some model was trained with AFL or left a difficulty log.
        let aflModels = data.models.filter { data.difficulty[$0.name] != nil || $0.training["afl"] == "true" }
        if !aflModels.isEmpty {
            h += "<h2>AFL difficulty over training</h2>\n"
            var curves = ""
            for m in aflModels {
                if let log = data.difficulty[m.name] {
                    curves += ReportCharts.difficulty(model: m.name, log: log)
                } else {
                    h += "<p class=\"note\">\(e(m.name)): trained with AFL, but no \(DifficultyLog.fileName) in its run directory; no difficulty chart.</p>\n"
                }
            }
            if !curves.isEmpty { h += "<div class=\"charts\">\(curves)</div>\n" }
        }

        if !data.difficultyRankings.isEmpty {
            h += "<h2>AFL difficulty as a review score</h2>\n<p class=\"meta\">Spearman ρ between each image's critic difficulty σ(−d(t')) "
            h += "(from the prediction alone) and its MRE over all ground-truth landmarks, and the MRE of the hardest 10 % of images "
            h += "by difficulty against the rest.</p>\n<table class=\"metrics\"><thead><tr>"
            h += DifficultyRanking.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
            for r in data.difficultyRankings { h += "<tr>" + r.cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }
            h += "</tbody></table>\n"
        }

        h += "<h2>Worst cases</h2>\n"
        h += "<p class=\"legend\"><span><i class=\"swatch\" style=\"background:#3cdc3c\"></i>ground truth</span>"
        h += "<span><i class=\"swatch\" style=\"background:#28c8e6\"></i>detected within tolerance</span>"
        h += "<span><i class=\"swatch\" style=\"background:#ff9600\"></i>miss</span>"
        h += "<span><i class=\"swatch\" style=\"background:#ffeb28\"></i>error line</span>"
        h += "<span><i class=\"swatch\" style=\"background:#eb1e1e\"></i>false negative</span>"
        h += "<span><i class=\"swatch\" style=\"background:#e63cdc\"></i>false positive</span></p>\n"
        if worstCases.isEmpty { h += "<p class=\"note\">No overlays were requested.</p>\n" }
        for w in worstCases {
            h += "<figure><img src=\"\(e(w.file))\" alt=\"overlay of \(e(w.image))\"><figcaption>\(e(w.model)) × \(e(w.contrastProtocol)): "
            h += "\(e(w.image)) — FN \(w.falseNegatives), misses \(w.misses), FP \(w.falsePositives), MRE \(ReportFormat.distance(w.mrePX)) px</figcaption></figure>\n"
        }
        if !notes.isEmpty { h += "<h2>Notes</h2><ul>" + notes.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n" }
        return h + "</body></html>\n"
    }

    static func e(_ s: String) -> String { Markup.escape(s) }

    static func key(_ r: ReportRow, _ column: String) -> String {
        e([r.model, r.contrastProtocol, r.scope.rawValue, r.item, column].joined(separator: "|"))
    }

    /// The paper's table 3 turned sideways: one row per model, one column group per protocol.
    /// The models compared: one column each, headed by its name and directory, with one row per training
    /// setting any of them records ("—" where a model does not record it).
    static func modelTable(_ models: [ReportModel]) -> String {
        // A dataset is named, not located: the training machine's path says nothing to a reader of the report.
        func value(_ m: ReportModel, _ key: String) -> String {
            guard let v = m.training[key] else { return "—" }
            return key == "dataset" ? URL(fileURLWithPath: v).lastPathComponent : v
        }
        func table(_ keys: [String]) -> String {
            var h = "<div class=\"scroll\"><table class=\"metrics\"><thead><tr><th class=\"name\">setting</th>"
            for m in models { h += "<th><b>\(e(m.name))</b><br>\(e(m.path))</th>" }
            h += "</tr></thead><tbody>"
            for key in keys {
                h += "<tr><td class=\"name\">\(e(key))</td>" + models.map { "<td>\(e(value($0, key)))</td>" }.joined() + "</tr>"
            }
            return h + "</tbody></table></div>"
        }
        let settings = Set(models.flatMap(\.training.keys)).sorted()
        // What sets the models apart comes first; the settings they share stay one click away.
        let differing = settings.filter { key in Set(models.map { value($0, key) }).count > 1 }
        var h = ""
        if models.count > 1 { h += "<h2>Models</h2>\n<p class=\"meta\">Training settings that differ between the models:</p>" + table(differing) + "\n" }
        return h + "<details><summary>Every training setting (\(settings.count))</summary>" + table(settings) + "</details>\n"
    }

    static func summaryTable(_ data: ReportData, _ tables: ReportTables) -> String {
        var h = "<table id=\"\(summaryTableID)\" class=\"summary\"><thead><tr><th class=\"name\" rowspan=\"2\">Model</th>"
        h += data.protocols.map { "<th class=\"group\" colspan=\"3\">\(e($0))</th>" }.joined() + "</tr><tr>"
        // Broken by hand: on one line it is wider than the counts under it, and repeated per protocol it made the
        // summary wider than a 1280 px page.
        h += data.protocols.map { _ in "<th>False<br>negatives ↓</th><th>Total</th><th>MRE</th>" }.joined() + "</tr></thead><tbody>"
        for m in data.models {
            h += "<tr><td class=\"name\">\(e(m.name))</td>"
            for p in data.protocols {
                guard let r = tables.overall(model: m.name, contrastProtocol: p) else { h += "<td>n/a</td><td>n/a</td><td>n/a</td>"; continue }
                let tone = r.falseNegativeChangePercent.map { $0 < 0 ? " class=\"better\"" : $0 > 0 ? " class=\"worse\"" : "" } ?? ""
                h += "<td\(tone) data-k=\"\(key(r, "fn"))\" data-change=\"\(ReportFormat.change(r.falseNegativeChangePercent))\">\(e(SummaryCell.text(r)))</td>"
                h += "<td data-k=\"\(key(r, "gt_present"))\">\(r.groundTruthPresent)</td>"
                // A no-break space keeps value and unit together when a narrow window wraps the cell before its change.
                let mre = r.preferredMRE.map { "\(ReportFormat.distance($0.value))\u{00A0}\($0.unit)" } ?? ReportFormat.notAvailable
                h += "<td>\(e(mre))\(RelativeChange.label(r.mreChangePercent).map { " (\($0))" } ?? "")</td>"
            }
            h += "</tr>"
        }
        return h + "</tbody></table>\n"
    }

    static func metricTable(_ rows: [ReportRow], itemHeader: String?) -> String {
        var h = "<table class=\"metrics\"><thead><tr><th class=\"name\" rowspan=\"2\">Model</th>"
        if let itemHeader { h += "<th class=\"name\" rowspan=\"2\">\(e(itemHeader))</th>" }
        h += metricHeader() + "</tr></thead><tbody>"
        for r in rows {
            h += "<tr><td class=\"name\">\(e(r.model))</td>"
            if itemHeader != nil { h += "<td class=\"name\">\(e(r.item))</td>" }
            h += ReportColumn.metrics.map { "<td data-k=\"\(key(r, $0.key))\">\(e($0.value(r)))</td>" }.joined() + "</tr>"
        }
        return h + "</tbody></table>\n"
    }

    /// The metric columns' two header rows (without the opening `<tr>` and closing `</tr>`): grouped columns share
    /// one spanning cell naming their unit, which keeps every column as narrow as its numbers.
    static func metricHeader() -> String {
        var top = "", bottom = ""
        var i = 0
        let columns = ReportColumn.metrics
        while i < columns.count {
            guard let group = columns[i].group else {
                top += "<th rowspan=\"2\">\(e(columns[i].label))</th>"
                i += 1
                continue
            }
            var n = 0
            while i + n < columns.count && columns[i + n].group == group {
                bottom += "<th>\(e(columns[i + n].label))</th>"
                n += 1
            }
            top += "<th class=\"group\" colspan=\"\(n)\">\(e(group))</th>"
            i += n
        }
        return top + "</tr><tr>" + bottom
    }

    static func sweepTable(_ data: ReportData, _ tables: ReportTables, _ p: String) -> String {
        var h = "<details><summary>FN and FP against τ (table)</summary><table class=\"metrics\"><thead><tr><th>τ</th>"
        h += data.models.map { "<th>\(e($0.name)) FN</th><th>\(e($0.name)) FP</th>" }.joined() + "</tr></thead><tbody>"
        let taus = tables.sweep(model: data.models[0].name, contrastProtocol: p).map(\.threshold)
        for (i, t) in taus.enumerated() {
            h += "<tr><td>\(ReportFormat.threshold(t))</td>"
            for m in data.models {
                let s = tables.sweep(model: m.name, contrastProtocol: p)
                let k = e("\(m.name)|\(p)|sweep|\(ReportFormat.threshold(t))")
                h += i < s.count ? "<td data-k=\"\(k)|fn\">\(s[i].falseNegatives)</td><td data-k=\"\(k)|fp\">\(s[i].falsePositives)</td>" : "<td>n/a</td><td>n/a</td>"
            }
            h += "</tr>"
        }
        return h + "</tbody></table></details>\n"
    }
}
