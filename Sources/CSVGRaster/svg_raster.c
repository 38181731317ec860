#include "svg_raster.h"

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <math.h>
#include <stdio.h>

static int fail(char *err, size_t err_len, const char *what, const char *detail) {
    if (err && err_len > 0) snprintf(err, err_len, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
    return -1;
}

int ldk_svg_to_png(const char *svg, size_t length, double scale, const char *path, char *err, size_t err_len) {
    if (!(scale > 0) || !isfinite(scale)) return fail(err, err_len, "scale must be positive", NULL);
    GError *error = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)svg, (gsize)length, &error);
    if (!handle) {
        int r = fail(err, err_len, "cannot parse SVG", error ? error->message : NULL);
        if (error) g_error_free(error);
        return r;
    }
    // Our charts always state width and height in pixels; a file without them has no size to render at.
    gdouble width = 0, height = 0;
    if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &width, &height) || width <= 0 || height <= 0) {
        g_object_unref(handle);
        return fail(err, err_len, "SVG has no intrinsic pixel size (width and height attributes)", NULL);
    }
    int w = (int)ceil(width * scale), h = (int)ceil(height * scale);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    RsvgRectangle viewport = {0, 0, width * scale, height * scale};
    int status = 0;
    if (!rsvg_handle_render_document(handle, cr, &viewport, &error)) {
        status = fail(err, err_len, "cannot render SVG", error ? error->message : NULL);
        if (error) g_error_free(error);
    } else {
        cairo_surface_flush(surface);
        cairo_status_t written = cairo_surface_write_to_png(surface, path);
        if (written != CAIRO_STATUS_SUCCESS) status = fail(err, err_len, path, cairo_status_to_string(written));
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    g_object_unref(handle);
    return status;
}
