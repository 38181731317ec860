import XRayIngest

/// A protocol's output: [0,1] Float32 pixels, row-major, bone bright, with the source image's
/// spacing kept so that later stages can still convert pixels to millimetres.
public struct ProcessedImage: Sendable, Equatable {
    public var rows: Int
    public var columns: Int
    /// Row-major (index = y * columns + x), every value in [0,1].
    public var pixels: [Float]
    public var spacing: PixelSpacing?

    public init(rows: Int, columns: Int, pixels: [Float], spacing: PixelSpacing?) {
        precondition(pixels.count == rows * columns, "ProcessedImage: \(pixels.count) pixels for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
        self.spacing = spacing
    }

    @inlinable public subscript(y: Int, x: Int) -> Float { pixels[y * columns + x] }
}
