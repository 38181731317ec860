import Foundation
import TensorEngine

/// Adaptive Wing loss (Wang, Bo & Fuxin, ICCV 2019) with its weighted loss map, per sample.
///
/// With d = |y − ŷ| (y the target, ŷ the prediction) and e = α − y:
/// `AW = ω·ln(1 + (d/ε)^e)` when d < θ, else `A·d − C`, where
/// `A = ω·(1/(1 + (θ/ε)^e))·e·(θ/ε)^(e−1)/ε` and `C = θ·A − ω·ln(1 + (θ/ε)^e)` make the two pieces meet
/// with equal slope at d = θ. Each pixel is weighted by W + 1 where the 3×3 grey dilation of the target is
/// ≥ `weightThreshold`, and 1 elsewhere; the weight map comes from the target only (no gradient). The result
/// is the mean of the weighted loss over included channels' pixels.
public struct AdaptiveWingLoss: PerSampleLoss, Codable, Equatable {
    public var alpha: Float
    public var omega: Float
    public var epsilon: Float
    public var theta: Float
    /// W of the weighted loss map: foreground pixels get weight W + 1.
    public var weight: Float
    /// Dilated-target level at or above which a pixel counts as foreground for the weight map.
    public var weightThreshold: Float

    public init(alpha: Float = 2.1, omega: Float = 14, epsilon: Float = 1, theta: Float = 0.5,
                weight: Float = 10, weightThreshold: Float = 0.2) {
        precondition(epsilon > 0 && theta > 0 && omega > 0, "AdaptiveWingLoss: ω, ε and θ must be positive")
        self.alpha = alpha; self.omega = omega; self.epsilon = epsilon; self.theta = theta
        self.weight = weight; self.weightThreshold = weightThreshold
    }

    public var name: String { "awing" }
    public var outputIsLogit: Bool { false }

    public func perSample(prediction: Tensor, target: Tensor, mask: Tensor) -> Tensor {
        let layout = LossLayout(prediction: prediction, target: target, mask: mask, loss: "AdaptiveWingLoss")
        let y = target.detach()

        // Everything that depends on the target alone is a constant (no graph: y does not require grad).
        // Computed with engine kernels rather than Swift loops, which are slow in debug builds.
        let (exponent, slopeA, offsetC, lossWeights) = withNoGrad { () -> (Tensor, Tensor, Tensor, Tensor) in
            let r = theta / epsilon
            let e = alpha - y
            let re = (e * Float(Foundation.log(Double(r)))).exp()             // (θ/ε)^e
            let a = omega * e * (re / r) / epsilon / (1 + re)                 // (θ/ε)^(e−1) = re/r
            let c = theta * a - omega * (1 + re).log()
            // The 3×3 grey dilation is a stride-1 max pool with −∞ padding.
            let foreground = maxPool2d(y, kernel: 3, stride: 1, padding: 1).greaterEqual(weightThreshold)
            return (e, a, c, 1 + weight * foreground)
        }

        let d = (y - prediction).abs()
        let near = d.less(theta)
        // (d/ε)^e as exp(e·ln(d/ε)): the engine's pow takes a scalar exponent, and e varies per pixel.
        // The clamp keeps ln finite at d = 0, where the true value and slope are both 0 (e > 1 for y ≤ 1):
        // below the clamp the gradient is cut, which is the exact limit.
        let powered = (exponent * (d / epsilon).clamp(min: 1e-20).log()).exp()
        let inner = omega * (1 + powered).log()
        let outer = slopeA * d - offsetC
        let pixelLoss = select(near, inner, outer) * lossWeights
        return layout.meanIncluded(pixelLoss)
    }
}
