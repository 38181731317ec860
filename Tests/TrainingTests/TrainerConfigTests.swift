import Foundation
import XCTest
@testable import Training

final class TrainerConfigTests: XCTestCase {
    func testPartialFileThenFlagsOverride() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("train.yaml")
        try """
        preset: r18
        epochs: 40
        batch_size: 16
        lr: 0.0005
        protocol: random
        seed: 9
        """.write(to: file, atomically: true, encoding: .utf8)
        var flags = TrainConfigOverrides()
        let out = dir.appendingPathComponent("run").path
        flags.set(\.epochs, 12)
        flags.setInputSize(320)
        flags.set(\.out, out)
        flags.set(\.schema, nil)     // a flag not given keeps the file's value (here: none)
        let resolved = try TrainConfig.resolve(file: file, overrides: flags)

        var expected = TrainConfig()
        expected.preset = .r18
        expected.epochs = 12          // flag beats file
        expected.batchSize = 16
        expected.learningRate = 0.0005
        expected.contrastProtocol = .random
        expected.seed = 9
        expected.inputWidth = 320
        expected.inputHeight = 320
        expected.out = out
        XCTAssertEqual(resolved, expected)

        // What a run writes reads back as the same configuration.
        let written = dir.appendingPathComponent("run/config.yaml")
        try TrainConfigFile.write(resolved, to: written)
        XCTAssertEqual(try TrainConfigFile.load(from: written), expected)
        XCTAssertTrue(try String(contentsOf: written, encoding: .utf8).contains("batch_size: 16"))
    }

    func testUnknownKeysAndBadValuesAreRejected() throws {
        XCTAssertThrowsError(try TrainConfigFile.parse(yaml: "batchsize: 4\n", file: "x.yaml")) { error in
            XCTAssertTrue("\(error)".contains("batchsize"), "\(error)")
        }
        XCTAssertThrowsError(try TrainConfigFile.parse(yaml: "epochs: many\n", file: "x.yaml"))
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        try "input_width: 100\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TrainConfig.resolve(file: file, overrides: TrainConfigOverrides())) { error in
            XCTAssertTrue("\(error)".contains("multiples of 32"), "\(error)")
        }
        XCTAssertEqual(try TrainConfigFile.parse(yaml: "", file: "empty.yaml"), TrainConfig())
    }

    func testAbsentLandmarkPolicyDefaultsToTrainAndReadsFromFileAndFlag() throws {
        XCTAssertEqual(TrainConfig().absentLandmarks, .train, "docs/CONVENTIONS.md: absent landmarks are trained")
        let fromFile = try TrainConfigFile.parse(yaml: "absent_landmarks: mask\n", file: "x.yaml")
        XCTAssertEqual(fromFile.absentLandmarks, .mask)
        XCTAssertThrowsError(try TrainConfigFile.parse(yaml: "absent_landmarks: ignore\n", file: "x.yaml"))
        var flags = TrainConfigOverrides()
        flags.set(\.absentLandmarks, .train)
        XCTAssertEqual(flags.applied(to: fromFile).absentLandmarks, .train, "the flag beats the file")
        // Written and read back, and a change refuses a resume (the loss would differ from an uninterrupted run).
        XCTAssertEqual(try TrainConfigFile.parse(yaml: TrainConfigFile.yaml(fromFile), file: "y.yaml"), fromFile)
        XCTAssertEqual(Trainer.resumeBreakingDifferences(fromFile, TrainConfig()), ["absent_landmarks"])
    }
}
