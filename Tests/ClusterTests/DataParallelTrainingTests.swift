import Foundation
import TensorEngine
import TestSupport
import XCTest

/// `mpirun -np 2 landmark train` with synchronised batch norm reaches the weights one process reaches with
/// the same global batch (2 ranks × 2 = 1 × 4), after 4 optimiser steps with validation in between.
final class DataParallelTrainingTests: XCTestCase {
    func testTwoRanksMatchOneProcessWithTheGlobalBatch() throws {
        let dir = try Scratch.directory("train")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try MPIJob.phantom(in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "one", epochs: 2), in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "two", epochs: 2), ranks: MPIJob.ranks, in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "local", epochs: 2) + ["--batch-norm", "local"], ranks: MPIJob.ranks, in: dir)

        let one = try checkpoint(dir, "one"), two = try checkpoint(dir, "two"), local = try checkpoint(dir, "local")
        XCTAssertEqual(one.metadata["global_step"], "4")
        XCTAssertEqual(two.metadata["global_step"], "4")
        XCTAssertEqual(two.metadata["world_size"], "2")
        XCTAssertEqual(one.metadata["world_size"], "1")

        let synchronised = worstRelativeDifference(one, two)
        XCTAssertLessThanOrEqual(synchronised, 1e-5, "2 ranks × 2 with synchronised batch norm vs 1 × 4")
        // The comparison can fail: local statistics over 2 samples per rank train a visibly different network.
        XCTAssertGreaterThan(worstRelativeDifference(one, local), 1e-3, "local batch norm should differ from the global batch")

        // Rank 0 alone wrote the run: one metrics row per epoch, the same losses as one process.
        let rows = try String(contentsOf: dir.appendingPathComponent("two/metrics.csv"), encoding: .utf8).split(separator: "\n")
        let oneRows = try String(contentsOf: dir.appendingPathComponent("one/metrics.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.count, 3)
        XCTAssertNotEqual(rows[1].split(separator: ",")[1], rows[2].split(separator: ",")[1], "the weights moved between epochs")
        XCTAssertEqual(rows.map { $0.split(separator: ",")[1] }, oneRows.map { $0.split(separator: ",")[1] }, "train loss per epoch")
        let config = try String(contentsOf: dir.appendingPathComponent("two/config.yaml"), encoding: .utf8)
        XCTAssertTrue(config.contains("batch_norm: synchronized"), config)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("two/model/model.json").path))
    }

    /// Resuming a 2-rank run on 2 ranks ends where an uninterrupted 2-rank run ends. A constant learning rate, so
    /// stopping after epoch 1 (a run of 1 epoch) does not change the schedule of the epoch before the stop.
    func testResumeOnTheSameRanksContinuesExactly() throws {
        let dir = try Scratch.directory("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try MPIJob.phantom(in: dir)
        try Data("schedule: constant\nwarmup_epochs: 0\n".utf8).write(to: dir.appendingPathComponent("constant.yaml"))
        let constant = ["--config", "constant.yaml"]
        try MPIJob.run(MPIJob.trainArguments(out: "whole", epochs: 2) + constant, ranks: MPIJob.ranks, in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "split", epochs: 1) + constant, ranks: MPIJob.ranks, in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "split", epochs: 2) + constant + ["--resume"], ranks: MPIJob.ranks, in: dir)
        let whole = try checkpoint(dir, "whole"), split = try checkpoint(dir, "split")
        XCTAssertEqual(split.metadata["global_step"], "4")
        XCTAssertEqual(worstRelativeDifference(whole, split), 0, "resumed on the same 2 ranks")
    }

    /// With --afl, the critic's gradients are summed too and its mixing weights drawn for the global batch: detector
    /// and critic match one process, and rank 0's difficulty log has every sample, in one process's order.
    func testAdversarialFocalLossMatchesOneProcess() throws {
        let dir = try Scratch.directory("afl")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try MPIJob.phantom(in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "one", epochs: 2) + ["--afl"], in: dir)
        try MPIJob.run(MPIJob.trainArguments(out: "two", epochs: 2) + ["--afl"], ranks: MPIJob.ranks, in: dir)
        let one = try checkpoint(dir, "one"), two = try checkpoint(dir, "two")
        XCTAssertLessThanOrEqual(worstRelativeDifference(one, two), 1e-5, "detector")
        XCTAssertLessThanOrEqual(worstRelativeDifference(one, two, prefix: "weighting.critic."), 1e-5, "critic")
        let rows = { (run: String) in try String(contentsOf: dir.appendingPathComponent("\(run)/difficulty.csv"), encoding: .utf8) }
        XCTAssertEqual(try rows("two").split(separator: "\n").count, 1 + 2 * 8, "8 samples per epoch, from both ranks")
        XCTAssertEqual(try rows("one"), try rows("two"))
    }

    private func checkpoint(_ dir: URL, _ run: String) throws -> SafetensorsArchive {
        try SafetensorsArchive.read(from: dir.appendingPathComponent("\(run)/checkpoints/last.safetensors").path)
    }

    /// max over the model's tensors of ‖a − b‖ / ‖a‖ (weights and batch-norm running statistics).
    private func worstRelativeDifference(_ a: SafetensorsArchive, _ b: SafetensorsArchive, prefix: String = "model.") -> Double {
        var worst = 0.0, compared = 0
        for (name, ta) in a.tensors where name.hasPrefix(prefix) && ta.dtype == .f32 {
            compared += 1
            guard let tb = b.tensors[name] else { XCTFail("\(name) missing"); return .infinity }
            let x = ta.floats(), y = tb.floats()
            var d = 0.0, n = 0.0
            for (p, q) in zip(x, y) { d += Double(p - q) * Double(p - q); n += Double(p) * Double(p) }
            worst = max(worst, d.squareRoot() / max(n.squareRoot(), 1e-30))
        }
        XCTAssertGreaterThan(compared, 0, "no tensors under \(prefix)")
        return worst
    }
}
