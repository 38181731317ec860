import TensorEngine

/// The AFL topology extractor T (paper appendix A.2): heatmaps `[B, K, h, w]` → topology matrices
/// `[B, 2, K, K]`, channel 0 the planar affinity Mp and channel 1 the angular affinity Ma. No gradient flows
/// through it (the paper feeds the critic detached topologies).
///
/// Centroid of keypoint k: the value-weighted mean of the pixel coordinates (x = column, y = row, pixel
/// centres at integers) over the pixels whose value is ≥ `presenceThreshold` (τ, an absolute level on the map;
/// targets peak at 1, so τ = 0.5 is the conventions' "0.5 of the target peak", docs/CONVENTIONS.md). A map with no pixel ≥ τ has no
/// centroid: the keypoint is absent, which is exactly the false-negative rule of docs/CONVENTIONS.md. For logit losses pass
/// σ(output) (`BaseLoss.heatmaps(fromPrediction:)`), not raw logits.
public struct TopologyExtractor: Sendable, Equatable {
    public var presenceThreshold: Float

    public init(presenceThreshold: Float = 0.5) {
        self.presenceThreshold = presenceThreshold
    }

    /// Centroids `[B][K]` in map pixels, nil for an absent keypoint.
    public func centroids(of heatmaps: Tensor) -> [[SIMD2<Double>?]] {
        precondition(heatmaps.rank == 4, "TopologyExtractor: heatmaps must be [B, K, h, w], got \(heatmaps.shape)")
        let (b, k, h, w) = (heatmaps.shape[0], heatmaps.shape[1], heatmaps.shape[2], heatmaps.shape[3])
        let tau = presenceThreshold
        return heatmaps.withUnsafeBufferPointer { v in
            (0..<b).map { s in
                (0..<k).map { c -> SIMD2<Double>? in
                    let base = (s * k + c) * h * w
                    var mass = 0.0, sx = 0.0, sy = 0.0
                    for r in 0..<h {
                        for col in 0..<w {
                            let value = v[base + r * w + col]
                            guard value >= tau else { continue }
                            mass += Double(value)
                            sx += Double(value) * Double(col)
                            sy += Double(value) * Double(r)
                        }
                    }
                    // A positive τ makes every counted value positive; with τ ≤ 0 a zero mass is possible
                    // and means no usable centroid.
                    return mass > 0 ? SIMD2(sx / mass, sy / mass) : nil
                }
            }
        }
    }

    /// T applied to heatmaps: `[B, 2, K, K]`, normalised by the map's own size (‖(w, h)‖).
    public func topology(of heatmaps: Tensor) -> Tensor {
        let points = centroids(of: heatmaps)
        return TopologyExtractor.topology(points: points, width: Double(heatmaps.shape[3]),
                                          height: Double(heatmaps.shape[2]))
    }

    /// T applied to landmark coordinates directly (ground truth from annotations): `points[b][k]` in the
    /// grid of a `width × height` image, nil = absent. Returns `[B, 2, K, K]`.
    public static func topology(points: [[SIMD2<Double>?]], width: Double, height: Double) -> Tensor {
        let k = points.first?.count ?? 0
        precondition(!points.isEmpty && k > 0, "TopologyExtractor: need at least one sample with one keypoint")
        precondition(points.allSatisfy { $0.count == k }, "TopologyExtractor: every sample needs \(k) keypoints")
        var out = [Float]()
        out.reserveCapacity(points.count * 2 * k * k)
        for sample in points {
            let m = TopologyMatrices(points: sample, width: width, height: height)
            out += m.planar.map { Float($0) }
            out += m.angular.map { Float($0) }
        }
        return Tensor(out, shape: [points.count, 2, k, k])
    }
}
