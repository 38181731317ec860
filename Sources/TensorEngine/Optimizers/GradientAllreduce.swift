/// Sums every parameter's gradient over replicas, packed into flat buckets of at most `bucketElements` floats.
///
/// Buckets: one collective per few megabytes instead of one per tensor (r18 has ~150 parameter tensors, most of
/// them tiny), and a bounded extra buffer instead of a copy of the whole model. `scalars` ride along in the last
/// bucket, so flags a step must agree on cost no extra round trip. Parameters without a gradient are skipped;
/// every replica runs the same graph, so they are the same on every replica. Reduced gradients are written to
/// fresh tensors: a gradient's storage may be shared with another tensor of the graph.
public func allreduceGradients(_ parameters: [Tensor], replicas: any ReplicaReducer, bucketElements: Int,
                               scalars: inout [Float]) {
    let withGrad = parameters.filter { $0.grad != nil }
    let limit = max(bucketElements, 1)
    var bucket = [Float]()
    bucket.reserveCapacity(min(limit, withGrad.reduce(0) { $0 + $1.count }) + scalars.count)
    var pending: [Tensor] = []

    func flush(final: Bool) {
        if final { bucket += scalars }
        guard !bucket.isEmpty else { return }
        bucket.withUnsafeMutableBufferPointer { replicas.sum($0) }
        var offset = 0
        for p in pending {
            p.grad = Tensor(Array(bucket[offset..<(offset + p.count)]), shape: p.shape)
            offset += p.count
        }
        if final { scalars = Array(bucket[offset...]) }
        bucket.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
    }

    for p in withGrad {
        if !bucket.isEmpty, bucket.count + p.count > limit { flush(final: false) }
        p.grad!.withUnsafeBufferPointer { bucket.append(contentsOf: $0) }
        pending.append(p)
    }
    flush(final: true)
}
