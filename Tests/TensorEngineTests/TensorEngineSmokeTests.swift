import XCTest
@testable import TensorEngine

final class TensorEngineSmokeTests: XCTestCase {
    func testAddBackward() {
        let a = Tensor([1, 2, 3], shape: [3], requiresGrad: true)
        let b = Tensor([4, 5, 6], shape: [3], requiresGrad: true)
        (a * b).sum().backward()
        XCTAssertEqual(a.grad?.toArray(), [4, 5, 6])
        XCTAssertEqual(b.grad?.toArray(), [1, 2, 3])
    }
}
