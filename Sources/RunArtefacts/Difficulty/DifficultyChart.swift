import Charts
import Foundation

/// The paper's figure 3 for one run: difficulty over epochs of the easiest samples (left) and the hardest
/// (right), each drawn raw and faint with a Gaussian-smoothed curve on top, as the paper draws them.
public enum DifficultyChart {
    /// Smoothing width in epochs: about a twentieth of the run, at least one epoch, so short runs stay
    /// recognisable and long ones lose their step-to-step noise.
    static func sigma(epochs: Int) -> Double { max(1, Double(epochs) / 20) }

    /// The y axis both panels share: 0…1 once the scores spread widely, else a band around them in steps of
    /// 0.05. Early in training every score sits near σ(0) = ½, and on a 0…1 axis the first signs of the
    /// divergence the paper shows would be flat lines.
    static func yRange(_ series: [DifficultyLog.Series]) -> (bottom: Double, top: Double) {
        band(series.flatMap { $0.points.map(\.difficulty) }, limit: (0, 1))
    }

    /// The narrowest band in steps of 0.05 around `values` inside `limit`, or all of `limit` when the values
    /// fill half of it.
    static func band(_ values: [Double], limit: (bottom: Double, top: Double)) -> (bottom: Double, top: Double) {
        let values = values.filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max() else { return limit }
        let bottom = max(limit.bottom, ((lo - 0.02) / 0.05).rounded(.down) * 0.05)
        let top = min(limit.top, ((hi + 0.02) / 0.05).rounded(.up) * 0.05)
        return top - bottom >= (limit.top - limit.bottom) / 2 ? limit : (bottom, top)
    }

    /// An SVG of `count` easiest and `count` hardest samples. `subtitle` adds a line under the titles (for
    /// example the separation from known labels). With `spread`, a second row shows the spread of the scores
    /// per epoch and within batches (`DifficultySpreadChart`).
    public static func svg(_ log: DifficultyLog, id: String, count: Int = 3, title: String = "AFL difficulty over training",
                           subtitle: String? = nil, spread: [DifficultySpread] = []) -> String {
        let (easy, hard) = log.extremes(count: count)
        let sigma = sigma(epochs: log.epochs.count)
        func lines(_ group: [DifficultyLog.Series], colors: [String]) -> [LineChart.Line] {
            let raw = group.enumerated().map { i, s in
                LineChart.Line(name: "", points: s.points.map { (x: Double($0.epoch), y: $0.difficulty) },
                               color: colors[i % colors.count], opacity: 0.3, markers: false)
            }
            let smooth = group.enumerated().map { i, s in
                LineChart.Line(name: s.image, points: s.smoothed(sigma: sigma).map { (x: Double($0.epoch), y: $0.difficulty) },
                               color: colors[i % colors.count], markers: false)
            }
            return raw + smooth
        }
        let blues = ["#1f77b4", "#17becf", "#393b79"], reds = ["#d62728", "#ff7f0e", "#8c564b"]
        let range = yRange(easy + hard)
        let panels = [
            LineChart(id: id + "-easy", title: "Easiest \(easy.count) samples", xLabel: "epoch", yLabel: "difficulty σ(−d(t'))",
                      lines: lines(easy, colors: blues), yTop: range.top, yBottom: range.bottom),
            LineChart(id: id + "-hard", title: "Hardest \(hard.count) samples", xLabel: "epoch", yLabel: "difficulty σ(−d(t'))",
                      lines: lines(hard, colors: reds), yTop: range.top, yBottom: range.bottom),
        ]
        let top = subtitle == nil ? 28.0 : 44.0
        let spreadPanels = spread.isEmpty ? [] : DifficultySpreadChart.panels(spread, id: id)
        let rows = spreadPanels.isEmpty ? 1.0 : 2.0
        var svg = SVGBuilder(id: id, width: 2 * LineChart.size.width, height: rows * LineChart.size.height + top, title: title)
        svg.text(title, x: 16, y: 20, size: 15)
        if let subtitle { svg.text(subtitle, x: 16, y: 38, size: 12, fill: "#555555") }
        for (i, p) in panels.enumerated() { p.draw(into: &svg, originX: Double(i) * LineChart.size.width, originY: top) }
        for (i, p) in spreadPanels.enumerated() {
            p.draw(into: &svg, originX: Double(i) * LineChart.size.width, originY: top + LineChart.size.height)
        }
        return svg.render()
    }
}
