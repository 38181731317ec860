import XCTest
import Foundation
import TensorEngine
@testable import Training

/// Float64 re-implementations of the five losses straight from their formulas, written independently of
/// the engine code, so central differences of these check the engine's analytic gradients.
private enum Reference {
    struct Shape { let b, k, h, w: Int }

    /// Per-sample sums over included channels of `pixel(i, x, y)`.
    static func sums(_ s: Shape, _ x: [Double], _ y: [Double], _ mask: [Double],
                     _ pixel: (Int, Double, Double) -> Double) -> [Double] {
        let plane = s.h * s.w
        return (0..<s.b).map { b in
            var acc = 0.0
            for k in 0..<s.k where mask[b * s.k + k] == 1 {
                for p in 0..<plane {
                    let i = (b * s.k + k) * plane + p
                    acc += pixel(i, x[i], y[i])
                }
            }
            return acc
        }
    }

    static func included(_ s: Shape, _ mask: [Double]) -> [Double] {
        (0..<s.b).map { b in (0..<s.k).reduce(0.0) { $0 + mask[b * s.k + $1] } }
    }

    /// 1 at the first maximum of every channel with a positive maximum (its target's peak pixel).
    static func peaks(_ s: Shape, _ y: [Double]) -> Set<Int> {
        let plane = s.h * s.w
        var out: Set<Int> = []
        for c in 0..<(s.b * s.k) {
            var best = 0.0, at = -1
            for i in (c * plane)..<((c + 1) * plane) where y[i] > best { best = y[i]; at = i }
            if at >= 0 { out.insert(at) }
        }
        return out
    }

    static func positives(_ s: Shape, _ y: [Double], _ mask: [Double]) -> [Double] {
        let p = peaks(s, y)
        return sums(s, y, y, mask) { i, _, _ in p.contains(i) ? 1 : 0 }
    }

    static func mse(_ s: Shape, _ x: [Double], _ y: [Double], _ m: [Double]) -> [Double] {
        let n = included(s, m)
        return zip(sums(s, x, y, m) { _, p, t in (p - t) * (p - t) }, n).map { $0 / (max($1, 1) * Double(s.h * s.w)) }
    }

    static func l1(_ s: Shape, _ x: [Double], _ y: [Double], _ m: [Double]) -> [Double] {
        let n = included(s, m)
        return zip(sums(s, x, y, m) { _, p, t in abs(p - t) }, n).map { $0 / (max($1, 1) * Double(s.h * s.w)) }
    }

    static func awing(_ s: Shape, _ x: [Double], _ y: [Double], _ m: [Double]) -> [Double] {
        let alpha = 2.1, omega = 14.0, eps = 1.0, theta = 0.5, bigW = 10.0
        // Weight map from the 3×3 dilation, computed here by brute force.
        var weight = [Double](repeating: 1, count: y.count)
        let plane = s.h * s.w
        for base in stride(from: 0, to: y.count, by: plane) {
            for r in 0..<s.h { for c in 0..<s.w {
                var best = -Double.infinity
                for dr in -1...1 { for dc in -1...1 {
                    let rr = r + dr, cc = c + dc
                    if rr >= 0, rr < s.h, cc >= 0, cc < s.w { best = max(best, y[base + rr * s.w + cc]) }
                } }
                if best >= 0.2 { weight[base + r * s.w + c] = bigW + 1 }
            } }
        }
        let n = included(s, m)
        let total = sums(s, x, y, m) { i, p, t in
            let d = abs(t - p), e = alpha - t
            let value: Double
            if d < theta {
                value = omega * log(1 + pow(d / eps, e))
            } else {
                let a = omega * (1 / (1 + pow(theta / eps, e))) * e * pow(theta / eps, e - 1) / eps
                let c = theta * a - omega * log(1 + pow(theta / eps, e))
                value = a * d - c
            }
            return weight[i] * value
        }
        return zip(total, n).map { $0 / (max($1, 1) * Double(s.h * s.w)) }
    }

    static func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }

    static func focal(_ s: Shape, _ x: [Double], _ y: [Double], _ m: [Double]) -> [Double] {
        let peak = peaks(s, y)
        let total = sums(s, x, y, m) { i, z, t in
            let p = sigmoid(z)
            return peak.contains(i) ? -pow(1 - p, 2) * log(p) : -pow(1 - t, 4) * p * p * log(1 - p)
        }
        return zip(total, positives(s, y, m)).map { $0 / max($1, 1) }
    }

    static func qfl(_ s: Shape, _ x: [Double], _ y: [Double], _ m: [Double]) -> [Double] {
        let total = sums(s, x, y, m) { _, z, t in
            let p = sigmoid(z)
            return -pow(abs(t - p), 2) * ((1 - t) * log(1 - p) + t * log(p))
        }
        return zip(total, positives(s, y, m)).map { $0 / max($1, 1) }
    }
}

final class LossGradientTests: XCTestCase {
    private let shape = Reference.Shape(b: 2, k: 3, h: 4, w: 4)

    /// Targets: a Gaussian-like bump per channel on channels 0 and 1, and an all-zero channel 2 (absent
    /// landmark trained toward zero). With `exactPeaks` each bump's nearest pixel is set to 1; without, the
    /// bumps keep their sub-pixel centres and peak below 0.99, as encoded targets mostly do.
    private func makeTargets(exactPeaks: Bool = true) -> [Double] {
        var y = [Double](repeating: 0, count: shape.b * shape.k * shape.h * shape.w)
        for b in 0..<shape.b { for k in 0..<2 {
            let cr = Double((b + k) % 3) + 0.3, cc = Double((2 * b + k) % 4) - 0.2
            for r in 0..<shape.h { for c in 0..<shape.w {
                let d2 = (Double(r) - cr) * (Double(r) - cr) + (Double(c) - cc) * (Double(c) - cc)
                y[((b * shape.k + k) * shape.h + r) * shape.w + c] = exp(-d2 / 2)
            } }
            let peak = ((b * shape.k + k) * shape.h + Int(cr)) * shape.w + max(Int(cc.rounded()), 0)
            if exactPeaks { y[peak] = 1 }
        } }
        return y
    }

    /// Analytic engine gradient of Σ_b w_b·L_b against central differences of the Float64 reference.
    private func check(_ loss: BaseLoss, scale: Double, exactPeaks: Bool = true, file: StaticString = #filePath, line: UInt = #line,
                       reference: (Reference.Shape, [Double], [Double], [Double]) -> [Double]) {
        var rng = RandomGenerator(seed: 7)
        let y = makeTargets(exactPeaks: exactPeaks)
        if !exactPeaks { XCTAssertLessThan(y.max()!, 0.99, "the sub-pixel case must not reach a threshold rule", file: file, line: line) }
        // Predictions near the targets plus spread, so AWing sees both of its pieces and L1 no zero residual.
        let x: [Double] = y.map { $0 + Double(rng.uniform(-1, 1)) * scale }
        let mask: [Double] = [1, 1, 1, 1, 0, 1]
        let weights: [Double] = [0.7, 1.3]

        let pred = Tensor(x.map { Float($0) }, shape: [2, 3, 4, 4], requiresGrad: true)
        let out = loss.perSample(prediction: pred, target: Tensor(y.map { Float($0) }, shape: [2, 3, 4, 4]),
                                 mask: Tensor(mask.map { Float($0) }, shape: [2, 3]))
        let refValue = reference(shape, x, y, mask)
        for b in 0..<2 {
            XCTAssertEqual(Double(out.toArray()[b]), refValue[b], accuracy: 1e-4 * max(1, abs(refValue[b])),
                           "\(loss.name) value, sample \(b)", file: file, line: line)
        }
        out.backward(Tensor(weights.map { Float($0) }, shape: [2]))
        let analytic = pred.grad!.toArray()

        let h = 1e-6
        var worst = 0.0
        for i in x.indices {
            var plus = x, minus = x
            plus[i] += h; minus[i] -= h
            let fp = zip(reference(shape, plus, y, mask), weights).reduce(0) { $0 + $1.0 * $1.1 }
            let fm = zip(reference(shape, minus, y, mask), weights).reduce(0) { $0 + $1.0 * $1.1 }
            let numeric = (fp - fm) / (2 * h)
            let err = abs(Double(analytic[i]) - numeric) / max(1e-2, abs(numeric))
            worst = max(worst, err)
            XCTAssertEqual(Double(analytic[i]), numeric, accuracy: 1e-3 * max(1e-2, abs(numeric)) + 1e-6,
                           "\(loss.name) ∂/∂x[\(i)]", file: file, line: line)
        }
        // The excluded channel (sample 1, channel 1) gets exactly zero gradient.
        let plane = 16
        XCTAssertTrue(analytic[(1 * 3 + 1) * plane..<(1 * 3 + 2) * plane].allSatisfy { $0 == 0 },
                      "\(loss.name): excluded channel has a gradient", file: file, line: line)
        XCTAssertLessThan(worst, 1e-3, file: file, line: line)
    }

    func testMSEGradient() { check(.mse, scale: 0.5, reference: Reference.mse) }
    func testL1Gradient() { check(.l1, scale: 0.5, reference: Reference.l1) }
    func testAdaptiveWingGradient() { check(.awing(AdaptiveWingLoss()), scale: 0.9, reference: Reference.awing) }
    func testFocalGradient() { check(.focal(FocalHeatmapLoss()), scale: 3, reference: Reference.focal) }
    func testQualityFocalGradient() { check(.qfl(QualityFocalLoss()), scale: 3, reference: Reference.qfl) }
    func testFocalGradientWithSubPixelPeaks() {
        check(.focal(FocalHeatmapLoss()), scale: 3, exactPeaks: false, reference: Reference.focal)
    }
    func testQualityFocalGradientWithSubPixelPeaks() {
        check(.qfl(QualityFocalLoss()), scale: 3, exactPeaks: false, reference: Reference.qfl)
    }
}
