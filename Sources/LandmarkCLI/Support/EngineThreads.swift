import ArgumentParser
import Foundation
import TensorEngine

/// `--threads` of every command that runs the network. The value is applied once, by `EngineThreads.apply`.
struct EngineThreadsOption: ParsableArguments {
    @Option(help: "Engine threads (default: LANDMARK_THREADS or all cores, split between a machine's ranks under mpirun). Results are reproducible for a given count.")
    var threads: Int?

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
    }
}

/// The one place that sets `Engine.threads`. Libraries never set it: a job runs on whatever the command chose.
enum EngineThreads {
    /// `requested` (a flag or a config file's `threads:`) wins. Otherwise, with `localRanks` (ranks of an mpirun
    /// job on this machine) and no LANDMARK_THREADS, the machine's cores are split between its ranks so they do not
    /// oversubscribe it. Otherwise the engine's default stands: LANDMARK_THREADS or all active cores.
    static func apply(_ requested: Int?, localRanks: Int? = nil) {
        if let requested {
            Engine.threads = requested
        } else if let local = localRanks, ProcessInfo.processInfo.environment["LANDMARK_THREADS"] == nil {
            Engine.threads = max(1, ProcessInfo.processInfo.activeProcessorCount / max(local, 1))
        }
    }
}
