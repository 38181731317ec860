import XCTest
import XRayIngest
@testable import ContrastProtocols

/// CLAHE against mappings computed independently (by hand, or by counting ranks).
final class CLAHETests: XCTestCase {
    private func clahe(_ values: [Float], rows: Int, columns: Int, across: Int, down: Int, clip: Double, bins: Int) throws -> [Float] {
        var px = values
        let parameters = try CLAHEParameters(tilesAcross: across, tilesDown: down, clipLimit: clip, bins: bins)
        px.withUnsafeMutableBufferPointer { CLAHE.apply(parameters, to: $0, rows: rows, columns: columns) }
        return px
    }

    func testConstantImageStaysConstant() throws {
        let out = try clahe([Float](repeating: 0.37, count: 40 * 30), rows: 30, columns: 40, across: 4, down: 3, clip: 2, bins: 64)
        XCTAssertTrue(out.allSatisfy { $0 == out[0] }, "a constant image must map to one value everywhere")
        // With clip limit 1 the clipped histogram is nearly flat, so the value barely moves.
        let gentle = try clahe([Float](repeating: 0.37, count: 40 * 30), rows: 30, columns: 40, across: 4, down: 3, clip: 1, bins: 64)
        XCTAssertEqual(gentle[0], 0.37, accuracy: 1.0 / 64)
        XCTAssertTrue(gentle.allSatisfy { $0 == gentle[0] })
    }

    func testOneTileWithoutClippingIsMidRankHistogramEqualisation() throws {
        // 2×2, 4 bins: 0.1 → bin 0 (twice), 0.6 → bin 2, 0.9 → bin 3; h = [2,0,1,1], N = 4.
        // (cdf − h/2)/N: bin 0 → (2−1)/4 = 0.25, bin 2 → (3−0.5)/4 = 0.625, bin 3 → (4−0.5)/4 = 0.875.
        let out = try clahe([0.1, 0.6, 0.1, 0.9], rows: 2, columns: 2, across: 1, down: 1, clip: .infinity, bins: 4)
        assertClose(out, [0.25, 0.625, 0.25, 0.875])
    }

    func testOneTileWithoutClippingMatchesRankCounting() throws {
        // Independent formula: (pixels in lower bins + half the pixels in the same bin) / N.
        let rows = 9, columns = 13, bins = 32
        let values = TestImages.noise(rows * columns, seed: 99)
        let binOf = values.map { min(Int($0 * Float(bins)), bins - 1) }
        let expected = binOf.map { b -> Float in
            let below = binOf.filter { $0 < b }.count, same = binOf.filter { $0 == b }.count
            return (Float(below) + Float(same) / 2) / Float(values.count)
        }
        let out = try clahe(values, rows: rows, columns: columns, across: 1, down: 1, clip: .infinity, bins: bins)
        assertClose(out, expected)
    }

    func testClippingRedistributesTheExcessByHand() throws {
        // 8 pixels, 4 bins, clip 1.5 → limit 1.5·8/4 = 3. h = [6,1,0,1] → clipped [3,1,0,1],
        // excess 3 spread as 0.75 per bin → [3.75, 1.75, 0.75, 1.75] (sums to 8).
        // (cdf − h/2)/8: bin 0 → 1.875/8 = 0.234375, bin 1 → 4.625/8 = 0.578125, bin 3 → 7.125/8 = 0.890625.
        let values: [Float] = [0.1, 0.1, 0.1, 0.3, 0.1, 0.1, 0.1, 0.9]
        let out = try clahe(values, rows: 2, columns: 4, across: 1, down: 1, clip: 1.5, bins: 4)
        assertClose(out, [0.234375, 0.234375, 0.234375, 0.578125, 0.234375, 0.234375, 0.234375, 0.890625])
    }

    func testBilinearInterpolationBetweenTileMappings() throws {
        // 1 row × 4 columns, 2 tiles across: tile 0 = columns 0-1 (centre 0.5), tile 1 = 2-3 (centre 2.5).
        // Tile 0 holds 0.1 (bin 0) and 0.6 (bin 2): mapping bin 2 → (2 − 0.5)/2 = 0.75.
        // Tile 1 holds 0.6 (bin 2) and 0.9 (bin 3): bin 2 → 0.25, bin 3 → 0.75.
        // Column 1 lies a quarter of the way from centre 0.5 to 2.5: 0.75·0.75 + 0.25·0.25 = 0.625;
        // column 2 three quarters: 0.25·0.75 + 0.75·0.25 = 0.375. Columns 0 and 3 are outside the
        // centres and use their own tile: bin 0 of tile 0 → 0.25, bin 3 of tile 1 → 0.75.
        let out = try clahe([0.1, 0.6, 0.6, 0.9], rows: 1, columns: 4, across: 2, down: 1, clip: .infinity, bins: 4)
        assertClose(out, [0.25, 0.625, 0.375, 0.75])
    }

    func testInterpolationIsSymmetricInRowsAndColumns() throws {
        // The same 4-pixel layout down a column must give the same values: rows use the same rule.
        let out = try clahe([0.1, 0.6, 0.6, 0.9], rows: 4, columns: 1, across: 1, down: 2, clip: .infinity, bins: 4)
        assertClose(out, [0.25, 0.625, 0.375, 0.75])
    }

    func testRaisesLocalContrastOfALowContrastImage() throws {
        // A gentle ramp with faint texture: CLAHE must raise the texture's local standard deviation.
        let rows = 64, columns = 80
        let noise = TestImages.noise(rows * columns, seed: 5)
        let values = (0..<(rows * columns)).map { i in 0.4 + 0.1 * Float(i % columns) / Float(columns) + 0.01 * noise[i] }
        let out = try clahe(values, rows: rows, columns: columns, across: 4, down: 4, clip: 3, bins: 256)
        let before = ContrastMeasure.meanLocalStandardDeviation(values, rows: rows, columns: columns)
        let after = ContrastMeasure.meanLocalStandardDeviation(out, rows: rows, columns: columns)
        XCTAssertGreaterThan(after, 2 * before)
        XCTAssertTrue(out.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
