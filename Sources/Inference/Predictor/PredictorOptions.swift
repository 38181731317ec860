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
    /// false runs only the first stage of a two-stage model (to measure what the refinement stage adds).
    public var refine: Bool = true

    public init(protocolName: String? = nil, threshold: Double? = nil, expectedSchema: LandmarkSchema? = nil,
                expectedSchemaName: String? = nil, protocolLibrary: ProtocolLibrary? = nil, refine: Bool = true) {
        self.protocolName = protocolName; self.threshold = threshold; self.expectedSchema = expectedSchema
        self.expectedSchemaName = expectedSchemaName; self.protocolLibrary = protocolLibrary; self.refine = refine
    }

    /// Expect the schema the user named: a schema `library` knows (by name or YAML path) is compared landmark by
    /// landmark; an unknown name can only be compared by name.
    public mutating func expectSchema(_ nameOrFile: String, library: SchemaLibrary = SchemaLibrary()) {
        if let known = try? library.schema(named: nameOrFile) {
            expectedSchema = known
        } else {
            expectedSchemaName = nameOrFile
        }
    }
}
