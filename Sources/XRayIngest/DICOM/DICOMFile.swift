/// A decoded DICOM frame with the facts needed to trust and trace it.
public struct DICOMFile: Sendable {
    /// Calibrated pixels (Modality LUT applied; MONOCHROME1 not inverted).
    public var image: XRayImage
    /// SHA-256 (lowercase hex) of the decoded frame's stored values as little-endian Int32,
    /// row-major, colour samples interleaved: the definition of the conformance manifest's
    /// `stored_sha256`, which is for frame 0.
    public var storedSHA256: String
    public var header: DICOMHeaderSummary
    /// The stored values themselves, when `DICOMReader.Options.keepStoredValues` asked for them.
    public var storedValues: [Int32]?
}
