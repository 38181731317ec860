/// A landmark position in pixels: `x` is the column, `y` the row, integers are pixel centres (docs/CONVENTIONS.md).
public struct LandmarkPoint: Sendable, Equatable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }

    public func distance(to o: LandmarkPoint) -> Double { ((x - o.x) * (x - o.x) + (y - o.y) * (y - o.y)).squareRoot() }
}
