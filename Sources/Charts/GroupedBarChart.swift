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

    /// Widest the chart may be before categories wrap onto another row (a report page is about 1230 px wide).
    public static let maxWidth = 1180.0

    /// Many categories (37 hand landmarks × several models) wrap onto stacked rows that share the value
    /// axis, so a report never shrinks the chart until its labels are unreadable.
    public func svg() -> String {
        let groupWidth = max(36, Double(series.count) * 16 + 14)
        let perRow = max(1, Int((Self.maxWidth - 90) / groupWidth))
        let rows = stride(from: 0, to: max(categories.count, 1), by: perRow).map { $0..<min($0 + perRow, categories.count) }
        let widest = rows.map(\.count).max() ?? 0
        let width = max(560, 70 + groupWidth * Double(widest) + 20)
        let rotateLabels = categories.contains { $0.count > 8 } || categories.count > 12
        let plotHeight = 198.0, labelSpace = rotateLabels ? 110.0 : 50.0, gap = 12.0
        let height = 52 + Double(rows.count) * (plotHeight + labelSpace + gap) - gap
        var svg = SVGBuilder(id: id, width: width, height: height, title: title)
        let maxValue = series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0
        let axis = ChartScale.niceAxis(maxValue: maxValue)
        svg.text(title, x: 60, y: 20, size: 14)
        let slot = (width - 80) / Double(max(widest, 1))
        let barWidth = min(28, (slot - 10) / Double(max(series.count, 1)))
        for (r, range) in rows.enumerated() {
            let top = 52 + Double(r) * (plotHeight + labelSpace + gap)
            let plot = ChartFrame(left: 60, top: top, right: 60 + slot * Double(max(range.count, 1)), bottom: top + plotHeight)
            svg.valueAxis(plot: plot, top: axis.top, step: axis.step, label: valueLabel)
            for (i, c) in range.enumerated() {
                let category = categories[c]
                let x0 = plot.left + slot * Double(i) + (slot - barWidth * Double(series.count)) / 2
                for (s, entry) in series.enumerated() {
                    guard c < entry.values.count, let v = entry.values[c] else { continue }
                    let y = plot.y(v, top: axis.top)
                    svg.rect(x: x0 + barWidth * Double(s), y: y, w: barWidth - 1, h: plot.bottom - y, fill: Palette.color(s),
                             title: "\(entry.name), \(category): \(ChartScale.number((v * 1000).rounded() / 1000))", cls: "bar")
                }
                let cx = plot.left + slot * (Double(i) + 0.5)
                if rotateLabels {
                    svg.text(category, x: cx, y: plot.bottom + 12, anchor: "end", size: 10, rotate: -50)
                } else {
                    svg.text(category, x: cx, y: plot.bottom + 18, anchor: "middle", size: 12)
                }
            }
        }
        svg.legend(series.enumerated().map { ($0.element.name, Palette.color($0.offset), String?.none) }, x: 60, y: 38)
        return svg.render()
    }
}
