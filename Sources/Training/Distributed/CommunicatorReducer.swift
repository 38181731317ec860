import Cluster
import TensorEngine

/// The engine's `ReplicaReducer` over a communicator: what synchronised batch norm, the gradient sum and the
/// AFL critic call, without the engine knowing about MPI.
final class CommunicatorReducer: ReplicaReducer {
    let communicator: any Communicator
    init(_ communicator: any Communicator) { self.communicator = communicator }
    func sum(_ values: UnsafeMutableBufferPointer<Double>) { communicator.allreduceSum(values) }
    func sum(_ values: UnsafeMutableBufferPointer<Float>) { communicator.allreduceSum(values) }
}
