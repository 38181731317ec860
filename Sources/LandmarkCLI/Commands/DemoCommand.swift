import ArgumentParser
import ContrastProtocols
import Foundation
import Landmarks

/// `landmark demo`: the whole pipeline that exists today, on the built-in synthetic set.
///
/// Today that is: synthesise a phantom X-ray folder, then ingest it under every contrast protocol.
/// Training, inference and the false-negative report join this command as they are built.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the pipeline on the built-in synthetic dataset (synth → ingest under all four protocols).")

    @Option(help: "Folder for everything the demo writes.")
    var out = "demo-output"

    @Option(help: "Number of synthetic images.")
    var count = 16

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func run() throws {
        let root = URL(fileURLWithPath: out)
        let dataset = root.appendingPathComponent("phantom")
        Console.print("demo 1/2: synthesising \(count) lateral spine radiographs")
        let synthBar = ProgressBar("synth", total: count, unit: "images")
        let summary = try Phantom.writeDataset(to: dataset, count: count, seed: seed) { done in synthBar.update(done: done) }
        Console.print(SynthReport.describe(summary))

        Console.print("demo 2/2: ingesting under every contrast protocol")
        let library = try ProtocolLibrary.load()
        let previews = root.appendingPathComponent("ingest")
        let bar = ProgressBar("ingest")
        let job = IngestJob(options: .init(inputs: [dataset.appendingPathComponent("images")], output: previews,
                                           protocols: library.entries))
        let result = try job.run { done, total in bar.update(done: done, total: total) }
        Console.print("ingest: \(result.decoded)/\(result.files) decoded, \(result.previews) previews, "
            + "\(result.failures.count) problem(s)")
        for failure in result.failures { Console.print("  \(failure.path): \(failure.reason)") }
        Console.print("""

        demo done. Look at:
          \(dataset.path)/            the X-ray folder (DICOM, landmarks.csv, phantom.json)
          \(previews.path)/inventory.csv   what every file is
          \(previews.path)/previews/       each image under higher, high, low, lower
        """)
        if result.decoded != result.files { throw ExitCode(1) }
    }
}
