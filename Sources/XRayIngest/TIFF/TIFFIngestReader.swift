import Crypto
import Foundation

/// The TIFF reader as an ingest-scan plug-in (`IngestScan(readers: [DICOMIngestReader(), TIFFIngestReader()])`).
public struct TIFFIngestReader: IngestFormatReader {
    public init() {}

    public var format: IngestFormat { .tiff }

    /// `pixelSHA256` is the SHA-256 (lowercase hex) of the first page's decoded samples in their
    /// stored type (uint8, uint16 or float32), in native (little-endian) order, row-major: it identifies the pixels
    /// whatever the compression, strip or tile layout.
    public func read(_ url: URL) throws -> IngestedImage {
        let (image, samples) = try TIFFReader.readWithSamples(url)
        let digest = SHA256.hash(data: samples).map { String(format: "%02x", $0) }.joined()
        return IngestedImage(image: image, format: .tiff, pixelSHA256: digest)
    }
}
