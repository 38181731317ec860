import Foundation

/// A small, fast, reproducible generator (SplitMix64): the same seed gives the same augmentations,
/// splits and phantoms on every platform, which `SystemRandomNumberGenerator` cannot promise.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    public mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    /// Standard normal by Box–Muller; one value per call keeps the stream position simple to reason about.
    public mutating func gaussian() -> Double {
        let u1 = max(unit(), 1e-300), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A child generator whose stream does not overlap this one's in practice; used to give each sample its own seed.
    public static func derive(_ seed: UInt64, _ salt: UInt64) -> SeededRandom {
        var r = SeededRandom(seed: seed ^ (salt &* 0xD6E8_FEB8_6659_FD93))
        _ = r.next()
        return r
    }

    /// A seed for the `salt`-th item of a set generated from `seed`.
    public static func deriveSeed(_ seed: UInt64, _ salt: UInt64) -> UInt64 {
        var r = derive(seed, salt)
        return r.next()
    }
}
