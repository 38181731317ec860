import XCTest
@testable import ContrastProtocols

final class ContrastMeasureTests: XCTestCase {
    func testConstantImageHasNoContrast() {
        XCTAssertEqual(ContrastMeasure.meanLocalStandardDeviation([Float](repeating: 0.3, count: 100), rows: 10, columns: 10), 0,
                       accuracy: 1e-9)
    }

    func testCheckerboard() {
        let rows = 12, columns = 15
        let board = (0..<(rows * columns)).map { Float((($0 / columns) + ($0 % columns)) % 2) }
        // 2×2: two 0s and two 1s → σ = 0.5 everywhere.
        XCTAssertEqual(ContrastMeasure.meanLocalStandardDeviation(board, rows: rows, columns: columns, window: 2), 0.5, accuracy: 1e-9)
        // 7×7: 25 of one value and 24 of the other → σ = √(25·24)/49.
        XCTAssertEqual(ContrastMeasure.meanLocalStandardDeviation(board, rows: rows, columns: columns), (600.0).squareRoot() / 49,
                       accuracy: 1e-9)
    }

    func testHandComputedWindows() {
        // 3 rows × 4 columns, 3×3 windows at columns 0-2 and 1-3.
        // Left window: eight 0s and one 9 → mean 1, mean square 9, σ = √8.
        // Right window: all 0 → σ = 0. Mean = √8 / 2.
        var pixels = [Float](repeating: 0, count: 12)
        pixels[0] = 9
        XCTAssertEqual(ContrastMeasure.meanLocalStandardDeviation(pixels, rows: 3, columns: 4, window: 3), 8.0.squareRoot() / 2,
                       accuracy: 1e-9)
        XCTAssertEqual(ContrastMeasure.meanLocalStandardDeviation(pixels, rows: 3, columns: 4, window: 7), 0,
                       "smaller than the window")
    }
}
