import Foundation
import TestSupport
import XCTest

/// Runs the built `landmark` binary alone and under `mpirun -np 2`, for the tests that sharded jobs match one process.
///
/// CI (the `CI` variable set) must have Open MPI: a missing mpirun fails there. Elsewhere the tests skip with a
/// message. Each rank gets one engine thread, as CI's two-core machines need.
enum MPIJob {
    static let ranks = 2

    /// `landmark` in the build folder that holds the test bundle (on Linux the bundle URL may be that folder itself).
    static var landmark: URL {
        let bundle = Bundle(for: BundleToken.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent(), Bundle.main.bundleURL].map { $0.appendingPathComponent("landmark") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }

    static func mpirun() throws -> URL { try RequiredTool.locate("mpirun", package: "openmpi-bin") }

    /// A finished (or killed) process: its exit status, standard error, and how long it ran.
    struct Outcome {
        var status: Int32
        var stderr: String
        var seconds: Double
    }

    /// Starts `landmark arguments` (under mpirun when `ranks` is given) in `directory`; the caller waits.
    static func start(_ arguments: [String], ranks: Int?, in directory: URL, environment extra: [String: String] = [:]) throws
        -> (Process, Pipe) {
        let p = Process()
        if let ranks {
            p.executableURL = try mpirun()
            var mpiArguments = ["--allow-run-as-root", "--oversubscribe", "-np", String(ranks)]
            for key in extra.keys.sorted() { mpiArguments += ["-x", key] }
            p.arguments = mpiArguments + [landmark.path] + arguments
        } else {
            p.executableURL = landmark
            p.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = directory.appendingPathComponent("cache").path  // the runs share no cache with the user
        for (k, v) in extra { env[k] = v }
        p.environment = env
        p.currentDirectoryURL = directory
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return (p, err)
    }

    /// Runs to the end, failing the test on a non-zero status.
    @discardableResult
    static func run(_ arguments: [String], ranks: Int? = nil, in directory: URL, file: StaticString = #filePath,
                    line: UInt = #line) throws -> Outcome {
        let began = Date()
        let (p, err) = try start(arguments, ranks: ranks, in: directory)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let outcome = Outcome(status: p.terminationStatus, stderr: text, seconds: Date().timeIntervalSince(began))
        XCTAssertEqual(outcome.status, 0, "landmark \(arguments.joined(separator: " ")) (ranks \(ranks ?? 1)) failed:\n\(text.suffix(3000))",
                       file: file, line: line)
        return outcome
    }

    /// The PID of `rank` among mpirun's children (mpirun starts local ranks itself).
    static func rankProcess(_ rank: Int, of mpirun: Process) -> pid_t? {
        let children = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in children {
            guard let pid = Int32(name),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[1]) == mpirun.processIdentifier,
                  let env = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            let vars = env.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if vars.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
        }
        return nil
    }


    /// A small phantom set (12 images, 128×96): seconds to train on at 64² with the small preset.
    static func phantom(in directory: URL) throws -> String {
        try run(["synth", "--out", "ds", "--count", "12", "--rows", "128", "--columns", "96"], in: directory)
        return "ds"
    }

    /// `landmark train` arguments for a tiny, deterministic run.
    static func trainArguments(out: String, epochs: Int) -> [String] {
        ["train", "ds", "--preset", "small", "--input-size", "64", "--epochs", String(epochs), "--batch-size", "4",
         "--no-refine", "--threads", "1", "--loss", "mse", "--protocol", "high", "--seed", "5", "--out", out]
    }
}

private final class BundleToken {}
