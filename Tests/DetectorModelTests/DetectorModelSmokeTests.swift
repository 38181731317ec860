import XCTest
@testable import DetectorModel

final class DetectorModelSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
