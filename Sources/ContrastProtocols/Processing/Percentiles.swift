/// Exact percentiles with numpy's default (linear) interpolation, in O(n). Integer images get one
/// histogram bin per level. Otherwise a 65,536-bin histogram finds the bin holding each needed
/// order statistic, and only that bin's values are sorted. Sorting the whole image would cost
/// ~10× more on a 1000×1300 radiograph.
enum Percentiles {
    /// Values at `percents` (each in 0...100) of `values`; NaN and infinite values are ignored
    /// (a float TIFF may hold them, and one infinity would make every histogram bin infinitely wide).
    static func compute(_ values: UnsafeBufferPointer<Float>, percents: [Double]) -> [Float] {
        var lo = Float.infinity, hi = -Float.infinity, count = 0
        var integral = true
        for v in values where v.isFinite {
            if v < lo { lo = v }
            if v > hi { hi = v }
            if integral, v.rounded(.down) != v { integral = false }
            count += 1
        }
        guard count > 0 else { return percents.map { _ in 0 } }
        guard hi > lo else { return percents.map { _ in lo } }
        if integral, hi - lo < 65536 {
            return integerPercentiles(values, percents: percents, lo: lo, hi: hi, count: count)
        }

        let binCount = 65536
        let scale = Float(binCount) / (hi - lo)
        @inline(__always) func bin(_ v: Float) -> Int { min(Int((v - lo) * scale), binCount - 1) }
        var histogram = [Int](repeating: 0, count: binCount)
        histogram.withUnsafeMutableBufferPointer { h in
            for v in values where v.isFinite { h[bin(v)] += 1 }
        }
        // The order statistics needed: floor and ceil of rank p/100·(n−1) for each percent.
        let ranks = percents.map { min(max($0, 0), 100) / 100 * Double(count - 1) }
        var wanted = Set<Int>()
        for r in ranks {
            wanted.insert(Int(r.rounded(.down)))
            wanted.insert(min(Int(r.rounded(.down)) + 1, count - 1))
        }
        // Locate each order statistic's bin and its rank inside that bin.
        var binOf: [Int: (bin: Int, offset: Int)] = [:]
        let sortedWanted = wanted.sorted()
        var cumulative = 0, next = 0
        for b in 0..<binCount where next < sortedWanted.count {
            let end = cumulative + histogram[b]
            while next < sortedWanted.count, sortedWanted[next] < end {
                binOf[sortedWanted[next]] = (b, sortedWanted[next] - cumulative)
                next += 1
            }
            cumulative = end
        }
        // Integer images (nearly all radiographs) put one distinct value in each bin: then the bin's
        // min equals its max and nothing needs collecting. Otherwise the bin's values are sorted.
        var slot = [Int](repeating: -1, count: binCount)
        var binMin: [Float] = [], binMax: [Float] = []
        for (_, location) in binOf where slot[location.bin] < 0 {
            slot[location.bin] = binMin.count
            binMin.append(.infinity)
            binMax.append(-.infinity)
        }
        slot.withUnsafeBufferPointer { s in
            for v in values where v.isFinite {
                let i = s[bin(v)]
                if i >= 0 {
                    binMin[i] = min(binMin[i], v)
                    binMax[i] = max(binMax[i], v)
                }
            }
        }
        var members = [[Float]](repeating: [], count: binMin.count)
        let mixed = (0..<binMin.count).filter { binMin[$0] < binMax[$0] }
        if !mixed.isEmpty {
            for v in values where v.isFinite {
                let i = slot[bin(v)]
                if i >= 0, binMin[i] < binMax[i] { members[i].append(v) }
            }
            for i in mixed { members[i].sort() }
        }
        func orderStatistic(_ k: Int) -> Float {
            let (b, offset) = binOf[k]!
            let i = slot[b]
            return binMin[i] == binMax[i] ? binMin[i] : members[i][offset]
        }
        return ranks.map { r in
            let k = Int(r.rounded(.down))
            let fraction = Float(r - Double(k))
            let a = orderStatistic(k), b = orderStatistic(min(k + 1, count - 1))
            return a + (b - a) * fraction
        }
    }

    /// Integer-valued images (nearly every radiograph) over fewer than 65,536 levels: one bin per
    /// value, so the bin index is the value itself and one counting pass is enough.
    private static func integerPercentiles(_ values: UnsafeBufferPointer<Float>, percents: [Double],
                                           lo: Float, hi: Float, count: Int) -> [Float] {
        let levels = Int(hi - lo) + 1
        var histogram = [Int32](repeating: 0, count: levels)
        histogram.withUnsafeMutableBufferPointer { h in
            for v in values where v.isFinite { h[Int(v - lo)] += 1 }
        }
        func orderStatistic(_ k: Int) -> Float {
            var cumulative = 0
            for level in 0..<levels {
                cumulative += Int(histogram[level])
                if cumulative > k { return lo + Float(level) }
            }
            return hi
        }
        return percents.map { p in
            let r = min(max(p, 0), 100) / 100 * Double(count - 1)
            let k = Int(r.rounded(.down))
            let a = orderStatistic(k), b = orderStatistic(min(k + 1, count - 1))
            return a + (b - a) * Float(r - Double(k))
        }
    }
}
