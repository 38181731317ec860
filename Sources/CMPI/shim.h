// Open MPI's C API (Debian's libopenmpi-dev) for the Cluster module. The include and library paths come from
// ompi-c.pc. Open MPI spells its predefined handles (MPI_COMM_WORLD, MPI_SUM, MPI_DOUBLE, …) as macros that take
// the address of a global, which Swift cannot import; these inline functions hand them over as values.
#include <mpi.h>

static inline MPI_Comm cmpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Errhandler cmpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline MPI_Datatype cmpi_float(void) { return MPI_FLOAT; }
static inline MPI_Datatype cmpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype cmpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype cmpi_long_long(void) { return MPI_LONG_LONG; }
static inline MPI_Op cmpi_sum(void) { return MPI_SUM; }
static inline void *cmpi_in_place(void) { return MPI_IN_PLACE; }
