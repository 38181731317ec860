// Functional 2-D batch norm. Training uses batch statistics (biased variance for normalising, unbiased for
// the running estimate, as PyTorch) with a fused forward and backward kernel. For double backward the vjp
// rebuilds the forward from differentiable ops and differentiates that with createGraph.

// MARK: kernels

/// Σ (x − mean)² over one channel of an NCHW buffer: in Float within an image, in Double across images. The
/// local statistics and the cross-replica ones both use it, so the two agree to the bit on one replica.
@inline(__always)
func channelSquaredDeviations(_ src: UnsafePointer<Float>, n: Int, c: Int, channel ch: Int, hw: Int, mean: Float) -> Double {
    var q = 0.0
    let m8 = SIMD8<Float>(repeating: mean)
    for i in 0..<n {
        // Eight Float accumulators per image (one chain would serialise on the add's latency).
        let p = src + (i * c + ch) * hw, raw = UnsafeRawPointer(p)
        var acc = SIMD8<Float>(repeating: 0), k = 0
        while k + 8 <= hw { let d = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self) - m8; acc += d * d; k += 8 }
        var tail: Float = 0
        while k < hw { let d = p[k] - mean; tail += d * d; k += 1 }
        q += Double(acc.sum() + tail)
    }
    return q
}

/// Per-channel mean and biased variance in Double (two passes: stable for large means).
func channelStats(_ x: Tensor) -> (mean: [Float], variance: [Float]) {
    let n = x.shape[0], c = x.shape[1], hw = x.count / max(n * c, 1)
    var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
    let src = x.data
    mean.withUnsafeMutableBufferPointer { mp in
        variance.withUnsafeMutableBufferPointer { vp in
            let m = mp.baseAddress!, v = vp.baseAddress!
            parallelItems(c, costPerItem: n * hw) { cs in
                for ch in cs {
                    var s = 0.0
                    for i in 0..<n { s += Double(sumContiguous(src + (i * c + ch) * hw, hw)) }
                    let mu = s / Double(n * hw)
                    let muf = Float(mu)
                    m[ch] = muf
                    v[ch] = Float(channelSquaredDeviations(src, n: n, c: c, channel: ch, hw: hw, mean: muf) / Double(n * hw))
                }
            }
        }
    }
    return (mean, variance)
}

/// y = x·scale[c] + shift[c] over NCHW.
func channelAffine(_ x: Tensor, scale: [Float], shift: [Float]) -> Tensor {
    let n = x.shape[0], c = x.shape[1], hw = x.count / max(n * c, 1)
    let y = Tensor(uninitialized: x.shape)
    let src = x.data, dst = y.data
    scale.withUnsafeBufferPointer { sp in
        shift.withUnsafeBufferPointer { tp in
            let s = sp.baseAddress!, t = tp.baseAddress!
            parallelItems(n * c, costPerItem: hw) { ps in
                for p in ps {
                    let a = s[p % c], b = t[p % c]
                    let i = src + p * hw, o = dst + p * hw
                    for k in 0..<hw { o[k] = i[k] * a + b }
                }
            }
        }
    }
    return y
}

/// Fused training backward: dγ = Σ g·x̂, dβ = Σ g, dx = γ·invstd·(g − dβ/M − x̂·dγ/M).
func batchNormTrainBackwardKernel(_ g: Tensor, _ x: Tensor, gamma: Tensor?, mean: [Float], invstd: [Float])
    -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
    let sums = batchNormGradientSums(g, x, mean: mean)
    let (dgamma, dbeta) = batchNormParameterGradients(sums, invstd: invstd)
    let dx = batchNormInputGradient(g, x, gamma: gamma, mean: mean, invstd: invstd, sums: sums,
                                    count: Float(x.count / max(x.shape[1], 1)))
    return (dx, dgamma, dbeta)
}

/// Per channel, Σg and Σg·(x − mean) in Double: all the backward pass needs from the whole batch, so synchronised
/// batch norm sums these two over replicas.
func batchNormGradientSums(_ g: Tensor, _ x: Tensor, mean: [Float]) -> (sg: [Double], sgx: [Double]) {
    let n = x.shape[0], c = x.shape[1], hw = x.count / max(n * c, 1)
    var sg = [Double](repeating: 0, count: c), sgx = [Double](repeating: 0, count: c)
    let gp = g.data, xp = x.data
    mean.withUnsafeBufferPointer { mb in
        sg.withUnsafeMutableBufferPointer { sgb in
            sgx.withUnsafeMutableBufferPointer { sgxb in
                let mu = mb.baseAddress!, sgo = sgb.baseAddress!, sgxo = sgxb.baseAddress!
                parallelItems(c, costPerItem: 2 * n * hw) { cs in
                    for ch in cs {
                        var s = 0.0, sx = 0.0
                        let mc = mu[ch]
                        let m8 = SIMD8<Float>(repeating: mc)
                        for i in 0..<n {
                            // Eight Float accumulators per image, as in channelSquaredDeviations.
                            let o = (i * c + ch) * hw
                            let graw = UnsafeRawPointer(gp + o), xraw = UnsafeRawPointer(xp + o)
                            var a8 = SIMD8<Float>(repeating: 0), b8 = SIMD8<Float>(repeating: 0), k = 0
                            while k + 8 <= hw {
                                let gv = graw.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
                                let xv = xraw.loadUnaligned(fromByteOffset: k * 4, as: SIMD8<Float>.self)
                                a8 += gv; b8 += gv * (xv - m8); k += 8
                            }
                            var a = a8.sum(), b = b8.sum()
                            while k < hw { let gv = gp[o + k]; a += gv; b += gv * (xp[o + k] - mc); k += 1 }
                            s += Double(a); sx += Double(b)
                        }
                        sgo[ch] = s; sgxo[ch] = sx
                    }
                }
            }
        }
    }
    return (sg, sgx)
}

/// dγ = Σg·x̂ and dβ = Σg from the sums.
func batchNormParameterGradients(_ sums: (sg: [Double], sgx: [Double]), invstd: [Float]) -> (dgamma: Tensor, dbeta: Tensor) {
    let c = invstd.count
    let dgamma = Tensor(uninitialized: [c]), dbeta = Tensor(uninitialized: [c])
    for ch in 0..<c {
        dbeta.data[ch] = Float(sums.sg[ch])
        dgamma.data[ch] = Float(sums.sgx[ch]) * invstd[ch]
    }
    return (dgamma, dbeta)
}

/// dx = γ·invstd·(g − Σg/M − x̂·(Σg·x̂)/M) for sums over `count` (M) values per channel.
func batchNormInputGradient(_ g: Tensor, _ x: Tensor, gamma: Tensor?, mean: [Float], invstd: [Float],
                            sums: (sg: [Double], sgx: [Double]), count m: Float) -> Tensor {
    let n = x.shape[0], c = x.shape[1], hw = x.count / max(n * c, 1)
    let dx = Tensor(uninitialized: x.shape)
    let gp = g.data, xp = x.data, dxp = dx.data
    let gam = gamma?.data
    mean.withUnsafeBufferPointer { mb in
        invstd.withUnsafeBufferPointer { ib in
            sums.sg.withUnsafeBufferPointer { sgb in
                sums.sgx.withUnsafeBufferPointer { sgxb in
                    let mu = mb.baseAddress!, inv = ib.baseAddress!, sg = sgb.baseAddress!, sgx = sgxb.baseAddress!
                    parallelItems(c, costPerItem: n * hw) { cs in
                        for ch in cs {
                            let mc = mu[ch], ic = inv[ch]
                            let dbetaC = Float(sg[ch]), dgammaC = Float(sgx[ch]) * ic
                            let k1 = (gam?[ch] ?? 1) * ic
                            let meanG = dbetaC / m, meanGX = dgammaC / m
                            for i in 0..<n {
                                let o = (i * c + ch) * hw
                                for k in 0..<hw {
                                    let xh = (xp[o + k] - mc) * ic
                                    dxp[o + k] = k1 * (gp[o + k] - meanG - xh * meanGX)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return dx
}

/// The training-mode forward written with differentiable ops (used to build second derivatives).
func batchNormComposite(_ x: Tensor, gamma: Tensor?, beta: Tensor?, eps: Float) -> Tensor {
    let c = x.shape[1]
    let mean = x.mean(axes: [0, 2, 3], keepDim: true)
    let xc = x - mean
    let variance = xc.square().mean(axes: [0, 2, 3], keepDim: true)
    var y = xc / (variance + eps).sqrt()
    if let gamma { y = y * gamma.reshape([1, c, 1, 1]) }
    if let beta { y = y + beta.reshape([1, c, 1, 1]) }
    return y
}

// MARK: public API

/// Batch norm over NCHW (or NC, treated as H = W = 1). Training: batch statistics, and when running stats
/// are given they are updated in place: r ← (1 − momentum)·r + momentum·batch (unbiased variance).
/// Eval: running statistics. gamma/beta ([C]) are optional (affine = false). With `replicas`, training takes its
/// statistics over every replica's batch (synchronised batch norm; see `BatchNormAcrossReplicas.swift`).
public func batchNorm2d(_ x: Tensor, gamma: Tensor?, beta: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                        training: Bool, momentum: Float = 0.1, eps: Float = 1e-5,
                        replicas: (any ReplicaReducer)? = nil) -> Tensor {
    precondition(x.rank == 4 || x.rank == 2, "batchNorm2d: input \(x.shape) must be NCHW or NC")
    let c = x.shape[1]
    for (name, t) in [("gamma", gamma), ("beta", beta), ("runningMean", runningMean), ("runningVar", runningVar)] {
        if let t { precondition(t.shape == [c], "batchNorm2d: \(name) \(t.shape) does not match input \(x.shape) (\(c) channels)") }
    }
    let x4 = x.rank == 4 ? x : x.reshape([x.shape[0], c, 1, 1])
    let y: Tensor
    if training {
        y = batchNormTrain(x4, gamma: gamma, beta: beta, runningMean: runningMean, runningVar: runningVar, momentum: momentum, eps: eps,
                           replicas: replicas)
    } else {
        precondition(runningMean != nil && runningVar != nil, "batchNorm2d: eval mode needs running statistics (input \(x.shape))")
        y = batchNormEval(x4, gamma: gamma, beta: beta, runningMean: runningMean!, runningVar: runningVar!, eps: eps)
    }
    return x.rank == 4 ? y : y.reshape(x.shape)
}

func batchNormTrain(_ x: Tensor, gamma: Tensor?, beta: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
                    momentum: Float, eps: Float, replicas: (any ReplicaReducer)? = nil) -> Tensor {
    let c = x.shape[1]
    let (mean, variance, m) = replicas.map { channelStatsAcrossReplicas(x, $0) } ?? {
        let s = channelStats(x)
        return (s.mean, s.variance, x.count / max(c, 1))
    }()
    precondition(m > 1, "batchNorm2d: training needs more than one value per channel, got input \(x.shape)")
    let invstd = variance.map { 1 / ($0 + eps).squareRoot() }
    var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
    for ch in 0..<c {
        let gm = gamma?.data[ch] ?? 1, bt = beta?.data[ch] ?? 0
        scale[ch] = gm * invstd[ch]
        shift[ch] = bt - mean[ch] * scale[ch]
    }
    if let runningMean, let runningVar {
        let unbias = Float(m) / Float(m - 1)
        for ch in 0..<c {
            runningMean.data[ch] = (1 - momentum) * runningMean.data[ch] + momentum * mean[ch]
            runningVar.data[ch] = (1 - momentum) * runningVar.data[ch] + momentum * variance[ch] * unbias
        }
    }
    let y = channelAffine(x, scale: scale, shift: shift)
    var inputs = [x]
    if let gamma { inputs.append(gamma) }
    if let beta { inputs.append(beta) }
    return record(y, "batchNorm2d", inputs) { g, createGraph in
        if createGraph {
            precondition(replicas == nil, "batchNorm2d: second derivatives through synchronised batch norm are not supported")
            let wanted = inputs.filter(\.requiresGrad)
            let composite = batchNormComposite(x, gamma: gamma, beta: beta, eps: eps)
            let grads = grad(of: [composite], wrt: wanted, gradOutputs: [g], createGraph: true)
            var byInput: [ObjectIdentifier: Tensor] = [:]
            for (t, gt) in zip(wanted, grads) { byInput[ObjectIdentifier(t)] = gt }
            return inputs.map { byInput[ObjectIdentifier($0)] }
        }
        let r = replicas.map { synchronisedBatchNormBackward(g, x, gamma: gamma, mean: mean, invstd: invstd, count: m, replicas: $0) }
            ?? batchNormTrainBackwardKernel(g, x, gamma: gamma, mean: mean, invstd: invstd)
        var out: [Tensor?] = [x.requiresGrad ? r.dx : nil]
        if let gamma { out.append(gamma.requiresGrad ? r.dgamma : nil) }
        if let beta { out.append(beta.requiresGrad ? r.dbeta : nil) }
        return out
    }
}

func batchNormEval(_ x: Tensor, gamma: Tensor?, beta: Tensor?, runningMean: Tensor, runningVar: Tensor, eps: Float) -> Tensor {
    let c = x.shape[1]
    let recording = GradMode.isEnabled && (x.requiresGrad || (gamma?.requiresGrad ?? false) || (beta?.requiresGrad ?? false))
    if recording {
        // Running stats are constants here, so the plain composite of differentiable ops is exact and simple.
        let invstd = withNoGrad { (runningVar.detach() + eps).sqrt().reciprocal() }
        var scale = invstd
        if let gamma { scale = gamma * invstd }
        var y = (x - runningMean.detach().reshape([1, c, 1, 1])) * scale.reshape([1, c, 1, 1])
        if let beta { y = y + beta.reshape([1, c, 1, 1]) }
        return y
    }
    var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
    for ch in 0..<c {
        scale[ch] = (gamma?.data[ch] ?? 1) / (runningVar.data[ch] + eps).squareRoot()
        shift[ch] = (beta?.data[ch] ?? 0) - runningMean.data[ch] * scale[ch]
    }
    return channelAffine(x, scale: scale, shift: shift)
}
