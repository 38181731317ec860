import XCTest
@testable import Landmarks

final class LandmarksSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
