/// Everything `report.json` holds: the raw evaluations and the derived table rows, sweep and worst cases.
public struct ReportDocument: Sendable, Equatable, Codable {
    public var data: ReportData
    public var rows: [ReportRow]
    public var sweep: [SweepRow]
    public var worstCases: [WorstCase]
    public var notes: [String]
}
