import CSVGRaster
import FileOutput
import Foundation

/// Renders chart SVG to PNG with librsvg, for places an SVG cannot go (slides, image viewers, a README).
///
/// One drawing, two formats: the PNG is the SVG rasterised, never a second implementation of the chart.
public enum SVGRaster {
    /// Why an SVG could not be rendered; names the destination.
    public typealias Failure = PathError<SVGRaster>

    /// Writes `svg` as a PNG at `scale` × its pixel size. Atomic: the PNG appears complete or not at all.
    public static func writePNG(svg: String, to url: URL, scale: Double = 2) throws {
        var reason = [CChar](repeating: 0, count: 512)
        let bytes = Array(svg.utf8)
        do {
            try AtomicFile.write(to: url) { temporary in
                let status = bytes.withUnsafeBufferPointer { b in
                    b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                        ldk_svg_to_png($0, b.count, scale, temporary, &reason, reason.count)
                    }
                }
                guard status == 0 else {
                    throw Failure(path: url.path, reason: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
                }
            }
        } catch let e as FileWriteError {
            throw Failure(path: url.path, reason: e.reason)
        }
    }
}
