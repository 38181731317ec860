// Kernels written in C so that each is compiled three times, for AVX-512, for AVX2 with FMA and for
// baseline x86-64, with the copy the CPU supports chosen at load time (target_clones). Swift code is
// compiled for baseline x86-64 only.
#ifndef VECTOR_KERNELS_H
#define VECTOR_KERNELS_H

/// Winograd F(4×4, 3×3) input transform of one zero-padded plane. Tile (th, j), th < tilesH, j < rowPitch − 1,
/// reads rows 4th…4th+5 and columns 4j…4j+5 of `padded` (row stride padW ≥ 4·rowPitch, at least 4·tilesH + 2
/// rows) and writes V[ξ] at v[ξ·vStride + th·rowPitch + j], ξ = 6·row + column; the spare tile j = rowPitch − 1
/// of each row gets unspecified values (0 for the last row). `work` holds 24·tilesH·rowPitch floats.
void lk_winograd4_input(const float *padded, long padW, int tilesH, int rowPitch,
                        float *v, long vStride, float *work);

/// Winograd F(4×4, 3×3) output transform of one output plane [oh, ow]: tile (th, j) reads
/// m[ξ·mStride + th·rowPitch + j] and writes the 4×4 block at rows 4th…, columns 4j…, clipped to the plane,
/// after adding `bias` and applying the activation (0 none, 1 ReLU, 2 leaky ReLU with `slope`).
/// `work` holds 40·tilesH·rowPitch floats.
void lk_winograd4_output(const float *m, long mStride, int tilesH, int rowPitch, float *out, int oh, int ow,
                         float bias, int activation, float slope, float *work);

/// The weight gradient's transform of one output-gradient plane, A g Aᵀ for every 4×4 block: `padded` has
/// 4·tilesH rows of 4·rowPitch columns (row stride 4·rowPitch), zero outside the plane; tile (th, j) goes
/// to w[ξ·wStride + th·rowPitch + j] for every j < rowPitch. `work` holds 24·tilesH·rowPitch floats.
void lk_winograd4_gradient_transform(const float *padded, int tilesH, int rowPitch, float *w, long wStride, float *work);

/// Winograd filter transforms U[ξ][i·cols + j] = (G g Gᵀ)[ξ] for output filters i in row0..<row1, j < cols:
/// 16 planes for F(2×2, 3×3), 36 for F(4×4, 3×3), each rows·cols long. Filter (i, j) is w's filter
/// i·cols + j, or with `rotated` w's filter j·rows + i turned 180° (w then holds cols × rows filters).
void lk_winograd2_filters(const float *w, int rows, int cols, int rotated, int row0, int row1, float *u);
void lk_winograd4_filters(const float *w, int rows, int cols, int rotated, int row0, int row1, float *u);

/// Single-precision FMA throughput of one core on the widest vector unit the CPU has (0 without AVX2), in
/// GFLOP/s (2 FLOPs per lane per FMA), measured over about `seconds`.
double lk_fma_peak_gflops(double seconds);

/// The widest ISA the CPU has, the one the loader chose the kernels for: 2 AVX-512, 1 AVX2 with FMA,
/// 0 baseline.
int lk_vector_kernels_isa(void);

/// Largest kh·kw `lk_direct_conv_rows` takes.
#define LK_DIRECT_MAX_TAPS 256

/// Direct convolution (Sources/CVectorKernels/direct_conv.c). `lk_direct_conv_phases` writes phase
/// planes plane0..<plane1 of one zero-padded image [c, h, w]: plane p = (ci·stride + a)·stride + b, at
/// phases + p·ph·pw, holds padded pixel (stride·i + a, stride·j + b) at (i, j), i < ph, j < pw. The rows
/// kernel needs ph ≥ oh + (kh − 1)/stride and pw ≥ (ow rounded up to `lk_direct_conv_width()`) +
/// (kw − 1)/stride.
void lk_direct_conv_phases(const float *x, int h, int w, int stride, int padH, int padW, int ph, int pw,
                           int plane0, int plane1, float *phases);

/// Output rows row0..<row1 of every channel of one image: y[co][oy][ox] = bias[co] +
/// Σ w[co][ci][ky][kx] · phase(ci, ky mod s, kx mod s)[oy + ky/s][ox + kx/s], then the activation
/// (0 none, 1 ReLU, 2 leaky ReLU with `slope`), with the vector code for `isa` (numbered as
/// `lk_vector_kernels_isa`, never wider than the CPU's). `wt` holds the filters as [⌈cout/B⌉][c][kh][kw][B],
/// B = `lk_direct_conv_block(isa)`, zero past cout. `bias` may be null.
void lk_direct_conv_rows(int isa, const float *phases, int c, int kh, int kw, int stride, int ph, int pw, const float *wt,
                         int cout, const float *bias, int activation, float slope, float *y, int oh, int ow, int row0, int row1);

/// Adds one image's weight gradient for output channels co0..<co1 to dw [cout][c][kh][kw]:
/// dw[co][ci][ky][kx] += Σ gy[co][oy][ox] · phase(ci, ky mod s, kx mod s)[oy + ky/s][ox + kx/s], with `phases`
/// as `lk_direct_conv_phases` writes them (pw ≥ ow + (kw − 1)/stride suffices here) and gy [cout][oh][ow].
/// c ≤ 4 and kh·kw ≤ LK_DIRECT_MAX_TAPS.
void lk_direct_conv_weight_grad(int isa, const float *phases, int c, int kh, int kw, int stride, int ph, int pw,
                                const float *gy, int oh, int ow, int co0, int co1, float *dw);

/// Output channels per register block of `lk_direct_conv_rows` for `isa`.
int lk_direct_conv_block(int isa);

/// Output pixels per register block of `lk_direct_conv_rows` for `isa`.
int lk_direct_conv_width(int isa);

#endif
