import DetectorModel
import Foundation
import Landmarks
import TensorEngine
import TestSupport
import Training
import XCTest
@testable import Inference

/// An AFL model directory keeps its critic; inference scores each image's difficulty with it.
final class DifficultyReviewTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Scratch.directory("review") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A critic for the fixture's K = 3 with a non-default scale, so the card's fields all matter.
    private func makeCritic() -> AFLCritic {
        var rng = RandomGenerator(seed: 21)
        var config = AFLConfig()
        config.difficultyScale = 4
        config.presenceThreshold = 0.3
        return AFLCritic(keypoints: 3, config: config, rng: &rng)
    }

    /// The fixture model plus `critic` written through `ModelDirectory.write`.
    private func writeAFLModel(to url: URL, critic: AFLCritic) throws {
        try Fixture.writeModel(to: url)
        var loaded = try ModelDirectory.load(url)
        let exported = DifficultyScorer.export(critic)
        loaded.card.critic = exported.card
        try ModelDirectory.write(card: loaded.card, network: loaded.network, schemaYAML: loaded.schemaYAML,
                                 critic: exported.weights, to: url)
    }

    /// Heatmaps with distinct centroids per sample, so the critic sees different topologies.
    private func heatmaps() -> Tensor {
        var v = [Float](repeating: 0, count: 2 * 3 * 16 * 16)
        for (i, (x, y)) in [(2, 3), (10, 4), (6, 12), (3, 3), (12, 13), (8, 1)].enumerated() { v[i * 256 + y * 16 + x] = 0.9 }
        return Tensor(v, shape: [2, 3, 16, 16])
    }

    func testCriticRoundTripsThroughTheModelDirectory() throws {
        let critic = makeCritic()
        let url = dir.appendingPathComponent("afl-model")
        try writeAFLModel(to: url, critic: critic)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.appendingPathComponent(CriticCard.weightsFile).path))

        let loaded = try ModelDirectory.load(url)
        let card = try XCTUnwrap(loaded.card.critic)
        XCTAssertEqual(card, CriticCard(keypoints: 3, channels: [8, 16, 48], negativeSlope: 0.2, presenceThreshold: 0.3, difficultyScale: 4))
        let scorer = try DifficultyScorer(card: card, weights: try XCTUnwrap(loaded.critic), source: "test")
        // The same scores as the training critic: σ(−4·d(T(ŷ))) with its τ = 0.3.
        let h = heatmaps()
        let expected = critic.difficulty(fakeTopology: critic.extractor.topology(of: h)).toArray().map(Double.init)
        let got = scorer.difficulty(heatmaps: h)
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: 1e-6) }
        XCTAssertNotEqual(got[0], got[1], "different topologies, different scores")

        // The predictor picks the critic up and gives every image a score in (0, 1).
        let predictor = try Predictor.load(url)
        XCTAssertNotNil(predictor.difficultyScorer)
        let predictions = predictor.predict([Fixture.xray(), Fixture.xray(rows: 60, columns: 90)])
        for p in predictions { XCTAssertTrue((0...1).contains(try XCTUnwrap(p.difficulty))) }
    }

    func testModelDirectoriesWithoutACriticStillLoad() throws {
        let url = try Fixture.writeModel(to: dir.appendingPathComponent("plain"))
        let json = try String(contentsOf: url.appendingPathComponent(ModelCard.cardFile), encoding: .utf8)
        XCTAssertFalse(json.contains("critic"), "an older card has no critic field at all")
        let predictor = try Predictor.load(url)
        XCTAssertNil(predictor.difficultyScorer)
        XCTAssertNil(predictor.predict([Fixture.xray()])[0].difficulty)
    }

    func testCardNamingAMissingCriticFileIsRefusedWithItsPath() throws {
        let url = dir.appendingPathComponent("afl-model")
        try writeAFLModel(to: url, critic: makeCritic())
        try FileManager.default.removeItem(at: url.appendingPathComponent(CriticCard.weightsFile))
        XCTAssertThrowsError(try ModelDirectory.load(url)) { error in
            XCTAssertTrue("\(error)".contains(CriticCard.weightsFile), "\(error)")
        }
        // Weights without a card entry (or the reverse) are refused on write, before anything is written.
        let loaded = try ModelDirectory.load(try Fixture.writeModel(to: dir.appendingPathComponent("plain")))
        XCTAssertThrowsError(try ModelDirectory.write(card: loaded.card, network: loaded.network, schemaYAML: loaded.schemaYAML,
                                                      critic: makeCritic().network.stateDict(), to: dir.appendingPathComponent("x")))
    }

    func testInferenceWritesDifficultyAndOrdersOverlaysByIt() throws {
        let images = dir.appendingPathComponent("images")
        try Fixture.writeDICOM(images.appendingPathComponent("a.dcm"))
        try Fixture.writeTIFF(images.appendingPathComponent("sub/b.tif"))
        try Fixture.writeDICOM(images.appendingPathComponent("c.dcm"), rows: 64, columns: 100)
        let model = dir.appendingPathComponent("afl-model")
        try writeAFLModel(to: model, critic: makeCritic())
        let out = dir.appendingPathComponent("out")
        var options = InferenceOptions(model: model, inputs: [images], output: out)
        options.overlays = true
        options.overlayOrder = .difficulty
        let result = try InferenceJob(options: options).run()

        let ranked = try XCTUnwrap(result.summary.difficulty)
        XCTAssertEqual(Set(ranked.map(\.image)), ["a.dcm", "sub/b.tif", "c.dcm"])
        XCTAssertEqual(ranked.map(\.difficulty), ranked.map(\.difficulty).sorted(by: >), "hardest first")
        let summary = try JSONDecoder().decode(InferenceSummary.self, from: Data(contentsOf: out.appendingPathComponent("summary.json")))
        XCTAssertEqual(summary.difficulty, ranked)

        // landmarks.csv repeats each image's score on its rows.
        let rows = CSVTable.parse(try String(contentsOf: out.appendingPathComponent("landmarks.csv"), encoding: .utf8))
        let column = try XCTUnwrap(rows.first?.fields.firstIndex(of: "difficulty"))
        for r in rows.dropFirst() {
            let score = try XCTUnwrap(ranked.first { $0.image == r.fields[0] }).difficulty
            XCTAssertEqual(Double(r.fields[column])!, score, accuracy: 1e-4)
        }

        // Overlays carry their rank and score, hardest first, in one flat folder.
        let files = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("overlays").path).sorted()
        XCTAssertEqual(files, ranked.indices.map { ReviewOrder.overlayName(rank: $0, of: ranked) })
        XCTAssertTrue(files.contains { $0.hasSuffix("-sub__b.tif.png") })
        XCTAssertTrue(files[0].hasPrefix("0001-"))
    }

    func testOrderingByDifficultyNeedsACritic() throws {
        let images = dir.appendingPathComponent("images")
        try Fixture.writeDICOM(images.appendingPathComponent("a.dcm"))
        let model = try Fixture.writeModel(to: dir.appendingPathComponent("plain"))
        var options = InferenceOptions(model: model, inputs: [images], output: dir.appendingPathComponent("out"))
        options.overlays = true
        options.overlayOrder = .difficulty
        XCTAssertThrowsError(try InferenceJob(options: options).run()) { error in
            XCTAssertEqual((error as? PredictorError)?.kind, .noCritic)
            XCTAssertTrue("\(error)".contains(CriticCard.weightsFile), "\(error)")
        }
        // Without the option a plain model runs, with the difficulty cells empty.
        options.overlayOrder = .name
        let result = try InferenceJob(options: options).run()
        XCTAssertNil(result.summary.difficulty)
        let csv = try String(contentsOf: dir.appendingPathComponent("out/landmarks.csv"), encoding: .utf8)
        XCTAssertTrue(csv.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",") }, csv)
    }
}
