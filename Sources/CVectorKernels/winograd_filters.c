// Winograd filter transforms U = G g Gᵀ for F(2×2, 3×3) (4×4 per filter) and F(4×4, 3×3) (6×6), vectorised
// across filters: each loop iteration handles one filter and stores one value into each of the 16 or 36
// planes U[ξ], so consecutive filters fill consecutive lanes. With `rotated`, output filter (i, j) is input
// filter (j, i) turned 180° (the weights of a stride-1 convolution's input gradient).
// G for F(2×2): rows (1 0 0), (½ ½ ½), (½ −½ ½), (0 0 1); for F(4×4): Sources/TensorEngine/Kernels/Winograd4.swift.
#include "vector_kernels.h"

#if defined(__x86_64__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE void transform2(const float g[9], float *restrict u, long plane, long f) {
    float t[4][3];
    for (int c = 0; c < 3; c++) {
        float a = g[c], b = g[3 + c], d = g[6 + c];
        t[0][c] = a; t[1][c] = 0.5f * (a + b + d); t[2][c] = 0.5f * (a - b + d); t[3][c] = d;
    }
    for (int r = 0; r < 4; r++) {
        float a = t[r][0], b = t[r][1], d = t[r][2];
        float *o = u + (long)(4 * r) * plane + f;
        o[0] = a;
        o[plane] = 0.5f * (a + b + d);
        o[2 * plane] = 0.5f * (a - b + d);
        o[3 * plane] = d;
    }
}

ALWAYS_INLINE void transform4(const float g[9], float *restrict u, long plane, long f) {
    const float sixth = 1.0f / 6, twelfth = 1.0f / 12, twentyfourth = 1.0f / 24;
    float t[6][3];
    for (int c = 0; c < 3; c++) {
        float a = g[c], b = g[3 + c], d = g[6 + c];
        float p = -(a + d) * sixth, q = -b * sixth, r = a * twentyfourth + d * sixth, s = b * twelfth;
        t[0][c] = 0.25f * a; t[1][c] = p + q; t[2][c] = p - q; t[3][c] = r + s; t[4][c] = r - s; t[5][c] = d;
    }
    for (int i = 0; i < 6; i++) {
        float a = t[i][0], b = t[i][1], d = t[i][2];
        float p = -(a + d) * sixth, q = -b * sixth, r = a * twentyfourth + d * sixth, s = b * twelfth;
        float *o = u + (long)(6 * i) * plane + f;
        o[0] = 0.25f * a;
        o[plane] = p + q;
        o[2 * plane] = p - q;
        o[3 * plane] = r + s;
        o[4 * plane] = r - s;
        o[5 * plane] = d;
    }
}

// The planes never overlap (each is rows·cols long), which the compiler cannot prove by itself.
#define FILTER_LOOPS(transform)                                                                       \
    const long plane = (long)rows * cols;                                                            \
    for (long i = row0; i < row1; i++) {                                                             \
        if (!rotated) {                                                                              \
            _Pragma("clang loop vectorize(assume_safety)")                                           \
            for (long j = 0; j < cols; j++) transform(w + (i * cols + j) * 9, u, plane, i * cols + j); \
        } else {                                                                                     \
            _Pragma("clang loop vectorize(assume_safety)")                                           \
            for (long j = 0; j < cols; j++) {                                                        \
                const float *s = w + (j * rows + i) * 9;                                             \
                float g[9] = {s[8], s[7], s[6], s[5], s[4], s[3], s[2], s[1], s[0]};                 \
                transform(g, u, plane, i * cols + j);                                                \
            }                                                                                        \
        }                                                                                            \
    }

CLONES
void lk_winograd2_filters(const float *restrict w, int rows, int cols, int rotated, int row0, int row1, float *restrict u) {
    FILTER_LOOPS(transform2)
}

CLONES
void lk_winograd4_filters(const float *restrict w, int rows, int cols, int rotated, int row0, int row1, float *restrict u) {
    FILTER_LOOPS(transform4)
}
