// CBLAS and OpenBLAS's thread control (openblas_set_num_threads), from Debian's libopenblas-dev.
// The include path comes from openblas.pc; the module map links libopenblas, not the generic libblas.
#include <cblas.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

/// The name of the kernel set OpenBLAS is using ("Haswell", "SkylakeX", ...).
char *openblas_get_corename(void);

/// Vector extensions the CPU has and the OS saves across context switches: bit 0 = AVX2 with FMA,
/// bit 1 = AVX-512 F, DQ, CD, BW and VL (what OpenBLAS's SkylakeX kernels use).
static inline int landmark_cpu_vector_features(void) {
#if !defined(__x86_64__)
    return 0;
#else
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    int ymmSaved = (lo & 0x6) == 0x6, zmmSaved = (lo & 0xe6) == 0xe6;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1;
    int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 28) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
    int bits = 0;
    if (ymmSaved && avx2 && fma) bits |= 1;
    if ((bits & 1) && zmmSaved && avx512) bits |= 2;
    return bits;
#endif
}

/// Runs OpenBLAS's runtime kernel selection again as if OPENBLAS_CORETYPE were `core`. Call it before
/// any BLAS call is in flight. Returns -1 when the library has no runtime selection (not a DYNAMIC_ARCH
/// build), else 0; the environment is left as it was.
static inline int landmark_openblas_select_core(const char *core) {
    void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (!quit || !init) return -1;
    const char *previous = getenv("OPENBLAS_CORETYPE");
    char *saved = previous ? strdup(previous) : NULL;
    setenv("OPENBLAS_CORETYPE", core, 1);
    quit();
    init();
    if (saved) { setenv("OPENBLAS_CORETYPE", saved, 1); free(saved); } else { unsetenv("OPENBLAS_CORETYPE"); }
    return 0;
}
