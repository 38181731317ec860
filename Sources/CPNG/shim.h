// libpng, from Debian's libpng-dev. The include path comes from libpng16.pc.
#include <png.h>
