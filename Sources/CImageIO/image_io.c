#include "image_io.h"
#include <stdlib.h>

int ldk_image_io_version(void) { return 2; }

void ldk_image_io_free(void *p) { free(p); }
