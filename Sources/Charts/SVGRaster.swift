import CSVGRaster
import Foundation

/// Renders chart SVG to PNG with librsvg, for places an SVG cannot go (slides, image viewers, a README).
///
/// One drawing, two formats: the PNG is the SVG rasterised, never a second implementation of the chart.
public enum SVGRaster {
    /// Why an SVG could not be rendered; names the destination.
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Writes `svg` as a PNG at `scale` × its pixel size. Atomic: the PNG appears complete or not at all.
    public static func writePNG(svg: String, to url: URL, scale: Double = 2) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        var reason = [CChar](repeating: 0, count: 512)
        let bytes = Array(svg.utf8)
        let status = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                ldk_svg_to_png($0, b.count, scale, temporary.path, &reason, reason.count)
            }
        }
        guard status == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: url.path, reason: String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        // rename(2) replaces atomically; Foundation's replaceItemAt does not create a missing destination on Linux.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(path: url.path, reason: "cannot move the rendered PNG into place: \(reason)")
        }
    }
}
