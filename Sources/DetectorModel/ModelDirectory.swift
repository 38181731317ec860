import FileOutput
import Foundation
import TensorEngine

/// Tag for `ModelDirectoryError`.
public enum ModelDirectoryFile {}

/// Why a model directory could not be read or written; always names the directory or file.
public typealias ModelDirectoryError = PathError<ModelDirectoryFile>

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
        /// The critic's state dict when the card describes one (`ModelCard.critic`).
        public var critic: SafetensorsArchive?

        public init(card: ModelCard, network: FPNKeypointNet, schemaYAML: String, refiner: FPNKeypointNet? = nil,
                    critic: SafetensorsArchive? = nil) {
            self.card = card; self.network = network; self.schemaYAML = schemaYAML; self.refiner = refiner; self.critic = critic
        }
    }

    /// Writes a model. `refiner` is required exactly when the card has a `refinement` section, and `critic`
    /// (the critic's state dict) exactly when `card.critic` describes one.
    public static func write(card: ModelCard, network: FPNKeypointNet, refiner: FPNKeypointNet? = nil, schemaYAML: String,
                             critic: SafetensorsArchive? = nil, to directory: URL) throws {
        var problems = card.problems()
        if (card.refinement == nil) != (refiner == nil) {
            problems.append(card.refinement == nil ? "refiner weights given but the card has no refinement section"
                                                   : "the card has a refinement section but no refiner weights were given")
        }
        if (card.critic == nil) != (critic == nil) {
            problems.append(card.critic == nil ? "critic weights given but the card describes no critic"
                                               : "the card describes a critic but no critic weights were given")
        }
        guard problems.isEmpty else {
            throw ModelDirectoryError(path: directory.path, reason: "inconsistent model card: " + problems.joined(separator: "; "))
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let cardJSON = try encode(card)
        let metadata = [cardMetadataKey: String(decoding: cardJSON, as: UTF8.self)]
        // Every weights file before the card: a reader never finds a card naming a file that is not there yet.
        // A save without an optional part removes that part's old file, so no stale stage outlives its card.
        try network.save(to: directory.appendingPathComponent(ModelCard.weightsFile).path, metadata: metadata)
        let refinerURL = directory.appendingPathComponent(RefinementStage.weightsFile)
        if let refiner {
            try refiner.save(to: refinerURL.path, metadata: metadata)
        } else if FileManager.default.fileExists(atPath: refinerURL.path) {
            try FileManager.default.removeItem(at: refinerURL)
        }
        let criticURL = directory.appendingPathComponent(CriticCard.weightsFile)
        if let critic {
            try critic.write(to: criticURL.path)
        } else if FileManager.default.fileExists(atPath: criticURL.path) {
            try FileManager.default.removeItem(at: criticURL)
        }
        try AtomicFile.write(Data(schemaYAML.utf8), to: directory.appendingPathComponent(ModelCard.schemaFile))
        try AtomicFile.write(cardJSON, to: directory.appendingPathComponent(ModelCard.cardFile))
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

        let network = try loadNetwork(card.network, file: ModelCard.weightsFile, in: directory, card: card)
        let refiner = try card.refinement.map { try loadNetwork($0.network, file: RefinementStage.weightsFile, in: directory, card: card) }

        let schemaURL = directory.appendingPathComponent(ModelCard.schemaFile)
        guard let schemaData = try? Data(contentsOf: schemaURL) else {
            throw ModelDirectoryError(path: schemaURL.path, reason: "missing: a model directory carries its schema")
        }
        var critic: SafetensorsArchive?
        if card.critic != nil {
            let criticPath = directory.appendingPathComponent(CriticCard.weightsFile).path
            guard FileManager.default.fileExists(atPath: criticPath) else {
                throw ModelDirectoryError(path: criticPath, reason: "missing: \(ModelCard.cardFile) describes an AFL critic")
            }
            critic = try SafetensorsArchive.read(from: criticPath)
        }
        return Loaded(card: card, network: network, schemaYAML: String(decoding: schemaData, as: UTF8.self), refiner: refiner,
                      critic: critic)
    }

    /// One network's weights, in eval mode. The copy of the card in the file's metadata must be `card`: a
    /// save interrupted between files would otherwise pair weights with another save's description.
    static func loadNetwork(_ config: FPNConfig, file: String, in directory: URL, card: ModelCard) throws -> FPNKeypointNet {
        let path = directory.appendingPathComponent(file).path
        let archive = try SafetensorsArchive.read(from: path)
        if let saved = archive.metadata[cardMetadataKey],
           let savedCard = try? JSONDecoder().decode(ModelCard.self, from: Data(saved.utf8)), savedCard != card {
            throw ModelDirectoryError(path: directory.path, reason: "\(ModelCard.cardFile) and \(file) come from different saves")
        }
        var rng = RandomGenerator(seed: 0)
        let network = FPNKeypointNet(config: config, rng: &rng)
        try network.load(stateDict: archive, source: path)
        network.eval()
        return network
    }

    static func encode(_ card: ModelCard) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(card)
    }
}
