import Foundation
import XCTest
@testable import Reporting

/// Reads a written report folder back and checks, cell by cell, that every number report.html shows equals the
/// one in report.csv and in report.json. Shared by the synthetic fixture and the hand-xray run, so both hold the
/// files to the same standard.
enum ReportFilesAgreement {
    /// The report files as written, plus the HTML and CSV cells keyed alike ("model|protocol|scope|item|column").
    struct Files {
        var html: String
        var csv: String
        var markdown: String
        var document: ReportDocument
        var htmlCells: [String: String]
        var csvCells: [String: String]
    }

    static func read(_ folder: URL) throws -> Files {
        let html = try String(contentsOf: folder.appendingPathComponent(ReportWriter.htmlFile), encoding: .utf8)
        let csv = try String(contentsOf: folder.appendingPathComponent(ReportWriter.csvFile), encoding: .utf8)
        let markdown = try String(contentsOf: folder.appendingPathComponent(ReportWriter.markdownFile), encoding: .utf8)
        let document = try JSONDecoder().decode(ReportDocument.self, from: Data(contentsOf: folder.appendingPathComponent(ReportWriter.jsonFile)))
        return Files(html: html, csv: csv, markdown: markdown, document: document, htmlCells: try htmlCells(html), csvCells: csvCells(csv))
    }

    /// Every `data-k` cell of the HTML: key → shown text.
    static func htmlCells(_ html: String) throws -> [String: String] {
        let regex = try NSRegularExpression(pattern: #"data-k="([^"]*)"[^>]*>([^<]*)<"#)
        var cells: [String: String] = [:]
        for m in regex.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let key = unescape(String(html[Range(m.range(at: 1), in: html)!]))
            cells[key] = unescape(String(html[Range(m.range(at: 2), in: html)!]))
        }
        return cells
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// report.csv as key → value with the same key layout as the HTML (items here hold no commas).
    static func csvCells(_ csv: String) -> [String: String] {
        let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        var cells: [String: String] = [:]
        for row in lines.dropFirst() {
            for (i, column) in header.enumerated().dropFirst(4) where !row[i].isEmpty {
                cells[row[0...3].joined(separator: "|") + "|" + column] = row[i]
            }
        }
        return cells
    }

    /// The JSON value behind one CSV/HTML column, straight from the decoded rows.
    static func jsonValue(_ r: ReportRow, _ column: String) -> Double? {
        switch column {
        case "gt_present": return Double(r.groundTruthPresent)
        case "fn": return Double(r.falseNegatives)
        case "fp": return Double(r.falsePositives)
        case "misses": return Double(r.misses)
        case "matched": return Double(r.matched)
        case "mre_mm": return r.mreMM
        case "median_mm": return r.medianMM
        case "mre_px": return r.mrePX
        case "median_px": return r.medianPX
        case "fn_change_pct": return r.falseNegativeChangePercent
        case "mre_change_pct": return r.mreChangePercent
        case "mre_all_mm": return r.mreAllMM
        case "mre_all_px": return r.mreAllPX
        case "mre_all_change_pct": return r.mreAllChangePercent
        default:
            let i = ReportColumn.metrics.filter { $0.key.hasPrefix("sdr_") }.firstIndex { $0.key == column }!
            return r.sdr[i].map { $0 * 100 }
        }
    }

    /// Checks every HTML cell against report.csv and report.json, and that the HTML shows every CSV value.
    /// Returns how many cells were compared, so callers can also check the count they expect.
    @discardableResult
    static func assertAgree(_ files: Files, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var compared = 0
        for (key, shown) in files.htmlCells.sorted(by: { $0.key < $1.key }) {
            let csvValue = try XCTUnwrap(files.csvCells[key], "HTML cell \(key) is not in report.csv", file: file, line: line)
            // The summary's FN cell reads "1 (−50%)": its count is the CSV's fn value.
            let number = key.hasSuffix("|fn") && shown.contains("(") ? String(shown.prefix { $0 != " " }) : shown
            XCTAssertEqual(number, csvValue, key, file: file, line: line)
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            if parts[2] == "sweep" {
                let s = try XCTUnwrap(files.document.sweep.first { $0.model == parts[0] && $0.contrastProtocol == parts[1]
                    && ReportFormat.threshold($0.threshold) == parts[3] }, key, file: file, line: line)
                XCTAssertEqual(Int(number), parts[4] == "fn" ? s.falseNegatives : s.falsePositives, key, file: file, line: line)
            } else {
                let r = try XCTUnwrap(files.document.rows.first { $0.model == parts[0] && $0.contrastProtocol == parts[1]
                    && $0.scope.rawValue == parts[2] && $0.item == parts[3] }, key, file: file, line: line)
                if let expected = jsonValue(r, parts[4]) {
                    let v = try XCTUnwrap(Double(number), "\(key): '\(number)' is not a number but JSON has \(expected)", file: file, line: line)
                    // Half a unit of the last printed decimal: 1 for changes, 2 for SDR %, 3 for distances.
                    let half = parts[4].hasSuffix("change_pct") ? 0.051 : parts[4].hasPrefix("sdr_") ? 0.0051 : 0.00051
                    XCTAssertEqual(v, expected, accuracy: half, key, file: file, line: line)
                } else {
                    XCTAssertEqual(number, "n/a", "\(key): JSON has no value", file: file, line: line)
                }
            }
            compared += 1
        }
        XCTAssertEqual(compared, files.csvCells.count, "every CSV value appears in the HTML", file: file, line: line)
        return compared
    }
}
