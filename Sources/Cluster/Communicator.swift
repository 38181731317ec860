/// The collective operations a data-parallel job needs, over the ranks of one job.
///
/// Every rank must call the same collectives in the same order. A collective that fails ends the whole job
/// (`MPICommunicator`): a data-parallel step cannot carry on with a rank missing, and returning an error would
/// only let the other ranks wait for it.
public protocol Communicator: AnyObject {
    /// This process's index, 0..<size; rank 0 writes the job's files.
    var rank: Int { get }
    /// Number of processes in the job.
    var size: Int { get }
    /// Element-wise sum over all ranks, in place; every rank receives the result.
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>)
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>)
    /// Every rank's bytes, in rank order, on every rank.
    func allgather(_ bytes: [UInt8]) -> [[UInt8]]
    /// Every rank's bytes, in rank order, on `root`; nil on the other ranks.
    func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]]?
    /// `root`'s bytes on every rank.
    func broadcast(_ bytes: [UInt8], root: Int) -> [UInt8]
    func barrier()
    /// Ends every rank of the job, with `message` on standard error.
    func abort(_ message: String, code: Int32) -> Never
    /// Leaves the job after a successful run (MPI_Finalize); no collective may follow.
    func finish()
}

extension Communicator {
    /// Rank 0: the one that writes configuration, logs, checkpoints and outputs.
    public var isRoot: Bool { rank == 0 }

    /// In-place sum of an array, for the small vectors of flags and statistics a step exchanges.
    public func allreduceSum(_ values: inout [Double]) {
        values.withUnsafeMutableBufferPointer { allreduceSum($0) }
    }

    public func allreduceSum(_ values: inout [Float]) {
        values.withUnsafeMutableBufferPointer { allreduceSum($0) }
    }
}
