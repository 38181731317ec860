// Direct convolution, for layers with few input channels (the 7×7 stride-2 stem on a grayscale image):
// there im2col copies every input pixel kh·kw times into a matrix whose K = c·kh·kw is too short for
// SGEMM to run well. Here a stride-s convolution becomes s² stride-1 ones: "phase" plane (a, b) holds the
// padded input's pixels (s·i + a, s·j + b), so tap (ky, kx) of output row oy reads phase
// (ky mod s, kx mod s) at row oy + ky/s, columns ox + kx/s — contiguous in ox. A register block of CB output
// channels × NV vectors of output pixels then accumulates over every tap with one FMA per lane.
#include "vector_kernels.h"
#include <string.h>

void lk_direct_conv_phases(const float *restrict x, int h, int w, int stride, int padH, int padW,
                           int ph, int pw, int plane0, int plane1, float *restrict phases) {
    const long plane = (long)ph * pw;
    for (int p = plane0; p < plane1; p++) {
        const int ci = p / (stride * stride), a = p / stride % stride, b = p % stride;
        const float *src = x + (long)ci * h * w;
        {
            {
                float *dst = phases + (long)p * plane;
                for (int i = 0; i < ph; i++) {
                    const int y = stride * i + a - padH;
                    float *row = dst + (long)i * pw;
                    if (y < 0 || y >= h) { memset(row, 0, sizeof(float) * pw); continue; }
                    const float *in = src + (long)y * w;
                    for (int j = 0; j < pw; j++) {
                        const int xx = stride * j + b - padW;
                        row[j] = (xx >= 0 && xx < w) ? in[xx] : 0;
                    }
                }
            }
        }
    }
}

// One body for every vector width. `wt` is [cout/CB][c][kh][kw][CB] (zero rows past cout); each block of
// CB channels × NV·VL pixels keeps its CB·NV accumulators in registers over all c·kh·kw taps.
#define DIRECT_ROWS(VT, VL, CB, NV)                                                                         \
    const long plane = (long)ph * pw, taps = (long)c * kh * kw;                                             \
    const int width = NV * VL;                                                                              \
    long offset[LK_DIRECT_MAX_TAPS];                                                                        \
    for (int ky = 0; ky < kh; ky++)                                                                         \
        for (int kx = 0; kx < kw; kx++)                                                                     \
            offset[ky * kw + kx] = ((ky % stride) * stride + kx % stride) * plane + (ky / stride) * pw + kx / stride; \
    for (int oy = row0; oy < row1; oy++) {                                                                  \
        for (int cb0 = 0; cb0 < cout; cb0 += CB) {                                                          \
            const float *wblock = wt + (long)(cb0 / CB) * taps * CB;                                        \
            for (int x0 = 0; x0 < ow; x0 += width) {                                                        \
                VT acc[CB][NV];                                                                             \
                for (int q = 0; q < CB; q++)                                                                \
                    for (int v = 0; v < NV; v++) acc[q][v] = (VT){0};                                       \
                const float *wp = wblock;                                                                   \
                for (int ci = 0; ci < c; ci++) {                                                            \
                    const float *base = phases + (long)ci * stride * stride * plane + (long)oy * pw + x0;   \
                    for (int t = 0; t < kh * kw; t++, wp += CB) {                                           \
                        const float *src = base + offset[t];                                                \
                        VT in[NV];                                                                          \
                        for (int v = 0; v < NV; v++) memcpy(&in[v], src + v * VL, sizeof(VT));              \
                        for (int q = 0; q < CB; q++)                                                        \
                            for (int v = 0; v < NV; v++) acc[q][v] += in[v] * wp[q];                        \
                    }                                                                                       \
                }                                                                                           \
                /* Out of registers through constant indices only (any other access would keep the        \
                   accumulators in memory through the tap loop), then bias and activation per vector. */    \
                float res[CB][NV * VL];                                                                     \
                for (int q = 0; q < CB; q++)                                                                \
                    for (int v = 0; v < NV; v++) memcpy(&res[q][v * VL], &acc[q][v], sizeof(VT));          \
                const int n = ow - x0 < width ? ow - x0 : width;                                            \
                for (int q = 0; q < CB && cb0 + q < cout; q++) {                                            \
                    const float b = bias ? bias[cb0 + q] : 0;                                               \
                    for (int v = 0; v < NV; v++) {                                                          \
                        VT r;                                                                               \
                        memcpy(&r, &res[q][v * VL], sizeof(VT));                                            \
                        r += b;                                                                             \
                        if (activation == 1) r = __builtin_elementwise_max(r, (VT){0});                     \
                        else if (activation == 2)                                                           \
                            r = slope <= 1 ? __builtin_elementwise_max(r, r * slope)                        \
                                           : __builtin_elementwise_min(r, r * slope);                       \
                        memcpy(&res[q][v * VL], &r, sizeof(VT));                                            \
                    }                                                                                       \
                    memcpy(y + ((long)(cb0 + q) * oh + oy) * ow + x0, res[q], sizeof(float) * n);           \
                }                                                                                           \
            }                                                                                               \
        }                                                                                                   \
    }

#define DIRECT_SIGNATURE                                                                                    \
    (const float *restrict phases, int c, int kh, int kw, int stride, int ph, int pw, const float *restrict wt,\
     int cout, const float *restrict bias, int activation, float slope, float *restrict y, int oh, int ow,    \
     int row0, int row1)
#define DIRECT_ARGS phases, c, kh, kw, stride, ph, pw, wt, cout, bias, activation, slope, y, oh, ow, row0, row1

typedef float lk_f16 __attribute__((vector_size(64)));
typedef float lk_f8 __attribute__((vector_size(32)));
typedef float lk_f4 __attribute__((vector_size(16)));

#if defined(__x86_64__)
// 8 × 2 zmm accumulators of 16 lanes; 4 × 2 ymm on AVX2, which has 16 registers in all.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
static void rows512 DIRECT_SIGNATURE { DIRECT_ROWS(lk_f16, 16, 8, 2) }
__attribute__((target("avx2,fma")))
static void rows256 DIRECT_SIGNATURE { DIRECT_ROWS(lk_f8, 8, 4, 2) }
#endif
static void rowsBaseline DIRECT_SIGNATURE { DIRECT_ROWS(lk_f4, 4, 4, 2) }

// The weight gradient, dw[co][tap] += Σ over pixels of gy[co][pixel] · (the input that tap reads there), with
// tap = (ci, ky, kx). A register block of CB channels × TB taps holds vector partial sums over a whole
// sweep of the image; each pixel vector costs CB + TB loads for CB·TB FMAs. Channels are the outer loop,
// so each caller's channel range is summed by one thread, in a fixed order.
#define DIRECT_WGRAD(VT, VL, CB, TB)                                                                        \
    const long plane = (long)ph * pw, ohw = (long)oh * ow;                                                  \
    const int kk = kh * kw, taps = c * kk;                                                                  \
    long offset[4 * LK_DIRECT_MAX_TAPS];                                                                    \
    for (int ci = 0; ci < c; ci++)                                                                          \
        for (int ky = 0; ky < kh; ky++)                                                                     \
            for (int kx = 0; kx < kw; kx++)                                                                 \
                offset[ci * kk + ky * kw + kx] = ((long)(ci * stride + ky % stride) * stride + kx % stride) * plane \
                                                 + (ky / stride) * pw + kx / stride;                        \
    for (int cb0 = co0; cb0 < co1; cb0 += CB) {                                                             \
        const float *g[CB];                                                                                 \
        for (int q = 0; q < CB; q++) g[q] = gy + (long)(cb0 + q < co1 ? cb0 + q : cb0) * ohw;               \
        for (int t0 = 0; t0 < taps; t0 += TB) {                                                             \
            long off[TB];                                                                                   \
            for (int u = 0; u < TB; u++) off[u] = offset[t0 + u < taps ? t0 + u : t0];                      \
            VT acc[CB][TB];                                                                                 \
            for (int q = 0; q < CB; q++)                                                                    \
                for (int u = 0; u < TB; u++) acc[q][u] = (VT){0};                                           \
            float tail[CB][TB];                                                                             \
            for (int q = 0; q < CB; q++)                                                                    \
                for (int u = 0; u < TB; u++) tail[q][u] = 0;                                                \
            for (int oy = 0; oy < oh; oy++) {                                                               \
                const float *row = phases + (long)oy * pw;                                                  \
                const long gRow = (long)oy * ow;                                                            \
                int x = 0;                                                                                  \
                for (; x + VL <= ow; x += VL) {                                                             \
                    VT gv[CB], in[TB];                                                                      \
                    for (int q = 0; q < CB; q++) memcpy(&gv[q], g[q] + gRow + x, sizeof(VT));               \
                    for (int u = 0; u < TB; u++) memcpy(&in[u], row + off[u] + x, sizeof(VT));              \
                    for (int q = 0; q < CB; q++)                                                            \
                        for (int u = 0; u < TB; u++) acc[q][u] += gv[q] * in[u];                            \
                }                                                                                           \
                for (; x < ow; x++)                                                                         \
                    for (int q = 0; q < CB; q++)                                                            \
                        for (int u = 0; u < TB; u++) tail[q][u] += g[q][gRow + x] * row[off[u] + x];       \
            }                                                                                               \
            float lanes[CB][TB][VL];                                                                        \
            for (int q = 0; q < CB; q++)                                                                    \
                for (int u = 0; u < TB; u++) memcpy(lanes[q][u], &acc[q][u], sizeof(VT));                  \
            for (int q = 0; q < CB && cb0 + q < co1; q++)                                                   \
                for (int u = 0; u < TB && t0 + u < taps; u++) {                                             \
                    float sum = tail[q][u];                                                                 \
                    for (int l = 0; l < VL; l++) sum += lanes[q][u][l];                                     \
                    dw[(long)(cb0 + q) * taps + t0 + u] += sum;                                             \
                }                                                                                           \
        }                                                                                                   \
    }

#define WGRAD_SIGNATURE                                                                                     \
    (const float *restrict phases, int c, int kh, int kw, int stride, int ph, int pw, const float *restrict gy, \
     int oh, int ow, int co0, int co1, float *restrict dw)
#define WGRAD_ARGS phases, c, kh, kw, stride, ph, pw, gy, oh, ow, co0, co1, dw

#if defined(__x86_64__)
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
static void wgrad512 WGRAD_SIGNATURE { DIRECT_WGRAD(lk_f16, 16, 4, 4) }
__attribute__((target("avx2,fma")))
static void wgrad256 WGRAD_SIGNATURE { DIRECT_WGRAD(lk_f8, 8, 4, 2) }
#endif
static void wgradBaseline WGRAD_SIGNATURE { DIRECT_WGRAD(lk_f4, 4, 4, 2) }

void lk_direct_conv_weight_grad(int isa, const float *restrict phases, int c, int kh, int kw, int stride, int ph, int pw,
                                const float *restrict gy, int oh, int ow, int co0, int co1, float *restrict dw) {
#if defined(__x86_64__)
    if (isa == 2) { wgrad512(WGRAD_ARGS); return; }
    if (isa == 1) { wgrad256(WGRAD_ARGS); return; }
#else
    (void)isa;
#endif
    wgradBaseline(WGRAD_ARGS);
}

// `isa` as `lk_vector_kernels_isa()` numbers them; never wider than the CPU has.
int lk_direct_conv_block(int isa) { return isa == 2 ? 8 : 4; }

int lk_direct_conv_width(int isa) { return isa == 2 ? 32 : isa == 1 ? 16 : 8; }

void lk_direct_conv_rows(int isa, const float *restrict phases, int c, int kh, int kw, int stride, int ph, int pw,
                         const float *restrict wt, int cout, const float *restrict bias, int activation, float slope,
                         float *restrict y, int oh, int ow, int row0, int row1) {
#if defined(__x86_64__)
    if (isa == 2) { rows512(DIRECT_ARGS); return; }
    if (isa == 1) { rows256(DIRECT_ARGS); return; }
#else
    (void)isa;
#endif
    rowsBaseline(DIRECT_ARGS);
}
