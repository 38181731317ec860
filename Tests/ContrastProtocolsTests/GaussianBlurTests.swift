import XCTest
@testable import ContrastProtocols

/// The one blur, both borders, against a direct evaluation of the separable sums.
final class GaussianBlurTests: XCTestCase {
    /// Straight from the definition: per pass, Σ w_j·x_(i+j) over the taps, with the edge repeated or the
    /// taps outside dropped and the rest rescaled to sum to 1.
    private func reference(_ px: [Float], width: Int, height: Int, sx: Double, sy: Double, renormalize: Bool) -> [Float] {
        func pass(_ v: [Float], count: Int, lines: Int, at: (Int, Int) -> Int, kernel k: [Float]) -> [Float] {
            var out = v
            let r = k.count / 2
            for line in 0..<lines {
                for i in 0..<count {
                    var acc: Double = 0, mass: Double = 0
                    for j in -r...r {
                        let t = i + j
                        if (0..<count).contains(t) || !renormalize {
                            acc += Double(k[j + r]) * Double(v[at(line, min(max(t, 0), count - 1))])
                            mass += Double(k[j + r])
                        }
                    }
                    out[at(line, i)] = Float(renormalize ? acc / mass : acc)
                }
            }
            return out
        }
        let h = pass(px, count: width, lines: height, at: { $0 * width + $1 }, kernel: GaussianBlur.kernel(sigma: sx))
        return pass(h, count: height, lines: width, at: { $1 * width + $0 }, kernel: GaussianBlur.kernel(sigma: sy))
    }

    func testBothBordersMatchTheDefinition() {
        var g = SystemRandomNumberGenerator()
        for (w, h, sx, sy) in [(13, 9, 1.3, 2.1), (5, 4, 2.0, 0.8), (20, 3, 0.7, 0.7)] {
            let px = (0..<(w * h)).map { _ in Float.random(in: 0...1, using: &g) }
            for border in [GaussianBlur.Border.replicate, .renormalize] {
                let got = GaussianBlur.blur(px, width: w, height: h, sigmaX: sx, sigmaY: sy, border: border)
                let want = reference(px, width: w, height: h, sx: sx, sy: sy, renormalize: border == .renormalize)
                for i in got.indices { XCTAssertEqual(got[i], want[i], accuracy: 1e-5, "\(w)×\(h) \(border) pixel \(i)") }
            }
        }
    }

    func testAFlatImageStaysFlatAndTheBordersDiffer() {
        let flat = [Float](repeating: 0.25, count: 8 * 6)
        for border in [GaussianBlur.Border.replicate, .renormalize] {
            for v in GaussianBlur.blur(flat, width: 8, height: 6, sigma: 1.5, border: border) { XCTAssertEqual(v, 0.25, accuracy: 1e-6) }
        }
        // A ramp: replicating the edge pulls the end value toward itself less than dropping taps does not.
        let ramp = (0..<10).map { Float($0) }
        let rep = GaussianBlur.blur(ramp, width: 10, height: 1, sigmaX: 1.5, sigmaY: 1, border: .replicate)
        let ren = GaussianBlur.blur(ramp, width: 10, height: 1, sigmaX: 1.5, sigmaY: 1, border: .renormalize)
        XCTAssertGreaterThan(rep[0], 0, "the repeated edge lets the inner pixels raise the first one")
        XCTAssertGreaterThan(ren[0], rep[0], "dropping the outside taps weights the inner pixels more")
    }
}
