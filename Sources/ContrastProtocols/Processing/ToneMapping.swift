import Foundation

/// Tone curves on [0,1]; inputs are clamped first because a preceding unsharp mask can overshoot.
enum ToneMapping {
    static func apply(_ curve: ToneCurve, to px: UnsafeMutableBufferPointer<Float>) {
        switch curve {
        case .linear:
            for i in px.indices { px[i] = min(max(px[i], 0), 1) }
        case .gamma(let gamma):
            let g = Float(gamma)
            for i in px.indices { px[i] = powf(min(max(px[i], 0), 1), g) }
        case .sigmoid(let gain, let midpoint):
            // The logistic is rescaled by its values at 0 and 1 so that the curve keeps the ends.
            let k = Float(gain), m = Float(midpoint)
            let s0 = 1 / (1 + expf(k * m)), s1 = 1 / (1 + expf(-k * (1 - m)))
            let scale = 1 / (s1 - s0)
            for i in px.indices {
                let v = min(max(px[i], 0), 1)
                px[i] = (1 / (1 + expf(-k * (v - m))) - s0) * scale
            }
        }
    }
}
