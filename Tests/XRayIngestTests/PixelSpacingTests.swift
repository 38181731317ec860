import XCTest
@testable import XRayIngest

final class PixelSpacingTests: XCTestCase {
    /// DICOM spacing is (row, column): a horizontal step uses the column spacing.
    func testDistanceUsesColumnSpacingForX() {
        let s = PixelSpacing(rowMM: 0.2, columnMM: 0.1, source: .pixelSpacing)
        XCTAssertEqual(s.distanceMM(dx: 10, dy: 0), 1.0, accuracy: 1e-12)
        XCTAssertEqual(s.distanceMM(dx: 0, dy: 10), 2.0, accuracy: 1e-12)
        XCTAssertEqual(s.distanceMM(dx: 30, dy: 20), 5.0, accuracy: 1e-12)
    }
}
