// libtiff, from Debian's libtiff-dev. The include path (an architecture directory) comes from libtiff-4.pc.
#include <tiffio.h>
