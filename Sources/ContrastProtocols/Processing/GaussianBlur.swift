import Foundation

/// Separable Gaussian blur with edge replication. Both passes are sums of weighted, shifted rows
/// (`axpy` over contiguous memory, eight lanes at a time): the tap loop is outside, so the
/// inner loop never gathers, whatever the radius.
enum GaussianBlur {
    /// Normalised kernel of half-width ⌈3σ⌉ (at least 1).
    static func kernel(sigma: Double) -> [Float] {
        let half = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-half...half).map { i in Float(exp(-Double(i * i) / (2 * sigma * sigma))) }
        let sum = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= sum }
        return weights
    }

    /// Blurs `source` into a new buffer; `sigmaX` runs along rows (the column direction).
    static func blur(_ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int, sigmaX: Double, sigmaY: Double) -> [Float] {
        let kx = kernel(sigma: sigmaX), ky = kernel(sigma: sigmaY)
        let src = source.baseAddress!
        var horizontal = [Float](repeating: 0, count: rows * columns)
        let hx = kx.count / 2
        var padded = [Float](repeating: 0, count: columns + 2 * hx)
        horizontal.withUnsafeMutableBufferPointer { out in
            padded.withUnsafeMutableBufferPointer { pad in
                let p = pad.baseAddress!, o = out.baseAddress!
                for y in 0..<rows {
                    let row = src + y * columns
                    for i in 0..<hx { p[i] = row[0] }
                    (p + hx).update(from: row, count: columns)
                    for i in 0..<hx { p[hx + columns + i] = row[columns - 1] }
                    for k in 0..<kx.count { axpy(columns, kx[k], p + k, o + y * columns) }
                }
            }
        }
        var result = [Float](repeating: 0, count: rows * columns)
        let hy = ky.count / 2
        result.withUnsafeMutableBufferPointer { out in
            horizontal.withUnsafeBufferPointer { h in
                let o = out.baseAddress!, hp = h.baseAddress!
                for y in 0..<rows {
                    for k in 0..<ky.count {
                        let sourceRow = min(max(y + k - hy, 0), rows - 1)
                        axpy(columns, ky[k], hp + sourceRow * columns, o + y * columns)
                    }
                }
            }
        }
        return result
    }

    /// y += a·x over `n` floats.
    @inline(__always)
    static func axpy(_ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var i = 0
        let av = SIMD8<Float>(repeating: a)
        while i + 8 <= n {
            let xv = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            let yv = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv + av * xv, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] += a * x[i]
            i += 1
        }
    }
}
