// Synchronised batch norm: the batch statistics of a data-parallel step taken over every replica's share of the
// global batch, so N replicas × b samples normalise exactly as one process with N·b would. Forward: two sums over
// replicas (count and Σx, then Σ(x − mean)², the same two passes as `channelStats`). Backward: one sum of Σg and
// Σg·(x − mean). The parameters' own gradients stay local; the data-parallel gradient sum adds them up.

/// Per-channel mean and biased variance over every replica's batch, and the number of values per channel (M).
func channelStatsAcrossReplicas(_ x: Tensor, _ replicas: any ReplicaReducer) -> (mean: [Float], variance: [Float], count: Int) {
    let n = x.shape[0], c = x.shape[1], hw = x.count / max(n * c, 1)
    let src = x.data
    // [Σx per channel…, values per channel]
    var sums = [Double](repeating: 0, count: c + 1)
    sums.withUnsafeMutableBufferPointer { sp in
        let s = sp.baseAddress!
        parallelItems(c, costPerItem: n * hw) { cs in
            for ch in cs {
                var acc = 0.0
                for i in 0..<n { acc += Double(sumContiguous(src + (i * c + ch) * hw, hw)) }
                s[ch] = acc
            }
        }
        s[c] = Double(n * hw)
        replicas.sum(sp)
    }
    let total = sums[c]
    let mean = (0..<c).map { Float(sums[$0] / total) }
    var squares = [Double](repeating: 0, count: c)
    squares.withUnsafeMutableBufferPointer { qp in
        let q = qp.baseAddress!
        mean.withUnsafeBufferPointer { mp in
            let mu = mp.baseAddress!
            parallelItems(c, costPerItem: n * hw) { cs in
                for ch in cs {
                    q[ch] = channelSquaredDeviations(src, n: n, c: c, channel: ch, hw: hw, mean: mu[ch])
                }
            }
        }
        replicas.sum(qp)
    }
    return (mean, squares.map { Float($0 / total) }, Int(total))
}

/// The training backward with Σg and Σg·(x − mean) summed over replicas for dx; dγ and dβ from this replica's
/// batch only.
func synchronisedBatchNormBackward(_ g: Tensor, _ x: Tensor, gamma: Tensor?, mean: [Float], invstd: [Float], count: Int,
                                   replicas: any ReplicaReducer) -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
    let local = batchNormGradientSums(g, x, mean: mean)
    let (dgamma, dbeta) = batchNormParameterGradients(local, invstd: invstd)
    let c = mean.count
    var both = local.sg + local.sgx
    both.withUnsafeMutableBufferPointer { replicas.sum($0) }
    let global = (sg: Array(both[0..<c]), sgx: Array(both[c...]))
    let dx = batchNormInputGradient(g, x, gamma: gamma, mean: mean, invstd: invstd, sums: global, count: Float(count))
    return (dx, dgamma, dbeta)
}
