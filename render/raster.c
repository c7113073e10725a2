/* gongwen: previews as one image, the pages stacked top to bottom (PNG or SVG). */
#include "render.h"

#include "error.h"

#include <cairo-svg.h>

#define RASTER_GAP 12.0 /* points of grey between pages */

/* The widest page and the height of pages [first, last) stacked with gaps, in points. */
static void
raster_size(const Pages *pages, size_t first, size_t last, double *w, double *total)
{
    *w = 0;
    *total = -RASTER_GAP;
    for (size_t p = first; p < last; p++) {
        const Page *page = pages_get(pages, p);
        *w = MAX(*w, page->width / (double)PANGO_SCALE);
        *total += page->height / (double)PANGO_SCALE + RASTER_GAP;
    }
}

static void
raster_draw(cairo_t *cr, const Pages *pages, size_t first, size_t last)
{
    double y = 0;
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_paint(cr);
    for (size_t p = first; p < last; p++) {
        const Page *page = pages_get(pages, p);
        double w = page->width / (double)PANGO_SCALE, h = page->height / (double)PANGO_SCALE;
        cairo_save(cr);
        cairo_translate(cr, 0, y);
        y += h + RASTER_GAP;
        cairo_rectangle(cr, 0, 0, w, h);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
        draw_page(cr, page, NULL);
        cairo_restore(cr);
    }
}

gboolean
raster_write(const Pages *pages, size_t first, size_t last, double dpi, const char *path,
             GError **error)
{
    g_return_val_if_fail(first < last && last <= pages_count(pages), FALSE);
    double w, total;
    raster_size(pages, first, last, &w, &total);
    gboolean svg = g_str_has_suffix(path, ".svg") || g_str_has_suffix(path, ".SVG");
    double scale = svg ? 1.0 : dpi / 72.0;
    if (!svg && total * scale > 32000) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_LIMIT,
                    "%s: error: %zu pages at %.0f dpi make an image too tall for PNG; use a lower "
                    "--dpi or a PDF", path, last - first, dpi);
        return FALSE;
    }
    AtomicFile out;
    if (!atomic_open(&out, path, error))
        return FALSE;
    cairo_surface_t *surface =
        svg ? cairo_svg_surface_create_for_stream(atomic_write_cb, &out, w, total)
            : cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale + 0.5),
                                         (int)(total * scale + 0.5));
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    raster_draw(cr, pages, first, last);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS && !svg)
        status = cairo_surface_write_to_png_stream(surface, atomic_write_cb, &out);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "%s: error: cannot write the image: %s",
                    path, out.write_errno != 0 ? g_strerror(out.write_errno)
                                                        : cairo_status_to_string(status));
        atomic_abort(&out);
        return FALSE;
    }
    return atomic_commit(&out, error);
}
