import FileOutput
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
        try AtomicFile.write(json(document), to: folder.appendingPathComponent(jsonFile))
        try AtomicFile.write(Data(CSVExport.render(tables).utf8), to: folder.appendingPathComponent(csvFile))
        try AtomicFile.write(Data(MarkdownExport.render(data, tables, worstCases: worstCases, notes: notes).utf8), to: folder.appendingPathComponent(markdownFile))
        try AtomicFile.write(Data(HTMLReport.render(data, tables, worstCases: worstCases, notes: notes).utf8), to: folder.appendingPathComponent(htmlFile))
    }

    /// Stable key order and unescaped slashes, so reports diff cleanly.
    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
