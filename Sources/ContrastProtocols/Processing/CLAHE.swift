/// Contrast-limited adaptive histogram equalisation over [0,1] images.
///
/// Each tile's histogram is clipped at `clipLimit × (tile pixels / bins)`, the excess is spread
/// evenly over all bins, and the tile's mapping is the mid-rank CDF, `(cdf(b) − h(b)/2) / N`: a
/// flat histogram then maps every bin to its own centre (identity), and plain HE never pushes
/// the darkest bin to 0 or the brightest to 1 merely for existing. Each pixel blends the
/// mappings of the four nearest tile centres bilinearly (nearest tiles at the borders).
///
/// Cost: one pass to bin pixels and fill all tile histograms, one pass to map; the per-row and
/// per-column interpolation weights are computed once, so the inner loop only indexes.
enum CLAHE {
    static func apply(_ parameters: CLAHEParameters, to px: UnsafeMutableBufferPointer<Float>, rows: Int, columns: Int) {
        let tx = min(parameters.tilesAcross, columns), ty = min(parameters.tilesDown, rows)
        let bins = parameters.bins
        let xAxis = Axis(length: columns, tiles: tx), yAxis = Axis(length: rows, tiles: ty)

        var binIndex = [UInt16](repeating: 0, count: rows * columns)
        var histograms = [Int32](repeating: 0, count: tx * ty * bins)
        let binScale = Float(bins)
        binIndex.withUnsafeMutableBufferPointer { bi in
            histograms.withUnsafeMutableBufferPointer { h in
                xAxis.tileOf.withUnsafeBufferPointer { tileOfX in
                    for y in 0..<rows {
                        let rowBase = y * columns
                        let tileRowBase = yAxis.tileOf[y] * tx
                        for x in 0..<columns {
                            let v = min(max(px[rowBase + x], 0), 1)
                            let b = min(Int(v * binScale), bins - 1)
                            bi[rowBase + x] = UInt16(b)
                            h[(tileRowBase + tileOfX[x]) * bins + b] += 1
                        }
                    }
                }
            }
        }

        var mappings = [Float](repeating: 0, count: tx * ty * bins)
        for tile in 0..<(tx * ty) {
            let pixelCount = xAxis.size(of: tile % tx) * yAxis.size(of: tile / tx)
            tileMapping(histogram: histograms[(tile * bins)..<((tile + 1) * bins)], pixelCount: pixelCount,
                        clipLimit: parameters.clipLimit, into: &mappings, at: tile * bins)
        }

        binIndex.withUnsafeBufferPointer { bi in
            mappings.withUnsafeBufferPointer { m in
                for y in 0..<rows {
                    let ty0 = yAxis.lower[y] * tx, ty1 = yAxis.upper[y] * tx, wy = yAxis.weight[y]
                    let rowBase = y * columns
                    for x in 0..<columns {
                        let b = Int(bi[rowBase + x])
                        let x0 = xAxis.lower[x], x1 = xAxis.upper[x], wx = xAxis.weight[x]
                        let top = m[(ty0 + x0) * bins + b] * (1 - wx) + m[(ty0 + x1) * bins + b] * wx
                        let bottom = m[(ty1 + x0) * bins + b] * (1 - wx) + m[(ty1 + x1) * bins + b] * wx
                        px[rowBase + x] = top * (1 - wy) + bottom * wy
                    }
                }
            }
        }
    }

    /// Clips one tile's histogram and writes its mid-rank CDF mapping.
    static func tileMapping(histogram: ArraySlice<Int32>, pixelCount: Int, clipLimit: Double,
                            into mappings: inout [Float], at offset: Int) {
        let bins = histogram.count
        guard pixelCount > 0 else { return }
        var clipped = histogram.map { Double($0) }
        if clipLimit.isFinite {
            let limit = clipLimit * Double(pixelCount) / Double(bins)
            var excess = 0.0
            for b in 0..<bins where clipped[b] > limit {
                excess += clipped[b] - limit
                clipped[b] = limit
            }
            let share = excess / Double(bins)
            for b in 0..<bins { clipped[b] += share }
        }
        var cumulative = 0.0
        let n = Double(pixelCount)
        for b in 0..<bins {
            cumulative += clipped[b]
            mappings[offset + b] = Float((cumulative - clipped[b] / 2) / n)
        }
    }

    /// Tile membership and interpolation weights along one axis.
    struct Axis {
        /// Tile `i` covers [start[i], start[i+1]); sizes differ by at most one pixel.
        let start: [Int]
        let tileOf: [Int]
        let lower: [Int], upper: [Int]
        let weight: [Float]

        init(length: Int, tiles: Int) {
            let start = (0...tiles).map { $0 * length / tiles }
            self.start = start
            var tileOf = [Int](repeating: 0, count: length)
            for t in 0..<tiles { for p in start[t]..<start[t + 1] { tileOf[p] = t } }
            self.tileOf = tileOf
            let centres = (0..<tiles).map { Double(start[$0] + start[$0 + 1] - 1) / 2 }
            var lower = [Int](repeating: 0, count: length), upper = lower
            var weight = [Float](repeating: 0, count: length)
            var t = 0
            for p in 0..<length {
                while t + 1 < tiles, centres[t + 1] <= Double(p) { t += 1 }
                if Double(p) <= centres[0] || t == tiles - 1 {
                    // Before the first centre or after the last one: the nearest tile only.
                    let nearest = Double(p) <= centres[0] ? 0 : tiles - 1
                    lower[p] = nearest
                    upper[p] = nearest
                } else {
                    lower[p] = t
                    upper[p] = t + 1
                    weight[p] = Float((Double(p) - centres[t]) / (centres[t + 1] - centres[t]))
                }
            }
            self.lower = lower
            self.upper = upper
            self.weight = weight
        }

        func size(of tile: Int) -> Int { start[tile + 1] - start[tile] }
    }
}
