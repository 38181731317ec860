import Foundation
import TestSupport
import XCTest
@testable import Reporting

/// The numbers in report.html equal those in report.csv and report.json, read back from the written files.
final class ReportFilesAgreeTests: XCTestCase {
    func testHTMLCSVAndJSONAgree() throws {
        let out = try Scratch.directory("agree")
        defer { try? FileManager.default.removeItem(at: out) }
        let data = try HandBuiltCase.data()
        let tables = ReportTables(data)
        try ReportWriter.write(data: data, tables: tables, worstCases: [], notes: [], to: out)

        let files = try ReportFilesAgreement.read(out)
        // 2 models × (1 overall + 3 landmarks + 2 images) rows × 15 columns, + 2 × 19 τ × 2 sweep cells.
        XCTAssertEqual(files.csvCells.count, 2 * 6 * ReportColumn.metrics.count + 2 * 19 * 2)
        XCTAssertEqual(files.document.rows.count, 12)
        XCTAssertEqual(files.document.data, data)
        XCTAssertEqual(try ReportFilesAgreement.assertAgree(files), files.csvCells.count)

        // The paper-style summary cell and the Markdown copy.
        XCTAssertTrue(files.html.contains("1 (\u{2212}50%)"))
        XCTAssertTrue(files.markdown.contains("| afl | 1 (\u{2212}50%) | 5 |"), files.markdown)
        XCTAssertTrue(files.markdown.contains("| baseline | b/img2 | 3 | 1 |"), "per-image row with its GT count and FN")
    }
}
