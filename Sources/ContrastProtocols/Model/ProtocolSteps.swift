/// Where the window step takes its input range from.
public enum WindowSource: Sendable, Equatable {
    /// The DICOM VOI: the first window preset or the VOI LUT (see `VOIChoice`); images without a
    /// VOI (TIFF, DICOM without presets) use `fallback`.
    case voi(prefer: VOIChoice, fallback: WindowFallback)
    /// The low and high percentiles (0...100) of the image's own values.
    case percentiles(low: Double, high: Double)
    /// The range the stored values can take (`XRayImage.valueRange`), or the image's min...max
    /// when that is unknown (float TIFF).
    case fullRange
}

/// Which VOI to prefer when a file has both a window preset and a VOI LUT.
public enum VOIChoice: String, Sendable, Equatable, CaseIterable {
    case window
    case lut
}

/// The window used when a VOI window was asked for and the image has none.
public enum WindowFallback: Sendable, Equatable {
    case percentiles(low: Double, high: Double)
    case fullRange
}

/// A tone curve on [0,1] that keeps 0 at 0 and 1 at 1.
public enum ToneCurve: Sendable, Equatable {
    case linear
    /// v^γ: γ < 1 lifts the darks (flattens bone against soft tissue), γ > 1 deepens them.
    case gamma(Double)
    /// A logistic S-curve around `midpoint`, rescaled so that 0 → 0 and 1 → 1.
    case sigmoid(gain: Double, midpoint: Double)
}

/// Contrast-limited adaptive histogram equalisation settings.
public struct CLAHEParameters: Sendable, Equatable {
    public var tilesAcross: Int
    public var tilesDown: Int
    /// Maximum bin height as a multiple of the mean bin count (tile pixels / bins); `.infinity`
    /// means no clipping (plain adaptive histogram equalisation).
    public var clipLimit: Double
    public var bins: Int

    public init(tilesAcross: Int, tilesDown: Int, clipLimit: Double, bins: Int = 256) throws {
        guard tilesAcross >= 1, tilesAcross <= 64 else {
            throw ProtocolFieldError(field: "tiles_across", message: "must be an integer in 1...64, got \(tilesAcross)")
        }
        guard tilesDown >= 1, tilesDown <= 64 else {
            throw ProtocolFieldError(field: "tiles_down", message: "must be an integer in 1...64, got \(tilesDown)")
        }
        guard !clipLimit.isNaN, clipLimit >= 1 else {
            throw ProtocolFieldError(field: "clip_limit",
                                     message: "must be ≥ 1 (a multiple of the mean bin count) or .inf for no clipping, got \(clipLimit)")
        }
        guard bins >= 2, bins <= 4096 else {
            throw ProtocolFieldError(field: "bins", message: "must be an integer in 2...4096, got \(bins)")
        }
        self.tilesAcross = tilesAcross
        self.tilesDown = tilesDown
        self.clipLimit = clipLimit
        self.bins = bins
    }
}

/// Unsharp masking: `v + amount · (v − gaussian(v))`.
public struct UnsharpParameters: Sendable, Equatable {
    /// The Gaussian's standard deviation in millimetres, used when the image has a spacing.
    public var radiusMM: Double
    /// The standard deviation in pixels for images without a spacing.
    public var fallbackRadiusPixels: Double
    public var amount: Double

    public init(radiusMM: Double, fallbackRadiusPixels: Double, amount: Double) throws {
        guard radiusMM.isFinite, radiusMM > 0 else {
            throw ProtocolFieldError(field: "radius_mm", message: "must be a positive number of millimetres, got \(radiusMM)")
        }
        guard fallbackRadiusPixels.isFinite, fallbackRadiusPixels > 0, fallbackRadiusPixels <= 200 else {
            throw ProtocolFieldError(field: "fallback_radius_px", message: "must be in (0, 200] pixels, got \(fallbackRadiusPixels)")
        }
        guard amount.isFinite, amount >= 0, amount <= 20 else {
            throw ProtocolFieldError(field: "amount", message: "must be in [0, 20], got \(amount)")
        }
        self.radiusMM = radiusMM
        self.fallbackRadiusPixels = fallbackRadiusPixels
        self.amount = amount
    }
}

/// One step of a contrast protocol. There is deliberately no "invert" step: MONOCHROME1
/// inversion is a pipeline rule applied right after the window (docs/CONVENTIONS.md).
public enum ProtocolStep: Sendable, Equatable {
    case window(WindowSource)
    case tone(ToneCurve)
    case clahe(CLAHEParameters)
    case unsharp(UnsharpParameters)
    case clamp

    /// The name used in protocol files.
    public var kind: String {
        switch self {
        case .window: return "window"
        case .tone: return "tone"
        case .clahe: return "clahe"
        case .unsharp: return "unsharp"
        case .clamp: return "clamp"
        }
    }
}

enum ParameterChecks {
    static func percentiles(low: Double, high: Double) throws {
        guard low.isFinite, low >= 0, low <= 100 else {
            throw ProtocolFieldError(field: "low", message: "must be a percentile in [0, 100], got \(low)")
        }
        guard high.isFinite, high >= 0, high <= 100 else {
            throw ProtocolFieldError(field: "high", message: "must be a percentile in [0, 100], got \(high)")
        }
        guard low < high else {
            throw ProtocolFieldError(field: "high", message: "must be above low (\(low)), got \(high)")
        }
    }

    static func tone(_ curve: ToneCurve) throws {
        switch curve {
        case .linear: break
        case .gamma(let g):
            guard g.isFinite, g > 0 else { throw ProtocolFieldError(field: "gamma", message: "must be > 0, got \(g)") }
        case .sigmoid(let gain, let midpoint):
            guard gain.isFinite, gain > 0 else { throw ProtocolFieldError(field: "gain", message: "must be > 0, got \(gain)") }
            guard midpoint.isFinite, midpoint >= 0, midpoint <= 1 else {
                throw ProtocolFieldError(field: "midpoint", message: "must be in [0, 1], got \(midpoint)")
            }
        }
    }
}
