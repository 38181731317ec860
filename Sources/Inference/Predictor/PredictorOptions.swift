import ContrastProtocols
import Foundation
import Landmarks

/// What the user may override or assert when loading a model; everything else comes from the model card.
public struct PredictorOptions: Sendable {
    /// Contrast protocol name; nil uses the card's (the one the model was trained with).
    public var protocolName: String?
    /// Presence threshold τ; nil uses the card's.
    public var threshold: Double?
    /// A schema the user expects the model to have; loading refuses a model whose schema differs.
    public var expectedSchema: LandmarkSchema?
    /// Only a name to check against the model's schema name (when no schema file is at hand).
    public var expectedSchemaName: String?
    /// Where protocols are looked up; nil loads the shipped library.
    public var protocolLibrary: ProtocolLibrary?

    public init(protocolName: String? = nil, threshold: Double? = nil, expectedSchema: LandmarkSchema? = nil,
                expectedSchemaName: String? = nil, protocolLibrary: ProtocolLibrary? = nil) {
        self.protocolName = protocolName; self.threshold = threshold; self.expectedSchema = expectedSchema
        self.expectedSchemaName = expectedSchemaName; self.protocolLibrary = protocolLibrary
    }
}
