import ArgumentParser
import ContrastProtocols
import Foundation
import XRayIngest

/// `landmark ingest`: what the detector will see, and an inventory of every file.
struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Decode DICOM/TIFF X-rays; write an inventory and a preview per contrast protocol.",
        discussion: """
        Writes <out>/inventory.csv and .json (status, modality, size, transfer syntax, photometric, \
        spacing and its source, pixel_sha256, or the error), and previews/<protocol>/<file>.tif (16-bit) \
        and .png. A bad file never stops the run: every failure is listed at the end.
        """)

    @Argument(help: "DICOM or TIFF files, or folders to scan recursively.")
    var inputs: [String]

    @Option(name: [.customLong("protocol"), .short], help: "Contrast protocol name, or 'all'.")
    var protocolName = "all"

    @Option(help: "Folder to write into.")
    var out: String

    @Flag(help: "Write the inventory only, no previews.")
    var inventoryOnly = false

    @Option(help: "Frame of multi-frame files (0-based).")
    var frame = 0

    @Option(name: .customLong("protocols-dir"), help: "Extra folder of protocol YAML files (repeatable).")
    var protocolDirectories: [String] = []

    @Option(help: "Files decoded at once (default: all cores).")
    var threads: Int?

    @Flag(help: "Exit with status 1 when any file failed.")
    var strict = false

    func run() throws {
        let library = try ProtocolLibrary.load(userDirectories: protocolDirectories.map { URL(fileURLWithPath: $0) })
        let protocols = protocolName == "all" ? library.entries : [try library.entry(named: protocolName)]
        let options = IngestJob.Options(inputs: inputs.map { URL(fileURLWithPath: $0) }, output: URL(fileURLWithPath: out),
                                        previews: protocols, inventoryOnly: inventoryOnly, frame: frame,
                                        concurrency: threads ?? ProcessInfo.processInfo.activeProcessorCount)
        let bar = ProgressBar("ingest")
        let summary = try IngestJob(options: options).run { done, total in bar.update(done: done, total: total) }
        Console.print("ingest: \(summary.decoded)/\(summary.files) files decoded, \(summary.previews) previews "
            + "(\(protocols.map(\.contrastProtocol.name).joined(separator: ", "))) in \(String(format: "%.1f", summary.seconds)) s → \(out)")
        if !summary.failures.isEmpty {
            Console.print("ingest: \(summary.failures.count) problem(s):")
            for failure in summary.failures { Console.print("  \(failure.path): \(failure.reason)") }
            if strict { throw ExitCode(1) }
        }
    }
}
