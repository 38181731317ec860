/// Measures of how much contrast an image shows, used to keep the shipped protocols ordered.
public enum ContrastMeasure {
    /// The mean, over every `window × window` neighbourhood that lies fully inside the image, of
    /// the neighbourhood's (population) standard deviation. Summed-area tables in Double make it
    /// O(pixels) whatever the window. Returns 0 for images smaller than the window.
    public static func meanLocalStandardDeviation(_ pixels: [Float], rows: Int, columns: Int, window: Int = 7) -> Double {
        precondition(pixels.count == rows * columns && window >= 1)
        guard rows >= window, columns >= window else { return 0 }
        let stride = columns + 1
        var sum = [Double](repeating: 0, count: (rows + 1) * stride)
        var squares = sum
        pixels.withUnsafeBufferPointer { p in
            sum.withUnsafeMutableBufferPointer { s in
                squares.withUnsafeMutableBufferPointer { q in
                    for y in 0..<rows {
                        var rowSum = 0.0, rowSquares = 0.0
                        for x in 0..<columns {
                            let v = Double(p[y * columns + x])
                            rowSum += v
                            rowSquares += v * v
                            s[(y + 1) * stride + x + 1] = s[y * stride + x + 1] + rowSum
                            q[(y + 1) * stride + x + 1] = q[y * stride + x + 1] + rowSquares
                        }
                    }
                }
            }
        }
        let n = Double(window * window)
        var total = 0.0
        sum.withUnsafeBufferPointer { s in
            squares.withUnsafeBufferPointer { q in
                for y in 0...(rows - window) {
                    for x in 0...(columns - window) {
                        let a = y * stride + x, b = a + window, c = (y + window) * stride + x, d = c + window
                        let mean = (s[d] - s[b] - s[c] + s[a]) / n
                        let meanSquare = (q[d] - q[b] - q[c] + q[a]) / n
                        total += max(meanSquare - mean * mean, 0).squareRoot()
                    }
                }
            }
        }
        return total / Double((rows - window + 1) * (columns - window + 1))
    }

    /// Convenience for protocol outputs.
    public static func meanLocalStandardDeviation(_ image: ProcessedImage, window: Int = 7) -> Double {
        meanLocalStandardDeviation(image.pixels, rows: image.rows, columns: image.columns, window: window)
    }
}
