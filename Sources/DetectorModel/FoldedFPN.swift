import TensorEngine

/// Inference-only form of `FPNKeypointNet`: batch norms folded into the convolutions (using the
/// running statistics), bias + ReLU fused into each conv's output pass, residual add + ReLU in place.
/// It computes what the source network computes in eval mode, without recording a graph.
public final class FoldedFPN {
    public let config: FPNConfig
    let stem: FusedConv
    let stages: [[FoldedBlock]]
    let lat: [FusedConv]
    let smooth: FusedConv
    let head: FusedConv

    public init(_ net: FPNKeypointNet) {
        config = net.config
        stem = FusedConv(net.stem.layers[0] as! Conv2d, net.stem.layers[1] as! BatchNorm2d, activation: .relu)
        stages = [net.layer1, net.layer2, net.layer3, net.layer4].map { stage in
            stage.layers.map { ($0 as! any ResidualBlock).folded() }
        }
        lat = net.lat.items.map { FusedConv($0) }
        smooth = FusedConv(net.smooth)
        head = FusedConv(net.head)
    }

    /// Heatmaps [N, K, H/4, W/4].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        checkInput(x.shape, config: config)
        return withNoGrad {
            let s = stem(x)
            var h = LayerProfiler.measure("maxPool2d") { maxPool2d(s, kernel: 3, stride: 2, padding: 1) }
            var features: [Tensor] = []
            for stage in stages {
                for block in stage { h = block(h) }
                features.append(h)
            }
            var p = lat[3](features[3])
            for i in [2, 1, 0] {
                let up = LayerProfiler.measure("upsample") { upsampleNearest2d(p, factor: 2) }
                let l = lat[i](features[i])
                p = LayerProfiler.measure("add") { addInPlace(l, up) }
            }
            return head(smooth(p))
        }
    }
}

/// a ← a + b for a fresh activation `a` (no graph is recorded at inference).
private func addInPlace(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "FoldedFPN: \(a.shape) + \(b.shape)")
    let x = a.data, y = b.data
    for i in 0..<a.count { x[i] += y[i] }
    return a
}
