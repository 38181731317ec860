import Landmarks

/// The rows of every table, derived from `ReportData` once: overall, per landmark and per image for each
/// model and protocol, with changes against the first model filled in, and the τ sweep.
public struct ReportTables: Sendable, Equatable, Codable {
    public var rows: [ReportRow]
    public var sweep: [SweepRow]

    public init(_ data: ReportData) {
        var rows: [ReportRow] = []
        var sweep: [SweepRow] = []
        for p in data.protocols {
            for m in data.models {
                guard let r = data.result(model: m.name, contrastProtocol: p) else { continue }
                let e = r.evaluation
                rows.append(ReportRow(model: m.name, contrastProtocol: p, scope: .overall, item: "all", summary: e.overall))
                rows += e.landmarks.map { ReportRow(model: m.name, contrastProtocol: p, scope: .landmark, item: $0.name, summary: $0.summary) }
                rows += e.images.map { ReportRow(model: m.name, contrastProtocol: p, scope: .image, item: $0.id, summary: $0.summary) }
                sweep += e.sweep.map {
                    SweepRow(model: m.name, contrastProtocol: p, threshold: $0.threshold, falseNegatives: $0.falseNegatives,
                             falsePositives: $0.falsePositives)
                }
            }
        }
        if let base = data.baseline?.name {
            var baseline: [String: ReportRow] = [:]
            for r in rows where r.model == base { baseline[Self.key(r)] = r }
            for i in rows.indices where rows[i].model != base {
                guard let b = baseline[Self.key(rows[i])] else { continue }
                rows[i].falseNegativeChangePercent = RelativeChange.percent(Double(rows[i].falseNegatives), baseline: Double(b.falseNegatives))
                // Only like with like: an mm MRE is never compared with a px one.
                if let v = rows[i].preferredMRE, let w = b.preferredMRE, v.unit == w.unit {
                    rows[i].mreChangePercent = RelativeChange.percent(v.value, baseline: w.value)
                }
                if let v = rows[i].preferredMREAll, let w = b.preferredMREAll, v.unit == w.unit {
                    rows[i].mreAllChangePercent = RelativeChange.percent(v.value, baseline: w.value)
                }
            }
        }
        self.rows = rows
        self.sweep = sweep
    }

    static func key(_ r: ReportRow) -> String { "\(r.contrastProtocol)\u{0}\(r.scope.rawValue)\u{0}\(r.item)" }

    public func rows(scope: RowScope, contrastProtocol: String? = nil, model: String? = nil) -> [ReportRow] {
        rows.filter { $0.scope == scope && (contrastProtocol == nil || $0.contrastProtocol == contrastProtocol)
            && (model == nil || $0.model == model) }
    }

    public func overall(model: String, contrastProtocol: String) -> ReportRow? {
        rows.first { $0.scope == .overall && $0.model == model && $0.contrastProtocol == contrastProtocol }
    }

    public func sweep(model: String, contrastProtocol: String) -> [SweepRow] {
        sweep.filter { $0.model == model && $0.contrastProtocol == contrastProtocol }
    }
}
