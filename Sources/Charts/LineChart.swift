/// Lines over a numeric x axis (τ, epochs). Each line has its own colour and optional dash pattern.
public struct LineChart: Sendable {
    public struct Line: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dash: String?
        /// Below 1 draws the line faint (raw curves behind smoothed ones).
        public var opacity: Double
        /// Dots at the data points; off for dense or smoothed curves.
        public var markers: Bool
        /// Lines without a legend entry (faint raw curves) have an empty name.
        public var inLegend: Bool { !name.isEmpty }

        public init(name: String, points: [(x: Double, y: Double)], color: String, dash: String? = nil,
                    opacity: Double = 1, markers: Bool = true) {
            self.name = name; self.points = points; self.color = color; self.dash = dash
            self.opacity = opacity; self.markers = markers
        }
    }

    public var id: String
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var lines: [Line]
    /// Fixes the y range (e.g. 0…1 for scores); nil fits 0…max of the data.
    public var yTop: Double?
    /// The value at the bottom of the y axis, when a chart zooms in on a narrow band (with `yTop`); 0 otherwise.
    public var yBottom: Double

    public init(id: String, title: String, xLabel: String, yLabel: String, lines: [Line], yTop: Double? = nil,
                yBottom: Double = 0) {
        self.id = id; self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.lines = lines; self.yTop = yTop
        self.yBottom = yBottom
    }

    public static let size = (width: 620.0, height: 340.0)

    public func svg() -> String {
        var svg = SVGBuilder(id: id, width: Self.size.width, height: Self.size.height, title: title)
        draw(into: &svg, originX: 0, originY: 0)
        return svg.render()
    }

    /// Draws the chart as one `size`-sized panel with its top left corner at (`originX`, `originY`), so
    /// several charts can share one SVG (the difficulty figure puts easy and hard samples side by side).
    public func draw(into svg: inout SVGBuilder, originX: Double, originY: Double) {
        let (width, height) = Self.size
        let plot = ChartFrame(left: originX + 60, top: originY + 60, right: originX + width - 20, bottom: originY + height - 50)
        let xs = lines.flatMap { $0.points.map(\.x) }, ys = lines.flatMap { $0.points.map(\.y) }
        let xMin = xs.min() ?? 0, xMax = max(xs.max() ?? 1, xMin + 1e-9)
        let nice = ChartScale.niceAxis(maxValue: ys.max() ?? 0)
        // A zoomed band is widened to round multiples of a nice step, so every tick label is the value at its line.
        var yBottom = self.yBottom
        var axis: (Double, Double) = (nice.top, nice.step)
        if let yTop {
            let step = ChartScale.niceAxis(maxValue: yTop - yBottom, ticks: 5).step
            yBottom = (yBottom / step + 1e-9).rounded(.down) * step
            axis = ((yTop / step - 1e-9).rounded(.up) * step, step)
        }
        svg.valueAxis(plot: plot, bottom: yBottom, top: axis.0, step: axis.1, label: yLabel)
        svg.text(title, x: plot.left, y: originY + 18, size: 14)
        func px(_ x: Double) -> Double { plot.left + (x - xMin) / (xMax - xMin) * plot.width }
        // Ticks at round multiples inside the data range (τ 0.2, 0.4, …; epochs 2, 4, …), not at arbitrary fractions.
        let step = ChartScale.niceAxis(maxValue: xMax - xMin, ticks: 5).step
        var x = (xMin / step).rounded(.up) * step
        while x <= xMax + step * 1e-6 {
            svg.line(px(x), plot.bottom, px(x), plot.bottom + 4, stroke: "#444444")
            svg.text(ChartScale.number((x * 1000).rounded() / 1000), x: px(x), y: plot.bottom + 17, anchor: "middle", size: 11)
            x += step
        }
        svg.text(xLabel, x: (plot.left + plot.right) / 2, y: originY + height - 10, anchor: "middle", size: 12)
        for line in lines {
            let pts = line.points.map { (px($0.x), plot.y(min(max($0.y, yBottom), axis.0), bottom: yBottom, top: axis.0)) }
            svg.polyline(pts, stroke: line.color, width: line.opacity < 1 ? 1.2 : 2, dash: line.dash,
                         cls: line.inLegend ? "series" : "raw", opacity: line.opacity < 1 ? line.opacity : nil)
            if line.markers { for p in pts { svg.circle(cx: p.0, cy: p.1, r: 2.2, fill: line.color) } }
        }
        // Two legend rows keep long names (model × FN/FP) inside the chart.
        let named = lines.filter(\.inLegend)
        let half = (named.count + 1) / 2
        svg.legend(named.prefix(half).map { ($0.name, $0.color, Optional($0.dash ?? "")) }, x: plot.left, y: originY + 36)
        svg.legend(named.dropFirst(half).map { ($0.name, $0.color, Optional($0.dash ?? "")) }, x: plot.left, y: originY + 52)
    }
}
