import ContrastProtocols
import Foundation

/// A single-channel Float image, row-major; the working form between contrast protocols and the network.
public struct GrayImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var pixels: [Float]
    public init(width: Int, height: Int, pixels: [Float]) {
        precondition(pixels.count == width * height, "GrayImage: \(pixels.count) pixels for \(width)×\(height)")
        self.width = width; self.height = height; self.pixels = pixels
    }
    public init(width: Int, height: Int, fill: Float = 0) {
        self.init(width: width, height: height, pixels: [Float](repeating: fill, count: width * height))
    }
    @inlinable public subscript(x: Int, y: Int) -> Float {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Bilinear interpolation at a position inside the pixel extent (integer = pixel centre); positions past the
    /// outermost centres take the edge value. The one interpolation of `sample` and `warped`.
    @inline(__always)
    static func bilinear(_ p: UnsafeBufferPointer<Float>, width w: Int, height h: Int, x: Double, y: Double) -> Float {
        let cx = min(max(x, 0), Double(w - 1)), cy = min(max(y, 0), Double(h - 1))
        let x0 = min(Int(cx), w - 1), y0 = min(Int(cy), h - 1)
        let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
        let fx = Float(cx - Double(x0)), fy = Float(cy - Double(y0))
        let top = p[y0 * w + x0] * (1 - fx) + p[y0 * w + x1] * fx
        let bottom = p[y1 * w + x0] * (1 - fx) + p[y1 * w + x1] * fx
        return top * (1 - fy) + bottom * fy
    }

    /// Bilinear sample at a continuous position (integer = pixel centre); nil outside the image's pixel extent.
    public func sample(x: Double, y: Double) -> Float? {
        guard x >= -0.5, y >= -0.5, x <= Double(width) - 0.5, y <= Double(height) - 0.5 else { return nil }
        return pixels.withUnsafeBufferPointer { Self.bilinear($0, width: width, height: height, x: x, y: y) }
    }
}

/// Resamples images with the same affine (and optional displacement field) that moves landmarks.
public enum ImageWarp {
    /// `transform` maps source pixels to output pixels. Each output pixel q reads the source at
    /// transform⁻¹(q + displacement(q)), bilinearly; outside the source it gets `fill`.
    /// When the map shrinks the image the source is low-passed first, so thin structures do not alias away.
    public static func warp(_ src: GrayImage, transform: AffineTransform, outWidth: Int, outHeight: Int,
                            displacement: DisplacementField? = nil, fill: Float = 0, antialias: Bool = true) -> GrayImage {
        var source = src
        let s = transform.meanScale
        if antialias, s < 0.8 {
            // A pixel of the output spans 1/s source pixels; this sigma keeps the bandwidth under the new Nyquist limit.
            source.pixels = GaussianBlur.blur(src.pixels, width: src.width, height: src.height,
                                              sigma: 0.5 * ((1 / (s * s)) - 1).squareRoot(), border: .renormalize)
        }
        let inv = transform.inverted
        var out = [Float](repeating: fill, count: outWidth * outHeight)
        let w = source.width, h = source.height
        let maxX = Double(w) - 0.5, maxY = Double(h) - 0.5
        source.pixels.withUnsafeBufferPointer { p in
            out.withUnsafeMutableBufferPointer { o in
                for v in 0..<outHeight {
                    for u in 0..<outWidth {
                        var qx = Double(u), qy = Double(v)
                        if let d = displacement {
                            let dd = d.displacement(x: qx, y: qy)
                            qx += dd.dx; qy += dd.dy
                        }
                        let sx = inv.a * qx + inv.b * qy + inv.tx
                        let sy = inv.c * qx + inv.d * qy + inv.ty
                        guard sx >= -0.5, sy >= -0.5, sx <= maxX, sy <= maxY else { continue }
                        o[v * outWidth + u] = GrayImage.bilinear(p, width: w, height: h, x: sx, y: sy)
                    }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }
}
