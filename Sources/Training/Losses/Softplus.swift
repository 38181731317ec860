import TensorEngine

// The engine has no softplus/log-sigmoid op; the focal losses need log σ(x) and log(1 − σ(x)) without
// taking the log of a sigmoid that has rounded to 0 or 1. Integrator: a fused engine op could replace this.

extension Tensor {
    /// softplus(x) = log(1 + eˣ), composed from engine ops so it is differentiable (twice).
    ///
    /// Each branch only ever sees arguments where `exp` cannot overflow (`x ≥ 0` uses
    /// `x + log(1 + e^(−x))`, `x < 0` uses `log(1 + eˣ)`, each fed a clamped copy of x), because the engine's
    /// `select` is `m·a + (1 − m)·b` and an infinite unselected branch would turn into NaN. The gradient at
    /// exactly x = 0 is σ(0) = ½: only the `x ≥ 0` branch is selected there and its clamp passes the
    /// boundary.
    func softplusStable() -> Tensor {
        let nonNegative = greaterEqual(0)
        let xp = clamp(min: 0), xn = clamp(max: 0)
        let upper = xp + (1 + (-xp).exp()).log()
        let lower = (1 + xn.exp()).log()
        return select(nonNegative, upper, lower)
    }

    /// log σ(x) = −softplus(−x), finite for every finite x.
    func logSigmoid() -> Tensor { -((-self).softplusStable()) }
}
