import Foundation
import XRayIngest

extension ProcessedImage {
    /// Writes a preview PNG (8-bit by default), atomically.
    public func writePNG(to url: URL, bitDepth: PNGBitDepth = .eight) throws {
        try PNGExport.writeGray(pixels, rows: rows, columns: columns, to: url, bitDepth: bitDepth)
    }

    /// Writes a 16-bit TIFF (0...65535 for [0,1]) that keeps the spacing as resolution tags in
    /// pixels per centimetre, atomically.
    public func writeTIFF(to url: URL, compression: TIFFCompression = .deflate) throws {
        try TIFFWriter.writeUInt16(normalized: pixels, rows: rows, columns: columns, to: url,
                                   options: TIFFWriteOptions(compression: compression, spacing: spacing))
    }
}
