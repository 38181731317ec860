import CImageIO
import FileOutput
import Foundation

/// An 8-bit RGB raster, row-major with interleaved R, G, B bytes: what overlays are drawn into.
public struct RGBImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// width × height × 3 bytes.
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(bytes.count == width * height * 3, "RGBImage: \(bytes.count) bytes for \(width)×\(height)×3")
        self.width = width; self.height = height; self.bytes = bytes
    }

    /// A grey image replicated into the three channels; values clamped to [0,1] (NaN → 0) and rounded.
    public init(gray pixels: [Float], width: Int, height: Int) {
        precondition(pixels.count == width * height, "RGBImage: \(pixels.count) pixels for \(width)×\(height)")
        var out = [UInt8](repeating: 0, count: pixels.count * 3)
        for (i, v) in pixels.enumerated() {
            let b = UInt8(((v.isNaN ? 0 : min(max(v, 0), 1)) * 255).rounded())
            out[3 * i] = b; out[3 * i + 1] = b; out[3 * i + 2] = b
        }
        self.init(width: width, height: height, bytes: out)
    }
}

extension PNGExport {
    /// Writes an RGB PNG atomically (readers never see a half-written file).
    public static func writeRGB(_ image: RGBImage, to url: URL) throws {
        guard image.width > 0, image.height > 0 else {
            throw PNGError(path: url.path, reason: "empty image \(image.width)×\(image.height)")
        }
        var err = [CChar](repeating: 0, count: 512)
        do {
            try AtomicFile.write(to: url) { temporary in
                let status = image.bytes.withUnsafeBufferPointer {
                    ldk_png_write_rgb(temporary, $0.baseAddress, UInt32(image.width), UInt32(image.height), &err, err.count)
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
