import Foundation
import XRayIngest

/// Where decoded images come from; a protocol so datasets work with any reader (and with fakes in tests).
public protocol ImageSource: Sendable {
    func image(at url: URL) throws -> XRayImage
}

/// An `ImageSource` from a closure.
public struct ClosureImageSource: ImageSource {
    public let load: @Sendable (URL) throws -> XRayImage
    public init(_ load: @escaping @Sendable (URL) throws -> XRayImage) { self.load = load }
    public func image(at url: URL) throws -> XRayImage { try load(url) }
}

/// Turns a calibrated image into the [0,1] bone-bright image the network sees, under a named protocol
/// (nil = the caller's default). A closure so datasets do not depend on how protocols are implemented.
public typealias ContrastApplier = @Sendable (XRayImage, String?) throws -> GrayImage

/// The simplest honest contrast: window p1–p99 of the Modality-LUT values, MONOCHROME1 inverted after windowing.
/// Used when no protocol library is wired in; it ignores the protocol name.
public enum PercentileWindow {
    public static func apply(_ image: XRayImage, lowPercentile: Double = 1, highPercentile: Double = 99) -> GrayImage {
        var sorted = image.pixels
        // A strided sample is enough for percentiles and keeps this O(n) on large radiographs.
        let step = max(1, sorted.count / 65536)
        if step > 1 { sorted = Swift.stride(from: 0, to: image.pixels.count, by: step).map { image.pixels[$0] } }
        sorted.sort()
        func pct(_ p: Double) -> Float {
            let pos = p / 100 * Double(sorted.count - 1)
            let i = Int(pos), f = Float(pos - Double(i))
            return sorted[i] * (1 - f) + sorted[min(i + 1, sorted.count - 1)] * f
        }
        let lo = pct(lowPercentile), hi = pct(highPercentile)
        let span = max(hi - lo, 1e-6)
        let invert = image.photometric == .monochrome1
        let out = image.pixels.map { v -> Float in
            let t = min(max((v - lo) / span, 0), 1)
            return invert ? 1 - t : t
        }
        return GrayImage(width: image.columns, height: image.rows, pixels: out)
    }

    public static let applier: ContrastApplier = { image, _ in apply(image) }
}
