import Foundation
import Inference
import Landmarks
import TestSupport
import Training
import XCTest
@testable import Reporting

/// The report on real radiographs: a model trained briefly on hand-xray's train split, then the report job on its
/// 21 validation images under the four shipped protocols. The files must show the same numbers, and the numbers
/// must be real ones (every annotated landmark counted, errors measured in mm).
final class HandXrayReportTests: XCTestCase {
    /// The repository root: walk up from this file until Package.swift.
    static var repositoryRoot: URL {
        var u = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while u.path != "/" && !FileManager.default.fileExists(atPath: u.appendingPathComponent("Package.swift").path) {
            u = u.deletingLastPathComponent()
        }
        return u
    }

    static var handXray: URL { repositoryRoot.appendingPathComponent("../shared/data/hand-xray").standardizedFileURL }

    func testReportOnHandXrayValidationAgreesAcrossFiles() throws {
        let dataset = Self.handXray
        guard FileManager.default.fileExists(atPath: dataset.appendingPathComponent("landmarks.csv").path) else {
            return XCTFail("shared data missing: expected \(dataset.path)/landmarks.csv (../shared beside the repository)")
        }
        let work = try Scratch.directory("hand")
        defer { try? FileManager.default.removeItem(at: work) }

        var config = TrainConfig()
        config.dataset = dataset.path
        config.schema = Self.repositoryRoot.appendingPathComponent("landmark-schemas/hand-37.yaml").path
        config.preset = .small
        // Adaptive Wing for the reason the demo uses it: MSE leaves the small preset's heatmaps near zero.
        config.loss = .awing
        config.epochs = 2
        config.warmupEpochs = 0
        config.learningRate = 3e-3
        config.batchSize = 8
        // Hand radiographs are portrait (about 3:2); a portrait input wastes less of it on letterbox bars.
        config.inputWidth = 96
        config.inputHeight = 128
        config.seed = 7
        config.threads = 2
        // A private cache: the test must neither depend on nor fill the user's decoded-image cache.
        config.cacheDirectory = work.appendingPathComponent("cache").path
        let run = work.appendingPathComponent("hand-small")
        config.out = run.path

        let data = try TrainingData.load(config: config)
        XCTAssertEqual(data.train.count, 91)
        XCTAssertEqual(data.validation.count, 21)
        let annotated = data.validation.reduce(0) { $0 + $1.landmarks.compactMap { $0 }.count }
        XCTAssertEqual(annotated, 21 * 37, "every validation image has all 37 landmarks annotated")
        let summary = try Trainer(config: config, data: data, runDirectory: run).run()
        XCTAssertNotNil(summary.bestEpoch, "an epoch with a finite error wrote the model directory")

        let out = work.appendingPathComponent("report")
        var options = ReportOptions(models: [run], dataset: dataset, output: out)
        options.split = .valid
        // Two epochs leave the peaks below the card's τ = 0.5 (nearly every landmark a false negative); at 0.3
        // roughly half are detected, so both the FN counts and the mm errors are real numbers.
        options.threshold = 0.3
        options.worstCount = 1
        let result = try ReportJob(options: options).run()
        XCTAssertEqual(result.data.protocols, ["higher", "high", "low", "lower"])
        XCTAssertEqual(result.data.imageCount, 21)
        // The loader reads every file once for its size; prediction streams the 21 once for all four protocols; each
        // overlay decodes its image again. No decoded image is kept.
        XCTAssertEqual(result.decodedImages, 112 + 21 + result.worstCases.count)
        let stream = PredictionStream(batchSize: options.batchSize, prefetch: options.prefetch, threads: options.prepareThreads)
        XCTAssertLessThanOrEqual(result.peakImagesHeld, stream.imagesHeldBound, "memory is bounded by the stream, not the split")

        let files = try ReportFilesAgreement.read(out)
        let compared = try ReportFilesAgreement.assertAgree(files)
        // 4 protocols × (1 overall + 37 landmarks + 21 images) rows × every metric column, + 4 × 19 τ × (FN, FP).
        XCTAssertEqual(compared, 4 * (1 + 37 + 21) * ReportColumn.metrics.count + 4 * 19 * 2)

        let model = "hand-small"
        let validIDs = try String(contentsOf: dataset.appendingPathComponent("splits/valid.txt"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertEqual(validIDs.count, 21)
        for p in result.data.protocols {
            let cell = { (scope: String, item: String, column: String) in files.htmlCells["\(model)|\(p)|\(scope)|\(item)|\(column)"] }
            XCTAssertEqual(cell("overall", "all", "gt_present"), String(annotated), p)
            for id in validIDs { XCTAssertEqual(cell("image", id, "gt_present"), "37", "\(p) \(id)") }
            let overall = try XCTUnwrap(result.tables.overall(model: model, contrastProtocol: p))
            XCTAssertGreaterThan(overall.falseNegatives, 0, p)
            XCTAssertGreaterThan(overall.matched, 0, p)
            XCTAssertEqual(overall.falseNegatives + overall.matched, annotated, "\(p): every annotated landmark is either a false negative or matched")
            // Every validation image has pixel spacing, so the mm columns hold numbers wherever something matched.
            for column in ["mre_mm", "median_mm", "sdr_2mm_pct", "sdr_4mm_pct"] {
                let shown = try XCTUnwrap(cell("overall", "all", column), "\(p) \(column)")
                XCTAssertNotNil(Double(shown), "\(p) \(column) reads '\(shown)'")
            }
            for row in result.tables.rows(scope: .image, contrastProtocol: p) where row.matched > 0 {
                XCTAssertNotNil(row.mreMM, "\(p) \(row.item) has spacing")
            }
        }
        XCTAssertTrue(files.html.contains("MRE (mm)"), "the per-landmark charts are in mm")
        XCTAssertEqual(result.worstCases.count, 4)
        for w in result.worstCases {
            XCTAssertTrue(validIDs.contains(w.image), w.image)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(w.file).path), w.file)
        }
        // The DICOMs carry PatientName TEST^HAND<id> and PatientID HAND-<id>; outputs name images by path only.
        for text in [files.html, files.csv, files.markdown, try String(contentsOf: out.appendingPathComponent(ReportWriter.jsonFile), encoding: .utf8)] {
            XCTAssertFalse(text.contains("HAND-") || text.contains("TEST^HAND"), "a patient identifier reached the report")
        }

        // The MRE over every ground-truth landmark (each at its peak, τ ignored) is the one the trainer validated
        // with: same images, same protocol, same network, through the report's own prediction path. It needs no
        // τ low enough to count every peak, which a model trained toward empty maps for absent landmarks can
        // undercut.
        let high = try XCTUnwrap(result.tables.overall(model: model, contrastProtocol: "high"))
        XCTAssertEqual(summary.unit, "mm")
        XCTAssertEqual(try XCTUnwrap(high.mreAllMM), try XCTUnwrap(summary.bestMeanRadialError), accuracy: 1e-3)
        XCTAssertEqual(files.csvCells["\(model)|high|overall|all|mre_all_mm"], ReportFormat.distance(high.mreAllMM))
    }
}
