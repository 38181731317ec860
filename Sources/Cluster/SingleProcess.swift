import Foundation

/// The job of one process, without MPI: every collective is the identity, and nothing is initialised.
/// Used whenever the program was not launched by mpirun, so a plain run behaves exactly as before.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {}
    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) {}
    public func allgather(_ bytes: [UInt8]) -> [[UInt8]] { [bytes] }
    public func gather(_ bytes: [UInt8], root: Int) -> [[UInt8]]? { [bytes] }
    public func broadcast(_ bytes: [UInt8], root: Int) -> [UInt8] { bytes }
    public func barrier() {}
    public func abort(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        exit(code)
    }
    public func finish() {}
}
