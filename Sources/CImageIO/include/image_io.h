// C API over libtiff and libpng for Swift.
//
// Why a shim: TIFFGetField is variadic (Swift cannot call it), and libpng reports errors by
// longjmp, which must never cross Swift frames. Every function here returns a status and, on
// failure, writes a human-readable reason into the caller's `err` buffer.
#ifndef IMAGE_IO_H
#define IMAGE_IO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

int ldk_image_io_version(void);

// MARK: TIFF reading

/// An open TIFF file; the error handler writes into it, so messages never go to stderr.
typedef struct ldk_tiff ldk_tiff;

/// Tags of the current directory (page). `has_*` is 1 when the tag is present in the file.
typedef struct ldk_tiff_info {
    uint32_t image_width;      // TIFFTAG_IMAGEWIDTH: columns
    uint32_t image_length;     // TIFFTAG_IMAGELENGTH: rows
    uint16_t bits_per_sample;
    uint16_t samples_per_pixel;
    uint16_t sample_format;    // SAMPLEFORMAT_UINT (1), _INT (2), _IEEEFP (3)
    uint16_t photometric;      // PHOTOMETRIC_MINISWHITE (0), _MINISBLACK (1), _RGB (2), ...
    int has_photometric;
    uint16_t compression;
    uint16_t planar_config;
    int is_tiled;
    uint32_t tile_width;
    uint32_t tile_length;
    uint32_t rows_per_strip;
    int has_x_resolution;
    float x_resolution;
    int has_y_resolution;
    float y_resolution;
    uint16_t resolution_unit;  // RESUNIT_NONE (1), _INCH (2), _CENTIMETER (3)
    int has_resolution_unit;
    uint16_t page_count;       // number of directories in the file
    int has_max_sample_value;  // MaxSampleValue present (writers of 12-bit data in 16-bit files)
    uint16_t max_sample_value;
} ldk_tiff_info;

/// Opens `path` for reading; NULL on failure with the reason in `err`.
ldk_tiff *ldk_tiff_open_read(const char *path, char *err, size_t err_len);
void ldk_tiff_close(ldk_tiff *t);
/// Fills `info` for the current (first) directory. Returns 0 on success.
int ldk_tiff_read_info(ldk_tiff *t, ldk_tiff_info *info, char *err, size_t err_len);
/// Decodes the whole current directory of a one-sample-per-pixel image into `out`, row-major,
/// `image_length * image_width * bits_per_sample/8` bytes, native byte order. Strips and tiles
/// are both assembled here. Returns 0 on success, non-zero with a reason on corrupt data.
int ldk_tiff_read_pixels(ldk_tiff *t, void *out, size_t out_len, char *err, size_t err_len);

// MARK: TIFF writing

/// What to write for one page.
typedef struct ldk_tiff_page {
    uint32_t width;
    uint32_t height;
    uint16_t bits_per_sample;   // 8, 16 or 32
    uint16_t sample_format;     // SAMPLEFORMAT_UINT or SAMPLEFORMAT_IEEEFP
    uint16_t photometric;       // PHOTOMETRIC_MINISBLACK or _MINISWHITE
    uint16_t compression;       // COMPRESSION_NONE, _LZW, _ADOBE_DEFLATE, _PACKBITS
    uint16_t predictor;         // 1 = none, 2 = horizontal (integers), 3 = floating point
    uint32_t tile_size;         // 0 = stripped; else square tiles of this size (multiple of 16)
    uint32_t rows_per_strip;    // stripped only; 0 = libtiff's default
    int has_resolution;
    float x_resolution;
    float y_resolution;
    uint16_t resolution_unit;
    const void *pixels;         // height * width samples, row-major, native byte order
} ldk_tiff_page;

/// Opens `path` for writing (truncates). NULL on failure with the reason in `err`.
ldk_tiff *ldk_tiff_open_write(const char *path, char *err, size_t err_len);
/// Appends one page. Returns 0 on success.
int ldk_tiff_write_page(ldk_tiff *t, const ldk_tiff_page *page, char *err, size_t err_len);
/// Flushes and closes a file opened for writing. Returns 0 on success.
int ldk_tiff_finish(ldk_tiff *t, char *err, size_t err_len);

// MARK: PNG

/// Writes a greyscale PNG. `bit_depth` is 8 (uint8 samples) or 16 (uint16 samples in native
/// byte order). Returns 0 on success.
int ldk_png_write_gray(const char *path, const void *pixels, uint32_t width, uint32_t height,
                       int bit_depth, char *err, size_t err_len);

/// Reads a greyscale PNG of bit depth 8 or 16 (other depths are expanded to 8). On success
/// returns 0 and a malloc'd buffer of width*height samples (uint8 or native uint16) that the
/// caller frees with ldk_image_io_free.
int ldk_png_read_gray(const char *path, void **pixels, uint32_t *width, uint32_t *height,
                      int *bit_depth, char *err, size_t err_len);

/// Writes an 8-bit RGB PNG from interleaved R,G,B bytes, row-major (width*height*3 bytes). Used
/// for overlays; returns 0 on success.
int ldk_png_write_rgb(const char *path, const uint8_t *rgb, uint32_t width, uint32_t height,
                      char *err, size_t err_len);

void ldk_image_io_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
