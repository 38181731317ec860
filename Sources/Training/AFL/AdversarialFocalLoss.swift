import TensorEngine

/// AFL's re-weighting (paper Eq. 4): each sample's base loss times its own difficulty score.
public enum AdversarialFocalLoss {
    /// Difficulty s_i = stopgrad(σ(−d(t'_i))) ∈ (0, 1) from critic scores `[B]` or `[B, 1]` → `[B]`, detached.
    /// Near 1 when the critic finds the prediction unlike ground truth (a hard sample).
    public static func difficulty(criticScores: Tensor) -> Tensor {
        withNoGrad { (-criticScores.detach().reshape([-1])).sigmoid() }
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
