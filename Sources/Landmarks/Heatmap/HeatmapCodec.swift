import Foundation

/// Training targets for one sample: K Gaussian heatmaps and a per-landmark presence mask.
public struct HeatmapTarget: Sendable, Equatable {
    public var count: Int, width: Int, height: Int
    /// K × height × width, channel-major.
    public var heatmaps: [Float]
    /// Loss mask: 1 for every present landmark (its map holds a Gaussian); for an absent one (all-zero map)
    /// 1 or 0 as the encoder's `AbsentLandmarkPolicy` says.
    public var mask: [Float]
}

/// A decoded landmark in heatmap pixels.
public struct DecodedLandmark: Sendable, Equatable {
    public var x: Double
    public var y: Double
    /// The channel's peak value.
    public var confidence: Float
    /// Peak ≥ τ; below it the channel counts as empty ("all zeros after thresholding", docs/CONVENTIONS.md).
    public var present: Bool
    public var point: LandmarkPoint { LandmarkPoint(x: x, y: y) }
}

/// Encodes landmarks as Gaussian heatmaps and decodes heatmaps back to sub-pixel landmarks.
public struct HeatmapCodec: Sendable, Equatable {
    /// How the argmax is refined below one heatmap pixel.
    public enum Refinement: String, Sendable, Codable, CaseIterable {
        /// Integer argmax only.
        case none
        /// A quarter-pixel step towards the larger neighbour (the classic HRNet/SimpleBaseline trick).
        case quarterOffset = "quarter-offset"
        /// DARK (Zhang et al., CVPR 2020): smooth, take the log, one Newton step of the 2-D Taylor expansion.
        case dark
    }

    public var width: Int
    public var height: Int
    /// Gaussian sigma in heatmap pixels.
    public var sigma: Double
    /// Presence threshold τ on the peak (docs/CONVENTIONS.md: default 0.5 of the target peak 1).
    public var threshold: Float
    public var refinement: Refinement

    public init(width: Int, height: Int, sigma: Double = 2, threshold: Float = 0.5, refinement: Refinement = .dark) {
        precondition(width > 0 && height > 0 && sigma > 0, "HeatmapCodec: bad size or sigma")
        self.width = width; self.height = height; self.sigma = sigma
        self.threshold = threshold; self.refinement = refinement
    }

    /// One Gaussian per present landmark, centred exactly (no rounding) with value 1 at the centre. An absent
    /// landmark (nil or non-finite) gets an all-zero map, and mask 1 or 0 as `absent` says.
    public func encode(_ points: [LandmarkPoint?], absent: AbsentLandmarkPolicy = .train) -> HeatmapTarget {
        let k = points.count, plane = width * height
        var maps = [Float](repeating: 0, count: k * plane)
        var mask = [Float](repeating: absent == .train ? 1 : 0, count: k)
        // Beyond 4σ the Gaussian is below e⁻⁸ ≈ 3e-4: cutting there saves most of the work for nothing visible.
        let radius = 4 * sigma, inv2s2 = 1 / (2 * sigma * sigma)
        maps.withUnsafeMutableBufferPointer { m in
            for (c, p) in points.enumerated() {
                guard let p, p.x.isFinite, p.y.isFinite else { continue }
                mask[c] = 1
                let x0 = max(0, Int((p.x - radius).rounded(.up))), x1 = min(width - 1, Int((p.x + radius).rounded(.down)))
                let y0 = max(0, Int((p.y - radius).rounded(.up))), y1 = min(height - 1, Int((p.y + radius).rounded(.down)))
                guard x0 <= x1, y0 <= y1 else { continue }
                let base = c * plane
                for y in y0...y1 {
                    let dy2 = (Double(y) - p.y) * (Double(y) - p.y)
                    for x in x0...x1 {
                        let dx = Double(x) - p.x
                        m[base + y * width + x] = Float(exp(-(dx * dx + dy2) * inv2s2))
                    }
                }
            }
        }
        return HeatmapTarget(count: k, width: width, height: height, heatmaps: maps, mask: mask)
    }

    /// Decodes `count` channels laid out K × height × width.
    public func decode(_ heatmaps: [Float], count k: Int) -> [DecodedLandmark] {
        precondition(heatmaps.count == k * width * height, "HeatmapCodec.decode: \(heatmaps.count) values for \(k)×\(height)×\(width)")
        return heatmaps.withUnsafeBufferPointer { buf in
            (0..<k).map { decodeChannel(UnsafeBufferPointer(rebasing: buf[($0 * width * height)..<(($0 + 1) * width * height)])) }
        }
    }

    public func decodeChannel(_ ch: UnsafeBufferPointer<Float>) -> DecodedLandmark {
        var best = -Float.infinity, bi = 0
        for i in 0..<ch.count where ch[i] > best { best = ch[i]; bi = i }
        let px = bi % width, py = bi / width
        var x = Double(px), y = Double(py)
        switch refinement {
        case .none: break
        case .quarterOffset:
            let o = quarterOffset(ch, px, py); x += o.0; y += o.1
        case .dark:
            if let o = darkOffset(ch, px, py) { x += o.0; y += o.1 } else { let o = quarterOffset(ch, px, py); x += o.0; y += o.1 }
        }
        return DecodedLandmark(x: x, y: y, confidence: best, present: best >= threshold)
    }

    private func quarterOffset(_ ch: UnsafeBufferPointer<Float>, _ px: Int, _ py: Int) -> (Double, Double) {
        var ox = 0.0, oy = 0.0
        if px > 0 && px < width - 1 {
            let d = ch[py * width + px + 1] - ch[py * width + px - 1]
            ox = d > 0 ? 0.25 : (d < 0 ? -0.25 : 0)
        }
        if py > 0 && py < height - 1 {
            let d = ch[(py + 1) * width + px] - ch[(py - 1) * width + px]
            oy = d > 0 ? 0.25 : (d < 0 ? -0.25 : 0)
        }
        return (ox, oy)
    }

    /// Log of the Gaussian-smoothed map at (x, y). The kernel is cut to the same symmetric radius for all nine
    /// evaluation points, so near a border it never leans to one side (a lopsided kernel shifts the peak).
    private func smoothedLog(_ ch: UnsafeBufferPointer<Float>, _ x: Int, _ y: Int, kernel: [Double], r: Int, rx: Int, ry: Int) -> Double {
        var acc = 0.0, wsum = 0.0
        for j in (y - ry)...(y + ry) {
            let wy = kernel[j - y + r]
            for i in (x - rx)...(x + rx) {
                let w = wy * kernel[i - x + r]
                acc += w * Double(ch[j * width + i]); wsum += w
            }
        }
        return log(max(acc / wsum, 1e-10))
    }

    private func darkOffset(_ ch: UnsafeBufferPointer<Float>, _ px: Int, _ py: Int) -> (Double, Double)? {
        let hasX = width >= 3, hasY = height >= 3
        guard hasX || hasY else { return nil }
        // Expand around the nearest interior pixel: at a border the argmax has no outer neighbour, but the log of a
        // Gaussian is a quadratic, so a Newton step from one pixel inside still lands on the peak.
        let cx = hasX ? min(max(px, 1), width - 2) : px, cy = hasY ? min(max(py, 1), height - 2) : py
        let r = max(1, Int((3 * sigma).rounded(.up)))
        let kernel = (-r...r).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        // Evaluation points reach one pixel past the centre; the kernel must stay inside the map from all of them.
        let rx = hasX ? max(0, min(r, cx - 1, width - 2 - cx)) : 0, ry = hasY ? max(0, min(r, cy - 1, height - 2 - cy)) : 0
        func L(_ dx: Int, _ dy: Int) -> Double { smoothedLog(ch, cx + dx, cy + dy, kernel: kernel, r: r, rx: rx, ry: ry) }
        let c = L(0, 0)
        var gx = 0.0, gy = 0.0, hxx = 0.0, hyy = 0.0, hxy = 0.0
        if hasX { let l = L(-1, 0), rr = L(1, 0); gx = (rr - l) / 2; hxx = rr - 2 * c + l }
        if hasY { let u = L(0, -1), d = L(0, 1); gy = (d - u) / 2; hyy = d - 2 * c + u }
        var ox = 0.0, oy = 0.0
        if hasX && hasY {
            hxy = (L(1, 1) - L(1, -1) - L(-1, 1) + L(-1, -1)) / 4
            let det = hxx * hyy - hxy * hxy
            // Only a maximum (negative-definite Hessian) has a meaningful Newton step.
            guard hxx < 0, det > 1e-12 else { return nil }
            ox = -(hyy * gx - hxy * gy) / det
            oy = -(-hxy * gx + hxx * gy) / det
        } else if hasX {
            guard hxx < 0 else { return nil }
            ox = -gx / hxx
        } else {
            guard hyy < 0 else { return nil }
            oy = -gy / hyy
        }
        // Offsets relative to the argmax; a step of more than a pixel and a half means the map is not peak-shaped here.
        let fx = Double(cx - px) + ox, fy = Double(cy - py) + oy
        guard abs(fx) <= 1.5, abs(fy) <= 1.5, fx.isFinite, fy.isFinite else { return nil }
        return (fx, fy)
    }
}
