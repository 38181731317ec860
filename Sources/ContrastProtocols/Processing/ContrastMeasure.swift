/// Measures of how much contrast an image shows, used to keep the shipped protocols ordered.
public enum ContrastMeasure {
    /// The mean, over every `window × window` neighbourhood that lies fully inside the image, of
    /// the neighbourhood's (population) standard deviation, in O(pixels) whatever the window.
    /// Returns 0 for images smaller than the window.
    public static func meanLocalStandardDeviation(_ pixels: [Float], rows: Int, columns: Int, window: Int = 7) -> Double {
        precondition(pixels.count == rows * columns && window >= 1)
        guard rows >= window, columns >= window else { return 0 }
        // Running sums: per-column sums over the current band of `window` rows, updated by adding
        // the row entering and removing the row leaving, then a running sum along the band.
        // Everything stays in a few rows of cache; Double keeps E[x²] − E[x]² accurate.
        var columnSum = [Double](repeating: 0, count: columns), columnSquares = columnSum
        let n = Double(window * window)
        var total = 0.0
        pixels.withUnsafeBufferPointer { p in
            columnSum.withUnsafeMutableBufferPointer { s in
                columnSquares.withUnsafeMutableBufferPointer { q in
                    for y in 0..<rows {
                        let entering = y * columns
                        for x in 0..<columns {
                            let v = Double(p[entering + x])
                            s[x] += v
                            q[x] += v * v
                        }
                        if y >= window {
                            let leaving = (y - window) * columns
                            for x in 0..<columns {
                                let v = Double(p[leaving + x])
                                s[x] -= v
                                q[x] -= v * v
                            }
                        }
                        guard y >= window - 1 else { continue }
                        var sum = 0.0, squares = 0.0
                        for x in 0..<columns {
                            sum += s[x]
                            squares += q[x]
                            if x >= window {
                                sum -= s[x - window]
                                squares -= q[x - window]
                            }
                            if x >= window - 1 {
                                let mean = sum / n
                                total += max(squares / n - mean * mean, 0).squareRoot()
                            }
                        }
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
