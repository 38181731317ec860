import ClinicalDICOM
import Foundation
import Landmarks
import XCTest
import XRayIngest
@testable import Reporting

/// `landmark report … --predictions-sr DIR`: another system's SRs are one more arm of the false-negative report.
final class SRPredictionsReportTests: XCTestCase {
    var setup: ReportJobFixture.Setup!
    override func setUpWithError() throws { setup = try ReportJobFixture.make() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: setup.root) }

    static let vendor = AlgorithmIdentity(name: "VendorX", version: "2.1", modelIdentifier: "vx-ceph")

    func finding(_ name: String, _ x: Double, _ y: Double) -> LandmarkFinding {
        LandmarkFinding(name: name, x: x, y: y, confidence: 0.8, present: true)
    }

    func notFound(_ name: String) -> LandmarkFinding { LandmarkFinding(name: name, x: 0, y: 0, confidence: 0.05, present: false) }

    /// SRs for the two DICOMs of the fixture (three.tif has none), a landmark the schema lacks, and a stray file.
    /// Truth: one = top (60,20), left (30,50), right (90,50); two = top (58,22), left (33,48), right absent.
    func writeVendorFolder() throws -> URL {
        let folder = setup.root.appendingPathComponent("vendor-x")
        let images = setup.dataset.appendingPathComponent("images")
        let one = [finding("top", 61, 20), finding("left", 30, 50), notFound("right"), finding("nasion", 5, 5)]
        let two = [finding("top", 58, 22), notFound("left"), finding("right", 10, 10)]
        for (name, marks) in [("site-a/one", one), ("site-a/two", two)] {
            let findings = LandmarkFindings(schemaName: "tiny-3", landmarks: marks, presenceThreshold: 0.5, spacing: nil,
                                            algorithm: Self.vendor)
            try ClinicalObjectWriter.write(.structuredReport, findings, source: images.appendingPathComponent(name + ".dcm"),
                                           to: folder.appendingPathComponent(name.replacingOccurrences(of: "/", with: "-") + ".sr.dcm"))
        }
        try Data("exported by VendorX".utf8).write(to: folder.appendingPathComponent("readme.txt"))
        return folder
    }

    func testVendorSRsAreComparedInTheSameFalseNegativeReport() throws {
        let folder = try writeVendorFolder()
        let out = setup.root.appendingPathComponent("report")
        var options = ReportOptions(models: [setup.baseline], dataset: setup.dataset, output: out)
        options.split = .all
        options.protocols = ["high", "low"]
        options.worstCount = 1
        options.srPredictions = [folder]
        let result = try ReportJob(options: options).run()

        XCTAssertEqual(result.data.models.map(\.name), ["baseline", "vendor-x"])
        let arm = result.data.models[1]
        XCTAssertEqual(arm.training["algorithm"], "VendorX 2.1 (vx-ceph)")
        XCTAssertEqual(arm.training["images with an SR"], "2 of 3")
        for p in ["high", "low"] {
            let overall = try XCTUnwrap(result.data.result(model: "vendor-x", contrastProtocol: p)).evaluation.overall
            // FN: one/right, two/left and all three of three.tif (no SR). FP: two/right (absent in the truth).
            XCTAssertEqual(overall.groundTruthPresent, 8)
            XCTAssertEqual(overall.falseNegatives, 5, p)
            XCTAssertEqual(overall.falsePositives, 1, p)
            XCTAssertEqual(overall.matched, 3, p)
            XCTAssertEqual(overall.mrePX!, 1.0 / 3.0, accuracy: 1e-4, "errors 1, 0 and 0 px")
            XCTAssertNotNil(result.tables.overall(model: "vendor-x", contrastProtocol: p))
            // The SRs give no position for what they did not find: the MRE over every landmark is unknown, not 0.
            XCTAssertNil(overall.mreAllPX)
            XCTAssertNotNil(result.data.result(model: "baseline", contrastProtocol: p)?.evaluation.overall.mreAllPX)
        }
        XCTAssertTrue(result.notes.contains { $0.contains("1 of 3 test image(s) have no SR") }, "\(result.notes)")
        XCTAssertTrue(result.notes.contains { $0.contains("readme.txt") && $0.contains("not a landmark SR") }, "\(result.notes)")
        XCTAssertTrue(result.notes.contains { $0.contains("'nasion'") && $0.contains("not in schema 'tiny-3'") }, "\(result.notes)")
        XCTAssertTrue(result.worstCases.contains { $0.model == "vendor-x" })
        let csv = try String(contentsOf: out.appendingPathComponent(ReportWriter.csvFile), encoding: .utf8)
        XCTAssertTrue(csv.contains("vendor-x"))
        let config = try String(contentsOf: out.appendingPathComponent("report-config.json"), encoding: .utf8)
        XCTAssertTrue(config.contains("vendor-x"))
    }

    func testAFolderWhoseSRsMatchNoTestImageIsRefused() throws {
        let other = setup.root.appendingPathComponent("elsewhere.dcm")
        try DICOMWriter().write(.init(rows: 8, columns: 8, storedValues: [UInt16](repeating: 100, count: 64), bitsStored: 12), to: other)
        let folder = setup.root.appendingPathComponent("unrelated")
        let findings = LandmarkFindings(schemaName: "tiny-3", landmarks: [finding("top", 1, 1)], presenceThreshold: 0.5,
                                        spacing: nil, algorithm: Self.vendor)
        try ClinicalObjectWriter.write(.structuredReport, findings, source: other, to: folder.appendingPathComponent("x.sr.dcm"))
        var options = ReportOptions(models: [setup.baseline], dataset: setup.dataset, output: setup.root.appendingPathComponent("r"))
        options.split = .all
        options.protocols = ["high"]
        options.srPredictions = [folder]
        XCTAssertThrowsError(try ReportJob(options: options).run()) { error in
            let message = (error as? ReportError)?.message ?? ""
            XCTAssertTrue(message.contains(folder.path) && message.contains("none of its 1 SR(s)"), message)
        }
        options.srPredictions = [setup.root.appendingPathComponent("missing")]
        XCTAssertThrowsError(try ReportJob(options: options).run()) { error in
            XCTAssertTrue(((error as? ReportError)?.message ?? "").contains("not a folder of DICOM SR files"), "\(error)")
        }
    }
}
