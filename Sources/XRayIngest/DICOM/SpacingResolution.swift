/// Chooses the pixel spacing of a DICOM file and records where it came from (docs/CONVENTIONS.md).
enum SpacingResolution {
    /// PixelSpacing when both values are positive; else ImagerPixelSpacing divided by the
    /// Estimated Radiographic Magnification Factor when given; else nil (never an invented 1 mm).
    static func resolve(pixelSpacing: [Double], imagerPixelSpacing: [Double], magnification: Double?,
                        warnings: inout [String]) -> PixelSpacing? {
        if pixelSpacing.count == 2, pixelSpacing.allSatisfy({ $0 > 0 && $0.isFinite }) {
            return PixelSpacing(rowMM: pixelSpacing[0], columnMM: pixelSpacing[1], source: .pixelSpacing)
        }
        if !pixelSpacing.isEmpty {
            warnings.append("PixelSpacing \(pixelSpacing.map { String($0) }.joined(separator: "\\")) unusable")
        }
        guard imagerPixelSpacing.count == 2, imagerPixelSpacing.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            if !imagerPixelSpacing.isEmpty { warnings.append("ImagerPixelSpacing unusable") }
            return nil
        }
        if let m = magnification {
            if m > 0 && m.isFinite {
                return PixelSpacing(rowMM: imagerPixelSpacing[0] / m, columnMM: imagerPixelSpacing[1] / m,
                                    source: .imagerPixelSpacing, magnificationFactor: m)
            }
            warnings.append("EstimatedRadiographicMagnificationFactor \(m) unusable; ImagerPixelSpacing used as is")
        }
        return PixelSpacing(rowMM: imagerPixelSpacing[0], columnMM: imagerPixelSpacing[1], source: .imagerPixelSpacing)
    }
}
