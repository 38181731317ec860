import CImageIO
import FileOutput
import Foundation

/// Bit depth of an exported greyscale PNG.
public enum PNGBitDepth: Int, Sendable {
    case eight = 8
    case sixteen = 16
}

/// Tag for `PNGError`.
public enum PNGFile {}

/// Why a PNG could not be written or read; names the file.
public typealias PNGError = PathError<PNGFile>

/// Writes preview PNGs from [0,1] Float images (protocol outputs), atomically.
public enum PNGExport {
    /// Values are clamped to [0,1] (NaN becomes 0) and scaled to the full integer range with
    /// rounding, so 0 → 0 and 1 → 255 or 65535.
    public static func writeGray(_ pixels: [Float], rows: Int, columns: Int, to url: URL,
                                 bitDepth: PNGBitDepth = .eight) throws {
        guard rows > 0, columns > 0, pixels.count == rows * columns else {
            throw PNGError(path: url.path, reason: "\(pixels.count) pixels for \(columns)×\(rows)")
        }
        var err = [CChar](repeating: 0, count: 512)
        let quantize = { (v: Float, maxValue: Float) -> Float in
            (v.isNaN ? 0 : min(max(v, 0), 1)) * maxValue
        }
        do {
            try AtomicFile.write(to: url) { temporary in
                let status: Int32
                switch bitDepth {
                case .eight:
                    let samples = pixels.map { UInt8(quantize($0, 255).rounded()) }
                    status = ldk_png_write_gray(temporary, samples, UInt32(columns), UInt32(rows), 8, &err, err.count)
                case .sixteen:
                    let samples = pixels.map { UInt16(quantize($0, 65535).rounded()) }
                    status = ldk_png_write_gray(temporary, samples, UInt32(columns), UInt32(rows), 16, &err, err.count)
                }
                if status != 0 { throw PNGError(path: url.path, reason: shimMessage(err)) }
            }
        } catch let error as PNGError {
            throw error
        } catch {
            throw PNGError(path: url.path, reason: (error as? FileWriteError)?.reason ?? error.localizedDescription)
        }
    }
}

/// A greyscale PNG as read back: its raw samples and bit depth.
public struct GrayPNG: Sendable {
    public var rows: Int
    public var columns: Int
    public var bitDepth: Int
    /// Raw integer samples (0...255 or 0...65535).
    public var samples: [UInt16]
}

/// Reads greyscale PNGs through libpng; used to check exported previews.
public enum PNGReader {
    public static func readGray(_ url: URL) throws -> GrayPNG {
        var err = [CChar](repeating: 0, count: 512)
        var buffer: UnsafeMutableRawPointer?
        var width: UInt32 = 0, height: UInt32 = 0
        var depth: Int32 = 0
        guard ldk_png_read_gray(url.path, &buffer, &width, &height, &depth, &err, err.count) == 0, let buffer else {
            throw PNGError(path: url.path, reason: shimMessage(err))
        }
        defer { ldk_image_io_free(buffer) }
        let count = Int(width) * Int(height)
        let samples: [UInt16] = depth == 16
            ? Array(UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt16.self), count: count))
            : UnsafeBufferPointer(start: buffer.assumingMemoryBound(to: UInt8.self), count: count).map { UInt16($0) }
        return GrayPNG(rows: Int(height), columns: Int(width), bitDepth: Int(depth), samples: samples)
    }
}
