import DetectorModel
import Foundation
import Landmarks
import TensorEngine
import XCTest
@testable import Training

/// The refinement stage's training: derived sizes, learning, resume, and attaching it to a model directory.
final class RefinerTrainerTests: XCTestCase {
    func testDerivedSizesFollowTheFirstStagesHeatmapPixel() {
        func image(_ w: Int, _ h: Int) -> AnnotatedImage {
            AnnotatedImage(id: "\(w)", relativePath: "", url: URL(fileURLWithPath: "/"), width: w, height: h, spacing: nil, landmarks: [])
        }
        // A 1000×800 image letterboxed into 256² shrinks by 0.256: a stride-4 heatmap pixel is 15.625 original pixels.
        let hand = RefinerConfig().resolved(images: [image(1000, 800)], inputWidth: 256, inputHeight: 256, stride: 4)
        XCTAssertEqual(hand.pixelSize!, 1, accuracy: 1e-12, "never finer than the original")
        XCTAssertEqual(hand.jitter!, 0.75 * 15.625, accuracy: 1e-9)
        // A 1100×2500 spine: 2500/256·4 = 39.0625 original pixels per heatmap pixel, so a patch pixel of 2.44.
        let spine = RefinerConfig().resolved(images: [image(1100, 2500)], inputWidth: 256, inputHeight: 256, stride: 4)
        XCTAssertEqual(spine.pixelSize!, 39.0625 / 16, accuracy: 1e-9)
        // The median image decides, and user-given sizes are kept.
        var fixed = RefinerConfig()
        fixed.pixelSize = 0.5; fixed.jitter = 3
        let kept = fixed.resolved(images: [image(1000, 800), image(100, 80), image(2000, 1600)], inputWidth: 256, inputHeight: 256, stride: 4)
        XCTAssertEqual(kept.pixelSize, 0.5)
        XCTAssertEqual(kept.jitter, 3)
    }

    func refinerConfig(epochs: Int) -> RefinerConfig {
        var c = RefinerConfig()
        c.preset = "small"; c.patchSize = 32; c.pixelSize = 1; c.jitter = 3; c.epochs = epochs
        c.imagesPerBatch = 4; c.patchesPerImage = 3; c.sigma = 1.5; c.learningRate = 3e-3; c.rotationDegrees = 5
        return c
    }

    /// On the blob task the refiner must bring the validation windows' jittered centres closer to the truth.
    func testRefinerLearnsToMoveWindowsTowardTheLandmark() throws {
        let dir = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trainer = try RefinerTrainer(config: refinerConfig(epochs: 12), data: BlobTask.data(train: 12, validation: 4), runDirectory: dir,
                                         seed: 2, protocols: [], validationProtocol: "high")
        let results = try trainer.run()
        XCTAssertEqual(results.count, 12)
        let last = results.last!
        XCTAssertEqual(last.unit, "mm")
        XCTAssertLessThan(last.refinedError, 0.7 * last.startError, "start \(last.startError) → refined \(results.map(\.refinedError))")
        let csv = try String(contentsOf: trainer.directory.appendingPathComponent("metrics.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 13)
    }

    func testResumeReachesTheSameWeightsAndAttachAddsTheStage() throws {
        let dir = try BlobTask.tempDir(), other = try BlobTask.tempDir()
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: other) }
        let data = try BlobTask.data(train: 8, validation: 2)
        func make(_ d: URL) throws -> RefinerTrainer {
            try RefinerTrainer(config: refinerConfig(epochs: 3), data: data, runDirectory: d, seed: 5, protocols: [], validationProtocol: "high")
        }
        try make(dir).run()
        try make(other).run(stoppingAfter: 1)
        XCTAssertThrowsError(try make(other).run(), "a second run over a checkpoint needs resume")
        let resumed = try make(other)
        try resumed.run(resume: true)
        let straight = try make(dir)
        try straight.run(resume: true)  // already complete: loads the final state, trains nothing
        XCTAssertEqual(resumed.network.stateDict().tensors, straight.network.stateDict().tensors)

        // Attach to a one-stage model directory: the card gains the stage, the weights load back.
        let model = dir.appendingPathComponent("model")
        let first = FPNKeypointNet(config: .small(keypoints: 3), seed: 1)
        let card = ModelCard(preset: "small", network: .small(keypoints: 3), schemaName: "blobs-3",
                             landmarkNames: ["upper_left", "upper_right", "lower"], inputWidth: 64, inputHeight: 64, sigma: 1.5,
                             contrastProtocol: "high")
        try ModelDirectory.write(card: card, network: first, schemaYAML: BlobTask.schemaYAML, to: model)
        try straight.attach(to: model)
        let loaded = try ModelDirectory.load(model)
        XCTAssertEqual(loaded.card.refinement?.patchSize, 32)
        XCTAssertEqual(loaded.card.refinement?.pixelSize, 1)
        XCTAssertEqual(loaded.refiner?.stateDict().tensors, straight.network.stateDict().tensors)
        XCTAssertEqual(loaded.network.stateDict().tensors, first.stateDict().tensors)

        // Passes and the minimum confidence act only at inference: a finished refiner re-attaches with others,
        // while a training setting still refuses the checkpoint.
        var inference = refinerConfig(epochs: 3)
        inference.passes = 3; inference.minimumConfidence = 0.2
        let again = try RefinerTrainer(config: inference, data: data, runDirectory: dir, seed: 5, protocols: [], validationProtocol: "high")
        try again.run(resume: true)
        try again.attach(to: model)
        XCTAssertEqual(try ModelDirectory.load(model).card.refinement?.passes, 3)
        var training = refinerConfig(epochs: 3)
        training.learningRate = 1e-2
        XCTAssertThrowsError(try RefinerTrainer(config: training, data: data, runDirectory: dir, seed: 5, protocols: [],
                                                validationProtocol: "high").run(resume: true))
    }
}
