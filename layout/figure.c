/* gongwen: reading and checking PNG and JPEG images (see figure.h). */
#include "figure.h"

#include "diag.h"
#include "files.h"

#include <gio/gio.h>
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

/* CRC-32 (ISO 3309), as PNG chunks carry it. */
static guint32
crc32_of(const guint8 *p, gsize n, guint32 crc)
{
    crc = ~crc;
    for (gsize i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* The bytes a PNG's image data inflate to: a filter byte and the packed samples per row, of
 * each of the seven Adam7 passes when interlaced. 0 for a colour type and depth PNG does
 * not allow. */
static guint64
png_raw_size(guint64 w, guint64 h, int depth, int colour, gboolean interlaced)
{
    int channels = colour == 0 ? 1 : colour == 2 ? 3 : colour == 3 ? 1 : colour == 4 ? 2
                 : colour == 6 ? 4 : 0;
    if (channels == 0 || (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16))
        return 0;
    guint64 bits = (guint64)channels * (guint64)depth;
    static const int x0[] = {0, 4, 0, 2, 0, 1, 0}, dx[] = {8, 8, 4, 4, 2, 2, 1};
    static const int y0[] = {0, 0, 4, 0, 2, 0, 1}, dy[] = {8, 8, 8, 4, 4, 2, 2};
    guint64 total = 0;
    for (int pass = 0; pass < (interlaced ? 7 : 1); pass++) {
        guint64 pw = interlaced ? (w + (guint64)(dx[pass] - x0[pass] - 1)) / (guint64)dx[pass] : w;
        guint64 ph = interlaced ? (h + (guint64)(dy[pass] - y0[pass] - 1)) / (guint64)dy[pass] : h;
        if (pw > 0 && ph > 0)
            total += ph * (1 + (pw * bits + 7) / 8);
    }
    return total;
}

/* A PNG is checked whole, as the backends will read it: every chunk within the file and its
 * CRC right, the image data inflating to exactly the size its header gives, the end chunk
 * there. A file cut short or corrupt is an error here, at the line that names it, not when
 * the page is drawn. NULL, or why it fails. */
static const char *
png_check(const guint8 *d, gsize n, int w, int h)
{
    static const char *const cut = "the PNG image is cut short or corrupt";
    if (n < 33) /* the signature and the IHDR chunk */
        return cut;
    int depth = d[24], colour = d[25];
    guint64 want = png_raw_size((guint64)w, (guint64)h, depth, colour, d[28] == 1);
    if (want == 0 || d[26] != 0 || d[27] != 0 || d[28] > 1)
        return "the PNG image is corrupt (its header is not one PNG allows)";
    GConverter *z = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
    guint8 *buffer = g_malloc(65536);
    guint64 got = 0;
    gboolean end = FALSE, done = FALSE;
    const char *why = NULL;
    for (gsize i = 8; why == NULL && !end;) {
        if (i + 12 > n) {
            why = cut;
            break;
        }
        guint32 len = be32(d + i);
        const guint8 *type = d + i + 4, *body = d + i + 8;
        if (len > n - i - 12) {
            why = cut;
            break;
        }
        if (crc32_of(type, (gsize)len + 4, 0) != be32(body + len)) {
            why = "the PNG image is corrupt (a chunk's checksum is wrong)";
            break;
        }
        if (memcmp(type, "IDAT", 4) == 0 && !done) {
            gsize in = 0;
            while (in < len && !done) {
                gsize read = 0, written = 0;
                GError *e = NULL;
                GConverterResult r = g_converter_convert(z, body + in, len - in, buffer, 65536,
                                                         G_CONVERTER_NO_FLAGS, &read, &written, &e);
                in += read;
                got += written;
                if (r == G_CONVERTER_ERROR) {
                    why = "the PNG image is corrupt (its image data do not inflate)";
                    g_error_free(e);
                    break;
                }
                done = r == G_CONVERTER_FINISHED;
            }
        }
        end = memcmp(type, "IEND", 4) == 0;
        i += (gsize)len + 12;
    }
    g_free(buffer);
    g_object_unref(z);
    if (why == NULL && (!done || got != want))
        why = done ? "the PNG image is corrupt (its image data are not the size of its header)"
                   : cut;
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
