import Foundation
import XCTest
@testable import DetectorModel
import TensorEngine

/// A model directory is self-contained: it reloads to the same network, and refuses to mix saves.
final class ModelDirectoryTests: XCTestCase {
    private func tinyCard(keypoints: Int = 3) -> ModelCard {
        ModelCard(preset: "small", network: .small(keypoints: keypoints), schemaName: "tiny",
                  landmarkNames: (1...keypoints).map { "p\($0)" }, inputWidth: 64, inputHeight: 64, sigma: 2,
                  contrastProtocol: "high")
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("modeldir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testRoundTripGivesTheSameOutputs() throws {
        var rng = RandomGenerator(seed: 7)
        let net = FPNKeypointNet(config: tinyCard().network, rng: &rng)
        net.eval()
        let dir = try temporaryDirectory().appendingPathComponent("model")
        try ModelDirectory.write(card: tinyCard(), network: net, schemaYAML: "name: tiny\n", to: dir)

        let loaded = try ModelDirectory.load(dir)
        XCTAssertEqual(loaded.card, tinyCard())
        XCTAssertEqual(loaded.schemaYAML, "name: tiny\n")
        let x = Tensor.randn([1, 1, 64, 64], rng: &rng)
        let a = withNoGrad { net.forward(x) }.toArray(), b = withNoGrad { loaded.network.forward(x) }.toArray()
        XCTAssertEqual(a, b)
    }

    func testCardFromAnotherSaveIsRefused() throws {
        var rng = RandomGenerator(seed: 1)
        let dir = try temporaryDirectory()
        try ModelDirectory.write(card: tinyCard(), network: FPNKeypointNet(config: tinyCard().network, rng: &rng),
                                 schemaYAML: "name: tiny\n", to: dir)
        var other = tinyCard()
        other.presenceThreshold = 0.3
        try JSONEncoder().encode(other).write(to: dir.appendingPathComponent(ModelCard.cardFile))
        XCTAssertThrowsError(try ModelDirectory.load(dir)) { error in
            XCTAssertTrue("\(error)".contains("different saves"), "\(error)")
        }
    }

    func testInconsistentCardIsRefusedOnWrite() throws {
        var card = tinyCard()
        card.landmarkNames.removeLast()
        var rng = RandomGenerator(seed: 1)
        XCTAssertThrowsError(try ModelDirectory.write(card: card, network: FPNKeypointNet(config: card.network, rng: &rng),
                                                      schemaYAML: "", to: try temporaryDirectory())) { error in
            XCTAssertTrue("\(error)".contains("3 outputs but the schema lists 2"), "\(error)")
        }
    }

    func testMissingDirectorySaysItIsNotAModel() throws {
        let dir = try temporaryDirectory()
        XCTAssertThrowsError(try ModelDirectory.load(dir)) { error in
            XCTAssertTrue("\(error)".contains("not a model directory"), "\(error)")
        }
    }
}
