import Foundation

/// Separable Gaussian blur: the toolkit's one blur, for unsharp masking here and for anti-aliasing and
/// phantom textures in Landmarks. Each pass keeps eight outputs in a SIMD
/// register and accumulates every tap into it before storing once, so the cost is one load and
/// one multiply-add per tap per eight pixels, whatever the radius.
public enum GaussianBlur {
    /// What the kernel sees beyond the image's edge.
    public enum Border: Sendable {
        /// The edge pixel, repeated (unsharp masking: a flat edge stays flat, so no halo appears there).
        case replicate
        /// Nothing: the weights that fall inside are rescaled to sum to 1 (anti-aliasing before a resize and
        /// the phantom's textures; trained models saw their inputs made this way).
        case renormalize
    }

    /// Normalised kernel of half-width ⌈3σ⌉ (at least 1).
    public static func kernel(sigma: Double) -> [Float] {
        let half = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-half...half).map { i in Float(exp(-Double(i * i) / (2 * sigma * sigma))) }
        let sum = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= sum }
        return weights
    }

    /// A row-major `width`×`height` image blurred with σ in both directions; σ ≤ 0 returns it unchanged.
    public static func blur(_ pixels: [Float], width: Int, height: Int, sigma: Double, border: Border = .replicate) -> [Float] {
        blur(pixels, width: width, height: height, sigmaX: sigma, sigmaY: sigma, border: border)
    }

    /// Anisotropic: `sigmaX` along rows, `sigmaY` along columns; a σ ≤ 0 returns the image unchanged.
    public static func blur(_ pixels: [Float], width: Int, height: Int, sigmaX: Double, sigmaY: Double,
                            border: Border = .replicate) -> [Float] {
        precondition(pixels.count == width * height, "GaussianBlur: \(pixels.count) pixels for \(width)×\(height)")
        guard sigmaX > 0, sigmaY > 0, width > 0, height > 0 else { return pixels }
        return pixels.withUnsafeBufferPointer { blur($0, rows: height, columns: width, sigmaX: sigmaX, sigmaY: sigmaY, border: border) }
    }

    /// Blurs `source` into a new buffer; `sigmaX` runs along rows (the column direction).
    public static func blur(_ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int, sigmaX: Double, sigmaY: Double,
                            border: Border = .replicate) -> [Float] {
        let kx = kernel(sigma: sigmaX), ky = kernel(sigma: sigmaY)
        let replicate = border == .replicate
        // Renormalising pads with zeros, then divides each output by the kernel mass that fell inside.
        let zeros = [Float](repeating: 0, count: columns)
        let columnMass = replicate ? [] : masses(count: columns, kernel: kx), rowMass = replicate ? [] : masses(count: rows, kernel: ky)
        let src = source.baseAddress!
        var horizontal = [Float](repeating: 0, count: rows * columns)
        let hx = kx.count / 2
        // The padded row holds the edge pixels (or zeros), so the tap loop needs no bounds logic.
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
                        for i in 0..<hx { p[i] = replicate ? row[0] : 0 }
                        (p + hx).update(from: row, count: columns)
                        for i in 0..<hx { p[hx + columns + i] = replicate ? row[columns - 1] : 0 }
                        // Tap k of output x reads padded[x + k]: the taps are shifted copies of one row.
                        for k in 0..<w.count { sourceRows[k] = UnsafePointer(p + k) }
                        convolve(taps: sourceRows, weights: w, count: columns, into: o + y * columns)
                        if !replicate { for x in 0..<columns { o[y * columns + x] /= columnMass[x] } }
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
                    zeros.withUnsafeBufferPointer { z in
                        for y in 0..<rows {
                            for k in 0..<w.count {
                                let r = y + k - hy
                                sourceRows[k] = replicate || (0..<rows).contains(r) ? hp + min(max(r, 0), rows - 1) * columns : z.baseAddress!
                            }
                            convolve(taps: sourceRows, weights: w, count: columns, into: o + y * columns)
                        }
                        if !replicate {
                            for y in 0..<rows { for x in 0..<columns { o[y * columns + x] /= rowMass[y] } }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The mass of `kernel` that lies inside a line of `count` pixels, per position. Interior positions
    /// get the whole kernel's float sum (1 within an ulp) rather than 1, so dividing by it gives the same
    /// float as a direct Σw·x / Σw: models trained on the direct form see bit-identical inputs.
    private static func masses(count: Int, kernel: [Float]) -> [Float] {
        let r = kernel.count / 2
        return (0..<count).map { i in
            var mass: Float = 0
            for j in max(0, i - r)...min(count - 1, i + r) { mass += kernel[j - i + r] }
            return mass
        }
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
