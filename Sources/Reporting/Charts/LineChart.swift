/// Lines over a numeric x axis (τ, epochs). Each line has its own colour and optional dash pattern.
public struct LineChart: Sendable {
    public struct Line: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dash: String?
        public init(name: String, points: [(x: Double, y: Double)], color: String, dash: String? = nil) {
            self.name = name; self.points = points; self.color = color; self.dash = dash
        }
    }

    public var id: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var lines: [Line]
    /// Fixes the y range (e.g. 0…1 for scores); nil fits the data.
    public var yTop: Double?

    public init(id: String, title: String, xLabel: String, yLabel: String, lines: [Line], yTop: Double? = nil) {
        self.id = id; self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.lines = lines; self.yTop = yTop
    }

    public func svg() -> String {
        let width = 620.0, height = 340.0
        let plot = ChartFrame(left: 60, top: 60, right: width - 20, bottom: height - 50)
        var svg = SVGBuilder(id: id, width: width, height: height, title: title)
        let xs = lines.flatMap { $0.points.map(\.x) }, ys = lines.flatMap { $0.points.map(\.y) }
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1e-9)
        let nice = ChartScale.niceAxis(maxValue: ys.max() ?? 0)
        let axis: (Double, Double) = yTop.map { ($0, $0 / 5) } ?? (nice.top, nice.step)
        svg.valueAxis(plot: plot, top: axis.0, step: axis.1, label: yLabel)
        svg.text(title, x: plot.left, y: 18, size: 14)
        func px(_ x: Double) -> Double { plot.left + (x - xMin) / (xMax - xMin) * plot.width }
        // Ticks at round multiples inside the data range (τ 0.2, 0.4, …; epochs 2, 4, …), not at arbitrary fractions.
        let step = ChartScale.niceAxis(maxValue: xMax - xMin, ticks: 5).step
        var x = (xMin / step).rounded(.up) * step
        while x <= xMax + step * 1e-6 {
            svg.line(px(x), plot.bottom, px(x), plot.bottom + 4, stroke: "#444444")
            svg.text(ChartScale.number((x * 1000).rounded() / 1000), x: px(x), y: plot.bottom + 17, anchor: "middle", size: 11)
            x += step
        }
        svg.text(xLabel, x: (plot.left + plot.right) / 2, y: height - 10, anchor: "middle", size: 12)
        for line in lines {
            let pts = line.points.map { (px($0.x), plot.y(min($0.y, axis.0), top: axis.0)) }
            svg.polyline(pts, stroke: line.color, width: 2, dash: line.dash, cls: "series")
            for p in pts { svg.circle(cx: p.0, cy: p.1, r: 2.2, fill: line.color) }
        }
        // Two legend rows keep long names (model × FN/FP) inside the chart.
        let half = (lines.count + 1) / 2
        svg.legend(lines.prefix(half).map { ($0.name, $0.color, Optional($0.dash ?? "")) }, x: plot.left, y: 36)
        svg.legend(lines.dropFirst(half).map { ($0.name, $0.color, Optional($0.dash ?? "")) }, x: plot.left, y: 52)
        return svg.render()
    }
}
