// Winograd F(4×4, 3×3) transforms (Bᵀ d B and Aᵀ M A) over one plane, arranged so that every inner loop
// runs over contiguous memory for the whole plane and vectorises: the transform down the tiles' rows is
// applied to whole padded rows, and the transform across their columns then runs over all tiles at once.
// Tile rows are `rowPitch` = tiles per row + 1 apart: the spare tile lets one flat loop cover every tile
// row, and its values are never used. Matrices and layout: Sources/TensorEngine/Kernels/Winograd4.swift.
#include "vector_kernels.h"

#if defined(__x86_64__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

CLONES
void lk_winograd4_input(const float *restrict padded, long padW, int tilesH, int rowPitch,
                        float *restrict v, long vStride, float *restrict work) {
    const long pitch = 4L * rowPitch, plane = (long)tilesH * pitch, tiles = (long)tilesH * rowPitch;
    // t[r'][th][x] = (Bᵀ applied down rows 4th…4th+5)[r'] at padded column x.
    for (int th = 0; th < tilesH; th++) {
        const float *d0 = padded + (4L * th) * padW, *d1 = d0 + padW, *d2 = d1 + padW;
        const float *d3 = d2 + padW, *d4 = d3 + padW, *d5 = d4 + padW;
        float *t0 = work + th * pitch, *t1 = t0 + plane, *t2 = t1 + plane, *t3 = t2 + plane, *t4 = t3 + plane, *t5 = t4 + plane;
        for (long x = 0; x < pitch; x++) {
            float a = d4[x] - 4 * d2[x], b = d3[x] - 4 * d1[x], c = d4[x] - d2[x], e = 2 * (d3[x] - d1[x]);
            t0[x] = 4 * d0[x] - 5 * d2[x] + d4[x];
            t1[x] = a + b;
            t2[x] = a - b;
            t3[x] = c + e;
            t4[x] = c - e;
            t5[x] = 4 * d1[x] - 5 * d3[x] + d5[x];
        }
    }
    // Across each tile's six columns 4T…4T+5, for every tile T of the plane at once.
    for (int r = 0; r < 6; r++) {
        const float *row = work + r * plane;
        float *o0 = v + (long)(6 * r) * vStride, *o1 = o0 + vStride, *o2 = o1 + vStride;
        float *o3 = o2 + vStride, *o4 = o3 + vStride, *o5 = o4 + vStride;
        // The last tile's spare neighbour would read past the plane; it is never used.
        for (long T = 0; T < tiles - 1; T++) {
            const float *q = row + 4 * T;
            float q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4], q5 = q[5];
            float a = q4 - 4 * q2, b = q3 - 4 * q1, c = q4 - q2, e = 2 * (q3 - q1);
            o0[T] = 4 * q0 - 5 * q2 + q4;
            o1[T] = a + b;
            o2[T] = a - b;
            o3[T] = c + e;
            o4[T] = c - e;
            o5[T] = 4 * q1 - 5 * q3 + q5;
        }
        o0[tiles - 1] = o1[tiles - 1] = o2[tiles - 1] = o3[tiles - 1] = o4[tiles - 1] = o5[tiles - 1] = 0;
    }
}

CLONES
void lk_winograd4_output(const float *restrict m, long mStride, int tilesH, int rowPitch, float *restrict out, int oh, int ow,
                         float bias, int activation, float slope, float *restrict work) {
    const long tiles = (long)tilesH * rowPitch;
    // h[r][k][T]: Aᵀ across the columns of row r of tile T, output column k.
    for (int r = 0; r < 6; r++) {
        const float *q0 = m + (long)(6 * r) * mStride, *q1 = q0 + mStride, *q2 = q1 + mStride;
        const float *q3 = q2 + mStride, *q4 = q3 + mStride, *q5 = q4 + mStride;
        float *h0 = work + (4L * r) * tiles, *h1 = h0 + tiles, *h2 = h1 + tiles, *h3 = h2 + tiles;
        for (long T = 0; T < tiles; T++) {
            float s1 = q1[T] + q2[T], d1 = q1[T] - q2[T], s2 = q3[T] + q4[T], d2 = q3[T] - q4[T];
            h0[T] = q0[T] + s1 + s2;
            h1[T] = d1 + 2 * d2;
            h2[T] = s1 + 4 * s2;
            h3[T] = d1 + 8 * d2 + q5[T];
        }
    }
    // Aᵀ down the rows: blk[i][k][T] is output row 4th + i, column 4j + k of tile T = (th, j).
    float *blk = work + 24L * tiles;
    for (int k = 0; k < 4; k++) {
        const float *r0 = work + (long)k * tiles, *r1 = r0 + 4 * tiles, *r2 = r1 + 4 * tiles;
        const float *r3 = r2 + 4 * tiles, *r4 = r3 + 4 * tiles, *r5 = r4 + 4 * tiles;
        float *y0 = blk + (long)k * tiles, *y1 = y0 + 4 * tiles, *y2 = y1 + 4 * tiles, *y3 = y2 + 4 * tiles;
        for (long T = 0; T < tiles; T++) {
            float s1 = r1[T] + r2[T], d1 = r1[T] - r2[T], s2 = r3[T] + r4[T], d2 = r3[T] - r4[T];
            y0[T] = r0[T] + s1 + s2 + bias;
            y1[T] = d1 + 2 * d2 + bias;
            y2[T] = s1 + 4 * s2 + bias;
            y3[T] = d1 + 8 * d2 + r5[T] + bias;
        }
    }
    // Interleave each tile's four columns into the plane's rows, with the activation.
    const int tilesW = rowPitch - 1;
    for (int th = 0; th < tilesH; th++) {
        for (int i = 0; i < 4 && 4 * th + i < oh; i++) {
            const float *c0 = blk + (4L * i) * tiles + (long)th * rowPitch, *c1 = c0 + tiles, *c2 = c1 + tiles, *c3 = c2 + tiles;
            float *dst = out + (long)(4 * th + i) * ow;
            int full = ow / 4 < tilesW ? ow / 4 : tilesW;
            for (int j = 0; j < full; j++) {
                float a0 = c0[j], a1 = c1[j], a2 = c2[j], a3 = c3[j];
                if (activation == 1) {
                    a0 = a0 > 0 ? a0 : 0; a1 = a1 > 0 ? a1 : 0; a2 = a2 > 0 ? a2 : 0; a3 = a3 > 0 ? a3 : 0;
                } else if (activation == 2) {
                    a0 = a0 > 0 ? a0 : a0 * slope; a1 = a1 > 0 ? a1 : a1 * slope;
                    a2 = a2 > 0 ? a2 : a2 * slope; a3 = a3 > 0 ? a3 : a3 * slope;
                }
                dst[4 * j] = a0; dst[4 * j + 1] = a1; dst[4 * j + 2] = a2; dst[4 * j + 3] = a3;
            }
            for (int x = 4 * full; x < ow; x++) {
                const float *c = blk + (4L * i + x % 4) * tiles + (long)th * rowPitch;
                float a = c[x / 4];
                if (activation == 1) a = a > 0 ? a : 0;
                else if (activation == 2) a = a > 0 ? a : a * slope;
                dst[x] = a;
            }
        }
    }
}

// For the weight gradient: the adjoint of the output transform, A g Aᵀ, of every 4×4 block of an output
// gradient plane, padded with zeros to 4·tilesH rows and 4·rowPitch columns (row stride 4·rowPitch).
// A's rows are (1 0 0 0), (1 1 1 1), (1 −1 1 −1), (1 2 4 8), (1 −2 4 −8), (0 0 0 1).
CLONES
void lk_winograd4_gradient_transform(const float *restrict padded, int tilesH, int rowPitch,
                                     float *restrict w, long wStride, float *restrict work) {
    const long pitch = 4L * rowPitch, plane = (long)tilesH * pitch, tiles = (long)tilesH * rowPitch;
    for (int th = 0; th < tilesH; th++) {
        const float *g0 = padded + (4L * th) * pitch, *g1 = g0 + pitch, *g2 = g1 + pitch, *g3 = g2 + pitch;
        float *e0 = work + th * pitch, *e1 = e0 + plane, *e2 = e1 + plane, *e3 = e2 + plane, *e4 = e3 + plane, *e5 = e4 + plane;
        for (long x = 0; x < pitch; x++) {
            float s = g0[x] + g2[x], d = g1[x] + g3[x], s4 = g0[x] + 4 * g2[x], d8 = 2 * g1[x] + 8 * g3[x];
            e0[x] = g0[x];
            e1[x] = s + d;
            e2[x] = s - d;
            e3[x] = s4 + d8;
            e4[x] = s4 - d8;
            e5[x] = g3[x];
        }
    }
    for (int r = 0; r < 6; r++) {
        const float *row = work + r * plane;
        float *o0 = w + (long)(6 * r) * wStride, *o1 = o0 + wStride, *o2 = o1 + wStride;
        float *o3 = o2 + wStride, *o4 = o3 + wStride, *o5 = o4 + wStride;
        for (long T = 0; T < tiles; T++) {
            const float *q = row + 4 * T;
            float q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3];
            float s = q0 + q2, d = q1 + q3, s4 = q0 + 4 * q2, d8 = 2 * q1 + 8 * q3;
            o0[T] = q0;
            o1[T] = s + d;
            o2[T] = s - d;
            o3[T] = s4 + d8;
            o4[T] = s4 - d8;
            o5[T] = q3;
        }
    }
}
