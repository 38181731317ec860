import XCTest
import XRayIngest
@testable import ContrastProtocols

/// Window sources and the MONOCHROME1 rule, against values worked out by hand.
final class WindowStepTests: XCTestCase {
    func testPercentilesMatchLinearInterpolationByHand() {
        let values: [Float] = [30, 0, 20, 10]  // sorted 0, 10, 20, 30
        let p = values.withUnsafeBufferPointer { Percentiles.compute($0, percents: [0, 50, 25, 100, 90]) }
        // rank = p/100·3: 0 → 0; 1.5 → 15; 0.75 → 7.5; 3 → 30; 2.7 → 27.
        assertClose(p, [0, 15, 7.5, 30, 27])
    }

    func testPercentilesAgreeWithSortingOnNonIntegerData() {
        // Values in a narrow range with a far outlier put many distinct values in one histogram bin.
        var values = TestImages.noise(5000).map { $0 * 1e-3 }
        values.append(1000)
        let sorted = values.sorted()
        func reference(_ p: Double) -> Float {
            let r = p / 100 * Double(sorted.count - 1), k = Int(r)
            let f = Float(r - Double(k))
            return sorted[k] + (sorted[min(k + 1, sorted.count - 1)] - sorted[k]) * f
        }
        let percents = [0.5, 1, 37.3, 50, 99, 99.99]
        let got = values.withUnsafeBufferPointer { Percentiles.compute($0, percents: percents) }
        assertClose(got, percents.map(reference), accuracy: 0)
    }

    func testIntegerPercentilesAgreeWithSorting() {
        // 12-bit-like integers take the one-bin-per-level path.
        let values = TestImages.noise(7001, seed: 8).map { ($0 * 4095).rounded() - 1024 }
        let sorted = values.sorted()
        let percents = [0, 1, 2.5, 50, 98, 99, 100]
        let expected = percents.map { p -> Float in
            let r = p / 100 * Double(sorted.count - 1), k = Int(r)
            return sorted[k] + (sorted[min(k + 1, sorted.count - 1)] - sorted[k]) * Float(r - Double(k))
        }
        let got = values.withUnsafeBufferPointer { Percentiles.compute($0, percents: percents) }
        assertClose(got, expected, accuracy: 1e-3)
    }

    func testPercentileWindow() throws {
        let image = TestImages.image(1, 101, (0...100).map { Float($0) })
        let out = try TestImages.run([.window(.percentiles(low: 10, high: 90))], on: image)
        XCTAssertEqual(out[10], 0)
        XCTAssertEqual(out[50], 0.5, accuracy: 1e-6)
        XCTAssertEqual(out[30], 0.25, accuracy: 1e-6)
        XCTAssertEqual(out[0], 0)
        XCTAssertEqual(out[95], 1)
    }

    func testDICOMLinearWindowFormula() throws {
        // c = 100, w = 51: 0 at or below c − 0.5 − (w−1)/2 = 74.5, 1 above 124.5,
        // else (x − 99.5)/50 + 0.5.
        let image = TestImages.image(1, 6, [74.5, 75, 99.5, 112, 124.5, 125], windows: [WindowPreset(center: 100, width: 51)])
        let out = try TestImages.run([.window(.voi(prefer: .window, fallback: .fullRange))], on: image)
        assertClose(out, [0, 0.01, 0.5, 0.75, 1, 1])
    }

    func testVOIChoiceBetweenWindowAndLUT() throws {
        let lut = VOILookupTable(firstMapped: 10, bitsPerEntry: 8, entries: [0, 51, 255])
        let image = TestImages.image(1, 3, [5, 11, 40], windows: [WindowPreset(center: 20.5, width: 21)], voiLUT: lut)
        // LUT: 5 → first entry 0; 11 → 51/255 = 0.2; 40 → last entry 1.
        assertClose(try TestImages.run([.window(.voi(prefer: .lut, fallback: .fullRange))], on: image), [0, 0.2, 1])
        // Window c 20.5, w 21: (x − 20)/20 + 0.5 → 5 → 0 (clamped), 11 → 0.05, 40 → 1.
        assertClose(try TestImages.run([.window(.voi(prefer: .window, fallback: .fullRange))], on: image), [0, 0.05, 1])
        // Preferring the LUT falls back to the window when there is no LUT, and vice versa.
        let windowOnly = TestImages.image(1, 3, [5, 11, 40], windows: [WindowPreset(center: 20.5, width: 21)])
        assertClose(try TestImages.run([.window(.voi(prefer: .lut, fallback: .fullRange))], on: windowOnly), [0, 0.05, 1])
    }

    func testVOIFallbacks() throws {
        let image = TestImages.image(1, 5, [0, 25, 50, 75, 100], valueRange: 0...200)
        // No VOI: full range 0...200.
        assertClose(try TestImages.run([.window(.voi(prefer: .window, fallback: .fullRange))], on: image),
                    [0, 0.125, 0.25, 0.375, 0.5])
        // No VOI: percentiles 25...75 of the image = 25...75.
        assertClose(try TestImages.run([.window(.voi(prefer: .window, fallback: .percentiles(low: 25, high: 75)))], on: image),
                    [0, 0, 0.5, 1, 1])
    }

    func testFullRangeUsesValueRangeOrTheImageExtremes() throws {
        let declared = TestImages.image(1, 3, [100, 200, 300], valueRange: 0...400)
        assertClose(try TestImages.run([.window(.fullRange)], on: declared), [0.25, 0.5, 0.75])
        let float = TestImages.image(1, 3, [100, 200, 300])
        assertClose(try TestImages.run([.window(.fullRange)], on: float), [0, 0.5, 1])
    }

    func testMonochrome1IsInvertedRightAfterTheWindow() throws {
        // Same anatomy stored both ways: MONOCHROME1 stores 4095 − v.
        let v: [Float] = [0, 1000, 2048, 4095]
        let mono2 = TestImages.image(1, 4, v, valueRange: 0...4095)
        let mono1 = TestImages.image(1, 4, v.map { 4095 - $0 }, photometric: .monochrome1, valueRange: 0...4095)
        let expected = v.map { $0 / 4095 }
        assertClose(try TestImages.run([.window(.fullRange)], on: mono2), expected)
        assertClose(try TestImages.run([.window(.fullRange)], on: mono1), expected)
        // Inversion happens before the tone curve: gamma 2 of the inverted value, not 1 − gamma.
        assertClose(try TestImages.run([.window(.fullRange), .tone(.gamma(2))], on: mono1), expected.map { $0 * $0 })
    }

    func testConstantImageDoesNotDivideByZero() throws {
        let flat = TestImages.image(2, 2, [7, 7, 7, 7])
        assertClose(try TestImages.run([.window(.percentiles(low: 1, high: 99))], on: flat), [0.5, 0.5, 0.5, 0.5])
        assertClose(try TestImages.run([.window(.fullRange)], on: flat), [0.5, 0.5, 0.5, 0.5])
    }
}
