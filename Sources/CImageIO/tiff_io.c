// libtiff side of the shim. Errors are captured per handle through TIFFOpenExt's error handler
// (libtiff >= 4.5), so concurrent readers never share a global message buffer.
#include "image_io.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

struct ldk_tiff {
    TIFF *tif;
    char last_error[512];
    int writing;
};

static void copy_err(char *err, size_t err_len, const char *msg) {
    if (err && err_len > 0) {
        snprintf(err, err_len, "%s", msg);
    }
}

static int capture_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    ldk_tiff *t = (ldk_tiff *)user;
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    // Keep the first error: later ones are usually consequences of it.
    if (t->last_error[0] == 0) {
        snprintf(t->last_error, sizeof t->last_error, "%s%s%s", module ? module : "", module ? ": " : "", msg);
    }
    return 1;
}

static int ignore_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif; (void)user; (void)module; (void)fmt; (void)ap;
    return 1;  // unknown private tags and the like are not worth a line on stderr
}

static ldk_tiff *open_with(const char *path, const char *mode, char *err, size_t err_len) {
    ldk_tiff *t = calloc(1, sizeof *t);
    if (!t) { copy_err(err, err_len, "out of memory"); return NULL; }
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(opts, capture_error, t);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, ignore_warning, t);
    t->tif = TIFFOpenExt(path, mode, opts);
    TIFFOpenOptionsFree(opts);
    if (!t->tif) {
        copy_err(err, err_len, t->last_error[0] ? t->last_error : "cannot open file");
        free(t);
        return NULL;
    }
    return t;
}

ldk_tiff *ldk_tiff_open_read(const char *path, char *err, size_t err_len) {
    return open_with(path, "r", err, err_len);
}

ldk_tiff *ldk_tiff_open_write(const char *path, char *err, size_t err_len) {
    ldk_tiff *t = open_with(path, "w", err, err_len);
    if (t) t->writing = 1;
    return t;
}

void ldk_tiff_close(ldk_tiff *t) {
    if (!t) return;
    if (t->tif) TIFFClose(t->tif);
    free(t);
}

int ldk_tiff_read_info(ldk_tiff *t, ldk_tiff_info *info, char *err, size_t err_len) {
    memset(info, 0, sizeof *info);
    TIFF *tif = t->tif;
    uint32_t u32 = 0;
    uint16_t u16 = 0;
    float f = 0;
    if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &u32) != 1) { copy_err(err, err_len, "missing ImageWidth tag"); return 1; }
    info->image_width = u32;
    if (TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &u32) != 1) { copy_err(err, err_len, "missing ImageLength tag"); return 1; }
    info->image_length = u32;
    // Tags with a TIFF-defined default are read with TIFFGetFieldDefaulted.
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &u16); info->bits_per_sample = u16;
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &u16); info->samples_per_pixel = u16;
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &u16); info->sample_format = u16;
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &u16); info->compression = u16;
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &u16); info->planar_config = u16;
    if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &u16) == 1) { info->photometric = u16; info->has_photometric = 1; }
    info->is_tiled = TIFFIsTiled(tif) ? 1 : 0;
    if (info->is_tiled) {
        if (TIFFGetField(tif, TIFFTAG_TILEWIDTH, &u32) == 1) info->tile_width = u32;
        if (TIFFGetField(tif, TIFFTAG_TILELENGTH, &u32) == 1) info->tile_length = u32;
    } else {
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &u32); info->rows_per_strip = u32;
    }
    if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &f) == 1) { info->x_resolution = f; info->has_x_resolution = 1; }
    if (TIFFGetField(tif, TIFFTAG_YRESOLUTION, &f) == 1) { info->y_resolution = f; info->has_y_resolution = 1; }
    if (TIFFGetField(tif, TIFFTAG_RESOLUTIONUNIT, &u16) == 1) { info->resolution_unit = u16; info->has_resolution_unit = 1; }
    else { info->resolution_unit = RESUNIT_INCH; }  // the TIFF 6.0 default
    // libtiff fills in a default MaxSampleValue internally, but TIFFGetField reports only a tag
    // that is really in the file.
    if (TIFFGetField(tif, TIFFTAG_MAXSAMPLEVALUE, &u16) == 1) { info->max_sample_value = u16; info->has_max_sample_value = 1; }
    info->page_count = TIFFNumberOfDirectories(tif);
    return 0;
}

static int fail_read(ldk_tiff *t, char *err, size_t err_len, const char *what, uint32_t index) {
    char msg[600];
    snprintf(msg, sizeof msg, "%s %u is truncated or corrupt%s%s", what, index,
             t->last_error[0] ? ": " : "", t->last_error);
    copy_err(err, err_len, msg);
    return 1;
}

static int read_stripped(ldk_tiff *t, uint8_t *out, uint32_t width, uint32_t height, size_t bps,
                         char *err, size_t err_len) {
    TIFF *tif = t->tif;
    uint32_t rps = 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
    if (rps == 0 || rps > height) rps = height;
    size_t row_bytes = (size_t)width * bps;
    uint32_t nstrips = TIFFNumberOfStrips(tif);
    for (uint32_t s = 0; s < nstrips; s++) {
        uint32_t row0 = s * rps;
        if (row0 >= height) break;
        uint32_t rows = (row0 + rps > height) ? height - row0 : rps;
        tmsize_t want = (tmsize_t)(rows * row_bytes);
        tmsize_t got = TIFFReadEncodedStrip(tif, s, out + row0 * row_bytes, want);
        // A short read means the strip ended early: treat it like any other corruption.
        if (got != want) return fail_read(t, err, err_len, "strip", s);
    }
    return 0;
}

static int read_tiled(ldk_tiff *t, uint8_t *out, uint32_t width, uint32_t height, size_t bps,
                      char *err, size_t err_len) {
    TIFF *tif = t->tif;
    uint32_t tw = 0, tl = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &tl);
    if (tw == 0 || tl == 0) { copy_err(err, err_len, "tiled file without tile size"); return 1; }
    tmsize_t tile_bytes = TIFFTileSize(tif);
    uint8_t *tile = malloc((size_t)tile_bytes);
    if (!tile) { copy_err(err, err_len, "out of memory"); return 1; }
    for (uint32_t y = 0; y < height; y += tl) {
        for (uint32_t x = 0; x < width; x += tw) {
            uint32_t index = TIFFComputeTile(tif, x, y, 0, 0);
            if (TIFFReadEncodedTile(tif, index, tile, tile_bytes) != tile_bytes) {
                free(tile);
                return fail_read(t, err, err_len, "tile", index);
            }
            // Edge tiles are padded to the full tile size; copy only the part inside the image.
            uint32_t rows = (y + tl > height) ? height - y : tl;
            uint32_t cols = (x + tw > width) ? width - x : tw;
            for (uint32_t r = 0; r < rows; r++) {
                memcpy(out + ((size_t)(y + r) * width + x) * bps, tile + (size_t)r * tw * bps, (size_t)cols * bps);
            }
        }
    }
    free(tile);
    return 0;
}

int ldk_tiff_read_pixels(ldk_tiff *t, void *out, size_t out_len, char *err, size_t err_len) {
    ldk_tiff_info info;
    if (ldk_tiff_read_info(t, &info, err, err_len) != 0) return 1;
    if (info.samples_per_pixel != 1 || info.bits_per_sample % 8 != 0) {
        copy_err(err, err_len, "only one whole-byte sample per pixel is supported");
        return 1;
    }
    size_t bps = info.bits_per_sample / 8;
    size_t need = (size_t)info.image_width * info.image_length * bps;
    if (out_len < need) { copy_err(err, err_len, "output buffer too small"); return 1; }
    t->last_error[0] = 0;
    if (info.is_tiled) return read_tiled(t, out, info.image_width, info.image_length, bps, err, err_len);
    return read_stripped(t, out, info.image_width, info.image_length, bps, err, err_len);
}

static int fail_write(ldk_tiff *t, char *err, size_t err_len, const char *what) {
    char msg[600];
    snprintf(msg, sizeof msg, "%s%s%s", what, t->last_error[0] ? ": " : "", t->last_error);
    copy_err(err, err_len, msg);
    return 1;
}

int ldk_tiff_write_page(ldk_tiff *t, const ldk_tiff_page *p, char *err, size_t err_len) {
    TIFF *tif = t->tif;
    t->last_error[0] = 0;
    size_t bps = p->bits_per_sample / 8;
    if (bps == 0 || p->bits_per_sample % 8 != 0) { copy_err(err, err_len, "bits per sample must be 8, 16 or 32"); return 1; }
    int ok = 1;
    ok &= TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, p->width);
    ok &= TIFFSetField(tif, TIFFTAG_IMAGELENGTH, p->height);
    ok &= TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, p->bits_per_sample);
    ok &= TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
    ok &= TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, p->sample_format);
    ok &= TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, p->photometric);
    ok &= TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    ok &= TIFFSetField(tif, TIFFTAG_COMPRESSION, p->compression);
    if (p->predictor > 1) ok &= TIFFSetField(tif, TIFFTAG_PREDICTOR, p->predictor);
    if (p->has_resolution) {
        ok &= TIFFSetField(tif, TIFFTAG_XRESOLUTION, p->x_resolution);
        ok &= TIFFSetField(tif, TIFFTAG_YRESOLUTION, p->y_resolution);
        ok &= TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, p->resolution_unit);
    }
    if (p->tile_size > 0) {
        ok &= TIFFSetField(tif, TIFFTAG_TILEWIDTH, p->tile_size);
        ok &= TIFFSetField(tif, TIFFTAG_TILELENGTH, p->tile_size);
    } else {
        uint32_t rps = p->rows_per_strip ? p->rows_per_strip : TIFFDefaultStripSize(tif, 0);
        ok &= TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rps);
    }
    if (!ok) return fail_write(t, err, err_len, "cannot set TIFF tags");

    const uint8_t *src = p->pixels;
    size_t row_bytes = (size_t)p->width * bps;
    if (p->tile_size > 0) {
        uint32_t ts = p->tile_size;
        tmsize_t tile_bytes = TIFFTileSize(tif);
        uint8_t *tile = malloc((size_t)tile_bytes);
        if (!tile) { copy_err(err, err_len, "out of memory"); return 1; }
        for (uint32_t y = 0; y < p->height; y += ts) {
            for (uint32_t x = 0; x < p->width; x += ts) {
                memset(tile, 0, (size_t)tile_bytes);
                uint32_t rows = (y + ts > p->height) ? p->height - y : ts;
                uint32_t cols = (x + ts > p->width) ? p->width - x : ts;
                for (uint32_t r = 0; r < rows; r++) {
                    memcpy(tile + (size_t)r * ts * bps, src + (size_t)(y + r) * row_bytes + (size_t)x * bps, (size_t)cols * bps);
                }
                if (TIFFWriteTile(tif, tile, x, y, 0, 0) < 0) { free(tile); return fail_write(t, err, err_len, "cannot write tile"); }
            }
        }
        free(tile);
    } else {
        // TIFFWriteScanline may modify the buffer (predictors work in place), so copy each row.
        uint8_t *row = malloc(row_bytes);
        if (!row) { copy_err(err, err_len, "out of memory"); return 1; }
        for (uint32_t y = 0; y < p->height; y++) {
            memcpy(row, src + (size_t)y * row_bytes, row_bytes);
            if (TIFFWriteScanline(tif, row, y, 0) < 0) { free(row); return fail_write(t, err, err_len, "cannot write row"); }
        }
        free(row);
    }
    if (!TIFFWriteDirectory(tif)) return fail_write(t, err, err_len, "cannot write TIFF directory");
    return 0;
}

int ldk_tiff_finish(ldk_tiff *t, char *err, size_t err_len) {
    int status = 0;
    if (TIFFFlush(t->tif) != 1) status = fail_write(t, err, err_len, "cannot flush TIFF file");
    TIFFClose(t->tif);
    t->tif = NULL;
    if (status == 0 && t->last_error[0]) status = fail_write(t, err, err_len, "TIFF write failed");
    free(t);
    return status;
}
