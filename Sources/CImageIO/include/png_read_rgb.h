// Reads any PNG (grey, palette, RGB, with or without alpha, 8 or 16 bit) as 8-bit RGB.
// Kept beside image_io.h rather than in it: the report's screenshot check needs it, ingest does not.
#ifndef LDK_PNG_READ_RGB_H
#define LDK_PNG_READ_RGB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// On success returns 0 and a malloc'd width*height*3 buffer in *rgb (free with ldk_image_io_free);
/// alpha is composited onto white, as a browser page background would show it.
int ldk_png_read_rgb(const char *path, uint8_t **rgb, uint32_t *width, uint32_t *height, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
