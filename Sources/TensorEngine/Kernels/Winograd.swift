// Winograd F(2×2, 3×3) for stride-1, undilated 3×3 convolutions (forward and input gradient) whose GEMMs
// would be too thin for F(4×4) (Winograd4.swift): each 4×4 input tile and 3×3 filter are transformed so
// that a 2×2 output block costs 16 multiplies instead of 36. The 16 element-wise products over channels
// become 16 SGEMMs, so the 2.25× saving lands in OpenBLAS.
//   V = Bᵀ d B (input tile), U = G g Gᵀ (filter), Y = Aᵀ [U ⊙ V summed over channels] A

extension ConvGeometry {
    /// Shapes Winograd serves: 3×3, stride 1, no dilation, padding ≤ 2, channels large enough for the
    /// transforms to pay for themselves.
    var winogradEligible: Bool {
        kh == 3 && kw == 3 && sh == 1 && sw == 1 && dh == 1 && dw == 1 && ph <= 2 && pw <= 2 && c >= 16 && cout >= 16
    }
}

extension ConvGeometry {
    /// The input gradient of a stride-1, undilated convolution is itself such a convolution: of gy with the
    /// filters transposed (cout ↔ c) and rotated 180° (`winogradFilterTransform(rotated:)`), padded by
    /// k − 1 − p, giving back the input's size.
    var inputGradientAsConvolution: ConvGeometry? {
        guard sh == 1 && sw == 1 && dh == 1 && dw == 1 && ph < kh && pw < kw else { return nil }
        return ConvGeometry(n: n, c: cout, h: oh, w: ow, cout: c, kh: kh, kw: kw, sh: 1, sw: 1,
                            ph: kh - 1 - ph, pw: kw - 1 - pw, dh: 1, dw: 1, oh: h, ow: w)
    }
}

/// Copies one [h, w] plane into `scratch` ([padH, padW], zeroed first) at row `top`, column `left`, clipped to
/// it: the zero-bordered plane every Winograd transform reads without bounds checks.
@inline(__always)
func copyZeroBordered(_ plane: UnsafePointer<Float>, h: Int, w: Int, into scratch: UnsafeMutablePointer<Float>,
                      padH: Int, padW: Int, top: Int, left: Int) {
    scratch.initialize(repeating: 0, count: padW * padH)
    let cols = min(w, padW - left)
    for iy in 0..<min(h, padH - top) {
        (scratch + (iy + top) * padW + left).update(from: plane + iy * w, count: cols)
    }
}

/// Forward convolution by Winograd for `count` images starting at `n0`, written into y (NCHW), with bias
/// and activation applied in the output transform. Transforms work on four horizontally adjacent tiles at
/// once (SIMD lanes = tiles), so every store into the 16 transformed planes is one vector store.
func winogradConvImages(_ x: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        n0: Int, count: Int, _ g: ConvGeometry, bias: UnsafePointer<Float>?, activation: Activation) {
    let c = g.c, cout = g.cout, h = g.h, w = g.w, oh = g.oh, ow = g.ow, ph = g.ph, pw = g.pw
    let tilesH = (oh + 1) / 2, tilesW = (ow + 1) / 2
    // Tiles per row padded to a multiple of 4 so every transform step handles four whole tiles.
    let rowTiles = (tilesW + 3) / 4 * 4
    let perImage = tilesH * rowTiles
    let tiles = count * perImage
    let v = TensorStorage(uninitializedCount: 16 * c * tiles)
    let m = TensorStorage(uninitializedCount: 16 * cout * tiles)
    let vp = v.pointer, mp = m.pointer
    let vStride = c * tiles, mStride = cout * tiles
    // A zero-bordered copy of one input plane covers every tile without bounds checks.
    let padW = 2 * rowTiles + 2 + 8, padH = 2 * tilesH + 2

    parallelItems(count * c, costPerItem: perImage * 48) { items in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: padW * padH)
        defer { scratch.deallocate() }
        for item in items {
            let i = item / c, ci = item % c
            let plane = x + ((n0 + i) * c + ci) * h * w
            copyZeroBordered(plane, h: h, w: w, into: scratch, padH: padH, padW: padW, top: ph, left: pw)
            let base = ci * tiles + i * perImage
            for th in 0..<tilesH {
                for tw in stride(from: 0, to: rowTiles, by: 4) {
                    let src = scratch + (2 * th) * padW + 2 * tw
                    // d[r][q] for four tiles: columns 2j + q of row r.
                    @inline(__always) func dRow(_ r: Int) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
                        let p = src + r * padW
                        let lo = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
                        let hi = UnsafeRawPointer(p + 8).loadUnaligned(as: SIMD2<Float>.self)
                        return (SIMD4(lo[0], lo[2], lo[4], lo[6]), SIMD4(lo[1], lo[3], lo[5], lo[7]),
                                SIMD4(lo[2], lo[4], lo[6], hi[0]), SIMD4(lo[3], lo[5], lo[7], hi[1]))
                    }
                    let d0 = dRow(0), d1 = dRow(1), d2 = dRow(2), d3 = dRow(3)
                    let o = base + th * rowTiles + tw
                    @inline(__always) func store(_ r: Int, _ t0: SIMD4<Float>, _ t1: SIMD4<Float>, _ t2: SIMD4<Float>, _ t3: SIMD4<Float>) {
                        UnsafeMutableRawPointer(vp + (4 * r + 0) * vStride + o).storeBytes(of: t0 - t2, as: SIMD4<Float>.self)
                        UnsafeMutableRawPointer(vp + (4 * r + 1) * vStride + o).storeBytes(of: t1 + t2, as: SIMD4<Float>.self)
                        UnsafeMutableRawPointer(vp + (4 * r + 2) * vStride + o).storeBytes(of: t2 - t1, as: SIMD4<Float>.self)
                        UnsafeMutableRawPointer(vp + (4 * r + 3) * vStride + o).storeBytes(of: t1 - t3, as: SIMD4<Float>.self)
                    }
                    // Bᵀ d over rows, then the same combination over columns.
                    store(0, d0.0 - d2.0, d0.1 - d2.1, d0.2 - d2.2, d0.3 - d2.3)
                    store(1, d1.0 + d2.0, d1.1 + d2.1, d1.2 + d2.2, d1.3 + d2.3)
                    store(2, d2.0 - d1.0, d2.1 - d1.1, d2.2 - d1.2, d2.3 - d1.3)
                    store(3, d1.0 - d3.0, d1.1 - d3.1, d1.2 - d3.2, d1.3 - d3.3)
                }
            }
        }
    }

    // M[ξ] = U[ξ] · V[ξ]: [cout × c] · [c × tiles].
    // Independent GEMMs: spread over the engine's workers (each single-threaded) rather than handing each
    // to OpenBLAS's threads, whose spinning after every call competes with the engine's own workers.
    parallelRegion(iterations: 16, concurrent: true) { xi in
        sgemm(transA: false, transB: false, m: cout, n: tiles, k: c, a: u + xi * cout * c, lda: c,
              b: vp + xi * vStride, ldb: tiles, beta: 0, c: mp + xi * mStride, ldc: tiles)
    }

    // Output transform Aᵀ M A on four tiles at a time, plus bias and activation.
    parallelItems(count * cout, costPerItem: perImage * 40) { items in
        for item in items {
            let i = item / cout, co = item % cout
            let out = y + ((n0 + i) * cout + co) * oh * ow
            let b = SIMD4<Float>(repeating: bias?[co] ?? 0)
            let base = co * tiles + i * perImage
            for th in 0..<tilesH {
                for tw in stride(from: 0, to: rowTiles, by: 4) {
                    let o = base + th * rowTiles + tw
                    @inline(__always) func ld(_ xi: Int) -> SIMD4<Float> {
                        UnsafeRawPointer(mp + xi * mStride + o).loadUnaligned(as: SIMD4<Float>.self)
                    }
                    // Rows of Aᵀ M (per column q), then Aᵀ applied across columns.
                    let s00 = ld(0) + ld(4) + ld(8), s01 = ld(1) + ld(5) + ld(9)
                    let s02 = ld(2) + ld(6) + ld(10), s03 = ld(3) + ld(7) + ld(11)
                    let s10 = ld(4) - ld(8) - ld(12), s11 = ld(5) - ld(9) - ld(13)
                    let s12 = ld(6) - ld(10) - ld(14), s13 = ld(7) - ld(11) - ld(15)
                    var y00 = s00 + s01 + s02 + b, y01 = s01 - s02 - s03 + b
                    var y10 = s10 + s11 + s12 + b, y11 = s11 - s12 - s13 + b
                    switch activation {
                    case .none: break
                    case .relu:
                        let z = SIMD4<Float>.zero
                        y00 = y00.replacing(with: z, where: y00 .< z); y01 = y01.replacing(with: z, where: y01 .< z)
                        y10 = y10.replacing(with: z, where: y10 .< z); y11 = y11.replacing(with: z, where: y11 .< z)
                    case .leakyRelu(let sl):
                        let z = SIMD4<Float>.zero
                        y00 = y00.replacing(with: y00 * sl, where: y00 .< z); y01 = y01.replacing(with: y01 * sl, where: y01 .< z)
                        y10 = y10.replacing(with: y10 * sl, where: y10 .< z); y11 = y11.replacing(with: y11 * sl, where: y11 .< z)
                    }
                    let oy = 2 * th, ox = 2 * tw
                    @inline(__always) func write(_ row: Int, _ a: SIMD4<Float>, _ bb: SIMD4<Float>) {
                        guard oy + row < oh else { return }
                        let dst = out + (oy + row) * ow + ox
                        let v = SIMD8<Float>(a[0], bb[0], a[1], bb[1], a[2], bb[2], a[3], bb[3])
                        if ox + 8 <= ow {
                            UnsafeMutableRawPointer(dst).storeBytes(of: v, as: SIMD8<Float>.self)
                        } else {
                            for k in 0..<(ow - ox) { dst[k] = v[k] }
                        }
                    }
                    write(0, y00, y01)
                    write(1, y10, y11)
                }
            }
        }
    }
}
