import DetectorModel
import TensorEngine

/// The library side of `landmark bench train|infer`: builds the network, times steps after a warm-up
/// and reports medians, FLOP rates, peak RSS and (optionally) a per-layer-kind profile.
public enum DetectorBenchmark {
    /// Runs one case. Training: zero grads, forward (BN in train mode), MSE against Gaussian
    /// heatmaps (σ = 2), backward, Adam(lr 1e-3). Inference: eval-mode forward without a graph,
    /// through the folded network unless `options.foldedInference` is false. Runs on `Engine.threads`, which the
    /// caller sets.
    public static func run(_ benchCase: BenchmarkCase, options: BenchmarkOptions = BenchmarkOptions()) -> BenchmarkResult {
        var rng = RandomGenerator(seed: options.seed)
        let config = options.config
        let model = FPNKeypointNet(config: config, rng: &rng)
        let res = benchCase.resolution
        let x = Tensor.randn([benchCase.batch, config.inputChannels, res, res], rng: &rng)
        let profiler = LayerProfiler()
        var backwardSeconds = 0.0, optimizerSeconds = 0.0
        var times: [Double] = []
        var lastLoss: Float?

        switch benchCase.mode {
        case .train:
            model.train()
            let y = benchmarkGaussianHeatmaps(batch: benchCase.batch, keypoints: config.keypoints,
                                           size: res / FPNConfig.outputStride, rng: &rng)
            let adam = Adam(parameters: model.parameters(), learningRate: 1e-3)
            for i in 0..<(options.warmup + options.iterations) {
                let timed = i >= options.warmup
                LayerProfiler.active = (timed && options.profile) ? profiler : nil
                let t0 = monotonicSeconds()
                adam.zeroGrad()
                let loss = benchmarkMSE(model(x), y)
                if timed && options.profile { profiler.instrumentBackward(from: loss) }
                let t1 = monotonicSeconds()
                loss.backward()
                let t2 = monotonicSeconds()
                adam.step()
                let t3 = monotonicSeconds()
                if timed {
                    times.append(t3 - t0)
                    backwardSeconds += t2 - t1
                    optimizerSeconds += t3 - t2
                    lastLoss = loss.scalar
                }
            }
        case .infer:
            model.eval()
            let folded = options.foldedInference ? model.folded() : nil
            for i in 0..<(options.warmup + options.iterations) {
                let timed = i >= options.warmup
                LayerProfiler.active = (timed && options.profile) ? profiler : nil
                let t0 = monotonicSeconds()
                let out = withNoGrad { folded.map { $0(x) } ?? model(x) }
                if timed { times.append(monotonicSeconds() - t0) }
                precondition(out.shape[1] == config.keypoints, "benchmark: unexpected output \(out.shape)")
            }
        }
        LayerProfiler.active = nil

        let sorted = times.sorted()
        let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let flopsPerImage = benchCase.mode == .train
            ? ConvFLOPs.training(config, height: res, width: res) : ConvFLOPs.forward(config, height: res, width: res)
        var profile: [String: Double]?
        var kernels: [String: BenchmarkResult.KernelFigure]?
        if options.profile {
            let n = Double(options.iterations)
            var p = profiler.seconds.mapValues { $0 * 1000 / n }
            if benchCase.mode == .train {
                p["backward"] = backwardSeconds * 1000 / n
                p["optimizer"] = optimizerSeconds * 1000 / n
            }
            profile = p
            kernels = profiler.kernels.mapValues {
                BenchmarkResult.KernelFigure(msPerIteration: $0.seconds * 1000 / n, gflops: $0.flops / $0.seconds / 1e9)
            }
        }
        return BenchmarkResult(
            caseName: benchCase.name, mode: benchCase.mode.rawValue, preset: options.presetName, resolution: res,
            batch: benchCase.batch, threads: Engine.threads, warmup: options.warmup, iterations: options.iterations,
            foldedInference: benchCase.mode == .infer && options.foldedInference,
            medianMs: median * 1000, minMs: sorted.first! * 1000, maxMs: sorted.last! * 1000,
            imagesPerSecond: Double(benchCase.batch) / median,
            convGflopPerImage: Double(flopsPerImage) / 1e9,
            achievedGflops: Double(flopsPerImage) * Double(benchCase.batch) / median / 1e9,
            peakRssMib: peakResidentMiB(), parameters: model.parameterCount,
            finalLoss: lastLoss.map(Double.init), profileMsPerIteration: profile, convKernels: kernels)
    }
}

/// Mean squared error over all elements (PyTorch's mse_loss, reduction "mean"). Apart from the
/// project's losses, which live with the trainer: it serves the benchmark and the learning test.
public func benchmarkMSE(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    precondition(prediction.shape == target.shape, "benchmarkMSE: \(prediction.shape) vs \(target.shape)")
    return LayerProfiler.measure("loss") { (prediction - target).square().mean() }
}
