import Crypto
import DetectorModel
import Foundation

/// A short name for a trained model that clinical objects can carry: preset, schema and the first 16 hex digits
/// of the SHA-256 of its weights, e.g. "small tiny-3 sha256:3f2a…". Two different trainings never share one.
enum ModelIdentifier {
    static func make(card: ModelCard, modelDirectory: URL) throws -> String {
        let weights = modelDirectory.appendingPathComponent(ModelCard.weightsFile)
        let data = try Data(contentsOf: weights, options: .mappedIfSafe)
        let hex = SHA256.hash(data: data).prefix(8).map { String(format: "%02x", $0) }.joined()
        // Model Name is a DICOM LO: 64 characters.
        return String("\(card.preset) \(card.schemaName) sha256:\(hex)".prefix(64))
    }
}
