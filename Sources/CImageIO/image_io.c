#include "image_io.h"
int ldk_image_io_version(void) { return 1; }
