import XCTest
@testable import TensorEngine

/// Adam's exported state restores an optimiser that continues exactly as the original would.
final class AdamStateTests: XCTestCase {
    private func run(_ adam: Adam, _ p: Tensor, gradient: [Float]) {
        p.grad = Tensor(gradient, shape: p.shape)
        adam.step()
    }

    func testExportedStateContinuesBitForBit() throws {
        let a = Tensor([0.5, -1, 2], shape: [3], requiresGrad: true)
        let b = Tensor([0.5, -1, 2], shape: [3], requiresGrad: true)
        let first = Adam(parameters: [a], learningRate: 0.1, weightDecay: 0.01, decoupledWeightDecay: true)
        run(first, a, gradient: [0.3, -0.2, 0.1])
        run(first, a, gradient: [-0.1, 0.4, 0.2])

        // b catches up to a's values, then takes over a's optimiser state through the export.
        b.withUnsafeMutableBufferPointer { dst in for (i, v) in a.toArray().enumerated() { dst[i] = v } }
        let second = Adam(parameters: [b], learningRate: 0.1, weightDecay: 0.01, decoupledWeightDecay: true)
        try second.load(stateTensors: first.stateTensors())
        XCTAssertEqual(second.stepCount, 2)

        run(first, a, gradient: [0.25, 0.25, -0.5])
        run(second, b, gradient: [0.25, 0.25, -0.5])
        XCTAssertEqual(a.toArray(), b.toArray())
    }

    func testIncompleteStateIsRefusedAndChangesNothing() throws {
        let p = Tensor([1, 2], shape: [2], requiresGrad: true)
        let adam = Adam(parameters: [p], learningRate: 0.1)
        run(adam, p, gradient: [1, 1])
        var state = adam.stateTensors()
        state["optimizer.v.0"] = nil
        let fresh = Adam(parameters: [p], learningRate: 0.1)
        XCTAssertThrowsError(try fresh.load(stateTensors: state)) { error in
            XCTAssertTrue("\(error)".contains("moments of parameter 0"), "\(error)")
        }
        XCTAssertEqual(fresh.stepCount, 0)
    }
}
