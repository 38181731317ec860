import CDicomBridge
import FileOutput
import Foundation

/// Writes Secondary Capture files of any pixel layout the reader must decode: monochrome or colour, 1 to 16 bits,
/// signed or unsigned, several frames, in every syntax this build encodes losslessly. It makes the files of the
/// decoding tests and of the round-trip property test; `DICOMWriter` writes the DX files users see.
public struct DICOMPixelWriter: Sendable {
    /// Syntaxes with a lossless encoder here: DCMTK's, plus JPEG 2000 through OpenJPEG.
    public enum Syntax: String, Sendable, CaseIterable {
        case implicitVRLittleEndian = "1.2.840.10008.1.2"
        case explicitVRLittleEndian = "1.2.840.10008.1.2.1"
        case explicitVRBigEndian = "1.2.840.10008.1.2.2"
        case deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
        case rleLossless = "1.2.840.10008.1.2.5"
        case jpegLossless = "1.2.840.10008.1.2.4.57"
        case jpegLosslessSV1 = "1.2.840.10008.1.2.4.70"
        case jpegLSLossless = "1.2.840.10008.1.2.4.80"
        case jpeg2000Lossless = "1.2.840.10008.1.2.4.90"

        /// Pixel Data in fragments (the others are native).
        public var isEncapsulated: Bool {
            switch self {
            case .implicitVRLittleEndian, .explicitVRLittleEndian, .explicitVRBigEndian, .deflatedExplicitVRLittleEndian: return false
            default: return true
            }
        }
    }

    /// Photometric Interpretations the writer lays out.
    public enum Photometric: String, Sendable, CaseIterable {
        case monochrome1 = "MONOCHROME1"
        case monochrome2 = "MONOCHROME2"
        case rgb = "RGB"
        case ybrFull = "YBR_FULL"
        /// Native only: each pixel pair is stored as Y1 Y2 Cb Cr, its chroma taken from the pair's first pixel.
        case ybrFull422 = "YBR_FULL_422"

        public var samplesPerPixel: Int { self == .monochrome1 || self == .monochrome2 ? 1 : 3 }
    }

    /// The value representation of native Pixel Data, which decides its byte order in big endian.
    public enum PixelDataVR: Sendable {
        /// A byte stream, never swapped (8 bits or fewer).
        case ob
        /// 16-bit words, byte-swapped in Explicit VR Big Endian.
        case ow
    }

    /// Pixels and their description.
    public struct Image: Sendable {
        public var rows: Int
        public var columns: Int
        public var frames: Int
        public var photometric: Photometric
        /// 1, 8 or 16.
        public var bitsAllocated: Int
        public var bitsStored: Int
        public var isSigned: Bool
        /// Colour in native syntaxes: samples by plane (RRR…GGG…BBB…) instead of interleaved.
        public var planar: Bool
        /// frames × rows × columns × samples, interleaved, at full resolution; signed values sign-extended.
        public var storedValues: [Int32]

        public init(rows: Int, columns: Int, frames: Int = 1, photometric: Photometric = .monochrome2, bitsAllocated: Int,
                    bitsStored: Int, isSigned: Bool = false, planar: Bool = false, storedValues: [Int32]) {
            self.rows = rows; self.columns = columns; self.frames = frames; self.photometric = photometric
            self.bitsAllocated = bitsAllocated; self.bitsStored = bitsStored; self.isSigned = isSigned; self.planar = planar
            self.storedValues = storedValues
        }
    }

    public var syntax: Syntax
    public var pixelDataVR: PixelDataVR
    /// Encapsulated: split each frame over fragments of at most this many bytes (nil: one fragment per frame).
    public var maxFragmentBytes: Int?
    /// Encapsulated: leave the Basic Offset Table empty, as many writers do.
    public var emptyOffsetTable: Bool

    public init(syntax: Syntax, pixelDataVR: PixelDataVR = .ob, maxFragmentBytes: Int? = nil, emptyOffsetTable: Bool = false) {
        self.syntax = syntax; self.pixelDataVR = pixelDataVR; self.maxFragmentBytes = maxFragmentBytes
        self.emptyOffsetTable = emptyOffsetTable
    }

    /// Writes `image` to `url`, atomically (a temporary file in the same folder, renamed into place).
    public func write(_ image: Image, to url: URL) throws {
        let path = url.path
        var err = [CChar](repeating: 0, count: 512)
        do {
            try AtomicFile.write(to: url) { temporary in
                let status: Int32 = syntax.rawValue.withCString { ts in
                    image.photometric.rawValue.withCString { pi in
                        var p = ldk_dicom_pixel_params()
                        p.rows = Int32(clamping: image.rows)
                        p.columns = Int32(clamping: image.columns)
                        p.frames = Int32(clamping: image.frames)
                        p.samples_per_pixel = Int32(image.photometric.samplesPerPixel)
                        p.bits_allocated = Int32(clamping: image.bitsAllocated)
                        p.bits_stored = Int32(clamping: image.bitsStored)
                        p.pixel_representation = image.isSigned ? 1 : 0
                        p.planar_configuration = image.planar ? 1 : 0
                        p.photometric = pi
                        p.transfer_syntax_uid = ts
                        p.pixel_data_ow = pixelDataVR == .ow ? 1 : 0
                        p.max_fragment_bytes = Int32(clamping: maxFragmentBytes ?? 0)
                        p.empty_offset_table = emptyOffsetTable ? 1 : 0
                        return image.storedValues.withUnsafeBufferPointer { values in
                            ldk_dicom_write_pixels(temporary, &p, values.baseAddress, values.count, &err, err.count)
                        }
                    }
                }
                guard status == 0 else { throw DICOMError(status: status, path: path, reason: String(cString: err)) }
            }
        } catch let e as FileWriteError {
            throw DICOMError(.writeFailed, path: path, reason: e.reason)
        }
    }
}
