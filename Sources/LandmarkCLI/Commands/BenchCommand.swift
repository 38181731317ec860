import ArgumentParser
import Benchmarks
import ContrastProtocols
import DetectorModel
import Foundation
import TensorEngine
import Training
import XRayIngest

/// `landmark bench`: throughput figures. Build in release: `swift run -c release landmark bench …`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure ingest, training and inference throughput (build with -c release).",
        subcommands: [BenchIngest.self, BenchTrain.self, BenchInfer.self, BenchAFL.self, BenchAllreduce.self])
}

/// Shared flags of the benchmark commands.
struct BenchOutput: ParsableArguments {
    @Flag(help: "One machine-readable JSON line per case instead of a table.")
    var json = false

    func emit(_ line: String, json jsonLine: String) {
        Console.print(json ? jsonLine : line)
    }
}

func jsonLine<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}

struct BenchIngest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "DICOM decode and contrast-protocol throughput on a folder, and on one large uncompressed 16-bit file.")

    @Argument(help: "Folder (or files) of DICOM images.")
    var inputs: [String]

    @Option(help: "Timed passes (the median is reported).")
    var repeats = 3

    @Option(help: "Files processed at once.")
    var threads = 1

    @Option(name: [.customLong("protocol")], help: "Protocol to time, or 'all'.")
    var protocolName = "all"

    @Option(help: "Side of the synthetic large uncompressed file (0 to skip).")
    var largeSize = 2048

    @OptionGroup var output: BenchOutput

    struct Line: Encodable {
        var bench = "ingest"
        var stage: String
        var input: String
        var threads: Int
        var images: Int
        var medianSeconds: Double
        var imagesPerSecond: Double
        var fileMBPerSecond: Double?
        var pixelMBPerSecond: Double
        enum CodingKeys: String, CodingKey {
            case bench, stage, input, threads, images
            case medianSeconds = "median_s", imagesPerSecond = "img_per_s"
            case fileMBPerSecond = "file_mb_per_s", pixelMBPerSecond = "pixel_mb_per_s"
        }
    }

    func run() throws {
        let scan = IngestScan(readers: [DICOMIngestReader()], concurrency: threads, keepImages: true)
        let entries = scan.run(inputs.map { URL(fileURLWithPath: $0) }).filter { $0.image != nil }
        guard !entries.isEmpty else { throw ValidationError("no decodable DICOM file in \(inputs.joined(separator: " "))") }
        let label = inputs.count == 1 ? inputs[0] : "\(inputs.count) inputs"
        report(IngestBenchmark.run(files: entries.map(\.url), repeats: repeats, concurrency: threads), input: label)

        let library = try ProtocolLibrary.load()
        let protocols = protocolName == "all" ? library.entries.map(\.contrastProtocol) : [try library.named(protocolName)]
        let images = entries.compactMap { $0.image?.image }
        for contrast in protocols {
            let r = ProtocolBenchmark.run(contrast, images: images, repeats: repeats, concurrency: threads)
            let line = Line(stage: "protocol:\(r.protocolName)", input: label, threads: threads, images: r.images,
                            medianSeconds: r.secondsMedian, imagesPerSecond: r.imagesPerSecond, fileMBPerSecond: nil,
                            pixelMBPerSecond: r.pixelMBPerSecond)
            output.emit(String(format: "%-18@ %-28@ %6.1f img/s  %8.1f MB/s pixels  (%d images, %d thr)",
                               line.stage as NSString, label as NSString, r.imagesPerSecond, r.pixelMBPerSecond, r.images, threads),
                        json: jsonLine(line))
        }

        if largeSize > 0 {
            report(try IngestBenchmark.runLargeUncompressed(side: largeSize, repeats: max(repeats, 5)),
                   input: "\(largeSize)x\(largeSize) 16-bit explicit LE")
        }
    }

    private func report(_ r: IngestBenchmark.Result, input: String) {
        let line = Line(stage: "decode", input: input, threads: r.concurrency, images: r.files, medianSeconds: r.secondsMedian,
                        imagesPerSecond: r.imagesPerSecond, fileMBPerSecond: r.fileMBPerSecond, pixelMBPerSecond: r.pixelMBPerSecond)
        output.emit(String(format: "%-18@ %-28@ %6.1f img/s  %8.1f MB/s files  %8.1f MB/s pixels  (%d images, %d thr%@)",
                           "decode" as NSString, input as NSString, r.imagesPerSecond, r.fileMBPerSecond, r.pixelMBPerSecond,
                           r.files, r.concurrency, (r.failures > 0 ? ", \(r.failures) failed" : "") as NSString),
                    json: jsonLine(line))
    }
}

/// Flags of every network benchmark: which network, how many threads, how many timed steps.
struct NetworkBenchArguments: ParsableArguments {
    @Option(help: "Network preset: r18 (the PyTorch reference network), r50, small or refiner (the refinement stage's patch network).")
    var preset = "r18"

    @Option(help: "Landmarks (output channels).")
    var keypoints = 36

    @Option(help: "Engine threads (OpenBLAS and the engine's own loops).")
    var threads = 2

    @Option(help: "Warm-up iterations.")
    var warmup = 5

    @Option(help: "Timed iterations (the median is reported).")
    var iterations = 20

    @OptionGroup var output: BenchOutput
}

/// Flags shared by `bench train` and `bench infer`.
struct DetectorBenchArguments: ParsableArguments {
    @OptionGroup var network: NetworkBenchArguments

    @Flag(help: "Time per layer kind (adds a clock read per layer).")
    var profile = false

    func run(_ cases: [BenchmarkCase], folded: Bool) throws {
        let n = network
        guard let config = FPNConfig.preset(named: n.preset, keypoints: n.keypoints) else {
            throw ValidationError("unknown preset '\(n.preset)'; use r18, r50, small or refiner")
        }
        EngineThreads.apply(n.threads)
        if !n.output.json {
            Console.print("CPU ISA \(VectorISA.cpu); OpenBLAS kernels \(Engine.blasCore) (\(Engine.blasISA))"
                          + (profile ? String(format: "; FMA peak of one core %.0f GFLOP/s", VectorISA.measuredFMAPeakGFLOPs()) : ""))
        }
        for benchCase in cases {
            let options = BenchmarkOptions(config: config, presetName: n.preset, warmup: n.warmup, iterations: n.iterations,
                                           foldedInference: folded, profile: profile)
            let r = DetectorBenchmark.run(benchCase, options: options)
            var line = String(format: "%-9@ %@ %dx%d b%d  %d thr  %8.1f ms/step  %6.2f img/s  %6.1f GFLOP/s (%.2f GFLOP/img)  peak RSS %.0f MiB",
                              r.caseName as NSString, r.preset as NSString, r.resolution, r.resolution, r.batch, r.threads,
                              r.medianMs, r.imagesPerSecond, r.achievedGflops, r.convGflopPerImage, r.peakRssMib)
            if let profile = r.profileMsPerIteration {
                line += "\n" + profile.sorted { $0.value > $1.value }
                    .map { String(format: "    %-14@ %8.1f ms", $0.key as NSString, $0.value) }.joined(separator: "\n")
            }
            if let kernels = r.convKernels {
                line += "\n  convolution kernels (dense-equivalent GFLOP/s):\n" + kernels.sorted { $0.value.msPerIteration > $1.value.msPerIteration }
                    .map { "    " + $0.key.padding(toLength: 22, withPad: " ", startingAt: 0)
                        + String(format: "%8.1f ms  %6.1f GFLOP/s", $0.value.msPerIteration, $0.value.gflops) }
                    .joined(separator: "\n")
            }
            n.output.emit(line, json: r.jsonLine())
        }
    }
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Training step throughput: forward + MSE + backward + Adam.")
    @Option(help: "Cases: train256 (batch 8), train512 (batch 2).")
    var cases = "train256,train512"
    @OptionGroup var arguments: DetectorBenchArguments

    func run() throws { try arguments.run(try parseCases(cases), folded: false) }
}

struct BenchInfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Inference throughput (BN folded into convolutions, ReLU fused).")
    @Option(help: "Cases: infer256 (batch 8), infer512 (batch 1), refine128 (64 patches of 128², for --preset refiner).")
    var cases = "infer256,infer512"
    @Flag(help: "Run the eval-mode network instead of the folded one.")
    var unfolded = false
    @OptionGroup var arguments: DetectorBenchArguments

    func run() throws { try arguments.run(try parseCases(cases), folded: !unfolded) }
}

private func parseCases(_ list: String) throws -> [BenchmarkCase] {
    try list.split(separator: ",").map { name in
        guard let c = BenchmarkCase.named(String(name)) else {
            throw ValidationError("unknown case '\(name)'; known: \((BenchmarkCase.all + [.refine128]).map(\.name).joined(separator: ", "))")
        }
        return c
    }
}

struct BenchAFL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "afl",
        abstract: "The cost of Adversarial Focal Loss: a training step with the plain mean and with AFL, interleaved.")
    @Option(help: "Input size in pixels (square).")
    var inputSize = 256
    @Option(help: "Images per step.")
    var batchSize = 8
    @Option(help: "Base loss")
    var loss: BaseLoss.Name = .awing
    @OptionGroup var network: NetworkBenchArguments

    func run() throws {
        var o = AFLBenchmark.Options()
        EngineThreads.apply(network.threads)
        o.preset = network.preset; o.keypoints = network.keypoints
        o.warmup = network.warmup; o.iterations = network.iterations
        o.resolution = inputSize; o.batch = batchSize; o.loss = loss
        let r = try AFLBenchmark.run(o)
        network.output.emit(String(format: "afl %@ %dx%d b%d K=%d %@ %d thr: baseline %.1f ms/step, AFL %.1f ms/step (+%.1f%%), of which the critic side %.1f ms (%d critic parameters)",
                                   r.preset as NSString, r.resolution, r.resolution, r.batch, r.keypoints, r.loss as NSString, r.threads,
                                   r.baselineMs, r.aflMs, r.overheadPercent, r.aflWeightingMs, r.criticParameters),
                            json: jsonLine(r))
    }
}
