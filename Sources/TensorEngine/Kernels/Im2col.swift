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

    /// 2·N·Cout·C·kh·kw·OH·OW: the multiply-adds of the direct method, whichever algorithm runs.
    var denseFLOPs: Double { 2 * Double(n * cout) * Double(ckk) * Double(ohw) }

    /// A profile label: kernel size, stride when not 1, and the pass ("3×3 s2 weight grad").
    func kernelKind(_ pass: String) -> String {
        "\(kh)×\(kw)" + (sh == 1 && sw == 1 ? "" : " s\(sh)") + (dh == 1 && dw == 1 ? "" : " d\(dh)") + " " + pass
    }

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
    im2col(x, col, ld: ld, g, outputRows: 0..<g.oh)
}

/// im2col restricted to output rows `outputRows` (columns are numbered from the first of those rows), so a
/// single image can be split between workers.
func im2col(_ x: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>, ld: Int, _ g: ConvGeometry, outputRows: Range<Int>) {
    // Geometry in locals: the compiler cannot prove stores through `col` leave a captured struct unchanged.
    let kh = g.kh, kw = g.kw, sh = g.sh, sw = g.sw, ph = g.ph, pw = g.pw, dh = g.dh, dw = g.dw
    let h = g.h, w = g.w, ow = g.ow, hw = g.hw
    let kk = kh * kw
    let oy0 = outputRows.lowerBound
    parallelItems(g.ckk, costPerItem: outputRows.count * ow) { rows in
        for r in rows {
            let ci = r / kk, ki = (r / kw) % kh, kj = r % kw
            let plane = x + ci * hw
            let dst = col + r * ld - oy0 * ow
            let xOff = kj * dw - pw
            // Output columns whose input column lies inside the image: ox in [oxLo, oxHi).
            let oxLo = xOff >= 0 ? 0 : min(ow, (-xOff + sw - 1) / sw)
            let oxHi = max(oxLo, min(ow, (w - xOff + sw - 1) / sw))
            for oy in outputRows {
                let iy = oy * sh - ph + ki * dh
                let d = dst + oy * ow
                if iy < 0 || iy >= h {
                    d.update(repeating: 0, count: ow)
                    continue
                }
                let src = plane + iy * w + xOff
                for ox in 0..<oxLo { d[ox] = 0 }
                if sw == 1 {
                    (d + oxLo).update(from: src + oxLo, count: oxHi - oxLo)
                } else if sw == 2 {
                    for ox in oxLo..<oxHi { d[ox] = src[2 * ox] }
                } else {
                    for ox in oxLo..<oxHi { d[ox] = src[ox * sw] }
                }
                for ox in oxHi..<ow { d[ox] = 0 }
            }
        }
    }
}

/// The adjoint of im2col: adds the columns back into one image [c, h, w] (which the caller zeroed).
/// Parallel over channels: each channel's rows touch only that channel's plane.
func col2im(_ col: UnsafePointer<Float>, ld: Int, _ x: UnsafeMutablePointer<Float>, _ g: ConvGeometry) {
    let kh = g.kh, kw = g.kw, sh = g.sh, sw = g.sw, ph = g.ph, pw = g.pw, dh = g.dh, dw = g.dw
    let h = g.h, w = g.w, oh = g.oh, ow = g.ow, hw = g.hw
    let kk = kh * kw
    parallelItems(g.c, costPerItem: kk * g.ohw) { channels in
        for ci in channels {
            let plane = x + ci * hw
            for k in 0..<kk {
                let ki = k / kw, kj = k % kw
                let src = col + (ci * kk + k) * ld
                let xOff = kj * dw - pw
                let oxLo = xOff >= 0 ? 0 : min(ow, (-xOff + sw - 1) / sw)
                let oxHi = max(oxLo, min(ow, (w - xOff + sw - 1) / sw))
                for oy in 0..<oh {
                    let iy = oy * sh - ph + ki * dh
                    if iy < 0 || iy >= h { continue }
                    let d = plane + iy * w + xOff
                    let s = src + oy * ow
                    if sw == 1 {
                        for ox in oxLo..<oxHi { d[ox] += s[ox] }
                    } else {
                        for ox in oxLo..<oxHi { d[ox * sw] += s[ox] }
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

// MARK: channels-last columns

// For small planes (16×16 and 8×8 at 256² input) the NCHW im2col above copies rows of 8–16 floats, one
// index computation each. With the image first turned channels-last (and zero-bordered), each window row
// of each output pixel is kw·c contiguous floats, so the columns are built from copies of 192–3072 floats.
// The columns are then pixel-major, [pixel][ky][kx][ci], and the filters are permuted to match.

extension ConvGeometry {
    /// Where channels-last columns replace NCHW im2col: undilated kernels of at least 3×3 with enough
    /// channels for long window rows, on planes whose rows are short.
    var channelsLastColumns: Bool { kh * kw >= 9 && dh == 1 && dw == 1 && c >= 32 && ow <= 32 }

    /// Rows of the zero-bordered channels-last image that `im2colChannelsLast` reads.
    var paddedHW: (h: Int, w: Int) { (h + 2 * ph, w + 2 * pw) }
}

/// One image [c, h, w] as [h + 2·ph][w + 2·pw][c], zero outside the image.
func channelsLastPadded(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into xp: UnsafeMutablePointer<Float>) {
    let c = g.c, h = g.h, w = g.w, ph = g.ph, pw = g.pw, (hp, wp) = g.paddedHW
    // Border rows and columns first, then the image, in blocks of 8 channels so writes stay within a few lines.
    for y in 0..<hp {
        let row = xp + y * wp * c
        if y < ph || y >= ph + h { row.update(repeating: 0, count: wp * c); continue }
        row.update(repeating: 0, count: pw * c)
        (row + (pw + w) * c).update(repeating: 0, count: (wp - pw - w) * c)
    }
    let block = 8
    for c0 in stride(from: 0, to: c, by: block) {
        let c1 = min(c, c0 + block)
        for y in 0..<h {
            let dst = xp + ((y + ph) * wp + pw) * c
            for ci in c0..<c1 {
                let src = x + (ci * h + y) * w
                for xx in 0..<w { dst[xx * c + ci] = src[xx] }
            }
        }
    }
}

/// Columns of one image, pixel-major: row p = oy·ow + ox of `colT` (row stride `ld`) holds the window
/// [ky][kx][ci] of output pixel p, read from the padded channels-last image `xp`.
func im2colChannelsLast(_ xp: UnsafePointer<Float>, _ colT: UnsafeMutablePointer<Float>, ld: Int, _ g: ConvGeometry) {
    let c = g.c, kh = g.kh, kw = g.kw, sh = g.sh, sw = g.sw, ow = g.ow, wp = g.paddedHW.w
    let span = kw * c
    parallelItems(g.oh, costPerItem: ow * kh * span) { rows in
        for oy in rows {
            for ox in 0..<ow {
                let dst = colT + (oy * ow + ox) * ld
                for ky in 0..<kh {
                    (dst + ky * span).update(from: xp + ((oy * sh + ky) * wp + ox * sw) * c, count: span)
                }
            }
        }
    }
}

/// Filters [cout, c, kh, kw] as [cout][kh][kw][c], the column order of `im2colChannelsLast`, or back
/// with `inverse`.
func permuteFiltersChannelsLast(_ w: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ g: ConvGeometry, inverse: Bool = false) {
    let c = g.c, kk = g.kh * g.kw
    parallelItems(g.cout, costPerItem: c * kk) { rows in
        for co in rows {
            let a = w + co * c * kk, b = out + co * c * kk
            for ci in 0..<c {
                for k in 0..<kk {
                    if inverse { b[ci * kk + k] = a[k * c + ci] } else { b[k * c + ci] = a[ci * kk + k] }
                }
            }
        }
    }
}
