import Foundation

/// File formats the ingest scan knows how to route.
public enum IngestFormat: String, Sendable, Codable, CaseIterable {
    case dicom = "DICOM"
    case tiff = "TIFF"

    /// Content first (DICOM preamble or bare data set, TIFF byte-order mark), then the
    /// extension for TIFF only: DICOM files often have no extension (e.g. `6154`).
    public static func detect(leadingBytes: [UInt8], url: URL) -> IngestFormat? {
        if DICOMReader.isDICOM(leadingBytes: leadingBytes) { return .dicom }
        if leadingBytes.count >= 4 {
            let b = leadingBytes
            let little = b[0] == 0x49 && b[1] == 0x49 && (b[2] == 42 || b[2] == 43) && b[3] == 0
            let big = b[0] == 0x4D && b[1] == 0x4D && b[2] == 0 && (b[3] == 42 || b[3] == 43)
            if little || big { return .tiff }
        }
        switch url.pathExtension.lowercased() {
        case "tif", "tiff": return .tiff
        case "dcm", "dicom", "dic": return .dicom // claimed by name: the reader will say why it is not DICOM
        default: return nil
        }
    }
}

/// An image ingested from one file, whatever its format.
public struct IngestedImage: Sendable {
    public var image: XRayImage
    public var format: IngestFormat
    /// SHA-256 of the stored pixel values as the format's reader defines it (DICOM: `DICOMFile.storedSHA256`).
    public var pixelSHA256: String?
    /// The photometric interpretation as stored in the file (before luminance conversion).
    public var storedPhotometric: String?

    public init(image: XRayImage, format: IngestFormat, pixelSHA256: String?, storedPhotometric: String? = nil) {
        self.image = image
        self.format = format
        self.pixelSHA256 = pixelSHA256
        self.storedPhotometric = storedPhotometric
    }
}

/// A reader the scan can call for one format. The TIFF reader plugs in by conforming.
public protocol IngestFormatReader: Sendable {
    var format: IngestFormat { get }
    func read(_ url: URL) throws -> IngestedImage
}
