import Foundation

/// A small deterministic generator: SplitMix64 seeds a PCG-XSH-RR 32-bit stream. The same seed gives the
/// same numbers on every machine and thread count, because tensors are always filled sequentially.
public struct RandomGenerator {
    private var state: UInt64
    private let increment: UInt64
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var s = seed
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = splitmix(&s)
        increment = splitmix(&s) | 1
    }

    public mutating func nextUInt32() -> UInt32 {
        let old = state
        state = old &* 6_364_136_223_846_793_005 &+ increment
        let xorshifted = UInt32(truncatingIfNeeded: ((old >> 18) ^ old) >> 27)
        let rot = UInt32(truncatingIfNeeded: old >> 59)
        return (xorshifted >> rot) | (xorshifted << ((~rot &+ 1) & 31))
    }

    /// Uniform in [0, 1) with 24 random bits (every representable step of a Float in that range near 1).
    public mutating func uniform() -> Float { Float(nextUInt32() >> 8) * (1.0 / 16_777_216.0) }

    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Standard normal by Box–Muller; the second value of each pair is kept for the next call.
    public mutating func normal() -> Float {
        if let s = spareNormal { spareNormal = nil; return s }
        var u1 = Double(uniform())
        if u1 < 1e-12 { u1 = 1e-12 }
        let u2 = Double(uniform())
        let r = (-2 * Foundation.log(u1)).squareRoot()
        spareNormal = Float(r * Foundation.sin(2 * Double.pi * u2))
        return Float(r * Foundation.cos(2 * Double.pi * u2))
    }

    /// Integer in 0..<bound (bound > 0), by rejection so every value is equally likely.
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "RandomGenerator.int(below:): bound must be positive, got \(bound)")
        let b = UInt64(bound)
        let limit = (UInt64(1) << 32) - ((UInt64(1) << 32) % b)
        while true {
            let v = UInt64(nextUInt32())
            if v < limit { return Int(v % b) }
        }
    }
}
