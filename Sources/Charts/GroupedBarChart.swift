/// Grouped vertical bars: one group per category (a protocol, a landmark), one bar per series (a model).
/// Missing values (nil) leave a gap rather than a zero bar, so "not measured" never reads as "perfect".
public struct GroupedBarChart: Sendable {
    public var id: String
    public var title: String
    public var valueLabel: String
    public var categories: [String]
    public var series: [(name: String, values: [Double?])]

    public init(id: String, title: String, valueLabel: String, categories: [String], series: [(name: String, values: [Double?])]) {
        self.id = id; self.title = title; self.valueLabel = valueLabel; self.categories = categories; self.series = series
    }

    public func svg() -> String {
        let groupWidth = max(36, Double(series.count) * 16 + 14)
        let width = max(560, 70 + groupWidth * Double(categories.count) + 20)
        let rotateLabels = categories.contains { $0.count > 8 } || categories.count > 12
        let height = rotateLabels ? 360.0 : 300.0
        let plot = ChartFrame(left: 60, top: 52, right: width - 20, bottom: rotateLabels ? height - 110 : height - 50)
        var svg = SVGBuilder(id: id, width: width, height: height, title: title)
        let maxValue = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let axis = ChartScale.niceAxis(maxValue: maxValue)
        svg.valueAxis(plot: plot, top: axis.top, step: axis.step, label: valueLabel)
        svg.text(title, x: plot.left, y: 20, size: 14)
        let slot = plot.width / Double(max(categories.count, 1))
        let barWidth = min(28, (slot - 10) / Double(max(series.count, 1)))
        for (c, category) in categories.enumerated() {
            let x0 = plot.left + slot * Double(c) + (slot - barWidth * Double(series.count)) / 2
            for (s, entry) in series.enumerated() {
                guard c < entry.values.count, let v = entry.values[c] else { continue }
                let top = plot.y(v, top: axis.top)
                svg.rect(x: x0 + barWidth * Double(s), y: top, w: barWidth - 1, h: plot.bottom - top, fill: Palette.color(s),
                         title: "\(entry.name), \(category): \(ChartScale.number((v * 1000).rounded() / 1000))", cls: "bar")
            }
            let cx = plot.left + slot * (Double(c) + 0.5)
            if rotateLabels {
                svg.text(category, x: cx, y: plot.bottom + 12, anchor: "end", size: 10, rotate: -50)
            } else {
                svg.text(category, x: cx, y: plot.bottom + 18, anchor: "middle", size: 12)
            }
        }
        svg.legend(series.enumerated().map { ($0.element.name, Palette.color($0.offset), String?.none) }, x: plot.left, y: 38)
        return svg.render()
    }
}
