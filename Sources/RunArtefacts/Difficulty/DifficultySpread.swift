import Foundation

/// How far AFL's difficulty scores s_i spread in one epoch: over all samples, and relative to their batch
/// (s_i / mean of the batch, the factor AFL actually multiplies each loss by once Adam has removed any
/// constant scale). A critic kept about 1-Lipschitz spreads s only from ~0.42 to ~0.56 (docs/AFL.md), and
/// these numbers show whether a scale or normalisation on d changes that.
///
/// Percentiles interpolate linearly between order statistics (NumPy's default); standard deviations are the
/// population form, describing the scores that were applied rather than estimating a wider population.
/// Non-finite scores are left out.
public struct DifficultySpread: Sendable, Equatable {
    public var epoch: Int
    /// Finite scores summarised.
    public var count: Int
    public var min: Double, p10: Double, median: Double, p90: Double, max: Double, sd: Double
    /// Batches with a positive mean score, over which the ratio statistics are averaged.
    public var batches: Int
    /// Within one batch: the sd, min and max of s_i / mean(s), each averaged over the epoch's batches.
    public var ratioSD: Double, ratioMin: Double, ratioMax: Double

    public init(epoch: Int, count: Int, min: Double, p10: Double, median: Double, p90: Double, max: Double, sd: Double,
                batches: Int, ratioSD: Double, ratioMin: Double, ratioMax: Double) {
        self.epoch = epoch; self.count = count
        self.min = min; self.p10 = p10; self.median = median; self.p90 = p90; self.max = max; self.sd = sd
        self.batches = batches; self.ratioSD = ratioSD; self.ratioMin = ratioMin; self.ratioMax = ratioMax
    }

    /// The epoch's statistics from its batches' scores, in training order; nil when no score is finite.
    public init?(epoch: Int, batches: [[Float]]) {
        let finiteBatches = batches.map { $0.filter(\.isFinite).map(Double.init) }
        let all = finiteBatches.flatMap { $0 }.sorted()
        guard let lo = all.first, let hi = all.last else { return nil }
        var sums = (sd: 0.0, min: 0.0, max: 0.0), used = 0
        for b in finiteBatches where !b.isEmpty {
            let mean = b.reduce(0, +) / Double(b.count)
            guard mean > 0 else { continue }
            let ratios = b.map { $0 / mean }
            sums.sd += Self.populationSD(ratios)
            sums.min += ratios.min()!
            sums.max += ratios.max()!
            used += 1
        }
        let n = Double(Swift.max(used, 1))
        self.init(epoch: epoch, count: all.count, min: lo, p10: Self.percentile(all, 0.1), median: Self.percentile(all, 0.5),
                  p90: Self.percentile(all, 0.9), max: hi, sd: Self.populationSD(all), batches: used,
                  ratioSD: used > 0 ? sums.sd / n : .nan, ratioMin: used > 0 ? sums.min / n : .nan,
                  ratioMax: used > 0 ? sums.max / n : .nan)
    }

    /// Linear interpolation between the order statistics around rank q·(n − 1) of `sorted` (non-empty).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        let h = q * Double(sorted.count - 1), i = Int(h.rounded(.down))
        guard i + 1 < sorted.count else { return sorted[sorted.count - 1] }
        return sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i])
    }

    static func populationSD(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return .nan }
        let m = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    }

    // MARK: difficulty-spread.csv

    public static let fileName = "difficulty-spread.csv"
    public static let csvHeader = "epoch,count,min,p10,median,p90,max,sd,batches,batch_ratio_sd,batch_ratio_min,batch_ratio_max"

    /// One row of the run directory's table.
    public var csvRow: String {
        func f(_ v: Double) -> String { v.isFinite ? String(format: "%.6f", v) : "" }
        return "\(epoch),\(count),\(f(min)),\(f(p10)),\(f(median)),\(f(p90)),\(f(max)),\(f(sd)),\(batches),"
            + "\(f(ratioSD)),\(f(ratioMin)),\(f(ratioMax))"
    }

    /// Why the table could not be read; names the file and the line.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { "\(DifficultySpread.fileName) line \(line): \(message)" }
    }

    /// Reads the table back (for the figure); empty cells read as NaN.
    public static func parse(_ text: String) throws -> [DifficultySpread] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first else { return [] }
        guard header == csvHeader else {
            throw ParseError(line: 1, message: "expected the header '\(csvHeader)', got '\(header)'")
        }
        return try lines.dropFirst().enumerated().map { i, line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 12, let epoch = Int(f[0]), let count = Int(f[1]), let batches = Int(f[8]) else {
                throw ParseError(line: i + 2, message: "expected 12 fields with integer epoch, count and batches, got '\(line)'")
            }
            let d = f.map { Double($0) ?? .nan }
            return DifficultySpread(epoch: epoch, count: count, min: d[2], p10: d[3], median: d[4], p90: d[5], max: d[6],
                                    sd: d[7], batches: batches, ratioSD: d[9], ratioMin: d[10], ratioMax: d[11])
        }
    }

    /// The run directory's table, or nil when it has none (a run from before the table existed).
    public static func load(runDirectory: URL) throws -> [DifficultySpread]? {
        let url = runDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try parse(String(contentsOf: url, encoding: .utf8))
    }
}
