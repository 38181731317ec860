import ArgumentParser
import ClinicalDICOM

/// The `landmark` command: ingest X-rays, train a detector, infer landmarks, report what it missed.
@main
struct Landmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landmark",
        abstract: "Find anatomical landmarks on X-ray images.",
        version: AlgorithmIdentity.toolkitVersion, // the version clinical objects name, too
        subcommands: [Demo.self, Ingest.self, Synth.self, Train.self, Infer.self, Report.self, Difficulty.self, Bench.self]
    )
}
