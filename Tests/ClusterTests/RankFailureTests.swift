import Foundation
import TensorEngine
import TestSupport
import XCTest

/// A rank that dies, or stops answering, ends every rank of a training job within bounded time, with a
/// message, and leaves no half-written checkpoint.
final class RankFailureTests: XCTestCase {
    /// mpirun notices a killed rank and stops the others (each says why).
    func testKilledRankEndsTheJob() throws {
        let outcome = try trainAndDisturbRank1(with: SIGKILL, name: "kill")
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("rank 0 stopped by mpirun because another rank of the job ended"), outcome.stderr)
    }

    /// A stopped rank (alive, silent: what mpirun cannot see) is caught by the collective watchdog of the others.
    func testStoppedRankEndsTheJobThroughTheWatchdog() throws {
        let outcome = try trainAndDisturbRank1(with: SIGSTOP, name: "stop", timeout: 3)
        XCTAssertNotEqual(outcome.status, 0)
        XCTAssertTrue(outcome.stderr.contains("rank 0 waited 3 s in MPI_"), outcome.stderr)
    }

    /// Starts a long 2-rank training, waits for its first epoch, signals rank 1 and times the end of the job.
    private func trainAndDisturbRank1(with signal: Int32, name: String, timeout: Int? = nil) throws -> MPIJob.Outcome {
        let dir = try Scratch.directory(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try MPIJob.phantom(in: dir)
        let env = timeout.map { ["LANDMARK_MPI_TIMEOUT": String($0)] } ?? [:]
        let (job, err) = try MPIJob.start(MPIJob.trainArguments(out: "run", epochs: 1000), ranks: MPIJob.ranks, in: dir, environment: env)
        // Read stderr as it comes, so a full pipe never blocks the job.
        let collected = StderrCollector(err)
        defer { if job.isRunning { job.terminate() } }

        let metrics = dir.appendingPathComponent("run/metrics.csv")
        let startDeadline = Date().addingTimeInterval(60)
        while job.isRunning, Date() < startDeadline,
              ((try? String(contentsOf: metrics, encoding: .utf8))?.split(separator: "\n").count ?? 0) < 2 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertTrue(job.isRunning, "the job ended before it could be disturbed:\n\(collected.text)")
        let rank1 = try XCTUnwrap(MPIJob.rankProcess(1, of: job), "rank 1 not found among mpirun's children")
        let signalled = Date()
        kill(rank1, signal)

        let bound = 30.0
        while job.isRunning, Date().timeIntervalSince(signalled) < bound { Thread.sleep(forTimeInterval: 0.1) }
        let seconds = Date().timeIntervalSince(signalled)
        XCTAssertFalse(job.isRunning, "the job still runs \(Int(bound)) s after rank 1 got signal \(signal)")
        if job.isRunning { kill(rank1, SIGKILL); job.terminate() }
        job.waitUntilExit()

        // Whatever checkpoint exists is whole: it parses and has the model.
        let last = dir.appendingPathComponent("run/checkpoints/last.safetensors").path
        if FileManager.default.fileExists(atPath: last) {
            let archive = try SafetensorsArchive.read(from: last)
            XCTAssertTrue(archive.tensors.keys.contains { $0.hasPrefix("model.") })
        }
        return MPIJob.Outcome(status: job.terminationStatus, stderr: collected.wait(), seconds: seconds)
    }
}

/// Drains a pipe on a background thread.
private final class StderrCollector: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock(); data.append(chunk); lock.unlock()
            }
            done.signal()
        }
    }

    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }

    /// Everything, once the writer has closed the pipe.
    func wait() -> String {
        _ = done.wait(timeout: .now() + 10)
        return text
    }
}
