import Cluster
import TensorEngine

/// The engine's `ReplicaReducer` over a communicator: what synchronised batch norm, the gradient sum and the
/// AFL critic call, without the engine knowing about MPI.
public final class CommunicatorReducer: ReplicaReducer {
    public let communicator: any Communicator
    public init(_ communicator: any Communicator) { self.communicator = communicator }
    public func sum(_ values: UnsafeMutableBufferPointer<Double>) { communicator.allreduceSum(values) }
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) { communicator.allreduceSum(values) }
}
