import CVectorKernels

// Direct convolution for layers with few input channels; the kernel and its phase-plane layout are in
// Sources/CVectorKernels/direct_conv.c. For the r18 stem (1 → 64 channels, 7×7, stride 2) im2col writes
// each input pixel 49 times into a matrix with K = 49, where SGEMM ran at a third of the FMA peak.

extension ConvGeometry {
    /// Layers the direct kernel takes: at most 4 input channels and a kernel from 3×3 to 16×16, equal
    /// strides, no dilation. Wider layers give SGEMM a long enough K for im2col to win.
    var directEligible: Bool {
        c <= 4 && kh * kw >= 9 && kh * kw <= Int(LK_DIRECT_MAX_TAPS) && sh == sw && dh == 1 && dw == 1
    }
}

/// Which vector code the direct kernel runs.
enum DirectConvISA {
    /// Tests pin a narrower ISA to check every path on one CPU; nil runs the CPU's widest.
    nonisolated(unsafe) static var forced: VectorISA?

    static var current: Int32 { Int32(min(forced ?? .cpu, .cpu).rawValue) }
}

extension Activation {
    /// The C kernels' activation code (0 none, 1 ReLU, 2 leaky ReLU) and slope.
    var kernelCode: (code: Int32, slope: Float) {
        switch self {
        case .none: (0, 0)
        case .relu: (1, 0)
        case .leakyRelu(let s): (2, s)
        }
    }
}

/// Filters [cout, c, kh, kw] as [⌈cout/B⌉][c][kh][kw][B], B channels per register block, zero past cout.
private func directConvFilters(_ w: UnsafePointer<Float>, _ g: ConvGeometry, isa: Int32) -> TensorStorage {
    let block = Int(lk_direct_conv_block(isa)), blocks = (g.cout + block - 1) / block, taps = g.ckk
    let wt = TensorStorage(zeroedCount: blocks * taps * block)
    let p = wt.pointer
    for co in 0..<g.cout {
        for t in 0..<taps { p[((co / block) * taps + t) * block + co % block] = w[co * taps + t] }
    }
    return wt
}

/// The phase planes of every image (see Sources/CVectorKernels/direct_conv.c), laid out for the vector
/// width of `isa`, which both the forward pass and the weight gradient read.
private struct DirectConvPhases {
    let isa: Int32, ph: Int, pw: Int, perImage: Int
    let storage: TensorStorage

    init(_ x: UnsafePointer<Float>, _ g: ConvGeometry) {
        isa = DirectConvISA.current
        let s = g.sh, width = Int(lk_direct_conv_width(isa))
        let ph = g.oh + (g.kh - 1) / s, pw = (g.ow + width - 1) / width * width + (g.kw - 1) / s
        let planes = g.c * s * s, perImage = planes * ph * pw
        (self.ph, self.pw, self.perImage) = (ph, pw, perImage)
        storage = TensorStorage(uninitializedCount: g.n * perImage)
        let pp = storage.pointer
        parallelItems(g.n * planes, costPerItem: ph * pw) { items in
            for item in items {
                let i = item / planes, p = Int32(item % planes)
                lk_direct_conv_phases(x + i * g.c * g.hw, Int32(g.h), Int32(g.w), Int32(s), Int32(g.ph), Int32(g.pw),
                                      Int32(ph), Int32(pw), p, p + 1, pp + i * perImage)
            }
        }
    }

    func image(_ i: Int) -> UnsafePointer<Float> { UnsafePointer(storage.pointer + i * perImage) }
}

/// y = conv(x, w) + bias, then the activation, by the direct kernel, for a geometry with `directEligible`.
func directConv(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ g: ConvGeometry,
                bias: UnsafePointer<Float>?, activation: Activation) {
    let phases = DirectConvPhases(x, g)
    let wt = directConvFilters(w, g, isa: phases.isa)
    let wp = wt.pointer
    let (code, slope) = activation.kernelCode
    let rowsPer = 4, blocks = (g.oh + rowsPer - 1) / rowsPer
    parallelItems(g.n * blocks, costPerItem: rowsPer * g.ow * g.cout * g.ckk) { items in
        for item in items {
            let i = item / blocks, r0 = (item % blocks) * rowsPer
            lk_direct_conv_rows(phases.isa, phases.image(i), Int32(g.c), Int32(g.kh), Int32(g.kw), Int32(g.sh), Int32(phases.ph),
                                Int32(phases.pw), wp, Int32(g.cout), bias, code, slope, y + i * g.cout * g.ohw, Int32(g.oh),
                                Int32(g.ow), Int32(r0), Int32(min(g.oh, r0 + rowsPer)))
        }
    }
}

/// dw = Σₙ gyₙ ⋆ xₙ by the direct kernel, for a geometry with `directEligible`. Threads split the output
/// channels and each sums every image for its own, so the result does not depend on the thread count.
func directConvWeightGradient(_ x: UnsafePointer<Float>, _ gy: UnsafePointer<Float>, _ g: ConvGeometry) -> Tensor {
    let phases = DirectConvPhases(x, g)
    let dw = Tensor(zeros: g.weightShape)
    let dp = dw.data, block = 4, blocks = (g.cout + block - 1) / block
    parallelItems(blocks, costPerItem: g.n * g.ohw * g.ckk * block) { items in
        let co0 = items.lowerBound * block, co1 = min(g.cout, items.upperBound * block)
        for i in 0..<g.n {
            lk_direct_conv_weight_grad(phases.isa, phases.image(i), Int32(g.c), Int32(g.kh), Int32(g.kw), Int32(g.sh),
                                       Int32(phases.ph), Int32(phases.pw), gy + i * g.cout * g.ohw, Int32(g.oh), Int32(g.ow),
                                       Int32(co0), Int32(co1), dp)
        }
    }
    return dw
}
