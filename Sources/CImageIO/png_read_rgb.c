// libpng's simplified API converts every colour type and depth to the requested format and reports errors
// through the png_image's message rather than longjmp, so no setjmp is needed here.
#include "png_read_rgb.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ldk_png_read_rgb(const char *path, uint8_t **rgb, uint32_t *width, uint32_t *height, char *err, size_t err_len) {
    *rgb = NULL;
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&image, path)) {
        if (err && err_len) snprintf(err, err_len, "PNG read failed: %s", image.message);
        return 1;
    }
    image.format = PNG_FORMAT_RGB;
    size_t size = PNG_IMAGE_SIZE(image);
    uint8_t *buffer = malloc(size);
    if (!buffer) {
        png_image_free(&image);
        if (err && err_len) snprintf(err, err_len, "out of memory");
        return 1;
    }
    png_color white = {255, 255, 255};
    if (!png_image_finish_read(&image, &white, buffer, 0, NULL)) {
        free(buffer);
        if (err && err_len) snprintf(err, err_len, "PNG decode failed: %s", image.message);
        return 1;
    }
    *rgb = buffer;
    *width = image.width;
    *height = image.height;
    return 0;
}
