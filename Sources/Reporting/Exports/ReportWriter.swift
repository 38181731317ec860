import Foundation

/// Writes report.html, report.csv, report.json and report.md into a folder, each atomically, all from the same
/// `ReportData` and `ReportTables`.
public enum ReportWriter {
    public static let htmlFile = "report.html"
    public static let csvFile = "report.csv"
    public static let jsonFile = "report.json"
    public static let markdownFile = "report.md"

    public static func write(data: ReportData, tables: ReportTables, worstCases: [WorstCase], notes: [String], to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let document = ReportDocument(data: data, rows: tables.rows, sweep: tables.sweep, worstCases: worstCases, notes: notes)
        try json(document).write(to: folder.appendingPathComponent(jsonFile), options: .atomic)
        try Data(CSVExport.render(tables).utf8).write(to: folder.appendingPathComponent(csvFile), options: .atomic)
        try Data(MarkdownExport.render(data, tables, worstCases: worstCases, notes: notes).utf8)
            .write(to: folder.appendingPathComponent(markdownFile), options: .atomic)
        try Data(HTMLReport.render(data, tables, worstCases: worstCases, notes: notes).utf8)
            .write(to: folder.appendingPathComponent(htmlFile), options: .atomic)
    }

    /// Stable key order and unescaped slashes, so reports diff cleanly.
    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
