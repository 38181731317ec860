import Foundation
import XCTest
@testable import TensorEngine

/// A two-level module shaped like a ResNet fragment, to check names, modes and state-dict I/O.
private final class Block: Module, Layer {
    let conv1: Conv2d, bn1: BatchNorm2d
    var kind: String { "block" }
    init(rng: inout RandomGenerator) {
        conv1 = Conv2d(2, 3, kernelSize: 3, padding: 1, bias: false, rng: &rng)
        bn1 = BatchNorm2d(3)
        super.init()
        register(child: conv1, as: "conv1")
        register(child: bn1, as: "bn1")
    }
    func forward(_ x: Tensor) -> Tensor { bn1(conv1(x)).relu() }
}

private final class Net: Module, Layer {
    let layer1: Sequential, fc: Linear
    var kind: String { "sequential" }
    init(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        // A block, then a bare conv + BN pair: names nest two Sequential levels deep ("layer1.1.0").
        layer1 = Sequential([Block(rng: &rng), Sequential([Conv2d(3, 3, kernelSize: 1, rng: &rng), BatchNorm2d(3)])])
        fc = Linear(3, 2, rng: &rng)
        super.init()
        register(child: layer1, as: "layer1")
        register(child: fc, as: "fc")
    }
    func forward(_ x: Tensor) -> Tensor { fc(layer1(x).mean(axes: [2, 3])) }
}

final class ModuleStateDictTests: XCTestCase {
    func testHierarchicalNamesMatchPyTorch() {
        let net = Net(seed: 1)
        XCTAssertEqual(net.namedParameters().map { $0.0 }, [
            "layer1.0.conv1.weight", "layer1.0.bn1.weight", "layer1.0.bn1.bias",
            "layer1.1.0.weight", "layer1.1.0.bias", "layer1.1.1.weight", "layer1.1.1.bias",
            "fc.weight", "fc.bias",
        ])
        XCTAssertEqual(net.namedBuffers().map { $0.0 }, [
            "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var", "layer1.1.1.running_mean", "layer1.1.1.running_var",
        ])
        XCTAssertEqual(net.namedCounters().map { $0.0 }, ["layer1.0.bn1.num_batches_tracked", "layer1.1.1.num_batches_tracked"])
        XCTAssertTrue(net.parameters().allSatisfy { $0.requiresGrad })
        XCTAssertEqual(net.parameterCount, 54 + 3 + 3 + 9 + 3 + 3 + 3 + 6 + 2)
    }

    func testTrainEvalPropagatesAndCountsBatches() {
        let net = Net(seed: 2)
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.randn([2, 2, 4, 4], rng: &rng)
        _ = net(x)
        let bn = (net.layer1.layers[0] as! Block).bn1
        XCTAssertEqual(bn.numBatchesTracked.value, 1)
        XCTAssertNotEqual(bn.runningMean.toArray(), [0, 0, 0], "training forward must update running stats")
        net.eval()
        XCTAssertTrue(net.namedModules().allSatisfy { !$0.1.isTraining })
        let before = bn.runningMean.toArray()
        _ = withNoGrad { net(x) }
        XCTAssertEqual(bn.numBatchesTracked.value, 1)
        XCTAssertEqual(bn.runningMean.toArray(), before)
    }

    func testDefaultInitialisationBounds() {
        var rng = RandomGenerator(seed: 4)
        let conv = Conv2d(4, 8, kernelSize: 3, rng: &rng)
        let bound = 1 / Float(36).squareRoot()
        XCTAssertTrue(conv.weight.toArray().allSatisfy { abs($0) <= bound })
        XCTAssertTrue(conv.bias!.toArray().allSatisfy { abs($0) <= bound })
        // Spread close to the uniform's: std = bound/√3 (288 samples).
        let w = conv.weight.toArray()
        let std = (w.map { $0 * $0 }.reduce(0, +) / Float(w.count)).squareRoot()
        XCTAssertEqual(std, bound / Float(3).squareRoot(), accuracy: 0.15 * bound)
        // Same seed, same weights.
        var rng2 = RandomGenerator(seed: 4)
        XCTAssertEqual(Conv2d(4, 8, kernelSize: 3, rng: &rng2).weight.toArray(), w)
    }

    func testStateDictRoundTripThroughFile() throws {
        let a = Net(seed: 5), b = Net(seed: 6)
        var rng = RandomGenerator(seed: 7)
        _ = a(Tensor.randn([2, 2, 4, 4], rng: &rng))  // move running stats and counters off their defaults
        let path = NSTemporaryDirectory() + "module-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try a.save(to: path, metadata: ["arch": "test"])
        let keep = b.fc.weight
        try b.load(contentsOf: path)
        XCTAssertTrue(keep === b.fc.weight, "loading must write into the existing tensors")
        for ((na, ta), (nb, tb)) in zip(a.namedParameters() + a.namedBuffers(), b.namedParameters() + b.namedBuffers()) {
            XCTAssertEqual(na, nb)
            XCTAssertEqual(ta.toArray(), tb.toArray(), na)
        }
        XCTAssertEqual(b.namedCounters().map { $0.1.value }, [1, 1])
        XCTAssertEqual(try SafetensorsArchive.read(from: path).metadata["arch"], "test")
        XCTAssertEqual(try SafetensorsArchive.read(from: path).tensors["layer1.0.bn1.num_batches_tracked"]?.dtype, .i64)
    }

    func testMismatchedStateDictChangesNothingAndListsEverything() throws {
        let a = Net(seed: 8), b = Net(seed: 9)
        var archive = a.stateDict()
        archive.tensors["fc.weight"] = try SafetensorsTensor(float32: [Float](repeating: 0, count: 9), shape: [3, 3])
        archive.tensors.removeValue(forKey: "layer1.0.bn1.running_var")
        archive.tensors["extra.weight"] = try SafetensorsTensor(float32: [1], shape: [1])
        archive.tensors["layer1.0.bn1.num_batches_tracked"] = try SafetensorsTensor(float32: [1], shape: [])
        let before = (b.namedParameters() + b.namedBuffers()).map { $0.1.toArray() }
        XCTAssertThrowsError(try b.load(stateDict: archive, source: "bad.safetensors")) { error in
            guard case let .mismatch(file, problems)? = error as? SafetensorsError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "bad.safetensors")
            XCTAssertEqual(problems.count, 4, "\(problems)")
            XCTAssertTrue(problems.contains(.shapeMismatch(name: "fc.weight", expected: [2, 3], found: [3, 3])))
            XCTAssertTrue(problems.contains(.missing(name: "layer1.0.bn1.running_var", expected: TensorSpec(shape: [3]))))
            XCTAssertTrue(problems.contains(.unexpected(name: "extra.weight", found: TensorSpec(shape: [1]))))
            XCTAssertTrue(problems.contains(.dtypeMismatch(name: "layer1.0.bn1.num_batches_tracked", expected: .i64, found: .f32)))
        }
        XCTAssertEqual((b.namedParameters() + b.namedBuffers()).map { $0.1.toArray() }, before)
    }

    func testCorruptFileLeavesModelUntouched() throws {
        let net = Net(seed: 10)
        let path = NSTemporaryDirectory() + "corrupt-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bytes = try Net(seed: 11).stateDict().encode()
        try Data(bytes.dropLast(3)).write(to: URL(fileURLWithPath: path))
        let before = net.fc.weight.toArray()
        XCTAssertThrowsError(try net.load(contentsOf: path)) { error in
            XCTAssertTrue("\(error)".contains(path))
        }
        XCTAssertEqual(net.fc.weight.toArray(), before)
    }

    func testLayerProfilerAttributesLeafTime() {
        let net = Net(seed: 12)
        var rng = RandomGenerator(seed: 13)
        let profiler = LayerProfiler()
        LayerProfiler.active = profiler
        defer { LayerProfiler.active = nil }
        _ = net(Tensor.randn([1, 2, 4, 4], rng: &rng))
        XCTAssertEqual(profiler.calls["conv2d"], 2)
        XCTAssertEqual(profiler.calls["batchNorm2d"], 2)
        XCTAssertEqual(profiler.calls["linear"], 1)
        XCTAssertNil(profiler.calls["sequential"])
        XCTAssertNil(profiler.calls["block"])
    }
}
