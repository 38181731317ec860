import CVectorKernels

// Winograd F(4×4, 3×3): 6×6 input tiles give 4×4 output blocks for 36 multiplies instead of 144, a 4×
// saving over direct convolution (F(2×2, 3×3) saves 2.25×). The 36 element-wise products over channels
// become 36 SGEMMs. Per output pixel the transformed planes also hold 2.25 values instead of 4, so the
// transforms move less memory. Interpolation points 0, ±1, ±2 and ∞:
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
//   G  = [1/4 0 0; −1/6 −1/6 −1/6; −1/6 1/6 −1/6; 1/24 1/12 1/6; 1/24 −1/12 1/6; 0 0 1]
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]

/// Which Winograd tile a 3×3 convolution runs with.
enum WinogradTile: Equatable {
    /// F(2×2, 3×3): 4×4 input tiles.
    case f2
    /// F(4×4, 3×3): 6×6 input tiles.
    case f4

    /// Tests pin a tile to check both on any shape; nil lets the geometry decide.
    nonisolated(unsafe) static var forced: WinogradTile?

    /// Images per Winograd GEMM: enough for about 256 F(4×4) tiles (columns), where OpenBLAS runs near
    /// its peak; planes of 64×64 and more fill that alone. The transformed images stay within ~16 MB.
    static func imagesPerGemm(_ g: ConvGeometry) -> Int {
        let tiles4 = ((g.oh + 3) / 4) * ((g.ow + 3) / 4)
        let want = (256 + tiles4 - 1) / tiles4
        let byMemory = max(1, (4 << 20) / max(36 * tiles4 * max(g.c, g.cout), 1))
        return max(1, min(g.n, want, byMemory))
    }

    /// F(4×4) while each GEMM still gets enough tiles to run near OpenBLAS's peak; small late planes (8×8
    /// at 256² input) keep F(2×2), whose GEMMs are 4× wider there.
    static func choose(_ g: ConvGeometry, imagesPerGemm: Int) -> WinogradTile {
        if let forced { return forced }
        let tiles4 = imagesPerGemm * ((g.oh + 3) / 4) * ((g.ow + 3) / 4)
        return tiles4 >= 192 ? .f4 : .f2
    }
}

/// U[ξ][co·c + ci] = (G g Gᵀ)[ξ] for the filters of a convolution with geometry g, ξ = 4·row + column
/// (F(2×2)) or 6·row + column (F(4×4)) of the transformed tile. With `rotated`, w holds the filters of the
/// convolution whose input gradient g describes ([g.c, g.cout, 3, 3]), and each is transposed and turned
/// 180° on the way (`ConvGeometry.inputGradientAsConvolution`).
func winogradFilterTransform(_ tile: WinogradTile, _ w: UnsafePointer<Float>, _ g: ConvGeometry, rotated: Bool) -> TensorStorage {
    let rows = g.cout, cols = g.c
    let u = TensorStorage(uninitializedCount: (tile == .f4 ? 36 : 16) * rows * cols)
    let up = u.pointer, flag: Int32 = rotated ? 1 : 0
    parallelItems(rows, costPerItem: cols * (tile == .f4 ? 60 : 30)) { r in
        let r0 = Int32(r.lowerBound), r1 = Int32(r.upperBound)
        if tile == .f4 {
            lk_winograd4_filters(w, Int32(rows), Int32(cols), flag, r0, r1, up)
        } else {
            lk_winograd2_filters(w, Int32(rows), Int32(cols), flag, r0, r1, up)
        }
    }
    return u
}

/// How a convolution's output planes are cut into F(4×4) tiles, shared by the forward pass and the weight
/// gradient: 4×4 output blocks, a spare tile per row (see Sources/CVectorKernels/winograd4.c), and the
/// zero-bordered input plane the 6×6 tiles read (tile (th, j): rows 4th…4th+5, columns 4j…4j+5).
struct Winograd4Tiling {
    let tilesH: Int, rowPitch: Int, perImage: Int, padW: Int, padH: Int

    init(_ g: ConvGeometry) {
        tilesH = (g.oh + 3) / 4
        rowPitch = (g.ow + 3) / 4 + 1
        perImage = tilesH * rowPitch
        padW = 4 * rowPitch
        padH = 4 * tilesH + 2
    }
}

/// V[ξ][ci][tile] = Bᵀ d B of every tile of images n0..<n0+count, tiles of image i at i·perImage.
func winograd4InputTransform(_ x: UnsafePointer<Float>, n0: Int, count: Int, _ g: ConvGeometry, _ t: Winograd4Tiling,
                             into v: UnsafeMutablePointer<Float>) {
    let c = g.c, h = g.h, w = g.w, tiles = count * t.perImage
    parallelItems(count * c, costPerItem: t.perImage * 160) { items in
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: t.padW * t.padH + 24 * t.perImage)
        defer { scratch.deallocate() }
        for item in items {
            let i = item / c, ci = item % c
            copyZeroBordered(x + ((n0 + i) * c + ci) * h * w, h: h, w: w, into: scratch, padH: t.padH, padW: t.padW,
                             top: g.ph, left: g.pw)
            lk_winograd4_input(scratch, t.padW, Int32(t.tilesH), Int32(t.rowPitch), v + ci * tiles + i * t.perImage, c * tiles,
                               scratch + t.padW * t.padH)
        }
    }
}

/// Forward convolution by F(4×4, 3×3) for `count` images starting at `n0`, written into y (NCHW), with
/// bias and activation applied in the output transform. Same contract as `winogradConvImages`.
func winograd4ConvImages(_ x: UnsafePointer<Float>, _ u: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         n0: Int, count: Int, _ g: ConvGeometry, bias: UnsafePointer<Float>?, activation: Activation) {
    let c = g.c, cout = g.cout, oh = g.oh, ow = g.ow
    let t = Winograd4Tiling(g), tilesH = t.tilesH, rowPitch = t.rowPitch, perImage = t.perImage
    let tiles = count * perImage
    let v = TensorStorage(uninitializedCount: 36 * c * tiles)
    let m = TensorStorage(uninitializedCount: 36 * cout * tiles)
    let vp = v.pointer, mp = m.pointer
    let vStride = c * tiles, mStride = cout * tiles
    winograd4InputTransform(x, n0: n0, count: count, g, t, into: vp)

    // M[ξ] = U[ξ] · V[ξ]: [cout × c] · [c × tiles].
    // Independent GEMMs: spread over the engine's workers (see Winograd.swift).
    parallelRegion(iterations: 36, concurrent: true) { xi in
        sgemm(transA: false, transB: false, m: cout, n: tiles, k: c, a: u + xi * cout * c, lda: c,
              b: vp + xi * vStride, ldb: tiles, beta: 0, c: mp + xi * mStride, ldc: tiles)
    }

    // Output transform Aᵀ M A, plus bias and activation.
    let (act, slope) = activation.kernelCode
    parallelItems(count * cout, costPerItem: perImage * 120) { items in
        let work = UnsafeMutablePointer<Float>.allocate(capacity: 40 * perImage)
        defer { work.deallocate() }
        for item in items {
            let i = item / cout, co = item % cout
            lk_winograd4_output(mp + co * tiles + i * perImage, mStride, Int32(tilesH), Int32(rowPitch),
                                y + ((n0 + i) * cout + co) * oh * ow, Int32(oh), Int32(ow), bias?[co] ?? 0, act, slope, work)
        }
    }
}


/// dw by F(4×4, 3×3), the transpose of the forward algorithm: with V = Bᵀ x B of every input tile (as in
/// the forward pass) and W = A gy Aᵀ of every output-gradient block, M[ξ][co][ci] = Σ over tiles of
/// W[ξ][co]·V[ξ][ci] (36 GEMMs, summed over the batch), and dw[co][ci] = Gᵀ M[co][ci] G. Workers sum
/// their own image groups into private M, added in worker order, so the result depends only on the thread
/// count.
func winograd4WeightGradient(_ x: UnsafePointer<Float>, _ gy: UnsafePointer<Float>, _ g: ConvGeometry, _ plan: ConvSchedule) -> Tensor {
    let c = g.c, cout = g.cout, oh = g.oh, ow = g.ow
    let t = Winograd4Tiling(g), tilesH = t.tilesH, rowPitch = t.rowPitch, perImage = t.perImage, padW = t.padW
    let mCount = 36 * cout * c
    let sums = (0..<plan.workers).map { _ in TensorStorage(uninitializedCount: mCount) }
    parallelRegion(iterations: plan.workers, concurrent: plan.workers > 1) { worker in
        let acc = sums[worker].pointer
        acc.update(repeating: 0, count: mCount)
        for gi in plan.groups(of: worker) {
            let n0 = gi * plan.group, count = min(plan.group, g.n - n0), tiles = count * perImage
            let v = TensorStorage(uninitializedCount: 36 * c * tiles), wt = TensorStorage(uninitializedCount: 36 * cout * tiles)
            let vp = v.pointer, wp = wt.pointer
            winograd4InputTransform(x, n0: n0, count: count, g, t, into: vp)
            parallelItems(count * cout, costPerItem: perImage * 100) { items in
                // Output-gradient blocks need no border: 4·tilesH rows of padW columns, zero past the plane.
                let rows = 4 * tilesH, scratch = UnsafeMutablePointer<Float>.allocate(capacity: rows * padW + 24 * perImage)
                defer { scratch.deallocate() }
                for item in items {
                    let i = item / cout, co = item % cout
                    let plane = gy + ((n0 + i) * cout + co) * oh * ow
                    copyZeroBordered(plane, h: oh, w: ow, into: scratch, padH: rows, padW: padW, top: 0, left: 0)
                    lk_winograd4_gradient_transform(scratch, Int32(tilesH), Int32(rowPitch), wp + co * tiles + i * perImage,
                                                    cout * tiles, scratch + rows * padW)
                }
            }
            // One accumulator plane per ξ, so the GEMMs are independent (see Winograd.swift).
            parallelRegion(iterations: 36, concurrent: true) { xi in
                sgemm(transA: false, transB: true, m: cout, n: c, k: tiles, a: wp + xi * cout * tiles, lda: tiles,
                      b: vp + xi * c * tiles, ldb: tiles, beta: 1, c: acc + xi * cout * c, ldc: c)
            }
        }
    }
    let total = sums[0].pointer
    for s in sums.dropFirst() { addInPlace(total, s.pointer, count: mCount) }
    // dw = Gᵀ M G, Gᵀ's rows (1/4 −1/6 −1/6 1/24 1/24 0), (0 −1/6 1/6 1/12 −1/12 0), (0 −1/6 −1/6 1/6 1/6 1).
    let dw = Tensor(uninitialized: g.weightShape)
    let dp = dw.data, stride = cout * c
    @inline(__always) func gT(_ m: SIMD8<Float>) -> SIMD4<Float> {
        SIMD4(m[0] / 4 - (m[1] + m[2]) / 6 + (m[3] + m[4]) / 24,
              (m[2] - m[1]) / 6 + (m[3] - m[4]) / 12,
              -(m[1] + m[2]) / 6 + (m[3] + m[4]) / 6 + m[5], 0)
    }
    parallelItems(stride, costPerItem: 150) { r in
        for f in r {
            // Gᵀ applied down each of M's six columns (rows t0…t2 of Gᵀ M), then across those rows.
            var t0 = SIMD8<Float>.zero, t1 = SIMD8<Float>.zero, t2 = SIMD8<Float>.zero
            for q in 0..<6 {
                var column = SIMD8<Float>.zero
                for r6 in 0..<6 { column[r6] = total[(6 * r6 + q) * stride + f] }
                let t = gT(column)
                t0[q] = t[0]; t1[q] = t[1]; t2[q] = t[2]
            }
            let r0 = gT(t0), r1 = gT(t1), r2 = gT(t2), d = dp + f * 9
            d[0] = r0[0]; d[1] = r0[1]; d[2] = r0[2]
            d[3] = r1[0]; d[4] = r1[1]; d[5] = r1[2]
            d[6] = r2[0]; d[7] = r2[1]; d[8] = r2[2]
        }
    }
    return dw
}
