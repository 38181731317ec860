import DetectorModel
import Foundation
import TensorEngine
import Training

/// The library side of `landmark bench afl`: what Adversarial Focal Loss adds to a training step.
///
/// Times the trainer's step (forward, per-sample base loss, weighting, backward, Adam) with the plain batch
/// mean and with AFL, whose weighting extracts both topologies, scores difficulty and takes the critic's
/// WGAN-GP step through double backward. The two are interleaved step by step, so a change in machine load
/// during the run hits both alike.
public enum AFLBenchmark {
    public struct Options: Sendable {
        public var preset: String = "r18"
        public var keypoints: Int = 36
        public var resolution: Int = 256
        public var batch: Int = 8
        public var loss: BaseLoss.Name = .awing
        public var warmup: Int = 3
        public var iterations: Int = 10
        public var seed: UInt64 = 1
        public init() {}
    }

    /// Medians in milliseconds per step.
    public struct Result: Sendable, Codable {
        public var preset: String
        public var keypoints: Int
        public var resolution: Int
        public var batch: Int
        public var loss: String
        public var threads: Int
        public var iterations: Int
        public var baselineMs: Double
        public var aflMs: Double
        /// Time inside AFL's weighting alone (topologies, difficulty, critic update).
        public var aflWeightingMs: Double
        public var criticParameters: Int
        public var overheadPercent: Double { (aflMs / baselineMs - 1) * 100 }
    }

    public static func run(_ o: Options) throws -> Result {
        guard let config = FPNConfig.preset(named: o.preset, keypoints: o.keypoints) else {
            throw TrainerError.configuration("unknown preset '\(o.preset)'")
        }
        let loss = BaseLoss(o.loss)
        var rng = RandomGenerator(seed: o.seed)
        // One network for both arms: the cost of a step does not depend on the weights' values.
        let model = FPNKeypointNet(config: config, rng: &rng)
        model.train()
        let adam = Adam(parameters: model.parameters(), learningRate: 1e-4)
        let size = o.resolution / FPNConfig.outputStride
        let x = Tensor.randn([o.batch, config.inputChannels, o.resolution, o.resolution], rng: &rng)
        let y = benchmarkGaussianHeatmaps(batch: o.batch, keypoints: o.keypoints, size: size, rng: &rng)
        let m = Tensor(Array(repeating: 1, count: o.batch * o.keypoints), shape: [o.batch, o.keypoints])
        let mean = MeanWeighting()
        let afl = AFLWeighting(keypoints: o.keypoints, config: AFLConfig(), outputIsLogit: loss.outputIsLogit, seed: o.seed)

        var baseline: [Double] = [], weighted: [Double] = [], weighting: [Double] = []
        for i in 0..<(o.warmup + o.iterations) {
            for (arm, w) in [(0, mean as any SampleWeighting), (1, afl as any SampleWeighting)] {
                let t0 = monotonicSeconds()
                adam.zeroGrad()
                let out = model(x)
                let perSample = loss.perSample(prediction: out, target: y, mask: m)
                let t1 = monotonicSeconds()
                let reduced = w.reduce(perSample, context: WeightingContext(predictions: out, targets: y, masks: m,
                                                                            ids: [], epoch: 1, step: i))
                let t2 = monotonicSeconds()
                reduced.loss.backward()
                adam.step()
                let t3 = monotonicSeconds()
                guard i >= o.warmup else { continue }
                if arm == 0 { baseline.append(t3 - t0) } else { weighted.append(t3 - t0); weighting.append(t2 - t1) }
            }
        }
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        return Result(preset: o.preset, keypoints: o.keypoints, resolution: o.resolution, batch: o.batch, loss: loss.name,
                      threads: Engine.threads, iterations: o.iterations, baselineMs: median(baseline) * 1000,
                      aflMs: median(weighted) * 1000, aflWeightingMs: median(weighting) * 1000,
                      criticParameters: afl.critic.network.parameterCount)
    }
}
