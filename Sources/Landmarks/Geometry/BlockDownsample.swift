import Foundation
import XRayIngest

/// Integer-factor area averaging of a calibrated image, so contrast protocols can run near the network's resolution
/// instead of on a 3000-pixel radiograph every sample. Spacing scales with the factor, so mm-based steps stay physical.
public enum BlockDownsample {
    /// Block j covers original pixels j·f … j·f+f−1 (the last block may be partial), so centres map by
    /// x' = (x + 0.5)/f − 0.5: the same edge-aligned convention as `AffineTransform.gridResize`.
    public static func transform(factor f: Int) -> AffineTransform {
        let s = 1 / Double(f)
        return AffineTransform(a: s, b: 0, c: 0, d: s, tx: 0.5 * s - 0.5, ty: 0.5 * s - 0.5)
    }

    public static func apply(_ image: XRayImage, factor f: Int) -> XRayImage {
        guard f > 1 else { return image }
        let w = image.columns, h = image.rows
        let ow = (w + f - 1) / f, oh = (h + f - 1) / f
        var out = [Float](repeating: 0, count: ow * oh)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for oy in 0..<oh {
                    let y0 = oy * f, y1 = min(y0 + f, h)
                    for ox in 0..<ow {
                        let x0 = ox * f, x1 = min(x0 + f, w)
                        var acc: Float = 0
                        for y in y0..<y1 { for x in x0..<x1 { acc += src[y * w + x] } }
                        dst[oy * ow + ox] = acc / Float((y1 - y0) * (x1 - x0))
                    }
                }
            }
        }
        var r = image
        r.rows = oh; r.columns = ow; r.pixels = out
        if var s = r.spacing { s.rowMM *= Double(f); s.columnMM *= Double(f); r.spacing = s }
        return r
    }
}
