import XRayIngest

/// The software that found the landmarks, as clinical objects name it: TID 4019 Algorithm Identification in
/// each measurement group, the device observer of the SR, and the equipment module of both objects.
public struct AlgorithmIdentity: Sendable, Equatable, Codable {
    /// This toolkit's name and release, the algorithm of every object `landmark infer` writes.
    public static let toolkitName = "LandmarkKit"
    public static let toolkitVersion = "0.1.0"

    public var name: String
    public var version: String
    /// Names the trained model (preset, schema and a hash of its weights), so two models never look alike.
    public var modelIdentifier: String

    public init(name: String = toolkitName, version: String = toolkitVersion, modelIdentifier: String) {
        self.name = name; self.version = version; self.modelIdentifier = modelIdentifier
    }
}

/// One landmark of one image in the toolkit's convention (docs/CONVENTIONS.md): x is the column, y the row, 0-based, and
/// integer coordinates are pixel centres of the source image.
public struct LandmarkFinding: Sendable, Equatable {
    /// The schema's landmark name.
    public var name: String
    public var x: Double
    public var y: Double
    /// The heatmap peak.
    public var confidence: Double
    /// Peak ≥ τ. A landmark not found keeps its confidence and is recorded as not found.
    public var present: Bool
    /// x·column spacing and y·row spacing; nil without spacing (never invented).
    public var xMM: Double?
    public var yMM: Double?

    public init(name: String, x: Double, y: Double, confidence: Double, present: Bool, xMM: Double? = nil, yMM: Double? = nil) {
        self.name = name; self.x = x; self.y = y; self.confidence = confidence; self.present = present
        self.xMM = xMM; self.yMM = yMM
    }
}

/// Everything one SR or GSPS records about the landmarks of one DICOM image.
public struct LandmarkFindings: Sendable, Equatable {
    /// The schema the landmark names belong to; it names their coding scheme.
    public var schemaName: String
    /// Every landmark of the schema, in schema order, found or not.
    public var landmarks: [LandmarkFinding]
    /// τ, the presence threshold the decisions were made at.
    public var presenceThreshold: Double
    /// The spacing the mm positions used; nil when the image has none.
    public var spacing: PixelSpacing?
    public var algorithm: AlgorithmIdentity

    public init(schemaName: String, landmarks: [LandmarkFinding], presenceThreshold: Double, spacing: PixelSpacing?,
                algorithm: AlgorithmIdentity) {
        self.schemaName = schemaName; self.landmarks = landmarks; self.presenceThreshold = presenceThreshold
        self.spacing = spacing; self.algorithm = algorithm
    }

    /// The spacing source as the SR states it (docs/CONVENTIONS.md), with the magnification factor when one divided it.
    public var spacingSourceText: String {
        guard let spacing else { return "none" }
        if let m = spacing.magnificationFactor { return "\(spacing.source.rawValue) / EstimatedRadiographicMagnificationFactor \(m)" }
        return spacing.source.rawValue
    }
}
