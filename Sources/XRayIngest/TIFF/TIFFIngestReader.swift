import Foundation

/// The TIFF reader as an `IngestScan` plug-in.
///
/// `pixelSHA256` follows the DICOM definition where it can: integer samples are hashed as row-major
/// little-endian Int32, so a TIFF export of a DICOM frame hashes the same. Float samples have no
/// integer form and are hashed as their little-endian Float32 bit patterns.
public struct TIFFIngestReader: IngestFormatReader {
    public init() {}
    public var format: IngestFormat { .tiff }

    public func read(_ url: URL) throws -> IngestedImage {
        let image = try TIFFReader.read(url)
        let isInteger = image.valueRange != nil
        let hash = isInteger
            ? StoredValueHash.sha256Hex(image.pixels.map { Int32($0) })
            : StoredValueHash.sha256Hex(image.pixels.map { Int32(bitPattern: $0.bitPattern) })
        return IngestedImage(image: image, format: .tiff, pixelSHA256: hash,
                             storedPhotometric: image.photometric == .monochrome1 ? "MinIsWhite" : "MinIsBlack")
    }
}
