import CMPI
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `Communicator` over MPI_COMM_WORLD (Open MPI).
///
/// Errors come back as codes (MPI_ERRORS_RETURN) so that a failed collective ends the job with a message naming the
/// rank and the operation, through MPI_Abort, which mpirun propagates to every rank. A rank that dies outright is
/// noticed by mpirun itself; a rank that hangs is caught by the `CollectiveWatchdog`. MPI calls are made from the
/// thread that initialised MPI only (MPI_THREAD_FUNNELED).
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let world: MPI_Comm
    private let watchdog: CollectiveWatchdog?
    private var finished = false

    /// Initialises MPI. `collectiveTimeout`: seconds one collective may wait before this rank ends the job; nil = no limit.
    public init(collectiveTimeout: Double?) {
        var provided: Int32 = 0
        let rc = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided)
        guard rc == MPI_SUCCESS else {
            FileHandle.standardError.write(Data("landmark: MPI_Init_thread failed (\(rc)); is this really an mpirun job?\n".utf8))
            exit(1)
        }
        world = cmpi_comm_world()
        MPI_Comm_set_errhandler(world, cmpi_errors_return())
        var r: Int32 = 0, s: Int32 = 0
        MPI_Comm_rank(world, &r)
        MPI_Comm_size(world, &s)
        rank = Int(r)
        size = Int(s)
        watchdog = collectiveTimeout.map { CollectiveWatchdog(timeout: $0, rank: Int(r)) }
        TerminationNotice.install(rank: Int(r))
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {
        guard let base = values.baseAddress, !values.isEmpty else { return }
        check("MPI_Allreduce", collective("MPI_Allreduce") {
            MPI_Allreduce(cmpi_in_place(), base, Int32(values.count), cmpi_float(), cmpi_sum(), world)
        })
    }

    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) {
        guard let base = values.baseAddress, !values.isEmpty else { return }
        check("MPI_Allreduce", collective("MPI_Allreduce") {
            MPI_Allreduce(cmpi_in_place(), base, Int32(values.count), cmpi_double(), cmpi_sum(), world)
        })
    }

    public func allgather(_ bytes: [UInt8]) -> [[UInt8]] {
        let counts = exchangeCounts(bytes.count)
        let (displacements, total) = Self.layout(counts)
        var out = [UInt8](repeating: 0, count: max(total, 1))
        check("MPI_Allgatherv", collective("MPI_Allgatherv") {
            bytes.withUnsafeBytes { src in
                out.withUnsafeMutableBytes { dst in
                    MPI_Allgatherv(src.baseAddress, Int32(bytes.count), cmpi_byte(), dst.baseAddress, counts, displacements,
                                   cmpi_byte(), world)
                }
            }
        })
        return Self.split(out, counts, displacements)
    }

    public func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]]? {
        // Every rank learns the counts (small), so only the root allocates the payload.
        let counts = exchangeCounts(bytes.count)
        let (displacements, total) = Self.layout(counts)
        var out = [UInt8](repeating: 0, count: rank == root ? max(total, 1) : 1)
        check("MPI_Gatherv", collective("MPI_Gatherv") {
            bytes.withUnsafeBytes { src in
                out.withUnsafeMutableBytes { dst in
                    MPI_Gatherv(src.baseAddress, Int32(bytes.count), cmpi_byte(), dst.baseAddress, counts, displacements,
                                cmpi_byte(), Int32(root), world)
                }
            }
        })
        return rank == root ? Self.split(out, counts, displacements) : nil
    }

    public func broadcast(_ bytes: [UInt8], root: Int) -> [UInt8] {
        var count = [Double(rank == root ? bytes.count : 0)]
        allreduceSum(&count)
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count[0]))
        guard !buffer.isEmpty else { return [] }
        check("MPI_Bcast", collective("MPI_Bcast") {
            buffer.withUnsafeMutableBytes { MPI_Bcast($0.baseAddress, Int32($0.count), cmpi_byte(), Int32(root), world) }
        })
        return buffer
    }

    public func barrier() {
        check("MPI_Barrier", collective("MPI_Barrier") { MPI_Barrier(world) })
    }

    public func abort(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("landmark: rank \(rank) of \(size): \(message)\n".utf8))
        MPI_Abort(world, code)
        exit(code)  // MPI_Abort does not return; this satisfies the type checker.
    }

    public func finish() {
        guard !finished else { return }
        finished = true
        // No watchdog here: a rank that is done may wait long for rank 0 to finish writing (or training the
        // refinement stage), and mpirun still ends the job if rank 0 dies meanwhile.
        MPI_Finalize()
    }

    // MARK: helpers

    private func collective(_ name: String, _ body: () -> Int32) -> Int32 {
        watchdog?.enter(name)
        defer { watchdog?.leave() }
        return body()
    }

    private func check(_ operation: String, _ rc: Int32) {
        guard rc != MPI_SUCCESS else { return }
        var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
        var length: Int32 = 0
        MPI_Error_string(rc, &text, &length)
        abort("\(operation) failed: \(String(cString: text)); another rank has probably failed, ending the job", code: 1)
    }

    private func exchangeCounts(_ mine: Int) -> [Int32] {
        precondition(mine < Int(Int32.max), "MPICommunicator: \(mine) bytes exceed one MPI message")
        var counts = [Double](repeating: 0, count: size)
        counts[rank] = Double(mine)
        allreduceSum(&counts)
        return counts.map { Int32($0) }
    }

    static func layout(_ counts: [Int32]) -> ([Int32], Int) {
        var displacements: [Int32] = [], total = 0
        for c in counts { displacements.append(Int32(total)); total += Int(c) }
        precondition(total < Int(Int32.max), "MPICommunicator: \(total) bytes exceed one MPI message")
        return (displacements, total)
    }

    static func split(_ buffer: [UInt8], _ counts: [Int32], _ displacements: [Int32]) -> [[UInt8]] {
        zip(counts, displacements).map { Array(buffer[Int($1)..<Int($1 + $0)]) }
    }
}
