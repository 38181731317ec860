/// Planar and angular affinity matrices of one keypoint set (K×K each, row-major, Double), the per-sample
/// core of `TopologyExtractor`.
///
/// - `Mp(i, j) = 1 − ‖p_i − p_j‖₂ / ‖(W, H)‖₂`.
/// - `Ma(i, j) = ½ + ½·cos∠(p_i, c, p_j)`, vertex c = the mean of the present keypoints.
/// - Absent keypoints: their rows and columns stay 0 in both matrices (paper A.2).
/// - Degenerate angles, which the paper leaves undefined: `Ma(i, i) = 1` for every present i (a ray makes
///   angle 0 with itself, also when p_i = c); for i ≠ j, when p_i or p_j lies on c (closer than 1e-9 of the
///   image diagonal) the angle has no direction and we set cos = 0, i.e. `Ma = ½`, the value midway between
///   "same direction" and "opposite", so the critic is told nothing either way. This covers a single present
///   keypoint, and two present keypoints only if they coincide.
public struct TopologyMatrices: Sendable, Equatable {
    public let count: Int
    public let planar: [Double]
    public let angular: [Double]

    public init(points: [SIMD2<Double>?], width: Double, height: Double) {
        precondition(width > 0 && height > 0, "TopologyMatrices: width and height must be positive, got \(width)×\(height)")
        let k = points.count
        count = k
        let diagonal = (width * width + height * height).squareRoot()
        let present = points.compactMap { $0 }
        var planar = [Double](repeating: 0, count: k * k)
        var angular = planar
        guard !present.isEmpty else {
            self.planar = planar
            self.angular = angular
            return
        }
        let centre = present.reduce(SIMD2<Double>(0, 0), +) / Double(present.count)
        let tiny = 1e-9 * diagonal
        func length(_ v: SIMD2<Double>) -> Double { (v * v).sum().squareRoot() }

        for i in 0..<k {
            guard let pi = points[i] else { continue }
            for j in 0..<k {
                guard let pj = points[j] else { continue }
                planar[i * k + j] = 1 - length(pi - pj) / diagonal
                if i == j {
                    angular[i * k + j] = 1
                    continue
                }
                let u = pi - centre, v = pj - centre
                let lu = length(u), lv = length(v)
                let cosine = (lu < tiny || lv < tiny) ? 0 : Swift.min(1, Swift.max(-1, (u * v).sum() / (lu * lv)))
                angular[i * k + j] = 0.5 + 0.5 * cosine
            }
        }
        self.planar = planar
        self.angular = angular
    }
}
