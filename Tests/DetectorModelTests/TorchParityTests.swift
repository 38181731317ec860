import TensorEngine
import XCTest
import Benchmarks
@testable import DetectorModel

/// The small preset against PyTorch's outputs for the same weights and input
/// (Tests/DetectorModelTests/Fixtures, from scripts/make_fpn_fixture.py).
final class TorchParityTests: XCTestCase {
    private static let tolerance = 1e-4

    private func loadedModel() throws -> FPNKeypointNet {
        let net = FPNKeypointNet(config: .small(), seed: 0)
        try net.load(contentsOf: try Fixtures.path("small_fpn_weights.safetensors"))
        return net
    }

    func testTrainModeForwardRunningStatsAndGradients() throws {
        let io = try Fixtures.archive("small_fpn_io.safetensors")
        let net = try loadedModel()
        net.train()
        let out = net(try io.tensor("input"))
        let e = relativeMaxError(out, try io.tensor("output_train"))
        XCTAssertLessThanOrEqual(e, Self.tolerance, "train-mode output differs from PyTorch: \(e)")

        for (name, buffer) in net.namedBuffers() {
            let err = relativeMaxError(buffer, try io.tensor("after." + name))
            XCTAssertLessThanOrEqual(err, Self.tolerance, "running stat \(name) after the train forward: \(err)")
        }
        for (name, counter) in net.namedCounters() {
            XCTAssertEqual(counter.value, io.tensors["after." + name]?.int64s().first, name)
            XCTAssertEqual(counter.value, 4, "fixture starts at 3 and one train forward adds 1")
        }

        let loss = benchmarkMSE(out, try io.tensor("target"))
        XCTAssertEqual(Double(loss.scalar), Double(try io.tensor("loss").scalar), accuracy: 1e-4 * Double(loss.scalar))
        loss.backward()
        for (name, p) in net.namedParameters() {
            guard let g = p.grad else { XCTFail("no gradient for \(name)"); continue }
            let err = relativeMaxError(g, try io.tensor("grad." + name))
            XCTAssertLessThanOrEqual(err, Self.tolerance, "gradient of \(name): \(err)")
        }
    }

    func testEvalModeForwardAndFoldedNetwork() throws {
        let io = try Fixtures.archive("small_fpn_io.safetensors")
        let net = try loadedModel()
        net.eval()
        let expected = try io.tensor("output_eval")
        let out = withNoGrad { net(try! io.tensor("input")) }
        XCTAssertLessThanOrEqual(relativeMaxError(out, expected), Self.tolerance)
        let folded = net.folded()(try io.tensor("input"))
        XCTAssertLessThanOrEqual(relativeMaxError(folded, expected), Self.tolerance)
        // Eval mode must not touch the running statistics or counters.
        XCTAssertEqual(net.namedCounters().map { $0.1.value }, Array(repeating: 3, count: net.namedCounters().count))
    }

    func testWeightsRoundTripToIdenticalFile() throws {
        let net = try loadedModel()
        let original = try Fixtures.archive("small_fpn_weights.safetensors")
        let mine = net.stateDict()
        XCTAssertEqual(Set(mine.tensors.keys), Set(original.tensors.keys))
        for (name, t) in original.tensors {
            XCTAssertEqual(mine.tensors[name], t, name)
        }
    }
}
