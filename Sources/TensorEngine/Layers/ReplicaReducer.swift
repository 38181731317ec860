/// Sums values over the replicas of a data-parallel run: the seam through which synchronised batch norm and
/// gradient reduction reach a communicator (MPI) without the engine knowing about it. Every replica must call
/// `sum` the same number of times, in the same order, with the same lengths.
public protocol ReplicaReducer: AnyObject {
    /// Element-wise sum over replicas, in place; every replica receives the result.
    func sum(_ values: UnsafeMutableBufferPointer<Double>)
    func sum(_ values: UnsafeMutableBufferPointer<Float>)
}
