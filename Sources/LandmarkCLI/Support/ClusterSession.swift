import ArgumentParser
import Cluster
import Foundation

/// How a command runs as one rank of an `mpirun` job (docs/DISTRIBUTED.md). Without mpirun the body runs as it always did,
/// with a `SingleProcess` and no MPI call at all.
///
/// Under mpirun: the cores of a machine are split between its ranks unless threads are given; only rank 0 prints
/// results and progress (the others log warnings and errors); an error on any rank ends every rank, with the message,
/// through MPI_Abort; and a successful rank leaves MPI before exiting.
enum ClusterSession {
    /// `threads`: the command's engine threads, applied here (`EngineThreads.apply`) before the body runs.
    static func run<T>(threads: Int?, _ body: (any Communicator) throws -> T) throws -> T {
        guard LaunchMode.detect() != .single else {
            EngineThreads.apply(threads)
            return try body(SingleProcess())
        }
        let cluster = Cluster.join()
        EngineThreads.apply(threads, localRanks: LaunchMode.localRanks() ?? 1)
        if !cluster.isRoot { Console.quiet() }
        let result: T
        do {
            result = try body(cluster)
        } catch let code as ExitCode {
            // The command has already said why (logged on its rank).
            cluster.abort("stopped with exit code \(code.rawValue)", code: code.rawValue)
        } catch {
            cluster.abort("\(error)", code: 1)
        }
        cluster.finish()
        return result
    }
}
