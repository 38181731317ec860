import Foundation

/// AFL per-sample difficulty scores over training, from a run directory's `difficulty.csv`
/// (header `epoch,image,difficulty`), for the paper's figure-3 style chart.
public struct DifficultyLog: Sendable, Equatable, Codable {
    public static let fileName = "difficulty.csv"

    /// One sample's scores, one per logged epoch, in epoch order.
    public struct Series: Sendable, Equatable, Codable {
        public var image: String
        public var points: [Point]
    }

    public struct Point: Sendable, Equatable, Codable {
        public var epoch: Int
        public var difficulty: Double
    }

    public var series: [Series]

    /// Why a difficulty file was rejected; names the line.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { "\(DifficultyLog.fileName) line \(line): \(message)" }
    }

    public init(series: [Series]) { self.series = series }

    public static func parse(_ text: String) throws -> DifficultyLog {
        var byImage: [String: [Point]] = [:]
        var header: [String]?
        var columns = (epoch: 0, image: 1, difficulty: 2)
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard header != nil else {
                header = fields
                guard let e = fields.firstIndex(of: "epoch"), let i = fields.firstIndex(of: "image"),
                      let d = fields.firstIndex(of: "difficulty") else {
                    throw ParseError(line: n + 1, message: "header must name epoch, image and difficulty, got '\(line)'")
                }
                columns = (e, i, d)
                continue
            }
            guard fields.count > max(columns.epoch, columns.image, columns.difficulty),
                  let epoch = Int(fields[columns.epoch]), let score = Double(fields[columns.difficulty]), score.isFinite else {
                throw ParseError(line: n + 1, message: "expected an integer epoch, an image and a finite difficulty, got '\(line)'")
            }
            byImage[fields[columns.image], default: []].append(Point(epoch: epoch, difficulty: score))
        }
        return DifficultyLog(series: byImage.keys.sorted().map { Series(image: $0, points: byImage[$0]!.sorted { $0.epoch < $1.epoch }) })
    }

    /// The run directory's log, or nil when it has none.
    public static func load(runDirectory: URL) throws -> DifficultyLog? {
        let url = runDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try parse(String(contentsOf: url, encoding: .utf8))
    }

    /// The `count` samples with the lowest and the highest score at their last logged epoch: the two groups the
    /// paper shows diverging. Ties break by name so the choice is stable.
    public func extremes(count: Int) -> (easiest: [Series], hardest: [Series]) {
        let ranked = series.filter { !$0.points.isEmpty }
            .sorted { a, b in
                let x = a.points.last!.difficulty, y = b.points.last!.difficulty
                return x != y ? x < y : a.image < b.image
            }
        let n = min(count, ranked.count / 2 + ranked.count % 2)
        let easiest = Array(ranked.prefix(n))
        let hardest = Array(ranked.suffix(min(count, ranked.count - easiest.count)).reversed())
        return (easiest, hardest)
    }
}
