/* gongwen: reading PNG and JPEG headers (see figure.h). */
#include "figure.h"

#include "diag.h"
#include "files.h"

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

static gboolean
figure_fail(const DocBlock *block, const char *name, GError **error, GongwenError code,
            const char *why)
{
    diag_set_error(error, code, block->loc, "%s: %s", name, why);
    return FALSE;
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

/* JPEG: walk the markers to the first start-of-frame (SOF0…SOF15 but DHT, JPG, DAC). */
static gboolean
jpeg_size(const guint8 *d, gsize n, int *w, int *h)
{
    if (n < 4 || d[0] != 0xFF || d[1] != 0xD8)
        return FALSE;
    gsize i = 2;
    while (i + 9 < n) {
        if (d[i] != 0xFF)
            return FALSE;
        guint8 marker = d[i + 1];
        gsize len = (gsize)d[i + 2] << 8 | d[i + 3];
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            *h = d[i + 5] << 8 | d[i + 6];
            *w = d[i + 7] << 8 | d[i + 8];
            return *w > 0 && *h > 0;
        }
        if (len < 2)
            return FALSE;
        i += 2 + len;
    }
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
    gboolean ok = TRUE;
    if (png_size(d, len, &image->width_px, &image->height_px))
        image->jpeg = FALSE;
    else if (jpeg_size(d, len, &image->width_px, &image->height_px))
        image->jpeg = TRUE;
    else
        ok = figure_fail(block, name, error, GONGWEN_ERROR_INPUT, "not a PNG or JPEG image");
    if (ok && (guint64)image->width_px * (guint64)image->height_px > FIGURE_MAX_PIXELS)
        ok = figure_fail(block, name, error, GONGWEN_ERROR_LIMIT,
                         "more than the 40-megapixel limit for an image");
    if (!ok) {
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
