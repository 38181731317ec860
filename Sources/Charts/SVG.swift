import Foundation

/// Escapes text for HTML and SVG content and attribute values.
public enum Markup {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// A fixed palette that stays distinguishable for several models; series beyond it cycle.
public enum Palette {
    public static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    public static func color(_ i: Int) -> String { colors[i % colors.count] }
}

/// Axis scale and tick helpers shared by the charts.
public enum ChartScale {
    /// A rounded upper bound and step for an axis from 0 to at least `maxValue`, about `ticks` ticks.
    public static func niceAxis(maxValue: Double, ticks: Int = 5) -> (top: Double, step: Double) {
        guard maxValue > 0, maxValue.isFinite else { return (1, 0.2) }
        let raw = maxValue / Double(ticks)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        return (ceil(maxValue / step) * step, step)
    }

    public static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(format: "%g", v)
    }
}

/// Builds the text of one inline SVG element. Coordinates are written with one decimal to keep files small.
public struct SVGBuilder {
    public let width: Double
    public let height: Double
    public let id: String
    private var body: [String] = []

    public init(id: String, width: Double, height: Double, title: String) {
        self.id = id; self.width = width; self.height = height
        body.append("<title>\(Markup.escape(title))</title>")
        body.append("<rect x=\"0\" y=\"0\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>")
    }

    private func f(_ v: Double) -> String { String(format: "%.1f", v) }

    public mutating func rect(x: Double, y: Double, w: Double, h: Double, fill: String, title: String? = nil, cls: String? = nil) {
        let c = cls.map { #" class="\#($0)""# } ?? ""
        let t = title.map { "<title>\(Markup.escape($0))</title>" } ?? ""
        body.append(#"<rect\#(c) x="\#(f(x))" y="\#(f(y))" width="\#(f(max(w, 0)))" height="\#(f(max(h, 0)))" fill="\#(fill)">\#(t)</rect>"#)
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        let d = dash.map { #" stroke-dasharray="\#($0)""# } ?? ""
        body.append(#"<line x1="\#(f(x1))" y1="\#(f(y1))" x2="\#(f(x2))" y2="\#(f(y2))" stroke="\#(stroke)" stroke-width="\#(f(width))"\#(d)/>"#)
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2, dash: String? = nil, cls: String? = nil,
                                  opacity: Double? = nil) {
        guard !points.isEmpty else { return }
        let d = dash.map { #" stroke-dasharray="\#($0)""# } ?? ""
        let c = cls.map { #" class="\#($0)""# } ?? ""
        let o = opacity.map { #" stroke-opacity="\#(String(format: "%.2f", $0))""# } ?? ""
        let pts = points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
        body.append(#"<polyline\#(c) points="\#(pts)" fill="none" stroke="\#(stroke)" stroke-width="\#(f(width))"\#(d)\#(o)/>"#)
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String) {
        body.append(#"<circle cx="\#(f(cx))" cy="\#(f(cy))" r="\#(f(r))" fill="\#(fill)"/>"#)
    }

    public mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 12, rotate: Double? = nil,
                       fill: String = "#222222") {
        let r = rotate.map { #" transform="rotate(\#(f($0)) \#(f(x)) \#(f(y)))""# } ?? ""
        body.append(#"<text x="\#(f(x))" y="\#(f(y))" font-size="\#(f(size))" text-anchor="\#(anchor)" fill="\#(fill)"\#(r)>\#(Markup.escape(s))</text>"#)
    }

    /// A left value axis from `bottom` (0 unless a chart zooms in) to `top` with grid lines across the plot.
    public mutating func valueAxis(plot: ChartFrame, bottom: Double = 0, top: Double, step: Double, label: String) {
        var v = bottom
        while v <= top + step * 1e-6 {
            let y = plot.y(v, bottom: bottom, top: top)
            line(plot.left, y, plot.right, y, stroke: "#e3e3e3")
            text(ChartScale.number((v / step).rounded() * step), x: plot.left - 6, y: y + 4, anchor: "end", size: 11)
            v += step
        }
        line(plot.left, plot.top, plot.left, plot.bottom, stroke: "#444444")
        line(plot.left, plot.bottom, plot.right, plot.bottom, stroke: "#444444")
        text(label, x: plot.left - 46, y: (plot.top + plot.bottom) / 2, anchor: "middle", size: 12, rotate: -90)
    }

    /// A legend row at the top right.
    public mutating func legend(_ entries: [(String, String, String?)], x: Double, y: Double) {
        var cx = x
        for (name, color, dash) in entries {
            if let dash {
                line(cx, y - 4, cx + 18, y - 4, stroke: color, width: 2.5, dash: dash)
            } else {
                rect(x: cx, y: y - 10, w: 18, h: 10, fill: color)
            }
            text(name, x: cx + 22, y: y, size: 11)
            cx += 30 + Double(name.count) * 6.5
        }
    }

    public func render() -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" id="\#(Markup.escape(id))" class="chart" width="\#(f(width))" height="\#(f(height))" viewBox="0 0 \#(f(width)) \#(f(height))" role="img">"#
            + body.joined() + "</svg>"
    }
}

/// The plotting rectangle inside a chart's margins.
public struct ChartFrame {
    public var left: Double, top: Double, right: Double, bottom: Double
    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left; self.top = top; self.right = right; self.bottom = bottom
    }
    public var width: Double { right - left }
    public var height: Double { bottom - top }
    public func y(_ v: Double, top t: Double) -> Double { y(v, bottom: 0, top: t) }
    /// Screen y of value `v` on an axis from `b` (at the bottom edge) to `t` (at the top edge).
    public func y(_ v: Double, bottom b: Double, top t: Double) -> Double { bottom - (t > b ? (v - b) / (t - b) : 0) * height }
}
