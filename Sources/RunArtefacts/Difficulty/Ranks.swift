/// Ranks with ties averaged, the common core of rank statistics (ROC AUC of difficulty against known hard
/// samples, Spearman's ρ of difficulty against error).
public enum Ranks {
    /// 1-based ranks of `values` in their original order; equal values share the mean of their ranks. O(n log n).
    public static func tieAveraged(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            // Positions i … j are tied: ranks i+1 … j+1, each member gets their mean.
            let rank = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = rank }
            i = j + 1
        }
        return ranks
    }

    /// Spearman's ρ: Pearson's correlation of the tie-averaged ranks; nil below two pairs or when either side
    /// is constant (no ranking to compare).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        precondition(x.count == y.count, "Ranks.spearman: \(x.count) and \(y.count) values")
        guard x.count >= 2 else { return nil }
        let rx = tieAveraged(x), ry = tieAveraged(y)
        let n = Double(x.count), mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in rx.indices {
            sxy += (rx[i] - mx) * (ry[i] - my); sxx += (rx[i] - mx) * (rx[i] - mx); syy += (ry[i] - my) * (ry[i] - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }
}
