import CImageIO
import Foundation

extension PNGReader {
    /// Reads any PNG as 8-bit RGB (alpha composited onto white): used to check rendered pages and overlays.
    public static func readRGB(_ url: URL) throws -> RGBImage {
        var err = [CChar](repeating: 0, count: 512)
        var buffer: UnsafeMutablePointer<UInt8>?
        var width: UInt32 = 0, height: UInt32 = 0
        guard ldk_png_read_rgb(url.path, &buffer, &width, &height, &err, err.count) == 0, let buffer else {
            throw PNGError(path: url.path, reason: shimMessage(err))
        }
        defer { ldk_image_io_free(buffer) }
        let count = Int(width) * Int(height) * 3
        return RGBImage(width: Int(width), height: Int(height), bytes: Array(UnsafeBufferPointer(start: buffer, count: count)))
    }
}
