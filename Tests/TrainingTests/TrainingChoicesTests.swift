import DetectorModel
import Foundation
import XCTest
@testable import Training

/// Preset, loss, optimizer, schedule and protocol as typed choices: old files still load, unknown names are
/// refused with the known ones, and files are written with the same spelling as before.
final class TrainingChoicesTests: XCTestCase {
    /// A config.yaml as the string-typed configuration wrote it, with the letter case a user's flag could leave.
    private let oldRunConfig = """
        absent_landmarks: train
        augment: true
        batch_norm: synchronized
        batch_size: 8
        dataset: /data/hand
        epochs: 30
        input_height: 256
        input_width: 256
        loss: AWing
        lr: 0.001
        max_consecutive_non_finite: 5
        model_selection: last
        optimizer: adamw
        out: runs/hand
        preset: R18
        presence_threshold: 0.5
        protocol: my-protocol
        refine:
          enabled: true
          epochs: 40
          loss: focal
          preset: refiner
        schedule: constant
        seed: 0
        sigma: 2.0
        validation_fraction: 0.2
        warmup_epochs: 1
        weight_decay: 0.0
        """

    func testAnOldConfigFileLoadsIntoTypedChoices() throws {
        let c = try TrainConfigFile.parse(yaml: oldRunConfig, file: "config.yaml")
        XCTAssertEqual(c.preset, .r18)
        XCTAssertEqual(c.loss, .awing)
        XCTAssertEqual(c.optimizer, .adamw)
        XCTAssertEqual(c.schedule, .constant)
        XCTAssertEqual(c.contrastProtocol, .named("my-protocol"), "a user protocol's name is kept as given")
        XCTAssertEqual(c.refine.loss, .focal)
        XCTAssertEqual(try TrainConfigFile.parse(yaml: "protocol: random\n", file: "x").contrastProtocol, .random)
    }

    func testFilesAreWrittenWithTheSameSpelling() throws {
        var c = TrainConfig()
        c.contrastProtocol = .named("high")
        c.optimizer = .adamw
        let yaml = try TrainConfigFile.yaml(c)
        for line in ["preset: r18", "loss: awing", "protocol: high", "optimizer: adamw", "schedule: cosine"] {
            XCTAssertTrue(yaml.contains(line + "\n"), "missing '\(line)' in\n\(yaml)")
        }
        XCTAssertTrue(try TrainConfigFile.yaml(TrainConfig()).contains("protocol: random\n"))
        XCTAssertEqual(try TrainConfigFile.parse(yaml: yaml, file: "x"), c)
    }

    func testUnknownNamesAreRefusedWithTheKnownOnes() {
        let cases = [("preset: r101\n", "preset", "small, r18, r50"),
                     ("loss: hinge\n", "loss", "mse, l1, awing, focal, qfl"),
                     ("optimizer: sgd\n", "optimizer", "adam, adamw"),
                     ("schedule: step\n", "schedule", "cosine, constant"),
                     ("refine:\n  loss: hinge\n", "refine.loss", "awing")]
        for (yaml, key, known) in cases {
            XCTAssertThrowsError(try TrainConfigFile.parse(yaml: yaml, file: "x.yaml")) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("x.yaml: bad value: \(key): "), text)
                XCTAssertTrue(text.contains(known), text)
            }
        }
    }

    func testChoiceListsComeFromTheTypes() {
        XCTAssertEqual(DetectorPreset.allCases.map(\.rawValue), ["small", "r18", "r50"])
        XCTAssertEqual(BaseLoss.names, ["mse", "l1", "awing", "focal", "qfl"])
        for preset in DetectorPreset.allCases {
            XCTAssertEqual(preset.network(keypoints: 5), FPNConfig.preset(named: preset.rawValue, keypoints: 5))
        }
        XCTAssertEqual(ProtocolChoice("random"), .random)
        XCTAssertEqual(ProtocolChoice("Random"), .named("Random"), "only the exact spelling means random, as before")
        XCTAssertEqual(ProtocolChoice.named("low").validationProtocol, "low")
    }

    func testAFlagNotGivenKeepsTheFilesValue() {
        var base = TrainConfig()
        base.out = "from-file"
        base.threads = 3
        var flags = TrainConfigOverrides()
        flags.set(\.out, nil)
        flags.set(\.threads, 2)
        flags.set(\.preset, DetectorPreset.small)
        let c = flags.applied(to: base)
        XCTAssertEqual(c.out, "from-file")
        XCTAssertEqual(c.threads, 2)
        XCTAssertEqual(c.preset, .small)
    }
}
