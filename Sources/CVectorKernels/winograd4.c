// Winograd F(4×4, 3×3) transforms (Bᵀ d B and Aᵀ M A), arranged so that every inner loop runs over
// contiguous memory and vectorises: the transform down a tile's rows is applied to whole padded rows,
// the stride-4 tile columns are split into four phase arrays, and the transform across a tile's columns
// then runs over tiles. Matrices and the tile layout: Sources/TensorEngine/Kernels/Winograd4.swift.
#include "vector_kernels.h"

#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

CLONES
void lk_winograd4_input(const float *padded, long padW, int tilesH, int rowTiles,
                        float *v, long vStride, float *work) {
    const long cols = 4L * rowTiles + 4;
    float *t = work;  // t[r'][x]: Bᵀ applied down rows 4th…4th+5, for every padded column x
    for (int th = 0; th < tilesH; th++) {
        const float *d0 = padded + (4L * th) * padW, *d1 = d0 + padW, *d2 = d1 + padW;
        const float *d3 = d2 + padW, *d4 = d3 + padW, *d5 = d4 + padW;
        float *t0 = t, *t1 = t + cols, *t2 = t + 2 * cols, *t3 = t + 3 * cols, *t4 = t + 4 * cols, *t5 = t + 5 * cols;
        const long width = 4L * rowTiles + 2;
        for (long x = 0; x < width; x++) {
            float a = d4[x] - 4 * d2[x], b = d3[x] - 4 * d1[x], c = d4[x] - d2[x], e = 2 * (d3[x] - d1[x]);
            t0[x] = 4 * d0[x] - 5 * d2[x] + d4[x];
            t1[x] = a + b;
            t2[x] = a - b;
            t3[x] = c + e;
            t4[x] = c - e;
            t5[x] = 4 * d1[x] - 5 * d3[x] + d5[x];
        }
        // Across each tile's six columns 4j…4j+5, for all tiles j of this tile row at once.
        for (int r = 0; r < 6; r++) {
            const float *row = t + r * cols;
            float *o = v + (long)(6 * r) * vStride + (long)th * rowTiles;
            for (int j = 0; j < rowTiles; j++) {
                const float *q = row + 4 * j;
                float q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4], q5 = q[5];
                float a = q4 - 4 * q2, b = q3 - 4 * q1, c = q4 - q2, e = 2 * (q3 - q1);
                o[j] = 4 * q0 - 5 * q2 + q4;
                o[vStride + j] = a + b;
                o[2 * vStride + j] = a - b;
                o[3 * vStride + j] = c + e;
                o[4 * vStride + j] = c - e;
                o[5 * vStride + j] = 4 * q1 - 5 * q3 + q5;
            }
        }
    }
}

CLONES
void lk_winograd4_output(const float *m, long mStride, int tilesH, int rowTiles, float *out, int oh, int ow,
                         float bias, int activation, float slope, float *work) {
    // h[r][k][j]: Aᵀ across the columns of row r of tile j, output column k.
    for (int th = 0; th < tilesH; th++) {
        for (int r = 0; r < 6; r++) {
            const float *q0 = m + (long)(6 * r) * mStride + (long)th * rowTiles;
            const float *q1 = q0 + mStride, *q2 = q1 + mStride, *q3 = q2 + mStride, *q4 = q3 + mStride, *q5 = q4 + mStride;
            float *h0 = work + (long)(4 * r) * rowTiles, *h1 = h0 + rowTiles, *h2 = h1 + rowTiles, *h3 = h2 + rowTiles;
            for (int j = 0; j < rowTiles; j++) {
                float s1 = q1[j] + q2[j], d1 = q1[j] - q2[j], s2 = q3[j] + q4[j], d2 = q3[j] - q4[j];
                h0[j] = q0[j] + s1 + s2;
                h1[j] = d1 + 2 * d2;
                h2[j] = s1 + 4 * s2;
                h3[j] = d1 + 8 * d2 + q5[j];
            }
        }
        // Aᵀ down the rows, then bias, activation and the interleaved store of four output columns.
        for (int i = 0; i < 4; i++) {
            int oy = 4 * th + i;
            if (oy >= oh) break;
            float *dst = out + (long)oy * ow;
            for (int k = 0; k < 4; k++) {
                const float *r0 = work + (long)k * rowTiles, *r1 = r0 + 4L * rowTiles, *r2 = r1 + 4L * rowTiles;
                const float *r3 = r2 + 4L * rowTiles, *r4 = r3 + 4L * rowTiles, *r5 = r4 + 4L * rowTiles;
                // Tiles whose column k lies inside the plane: 4j + k < ow.
                int tiles = (ow - k + 3) / 4;
                if (tiles > rowTiles) tiles = rowTiles;
                for (int j = 0; j < tiles; j++) {
                    float s1 = r1[j] + r2[j], d1 = r1[j] - r2[j], s2 = r3[j] + r4[j], d2 = r3[j] - r4[j], y;
                    switch (i) {
                    case 0: y = r0[j] + s1 + s2; break;
                    case 1: y = d1 + 2 * d2; break;
                    case 2: y = s1 + 4 * s2; break;
                    default: y = d1 + 8 * d2 + r5[j]; break;
                    }
                    y += bias;
                    if (activation == 1) y = y > 0 ? y : 0;
                    else if (activation == 2) y = y > 0 ? y : y * slope;
                    dst[4 * j + k] = y;
                }
            }
        }
    }
}
