import Foundation
import TensorEngine
import XCTest
@testable import Training

final class TrainerResumeTests: XCTestCase {
    /// Three epochs straight vs. one epoch, a fresh Trainer (as after a kill), then --resume to three:
    /// the same weights, running statistics and optimiser state, bit for bit. Augmentation is on, so
    /// data order and augmentation must come from (seed, epoch, index) alone.
    func testResumedRunEqualsUninterruptedRun() throws {
        let straightDir = try BlobTask.tempDir(), resumedDir = try BlobTask.tempDir()
        defer {
            try? FileManager.default.removeItem(at: straightDir)
            try? FileManager.default.removeItem(at: resumedDir)
        }
        let config = BlobTask.config(epochs: 3)
        let data = try BlobTask.data()

        let straight = try Trainer(config: config, data: data, runDirectory: straightDir)
        try straight.run()

        let first = try Trainer(config: config, data: data, runDirectory: resumedDir)
        try first.run(stoppingAfter: 1)
        XCTAssertEqual(first.completedEpochs, 1)
        // The partial run differs from the full one: the comparison below is not vacuous.
        XCTAssertNotEqual(first.network.stateDict().tensors, straight.network.stateDict().tensors)

        let resumed = try Trainer(config: config, data: data, runDirectory: resumedDir)
        let summary = try resumed.run(resume: true)
        XCTAssertEqual(summary.history.map(\.epoch), [2, 3])
        XCTAssertEqual(resumed.globalStep, straight.globalStep)
        XCTAssertEqual(resumed.network.stateDict().tensors, straight.network.stateDict().tensors)
        XCTAssertEqual(resumed.optimizer.stateTensors(), straight.optimizer.stateTensors())
        let rows = try String(contentsOf: resumed.run.metrics, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 4, "header + epochs 1…3, no duplicate rows")
    }

    func testFreshRunRefusesDirectoryWithCheckpointAndResumeRefusesChangedSeed() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try BlobTask.data(train: 4, validation: 2)
        var config = BlobTask.config(epochs: 2)
        try Trainer(config: config, data: data, runDirectory: dir).run(stoppingAfter: 1)
        XCTAssertThrowsError(try Trainer(config: config, data: data, runDirectory: dir).run()) { error in
            guard case TrainerError.runDirectory = error else { return XCTFail("\(error)") }
        }
        config.seed += 1
        XCTAssertThrowsError(try Trainer(config: config, data: data, runDirectory: dir).run(resume: true)) { error in
            guard case TrainerError.configuration(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("seed"), m)
        }
    }
}
