import Foundation
import XCTest
@testable import Reporting

/// The numbers in report.html equal those in report.csv and report.json, read back from the written files.
final class ReportFilesAgreeTests: XCTestCase {
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
        default:
            let i = ReportColumn.metrics.filter { $0.key.hasPrefix("sdr_") }.firstIndex { $0.key == column }!
            return r.sdr[i].map { $0 * 100 }
        }
    }

    func testHTMLCSVAndJSONAgree() throws {
        let out = try HandBuiltCase.temporaryDirectory("agree")
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try HandBuiltCase.data()
        let tables = ReportTables(data)
        try ReportWriter.write(data: data, tables: tables, worstCases: [], notes: [], to: out)

        let html = try String(contentsOf: out.appendingPathComponent(ReportWriter.htmlFile), encoding: .utf8)
        let csv = try String(contentsOf: out.appendingPathComponent(ReportWriter.csvFile), encoding: .utf8)
        let doc = try JSONDecoder().decode(ReportDocument.self, from: Data(contentsOf: out.appendingPathComponent(ReportWriter.jsonFile)))
        let htmlCells = try Self.htmlCells(html), csvCells = Self.csvCells(csv)

        // 2 models × (1 overall + 3 landmarks + 2 images) rows × 15 columns, + 2 × 19 τ × 2 sweep cells.
        XCTAssertEqual(csvCells.count, 2 * 6 * ReportColumn.metrics.count + 2 * 19 * 2)
        XCTAssertEqual(doc.rows.count, 12)
        XCTAssertEqual(doc.data, data)

        var compared = 0
        for (key, shown) in htmlCells {
            let csvValue = try XCTUnwrap(csvCells[key], "HTML cell \(key) is not in report.csv")
            // The summary's FN cell reads "1 (−50%)": its count is the CSV's fn value.
            let number = key.hasSuffix("|fn") && shown.contains("(") ? String(shown.prefix { $0 != " " }) : shown
            XCTAssertEqual(number, csvValue, key)
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            if parts[2] == "sweep" {
                let s = try XCTUnwrap(doc.sweep.first { $0.model == parts[0] && $0.contrastProtocol == parts[1]
                    && ReportFormat.threshold($0.threshold) == parts[3] })
                XCTAssertEqual(Int(number), parts[4] == "fn" ? s.falseNegatives : s.falsePositives, key)
            } else {
                let r = try XCTUnwrap(doc.rows.first { $0.model == parts[0] && $0.contrastProtocol == parts[1]
                    && $0.scope.rawValue == parts[2] && $0.item == parts[3] }, key)
                if let expected = Self.jsonValue(r, parts[4]) {
                    let v = try XCTUnwrap(Double(number), "\(key): '\(number)' is not a number but JSON has \(expected)")
                    // Half a unit of the last printed decimal: 1 for changes, 2 for SDR %, 3 for distances.
                    let half = parts[4].hasSuffix("change_pct") ? 0.051 : parts[4].hasPrefix("sdr_") ? 0.0051 : 0.00051
                    XCTAssertEqual(v, expected, accuracy: half, key)
                } else {
                    XCTAssertEqual(number, "n/a", "\(key): JSON has no value")
                }
            }
            compared += 1
        }
        XCTAssertEqual(compared, csvCells.count, "every CSV value appears in the HTML")
        // The paper-style summary cell and the Markdown copy.
        XCTAssertTrue(html.contains("1 (\u{2212}50%)"))
        let md = try String(contentsOf: out.appendingPathComponent(ReportWriter.markdownFile), encoding: .utf8)
        XCTAssertTrue(md.contains("| afl | 1 (\u{2212}50%) | 5 |"), md)
        XCTAssertTrue(md.contains("| baseline | b/img2 | 3 | 1 |"), "per-image row with its GT count and FN")
    }
}
