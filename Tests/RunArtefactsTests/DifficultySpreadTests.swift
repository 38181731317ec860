import Foundation
import XCTest
@testable import RunArtefacts

/// difficulty-spread.csv numbers against a hand-computed epoch, the table's round trip, and the figure rows.
final class DifficultySpreadTests: XCTestCase {
    /// Batches {0.2, 0.4} and {0.6, 0.8, 1.0} (plus a NaN, which is left out).
    /// All five sorted: p10 at rank 0.4 → 0.2 + 0.4·0.2 = 0.28; median 0.6; p90 at rank 3.6 → 0.8 + 0.6·0.2 = 0.92;
    /// mean 0.6, squared deviations 0.16 + 0.04 + 0 + 0.04 + 0.16 = 0.4 → sd √0.08 = 0.282843.
    /// Batch 1: mean 0.3, ratios 2/3 and 4/3 → sd 1/3. Batch 2: mean 0.8, ratios 0.75, 1, 1.25 → sd √(0.125/3) = 0.204124.
    /// Averaged: ratio sd 0.268729, ratio min (2/3 + 0.75)/2 = 0.708333, ratio max (4/3 + 1.25)/2 = 1.291667.
    private let batches: [[Float]] = [[0.2, 0.4, .nan], [0.6, 0.8, 1.0]]

    func testStatisticsByHand() throws {
        let s = try XCTUnwrap(DifficultySpread(epoch: 3, batches: batches))
        XCTAssertEqual(s.epoch, 3)
        XCTAssertEqual(s.count, 5)
        XCTAssertEqual(s.batches, 2)
        let expected: [(Double, Double, String)] = [
            (s.min, 0.2, "min"), (s.p10, 0.28, "p10"), (s.median, 0.6, "median"), (s.p90, 0.92, "p90"), (s.max, 1.0, "max"),
            (s.sd, 0.282843, "sd"), (s.ratioSD, 0.268729, "ratio sd"), (s.ratioMin, 0.708333, "ratio min"),
            (s.ratioMax, 1.291667, "ratio max"),
        ]
        // Float scores widen to Double with ~1e-8 error.
        for (got, want, name) in expected { XCTAssertEqual(got, want, accuracy: 2e-6, name) }
        XCTAssertNil(DifficultySpread(epoch: 1, batches: [[.nan]]), "no finite score, no row")
    }

    func testTableRoundTripsThroughTheRunDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ldk-spread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = RunDirectory(dir)
        try run.prepareDifficulty(keepEpochs: 0)
        let one = try XCTUnwrap(DifficultySpread(epoch: 1, batches: batches))
        let two = try XCTUnwrap(DifficultySpread(epoch: 2, batches: [[0.5, 0.5]]))
        try run.appendDifficultySpread(one)
        try run.appendDifficultySpread(two)
        let text = try String(contentsOf: run.difficultySpread, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").first.map(String.init), DifficultySpread.csvHeader)
        XCTAssertTrue(text.contains("1,5,0.200000,0.280000,0.600000,0.920000,1.000000,0.282843,2,0.268729,0.708333,1.291667"), text)
        let read = try XCTUnwrap(DifficultySpread.load(runDirectory: dir))
        XCTAssertEqual(read.map(\.epoch), [1, 2])
        XCTAssertEqual(read[1].sd, 0)
        XCTAssertEqual(read[1].ratioMax, 1)
        // A resume after epoch 1 keeps only epoch 1's row.
        try run.prepareDifficulty(keepEpochs: 1)
        XCTAssertEqual(try DifficultySpread.load(runDirectory: dir)?.map(\.epoch), [1])
        XCTAssertThrowsError(try DifficultySpread.parse("epoch,x\n1,2\n")) { error in
            XCTAssertTrue("\(error)".contains(DifficultySpread.fileName), "\(error)")
        }
    }

    func testFigureGetsASpreadRowOnlyWithASpreadTable() throws {
        let log = try DifficultyLog.parse("epoch,image,difficulty\n1,a,0.4\n1,b,0.6\n2,a,0.3\n2,b,0.7\n")
        let spread = [DifficultySpread(epoch: 1, batches: [[0.4, 0.6]])!, DifficultySpread(epoch: 2, batches: [[0.3, 0.7]])!]
        let without = DifficultyChart.svg(log, id: "d")
        let with = DifficultyChart.svg(log, id: "d", spread: spread)
        XCTAssertFalse(without.contains("Spread of s_i per epoch"))
        XCTAssertTrue(with.contains("Spread of s_i per epoch") && with.contains("s_i / batch mean"))
        XCTAssertTrue(with.contains("Easiest") && with.contains("Hardest"), "figure 3 stays beside the new panels")
    }
}
