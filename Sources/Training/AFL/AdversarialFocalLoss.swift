import TensorEngine

/// AFL's re-weighting (paper Eq. 4): each sample's base loss times its own difficulty score.
public enum AdversarialFocalLoss {
    /// Difficulty s_i = stopgrad(σ(−k·z_i)) ∈ (0, 1) from critic scores `[B]` or `[B, 1]` → `[B]`, detached, with
    /// z = d, or d standardised within the batch (see `AFLConfig` for both settings). Near 1 when the critic
    /// finds the prediction unlike ground truth (a hard sample). The defaults give the paper's σ(−d(t'_i)).
    /// With `replicas` (data-parallel training), `.batch` standardises over the global batch, every replica's share.
    public static func difficulty(criticScores: Tensor, scale: Float = 1,
                                  normalization: AFLConfig.DifficultyNormalization = .none,
                                  replicas: (any ReplicaReducer)? = nil) -> Tensor {
        withNoGrad {
            let d = criticScores.detach().reshape([-1])
            let z = normalization == .batch ? standardised(d, replicas: replicas) : d
            return (-(z * scale)).sigmoid()
        }
    }

    /// (d − mean)/sd over the batch (population sd); all zeros when the scores do not vary, since the critic
    /// then ranks no sample above another.
    static func standardised(_ d: Tensor, replicas: (any ReplicaReducer)? = nil) -> Tensor {
        let v = d.toArray().map(Double.init)
        // Two passes, as in one process: [Σd, n], then Σ(d − mean)², each summed over replicas when there are any.
        var first = [v.reduce(0, +), Double(v.count)]
        first.withUnsafeMutableBufferPointer { replicas?.sum($0) }
        let mean = first[0] / max(first[1], 1)
        var second = [v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }]
        second.withUnsafeMutableBufferPointer { replicas?.sum($0) }
        let sd = (second[0] / max(first[1], 1)).squareRoot()
        guard sd > 1e-12, sd.isFinite else { return Tensor(zeros: d.shape) }
        return Tensor(v.map { Float(($0 - mean) / sd) }, shape: d.shape)
    }

    /// AFL = mean_i(s_i · L_i) for per-sample base losses `[B]` (any `BaseLoss`) and difficulties `[B]`.
    /// The batch mean is taken over AFL, never over the scores, so each sample keeps its own weight; the
    /// difficulties are treated as constants (detached again here in case a caller passes live scores).
    public static func loss(perSample losses: Tensor, difficulty: Tensor) -> Tensor {
        precondition(losses.rank == 1 && difficulty.shape == losses.shape,
                     "AdversarialFocalLoss: per-sample losses \(losses.shape) and difficulties \(difficulty.shape) must both be [B]")
        return (difficulty.detach() * losses).mean()
    }

    /// Convenience: difficulty from the critic's scores of the predicted topologies, then the weighted mean.
    public static func loss(perSample losses: Tensor, criticScores: Tensor) -> Tensor {
        loss(perSample: losses, difficulty: difficulty(criticScores: criticScores))
    }
}
