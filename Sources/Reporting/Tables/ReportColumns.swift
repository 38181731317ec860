import Foundation

/// How numbers are written in every output. One formatter for HTML, CSV and Markdown, so a value reads the
/// same everywhere and tests can compare the files cell by cell.
public enum ReportFormat {
    /// What a missing measurement reads as (no spacing → no mm; never 0).
    public static let notAvailable = "n/a"

    public static func fixed(_ v: Double?, _ decimals: Int) -> String {
        guard let v, v.isFinite else { return notAvailable }
        return String(format: "%.\(decimals)f", v)
    }

    public static func distance(_ v: Double?) -> String { fixed(v, 3) }
    /// SDR as a percentage with two decimals.
    public static func rate(_ v: Double?) -> String { fixed(v.map { $0 * 100 }, 2) }
    public static func change(_ v: Double?) -> String { fixed(v, 1) }
    public static func threshold(_ v: Double) -> String { String(format: "%.2f", v) }
}

/// One column of the metric tables: its machine key (CSV header, HTML data attribute), its header text and
/// how a row's value is written.
public struct ReportColumn: Sendable {
    public var key: String
    /// The header on its own, for one-row headers (Markdown): "MRE mm", "SDR 2 mm %".
    public var header: String
    /// The HTML table's two-row header puts related columns under one group ("SDR (%)") that names their unit,
    /// so each column's own label ("2 mm") can be short; nil for a column that stands alone.
    public var group: String?
    /// The text under `group`; the same as `header` for a column without one.
    public var label: String
    public var value: @Sendable (ReportRow) -> String

    /// Every metric column, in table order.
    public static let metrics: [ReportColumn] = [
        ReportColumn(key: "gt_present", header: "GT present") { String($0.groundTruthPresent) },
        ReportColumn(key: "fn", header: "FN") { String($0.falseNegatives) },
        ReportColumn(key: "fn_change_pct", header: "FN Δ%") { ReportFormat.change($0.falseNegativeChangePercent) },
        ReportColumn(key: "fp", header: "FP") { String($0.falsePositives) },
        ReportColumn(key: "misses", header: "Misses") { String($0.misses) },
        ReportColumn(key: "matched", header: "Matched") { String($0.matched) },
        ReportColumn(key: "mre_mm", header: "MRE mm", group: "Error (mm)", label: "MRE") { ReportFormat.distance($0.mreMM) },
        ReportColumn(key: "median_mm", header: "Median mm", group: "Error (mm)", label: "Median") { ReportFormat.distance($0.medianMM) },
        ReportColumn(key: "mre_px", header: "MRE px", group: "Error (px)", label: "MRE") { ReportFormat.distance($0.mrePX) },
        ReportColumn(key: "median_px", header: "Median px", group: "Error (px)", label: "Median") { ReportFormat.distance($0.medianPX) },
        ReportColumn(key: "mre_change_pct", header: "MRE Δ%") { ReportFormat.change($0.mreChangePercent) },
        // Every ground-truth landmark at its peak, detected or not: comparable across models whose FN differ.
        ReportColumn(key: "mre_all_mm", header: "MRE all GT mm", group: "All GT landmarks", label: "MRE mm") {
            ReportFormat.distance($0.mreAllMM)
        },
        ReportColumn(key: "mre_all_px", header: "MRE all GT px", group: "All GT landmarks", label: "MRE px") {
            ReportFormat.distance($0.mreAllPX)
        },
        ReportColumn(key: "mre_all_change_pct", header: "MRE all GT Δ%", group: "All GT landmarks", label: "Δ%") {
            ReportFormat.change($0.mreAllChangePercent)
        },
    ] + ReportRow.sdrRadiiMM.enumerated().map { i, r in
        let label = r == r.rounded() ? String(Int(r)) : String(r)
        return ReportColumn(key: "sdr_\(label)mm_pct", header: "SDR \(label) mm %", group: "SDR (%)", label: "\(label) mm") {
            ReportFormat.rate($0.sdr[i])
        }
    }

    public init(key: String, header: String, group: String? = nil, label: String? = nil,
                value: @escaping @Sendable (ReportRow) -> String) {
        self.key = key; self.header = header; self.group = group; self.label = label ?? header; self.value = value
    }
}
