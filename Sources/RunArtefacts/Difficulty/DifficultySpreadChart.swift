import Charts

/// The two panels under figure 3 that show whether AFL's weights spread at all: the epoch's score
/// percentiles, and each sample's weight relative to its batch (s_i / mean(s)), the factor that survives
/// Adam's indifference to a constant loss scale.
public enum DifficultySpreadChart {
    public static func panels(_ spread: [DifficultySpread], id: String) -> [LineChart] {
        func line(_ name: String, _ color: String, dash: String? = nil, _ value: (DifficultySpread) -> Double) -> LineChart.Line {
            LineChart.Line(name: name, points: spread.compactMap { s in value(s).isFinite ? (x: Double(s.epoch), y: value(s)) : nil },
                           color: color, dash: dash, markers: spread.count <= 30)
        }
        let scores = [
            line("max", "#7f7f7f", dash: "4 3") { $0.max },
            line("p90", "#d62728") { $0.p90 },
            line("median", "#000000") { $0.median },
            line("p10", "#1f77b4") { $0.p10 },
            line("min", "#7f7f7f", dash: "4 3") { $0.min },
        ]
        let ratios = [
            line("max", "#d62728") { $0.ratioMax },
            line("1 + sd", "#000000", dash: "4 3") { 1 + $0.ratioSD },
            line("1 − sd", "#000000", dash: "4 3") { 1 - $0.ratioSD },
            line("min", "#1f77b4") { $0.ratioMin },
        ]
        let scoreValues: [Double] = scores.flatMap { $0.points.map(\.y) }
        let scoreRange = DifficultyChart.band(scoreValues, limit: (0, 1))
        // Ratios sit around 1; the band is centred there so "no spread" reads as a flat line at 1.
        let ratioValues: [Double] = ratios.flatMap { $0.points.map(\.y) } + [1]
        let ratioRange = DifficultyChart.band(ratioValues, limit: (0, 2))
        return [
            LineChart(id: id + "-spread", title: "Spread of s_i per epoch", xLabel: "epoch", yLabel: "difficulty σ(−d(t'))",
                      lines: scores, yTop: scoreRange.top, yBottom: scoreRange.bottom),
            LineChart(id: id + "-batch-ratio", title: "s_i / batch mean (averaged over batches)", xLabel: "epoch",
                      yLabel: "weight relative to batch", lines: ratios, yTop: ratioRange.top, yBottom: ratioRange.bottom),
        ]
    }
}
