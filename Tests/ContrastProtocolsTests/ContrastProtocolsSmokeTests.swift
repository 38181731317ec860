import XCTest
@testable import ContrastProtocols

final class ContrastProtocolsSmokeTests: XCTestCase {
    func testModuleLoads() { XCTAssertTrue(true) }
}
