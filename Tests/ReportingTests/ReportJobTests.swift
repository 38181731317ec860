import Foundation
import Landmarks
import XCTest
import XRayIngest
@testable import Reporting

/// The whole job on tiny random-weight models: plumbing, how often files are decoded, counts that must add up, files written.
final class ReportJobTests: XCTestCase {
    func testJobEvaluatesEveryModelAndProtocolAndWritesTheReport() throws {
        let (setup, result, out) = try ReportJobFixture.shared.get()
        XCTAssertEqual(result.data.models.map(\.name), ["baseline", "afl-run"])
        XCTAssertEqual(result.data.protocols, ["higher", "lower"])
        XCTAssertEqual(result.data.results.count, 4)
        // The loader reads each file once; prediction streams each once for both protocols and models; each
        // worst-case overlay decodes its image again rather than keeping every image.
        XCTAssertEqual(result.decodedImages, 3 + 3 + result.worstCases.count)
        XCTAssertGreaterThan(result.peakImagesHeld, 0)
        XCTAssertLessThanOrEqual(result.peakImagesHeld, 3)
        XCTAssertEqual(result.data.imageCount, 3)

        for r in result.data.results {
            let o = r.evaluation.overall
            // 8 landmarks annotated (one omitted); every one is either matched or a false negative.
            XCTAssertEqual(o.groundTruthPresent, 8)
            XCTAssertEqual(o.matched + o.falseNegatives, 8, "\(r.model) \(r.contrastProtocol)")
            XCTAssertEqual(o.total, 9)
            XCTAssertLessThanOrEqual(o.falsePositives, 1, "only site-a/two's 'right' is absent in the ground truth")
            // The sweep at the report's τ must agree with the counts.
            let at = try XCTUnwrap(r.evaluation.sweep.first { abs($0.threshold - ReportJobFixture.threshold) < 1e-9 })
            XCTAssertEqual(at.falseNegatives, o.falseNegatives)
            XCTAssertEqual(at.falsePositives, o.falsePositives)
            // The TIFF has no spacing: its mm columns stay empty while px are given when anything matched.
            let tiff = try XCTUnwrap(r.evaluation.images.first { $0.id == "three" })
            XCTAssertNil(tiff.summary.mreMM)
            XCTAssertEqual(tiff.summary.mrePX != nil, tiff.summary.matched > 0)
        }
        // Only the model that kept its critic is ranked, once per protocol, over all three images.
        XCTAssertEqual(result.data.difficultyRankings.map(\.model), ["afl-run", "afl-run"])
        XCTAssertEqual(result.data.difficultyRankings.map(\.contrastProtocol), ["higher", "lower"])
        XCTAssertEqual(result.data.difficultyRankings.map(\.images), [3, 3])
        XCTAssertEqual(result.data.difficultyRankings.map(\.unit), ["px", "px"], "three.tif has no spacing")
        XCTAssertEqual(result.data.difficultyRankings.map(\.hardestCount), [1, 1])
        // Different seeds and protocols really went through the network: predictions differ somewhere.
        let confidences = result.data.results.map { $0.evaluation.images.flatMap { $0.landmarks.map(\.confidence) } }
        XCTAssertGreaterThan(Set(confidences.map { $0.map { String(format: "%.6f", $0) }.joined(separator: ",") }).count, 1)

        for file in [ReportWriter.htmlFile, ReportWriter.csvFile, ReportWriter.jsonFile, ReportWriter.markdownFile, "report-config.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        XCTAssertEqual(result.worstCases.count, 2 * 2 * 2)
        for w in result.worstCases {
            let png = try PNGReader.readRGB(out.appendingPathComponent(w.file))
            XCTAssertGreaterThan(png.width, 8)
            // Overlays are coloured: some pixel has unequal channels (the grey radiograph alone never has).
            let b = png.bytes
            let coloured = stride(from: 0, to: b.count, by: 3).contains { (i: Int) -> Bool in
                let r = b[i], g = b[i + 1], bl = b[i + 2]
                return r != g || g != bl
            }
            XCTAssertTrue(coloured, w.file)
        }

        let html = try String(contentsOf: out.appendingPathComponent(ReportWriter.htmlFile), encoding: .utf8)
        let everything = try [ReportWriter.csvFile, ReportWriter.jsonFile, ReportWriter.markdownFile]
            .map { try String(contentsOf: out.appendingPathComponent($0), encoding: .utf8) }.joined() + html
        XCTAssertFalse(everything.contains("Doe"), "patient names never reach a report")
        XCTAssertFalse(everything.contains("PID-12345"), "patient ids never reach a report")
        XCTAssertTrue(html.contains("site-a/one"), "images are named by relative path")
        XCTAssertTrue(html.contains("id=\"\(ReportCharts.difficultyID("afl-run"))\""), "the run directory's difficulty log is charted")
        XCTAssertFalse(html.contains("baseline: trained with AFL"), "a model trained without AFL is not expected to have a log")
        // Self-contained: no stylesheet, script or image fetched from elsewhere; overlays are relative files.
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src=\"http"))
        XCTAssertTrue(html.contains("<img src=\"overlays/afl-run/higher/worst-1.png\""))
        _ = setup
    }

    func testRefusesUnknownProtocolAndMixedSchemas() throws {
        let (setup, _, _) = try ReportJobFixture.shared.get()
        var options = ReportOptions(models: [setup.baseline], dataset: setup.dataset, output: setup.root.appendingPathComponent("bad"))
        options.protocols = ["no-such-protocol"]
        XCTAssertThrowsError(try ReportJob(options: options).run()) { error in
            XCTAssertTrue("\(error)".contains("no-such-protocol"), "\(error)")
        }
    }
}
