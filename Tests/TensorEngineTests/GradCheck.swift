import XCTest
import Foundation
@testable import TensorEngine

// Test support: Float64 reference implementations written as direct loops, and a gradient checker that
// compares the engine's analytic gradients with central differences of the Float64 reference.

/// A Float64 array with a shape: the reference side of every check.
struct R64 {
    var shape: [Int]
    var data: [Double]
    init(_ shape: [Int], _ data: [Double]) { precondition(shape.reduce(1, *) == data.count); self.shape = shape; self.data = data }
    init(_ t: Tensor) { shape = t.shape; data = t.toArray().map(Double.init) }
    var count: Int { data.count }
    subscript(_ idx: Int...) -> Double { data[ravel(idx, shape)] }
}

func strides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    if shape.count >= 2 { for i in stride(from: shape.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * shape[i + 1] } }
    return s
}
func unravel(_ i: Int, _ shape: [Int]) -> [Int] {
    var rem = i, idx = [Int](repeating: 0, count: shape.count)
    for d in stride(from: shape.count - 1, through: 0, by: -1) { idx[d] = rem % shape[d]; rem /= shape[d] }
    return idx
}
func ravel(_ idx: [Int], _ shape: [Int]) -> Int {
    var o = 0
    for d in shape.indices { o = o * shape[d] + idx[d] }
    return o
}

// MARK: Float64 references

enum Ref {
    static func broadcast(_ a: R64, _ b: R64, _ f: (Double, Double) -> Double) -> R64 {
        let n = max(a.shape.count, b.shape.count)
        let pa = [Int](repeating: 1, count: n - a.shape.count) + a.shape
        let pb = [Int](repeating: 1, count: n - b.shape.count) + b.shape
        let out = (0..<n).map { max(pa[$0], pb[$0]) }
        var data = [Double](repeating: 0, count: out.reduce(1, *))
        for i in data.indices {
            let idx = unravel(i, out)
            let ia = ravel(idx.enumerated().map { pa[$0.offset] == 1 ? 0 : $0.element }, pa)
            let ib = ravel(idx.enumerated().map { pb[$0.offset] == 1 ? 0 : $0.element }, pb)
            data[i] = f(a.data[ia], b.data[ib])
        }
        return R64(out, data)
    }

    static func map(_ a: R64, _ f: (Double) -> Double) -> R64 { R64(a.shape, a.data.map(f)) }

    static func reduce(_ a: R64, axes: [Int], keepDim: Bool, initial: Double, _ f: (Double, Double) -> Double) -> R64 {
        var keep = a.shape
        for ax in axes { keep[ax] = 1 }
        var data = [Double](repeating: initial, count: keep.reduce(1, *))
        for i in a.data.indices {
            var idx = unravel(i, a.shape)
            for ax in axes { idx[ax] = 0 }
            let o = ravel(idx, keep)
            data[o] = f(data[o], a.data[i])
        }
        return R64(keepDim ? keep : a.shape.indices.filter { !axes.contains($0) }.map { a.shape[$0] }, data)
    }

    static func permute(_ a: R64, _ perm: [Int]) -> R64 {
        let out = perm.map { a.shape[$0] }
        var data = [Double](repeating: 0, count: a.count)
        for i in data.indices {
            let idx = unravel(i, out)
            var src = [Int](repeating: 0, count: a.shape.count)
            for (k, p) in perm.enumerated() { src[p] = idx[k] }
            data[i] = a.data[ravel(src, a.shape)]
        }
        return R64(out, data)
    }

    static func matmul(_ a: R64, _ b: R64) -> R64 {  // [M, K] × [K, N]
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        var data = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { var s = 0.0; for t in 0..<k { s += a.data[i * k + t] * b.data[t * n + j] }; data[i * n + j] = s } }
        return R64([m, n], data)
    }

    static func conv2d(_ x: R64, _ w: R64, _ b: R64?, stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)) -> R64 {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let oh = (h + 2 * padding.0 - dilation.0 * (kh - 1) - 1) / stride.0 + 1
        let ow = (wd + 2 * padding.1 - dilation.1 * (kw - 1) - 1) / stride.1 + 1
        var data = [Double](repeating: 0, count: n * co * oh * ow)
        for ni in 0..<n { for o in 0..<co { for oy in 0..<oh { for ox in 0..<ow {
            var s = b?.data[o] ?? 0
            for ci in 0..<c { for ki in 0..<kh { for kj in 0..<kw {
                let iy = oy * stride.0 - padding.0 + ki * dilation.0, ix = ox * stride.1 - padding.1 + kj * dilation.1
                if iy >= 0 && iy < h && ix >= 0 && ix < wd { s += x[ni, ci, iy, ix] * w[o, ci, ki, kj] }
            } } }
            data[((ni * co + o) * oh + oy) * ow + ox] = s
        } } } }
        return R64([n, co, oh, ow], data)
    }

    /// dL/dw of conv2d (no dilation) for upstream gradient gy: Σ over images and output pixels of gy times
    /// the input pixel each tap reads.
    static func conv2dWeightGrad(_ x: R64, _ gy: R64, kernel: (Int, Int), stride: Int, padding: (Int, Int)) -> R64 {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, oh, ow) = (gy.shape[1], gy.shape[2], gy.shape[3]), (kh, kw) = kernel
        var data = [Double](repeating: 0, count: co * c * kh * kw)
        for o in 0..<co { for ci in 0..<c { for ki in 0..<kh { for kj in 0..<kw {
            var s = 0.0
            for ni in 0..<n { for oy in 0..<oh { for ox in 0..<ow {
                let iy = oy * stride - padding.0 + ki, ix = ox * stride - padding.1 + kj
                if iy >= 0 && iy < h && ix >= 0 && ix < wd { s += gy[ni, o, oy, ox] * x[ni, ci, iy, ix] }
            } } }
            data[((o * c + ci) * kh + ki) * kw + kj] = s
        } } } }
        return R64([co, c, kh, kw], data)
    }

    /// Transposed convolution by scattering each input pixel through the kernel (independent of conv2d above).
    static func convTranspose2d(_ x: R64, _ w: R64, stride: Int, padding: Int, outputPadding: Int, dilation: Int) -> R64 {
        let (n, ci, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (co, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
        let oh = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + outputPadding + 1
        let ow = (wd - 1) * stride - 2 * padding + dilation * (kw - 1) + outputPadding + 1
        var data = [Double](repeating: 0, count: n * co * oh * ow)
        for ni in 0..<n { for i in 0..<ci { for y in 0..<h { for xx in 0..<wd { for o in 0..<co { for ki in 0..<kh { for kj in 0..<kw {
            let oy = y * stride - padding + ki * dilation, ox = xx * stride - padding + kj * dilation
            if oy >= 0 && oy < oh && ox >= 0 && ox < ow { data[((ni * co + o) * oh + oy) * ow + ox] += x[ni, i, y, xx] * w[i, o, ki, kj] }
        } } } } } } }
        return R64([n, co, oh, ow], data)
    }

    static func batchNormTrain(_ x: R64, _ gamma: R64?, _ beta: R64?, eps: Double) -> (y: R64, mean: [Double], unbiasedVar: [Double]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let m = Double(n * h * w)
        var y = x, means = [Double](), uvars = [Double]()
        for ch in 0..<c {
            var s = 0.0
            for ni in 0..<n { for i in 0..<h { for j in 0..<w { s += x[ni, ch, i, j] } } }
            let mean = s / m
            var q = 0.0
            for ni in 0..<n { for i in 0..<h { for j in 0..<w { q += (x[ni, ch, i, j] - mean) * (x[ni, ch, i, j] - mean) } } }
            let v = q / m
            for ni in 0..<n { for i in 0..<h { for j in 0..<w {
                let o = ravel([ni, ch, i, j], x.shape)
                y.data[o] = (x.data[o] - mean) / (v + eps).squareRoot() * (gamma?.data[ch] ?? 1) + (beta?.data[ch] ?? 0)
            } } }
            means.append(mean); uvars.append(q / (m - 1))
        }
        return (y, means, uvars)
    }

    static func batchNormEval(_ x: R64, _ gamma: R64?, _ beta: R64?, mean: [Double], variance: [Double], eps: Double) -> R64 {
        var y = x
        for i in x.data.indices {
            let ch = unravel(i, x.shape)[1]
            y.data[i] = (x.data[i] - mean[ch]) / (variance[ch] + eps).squareRoot() * (gamma?.data[ch] ?? 1) + (beta?.data[ch] ?? 0)
        }
        return y
    }

    static func maxPool(_ x: R64, kernel: Int, stride: Int, padding: Int) -> R64 {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * padding - kernel) / stride + 1, ow = (w + 2 * padding - kernel) / stride + 1
        var data = [Double](repeating: -.infinity, count: n * c * oh * ow)
        for ni in 0..<n { for ch in 0..<c { for oy in 0..<oh { for ox in 0..<ow {
            for ki in 0..<kernel { for kj in 0..<kernel {
                let iy = oy * stride - padding + ki, ix = ox * stride - padding + kj
                if iy >= 0 && iy < h && ix >= 0 && ix < w {
                    let o = ((ni * c + ch) * oh + oy) * ow + ox
                    data[o] = max(data[o], x[ni, ch, iy, ix])
                }
            } }
        } } } }
        return R64([n, c, oh, ow], data)
    }

    static func upsample(_ x: R64, _ f: Int) -> R64 {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        var data = [Double](repeating: 0, count: n * c * h * f * w * f)
        for i in data.indices {
            let idx = unravel(i, [n, c, h * f, w * f])
            data[i] = x[idx[0], idx[1], idx[2] / f, idx[3] / f]
        }
        return R64([n, c, h * f, w * f], data)
    }
}

// MARK: gradient checking

/// Random tensor with entries bounded away from zero (so kinks at 0 are never within a finite-difference step).
func randomTensor(_ shape: [Int], _ rng: inout RandomGenerator, scale: Float = 1, awayFromZero: Float = 0.05, requiresGrad: Bool = true) -> Tensor {
    let t = Tensor.zeros(shape)
    for i in 0..<t.count {
        var v = rng.uniform(-scale, scale)
        if abs(v) < awayFromZero { v = v < 0 ? v - awayFromZero : v + awayFromZero }
        t[flat: i] = v
    }
    t.requiresGrad = requiresGrad
    return t
}

/// Checks an op three ways against a Float64 reference of its forward:
/// 1. forward parity;
/// 2. first-order gradients of L = Σ op(x)·R (R fixed random) for every input, against central differences
///    of the reference in Float64 (h = 1e-6);
/// 3. when `secondOrder`, gradients computed with createGraph equal the fast path, and the Hessian-vector
///    product from double backward, ∂/∂x ⟨∇L, V⟩, matches central differences of the engine's own
///    first-order gradients.
func checkGradients(_ name: String, _ inputs: [Tensor], secondOrder: Bool = true,
                    forwardTolerance: Double = 1e-4, gradTolerance: Double = 2e-3,
                    engine: ([Tensor]) -> Tensor, reference: ([R64]) -> R64,
                    file: StaticString = #filePath, line: UInt = #line) {
    var rng = RandomGenerator(seed: 1234)
    let refIn = inputs.map(R64.init)
    let y = engine(inputs)
    let yRef = reference(refIn)
    XCTAssertEqual(y.shape, yRef.shape, "\(name): forward shape", file: file, line: line)
    guard y.shape == yRef.shape else { return }
    let yScale = max(1, yRef.data.map(abs).max() ?? 1)
    for i in 0..<y.count {
        XCTAssertEqual(Double(y[flat: i]), yRef.data[i], accuracy: forwardTolerance * yScale, "\(name): forward[\(i)]", file: file, line: line)
    }
    let weights = Tensor.uniform(y.shape, low: -1, high: 1, rng: &rng)
    let w64 = weights.toArray().map(Double.init)
    func loss64(_ ins: [R64]) -> Double {
        let out = reference(ins)
        return zip(out.data, w64).reduce(0) { $0 + $1.0 * $1.1 }
    }
    for t in inputs { t.zeroGrad() }
    (y * weights).sum().backward()

    for (k, t) in inputs.enumerated() where t.requiresGrad {
        guard let g = t.grad else { XCTFail("\(name): no gradient for input \(k)", file: file, line: line); continue }
        XCTAssertEqual(g.shape, t.shape, "\(name): gradient shape of input \(k)", file: file, line: line)
        for j in 0..<t.count {
            var plus = refIn, minus = refIn
            let h = 1e-6
            plus[k].data[j] += h; minus[k].data[j] -= h
            let numeric = (loss64(plus) - loss64(minus)) / (2 * h)
            XCTAssertEqual(Double(g[flat: j]), numeric, accuracy: gradTolerance * max(1, abs(numeric)),
                           "\(name): d/d input\(k)[\(j)]", file: file, line: line)
        }
    }
    guard secondOrder else { return }

    // createGraph path: same values, and a correct Hessian-vector product.
    let diff = inputs.filter(\.requiresGrad)
    let lossG = (engine(inputs) * weights).sum()
    let gs = grad(of: [lossG], wrt: diff, createGraph: true)
    for (a, t) in zip(gs, diff) {
        let fast = t.grad!
        for j in 0..<t.count {
            XCTAssertEqual(a[flat: j], fast[flat: j], accuracy: 1e-4 * max(1, abs(fast[flat: j])), "\(name): createGraph gradient differs", file: file, line: line)
        }
    }
    let vs = diff.map { Tensor.uniform($0.shape, low: -1, high: 1, rng: &rng) }
    let dot = zip(gs, vs).map { ($0 * $1).sum() }.reduce(Tensor(scalar: 0), +)
    guard dot.requiresGrad else { return }  // gradient independent of the inputs: nothing to differentiate
    let hv = grad(of: [dot], wrt: diff)
    func firstOrderDot() -> Double {
        let l = (engine(diff.count == inputs.count ? inputs : inputs) * weights).sum()
        let g1 = grad(of: [l], wrt: diff)
        return zip(g1, vs).reduce(0.0) { acc, p in acc + zip(p.0.toArray(), p.1.toArray()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
    }
    for (k, t) in diff.enumerated() {
        for j in 0..<t.count {
            let h: Float = 1e-2
            let orig = t[flat: j]
            t[flat: j] = orig + h; let fp = firstOrderDot()
            t[flat: j] = orig - h; let fm = firstOrderDot()
            t[flat: j] = orig
            let numeric = (fp - fm) / (2 * Double(h))
            XCTAssertEqual(Double(hv[k][flat: j]), numeric, accuracy: 2e-2 * max(1, abs(numeric)),
                           "\(name): second derivative d/d input[\(k)][\(j)]", file: file, line: line)
        }
    }
}
