import Foundation
import Landmarks
import RunArtefacts
import XCTest
@testable import Training

/// On the synthetic phantom, once AFL has trained a few epochs, the images the phantom made hard on
/// purpose score a higher difficulty than the plain ones.
///
/// This test used to require cut-off images (landmarks outside the field of view) to score above every
/// plain image. That held only while absent landmarks were masked out of both topologies: the critic then
/// learnt "a zero row in t' looks fake" from the annotation alone. With absent landmarks trained
/// toward empty maps (docs/CONVENTIONS.md) the ground truth has the zero rows too, so the cut-off separation is
/// reported but no longer asserted. Measured on this run at epoch 10: cut-off AUC 0.57 under the default,
/// ≥ 0.9 again with `absentLandmarks = .mask`.
///
/// This pins one training trajectory, and it is fragile: while the Gaussian blur was made one helper, a version of
/// the anti-aliasing that divided only border pixels by the kernel mass (interior pixels differ by an ulp)
/// turned this run into hard 0.315 < plain 0.350. The multi-seed phantom figures in docs/AFL.md, not this
/// test, are the evidence of how well the difficulty separates; this test guards the pipeline that makes it.
final class PhantomDifficultyTests: XCTestCase {
    func testHardPhantomImagesScoreHarderAfterAFewEpochs() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("ldk-phantom-difficulty-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let dataset = work.appendingPathComponent("phantom", isDirectory: true)
        // 40 images give 32 for training, 22 of them hard by the phantom's default mix (4 cut off).
        try Phantom.writeDataset(to: dataset, count: 40, seed: 3, rows: 256, columns: 192)
        let sidecar = try XCTUnwrap(try PhantomSidecar.load(datasetRoot: dataset))

        var config = TrainConfig()
        config.dataset = dataset.path
        config.preset = .small
        config.loss = .awing
        // The conditions this test was written for. Under the newer default (`random` protocols per sample) the
        // same 10 epochs leave hard and plain images nearly level (0.193 against 0.189, measured): at this budget
        // the contrast draw, not the phantom's hard cases, decides which samples the critic finds unlike the truth.
        config.contrastProtocol = .named("high")
        config.epochs = 10
        config.learningRate = 3e-3
        config.inputWidth = 64
        config.inputHeight = 64
        config.seed = 1
        config.threads = 2
        config.cacheDirectory = work.appendingPathComponent("cache").path
        var afl = AFLConfig()
        // Faster than the training default (1e-4), so the critic takes sides within a test budget of ~40 steps;
        // the hand-xray and phantom comparisons in docs/AFL.md use the default.
        afl.criticLearningRate = 2e-3
        // The topology threshold this test was written for (the paper's); the default is now 0.3.
        afl.presenceThreshold = 0.5
        config.afl = afl
        let data = try TrainingData.load(config: config)
        let trainer = try Trainer(config: config, data: data, runDirectory: work.appendingPathComponent("run"))
        var epochs: [EpochResult] = []
        trainer.callbacks.epoch = { epochs.append($0) }
        try trainer.run()

        let last = try XCTUnwrap(epochs.last?.difficultySeparation)
        let hardMean = try XCTUnwrap(last.hardMean), easyMean = try XCTUnwrap(last.easyMean)
        XCTAssertEqual(last.hardCount + last.easyCount, data.train.count)
        XCTAssertGreaterThan(hardMean, easyMean + 0.05, "epoch \(last.epoch): hard \(hardMean) vs plain \(easyMean)")

        let log = try XCTUnwrap(try DifficultyLog.load(runDirectory: trainer.run.root))
        let cutOff = DifficultySeparation.perEpoch(log, hard: sidecar.imageIDs(with: .cutOff), easy: sidecar.plainImageIDs)
        let cutOffLast = try XCTUnwrap(cutOff.last)
        XCTAssertGreaterThan(cutOffLast.hardCount, 0, "the training split holds cut-off images")
        XCTAssertNotNil(cutOffLast.auc, "cut-off against plain: \(cutOffLast)")
        // The figure of this run names its separation.
        XCTAssertTrue(try String(contentsOf: trainer.run.difficultySVG, encoding: .utf8).contains("ROC AUC"))
    }
}
