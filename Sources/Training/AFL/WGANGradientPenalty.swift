import TensorEngine

/// The critic loss of one WGAN-GP step and its parts, for logging.
public struct CriticLossTerms {
    /// `mean(d(t') − d(t) + λ·(‖∇ₘ d(m)‖₂ − 1)²)`, differentiable w.r.t. the critic's weights (through the
    /// gradient penalty too: double backward).
    public let loss: Tensor
    /// Mean critic score of ground-truth topologies, d(t).
    public let realScore: Float
    /// Mean critic score of predicted topologies, d(t').
    public let fakeScore: Float
    /// Mean of (‖∇ₘ d(m)‖₂ − 1)², before λ.
    public let gradientPenalty: Float
}

/// WGAN-GP critic loss (Gulrajani et al. 2017; AFL Algorithm 2 with λ = 10): with m = α·t + (1 − α)·t' for a
/// per-sample α, `L_d = mean_i( d(t'_i) − d(t_i) + λ·(‖∇ₘ d(m_i)‖₂ − 1)² )` (= L_d^y − L_d^{y'} + gp with
/// L_d^y = −d(y)). `real` (t) and `fake` (t') are `[B, 2, K, K]` topologies and are detached here. The norm
/// is `sqrt(Σ g² + 1e-12)`: the tiny constant keeps its derivative finite where the gradient vanishes, and
/// changes the norm by at most 1e-6.
public func wganGPCriticLoss(critic: TopologyCritic, real: Tensor, fake: Tensor, alpha: [Float],
                             lambda: Float = 10) -> CriticLossTerms {
    precondition(real.shape == fake.shape && real.rank == 4,
                 "wganGPCriticLoss: real \(real.shape) and fake \(fake.shape) must be equal [B, 2, K, K] shapes")
    let b = real.shape[0]
    precondition(alpha.count == b, "wganGPCriticLoss: \(alpha.count) mixing weights for a batch of \(b)")
    let t = real.detach(), tp = fake.detach()
    let a = Tensor(alpha, shape: [b, 1, 1, 1])
    let mixed = withNoGrad { a * t + (1 - a) * tp }.detach().requiringGrad()
    let gradient = grad(of: [critic(mixed).sum()], wrt: [mixed], createGraph: true)[0]
    let norm = (gradient.square().sum(axes: [1, 2, 3]) + 1e-12).sqrt()
    let penalty = (norm - 1).square()
    let dReal = critic.scores(t), dFake = critic.scores(tp)
    let loss = (dFake - dReal + lambda * penalty).mean()
    return CriticLossTerms(loss: loss, realScore: dReal.mean().scalar, fakeScore: dFake.mean().scalar,
                           gradientPenalty: penalty.mean().scalar)
}

/// The same with α ~ U[0, 1] drawn per sample from `rng`.
public func wganGPCriticLoss(critic: TopologyCritic, real: Tensor, fake: Tensor, lambda: Float = 10,
                             rng: inout RandomGenerator) -> CriticLossTerms {
    let alpha = (0..<real.shape[0]).map { _ in rng.uniform() }
    return wganGPCriticLoss(critic: critic, real: real, fake: fake, alpha: alpha, lambda: lambda)
}
