import CImageIO
import FileOutput
import Foundation

/// Samples of one TIFF page, in one of the three layouts the package reads back.
public enum TIFFSamples: Sendable {
    case uint8([UInt8])
    case uint16([UInt16])
    case float32([Float])

    var count: Int {
        switch self {
        case .uint8(let v): return v.count
        case .uint16(let v): return v.count
        case .float32(let v): return v.count
        }
    }
}

/// How a page is laid out on disk.
public struct TIFFWriteOptions: Sendable {
    public var compression: TIFFCompression
    /// nil writes strips; a value writes square tiles of that size (a multiple of 16).
    public var tileSize: Int?
    /// Rows per strip when stripped; nil lets libtiff pick (about 8 KiB strips).
    public var rowsPerStrip: Int?
    /// Written as XResolution/YResolution in pixels per centimetre when present.
    public var spacing: PixelSpacing?
    /// Raw resolution tags; when set they are written instead of those derived from `spacing`
    /// (for files whose unit is inch or none).
    public var resolution: TIFFResolutionTags?
    /// MinIsWhite instead of MinIsBlack (for MONOCHROME1 data).
    public var minIsWhite: Bool

    public init(compression: TIFFCompression = .deflate, tileSize: Int? = nil, rowsPerStrip: Int? = nil,
                spacing: PixelSpacing? = nil, resolution: TIFFResolutionTags? = nil, minIsWhite: Bool = false) {
        self.compression = compression
        self.resolution = resolution
        self.tileSize = tileSize
        self.rowsPerStrip = rowsPerStrip
        self.spacing = spacing
        self.minIsWhite = minIsWhite
    }
}

/// XResolution, YResolution and ResolutionUnit as written to the file.
public struct TIFFResolutionTags: Sendable, Equatable {
    public var x: Float
    public var y: Float
    public var unit: TIFFResolutionUnit
    public init(x: Float, y: Float, unit: TIFFResolutionUnit) {
        self.x = x
        self.y = y
        self.unit = unit
    }
}

/// One page to write: samples are row-major, `rows × columns`.
public struct TIFFPage: Sendable {
    public var rows: Int
    public var columns: Int
    public var samples: TIFFSamples
    public var options: TIFFWriteOptions

    public init(rows: Int, columns: Int, samples: TIFFSamples, options: TIFFWriteOptions = TIFFWriteOptions()) {
        self.rows = rows
        self.columns = columns
        self.samples = samples
        self.options = options
    }
}

/// Writes greyscale TIFF files atomically (temporary file, then rename), for processed images
/// (16-bit unsigned) and heatmaps (32-bit float).
public enum TIFFWriter {
    /// Writes a [0,1] image as 16-bit unsigned: values are clamped and scaled to 0...65535.
    public static func writeUInt16(normalized pixels: [Float], rows: Int, columns: Int, to url: URL,
                                   options: TIFFWriteOptions = TIFFWriteOptions()) throws {
        let samples = pixels.map { v -> UInt16 in
            let c = v.isNaN ? 0 : min(max(v, 0), 1)
            return UInt16((c * 65535).rounded())
        }
        try write([TIFFPage(rows: rows, columns: columns, samples: .uint16(samples), options: options)], to: url)
    }

    /// Writes Float32 values unchanged (heatmaps, calibrated images).
    public static func writeFloat32(_ pixels: [Float], rows: Int, columns: Int, to url: URL,
                                    options: TIFFWriteOptions = TIFFWriteOptions()) throws {
        try write([TIFFPage(rows: rows, columns: columns, samples: .float32(pixels), options: options)], to: url)
    }

    /// Writes one or more pages; the file appears only when all are written.
    public static func write(_ pages: [TIFFPage], to url: URL) throws {
        let path = url.path
        guard !pages.isEmpty else { throw TIFFError(.writeFailed, path: path, reason: "no pages to write") }
        for (index, page) in pages.enumerated() {
            guard page.rows > 0, page.columns > 0, page.samples.count == page.rows * page.columns else {
                throw TIFFError(.writeFailed, path: path,
                                reason: "page \(index): \(page.samples.count) samples for \(page.columns)×\(page.rows)")
            }
            if let tile = page.options.tileSize, tile <= 0 || tile % 16 != 0 {
                throw TIFFError(.writeFailed, path: path, reason: "page \(index): tile size \(tile) is not a positive multiple of 16")
            }
        }
        do {
            try AtomicFile.write(to: url) { temporary in try writePages(pages, temporaryPath: temporary) }
        } catch let error as TIFFError {
            throw TIFFError(error.kind, path: path, reason: error.reason)
        } catch {
            throw TIFFError(.writeFailed, path: path, reason: (error as? FileWriteError)?.reason ?? error.localizedDescription)
        }
    }

    private static func writePages(_ pages: [TIFFPage], temporaryPath: String) throws {
        var err = [CChar](repeating: 0, count: 512)
        guard let handle = ldk_tiff_open_write(temporaryPath, &err, err.count) else {
            throw TIFFError(.writeFailed, path: temporaryPath, reason: shimMessage(err))
        }
        for page in pages {
            let status = withRawSamples(page.samples) { raw, bits, format in
                var spec = cPage(page, bits: bits, format: format)
                spec.pixels = raw
                return ldk_tiff_write_page(handle, &spec, &err, err.count)
            }
            if status != 0 {
                _ = ldk_tiff_finish(handle, nil, 0)
                throw TIFFError(.writeFailed, path: temporaryPath, reason: shimMessage(err))
            }
        }
        guard ldk_tiff_finish(handle, &err, err.count) == 0 else {
            throw TIFFError(.writeFailed, path: temporaryPath, reason: shimMessage(err))
        }
    }

    private static func withRawSamples(_ samples: TIFFSamples,
                                       _ body: (UnsafeRawPointer, UInt16, UInt16) -> Int32) -> Int32 {
        switch samples {
        case .uint8(let v): return v.withUnsafeBytes { body($0.baseAddress!, 8, TIFFSampleFormat.unsignedInteger) }
        case .uint16(let v): return v.withUnsafeBytes { body($0.baseAddress!, 16, TIFFSampleFormat.unsignedInteger) }
        case .float32(let v): return v.withUnsafeBytes { body($0.baseAddress!, 32, TIFFSampleFormat.ieeeFloat) }
        }
    }

    private static func cPage(_ page: TIFFPage, bits: UInt16, format: UInt16) -> ldk_tiff_page {
        var spec = ldk_tiff_page()
        spec.width = UInt32(page.columns)
        spec.height = UInt32(page.rows)
        spec.bits_per_sample = bits
        spec.sample_format = format
        spec.photometric = page.options.minIsWhite ? TIFFPhotometric.minIsWhite : TIFFPhotometric.minIsBlack
        spec.compression = page.options.compression.rawValue
        // Predictors pay off for LZW and Deflate only; float data needs the floating-point one.
        let predicts = page.options.compression == .lzw || page.options.compression == .deflate
        spec.predictor = predicts ? (format == TIFFSampleFormat.ieeeFloat ? 3 : 2) : 1
        spec.tile_size = UInt32(page.options.tileSize ?? 0)
        spec.rows_per_strip = UInt32(page.options.rowsPerStrip ?? 0)
        if let tags = page.options.resolution {
            spec.has_resolution = 1
            spec.x_resolution = tags.x
            spec.y_resolution = tags.y
            spec.resolution_unit = tags.unit.rawValue
        } else if let spacing = page.options.spacing {
            // Pixels per centimetre: 10 mm divided by the pixel pitch; Y counts rows.
            spec.has_resolution = 1
            spec.x_resolution = Float(10 / spacing.columnMM)
            spec.y_resolution = Float(10 / spacing.rowMM)
            spec.resolution_unit = TIFFResolutionUnit.centimeter.rawValue
        }
        return spec
    }
}
