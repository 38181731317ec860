import XRayIngest

/// Unsharp masking, `v + amount · (v − blur(v))`, with the blur radius in millimetres turned into
/// pixels per axis, so that anisotropic pixels get a round blur in physical space.
enum UnsharpMask {
    /// The Gaussian σ in pixels along x (columns) and y (rows).
    static func sigmas(_ parameters: UnsharpParameters, spacing: PixelSpacing?) -> (x: Double, y: Double) {
        guard let spacing, spacing.columnMM > 0, spacing.rowMM > 0 else {
            return (parameters.fallbackRadiusPixels, parameters.fallbackRadiusPixels)
        }
        return (parameters.radiusMM / spacing.columnMM, parameters.radiusMM / spacing.rowMM)
    }

    static func apply(_ parameters: UnsharpParameters, to px: UnsafeMutableBufferPointer<Float>,
                      rows: Int, columns: Int, spacing: PixelSpacing?) {
        let (sx, sy) = sigmas(parameters, spacing: spacing)
        let blurred = GaussianBlur.blur(UnsafeBufferPointer(px), rows: rows, columns: columns, sigmaX: sx, sigmaY: sy)
        let amount = Float(parameters.amount)
        blurred.withUnsafeBufferPointer { b in
            for i in px.indices { px[i] += amount * (px[i] - b[i]) }
        }
    }
}
