import Foundation
import XCTest
import XRayIngest
@testable import ContrastProtocols

/// Whole-pipeline properties of the shipped protocols on synthetic radiograph-like images.
final class ProtocolPipelineTests: XCTestCase {
    /// A 12-bit "hand": soft-tissue disc with brighter "bones" and noise, width ≠ height.
    private func phantom(rows: Int, columns: Int) -> [Float] {
        let noise = TestImages.noise(rows * columns, seed: 3)
        return (0..<(rows * columns)).map { i in
            let y = Double(i / columns) / Double(rows), x = Double(i % columns) / Double(columns)
            var v = 300.0
            if (x - 0.5) * (x - 0.5) + (y - 0.5) * (y - 0.5) < 0.12 { v = 1500 }
            if abs(x - 0.45) < 0.03 || abs(x - 0.6) < 0.025 { v += 1800 * (0.6 + 0.4 * y) }
            return Float(v + 60 * Double(noise[i]))
        }
    }

    func testMonochrome1AndMonochrome2GiveTheSameOutputForEveryShippedProtocol() throws {
        let rows = 90, columns = 70
        let v = phantom(rows: rows, columns: columns)
        let spacing = PixelSpacing(rowMM: 0.3, columnMM: 0.3, source: .pixelSpacing)
        let mono2 = TestImages.image(rows, columns, v, spacing: spacing, valueRange: 0...4095)
        let mono1 = TestImages.image(rows, columns, v.map { 4095 - $0 }, photometric: .monochrome1, spacing: spacing,
                                     valueRange: 0...4095)
        for p in try ProtocolLibrary.embedded().entries.map(\.contrastProtocol) {
            let a = p.apply(to: mono2), b = p.apply(to: mono1)
            assertClose(a.pixels, b.pixels, accuracy: 2e-3, p.name)
            // Bone bright: the bone column is brighter than the soft tissue beside it.
            XCTAssertGreaterThan(b[45, Int(0.45 * Double(columns))], b[45, Int(0.3 * Double(columns))], p.name)
        }
    }

    func testOutputKeepsSizeAndSpacingAndStaysInUnitRange() throws {
        let rows = 50, columns = 80
        let spacing = PixelSpacing(rowMM: 0.2, columnMM: 0.25, source: .tiffResolution)
        let image = TestImages.image(rows, columns, phantom(rows: rows, columns: columns), spacing: spacing, valueRange: 0...4095)
        for p in try ProtocolLibrary.embedded().entries.map(\.contrastProtocol) {
            let out = p.apply(to: image)
            XCTAssertEqual(out.rows, rows)
            XCTAssertEqual(out.columns, columns)
            XCTAssertEqual(out.spacing, spacing)
            XCTAssertTrue(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, p.name)
        }
    }

    /// Finer columns than rows make the horizontal blur kernel the longer one; both anisotropies must
    /// run (the shared tap buffer was once sized for the vertical kernel only and trapped).
    func testAnisotropicSpacingInBothDirections() throws {
        let rows = 40, columns = 60
        for spacing in [PixelSpacing(rowMM: 0.2, columnMM: 0.1, source: .pixelSpacing),
                        PixelSpacing(rowMM: 0.1, columnMM: 0.2, source: .pixelSpacing)] {
            let image = TestImages.image(rows, columns, phantom(rows: rows, columns: columns), spacing: spacing, valueRange: 0...4095)
            for p in try ProtocolLibrary.embedded().entries.map(\.contrastProtocol) {
                let out = p.apply(to: image)
                XCTAssertEqual(out.pixels.count, rows * columns, "\(p.name) \(spacing)")
                XCTAssertTrue(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(p.name) \(spacing)")
            }
        }
    }

    func testShippedOrderOnAPhantom() throws {
        let rows = 120, columns = 100
        let image = TestImages.image(rows, columns, phantom(rows: rows, columns: columns),
                                     spacing: PixelSpacing(rowMM: 0.3, columnMM: 0.3, source: .pixelSpacing), valueRange: 0...4095)
        let library = try ProtocolLibrary.embedded()
        let measures = try ProtocolLibrary.shippedNames.map {
            ContrastMeasure.meanLocalStandardDeviation(try library.named($0).apply(to: image))
        }
        XCTAssertEqual(measures, measures.sorted(by: >), "\(measures)")
        XCTAssertEqual(Set(measures).count, 4)
    }
}

/// Float TIFFs can carry NaN and infinities; no protocol may trap on them.
final class NonFinitePixelTests: XCTestCase {
    func testShippedProtocolsSurviveNaNAndInfinity() throws {
        var pixels = TestImages.noise(40 * 30, seed: 4).map { $0 * 100 }
        pixels[5] = .nan
        pixels[77] = .infinity
        pixels[300] = -.infinity
        let image = TestImages.image(30, 40, pixels)
        for p in try ProtocolLibrary.embedded().entries.map(\.contrastProtocol) {
            let out = p.apply(to: image)
            XCTAssertTrue(out.pixels.allSatisfy { $0 >= 0 && $0 <= 1 }, p.name)
        }
        // Percentiles and the full range ignore the non-finite values.
        let finite = pixels.filter(\.isFinite)
        let range = try TestImages.run([.window(.fullRange)], on: image)
        let lo = finite.min()!, hi = finite.max()!
        XCTAssertEqual(range[0], (pixels[0] - lo) / (hi - lo), accuracy: 1e-5)
        XCTAssertEqual(range[5], 0, "NaN → 0")
        XCTAssertEqual(range[77], 1, "+∞ → 1")
        XCTAssertEqual(range[300], 0, "−∞ → 0")
    }
}
