// Renders SVG text to a PNG file through librsvg and cairo.
//
// Why a shim: librsvg's API is GObject-based (GError, reference counting), which is awkward and leak-prone
// from Swift; this file keeps all of it on the C side behind one call that returns a status and a reason.
#ifndef SVG_RASTER_H
#define SVG_RASTER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Renders `svg` (`length` bytes of UTF-8) at `scale` times its intrinsic pixel size onto white and writes
/// a PNG to `path`. Returns 0 on success; otherwise writes a reason into `err` (at most `err_len` bytes,
/// NUL-terminated) and returns -1. The file at `path` may be partial on failure; callers write to a
/// temporary name and rename.
int ldk_svg_to_png(const char *svg, size_t length, double scale, const char *path, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
