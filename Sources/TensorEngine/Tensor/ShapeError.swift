/// A shape mismatch or invalid argument, naming the op and every shape involved.
///
/// Policy: ops are non-throwing (so `a + b` reads like maths); they validate their arguments with the
/// throwing checkers in `Shapes` and stop with `preconditionFailure(error.description)`. The checkers are
/// public so that callers who take shapes from user data (for example a config file) can validate first
/// and get a catchable error.
public struct ShapeError: Error, CustomStringConvertible, Equatable {
    public let op: String
    public let message: String
    public var description: String { "\(op): \(message)" }
    public init(op: String, _ message: String) { self.op = op; self.message = message }
}

/// Shape arithmetic and validation shared by the ops.
public enum Shapes {
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Numpy broadcasting: align trailing dimensions; sizes must match or one of them must be 1.
    public static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                throw ShapeError(op: op, "shapes \(a) and \(b) cannot be broadcast (dimension \(i): \(da) vs \(db))")
            }
        }
        return out
    }

    public static func matmul(_ a: [Int], _ b: [Int], transposeA: Bool = false, transposeB: Bool = false, op: String = "matmul") throws -> [Int] {
        guard a.count >= 2, b.count >= 2 else {
            throw ShapeError(op: op, "shapes \(a) and \(b): both operands need at least 2 dimensions")
        }
        let (m, ka) = transposeA ? (a[a.count - 1], a[a.count - 2]) : (a[a.count - 2], a[a.count - 1])
        let (kb, n) = transposeB ? (b[b.count - 1], b[b.count - 2]) : (b[b.count - 2], b[b.count - 1])
        guard ka == kb else {
            throw ShapeError(op: op, "shapes \(a) and \(b): inner dimensions differ (\(ka) vs \(kb))")
        }
        let batchA = Array(a.dropLast(2)), batchB = Array(b.dropLast(2))
        if b.count == 2 { return batchA + [m, n] }
        guard batchA == batchB else {
            throw ShapeError(op: op, "shapes \(a) and \(b): batch dimensions differ (\(batchA) vs \(batchB))")
        }
        return batchA + [m, n]
    }

    public static func reshape(_ from: [Int], _ to: [Int], op: String = "reshape") throws -> [Int] {
        var out = to
        let inferred = to.indices.filter { to[$0] == -1 }
        guard inferred.count <= 1, !to.contains(where: { $0 < -1 }) else {
            throw ShapeError(op: op, "cannot reshape \(from) to \(to): at most one -1 and no other negative sizes")
        }
        let known = to.filter { $0 != -1 }.reduce(1, *)
        if let i = inferred.first {
            guard known > 0, count(from) % known == 0 else {
                throw ShapeError(op: op, "cannot reshape \(from) (\(count(from)) elements) to \(to)")
            }
            out[i] = count(from) / known
        }
        guard count(out) == count(from) else {
            throw ShapeError(op: op, "cannot reshape \(from) (\(count(from)) elements) to \(to) (\(count(out)) elements)")
        }
        return out
    }

    public static func axis(_ axis: Int, rank: Int, shape: [Int], op: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0, a < rank else { throw ShapeError(op: op, "axis \(axis) out of range for shape \(shape)") }
        return a
    }

    public static func concat(_ shapes: [[Int]], axis: Int, op: String = "concat") throws -> [Int] {
        guard let first = shapes.first else { throw ShapeError(op: op, "needs at least one tensor") }
        let ax = try Shapes.axis(axis, rank: first.count, shape: first, op: op)
        var out = first
        for s in shapes.dropFirst() {
            guard s.count == first.count, s.indices.allSatisfy({ $0 == ax || s[$0] == first[$0] }) else {
                throw ShapeError(op: op, "shapes \(first) and \(s) differ outside axis \(ax)")
            }
            out[ax] += s[ax]
        }
        return out
    }

    /// Output size of a convolution or pooling window along one spatial dimension.
    public static func convOutput(_ input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    public static func conv2d(input x: [Int], weight w: [Int], stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), op: String = "conv2d") throws -> [Int] {
        guard x.count == 4, w.count == 4 else {
            throw ShapeError(op: op, "input \(x) and weight \(w) must both be 4-D (NCHW and [Cout, Cin, kH, kW])")
        }
        guard x[1] == w[1] else {
            throw ShapeError(op: op, "input \(x) has \(x[1]) channels but weight \(w) expects \(w[1])")
        }
        guard stride.0 > 0, stride.1 > 0, dilation.0 > 0, dilation.1 > 0, padding.0 >= 0, padding.1 >= 0 else {
            throw ShapeError(op: op, "input \(x), weight \(w): stride and dilation must be positive, padding non-negative")
        }
        let oh = convOutput(x[2], kernel: w[2], stride: stride.0, padding: padding.0, dilation: dilation.0)
        let ow = convOutput(x[3], kernel: w[3], stride: stride.1, padding: padding.1, dilation: dilation.1)
        guard oh > 0, ow > 0 else {
            throw ShapeError(op: op, "input \(x) is smaller than the dilated kernel of weight \(w)")
        }
        return [x[0], w[0], oh, ow]
    }
}

/// Runs a shape check; a failure stops the program with the checker's message (see `ShapeError`).
@inline(__always)
func checked<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { preconditionFailure("\(error)") }
}
