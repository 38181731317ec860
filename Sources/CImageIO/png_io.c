// libpng side of the shim. libpng reports errors by longjmp; every setjmp lives here, so a
// longjmp never crosses a Swift frame, and the message is copied out before returning.
#include "image_io.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_err_ctx {
    char message[256];
} png_err_ctx;

static void on_png_error(png_structp png, png_const_charp msg) {
    png_err_ctx *ctx = png_get_error_ptr(png);
    if (ctx) snprintf(ctx->message, sizeof ctx->message, "%s", msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

static void set_err(char *err, size_t err_len, const char *prefix, const char *detail) {
    if (err && err_len) snprintf(err, err_len, "%s%s%s", prefix, detail && detail[0] ? ": " : "", detail ? detail : "");
}

static int is_little_endian(void) {
    uint16_t probe = 1;
    return *(uint8_t *)&probe == 1;
}

// One writer for both layouts: `channels` samples of `bit_depth` bits per pixel, rows packed.
static int write_png(const char *path, const uint8_t *pixels, uint32_t width, uint32_t height, int bit_depth,
                     int color_type, int channels, char *err, size_t err_len) {
    FILE *fp = fopen(path, "wb");
    if (!fp) { set_err(err, err_len, "cannot create file", NULL); return 1; }
    png_err_ctx ctx = {{0}};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        fclose(fp);
        set_err(err, err_len, "out of memory", NULL);
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        fclose(fp);
        set_err(err, err_len, "PNG write failed", ctx.message);
        return 1;
    }
    png_init_io(png, fp);
    png_set_IHDR(png, info, width, height, bit_depth, color_type, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    // PNG stores 16-bit samples big-endian; libpng swaps for us on little-endian hosts.
    if (bit_depth == 16 && is_little_endian()) png_set_swap(png);
    size_t row_bytes = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
    for (uint32_t y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + (size_t)y * row_bytes));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (fclose(fp) != 0) { set_err(err, err_len, "cannot close file", NULL); return 1; }
    return 0;
}

int ldk_png_write_gray(const char *path, const void *pixels, uint32_t width, uint32_t height,
                       int bit_depth, char *err, size_t err_len) {
    if (bit_depth != 8 && bit_depth != 16) { set_err(err, err_len, "PNG bit depth must be 8 or 16", NULL); return 1; }
    return write_png(path, pixels, width, height, bit_depth, PNG_COLOR_TYPE_GRAY, 1, err, err_len);
}

int ldk_png_read_gray(const char *path, void **pixels, uint32_t *width, uint32_t *height,
                      int *bit_depth, char *err, size_t err_len) {
    *pixels = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) { set_err(err, err_len, "cannot open file", NULL); return 1; }
    png_err_ctx ctx = {{0}};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        set_err(err, err_len, "out of memory", NULL);
        return 1;
    }
    // volatile: it is assigned after setjmp and read after a longjmp.
    uint8_t *volatile buffer = NULL;
    if (setjmp(png_jmpbuf(png))) {
        free(buffer);
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        set_err(err, err_len, "PNG read failed", ctx.message);
        return 1;
    }
    png_init_io(png, fp);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int depth = png_get_bit_depth(png, info);
    int color = png_get_color_type(png, info);
    if (color != PNG_COLOR_TYPE_GRAY) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        set_err(err, err_len, "not a greyscale PNG", NULL);
        return 1;
    }
    if (depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16 && is_little_endian()) png_set_swap(png);
    png_read_update_info(png, info);
    int out_depth = depth == 16 ? 16 : 8;
    size_t row_bytes = png_get_rowbytes(png, info);
    buffer = malloc(row_bytes * h);
    if (!buffer) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(fp);
        set_err(err, err_len, "out of memory", NULL);
        return 1;
    }
    for (png_uint_32 y = 0; y < h; y++) png_read_row(png, buffer + y * row_bytes, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(fp);
    *pixels = buffer;
    *width = w;
    *height = h;
    *bit_depth = out_depth;
    return 0;
}

int ldk_png_write_rgb(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height,
                      char *err, size_t err_len) {
    if (!rgb || width == 0 || height == 0) { set_err(err, err_len, "empty RGB image", NULL); return 1; }
    return write_png(path, rgb, width, height, 8, PNG_COLOR_TYPE_RGB, 3, err, err_len);
}
