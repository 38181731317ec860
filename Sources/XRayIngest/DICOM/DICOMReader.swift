import CDicomBridge
import Crypto
import Foundation

/// Reads DICOM Part-10 files and bare implicit-VR data sets into calibrated `XRayImage`s.
///
/// Every transfer syntax an X-ray archive holds is decoded: native (implicit/explicit LE, explicit BE,
/// deflated), RLE, JPEG baseline/extended/lossless, JPEG-LS (via DCMTK) and JPEG 2000/HTJ2K
/// (via OpenJPEG). Native data may also be 1-bit packed or YBR_FULL_422. RLE is decoded by
/// the bridge itself, because DCMTK's frame access returned wrong pixels for frames split over fragments;
/// a frame's fragments are found once (offset table, else codestream/RLE-header starts) for every codec.
/// Stored values come back exactly or not at all: errors are `DICOMError`s naming the file; bad content
/// never traps.
public struct DICOMReader: Sendable {
    /// Which frame to decode and what to keep besides the image.
    public struct Options: Sendable {
        /// 0-based frame to decode.
        public var frame: Int
        /// Also return the stored values in `DICOMFile.storedValues` (costs a second buffer).
        public var keepStoredValues: Bool
        public init(frame: Int = 0, keepStoredValues: Bool = false) {
            self.frame = frame
            self.keepStoredValues = keepStoredValues
        }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Decode `url` (frame `options.frame`).
    public func read(_ url: URL) throws -> DICOMFile {
        let handle = try DICOMHandle(path: url.path)
        return try decode(handle)
    }

    /// Parse the header only; pixel data are not decoded.
    public func readHeader(_ url: URL) throws -> DICOMHeaderSummary {
        try DICOMHandle(path: url.path).header
    }

    /// True when the file's content (not its name) says DICOM: a Part-10 preamble or a bare data set.
    public static func isDICOM(_ url: URL) -> Bool {
        let kind = ldk_dicom_sniff(url.path)
        return kind == LDK_SNIFF_PART10.rawValue || kind == LDK_SNIFF_BARE_DATASET.rawValue
    }

    /// Same, on the first bytes of a file (at least 132 for Part-10 detection).
    public static func isDICOM(leadingBytes: [UInt8]) -> Bool {
        let kind = leadingBytes.withUnsafeBufferPointer { ldk_dicom_sniff_bytes($0.baseAddress, $0.count) }
        return kind == LDK_SNIFF_PART10.rawValue || kind == LDK_SNIFF_BARE_DATASET.rawValue
    }

    private func decode(_ handle: DICOMHandle) throws -> DICOMFile {
        let header = handle.header
        let info = handle.info
        if info.has_pixel_data == 0 {
            throw DICOMError(.noPixelData, path: handle.path, reason: "no Pixel Data (7FE0,0010)")
        }
        if header.rows <= 0 || header.columns <= 0 {
            throw DICOMError(.zeroSize, path: handle.path, reason: "Rows \(header.rows), Columns \(header.columns)")
        }
        let decoded = try handle.decodeFrame(options.frame)
        var warnings: [String] = []
        let pixels = header.rows * header.columns
        let isSigned = header.pixelRepresentation == 1
        let bits = min(max(header.bitsStored, 1), 32)
        let storedRange: ClosedRange<Int> = isSigned ? -(1 << (bits - 1))...((1 << (bits - 1)) - 1) : 0...((1 << bits) - 1)

        var floats: [Float]
        var photometric = Photometric.monochrome2
        var original: String?
        var valueRange: ClosedRange<Float>?
        var voi: VOILookupTable?
        var windows: [WindowPreset] = []
        switch decoded.colour {
        case LDK_COLOUR_MONOCHROME:
            let transform = ModalityTransform.resolve(handle: handle, warnings: &warnings)
            floats = transform.apply(decoded.values)
            valueRange = transform.range(ofStored: storedRange)
            photometric = header.photometric == "MONOCHROME1" ? .monochrome1 : .monochrome2
            if header.photometric != "MONOCHROME1" && header.photometric != "MONOCHROME2" {
                warnings.append("Photometric Interpretation '\(header.photometric)' read as MONOCHROME2")
            }
            windows = windowPresets(handle, warnings: &warnings)
            voi = voiTable(handle, warnings: &warnings)
        case LDK_COLOUR_PALETTE:
            let palette = try LuminanceConversion.palette(from: handle)
            floats = LuminanceConversion.fromPalette(decoded.values, palette: palette)
            valueRange = 0...Float((1 << min(palette.bitsPerEntry, 16)) - 1)
            original = header.photometric
            warnings.append("PALETTE COLOR converted to luminance")
        case LDK_COLOUR_YBR:
            floats = LuminanceConversion.fromYBR(decoded.values, pixels: pixels)
            valueRange = 0...Float(storedRange.upperBound)
            original = header.photometric
            warnings.append("\(header.photometric) converted to luminance (Y)")
        default:
            floats = LuminanceConversion.fromRGB(decoded.values, pixels: pixels)
            valueRange = 0...Float(storedRange.upperBound)
            original = header.photometric
            warnings.append("\(header.photometric) converted to luminance")
        }

        var spacingWarnings: [String] = []
        let spacing = SpacingResolution.resolve(
            pixelSpacing: Array([info.pixel_spacing.0, info.pixel_spacing.1].prefix(Int(info.pixel_spacing_count))),
            imagerPixelSpacing: Array([info.imager_pixel_spacing.0, info.imager_pixel_spacing.1]
                .prefix(Int(info.imager_pixel_spacing_count))),
            magnification: info.has_magnification != 0 ? info.magnification : nil,
            warnings: &spacingWarnings)
        warnings += spacingWarnings

        let image = XRayImage(
            rows: header.rows, columns: header.columns, pixels: floats, photometric: photometric,
            originalPhotometric: original, spacing: spacing, windows: windows, voiLUT: voi, valueRange: valueRange,
            modality: header.modality, sopInstanceUID: header.sopInstanceUID.isEmpty ? nil : header.sopInstanceUID,
            transferSyntaxUID: header.transferSyntaxUID, frameCount: header.frames, frameIndex: options.frame,
            bitsStored: header.bitsStored, warnings: warnings)
        return DICOMFile(image: image, storedSHA256: StoredValueHash.sha256Hex(decoded.values), header: header,
                         storedValues: options.keepStoredValues ? decoded.values : nil)
    }

    private func windowPresets(_ handle: DICOMHandle, warnings: inout [String]) -> [WindowPreset] {
        handle.windows().compactMap { w in
            guard w.width > 0, w.center.isFinite, w.width.isFinite else {
                warnings.append("window \(w.center)/\(w.width) ignored: width must be positive")
                return nil
            }
            return WindowPreset(center: w.center, width: w.width, explanation: w.explanation)
        }
    }

    private func voiTable(_ handle: DICOMHandle, warnings: inout [String]) -> VOILookupTable? {
        switch handle.lut(LDK_LUT_VOI) {
        case .table(let first, let bits, let entries, let explanation) where !entries.isEmpty:
            return VOILookupTable(firstMapped: first, bitsPerEntry: bits, entries: entries, explanation: explanation)
        case .unusable(let why):
            warnings.append("VOI LUT Sequence ignored: \(why)")
            return nil
        default:
            return nil
        }
    }
}

/// SHA-256 of stored values with the manifest's byte layout (little-endian Int32).
enum StoredValueHash {
    static func sha256Hex(_ values: [Int32]) -> String {
        var hasher = SHA256()
        if 1.littleEndian == 1 {
            values.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        } else {
            values.map { $0.littleEndian }.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
