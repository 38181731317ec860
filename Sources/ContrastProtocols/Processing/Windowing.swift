import XRayIngest

/// The window step: maps calibrated values to [0,1].
enum Windowing {
    /// A resolved window: either a linear ramp or a DICOM VOI LUT.
    enum Mapping: Equatable {
        /// `low` → 0, `high` → 1, linear between, clamped outside.
        case ramp(low: Float, high: Float)
        /// DICOM PS3.3 C.11.2.1.2.1 linear window (centre/width), output range [0,1].
        case dicom(center: Double, width: Double)
        case lut(VOILookupTable)
    }

    /// Chooses the mapping for `image` from the step's source.
    static func resolve(_ source: WindowSource, for image: XRayImage, values: UnsafeBufferPointer<Float>) -> Mapping {
        switch source {
        case .percentiles(let low, let high):
            let p = Percentiles.compute(values, percents: [low, high])
            return .ramp(low: p[0], high: p[1])
        case .fullRange:
            return fullRange(image, values)
        case .voi(let prefer, let fallback):
            let window = image.windows.first.map { Mapping.dicom(center: $0.center, width: $0.width) }
            let lut = image.voiLUT.flatMap { $0.entries.isEmpty ? nil : Mapping.lut($0) }
            if let chosen = prefer == .lut ? (lut ?? window) : (window ?? lut) { return chosen }
            switch fallback {
            case .fullRange: return fullRange(image, values)
            case .percentiles(let low, let high): return resolve(.percentiles(low: low, high: high), for: image, values: values)
            }
        }
    }

    private static func fullRange(_ image: XRayImage, _ values: UnsafeBufferPointer<Float>) -> Mapping {
        if let range = image.valueRange { return .ramp(low: range.lowerBound, high: range.upperBound) }
        // Float TIFFs have no declared range: their own extremes are the only honest choice.
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        return lo <= hi ? .ramp(low: lo, high: hi) : .ramp(low: 0, high: 1)
    }

    /// Applies `mapping` in place. A degenerate ramp (high ≤ low, e.g. a constant image) becomes a
    /// threshold at `low` with the value itself at 0.5, rather than a division by zero.
    static func apply(_ mapping: Mapping, to px: UnsafeMutableBufferPointer<Float>) {
        switch mapping {
        case .ramp(let low, let high):
            if high > low {
                let scale = 1 / (high - low)
                for i in px.indices { px[i] = min(max((px[i] - low) * scale, 0), 1) }
            } else {
                for i in px.indices { px[i] = px[i] < low ? 0 : (px[i] > low ? 1 : 0.5) }
            }
        case .dicom(let center, let width):
            let c = Float(center) - 0.5
            if width <= 1 {
                for i in px.indices { px[i] = px[i] <= c ? 0 : 1 }
            } else {
                let w = Float(width) - 1
                for i in px.indices { px[i] = min(max((px[i] - c) / w + 0.5, 0), 1) }
            }
        case .lut(let table):
            // The LUT is indexed by integer value: NaN has no index and maps to 0, and infinities are
            // clamped so the conversion to Int cannot trap.
            for i in px.indices { px[i] = px[i].isNaN ? 0 : table.normalized(min(max(px[i], -1e9), 1e9)) }
        }
    }
}
