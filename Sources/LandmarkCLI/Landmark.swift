import ArgumentParser

/// The `landmark` command: ingest X-rays, train a detector, infer landmarks, report what it missed.
@main
struct Landmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "landmark",
        abstract: "Find anatomical landmarks on X-ray images.",
        version: "0.1.0",
        subcommands: [Demo.self, Ingest.self, Synth.self, Train.self, Infer.self, Report.self, Difficulty.self, Bench.self]
    )
}
