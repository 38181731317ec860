// The FMA peak of one core, as a reference for achieved GFLOP/s: ten independent accumulator chains
// (enough to cover a 4-cycle FMA latency on two pipes) on the widest vector unit the CPU has.
#include "vector_kernels.h"
#include <time.h>

typedef float f16 __attribute__((vector_size(64)));
typedef float f8 __attribute__((vector_size(32)));

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int lk_vector_kernels_isa(void) {
#if !defined(__x86_64__)
    return 0;
#else
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512dq")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
#endif
}

// One body for both widths: `acc = acc * mul + add` contracts to one FMA per chain and round.
#define FMA_LOOP(type, lanes)                                                                         \
    type a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, mul, add;                                           \
    for (int l = 0; l < lanes; l++) {                                                                \
        mul[l] = 0.999999f; add[l] = 1e-7f;                                                          \
        a0[l] = 1; a1[l] = 2; a2[l] = 3; a3[l] = 4; a4[l] = 5; a5[l] = 6; a6[l] = 7; a7[l] = 8; a8[l] = 9; a9[l] = 10; \
    }                                                                                                \
    long rounds = 0;                                                                                 \
    double t0 = now(), t1 = t0;                                                                      \
    while (t1 - t0 < seconds) {                                                                      \
        for (int it = 0; it < 65536; it++) {                                                         \
            a0 = a0 * mul + add; a1 = a1 * mul + add; a2 = a2 * mul + add; a3 = a3 * mul + add;       \
            a4 = a4 * mul + add; a5 = a5 * mul + add; a6 = a6 * mul + add; a7 = a7 * mul + add;       \
            a8 = a8 * mul + add; a9 = a9 * mul + add;                                                \
        }                                                                                            \
        rounds += 65536;                                                                             \
        t1 = now();                                                                                  \
    }                                                                                                \
    type sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9;                                      \
    __asm__ volatile("" : : "m"(sum));                                                               \
    return 2.0 * 10 * lanes * rounds / (t1 - t0) / 1e9;

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static double peak512(double seconds) { FMA_LOOP(f16, 16) }
__attribute__((target("avx2,fma"))) static double peak256(double seconds) { FMA_LOOP(f8, 8) }
#endif

double lk_fma_peak_gflops(double seconds) {
#if !defined(__x86_64__)
    (void)seconds;
    return 0;
#else
    switch (lk_vector_kernels_isa()) {
    case 2: return peak512(seconds);
    case 1: return peak256(seconds);
    default: return 0;
    }
#endif
}
