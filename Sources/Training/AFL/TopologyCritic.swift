import TensorEngine

/// The AFL critic d: a light WGAN critic over topology matrices `[B, 2, K, K]` → one unbounded score per
/// sample `[B, 1]` (higher = looks more like ground truth).
///
/// 3×3 stride-2 convolutions (padding 1) with LeakyReLU(0.2), then one linear layer to a single output, no
/// batch norm (the gradient penalty is taken per sample, and batch norm would couple the samples). The
/// default channels 8, 16, 48 give 9,481 parameters and 0.00063 GFLOPs (313,968 multiply-adds) at K = 36,
/// close to the paper's 0.0097 M parameters and 0.00056 GFLOPs; the paper does not give the layer widths,
/// so these were chosen to match its size. Works for any K ≥ 1: each stride-2 conv maps a side s to ⌈s/2⌉.
///
/// State-dict names: `features.0.weight`, `features.0.bias`, `features.2.…`, …, `head.weight`, `head.bias`.
public final class TopologyCritic: Module, Layer {
    public let keypoints: Int
    public let channels: [Int]
    public let features: Sequential
    public let head: Linear
    public var kind: String { "topologyCritic" }

    public init(keypoints: Int, channels: [Int] = [8, 16, 48], negativeSlope: Float = 0.2,
                rng: inout RandomGenerator) {
        precondition(keypoints >= 1, "TopologyCritic: keypoints must be ≥ 1, got \(keypoints)")
        precondition(!channels.isEmpty && channels.allSatisfy { $0 > 0 }, "TopologyCritic: channels must be positive, got \(channels)")
        self.keypoints = keypoints
        self.channels = channels
        var layers: [any Layer] = []
        var inChannels = 2
        for c in channels {
            layers.append(Conv2d(inChannels, c, kernelSize: 3, stride: 2, padding: 1, rng: &rng))
            layers.append(LeakyReLU(negativeSlope: negativeSlope))
            inChannels = c
        }
        features = Sequential(layers)
        let side = TopologyCritic.sides(keypoints: keypoints, layers: channels.count).last!
        head = Linear(inChannels * side * side, 1, rng: &rng)
        super.init()
        register(child: features, as: "features")
        register(child: head, as: "head")
    }

    /// `[B, 2, K, K]` → `[B, 1]`.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == 2 && x.shape[2] == keypoints && x.shape[3] == keypoints,
                     "TopologyCritic: expected [B, 2, \(keypoints), \(keypoints)], got \(x.shape)")
        return head(features(x).flatten(from: 1))
    }

    /// Scores as `[B]`.
    public func scores(_ topology: Tensor) -> Tensor { self(topology).reshape([-1]) }

    /// Spatial side before and after each convolution: K, ⌈K/2⌉, ….
    static func sides(keypoints: Int, layers: Int) -> [Int] {
        var s = [keypoints]
        for _ in 0..<layers { s.append((s.last! + 2 - 3) / 2 + 1) }
        return s
    }

    /// Multiply-adds of one forward pass for one sample (convolutions and the linear layer; biases and
    /// activations not counted). FLOPs ≈ 2 × this.
    public static func multiplyAdds(keypoints: Int, channels: [Int] = [8, 16, 48]) -> Int {
        let s = sides(keypoints: keypoints, layers: channels.count)
        var total = 0, inChannels = 2
        for (i, c) in channels.enumerated() {
            total += s[i + 1] * s[i + 1] * c * inChannels * 9
            inChannels = c
        }
        return total + inChannels * s.last! * s.last!
    }
}
