/* gongwen: previews as one image, the pages stacked top to bottom (PNG or SVG). */
#include "render.h"

#include "diag.h"

#include <cairo-svg.h>

#define RASTER_GAP 12.0 /* points of grey between pages */

/* An image being made: the pages are stacked once the last has come, so they are kept (the
 * image backends take Pages laid out whole, not streamed: Backend.whole). */
typedef struct {
    char *path;
    gboolean svg;
    double dpi;
    GPtrArray *pages; /* const Page*, borrowed from the Pages */
} RasterOut;

static void *
raster_begin(const char *path, const BackendParams *params, gboolean svg)
{
    RasterOut *r = g_new0(RasterOut, 1);
    r->path = g_strdup(path);
    r->svg = svg;
    r->dpi = params != NULL && params->dpi > 0 ? params->dpi : 96;
    r->pages = g_ptr_array_new();
    return r;
}

static void *
png_begin(const char *path, const BackendParams *params, GError **error)
{
    (void)error;
    return raster_begin(path, params, FALSE);
}

static void *
svg_begin(const char *path, const BackendParams *params, GError **error)
{
    (void)error;
    return raster_begin(path, params, TRUE);
}

static void
raster_page(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    RasterOut *r = data;
    g_ptr_array_add(r->pages, (gpointer)page);
}

static void
raster_free(RasterOut *r)
{
    g_ptr_array_free(r->pages, TRUE);
    g_free(r->path);
    g_free(r);
}

/* The pages stacked top to bottom on grey, with gaps. */
static void
raster_draw(cairo_t *cr, const GPtrArray *pages)
{
    double y = 0;
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
    cairo_paint(cr);
    for (guint k = 0; k < pages->len; k++) {
        const Page *page = g_ptr_array_index(pages, k);
        double w = page->width / (double)PANGO_SCALE, h = page->height / (double)PANGO_SCALE;
        cairo_save(cr);
        cairo_translate(cr, 0, y);
        y += h + RASTER_GAP;
        cairo_rectangle(cr, 0, 0, w, h);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill(cr);
        draw_page(cr, page);
        cairo_restore(cr);
    }
}

static gboolean
raster_end(void *data, const Pages *pages, GError **error)
{
    RasterOut *r = data;
    if (pages == NULL || r->pages->len == 0) {
        raster_free(r);
        return FALSE;
    }
    double w = 0, total = -RASTER_GAP;
    for (guint k = 0; k < r->pages->len; k++) {
        const Page *page = g_ptr_array_index(r->pages, k);
        w = MAX(w, page->width / (double)PANGO_SCALE);
        total += page->height / (double)PANGO_SCALE + RASTER_GAP;
    }
    double scale = r->svg ? 1.0 : r->dpi / 72.0;
    if (!r->svg && total * scale > 32000) {
        diag_set_error(error, GONGWEN_ERROR_LIMIT, (DiagAt){r->path, 0, 0},
                       "%u pages at %.0f dpi make an image too tall for PNG; use a lower "
                       "--dpi or a PDF",
                       r->pages->len, r->dpi);
        raster_free(r);
        return FALSE;
    }
    AtomicFile out;
    if (!atomic_open(&out, r->path, error)) {
        raster_free(r);
        return FALSE;
    }
    cairo_surface_t *surface =
        r->svg ? cairo_svg_surface_create_for_stream(atomic_write_cb, &out, w, total)
               : cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * scale + 0.5),
                                            (int)(total * scale + 0.5));
    cairo_t *cr = cairo_create(surface);
    cairo_scale(cr, scale, scale);
    raster_draw(cr, r->pages);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS && !r->svg)
        status = cairo_surface_write_to_png_stream(surface, atomic_write_cb, &out);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    gboolean ok = status == CAIRO_STATUS_SUCCESS;
    if (!ok) {
        diag_set_error(
            error, GONGWEN_ERROR_IO, (DiagAt){r->path, 0, 0}, "cannot write the image: %s",
            out.write_errno != 0 ? g_strerror(out.write_errno) : cairo_status_to_string(status));
        atomic_abort(&out);
    } else {
        ok = atomic_commit(&out, error);
    }
    raster_free(r);
    return ok;
}

const Backend backend_png = {"png", TRUE, png_begin, raster_page, raster_end};
const Backend backend_svg = {"svg", TRUE, svg_begin, raster_page, raster_end};
