import XCTest
@testable import TensorEngine

final class BackwardProfilingTests: XCTestCase {
    /// Instrumenting the graph must not change any gradient, and must time each op kind's backward.
    func testInstrumentedBackwardGivesSameGradients() {
        func run(instrument: Bool) -> ([[Float]], LayerProfiler) {
            var rng = RandomGenerator(seed: 21)
            let conv = Conv2d(2, 3, kernelSize: 3, padding: 1, rng: &rng)
            let bn = BatchNorm2d(3)
            let x = Tensor.randn([2, 2, 6, 6], rng: &rng)
            let profiler = LayerProfiler()
            let loss = maxPool2d(bn(conv(x)).relu(), kernel: 2).square().mean()
            if instrument { profiler.instrumentBackward(from: loss) }
            loss.backward()
            return ([conv.weight, conv.bias!, bn.weight, bn.bias].map { $0.grad!.toArray() }, profiler)
        }
        let (plain, _) = run(instrument: false)
        let (timed, profiler) = run(instrument: true)
        XCTAssertEqual(plain, timed)
        for op in ["conv2d", "maxPool2d", "relu", "square", "batchNorm2d"] {
            XCTAssertEqual(profiler.calls["\(op) (backward)"], 1, "\(profiler.calls)")
        }
    }
}
