import XCTest
import Foundation
import TensorEngine
@testable import Training

final class AFLConfigTests: XCTestCase {
    func testDefaultsAndPartialDecoding() throws {
        let d = AFLConfig()
        XCTAssertEqual(d.criticLearningRate, 1e-4)
        XCTAssertEqual([d.criticBeta1, d.criticBeta2], [0.5, 0.9])
        XCTAssertEqual(d.criticStepsPerStep, 1)
        XCTAssertEqual(d.warmUpEpochs, 0)
        XCTAssertEqual(d.criticWarmUpUpdates, 0)
        XCTAssertEqual(d.criticLearningRate(atUpdate: 1), 1e-4, "no warm-up: the full rate from the first update")
        XCTAssertEqual(d.presenceThreshold, 0.3, "chosen by the ablation in docs/AFL.md; 0.5 is the paper's form")
        XCTAssertEqual(d.gradientPenaltyWeight, 10)
        XCTAssertEqual(d.difficultyScale, 1, "the paper's σ(−d)")
        XCTAssertEqual(d.difficultyNormalization, .none)
        XCTAssertEqual(try JSONDecoder().decode(AFLConfig.self, from: Data("{}".utf8)), d)

        let partial = try JSONDecoder().decode(AFLConfig.self, from: Data(#"{"warmUpEpochs": 3, "criticStepsPerStep": 2}"#.utf8))
        XCTAssertEqual(partial.warmUpEpochs, 3)
        XCTAssertEqual(partial.criticStepsPerStep, 2)
        XCTAssertEqual(partial.criticLearningRate, 1e-4)
        XCTAssertFalse(partial.weightsSamples(inEpoch: 2))
        XCTAssertTrue(partial.weightsSamples(inEpoch: 3))
        XCTAssertEqual(try JSONDecoder().decode(AFLConfig.self, from: JSONEncoder().encode(partial)), partial)
    }

    /// The run's config.yaml shows the values a user wrote, and reads back to the same settings.
    func testWrittenConfigShowsShortDecimals() throws {
        var c = TrainConfig()
        c.afl = AFLConfig()
        c.afl!.criticLearningRate = 3e-4
        let yaml = try TrainConfigFile.yaml(c)
        XCTAssertTrue(yaml.contains("criticLearningRate: 0.0003") || yaml.contains("criticLearningRate: 3e-4"), yaml)
        XCTAssertTrue(yaml.contains("criticBeta2: 0.9") || yaml.contains("criticBeta2: 9e-1"), yaml)
        XCTAssertFalse(yaml.contains("99999"), yaml)
        XCTAssertEqual(try TrainConfigFile.parse(yaml: yaml, file: "config.yaml").afl, c.afl)
    }

    func testRejectsNonsense() {
        for bad in [#"{"criticStepsPerStep": 0}"#, #"{"warmUpEpochs": -1}"#, #"{"criticWarmUpUpdates": -5}"#, #"{"criticChannels": []}"#,
                    #"{"criticLearningRate": 0}"#, #"{"difficultyScale": 0}"#, #"{"difficultyScale": -2}"#,
                    #"{"difficultyNormalization": "layer"}"#] {
            XCTAssertThrowsError(try JSONDecoder().decode(AFLConfig.self, from: Data(bad.utf8)), bad)
        }
    }

    func testScaleAndNormalizationReadBackFromYAML() throws {
        let parsed = try TrainConfigFile.parse(yaml: "afl:\n  difficultyScale: 4\n  difficultyNormalization: batch\n", file: "c.yaml")
        XCTAssertEqual(parsed.afl?.difficultyScale, 4)
        XCTAssertEqual(parsed.afl?.difficultyNormalization, .batch)
        XCTAssertEqual(try TrainConfigFile.parse(yaml: TrainConfigFile.yaml(parsed), file: "c.yaml"), parsed)
    }

    /// The critic's rate ramps linearly over the first W updates, then stays at the configured rate; the
    /// critic's optimiser follows the ramp update by update.
    func testCriticLearningRateWarmUp() throws {
        var c = try TrainConfigFile.parse(yaml: "afl:\n  criticWarmUpUpdates: 4\n  criticLearningRate: 0.0002\n", file: "c.yaml").afl!
        XCTAssertEqual(c.criticWarmUpUpdates, 4)
        for (update, rate) in zip([1, 2, 3, 4, 100], [Float(5e-5), 1e-4, 1.5e-4, 2e-4, 2e-4]) {
            XCTAssertEqual(c.criticLearningRate(atUpdate: update), rate, accuracy: 1e-9, "update \(update)")
        }
        c.criticStepsPerStep = 3
        var rng = RandomGenerator(seed: 3)
        let critic = AFLCritic(keypoints: 3, config: c, rng: &rng)
        let real = Tensor((0..<36).map { Float($0 % 5) / 5 }, shape: [2, 2, 3, 3])
        let fake = Tensor((0..<36).map { Float($0 % 3) / 3 }, shape: [2, 2, 3, 3])
        critic.update(real: real, fake: fake, rng: &rng)
        XCTAssertEqual(critic.optimizer.stepCount, 3)
        XCTAssertEqual(critic.optimizer.learningRate, 1.5e-4, accuracy: 1e-9, "the third update ran at 3/4 of the rate")
        critic.update(real: real, fake: fake, rng: &rng)
        XCTAssertEqual(critic.optimizer.learningRate, 2e-4, accuracy: 1e-9)
    }
}
