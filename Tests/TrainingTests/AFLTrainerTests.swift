import Charts
import DetectorModel
import Foundation
import Landmarks
import RunArtefacts
import TensorEngine
import XCTest
import XRayIngest
@testable import Training

/// AFL wired into the trainer: `afl:` in the configuration switches the weighting on, the run
/// still learns, logs every training sample's difficulty per epoch, and resumes exactly.
final class AFLTrainerTests: XCTestCase {
    private func aflConfig(epochs: Int) -> TrainConfig {
        var c = BlobTask.config(epochs: epochs)
        c.augment = false
        c.schedule = .constant
        c.afl = AFLConfig()
        return c
    }

    /// (epoch, image, difficulty) rows after the header.
    private func difficultyRows(_ url: URL) throws -> (header: String, rows: [(Int, String, Float)]) {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let rows = lines.dropFirst().map { line -> (Int, String, Float) in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (Int(f[0]) ?? -1, f[1], Float(f[2]) ?? .nan)
        }
        return (lines.first ?? "", rows)
    }

    func testAFLRunLowersLossAndLogsEveryTrainingImagesDifficultyEachEpoch() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = aflConfig(epochs: 8)
        let data = try BlobTask.data()
        let trainer = try Trainer(config: config, data: data, runDirectory: dir)
        XCTAssertTrue(trainer.weighting is AFLWeighting)
        var epochs: [EpochResult] = []
        trainer.callbacks.epoch = { epochs.append($0) }
        let summary = try trainer.run()

        XCTAssertEqual(epochs.count, 8)
        XCTAssertLessThan(epochs.last!.trainLoss, epochs.first!.trainLoss / 2, "train loss \(epochs.map(\.trainLoss))")
        // The weighted training loss also falls when the critic merely lowers s_i, so the unweighted
        // validation error must fall too: the detector itself learns (same bar as the plain-mean test).
        let mres = epochs.map(\.validation.meanRadialError)
        XCTAssertLessThan(summary.bestMeanRadialError!, mres[0] * 0.8, "validation MRE per epoch \(mres)")

        let (header, rows) = try difficultyRows(trainer.run.difficulty)
        XCTAssertEqual(header, "epoch,image,difficulty")
        XCTAssertEqual(rows.count, 8 * data.train.count)
        let ids = Set(data.train.map(\.id))
        for epoch in 1...8 {
            let inEpoch = rows.filter { $0.0 == epoch }
            XCTAssertEqual(inEpoch.map(\.1).sorted(), ids.sorted(), "epoch \(epoch): each training image exactly once")
        }
        for r in rows { XCTAssertTrue(r.2 > 0 && r.2 < 1, "difficulty \(r.2) of \(r.1) in epoch \(r.0) not in (0, 1)") }
        // The critic changes between epochs, so the scores are not a constant.
        XCTAssertGreaterThan(Set(rows.map(\.2)).count, 1)

        // The resolved configuration records the AFL section; the model card says AFL was on, with its critic.
        XCTAssertEqual(try TrainConfigFile.load(from: trainer.run.config).afl, AFLConfig())
        let card = try ModelDirectory.load(trainer.run.model).card
        XCTAssertEqual(card.training["afl"], "true")
        XCTAssertEqual(card.training["weighting"], "afl")
        XCTAssertEqual(card.training["afl_critic_lr"], String(AFLConfig().criticLearningRate))
        XCTAssertEqual(card.training["afl_critic_channels"], "8,16,48")
        XCTAssertEqual(card.training["afl_gradient_penalty_weight"], String(AFLConfig().gradientPenaltyWeight))
        // The model directory keeps the critic, for difficulty scores at inference.
        XCTAssertEqual(card.critic?.channels, AFLConfig().criticChannels)
        XCTAssertNotNil(try ModelDirectory.load(trainer.run.model).critic)

        // Figure 3 of the run, as SVG and as a PNG of twice its size; no labels, so no separation table.
        let svg = try String(contentsOf: trainer.run.difficultySVG, encoding: .utf8)
        XCTAssertTrue(svg.contains("Easiest 3 samples") && svg.contains("Hardest 3 samples"))
        let png = try PNGReader.readRGB(trainer.run.difficultyPNG)
        XCTAssertEqual(png.width, 2 * 2 * Int(LineChart.size.width))
        XCTAssertFalse(FileManager.default.fileExists(atPath: trainer.run.difficultySeparation.path))
        XCTAssertTrue(epochs.allSatisfy { $0.difficultySeparation == nil })

        // The spread table has one row per epoch, agreeing with difficulty.csv, and the figure draws it.
        let spread = try XCTUnwrap(DifficultySpread.load(runDirectory: dir))
        XCTAssertEqual(spread.map(\.epoch), Array(1...8))
        for s in spread {
            let scores = rows.filter { $0.0 == s.epoch }.map { Double($0.2) }
            XCTAssertEqual(s.count, scores.count)
            XCTAssertEqual(s.min, scores.min()!, accuracy: 1e-5)
            XCTAssertEqual(s.max, scores.max()!, accuracy: 1e-5)
        }
        XCTAssertTrue(svg.contains("Spread of s_i per epoch"))
    }

    /// On a dataset whose folder has a phantom sidecar, the trainer scores difficulty against its hard-case
    /// labels every epoch: difficulty-separation.csv, the epoch result, and the figure's subtitle.
    func testPhantomLabelsGiveASeparationRowPerEpoch() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = dir.appendingPathComponent("dataset", isDirectory: true)
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        let data = try BlobTask.data()
        // Real phantom records (tiny renders), renamed to the training images and half of them marked hard.
        let phantom = Phantom(options: Phantom.Options(rows: 32, columns: 24))
        let cases = data.train.enumerated().map { i, image -> PhantomCase in
            var c = phantom.render(index: i, seed: 5).info
            c.id = image.id
            c.hardCases = i % 2 == 0 ? [.lowDose] : []
            return c
        }
        let summary = PhantomDatasetSummary(root: dataset.path, count: cases.count, seed: 0, landmarksPresent: 0, landmarksAbsent: 0,
                                            hardCases: [:], monochrome1: 0, transferSyntaxes: [:], bitsStored: [:], seconds: 0)
        try JSONEncoder().encode(PhantomSidecar(summary: summary, options: Phantom.Options(), images: cases))
            .write(to: dataset.appendingPathComponent(PhantomSidecar.fileName))
        var config = aflConfig(epochs: 2)
        config.dataset = dataset.path
        let trainer = try Trainer(config: config, data: data, runDirectory: dir.appendingPathComponent("run"))
        var epochs: [EpochResult] = []
        trainer.callbacks.epoch = { epochs.append($0) }
        try trainer.run()

        let table = try String(contentsOf: trainer.run.difficultySeparation, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(table.first, "epoch,auc,hard_mean,easy_mean,hard_count,easy_count")
        XCTAssertEqual(table.count, 3)
        let half = data.train.count / 2
        XCTAssertEqual(epochs.map { $0.difficultySeparation?.hardCount }, [half, half])
        XCTAssertEqual(epochs.map { $0.difficultySeparation?.easyCount }, [half, half])
        // The table is recomputed from difficulty.csv, so it must agree with a fresh computation from the log.
        let log = try XCTUnwrap(try DifficultyLog.load(runDirectory: trainer.run.root))
        let hard = Set(cases.filter { !$0.hardCases.isEmpty }.map(\.id))
        XCTAssertEqual(epochs.compactMap(\.difficultySeparation), DifficultySeparation.perEpoch(log, hard: hard))
        XCTAssertTrue(try String(contentsOf: trainer.run.difficultySVG, encoding: .utf8).contains("ROC AUC"))
    }

    /// Two epochs straight vs. one, a fresh Trainer, then --resume: detector, its Adam, the critic and the
    /// critic's Adam are bit-identical, and difficulty.csv has the same rows with none repeated. One
    /// warm-up epoch puts the switch from plain mean to AFL weighting right at the resume point.
    func testResumedAFLRunEqualsUninterruptedRun() throws {
        let straightDir = try BlobTask.tempDir(), resumedDir = try BlobTask.tempDir()
        defer {
            try? FileManager.default.removeItem(at: straightDir)
            try? FileManager.default.removeItem(at: resumedDir)
        }
        var config = aflConfig(epochs: 2)
        config.augment = true
        config.afl!.warmUpEpochs = 1
        let data = try BlobTask.data()

        let straight = try Trainer(config: config, data: data, runDirectory: straightDir)
        try straight.run()

        let first = try Trainer(config: config, data: data, runDirectory: resumedDir)
        try first.run(stoppingAfter: 1)
        XCTAssertNotEqual(first.weighting.stateTensors(), straight.weighting.stateTensors(),
                          "the critic kept training in epoch 2, so the comparison below is not vacuous")
        // As after a kill between writing epoch 2's difficulty rows and its checkpoint: the resume must
        // drop these rows rather than log epoch 2 twice.
        let stale = try FileHandle(forWritingTo: first.run.difficulty)
        try stale.seekToEnd()
        try stale.write(contentsOf: Data("2,blob-0,0.5\n".utf8))
        try stale.close()

        let resumed = try Trainer(config: config, data: data, runDirectory: resumedDir)
        try resumed.run(resume: true)
        XCTAssertEqual(resumed.globalStep, straight.globalStep)
        XCTAssertEqual(resumed.network.stateDict().tensors, straight.network.stateDict().tensors)
        XCTAssertEqual(resumed.optimizer.stateTensors(), straight.optimizer.stateTensors())
        let criticState = straight.weighting.stateTensors()
        XCTAssertTrue(criticState.keys.contains { $0.hasPrefix("critic_optimizer.m.") }, "the critic's Adam moments are saved")
        XCTAssertEqual(resumed.weighting.stateTensors(), criticState)

        let a = try String(contentsOf: straight.run.difficulty, encoding: .utf8)
        let b = try String(contentsOf: resumed.run.difficulty, encoding: .utf8)
        XCTAssertEqual(b, a)
        XCTAssertEqual(a.split(separator: "\n").count, 1 + 2 * data.train.count)
    }

    func testAFLFlagAndConfigKey() throws {
        var overrides = TrainConfigOverrides()
        XCTAssertNil(overrides.applied(to: TrainConfig()).afl)
        overrides.switchOnAFL()
        XCTAssertEqual(overrides.applied(to: TrainConfig()).afl, AFLConfig())
        // A file's own AFL settings survive the flag.
        var custom = TrainConfig()
        custom.afl = AFLConfig()
        custom.afl!.warmUpEpochs = 3
        XCTAssertEqual(overrides.applied(to: custom).afl?.warmUpEpochs, 3)

        let parsed = try TrainConfigFile.parse(yaml: "afl:\n  warmUpEpochs: 2\n", file: "t.yaml")
        XCTAssertEqual(parsed.afl?.warmUpEpochs, 2)
        XCTAssertEqual(parsed.afl?.criticLearningRate, AFLConfig().criticLearningRate)
        XCTAssertNil(try TrainConfigFile.parse(yaml: "epochs: 2\n", file: "t.yaml").afl)
        XCTAssertEqual(try TrainConfigFile.parse(yaml: TrainConfigFile.yaml(custom), file: "t.yaml"), custom)
        XCTAssertEqual(Trainer.resumeBreakingDifferences(TrainConfig(), custom), ["afl"])
    }
}
