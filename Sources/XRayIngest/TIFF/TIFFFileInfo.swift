import CImageIO
import Foundation

/// The layout tags of a TIFF's first page, for diagnostics (`landmark ingest --verbose`) and for
/// checking the C shim reads each tag into the right field.
public struct TIFFFileInfo: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var bitsPerSample: Int
    public var samplesPerPixel: Int
    public var sampleFormat: Int
    /// nil when the file has no PhotometricInterpretation tag.
    public var photometric: Int?
    /// The raw Compression tag (1 none, 5 LZW, 8 Deflate, 32773 PackBits, ...).
    public var compression: Int
    public var isTiled: Bool
    public var tileWidth: Int?
    public var tileLength: Int?
    public var rowsPerStrip: Int?
    public var xResolution: Float?
    public var yResolution: Float?
    /// nil when the file has no ResolutionUnit tag.
    public var resolutionUnit: Int?
    /// nil when the file has no MaxSampleValue tag.
    public var maxSampleValue: Int?
    public var pageCount: Int
}

extension TIFFReader {
    /// Reads the first page's tags without decoding pixels.
    public static func inspect(_ url: URL) throws -> TIFFFileInfo {
        let path = url.path
        var err = [CChar](repeating: 0, count: 512)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw TIFFError(.cannotOpen, path: path, reason: "file does not exist or is not readable")
        }
        guard let handle = ldk_tiff_open_read(path, &err, err.count) else {
            throw TIFFError(.notTIFF, path: path, reason: shimMessage(err))
        }
        defer { ldk_tiff_close(handle) }
        var i = ldk_tiff_info()
        guard ldk_tiff_read_info(handle, &i, &err, err.count) == 0 else {
            throw TIFFError(.corrupt, path: path, reason: shimMessage(err))
        }
        return TIFFFileInfo(
            width: Int(i.image_width), height: Int(i.image_length), bitsPerSample: Int(i.bits_per_sample),
            samplesPerPixel: Int(i.samples_per_pixel), sampleFormat: Int(i.sample_format),
            photometric: i.has_photometric != 0 ? Int(i.photometric) : nil, compression: Int(i.compression),
            isTiled: i.is_tiled != 0, tileWidth: i.is_tiled != 0 ? Int(i.tile_width) : nil,
            tileLength: i.is_tiled != 0 ? Int(i.tile_length) : nil,
            rowsPerStrip: i.is_tiled == 0 ? Int(i.rows_per_strip) : nil,
            xResolution: i.has_x_resolution != 0 ? i.x_resolution : nil,
            yResolution: i.has_y_resolution != 0 ? i.y_resolution : nil,
            resolutionUnit: i.has_resolution_unit != 0 ? Int(i.resolution_unit) : nil,
            maxSampleValue: i.has_max_sample_value != 0 ? Int(i.max_sample_value) : nil,
            pageCount: Int(i.page_count))
    }
}
