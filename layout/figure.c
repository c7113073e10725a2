/* gongwen: reading and checking PNG and JPEG images (see figure.h). */
#include "figure.h"

#include "diag.h"
#include "files.h"

#include <cairo.h>
#include <string.h>

/* The name of the block's image as its report gives it: the path relative to the
 * report's folder `dir` (block->file is that folder joined with it). */
static const char *
figure_name(const DocBlock *block, const char *dir)
{
    size_t n = strlen(dir);
    if (g_str_has_prefix(block->file, dir) && block->file[n] == '/')
        return block->file + n + 1;
    if (g_str_has_prefix(block->file, dir) && n > 0 && dir[n - 1] == '/')
        return block->file + n;
    return block->file;
}

static guint32
be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* PNG: the IHDR chunk right after the signature holds width and height. */
static gboolean
png_size(const guint8 *d, gsize n, int *w, int *h)
{
    if (n < 24 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
        return FALSE;
    guint32 width = be32(d + 16), height = be32(d + 20);
    if (width == 0 || height == 0 || width > G_MAXINT || height > G_MAXINT)
        return FALSE;
    *w = (int)width;
    *h = (int)height;
    return TRUE;
}

typedef struct {
    const guint8 *data;
    gsize left;
} PngBytes;

static cairo_status_t
png_read(void *closure, unsigned char *out, unsigned int length)
{
    PngBytes *r = closure;
    if (length > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data, length);
    r->data += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* A PNG is decoded whole, as the backends will: a file cut short or corrupt is an error
 * here, at the line that names it, not when the page is drawn. NULL, or why it fails. */
static const char *
png_check(const guint8 *d, gsize n, int w, int h)
{
    PngBytes r = {d, n};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    cairo_status_t status = cairo_surface_status(s);
    const char *why = NULL;
    if (status == CAIRO_STATUS_NO_MEMORY) {
        /* cairo 1.16 reports every libpng error so: out of memory only if the surface
         * itself cannot be had */
        cairo_surface_t *t = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
        why = cairo_surface_status(t) == CAIRO_STATUS_NO_MEMORY
                  ? "not enough memory to decode this PNG image"
                  : "the PNG image is corrupt";
        cairo_surface_destroy(t);
    } else if (status != CAIRO_STATUS_SUCCESS) {
        why = "the PNG image is cut short or corrupt";
    } else if (cairo_image_surface_get_width(s) != w || cairo_image_surface_get_height(s) != h) {
        why = "the PNG image is corrupt (its size does not match its header)";
    }
    cairo_surface_destroy(s);
    return why;
}

static gboolean
is_jpeg(const guint8 *d, gsize n)
{
    return n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF;
}

/* A JPEG goes into the PDF as it is (DCTDecode): nothing decodes it before a reader does.
 * So every segment is walked, the entropy-coded data of each scan skipped to its end, up
 * to the end-of-image marker, and the frame header is checked for a coding that PDF readers
 * decode: baseline, extended or progressive Huffman, 8 bits, 1, 3 or 4 components. Sets
 * the size; NULL, or why it fails. */
static const char *
jpeg_check(const guint8 *d, gsize n, int *w, int *h)
{
    static const char *const cut = "the JPEG image is cut short (it has no end-of-image marker)";
    static const char *const corrupt = "the JPEG image is corrupt (its segments do not follow "
                                       "one another)";
    gboolean frame = FALSE, scan = FALSE;
    gsize i = 2;
    for (;;) {
        if (i + 2 > n)
            return cut;
        if (d[i] != 0xFF)
            return corrupt;
        guint8 m = d[i + 1];
        if (m == 0xFF) { /* fill before a marker */
            i++;
            continue;
        }
        i += 2;
        if (m == 0xD9) /* EOI */
            return !frame  ? "the JPEG image has no frame header"
                   : !scan ? "the JPEG image has no image data (no scan)"
                           : NULL;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) /* TEM, RSTn: no length */
            continue;
        if (m == 0xD8 || m == 0x00)
            return corrupt;
        if (i + 2 > n)
            return cut;
        gsize len = (gsize)d[i] << 8 | d[i + 1];
        if (len < 2)
            return corrupt;
        if (len > n - i)
            return cut;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) { /* SOFn */
            if (frame)
                return "the JPEG image has two frame headers (a hierarchical JPEG); save it "
                       "as a baseline JPEG";
            if (m > 0xC2)
                return "a lossless or arithmetic-coded JPEG, which PDF readers do not show; "
                       "save it as a baseline JPEG";
            if (len < 8 || len != 8 + 3 * (gsize)d[i + 7])
                return corrupt;
            if (d[i + 2] != 8)
                return "a JPEG of more than 8 bits a sample, which PDF readers do not show; "
                       "save it as a baseline JPEG";
            if (d[i + 7] != 1 && d[i + 7] != 3 && d[i + 7] != 4)
                return "a JPEG with neither 1, 3 nor 4 colour components";
            *h = d[i + 3] << 8 | d[i + 4];
            *w = d[i + 5] << 8 | d[i + 6];
            if (*w == 0 || *h == 0)
                return "the JPEG image gives no size in its frame header";
            frame = TRUE;
        }
        i += len;
        if (m == 0xDA) { /* SOS: the scan's data runs to the next marker but RSTn */
            if (!frame)
                return "the JPEG image is corrupt (a scan before the frame header)";
            scan = TRUE;
            for (;;) {
                const guint8 *ff = i < n ? memchr(d + i, 0xFF, n - i) : NULL;
                if (ff == NULL || (gsize)(ff - d) + 1 >= n)
                    return cut;
                i = (gsize)(ff - d);
                guint8 next = d[i + 1];
                if (next != 0x00 && !(next >= 0xD0 && next <= 0xD7))
                    break;
                i += 2;
            }
        }
    }
}

static gboolean
figure_fail(const DocBlock *block, const char *name, GError **error, GongwenError code,
            const char *why)
{
    diag_set_error(error, code, block->loc, "%s: %s", name, why);
    return FALSE;
}

FigureImage *
figure_load(const DocBlock *block, GError **error)
{
    /* The image lies in the folder of the report that names it, the file of the block's
     * location; that is checked again on the file opened. */
    char *dir = g_path_get_dirname(block->loc.file);
    const char *name = figure_name(block, dir);
    gsize len = 0;
    GError *why = NULL;
    char *data = files_read(dir, block->file, FIGURE_MAX_BYTES, "an image", &len, &why);
    g_free(dir);
    if (data == NULL) {
        figure_fail(block, name, error,
                    why->code == GONGWEN_ERROR_LIMIT ? GONGWEN_ERROR_LIMIT : GONGWEN_ERROR_INPUT,
                    why->message);
        g_error_free(why);
        return NULL;
    }
    FigureImage *image = g_new0(FigureImage, 1);
    image->data = g_bytes_new_take(data, len);
    image->id = block->file;
    const guint8 *d = (const guint8 *)data;
    const char *bad = NULL;
    GongwenError code = GONGWEN_ERROR_INPUT;
    if (png_size(d, len, &image->width_px, &image->height_px)) {
        image->jpeg = FALSE;
    } else if (is_jpeg(d, len)) {
        image->jpeg = TRUE;
        bad = jpeg_check(d, len, &image->width_px, &image->height_px);
    } else {
        bad = "not a PNG or JPEG image";
    }
    if (bad == NULL && (guint64)image->width_px * (guint64)image->height_px > FIGURE_MAX_PIXELS) {
        bad = "more than the 40-megapixel limit for an image";
        code = GONGWEN_ERROR_LIMIT;
    } else if (bad == NULL && (image->width_px > 32767 || image->height_px > 32767)) {
        /* cairo's largest image surface: the backends draw every image through one */
        bad = "more than 32,767 pixels wide or high";
        code = GONGWEN_ERROR_LIMIT;
    }
    if (bad == NULL && !image->jpeg)
        bad = png_check(d, len, image->width_px, image->height_px);
    if (bad != NULL) {
        figure_fail(block, name, error, code, bad);
        figure_free(image);
        return NULL;
    }
    return image;
}

void
figure_free(FigureImage *image)
{
    if (image == NULL)
        return;
    g_bytes_unref(image->data);
    g_free(image);
}
