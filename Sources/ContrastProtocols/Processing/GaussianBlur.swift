import Foundation

/// Separable Gaussian blur with edge replication. Each pass is written as "for each tap, add a
/// weighted shifted row": the inner loop runs over contiguous memory, so it vectorises.
enum GaussianBlur {
    /// Normalised kernel of half-width ⌈3σ⌉ (at least 1).
    static func kernel(sigma: Double) -> [Float] {
        let half = max(1, Int((3 * sigma).rounded(.up)))
        var weights = (-half...half).map { i in Float(exp(-Double(i * i) / (2 * sigma * sigma))) }
        let sum = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= sum }
        return weights
    }

    /// Blurs `source` into a new buffer; `sigmaX` runs along rows (columns direction).
    static func blur(_ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int, sigmaX: Double, sigmaY: Double) -> [Float] {
        let kx = kernel(sigma: sigmaX), ky = kernel(sigma: sigmaY)
        var horizontal = [Float](repeating: 0, count: rows * columns)
        let hx = kx.count / 2
        var padded = [Float](repeating: 0, count: columns + 2 * hx)
        horizontal.withUnsafeMutableBufferPointer { out in
            padded.withUnsafeMutableBufferPointer { pad in
                kx.withUnsafeBufferPointer { w in
                    for y in 0..<rows {
                        let row = y * columns
                        for i in 0..<pad.count { pad[i] = source[row + min(max(i - hx, 0), columns - 1)] }
                        for k in 0..<w.count {
                            let wk = w[k]
                            for x in 0..<columns { out[row + x] += wk * pad[x + k] }
                        }
                    }
                }
            }
        }
        var result = [Float](repeating: 0, count: rows * columns)
        let hy = ky.count / 2
        result.withUnsafeMutableBufferPointer { out in
            horizontal.withUnsafeBufferPointer { h in
                ky.withUnsafeBufferPointer { w in
                    for y in 0..<rows {
                        let row = y * columns
                        for k in 0..<w.count {
                            let src = min(max(y + k - hy, 0), rows - 1) * columns
                            let wk = w[k]
                            for x in 0..<columns { out[row + x] += wk * h[src + x] }
                        }
                    }
                }
            }
        }
        return result
    }
}
