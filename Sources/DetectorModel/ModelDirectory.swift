import Foundation
import TensorEngine

/// Why a model directory could not be read or written; always names the directory or file.
public struct ModelDirectoryError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// Reads and writes the self-contained model directory described on `ModelCard`.
///
/// Each file is replaced atomically, weights first and `model.json` last, and the weights' safetensors
/// metadata repeats the card: a reader that finds the two disagreeing (a save interrupted between
/// files) refuses the directory instead of pairing new weights with an old description.
public enum ModelDirectory {
    public static let cardMetadataKey = "landmarkkit.model_card"

    /// A loaded model: the card, the network with its weights (in eval mode), and the schema text.
    public struct Loaded {
        public var card: ModelCard
        public var network: FPNKeypointNet
        public var schemaYAML: String
        /// The refinement stage's network (eval mode) when the card has one.
        public var refiner: FPNKeypointNet?

        public init(card: ModelCard, network: FPNKeypointNet, schemaYAML: String, refiner: FPNKeypointNet? = nil) {
            self.card = card; self.network = network; self.schemaYAML = schemaYAML; self.refiner = refiner
        }
    }

    /// Writes a model; `refiner` must be given exactly when the card has a `refinement` section.
    public static func write(card: ModelCard, network: FPNKeypointNet, refiner: FPNKeypointNet? = nil, schemaYAML: String,
                             to directory: URL) throws {
        guard (card.refinement == nil) == (refiner == nil) else {
            throw ModelDirectoryError(path: directory.path, reason: "a refinement section needs refiner weights, and refiner weights need the section")
        }
        let problems = card.problems()
        guard problems.isEmpty else {
            throw ModelDirectoryError(path: directory.path, reason: "inconsistent model card: " + problems.joined(separator: "; "))
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cardJSON = try encode(card)
        let metadata = [cardMetadataKey: String(decoding: cardJSON, as: UTF8.self)]
        try network.save(to: directory.appendingPathComponent(ModelCard.weightsFile).path, metadata: metadata)
        let refinerURL = directory.appendingPathComponent(RefinementStage.weightsFile)
        if let refiner {
            try refiner.save(to: refinerURL.path, metadata: metadata)
        } else if FileManager.default.fileExists(atPath: refinerURL.path) {
            // A one-stage save over a two-stage directory must not leave the old stage behind.
            try FileManager.default.removeItem(at: refinerURL)
        }
        try Data(schemaYAML.utf8).write(to: directory.appendingPathComponent(ModelCard.schemaFile), options: .atomic)
        try cardJSON.write(to: directory.appendingPathComponent(ModelCard.cardFile), options: .atomic)
    }

    public static func load(_ directory: URL) throws -> Loaded {
        let cardURL = directory.appendingPathComponent(ModelCard.cardFile)
        guard let cardData = try? Data(contentsOf: cardURL) else {
            throw ModelDirectoryError(path: directory.path, reason: "no \(ModelCard.cardFile): not a model directory")
        }
        let card: ModelCard
        do {
            card = try JSONDecoder().decode(ModelCard.self, from: cardData)
        } catch {
            throw ModelDirectoryError(path: cardURL.path, reason: "unreadable model card: \(error)")
        }
        let problems = card.problems()
        guard problems.isEmpty else { throw ModelDirectoryError(path: cardURL.path, reason: problems.joined(separator: "; ")) }

        let weightsPath = directory.appendingPathComponent(ModelCard.weightsFile).path
        let archive = try SafetensorsArchive.read(from: weightsPath)
        if let saved = archive.metadata[cardMetadataKey],
           let savedCard = try? JSONDecoder().decode(ModelCard.self, from: Data(saved.utf8)), savedCard != card {
            throw ModelDirectoryError(path: directory.path,
                                      reason: "\(ModelCard.cardFile) and \(ModelCard.weightsFile) come from different saves")
        }
        var rng = RandomGenerator(seed: 0)
        let network = FPNKeypointNet(config: card.network, rng: &rng)
        try network.load(stateDict: archive, source: weightsPath)
        network.eval()

        var refiner: FPNKeypointNet?
        if let stage = card.refinement {
            let path = directory.appendingPathComponent(RefinementStage.weightsFile).path
            let archive = try SafetensorsArchive.read(from: path)
            if let saved = archive.metadata[cardMetadataKey],
               let savedCard = try? JSONDecoder().decode(ModelCard.self, from: Data(saved.utf8)), savedCard != card {
                throw ModelDirectoryError(path: directory.path,
                                          reason: "\(ModelCard.cardFile) and \(RefinementStage.weightsFile) come from different saves")
            }
            let net = FPNKeypointNet(config: stage.network, rng: &rng)
            try net.load(stateDict: archive, source: path)
            net.eval()
            refiner = net
        }

        let schemaURL = directory.appendingPathComponent(ModelCard.schemaFile)
        guard let schemaData = try? Data(contentsOf: schemaURL) else {
            throw ModelDirectoryError(path: schemaURL.path, reason: "missing: a model directory carries its schema")
        }
        return Loaded(card: card, network: network, schemaYAML: String(decoding: schemaData, as: UTF8.self), refiner: refiner)
    }

    static func encode(_ card: ModelCard) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(card)
    }
}
