import Foundation

/// Why a model, schema or image was refused; the message says what differs.
public struct PredictorError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public enum Kind: String, Sendable, Codable {
        case inconsistentModel
        case schemaMismatch
        case channelMismatch
        case unknownProtocol
        case badThreshold
        /// A difficulty-based option on a model without an AFL critic.
        case noCritic
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }
    public var description: String { message }
    public var errorDescription: String? { message }
}
