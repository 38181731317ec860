/// Converts TIFF resolution tags to pixel spacing.
///
/// Only centimetre and inch units describe a physical size; "no unit" (1) only gives an aspect
/// ratio, and an absent ResolutionUnit tag is treated the same way even though TIFF 6.0 defaults
/// it to inch: writers that omit it rarely mean it, and docs/CONVENTIONS.md forbids inventing a spacing.
enum TIFFResolution {
    static func spacing(xResolution: Float?, yResolution: Float?, unit: UInt16?) -> PixelSpacing? {
        guard let x = xResolution, let y = yResolution, x.isFinite, y.isFinite, x > 0, y > 0,
              let unit, let resolutionUnit = TIFFResolutionUnit(rawValue: unit) else { return nil }
        let mmPerUnit: Double
        switch resolutionUnit {
        case .centimeter: mmPerUnit = 10
        case .inch: mmPerUnit = 25.4
        case .none: return nil
        }
        // YResolution counts rows per unit, so it gives the distance between rows.
        return PixelSpacing(rowMM: mmPerUnit / Double(y), columnMM: mmPerUnit / Double(x), source: .tiffResolution)
    }
}
