import Foundation
import XCTest
@testable import Training

/// `--resume` compares every setting except the few listed in `TrainConfig.mayChangeOnResume`.
final class ResumeCheckTests: XCTestCase {
    /// One change per setting that must not change on resume. A new setting in `TrainConfig` makes
    /// `testEverySettingIsEitherResumableOrCompared` fail until it is listed here or in `mayChangeOnResume`.
    private let breakingChanges: [String: (inout TrainConfig) -> Void] = [
        "preset": { $0.preset = .r50 },
        "loss": { $0.loss = .mse },
        "protocol": { $0.contrastProtocol = .named("high") },
        "batch_size": { $0.batchSize += 1 },
        "lr": { $0.learningRate *= 2 },
        "weight_decay": { $0.weightDecay = 1e-4 },
        "optimizer": { $0.optimizer = .adamw },
        "schedule": { $0.schedule = .constant },
        "warmup_epochs": { $0.warmupEpochs += 1 },
        "grad_clip_norm": { $0.gradientClipNorm = 1 },
        "input_width": { $0.inputWidth = 320 },
        "input_height": { $0.inputHeight = 320 },
        "sigma": { $0.sigma = 3 },
        "seed": { $0.seed += 1 },
        "augment": { $0.augment.toggle() },
        "afl": { $0.afl = AFLConfig() },
        "absent_landmarks": { $0.absentLandmarks = .mask },
        "batch_norm": { $0.batchNorm = .local },
    ]

    private let allowedChanges: [(inout TrainConfig) -> Void] = [
        { $0.epochs += 10 }, { $0.threads = 7 }, { $0.dataset = "/moved" }, { $0.schema = "hand" }, { $0.out = "elsewhere" },
        { $0.cacheDirectory = "/cache" }, { $0.validationFraction = 0.3 }, { $0.presenceThreshold = 0.4 },
        { $0.maxConsecutiveNonFinite = 9 }, { $0.modelSelection = .bestValidation }, { $0.refine.epochs = 3 },
    ]

    func testEverySettingIsEitherResumableOrCompared() {
        let resumable = Set(TrainConfig.mayChangeOnResume.map(\.key.rawValue))
        let compared = Set(breakingChanges.keys)
        XCTAssertTrue(resumable.isDisjoint(with: compared))
        XCTAssertEqual(resumable.union(compared), Set(TrainConfig.CodingKeys.allCases.map(\.rawValue)),
                       "a setting is neither allowed to change on resume nor covered by this test")
        // Every stored property has a config.yaml key, so none escapes the file (and the check's message).
        XCTAssertEqual(Mirror(reflecting: TrainConfig()).children.count, TrainConfig.CodingKeys.allCases.count)
    }

    func testEveryOtherSettingRefusesAResumeAndIsNamed() {
        for (key, change) in breakingChanges {
            var changed = TrainConfig()
            change(&changed)
            XCTAssertEqual(Trainer.resumeBreakingDifferences(TrainConfig(), changed), [key])
        }
    }

    func testTheListedSettingsMayChange() {
        var changed = TrainConfig()
        for change in allowedChanges { change(&changed) }
        XCTAssertNotEqual(changed, TrainConfig())
        XCTAssertEqual(Trainer.resumeBreakingDifferences(TrainConfig(), changed), [])
    }

    func testACheckpointWrittenWithTheOldSpellingResumes() throws {
        // The checkpoint's config says `preset: R18`; the resuming run's flags say r18.
        let saved = try TrainConfigFile.parse(yaml: "preset: R18\nloss: AWing\n", file: "checkpoint")
        XCTAssertEqual(Trainer.resumeBreakingDifferences(saved, TrainConfig()), [])
    }
}
