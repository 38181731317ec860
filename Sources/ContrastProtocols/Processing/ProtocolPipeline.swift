import XRayIngest

extension ContrastProtocol {
    /// Runs the protocol on a calibrated image. Pipeline rules, not steps a user could forget:
    /// MONOCHROME1 images are inverted (1 − v) right after the window, so bone is bright in every
    /// output (docs/CONVENTIONS.md), and the result is always clamped to [0,1] at the end.
    public func apply(to image: XRayImage) -> ProcessedImage {
        var pixels = image.pixels
        let rows = image.rows, columns = image.columns
        pixels.withUnsafeMutableBufferPointer { px in
            for step in steps {
                switch step {
                case .window(let source):
                    let mapping = Windowing.resolve(source, for: image, values: UnsafeBufferPointer(px))
                    Windowing.apply(mapping, to: px)
                    clampUnit(px)  // NaN input pixels become 0 here, before any step indexes by value
                    if image.photometric == .monochrome1 {
                        for i in px.indices { px[i] = 1 - px[i] }
                    }
                case .tone(let curve):
                    ToneMapping.apply(curve, to: px)
                case .clahe(let parameters):
                    CLAHE.apply(parameters, to: px, rows: rows, columns: columns)
                case .unsharp(let parameters):
                    UnsharpMask.apply(parameters, to: px, rows: rows, columns: columns, spacing: image.spacing)
                case .clamp:
                    clampUnit(px)
                }
            }
            clampUnit(px)
        }
        return ProcessedImage(rows: rows, columns: columns, pixels: pixels, spacing: image.spacing)
    }
}

/// Clamps to [0,1]; NaN (only possible from NaN input pixels) becomes 0.
func clampUnit(_ px: UnsafeMutableBufferPointer<Float>) {
    for i in px.indices {
        let v = px[i]
        px[i] = v.isNaN ? 0 : min(max(v, 0), 1)
    }
}
