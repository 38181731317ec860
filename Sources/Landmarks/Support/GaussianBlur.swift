import Foundation

/// Separable Gaussian smoothing of a row-major image; borders use renormalised weights so edges keep their level.
public enum GaussianBlur {
    public static func kernel(sigma: Double) -> [Float] {
        let r = max(1, Int((3 * sigma).rounded(.up)))
        var k = (-r...r).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let s = k.reduce(0, +)
        for i in k.indices { k[i] /= s }
        return k
    }

    public static func blur(_ pixels: [Float], width: Int, height: Int, sigma: Double) -> [Float] {
        blur(pixels, width: width, height: height, sigmaX: sigma, sigmaY: sigma)
    }

    /// Anisotropic: `sigmaX` along rows, `sigmaY` along columns.
    public static func blur(_ pixels: [Float], width: Int, height: Int, sigmaX: Double, sigmaY: Double) -> [Float] {
        guard sigmaX > 0, sigmaY > 0, width > 0, height > 0 else { return pixels }
        let k = kernel(sigma: sigmaX), r = k.count / 2
        let ky = kernel(sigma: sigmaY), ry = ky.count / 2
        var tmp = [Float](repeating: 0, count: pixels.count)
        var out = tmp
        pixels.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { t in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<width {
                        var acc: Float = 0, wsum: Float = 0
                        for j in max(0, x - r)...min(width - 1, x + r) {
                            let w = k[j - x + r]
                            acc += w * src[row + j]; wsum += w
                        }
                        t[row + x] = acc / wsum
                    }
                }
            }
        }
        tmp.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                for y in 0..<height {
                    let lo = max(0, y - ry), hi = min(height - 1, y + ry)
                    for x in 0..<width {
                        var acc: Float = 0, wsum: Float = 0
                        for i in lo...hi {
                            let w = ky[i - y + ry]
                            acc += w * t[i * width + x]; wsum += w
                        }
                        o[y * width + x] = acc / wsum
                    }
                }
            }
        }
        return out
    }
}
