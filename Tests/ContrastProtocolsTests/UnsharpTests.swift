import Foundation
import XCTest
import XRayIngest
@testable import ContrastProtocols

/// Unsharp masking on a step edge, and the millimetre-to-pixel conversion.
final class UnsharpTests: XCTestCase {
    func testKernelIsNormalisedAndThreeSigmaWide() {
        let k = GaussianBlur.kernel(sigma: 2)
        XCTAssertEqual(k.count, 13)
        XCTAssertEqual(k.reduce(0, +), 1, accuracy: 1e-6)
        XCTAssertEqual(k[6] / k[7], Float(exp(0.125)), accuracy: 1e-5)  // e^(1/(2σ²))
    }

    func testStepEdge() throws {
        // 9 rows × 40 columns: 0.2 left of column 20, 0.8 from it on; σ = 2 px (no spacing), amount 1.
        let rows = 9, columns = 40
        let pixels = (0..<(rows * columns)).map { Float($0 % columns < 20 ? 0.2 : 0.8) }
        var px = pixels
        let p = try UnsharpParameters(radiusMM: 5, fallbackRadiusPixels: 2, amount: 1)
        px.withUnsafeMutableBufferPointer { UnsharpMask.apply(p, to: $0, rows: rows, columns: columns, spacing: nil) }
        // Independent expectation: blur at column 19 = 0.2 + 0.6·(weight of offsets +1...+6).
        let w = (-6...6).map { exp(-Double($0 * $0) / 8) }
        let total = w.reduce(0, +)
        let right = w[7...].reduce(0, +) / total
        let expected19 = 0.2 + (0.2 - (0.2 + 0.6 * right))
        for y in 0..<rows {
            let row = Array(px[(y * columns)..<((y + 1) * columns)])
            XCTAssertEqual(Double(row[19]), expected19, accuracy: 1e-5)
            XCTAssertLessThan(row[19], 0.2, "undershoot on the dark side")
            XCTAssertGreaterThan(row[20], 0.8, "overshoot on the bright side")
            XCTAssertEqual(row[19] - 0.2, -(row[20] - 0.8), accuracy: 1e-5, "symmetric about the edge")
            XCTAssertEqual(row[5], 0.2, accuracy: 1e-6, "flat far from the edge")
            XCTAssertEqual(row[35], 0.8, accuracy: 1e-6)
        }
    }

    func testRadiusInMillimetresPerAxis() throws {
        let p = try UnsharpParameters(radiusMM: 2, fallbackRadiusPixels: 3, amount: 1)
        let anisotropic = PixelSpacing(rowMM: 0.2, columnMM: 0.4, source: .pixelSpacing)
        let s = UnsharpMask.sigmas(p, spacing: anisotropic)
        XCTAssertEqual(s.x, 5, accuracy: 1e-12)   // 2 mm / 0.4 mm per column
        XCTAssertEqual(s.y, 10, accuracy: 1e-12)  // 2 mm / 0.2 mm per row
        let none = UnsharpMask.sigmas(p, spacing: nil)
        XCTAssertEqual(none.x, 3)
        XCTAssertEqual(none.y, 3)
    }

    func testAnisotropicSpacingBlursEachAxisByItsOwnRadius() throws {
        // A single bright pixel: with rows twice as close as columns, the response spreads over
        // twice as many rows as columns.
        let n = 61
        var px = [Float](repeating: 0, count: n * n)
        px[30 * n + 30] = 1
        let blurred = px.withUnsafeBufferPointer { GaussianBlur.blur($0, rows: n, columns: n, sigmaX: 2, sigmaY: 4) }
        XCTAssertEqual(blurred.reduce(0, +), 1, accuracy: 1e-4)
        // Gaussian ratios: one σ away along each axis falls to e^(−1/2) of the peak.
        let peak = blurred[30 * n + 30]
        XCTAssertEqual(blurred[30 * n + 32] / peak, Float(exp(-0.5)), accuracy: 1e-3)
        XCTAssertEqual(blurred[34 * n + 30] / peak, Float(exp(-0.5)), accuracy: 1e-3)
    }

    func testBlurKeepsAConstantImage() {
        let px = [Float](repeating: 0.42, count: 7 * 5)
        let blurred = px.withUnsafeBufferPointer { GaussianBlur.blur($0, rows: 5, columns: 7, sigmaX: 3, sigmaY: 3) }
        assertClose(blurred, px)
    }
}
