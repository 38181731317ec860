import Foundation
import Landmarks

/// AFL per-sample difficulty scores over training, from a run directory's `difficulty.csv`
/// (header `epoch,image,difficulty`), for the paper's figure-3 style chart.
public struct DifficultyLog: Sendable, Equatable, Codable {
    public static let fileName = "difficulty.csv"

    /// One sample's scores, one per logged epoch, in epoch order.
    public struct Series: Sendable, Equatable, Codable {
        public var image: String
        public var points: [Point]
        public init(image: String, points: [Point]) { self.image = image; self.points = points }
    }

    public struct Point: Sendable, Equatable, Codable {
        public var epoch: Int
        public var difficulty: Double
        public init(epoch: Int, difficulty: Double) { self.epoch = epoch; self.difficulty = difficulty }
    }

    public var series: [Series]

    /// Why a difficulty file was rejected; names the line.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { "\(DifficultyLog.fileName) line \(line): \(message)" }
    }

    public init(series: [Series]) { self.series = series }

    /// Reads the table with RFC 4180 quoting, as the trainer writes ids that hold commas or quotes.
    public static func parse(_ text: String) throws -> DifficultyLog {
        var byImage: [String: [Point]] = [:]
        let rows = CSVTable.parse(text)
        guard let header = rows.first else { return DifficultyLog(series: []) }
        guard let e = header.fields.firstIndex(of: "epoch"), let i = header.fields.firstIndex(of: "image"),
              let d = header.fields.firstIndex(of: "difficulty") else {
            throw ParseError(line: header.line, message: "header must name epoch, image and difficulty, got '\(header.fields.joined(separator: ","))'")
        }
        for row in rows.dropFirst() {
            let f = row.fields
            guard f.count > max(e, i, d), let epoch = Int(f[e]), let score = Double(f[d]), score.isFinite else {
                throw ParseError(line: row.line, message: "expected an integer epoch, an image and a finite difficulty, got '\(f.joined(separator: ","))'")
            }
            byImage[f[i], default: []].append(Point(epoch: epoch, difficulty: score))
        }
        return DifficultyLog(series: byImage.keys.sorted().map { Series(image: $0, points: byImage[$0]!.sorted { $0.epoch < $1.epoch }) })
    }

    /// The run directory's log, or nil when it has none.
    public static func load(runDirectory: URL) throws -> DifficultyLog? {
        let url = runDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try parse(String(contentsOf: url, encoding: .utf8))
    }

    /// The `count` samples with the lowest and the highest score late in training: the two groups the paper's
    /// figure 3 shows diverging. A sample is ranked by its mean over the last quarter of its epochs (at least the
    /// last one), so one noisy final epoch does not decide it. Ties break by name so the choice is stable.
    public func extremes(count: Int) -> (easiest: [Series], hardest: [Series]) {
        let scored: [(series: Series, score: Double)] = series.filter { !$0.points.isEmpty }.map { ($0, $0.lateMean) }
        let ranked: [Series] = scored.sorted { a, b in
            a.score != b.score ? a.score < b.score : a.series.image < b.series.image
        }.map { $0.series }
        let n = min(count, ranked.count / 2 + ranked.count % 2)
        let easiest = Array(ranked.prefix(n))
        let hardest = Array(ranked.suffix(min(count, ranked.count - easiest.count)).reversed())
        return (easiest, hardest)
    }

    /// Logged epochs in order.
    public var epochs: [Int] { Array(Set(series.flatMap { $0.points.map(\.epoch) })).sorted() }

    /// Every sample's score in `epoch`, by image.
    public func scores(epoch: Int) -> [String: Double] { scoresByEpoch()[epoch] ?? [:] }

    /// Every epoch's scores by image, in one pass over the log (the trainer redraws after every epoch).
    public func scoresByEpoch() -> [Int: [String: Double]] {
        var out: [Int: [String: Double]] = [:]
        for s in series { for p in s.points { out[p.epoch, default: [:]][s.image] = p.difficulty } }
        return out
    }
}

extension DifficultyLog.Series {
    /// Mean score over the last quarter of the logged epochs (at least one).
    public var lateMean: Double {
        let tail = points.suffix(max(1, points.count / 4))
        return tail.map(\.difficulty).reduce(0, +) / Double(max(tail.count, 1))
    }

    /// The curve smoothed by a Gaussian of `sigma` epochs (weights renormalised at the ends, so the first and
    /// last points are not pulled towards zero): the paper's figure shows smoothed curves over the raw ones.
    public func smoothed(sigma: Double) -> [DifficultyLog.Point] {
        guard sigma > 0, points.count > 1 else { return points }
        return points.map { centre in
            var sum = 0.0, weight = 0.0
            for p in points {
                let d = Double(p.epoch - centre.epoch) / sigma
                guard abs(d) <= 3 else { continue }
                let w = exp(-0.5 * d * d)
                sum += w * p.difficulty
                weight += w
            }
            return DifficultyLog.Point(epoch: centre.epoch, difficulty: sum / weight)
        }
    }
}
