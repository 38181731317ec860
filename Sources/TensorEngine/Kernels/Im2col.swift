/// Everything a 2-D convolution's three kernels (forward, input grad, weight grad) need to agree on.
struct ConvGeometry: Equatable {
    var n, c, h, w: Int          // input
    var cout, kh, kw: Int        // weight [cout, c, kh, kw]
    var sh, sw, ph, pw, dh, dw: Int
    var oh, ow: Int              // output

    var ckk: Int { c * kh * kw }
    var ohw: Int { oh * ow }
    var hw: Int { h * w }
    /// A 1×1, stride-1, unpadded conv is a plain GEMM on the input: no im2col needed.
    var isPointwise: Bool { kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 }

    var inputShape: [Int] { [n, c, h, w] }
    var weightShape: [Int] { [cout, c, kh, kw] }
    var outputShape: [Int] { [n, cout, oh, ow] }

    /// Images folded into one GEMM. Late ResNet stages have tiny planes (8×8 at 256² input), where a GEMM
    /// with 64 columns runs far below peak; folding the batch widens it. Bounded so the column buffer stays
    /// within ~64 MB.
    var imagesPerGemm: Int {
        if n <= 1 || ohw >= 1024 { return 1 }
        let want = (1024 + ohw - 1) / ohw
        let byMemory = max(1, (16 << 20) / max(ckk * ohw, 1))
        return max(1, min(n, want, byMemory))
    }
}

/// Unfolds one image [c, h, w] into columns: row r = (ci, ki, kj), column = output pixel. `ld` is the row
/// stride of `col`, so several images can sit side by side in one buffer.
func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int, _ g: ConvGeometry) {
    let kk = g.kh * g.kw
    parallelItems(g.ckk, costPerItem: g.ohw) { rows in
        for r in rows {
            let ci = r / kk, ki = (r / g.kw) % g.kh, kj = r % g.kw
            let plane = x + ci * g.hw
            let dst = col + r * ld
            let xOff = kj * g.dw - g.pw
            // Output columns whose input column lies inside the image: ox in [oxLo, oxHi).
            let oxLo = xOff >= 0 ? 0 : min(g.ow, (-xOff + g.sw - 1) / g.sw)
            let oxHi = max(oxLo, min(g.ow, (g.w - xOff + g.sw - 1) / g.sw))
            for oy in 0..<g.oh {
                let iy = oy * g.sh - g.ph + ki * g.dh
                let d = dst + oy * g.ow
                if iy < 0 || iy >= g.h {
                    d.update(repeating: 0, count: g.ow)
                    continue
                }
                let src = plane + iy * g.w + xOff
                for ox in 0..<oxLo { d[ox] = 0 }
                if g.sw == 1 {
                    (d + oxLo).update(from: src + oxLo, count: oxHi - oxLo)
                } else {
                    for ox in oxLo..<oxHi { d[ox] = src[ox * g.sw] }
                }
                for ox in oxHi..<g.ow { d[ox] = 0 }
            }
        }
    }
}

/// The adjoint of im2col: adds the columns back into one image [c, h, w] (which the caller zeroed).
/// Parallel over channels: each channel's rows touch only that channel's plane.
func col2im(_ col: UnsafePointer<Float>, ld: Int, _ x: UnsafeMutablePointer<Float>, _ g: ConvGeometry) {
    let kk = g.kh * g.kw
    parallelItems(g.c, costPerItem: kk * g.ohw) { channels in
        for ci in channels {
            let plane = x + ci * g.hw
            for k in 0..<kk {
                let ki = k / g.kw, kj = k % g.kw
                let src = col + (ci * kk + k) * ld
                let xOff = kj * g.dw - g.pw
                let oxLo = xOff >= 0 ? 0 : min(g.ow, (-xOff + g.sw - 1) / g.sw)
                let oxHi = max(oxLo, min(g.ow, (g.w - xOff + g.sw - 1) / g.sw))
                for oy in 0..<g.oh {
                    let iy = oy * g.sh - g.ph + ki * g.dh
                    if iy < 0 || iy >= g.h { continue }
                    let d = plane + iy * g.w + xOff
                    let s = src + oy * g.ow
                    if g.sw == 1 {
                        for ox in oxLo..<oxHi { d[ox] += s[ox] }
                    } else {
                        for ox in oxLo..<oxHi { d[ox * g.sw] += s[ox] }
                    }
                }
            }
        }
    }
}

/// Copies images n0..<n0+count of a [n, rows, plane] tensor into a [rows, count·plane] matrix (and back),
/// the layout a batch-folded GEMM reads and writes.
func foldBatch(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, n0: Int, count: Int, rows: Int, plane: Int) {
    parallelItems(rows, costPerItem: count * plane) { rs in
        for r in rs {
            for i in 0..<count {
                (dst + r * count * plane + i * plane).update(from: src + ((n0 + i) * rows + r) * plane, count: plane)
            }
        }
    }
}

func unfoldBatch(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, n0: Int, count: Int, rows: Int, plane: Int) {
    parallelItems(rows, costPerItem: count * plane) { rs in
        for r in rs {
            for i in 0..<count {
                (dst + ((n0 + i) * rows + r) * plane).update(from: src + r * count * plane + i * plane, count: plane)
            }
        }
    }
}
