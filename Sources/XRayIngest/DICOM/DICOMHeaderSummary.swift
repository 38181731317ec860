/// The technical header of a DICOM file as stored, before any decoding decision.
/// Holds no patient identifiers.
public struct DICOMHeaderSummary: Sendable, Codable, Equatable {
    public var transferSyntaxUID: String
    public var rows: Int
    public var columns: Int
    public var frames: Int
    public var samplesPerPixel: Int
    public var bitsAllocated: Int
    public var bitsStored: Int
    public var highBit: Int
    /// 0 unsigned, 1 two's complement.
    public var pixelRepresentation: Int
    /// (0028,0004) exactly as stored, e.g. "YBR_FULL_422" or "PALETTE COLOR".
    public var photometric: String
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var modality: String?
    /// False for bare data sets without a Part-10 meta header.
    public var hasMetaHeader: Bool
}
