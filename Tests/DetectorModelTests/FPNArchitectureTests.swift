import TensorEngine
import XCTest
@testable import DetectorModel

final class FPNArchitectureTests: XCTestCase {
    func testR18StateDictEqualsTorchFPN() throws {
        let text = try String(contentsOfFile: try Fixtures.path("r18_state_dict.txt"), encoding: .utf8)
        var expected: [String: TensorSpec] = [:]
        var order: [String] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let shape = f[2].isEmpty ? [] : f[2].split(separator: ",").map { Int($0)! }
            expected[f[0]] = TensorSpec(dtype: f[1] == "int64" ? .i64 : .f32, shape: shape)
            order.append(f[0])
        }
        XCTAssertEqual(order.count, 132)
        let net = FPNKeypointNet(config: .r18(), seed: 1)
        XCTAssertEqual(net.stateSpecs(), expected)
        // PyTorch lists parameters and buffers per module in registration order; ours must agree.
        let mine = net.namedParameters().map { $0.0 }
        XCTAssertEqual(mine, order.filter { n in net.namedParameters().contains { $0.0 == n } })
        XCTAssertEqual(net.parameterCount, 11_445_860)
    }

    func testFLOPCountsEqualTorchFPNs() {
        XCTAssertEqual(ConvFLOPs.forward(.r18(), height: 256, width: 256), 5_903_482_880)
        XCTAssertEqual(ConvFLOPs.training(.r18(), height: 256, width: 256), 17_607_688_192)
        XCTAssertEqual(ConvFLOPs.forward(.r18(), height: 512, width: 512), 23_613_931_520)
        XCTAssertEqual(ConvFLOPs.training(.r18(), height: 512, width: 512), 70_430_752_768)
    }

    func testOutputShapesAndR50Structure() {
        let small = FPNKeypointNet(config: .small(keypoints: 3), seed: 2)
        var rng = RandomGenerator(seed: 3)
        small.eval()
        let y = withNoGrad { small(Tensor.randn([1, 1, 96, 64], rng: &rng)) }
        XCTAssertEqual(y.shape, [1, 3, 24, 16])

        let r50 = FPNKeypointNet(config: .r50(keypoints: 5), seed: 4)
        let names = Set(r50.namedParameters().map { $0.0 })
        XCTAssertTrue(names.contains("layer1.0.down.0.weight"), "first bottleneck projects 64 → 256")
        XCTAssertTrue(names.contains("layer3.5.conv3.weight"))
        XCTAssertFalse(names.contains("layer3.6.conv1.weight"))
        XCTAssertEqual(r50.lat[3].weight.shape, [256, 2048, 1, 1])
        XCTAssertEqual(r50.head.weight.shape, [5, 256, 1, 1])
        // torchvision's ResNet-50 without fc has 23,508,032 parameters with a 3-channel stem.
        let trunk = r50.namedParameters().filter { $0.0.hasPrefix("stem") || $0.0.hasPrefix("layer") }
        XCTAssertEqual(trunk.reduce(0) { $0 + $1.1.count }, 23_508_032 - 64 * 3 * 49 + 64 * 49, "1-channel stem")
        XCTAssertEqual(FPNConfig.preset(named: "r50"), .r50())
        XCTAssertNil(FPNConfig.preset(named: "r101"))
    }

    /// Moves BN running statistics and affine parameters far from their defaults, so folding has
    /// something to fold.
    private func randomiseBatchNorms(_ net: Module, seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for (_, m) in net.namedModules() {
            guard let bn = m as? BatchNorm2d else { continue }
            for i in 0..<bn.channels {
                bn.weight.data[i] = rng.uniform(0.5, 1.5)
                bn.bias.data[i] = rng.uniform(-0.3, 0.3)
                bn.runningMean.data[i] = rng.uniform(-0.5, 0.5)
                bn.runningVar.data[i] = rng.uniform(0.5, 2)
            }
        }
    }

    func testFoldedEqualsEvalForBasicAndBottleneck() {
        let configs: [FPNConfig] = [
            .small(),
            FPNConfig(block: .bottleneck, blocksPerStage: [2, 1, 1, 1], widths: [4, 8, 8, 8], stemChannels: 8,
                      fpnChannels: 8, keypoints: 3),
        ]
        for (i, config) in configs.enumerated() {
            let net = FPNKeypointNet(config: config, seed: UInt64(10 + i))
            randomiseBatchNorms(net, seed: UInt64(20 + i))
            net.eval()
            var rng = RandomGenerator(seed: UInt64(30 + i))
            let x = Tensor.randn([2, 1, 64, 64], rng: &rng)
            let reference = withNoGrad { net(x) }
            let folded = net.folded()(x)
            let err = relativeMaxError(folded, reference)
            XCTAssertLessThanOrEqual(err, 1e-5, "\(config.block): folded vs eval \(err)")
            XCTAssertGreaterThan(reference.toArray().map(abs).max()!, 1e-3, "output must not be trivially zero")
        }
    }
}
