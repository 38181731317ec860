import Foundation

/// Separable Gaussian blur with edge replication: the toolkit's one blur, for unsharp masking here and for
/// anti-aliasing and phantom textures in Landmarks. Each pass keeps eight outputs in a SIMD
/// register and accumulates every tap into it before storing once, so the cost is one load and
/// one multiply-add per tap per eight pixels, whatever the radius.
public enum GaussianBlur {
    /// Normalised kernel of half-width ⌈3σ⌉ (at least 1).
    public static func kernel(sigma: Double) -> [Float] {
        let half = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-half...half).map { i in Float(exp(-Double(i * i) / (2 * sigma * sigma))) }
        let sum = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= sum }
        return weights
    }

    /// A row-major `width`×`height` image blurred with σ in both directions; σ ≤ 0 returns it unchanged.
    public static func blur(_ pixels: [Float], width: Int, height: Int, sigma: Double) -> [Float] {
        blur(pixels, width: width, height: height, sigmaX: sigma, sigmaY: sigma)
    }

    /// Anisotropic: `sigmaX` along rows, `sigmaY` along columns; a σ ≤ 0 returns the image unchanged.
    public static func blur(_ pixels: [Float], width: Int, height: Int, sigmaX: Double, sigmaY: Double) -> [Float] {
        precondition(pixels.count == width * height, "GaussianBlur: \(pixels.count) pixels for \(width)×\(height)")
        guard sigmaX > 0, sigmaY > 0, width > 0, height > 0 else { return pixels }
        return pixels.withUnsafeBufferPointer { blur($0, rows: height, columns: width, sigmaX: sigmaX, sigmaY: sigmaY) }
    }

    /// Blurs `source` into a new buffer; `sigmaX` runs along rows (the column direction).
    public static func blur(_ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int, sigmaX: Double, sigmaY: Double) -> [Float] {
        let kx = kernel(sigma: sigmaX), ky = kernel(sigma: sigmaY)
        let src = source.baseAddress!
        var horizontal = [Float](repeating: 0, count: rows * columns)
        let hx = kx.count / 2
        // The padded row replicates the edge pixels, so the tap loop needs no bounds logic.
        var padded = [Float](repeating: 0, count: columns + 2 * hx)
        // One tap pointer per kernel weight, shared by both passes: sized for the longer kernel, since
        // anisotropic spacing gives the two directions different radii.
        var sourceRows = [UnsafePointer<Float>](repeating: src, count: max(kx.count, ky.count))
        horizontal.withUnsafeMutableBufferPointer { out in
            padded.withUnsafeMutableBufferPointer { pad in
                kx.withUnsafeBufferPointer { w in
                    let p = pad.baseAddress!, o = out.baseAddress!
                    for y in 0..<rows {
                        let row = src + y * columns
                        for i in 0..<hx { p[i] = row[0] }
                        (p + hx).update(from: row, count: columns)
                        for i in 0..<hx { p[hx + columns + i] = row[columns - 1] }
                        // Tap k of output x reads padded[x + k]: the taps are shifted copies of one row.
                        for k in 0..<w.count { sourceRows[k] = UnsafePointer(p + k) }
                        convolve(taps: sourceRows, weights: w, count: columns, into: o + y * columns)
                    }
                }
            }
        }
        var result = [Float](repeating: 0, count: rows * columns)
        let hy = ky.count / 2
        result.withUnsafeMutableBufferPointer { out in
            horizontal.withUnsafeBufferPointer { h in
                ky.withUnsafeBufferPointer { w in
                    let o = out.baseAddress!, hp = h.baseAddress!
                    for y in 0..<rows {
                        for k in 0..<w.count { sourceRows[k] = hp + min(max(y + k - hy, 0), rows - 1) * columns }
                        convolve(taps: sourceRows, weights: w, count: columns, into: o + y * columns)
                    }
                }
            }
        }
        return result
    }

    /// out[x] = Σ_k weights[k] · taps[k][x] for x < count.
    @inline(__always)
    private static func convolve(taps: [UnsafePointer<Float>], weights: UnsafeBufferPointer<Float>, count: Int,
                                 into out: UnsafeMutablePointer<Float>) {
        taps.withUnsafeBufferPointer { t in
            var x = 0
            while x + 8 <= count {
                var acc = SIMD8<Float>(repeating: 0)
                for k in 0..<weights.count {
                    acc += weights[k] * UnsafeRawPointer(t[k] + x).loadUnaligned(as: SIMD8<Float>.self)
                }
                UnsafeMutableRawPointer(out + x).storeBytes(of: acc, as: SIMD8<Float>.self)
                x += 8
            }
            while x < count {
                var acc: Float = 0
                for k in 0..<weights.count { acc += weights[k] * t[k][x] }
                out[x] = acc
                x += 1
            }
        }
    }
}
