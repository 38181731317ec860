import DetectorModel
import Foundation
import TensorEngine

/// What one benchmark run measured. Encodes to one JSON line with snake_case keys close to
/// torch_fpn.py's, so both can be tabulated together.
public struct BenchmarkResult: Codable, Equatable, Sendable {
    public var engine = "LandmarkKit"
    /// The OpenBLAS kernel set the GEMMs ran on ("SkylakeX", "Haswell"): it halves or doubles GEMM speed.
    public var blasKernels = Engine.blasCore
    public var caseName: String
    public var mode: String
    public var preset: String
    public var resolution: Int
    public var batch: Int
    public var threads: Int
    public var warmup: Int
    public var iterations: Int
    public var foldedInference: Bool
    public var medianMs: Double
    public var minMs: Double
    public var maxMs: Double
    public var imagesPerSecond: Double
    /// Conv FLOPs per image (forward for inference; 3 × forward − stem for training).
    public var convGflopPerImage: Double
    public var achievedGflops: Double
    public var peakRssMib: Double
    public var parameters: Int
    /// Training only: the MSE loss of the last timed step.
    public var finalLoss: Double?
    /// Milliseconds per iteration by layer kind (forward), by op for backward ("conv2d (backward)"),
    /// plus the totals "backward" and "optimizer" for training.
    public var profileMsPerIteration: [String: Double]?
    /// With the profile: convolution kernels by kind ("3×3 input grad"), time per iteration and the rate
    /// in dense-equivalent GFLOP/s (Winograd kernels can exceed the FMA peak by this measure).
    public var convKernels: [String: KernelFigure]?

    /// One kind of convolution kernel's share of an iteration.
    public struct KernelFigure: Codable, Equatable, Sendable {
        public var msPerIteration: Double
        public var gflops: Double
        enum CodingKeys: String, CodingKey { case msPerIteration = "ms_per_iter", gflops }
    }

    enum CodingKeys: String, CodingKey {
        case engine, blasKernels = "blas_kernels", mode, preset, resolution, batch, threads, warmup, iterations, parameters
        case caseName = "case", foldedInference = "folded_inference"
        case medianMs = "median_ms", minMs = "min_ms", maxMs = "max_ms", imagesPerSecond = "img_per_s"
        case convGflopPerImage = "conv_gflop_per_img", achievedGflops = "achieved_gflops", peakRssMib = "peak_rss_mib"
        case finalLoss = "final_loss", profileMsPerIteration = "profile_ms_per_iter", convKernels = "conv_kernels"
    }

    /// One line of JSON, keys sorted.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of plain numbers and strings cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}
