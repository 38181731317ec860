import Landmarks
import XCTest

@testable import Reporting

/// FN/FP/miss counting and errors through the report's tables equal the hand-computed values of `HandBuiltCase`.
final class ReportNumbersTests: XCTestCase {
    func row(_ t: ReportTables, _ model: String, _ scope: RowScope, _ item: String) throws -> ReportRow {
        try XCTUnwrap(t.rows.first { $0.model == model && $0.scope == scope && $0.item == item }, "\(model) \(scope) \(item)")
    }

    func value(_ r: ReportRow, _ key: String) -> String {
        ReportColumn.metrics.first { $0.key == key }!.value(r)
    }

    func testOverallCountsAndErrors() throws {
        let t = ReportTables(try HandBuiltCase.data())
        let a = try row(t, "baseline", .overall, "all")
        XCTAssertEqual([a.groundTruthPresent, a.falseNegatives, a.falsePositives, a.misses, a.matched], [5, 2, 1, 0, 3])
        XCTAssertEqual(value(a, "mre_px"), "5.667")      // (3 + 4 + 10) / 3
        XCTAssertEqual(value(a, "median_px"), "4.000")
        XCTAssertEqual(value(a, "mre_mm"), "1.500")      // only img1 has spacing: 3 px × 0.5
        XCTAssertEqual(value(a, "sdr_2mm_pct"), "100.00")
        XCTAssertEqual(value(a, "fn_change_pct"), "n/a") // the baseline has no change

        let b = try row(t, "afl", .overall, "all")
        XCTAssertEqual([b.groundTruthPresent, b.falseNegatives, b.falsePositives, b.misses, b.matched], [5, 1, 0, 1, 4])
        XCTAssertEqual(value(b, "mre_px"), "2.000")      // (6 + 2 + 0 + 0) / 4
        XCTAssertEqual(value(b, "mre_mm"), "2.000")      // (3 + 1) / 2
        XCTAssertEqual(value(b, "sdr_2mm_pct"), "50.00") // 1 mm within, 3 mm not
        XCTAssertEqual(value(b, "sdr_4mm_pct"), "100.00")
        XCTAssertEqual(value(b, "fn_change_pct"), "-50.0")
        XCTAssertEqual(value(b, "mre_change_pct"), "33.3") // 1.5 mm → 2.0 mm
        XCTAssertEqual(SummaryCell.text(b), "1 (\u{2212}50%)")
        XCTAssertEqual(SummaryCell.text(a), "2")
    }

    /// Every ground-truth landmark at its peak, detected or not. Baseline: img1 top 3 px, left 0 px (an FN whose
    /// peak is on the spot); img2 top 4, left 0 (FN), right 10 → 17/5 = 3.4 px; mm only img1: (1.5 + 0)/2 = 0.75.
    /// AFL: 6, 2, 0, 0, 0 → 1.6 px; mm (3 + 1)/2 = 2.0, a change of +166.7 % against 0.75.
    func testMREOverAllGroundTruthLandmarksBesideTheMatchedOne() throws {
        let t = ReportTables(try HandBuiltCase.data())
        let a = try row(t, "baseline", .overall, "all"), b = try row(t, "afl", .overall, "all")
        XCTAssertEqual(value(a, "mre_all_px"), "3.400")
        XCTAssertEqual(value(a, "mre_all_mm"), "0.750")
        XCTAssertEqual(value(a, "mre_px"), "5.667", "the matched-only MRE is unchanged beside it")
        XCTAssertEqual(value(b, "mre_all_px"), "1.600")
        XCTAssertEqual(value(b, "mre_all_mm"), "2.000")
        XCTAssertEqual(value(b, "mre_all_change_pct"), "166.7")
        // The left landmark was never detected by the baseline: no matched MRE, but an all-landmark one.
        let left = try row(t, "baseline", .landmark, "left")
        XCTAssertEqual(value(left, "mre_px"), "n/a")
        XCTAssertEqual(value(left, "mre_all_px"), "0.000")
        XCTAssertTrue(CSVExport.header.contains("mre_all_mm") && CSVExport.header.contains("mre_all_px"))
    }

    func testImageWithoutSpacingHasPixelsButNoMillimetres() throws {
        let t = ReportTables(try HandBuiltCase.data())
        let a2 = try row(t, "baseline", .image, "b/img2")
        XCTAssertEqual(value(a2, "mre_mm"), "n/a")
        XCTAssertEqual(value(a2, "median_mm"), "n/a")
        XCTAssertEqual(value(a2, "sdr_2mm_pct"), "n/a")
        XCTAssertEqual(value(a2, "mre_px"), "7.000")     // (4 + 10) / 2
        XCTAssertEqual(value(a2, "misses"), "0")         // unjudged, never counted as misses
        XCTAssertEqual(value(a2, "fn"), "1")
        let a1 = try row(t, "baseline", .image, "a/img1")
        XCTAssertEqual([a1.groundTruthPresent, a1.falseNegatives, a1.falsePositives], [2, 1, 1])
        XCTAssertEqual(value(a1, "mre_mm"), "1.500")
    }

    func testPerLandmarkRowsAndAbsentGroundTruth() throws {
        let t = ReportTables(try HandBuiltCase.data())
        let left = try row(t, "baseline", .landmark, "left")
        XCTAssertEqual([left.groundTruthPresent, left.falseNegatives, left.matched], [2, 2, 0])
        XCTAssertEqual(value(left, "mre_px"), "n/a")
        let right = try row(t, "baseline", .landmark, "right")
        XCTAssertEqual([right.groundTruthPresent, right.falsePositives, right.falseNegatives], [1, 1, 0])
        let topB = try row(t, "afl", .landmark, "top")
        XCTAssertEqual(topB.misses, 1)
        XCTAssertEqual(value(topB, "mre_px"), "3.000")   // (6 + 0) / 2
        // left: baseline 2 FN, afl 1 FN → −50 %.
        XCTAssertEqual(value(try row(t, "afl", .landmark, "left"), "fn_change_pct"), "-50.0")
    }

    func testSweepAtTauMatchesTheCounts() throws {
        let t = ReportTables(try HandBuiltCase.data())
        let at05 = try XCTUnwrap(t.sweep(model: "baseline", contrastProtocol: "high").first { abs($0.threshold - 0.5) < 1e-9 })
        XCTAssertEqual([at05.falseNegatives, at05.falsePositives], [2, 1])
        // τ = 0.25: img2 left (0.2) is still FN, img1 left (0.3) is now present; FP unchanged.
        let at025 = try XCTUnwrap(t.sweep(model: "baseline", contrastProtocol: "high").first { abs($0.threshold - 0.25) < 1e-9 })
        XCTAssertEqual([at025.falseNegatives, at025.falsePositives], [1, 1])
    }

    func testRelativeChangeLabels() {
        XCTAssertEqual(RelativeChange.label(RelativeChange.percent(27, baseline: 98)), "\u{2212}72%")
        XCTAssertEqual(RelativeChange.label(RelativeChange.percent(110, baseline: 100)), "+10%")
        XCTAssertNil(RelativeChange.percent(3, baseline: 0))
        XCTAssertEqual(RelativeChange.label(0.2), "±0%")
    }

    /// The difficulty section is there only when a model was trained with AFL; an AFL model without its log
    /// gets a note in its place, a plain one gets nothing.
    func testDifficultySectionOnlyForAFLModels() throws {
        var data = try HandBuiltCase.data()
        let tables = ReportTables(data)
        XCTAssertFalse(HTMLReport.render(data, tables, worstCases: [], notes: []).contains("AFL difficulty over training"))
        data.models[1].training["afl"] = "true"
        let html = HTMLReport.render(data, tables, worstCases: [], notes: [])
        XCTAssertTrue(html.contains("AFL difficulty over training"))
        XCTAssertTrue(html.contains("afl: trained with AFL, but no difficulty.csv"))
        XCTAssertFalse(html.contains("baseline: trained with AFL"))
    }

    /// Models are named by the user's name and a path relative to the working directory, and their training
    /// settings form a table (one row per setting, "—" where a model does not record it), not one long line.
    func testModelsAreListedWithRelativePathsAndASettingsTable() throws {
        XCTAssertEqual(ReportModel.displayPath(URL(fileURLWithPath: "/work/runs/afl/model"), workingDirectory: "/work"), "runs/afl/model")
        XCTAssertEqual(ReportModel.displayPath(URL(fileURLWithPath: "/data/m"), workingDirectory: "/work"), "/data/m")
        XCTAssertEqual(ReportModel.displayPath(URL(fileURLWithPath: "/work2/m"), workingDirectory: "/work"), "/work2/m",
                       "a sibling sharing the prefix is not below the working directory")
        var data = try HandBuiltCase.data()
        data.models[0].training = ["loss": "awing", "epochs": "30"]
        data.models[1].training = ["loss": "awing", "afl": "true"]
        let html = HTMLReport.modelTable(data.models)
        XCTAssertTrue(html.contains("<tr><td class=\"name\">afl</td><td>—</td><td>true</td></tr>"), html)
        XCTAssertTrue(html.contains("<tr><td class=\"name\">epochs</td><td>30</td><td>—</td></tr>"), html)
        XCTAssertFalse(html.contains("loss=awing"), "settings are cells, not key=value text")
        // Settings the models share are listed once, in the full table only; those that differ come first.
        let differing = try XCTUnwrap(html.components(separatedBy: "<details>").first)
        XCTAssertFalse(differing.contains(">loss</td>"), "shared settings are not in the table of differences")
        XCTAssertTrue(differing.contains(">afl</td>"))
        data.models[0].training["dataset"] = "/home/someone/data/hand-xray"
        XCTAssertTrue(HTMLReport.modelTable(data.models).contains("<td>hand-xray</td>"), "a dataset is named, not located")
        XCTAssertFalse(HTMLReport.modelTable(data.models).contains("/home/someone"))
    }
}
