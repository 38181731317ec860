import Foundation

/// How this process was started: alone, or as one rank of an MPI job.
public enum LaunchMode: Equatable, Sendable {
    case single
    /// Started by mpirun (or a PMIx launcher such as srun); the world size when the launcher says it.
    case mpi(worldSize: Int?)

    /// Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE for every rank; PMIx launchers set PMIX_RANK. Without either,
    /// MPI is never initialised, so a plain run needs no MPI set-up at all.
    public static func detect(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> LaunchMode {
        if let size = environment["OMPI_COMM_WORLD_SIZE"].flatMap(Int.init) { return .mpi(worldSize: size) }
        if environment["PMIX_RANK"] != nil { return .mpi(worldSize: nil) }
        return .single
    }

    /// Processes of this job on this machine (OMPI_COMM_WORLD_LOCAL_SIZE), to split the cores between them.
    public static func localRanks(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init)
    }
}

/// Joining the job this process belongs to.
public enum Cluster {
    /// Environment variable: seconds a rank may wait in one collective before it ends the job (default 600;
    /// 0 turns the watchdog off). Pass it to every rank with `mpirun -x LANDMARK_MPI_TIMEOUT=…`.
    public static let timeoutVariable = "LANDMARK_MPI_TIMEOUT"
    public static let defaultTimeoutSeconds = 600.0

    /// A `SingleProcess` when not launched by mpirun; otherwise initialises MPI and returns the world.
    public static func join(environment: [String: String] = ProcessInfo.processInfo.environment) -> any Communicator {
        switch LaunchMode.detect(environment) {
        case .single:
            return SingleProcess()
        case .mpi:
            let timeout = environment[timeoutVariable].flatMap(Double.init) ?? defaultTimeoutSeconds
            return MPICommunicator(collectiveTimeout: timeout > 0 ? timeout : nil)
        }
    }
}
