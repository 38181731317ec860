import ArgumentParser
import Foundation
import Landmarks

/// `landmark synth`: the built-in dataset, synthetic lateral spine radiographs with known landmarks.
struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic lateral-spine X-ray folder (DICOM DX, spine-lateral-36 landmarks, hard cases marked).",
        discussion: """
        Writes images/*.dcm, landmarks.csv, splits/, dataset.yaml and phantom.json (each image's hard \
        cases: cut-off vertebrae, overlap, metal, strong curvature, low dose). Deterministic by seed.
        """)

    @Option(help: "Folder to write the dataset into.")
    var out: String

    @Option(help: "Number of images.")
    var count = 64

    @Option(help: "Random seed: the same seed gives the same images.")
    var seed: UInt64 = 1

    @Option(help: "Image rows.")
    var rows = 512

    @Option(help: "Image columns.")
    var columns = 384

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard rows >= 128, columns >= 96 else { throw ValidationError("images must be at least 128×96") }
    }

    func run() throws {
        let bar = ProgressBar("synth", total: count, unit: "images")
        let summary = try Phantom.writeDataset(to: URL(fileURLWithPath: out), count: count, seed: seed,
                                               rows: rows, columns: columns) { done in bar.update(done: done) }
        Console.print(SynthReport.describe(summary))
    }
}

/// The one-paragraph summary `synth` and `demo` print.
enum SynthReport {
    static func describe(_ s: PhantomDatasetSummary) -> String {
        let hard = s.hardCases.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
        synth: \(s.count) images (seed \(s.seed)) in \(String(format: "%.1f", s.seconds)) s → \(s.root)
          landmarks: \(s.landmarksPresent) present, \(s.landmarksAbsent) absent (cut off by the field of view)
          hard cases: \(hard.isEmpty ? "none" : hard)
          MONOCHROME1: \(s.monochrome1) of \(s.count)
        """
    }
}
