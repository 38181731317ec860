/// `report.md`: the summary table in the paper's table-3 layout, then each protocol's overall, per-landmark and
/// per-image tables, and the τ sweep, with the same formatted values as the HTML.
public enum MarkdownExport {
    public static func render(_ data: ReportData, _ tables: ReportTables, worstCases: [WorstCase], notes: [String]) -> String {
        var md = "# Landmark report: false negatives per contrast protocol\n\n"
        md += "Dataset `\(data.dataset)`, split `\(data.split)`, \(data.imageCount) images. "
        md += "Presence threshold τ: \(data.threshold.map { ReportFormat.threshold($0) } ?? "each model's own").\n\n"
        md += "## Summary (false negatives; change against \(data.baseline?.name ?? "-"))\n\n"
        md += row(["Model"] + data.protocols.flatMap { ["\($0) FN", "\($0) total"] })
        md += row(Array(repeating: "---", count: 1 + 2 * data.protocols.count))
        for m in data.models {
            md += row([m.name] + data.protocols.flatMap { p -> [String] in
                guard let r = tables.overall(model: m.name, contrastProtocol: p) else { return ["n/a", "n/a"] }
                return [SummaryCell.text(r), String(r.groundTruthPresent)]
            })
        }
        for p in data.protocols {
            md += "\n## Protocol `\(p)`\n\n"
            for scope in RowScope.allCases {
                md += "### \(scope == .overall ? "Overall" : scope == .landmark ? "Per landmark" : "Per image")\n\n"
                md += metricTable(tables.rows(scope: scope, contrastProtocol: p), itemHeader: scope == .overall ? nil : scope.rawValue)
            }
            md += "### FN and FP against τ\n\n"
            md += row(["τ"] + data.models.flatMap { ["\($0.name) FN", "\($0.name) FP"] })
            md += row(Array(repeating: "---", count: 1 + 2 * data.models.count))
            let taus = tables.sweep(model: data.models[0].name, contrastProtocol: p).map(\.threshold)
            for (i, t) in taus.enumerated() {
                md += row([ReportFormat.threshold(t)] + data.models.flatMap { m -> [String] in
                    let s = tables.sweep(model: m.name, contrastProtocol: p)
                    return i < s.count ? [String(s[i].falseNegatives), String(s[i].falsePositives)] : ["n/a", "n/a"]
                })
            }
        }
        if !data.difficultyRankings.isEmpty {
            md += "\n## AFL difficulty as a review score\n\n"
            md += "Spearman ρ between each image's critic difficulty and its MRE over all ground-truth landmarks, and "
            md += "the MRE of the hardest 10 % of images by difficulty against the rest.\n\n"
            md += row(DifficultyRanking.columns) + row(Array(repeating: "---", count: DifficultyRanking.columns.count))
            for r in data.difficultyRankings { md += row(r.cells) }
        }
        if !worstCases.isEmpty {
            md += "\n## Worst cases\n\n"
            for w in worstCases {
                md += "- \(w.model) × \(w.contrastProtocol): `\(w.image)` — FN \(w.falseNegatives), misses \(w.misses), FP \(w.falsePositives), MRE \(ReportFormat.distance(w.mrePX)) px ([overlay](\(w.file)))\n"
            }
        }
        if !notes.isEmpty { md += "\n## Notes\n\n" + notes.map { "- \($0)\n" }.joined() }
        return md
    }

    static func metricTable(_ rows: [ReportRow], itemHeader: String?) -> String {
        var md = row(["Model"] + (itemHeader.map { [$0] } ?? []) + ReportColumn.metrics.map(\.header))
        md += row(Array(repeating: "---", count: 1 + (itemHeader == nil ? 0 : 1) + ReportColumn.metrics.count))
        for r in rows {
            md += row([r.model] + (itemHeader == nil ? [] : [r.item]) + ReportColumn.metrics.map { $0.value(r) })
        }
        return md + "\n"
    }

    static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
    }
}

/// The table-3 cell: "27 (−72%)" for compared models, "98" for the baseline or a zero baseline.
public enum SummaryCell {
    public static func text(_ r: ReportRow) -> String {
        guard let label = RelativeChange.label(r.falseNegativeChangePercent) else { return String(r.falseNegatives) }
        return "\(r.falseNegatives) (\(label))"
    }
}
