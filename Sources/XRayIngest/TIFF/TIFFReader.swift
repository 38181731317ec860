import CImageIO
import Foundation

/// Reads greyscale TIFF radiographs (8/16-bit unsigned or 32-bit float; stripped or tiled; any
/// compression libtiff decodes, including LZW, Deflate and PackBits) into an `XRayImage`.
///
/// Only the first page of a multi-page file is read. TIFF has no Modality LUT, so the pixels are
/// the stored values; `valueRange` is the range the bit depth allows, narrowed by a MaxSampleValue
/// tag when the file has one (nil for float).
public enum TIFFReader {
    /// Reads the first page of the TIFF at `url`.
    public static func read(_ url: URL) throws -> XRayImage {
        let path = url.path
        try checkMagic(path)
        var err = [CChar](repeating: 0, count: 512)
        guard let handle = ldk_tiff_open_read(path, &err, err.count) else {
            throw TIFFError(.corrupt, path: path, reason: shimMessage(err))
        }
        defer { ldk_tiff_close(handle) }
        var info = ldk_tiff_info()
        guard ldk_tiff_read_info(handle, &info, &err, err.count) == 0 else {
            throw TIFFError(.corrupt, path: path, reason: shimMessage(err))
        }
        let layout = try SampleLayout(info: info, path: path)
        let rows = Int(info.image_length), columns = Int(info.image_width)
        guard rows > 0, columns > 0 else {
            throw TIFFError(.corrupt, path: path, reason: "image is \(columns)×\(rows) pixels")
        }
        var raw = [UInt8](repeating: 0, count: rows * columns * layout.bytesPerSample)
        let status = raw.withUnsafeMutableBytes { ldk_tiff_read_pixels(handle, $0.baseAddress, $0.count, &err, err.count) }
        guard status == 0 else { throw TIFFError(.corrupt, path: path, reason: shimMessage(err)) }

        var warnings: [String] = []
        if info.page_count > 1 { warnings.append("file has \(info.page_count) pages; only the first was read") }
        if info.has_photometric == 0 { warnings.append("no PhotometricInterpretation tag; assumed MinIsBlack") }
        let spacing = TIFFResolution.spacing(
            xResolution: info.has_x_resolution != 0 ? info.x_resolution : nil,
            yResolution: info.has_y_resolution != 0 ? info.y_resolution : nil,
            unit: info.has_resolution_unit != 0 ? info.resolution_unit : nil)
        let photometric: Photometric = info.has_photometric != 0 && info.photometric == TIFFPhotometric.minIsWhite
            ? .monochrome1 : .monochrome2
        var valueRange = layout.valueRange
        // 12-bit detectors often write 16-bit TIFFs with MaxSampleValue 4095; the full-range
        // window should then span 0...4095, not 0...65535.
        if !layout.isFloat, info.has_max_sample_value != 0, info.max_sample_value > 0,
           let declared = valueRange, Float(info.max_sample_value) < declared.upperBound {
            valueRange = 0...Float(info.max_sample_value)
        }
        let image = XRayImage(rows: rows, columns: columns, pixels: layout.toFloat(raw),
                              photometric: photometric, spacing: spacing, valueRange: valueRange,
                              frameCount: max(Int(info.page_count), 1), frameIndex: 0,
                              bitsStored: layout.isFloat ? nil : Int(info.bits_per_sample), warnings: warnings)
        return image
    }

    /// libtiff's own message for a non-TIFF file is cryptic ("bad magic number 12345"); checking the
    /// header ourselves gives a clear reason and separates "not TIFF" from "corrupt TIFF".
    private static func checkMagic(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TIFFError(.cannotOpen, path: path, reason: "file does not exist or is not readable")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4)) ?? Data())
        let classic: [[UInt8]] = [[0x49, 0x49, 42, 0], [0x4D, 0x4D, 0, 42]]
        let big: [[UInt8]] = [[0x49, 0x49, 43, 0], [0x4D, 0x4D, 0, 43]]
        guard classic.contains(head) || big.contains(head) else {
            throw TIFFError(.notTIFF, path: path, reason: "the file does not start with a TIFF header (II*\\0 or MM\\0*)")
        }
    }
}

/// The sample types the reader accepts, and how each becomes Float.
private enum SampleLayout {
    case uint8, uint16, float32

    init(info: ldk_tiff_info, path: String) throws {
        if info.samples_per_pixel != 1 {
            throw TIFFError(.unsupportedColour, path: path,
                            reason: "\(info.samples_per_pixel) samples per pixel; only greyscale (1 sample) is supported")
        }
        if info.has_photometric != 0, info.photometric != TIFFPhotometric.minIsBlack,
           info.photometric != TIFFPhotometric.minIsWhite {
            throw TIFFError(.unsupportedColour, path: path,
                            reason: "photometric interpretation \(info.photometric); only MinIsBlack and MinIsWhite are supported")
        }
        switch (info.sample_format, info.bits_per_sample) {
        case (TIFFSampleFormat.unsignedInteger, 8): self = .uint8
        case (TIFFSampleFormat.unsignedInteger, 16): self = .uint16
        case (TIFFSampleFormat.ieeeFloat, 32): self = .float32
        case (TIFFSampleFormat.unsignedInteger, let bits), (TIFFSampleFormat.ieeeFloat, let bits):
            throw TIFFError(.unsupportedBitDepth, path: path,
                            reason: "\(bits) bits per sample; supported: 8 or 16-bit unsigned, 32-bit float")
        case (let format, let bits):
            let name = format == TIFFSampleFormat.signedInteger ? "signed integer" : "sample format \(format)"
            throw TIFFError(.unsupportedSampleFormat, path: path,
                            reason: "\(name) with \(bits) bits; supported: 8 or 16-bit unsigned, 32-bit float")
        }
    }

    var bytesPerSample: Int {
        switch self {
        case .uint8: return 1
        case .uint16: return 2
        case .float32: return 4
        }
    }

    var isFloat: Bool { if case .float32 = self { return true } else { return false } }

    var valueRange: ClosedRange<Float>? {
        switch self {
        case .uint8: return 0...255
        case .uint16: return 0...65535
        case .float32: return nil
        }
    }

    func toFloat(_ raw: [UInt8]) -> [Float] {
        raw.withUnsafeBytes { bytes -> [Float] in
            switch self {
            case .uint8: return bytes.bindMemory(to: UInt8.self).map { Float($0) }
            case .uint16: return bytes.bindMemory(to: UInt16.self).map { Float($0) }
            case .float32: return Array(bytes.bindMemory(to: Float.self))
            }
        }
    }
}
