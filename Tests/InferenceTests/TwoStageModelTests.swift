import ContrastProtocols
import DetectorModel
import Foundation
import Landmarks
import TensorEngine
import TestSupport
import XCTest
import XRayIngest
@testable import Inference

/// Two-stage model directories: the refinement stage is saved, loaded and run exactly, and one-stage
/// directories written before it existed still predict what they predicted then.
final class TwoStageModelTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("two-stage") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The tiny fixture model plus a random-weight refiner; a sigmoid output and no minimum confidence make
    /// every patch answer, so the stage visibly moves every landmark.
    func twoStage() -> ModelDirectory.Loaded {
        let config = FPNConfig.small(keypoints: 3)
        var card = ModelCard(preset: "small", network: config, schemaName: "tiny-3", landmarkNames: ["top", "left", "right"],
                             inputWidth: 64, inputHeight: 64, sigma: 2, contrastProtocol: "high")
        card.refinement = RefinementStage(network: FPNConfig.small(keypoints: 3), patchSize: 32, pixelSize: 1.5, sigma: 1.5,
                                          outputActivation: .sigmoid, passes: 1, minimumConfidence: 0)
        let first = FPNKeypointNet(config: config, seed: 3), second = FPNKeypointNet(config: card.refinement!.network, seed: 4)
        first.eval(); second.eval()
        return ModelDirectory.Loaded(card: card, network: first, schemaYAML: Fixture.schemaYAML, refiner: second)
    }

    func testTwoStageDirectoryPredictsIdenticallyAfterSaveAndLoad() throws {
        let model = twoStage()
        let path = dir.appendingPathComponent("model")
        try ModelDirectory.write(card: model.card, network: model.network, refiner: model.refiner, schemaYAML: model.schemaYAML, to: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path.appendingPathComponent(RefinementStage.weightsFile).path))
        let card = try JSONDecoder().decode(ModelCard.self, from: Data(contentsOf: path.appendingPathComponent(ModelCard.cardFile)))
        XCTAssertEqual(card.formatVersion, 2)
        let images = [Fixture.xray(rows: 80, columns: 120, spacing: PixelSpacing(rowMM: 0.1, columnMM: 0.2, source: .pixelSpacing)),
                      Fixture.xray(rows: 100, columns: 60)]
        let before = try Predictor(loaded: model).predict(images, batchSize: 2)
        let after = try Predictor.load(path).predict(images, batchSize: 2)
        XCTAssertEqual(before, after)
        for l in after[0].landmarks {
            XCTAssertEqual(l.xMM!, l.x * 0.2, accuracy: 1e-12)
            XCTAssertEqual(l.yMM!, l.y * 0.1, accuracy: 1e-12)
        }
    }

    /// Each refined landmark is the peak of its own channel in a patch cut around the first stage's answer,
    /// computed here by hand with the unfused network.
    func testRefinementMovesEachLandmarkToItsPatchPeak() throws {
        let model = twoStage()
        let stage = model.card.refinement!
        let image = Fixture.xray(rows: 90, columns: 140)
        let coarse = try Predictor(loaded: model, options: PredictorOptions(refine: false)).predict([image])[0]
        let predictor = try Predictor(loaded: model)
        let prepared = predictor.prepare(image)
        let refined = predictor.predict([prepared])[0]
        let codec = HeatmapCodec(width: 8, height: 8, sigma: stage.sigma, threshold: 0)
        var moved = 0
        for (k, (c, r)) in zip(coarse.landmarks, refined.landmarks).enumerated() {
            XCTAssertEqual(c.confidence, r.confidence, "presence and confidence stay the first stage's")
            XCTAssertEqual(c.present, r.present)
            let window = PatchWindow(center: LandmarkPoint(x: c.x, y: c.y), size: 32, pixelSize: 1.5)
            let patch = prepared.refinementImage!.patch(window)
            let heat = model.refiner!.forward(Tensor(patch.pixels, shape: [1, 1, 32, 32])).sigmoid().toArray()
            let expected = Array(heat[(k * 64)..<((k + 1) * 64)]).withUnsafeBufferPointer { window.landmark(in: $0, codec: codec, stride: 4) }!
            XCTAssertEqual(r.x, expected.x, accuracy: 1e-2)
            XCTAssertEqual(r.y, expected.y, accuracy: 1e-2)
            if abs(r.x - c.x) + abs(r.y - c.y) > 1e-6 { moved += 1 }
        }
        XCTAssertGreaterThan(moved, 0, "the refinement stage changed nothing")
    }

    func testACardWithARefinementStageButNoRefinerWeightsIsRefused() throws {
        let model = twoStage()
        let path = dir.appendingPathComponent("model")
        try ModelDirectory.write(card: model.card, network: model.network, refiner: model.refiner, schemaYAML: model.schemaYAML, to: path)
        try FileManager.default.removeItem(at: path.appendingPathComponent(RefinementStage.weightsFile))
        XCTAssertThrowsError(try ModelDirectory.load(path)) { error in
            XCTAssertTrue("\(error)".contains(RefinementStage.weightsFile), "\(error)")
        }
        // Writing one without the other is refused too.
        XCTAssertThrowsError(try ModelDirectory.write(card: model.card, network: model.network, schemaYAML: model.schemaYAML, to: path))
    }

    func testAModelDirectoryFromBeforeTwoStageModelsLoadsAndPredictsAsItDidThen() throws {
        let fixtures = try XCTUnwrap(Bundle.module.resourceURL?.appendingPathComponent("Fixtures"))
        let predictor = try Predictor.load(fixtures.appendingPathComponent("model-format-1"))
        XCTAssertNil(predictor.refiner)
        XCTAssertEqual(predictor.card.formatVersion, 1)
        let image = try DICOMReader().read(fixtures.appendingPathComponent("model-format-1-input.dcm"))
        let got = predictor.predict([image.image])[0].landmarks
        let rows = try String(contentsOf: fixtures.appendingPathComponent("model-format-1-landmarks.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.count, got.count)
        for (row, l) in zip(rows, got) {
            XCTAssertEqual(row[1], l.name)
            XCTAssertEqual(Double(row[2])!, l.x, accuracy: 1e-3)
            XCTAssertEqual(Double(row[3])!, l.y, accuracy: 1e-3)
            XCTAssertEqual(Double(row[6])!, l.confidence, accuracy: 1e-3)
            XCTAssertEqual(row[7] == "1", l.present)
        }
    }
}
