// CBLAS and OpenBLAS's thread control (openblas_set_num_threads), from Debian's libopenblas-dev.
// The include path comes from openblas.pc; the module map links libopenblas, not the generic libblas.
#include <cblas.h>
