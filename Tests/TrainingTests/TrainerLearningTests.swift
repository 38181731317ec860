import DetectorModel
import Foundation
import RunArtefacts
import TensorEngine
import XCTest
@testable import Training

final class TrainerLearningTests: XCTestCase {
    /// A few epochs on the blob task: training loss and validation error must both fall, and the run
    /// directory must hold everything the issue lists, consistent with the run.
    func testShortRunLowersLossAndValidationErrorAndWritesRunDirectory() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = BlobTask.config(epochs: 8)
        config.augment = false
        config.schedule = .constant
        let trainer = try Trainer(config: config, data: BlobTask.data(), runDirectory: dir)
        var epochs: [EpochResult] = []
        trainer.callbacks.epoch = { epochs.append($0) }
        let summary = try trainer.run()

        XCTAssertEqual(epochs.count, 8)
        let first = epochs.first!, last = epochs.last!
        XCTAssertLessThan(last.trainLoss, first.trainLoss / 2, "train loss \(epochs.map(\.trainLoss))")
        XCTAssertEqual(last.validation.unit, "mm")
        let mres = epochs.map(\.validation.meanRadialError)
        XCTAssertLessThan(summary.bestMeanRadialError!, mres[0] * 0.8, "validation MRE per epoch \(mres)")
        XCTAssertEqual(last.validation.annotatedLandmarks, 4 * 3)

        // metrics.csv: header + one row per epoch, first column the epoch.
        let csv = try String(contentsOf: trainer.run.metrics, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 9)
        XCTAssertTrue(csv[0].hasPrefix("epoch,train_loss,val_loss,unit,mre,mre_detected,sdr_2,sdr_2.5,sdr_3,sdr_4,false_negatives"))
        XCTAssertEqual(csv.dropFirst().map { Int($0.prefix { $0 != "," })! }, Array(1...8))

        // The resolved configuration, as run.
        XCTAssertEqual(try TrainConfigFile.load(from: trainer.run.config), config)

        // model/ is the last epoch (the default selection never looks at validation), self-contained, and loads
        // the weights the run ended with.
        let loaded = try ModelDirectory.load(trainer.run.model)
        XCTAssertEqual(loaded.schemaYAML, BlobTask.schemaYAML)
        XCTAssertEqual(loaded.card.network, FPNConfig.small(keypoints: 3))
        XCTAssertEqual(loaded.card.landmarkNames, ["upper_left", "upper_right", "lower"])
        XCTAssertEqual(loaded.card.schemaName, "blobs-3")
        XCTAssertEqual(loaded.card.inputWidth, 64)
        XCTAssertEqual(loaded.card.sigma, 1.5)
        XCTAssertEqual(loaded.card.training["loss"], "mse")
        XCTAssertEqual(loaded.card.training["afl"], "false")
        XCTAssertEqual(loaded.card.training["model_epoch"], "8")
        XCTAssertEqual(loaded.card.training["model_selection"], "last")
        XCTAssertEqual(loaded.network.stateDict().tensors, trainer.network.stateDict().tensors)
        let best = try SafetensorsArchive.read(from: trainer.run.bestCheckpoint.path)
        XCTAssertEqual(best.metadata["epoch"], String(summary.bestEpoch!))
        XCTAssertTrue(FileManager.default.fileExists(atPath: trainer.run.lastCheckpoint.path))
    }
}
