// C API over libtiff and libpng. Filled in by the TIFF work.
#ifndef IMAGE_IO_H
#define IMAGE_IO_H
int ldk_image_io_version(void);
#endif
