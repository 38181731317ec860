import DetectorModel
import Foundation
import Landmarks
import RunArtefacts
import TensorEngine
import TestSupport
import Training
import XRayIngest

@testable import Reporting

/// A tiny end-to-end setting for plumbing tests: two random-weight K=3 models (one inside a run directory with a
/// difficulty log) and a three-image X-ray folder (two DICOMs with spacing, one TIFF without).
enum ReportJobFixture {
    static let schemaYAML = """
    name: tiny-3
    description: three landmarks for report tests
    default_tolerance_mm: 2
    landmarks:
      - name: top
      - name: left
        tolerance_mm: 3
      - name: right
    edges:
      - [top, left]
      - [left, right]
    """

    /// Seed 1 is the baseline; any other seed stands for an AFL run and keeps a (random-weight) critic.
    static func writeModel(to dir: URL, seed: UInt64) throws {
        let config = FPNConfig.small(keypoints: 3, inputChannels: 1)
        var rng = RandomGenerator(seed: seed)
        let critic = seed == 1 ? nil : DifficultyScorer.export(AFLCritic(keypoints: 3, rng: &rng))
        let card = ModelCard(preset: "small", network: config, schemaName: "tiny-3", landmarkNames: ["top", "left", "right"],
                             inputWidth: 64, inputHeight: 64, sigma: 2, contrastProtocol: "high", presenceThreshold: 0.5,
                             training: ["afl": seed == 1 ? "off" : "on"], critic: critic?.card)
        try ModelDirectory.write(card: card, network: FPNKeypointNet(config: config, seed: seed), schemaYAML: schemaYAML,
                                 critic: critic?.weights, to: dir)
    }

    static func values(rows: Int, columns: Int) -> [UInt16] {
        (0..<(rows * columns)).map { i in
            let x = Double(i % columns), y = Double(i / columns)
            let dx = x - Double(columns) * 0.4, dy = y - Double(rows) * 0.6
            return UInt16(min(4095, 700 + 7 * x + 4 * y + 2600 * exp(-(dx * dx + dy * dy) / 180)))
        }
    }

    struct Setup {
        var root: URL
        var baseline: URL
        /// A run directory (model in model/, difficulty.csv beside it).
        var aflRun: URL
        var dataset: URL
    }

    static func make() throws -> Setup {
        let root = try Scratch.directory("job")
        let baseline = root.appendingPathComponent("baseline")
        try writeModel(to: baseline, seed: 1)
        let run = root.appendingPathComponent("afl-run")
        try writeModel(to: run.appendingPathComponent("model"), seed: 2)
        var csv = "epoch,image,difficulty\n"
        for epoch in 1...6 {
            for (i, id) in ["s1", "s2", "s3", "s4", "s5", "s6"].enumerated() {
                // Hard samples (high i) climb, easy ones fall: the picture the paper's figure 3 shows.
                csv += "\(epoch),\(id),\(0.5 + (Double(i) - 2.5) * 0.015 * Double(epoch))\n"
            }
        }
        try csv.write(to: run.appendingPathComponent(DifficultyLog.fileName), atomically: true, encoding: .utf8)

        let dataset = root.appendingPathComponent("test-set")
        let images = dataset.appendingPathComponent("images")
        try FileManager.default.createDirectory(at: images.appendingPathComponent("site-a"), withIntermediateDirectories: true)
        for (name, spacing) in [("site-a/one", (0.2, 0.2)), ("site-a/two", (0.25, 0.25))] {
            let img = DICOMWriter.Image(rows: 80, columns: 120, storedValues: values(rows: 80, columns: 120), bitsStored: 12,
                                        pixelSpacing: (row: spacing.0, column: spacing.1), patientName: "Doe^Jane", patientID: "PID-12345")
            try DICOMWriter().write(img, to: images.appendingPathComponent(name + ".dcm"))
        }
        try TIFFWriter.writeUInt16(normalized: values(rows: 90, columns: 70).map { Float($0) / 4095 }, rows: 90, columns: 70,
                                   to: images.appendingPathComponent("three.tif"))
        // site-a/two omits 'right' (absent landmark); three.tif has no spacing.
        let rows = [
            "site-a/one,top,60,20", "site-a/one,left,30,50", "site-a/one,right,90,50",
            "site-a/two,top,58,22", "site-a/two,left,33,48",
            "three,top,35,15", "three,left,15,60", "three,right,55,60",
        ]
        try ("image,landmark,x,y\n" + rows.joined(separator: "\n") + "\n")
            .write(to: dataset.appendingPathComponent("landmarks.csv"), atomically: true, encoding: .utf8)
        return Setup(root: root, baseline: baseline, aflRun: run, dataset: dataset)
    }

    /// Low enough that random weights detect some landmarks, so matched errors (px and mm) are exercised too.
    static let threshold = 0.1

    /// Runs the job once per test process: the plumbing and the browser tests read the same output.
    static let shared: Result<(Setup, ReportJob.Result, URL), Error> = Result {
        let setup = try make()
        let out = setup.root.appendingPathComponent("report")
        var options = ReportOptions(models: [setup.baseline, setup.aflRun], dataset: setup.dataset, output: out)
        options.split = .all
        options.protocols = ["higher", "lower"]
        options.threshold = threshold
        options.worstCount = 2
        let result = try ReportJob(options: options).run()
        return (setup, result, out)
    }
}
