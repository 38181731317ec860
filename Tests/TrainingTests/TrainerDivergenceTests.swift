import Foundation
import Landmarks
import TensorEngine
import XCTest
@testable import Training

final class TrainerDivergenceTests: XCTestCase {
    /// A NaN in one batch: that step is skipped, the weights, batch-norm statistics and optimiser are
    /// exactly those after the previous step, the batch's images are reported, and training goes on.
    func testPoisonedBatchIsSkippedAndStateRolledBack() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try Trainer(config: BlobTask.config(epochs: 2), data: BlobTask.data(), runDirectory: dir)
        trainer.batchHook = { batch, epoch, index in
            if epoch == 1 && index == 2 { batch.images[5] = .nan }
        }
        var afterFirst: [String: SafetensorsTensor] = [:], afterSecond: [String: SafetensorsTensor] = [:]
        var optimizerAfterFirst: [String: SafetensorsTensor] = [:], optimizerAfterSecond: [String: SafetensorsTensor] = [:]
        trainer.callbacks.batch = { p in
            guard p.epoch == 1 else { return }
            if p.batch == 1 { afterFirst = trainer.network.stateDict().tensors; optimizerAfterFirst = trainer.optimizer.stateTensors() }
            if p.batch == 2 { afterSecond = trainer.network.stateDict().tensors; optimizerAfterSecond = trainer.optimizer.stateTensors() }
        }
        var events: [NonFiniteStep] = []
        trainer.callbacks.nonFinite = { events.append($0) }
        var results: [EpochResult] = []
        trainer.callbacks.epoch = { results.append($0) }
        try trainer.run()

        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.epoch, 1)
        XCTAssertEqual(events.first?.batch, 2)
        // One NaN pixel: ReLU may drop it on the way forward, but never on the way back.
        XCTAssertTrue(["loss", "gradient norm"].contains(events.first?.quantity ?? ""), "\(events)")
        XCTAssertEqual(events.first?.imageIDs.count, 4)
        XCTAssertFalse(afterFirst.isEmpty)
        XCTAssertEqual(afterSecond, afterFirst, "weights and running statistics must be the last good state")
        XCTAssertEqual(optimizerAfterSecond, optimizerAfterFirst)
        XCTAssertEqual(results.map(\.skippedSteps), [1, 0])
        XCTAssertEqual(trainer.completedEpochs, 2)
        XCTAssertEqual(trainer.globalStep, 3, "two batches per epoch, one skipped")
        for (name, t) in trainer.network.stateDict().tensors where t.dtype == .f32 {
            XCTAssertTrue(t.floats().allSatisfy(\.isFinite), "\(name) is not finite")
        }
    }

    /// Under AFL the critic trains inside the loss; when the step is then skipped, the critic and its Adam
    /// state go back too, so a poisoned batch leaves no trace anywhere.
    func testPoisonedBatchUnderAFLRollsTheCriticBack() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = BlobTask.config(epochs: 1)
        config.afl = AFLConfig()
        let trainer = try Trainer(config: config, data: BlobTask.data(), runDirectory: dir)
        trainer.batchHook = { batch, _, index in
            if index == 2 { batch.images[5] = .nan }
        }
        var afterFirst: [String: SafetensorsTensor] = [:], afterSecond: [String: SafetensorsTensor] = [:]
        trainer.callbacks.batch = { p in
            if p.batch == 1 { afterFirst = trainer.weighting.stateTensors() }
            if p.batch == 2 { afterSecond = trainer.weighting.stateTensors() }
        }
        var events: [NonFiniteStep] = []
        trainer.callbacks.nonFinite = { events.append($0) }
        try trainer.run()
        XCTAssertEqual(events.count, 1)
        XCTAssertTrue(afterFirst.keys.contains { $0.hasPrefix("critic.") } && afterFirst.keys.contains { $0.hasPrefix("critic_optimizer.") })
        XCTAssertEqual(afterSecond, afterFirst, "critic weights and its Adam moments must be the last good state")
        for (name, t) in trainer.weighting.stateTensors() where t.dtype == .f32 {
            XCTAssertTrue(t.floats().allSatisfy(\.isFinite), "\(name) is not finite")
        }
    }

    /// Every batch of epoch 2 poisoned: after `max_consecutive_non_finite` skips training stops with
    /// `.diverged`, and the checkpoint of the last good epoch still matches the weights.
    func testTooManyNonFiniteStepsStopWithClearError() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = BlobTask.config(epochs: 3)
        config.maxConsecutiveNonFinite = 2
        let trainer = try Trainer(config: config, data: BlobTask.data(), runDirectory: dir)
        trainer.batchHook = { batch, epoch, _ in
            if epoch == 2 { for i in batch.images.indices { batch.images[i] = .infinity } }
        }
        XCTAssertThrowsError(try trainer.run()) { error in
            guard case TrainerError.diverged(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("2 non-finite steps in a row"), m)
            XCTAssertTrue(m.contains("blob-"), "names the images: \(m)")
        }
        let checkpoint = try SafetensorsArchive.read(from: trainer.run.lastCheckpoint.path)
        XCTAssertEqual(checkpoint.metadata["completed_epochs"], "1")
        let saved = checkpoint.tensors.filter { $0.key.hasPrefix("model.") }
        let current = trainer.network.stateDict().tensors
        XCTAssertEqual(Set(saved.keys), Set(current.keys.map { "model.\($0)" }))
        for (name, t) in current { XCTAssertEqual(saved["model.\(name)"], t, "\(name) moved after the last good step") }
    }
}
