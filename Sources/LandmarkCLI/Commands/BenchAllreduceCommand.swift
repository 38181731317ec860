import ArgumentParser
import Cluster
import DetectorModel
import Foundation
import TensorEngine
import Training

/// `mpirun -np N landmark bench allreduce`: what data-parallel training pays per step for communication, apart from
/// waiting for slower ranks: the bucketed gradient sum of a preset's parameters, and the latency of the small sums
/// synchronised batch norm makes (3 per batch-norm layer per step). Each timing starts after a barrier.
struct BenchAllreduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allreduce",
        abstract: "Gradient allreduce and synchronised batch-norm latency per training step, under mpirun.")

    @Option(help: "Network preset whose parameters are summed: small, r18 or r50.")
    var preset = "r18"

    @Option(help: "Landmarks (the head's output channels).")
    var keypoints = 36

    @Option(help: "Timed gradient sums (the median is reported).")
    var repeats = 20

    @Option(help: "Floats per gradient bucket.")
    var bucketElements = DataParallel.defaultBucketElements

    @OptionGroup var output: BenchOutput

    struct Line: Encodable {
        var bench = "allreduce"
        var preset: String
        var ranks: Int
        var parameters: Int
        var buckets: Int
        var batchNormLayers: Int
        var gradientMedianMS: Double
        var smallAllreduceMedianUS: Double
        var batchNormPerStepMS: Double
    }

    func run() throws {
        try ClusterSession.run(threads: 1) { cluster in
            guard let config = FPNConfig.preset(named: preset, keypoints: keypoints) else {
                throw ValidationError("unknown preset '\(preset)'")
            }
            let network = FPNKeypointNet(config: config, seed: 1)
            let parameters = network.parameters()
            let reducer = CommunicatorReducer(cluster)
            let count = parameters.reduce(0) { $0 + $1.count }
            let batchNormLayers = network.namedModules().filter { $0.1 is BatchNorm2d }.count

            var gradientTimes: [Double] = []
            for _ in 0..<max(1, repeats) {
                for p in parameters { p.grad = Tensor(repeating: 1e-3, shape: p.shape) }
                cluster.barrier()
                let t0 = Date()
                var none: [Float] = []
                allreduceGradients(parameters, replicas: reducer, bucketElements: bucketElements, scalars: &none)
                gradientTimes.append(Date().timeIntervalSince(t0))
            }
            // Synchronised batch norm's sums: C+1, C and 2C doubles; 129 stands for a typical 64-channel layer.
            var smallTimes: [Double] = []
            var small = [Double](repeating: 1, count: 129)
            for _ in 0..<200 {
                cluster.barrier()
                let t0 = Date()
                cluster.allreduceSum(&small)
                smallTimes.append(Date().timeIntervalSince(t0))
            }
            let median = { (v: [Double]) in v.sorted()[v.count / 2] }
            let smallUS = 1e6 * median(smallTimes)
            let line = Line(preset: preset, ranks: cluster.size, parameters: count,
                            buckets: (count + bucketElements - 1) / bucketElements, batchNormLayers: batchNormLayers,
                            gradientMedianMS: 1000 * median(gradientTimes), smallAllreduceMedianUS: smallUS,
                            batchNormPerStepMS: Double(3 * batchNormLayers) * smallUS / 1000)
            output.emit(String(format: "allreduce: %@ (%d parameters, %d buckets) on %d ranks: gradient sum %.1f ms (median of %d); "
                                + "small sum %.0f µs → synchronised batch norm %.1f ms per step (%d layers × 3)",
                               preset, count, line.buckets, cluster.size, line.gradientMedianMS, repeats, smallUS,
                               line.batchNormPerStepMS, batchNormLayers),
                        json: jsonLine(line))
        }
    }
}
