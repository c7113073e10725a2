/* gongwen: tests of the PDF writer's text placement (render/pdftext.c) against cairo 1.16.
 *
 * gongwen's PDFs were drawn through cairo's PDF surface until issue 22; its own writer is to
 * place every glyph exactly where cairo placed it, so that the pages render the same, pixel
 * for pixel. Here reports are laid out, written by the writer (untagged, as render/draw.c
 * draws them) and drawn through cairo's PDF surface by render/draw.c, the same Pages; the
 * numbers that place text in each page's content stream — every Tm and Td with its
 * operands, every TJ's shifts, the Tj and TJ boundaries and text objects — must be the same,
 * page by page. Glyph codes are left out of the comparison: cairo wrote the glyphs of a
 * TrueType face's latin subset as one-byte strings, the writer writes them in its one font. */
#define _GNU_SOURCE /* memmem */
#include "page.h"
#include "render.h"
#include "report.h"
#include "tap.h"

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <string.h>
#include <zlib.h>

static cairo_status_t
grow(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* `len` bytes at `p` inflated, or NULL. */
static GString *
inflate_bytes(const guint8 *p, gsize len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK)
        return NULL;
    GString *out = g_string_new(NULL);
    guint8 buf[16384];
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)len;
    int r;
    do {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        r = inflate(&z, Z_NO_FLUSH);
        g_string_append_len(out, (const char *)buf, (gssize)(sizeof buf - z.avail_out));
    } while (r == Z_OK);
    inflateEnd(&z);
    if (r != Z_STREAM_END) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return out;
}

/* The pages' content streams of a PDF (GString*), in the file's order: every stream,
 * inflated when its dictionary says FlateDecode, that begins with the page's flip. */
static GPtrArray *
page_contents(const guint8 *pdf, gsize len)
{
    GPtrArray *pages = g_ptr_array_new();
    const char *s = (const char *)pdf, *end = s + len;
    for (const char *at = s; (at = memmem(at, (size_t)(end - at), "stream", 6)) != NULL;
         at += 6) {
        if (at >= s + 3 && memcmp(at - 3, "end", 3) == 0)
            continue;
        const char *data = at + 6;
        if (data < end && *data == '\r')
            data++;
        if (data >= end || *data != '\n')
            continue;
        data++;
        const char *stop = memmem(data, (size_t)(end - data), "endstream", 9);
        if (stop == NULL)
            break;
        /* its dictionary: from the last "obj" before it */
        const char *dict = at;
        while (dict > s + 3 && memcmp(dict - 3, "obj", 3) != 0)
            dict--;
        gboolean flate = memmem(dict, (size_t)(at - dict), "/FlateDecode", 12) != NULL;
        GString *body = flate ? inflate_bytes((const guint8 *)data, (gsize)(stop - data))
                              : g_string_new_len(data, stop - data);
        if (body != NULL && g_str_has_prefix(body->str, "1 0 0 -1 0 "))
            g_ptr_array_add(pages, body);
        else if (body != NULL)
            g_string_free(body, TRUE);
        at = stop;
    }
    return pages;
}

/* The text placement of a content stream: a line per text operator (BT, ET, Tm, Td, Tj, TJ)
 * with its numbers (a TJ's shifts), strings left out. */
static char *
placement(const GString *content)
{
    GString *out = g_string_new(NULL);
    GString *operands = g_string_new(NULL);
    const char *p = content->str, *end = p + content->len;
    int depth = 0; /* inside [ ] */
    while (p < end) {
        char c = *p;
        if (g_ascii_isspace(c)) {
            p++;
        } else if (c == '<' && p + 1 < end && p[1] == '<') {
            p += 2; /* a dictionary's operands (BDC): skipped with their operator */
            int nest = 1;
            while (p + 1 < end && nest > 0) {
                if (p[0] == '<' && p[1] == '<')
                    nest++, p += 2;
                else if (p[0] == '>' && p[1] == '>')
                    nest--, p += 2;
                else
                    p++;
            }
        } else if (c == '<') {
            const char *q = memchr(p, '>', (size_t)(end - p));
            p = q != NULL ? q + 1 : end;
        } else if (c == '(') {
            int nest = 0;
            for (; p < end; p++) {
                if (*p == '\\') {
                    p++;
                    continue;
                }
                if (*p == '(')
                    nest++;
                else if (*p == ')' && --nest == 0) {
                    p++;
                    break;
                }
            }
        } else if (c == '[') {
            depth++;
            p++;
        } else if (c == ']') {
            depth--;
            p++;
        } else if (c == '/') {
            while (p < end && !g_ascii_isspace(*p) && *p != '<' && *p != '[')
                p++;
        } else if (g_ascii_isdigit(c) || c == '-' || c == '.') {
            const char *q = p;
            while (q < end && (g_ascii_isdigit(*q) || *q == '-' || *q == '.'))
                q++;
            g_string_append_c(operands, ' ');
            g_string_append_len(operands, p, q - p);
            p = q;
        } else {
            const char *q = p;
            while (q < end && !g_ascii_isspace(*q) && *q != '[' && *q != '(' && *q != '<' &&
                   *q != '/')
                q++;
            char *op = g_strndup(p, (gsize)(q - p));
            if (depth == 0) {
                if (g_str_equal(op, "BT") || g_str_equal(op, "ET") || g_str_equal(op, "Tj") ||
                    g_str_equal(op, "TJ") || g_str_equal(op, "Tm") || g_str_equal(op, "Td"))
                    g_string_append_printf(out, "%s%s\n", op, operands->str);
                g_string_truncate(operands, 0);
            }
            g_free(op);
            p = q > p ? q : p + 1;
        }
    }
    g_string_free(operands, TRUE);
    return g_string_free(out, FALSE);
}

static void
compare(const char *name, const char *path)
{
    Report report;
    GError *error = NULL;
    ReportOptions ro = {.lay_out = TRUE};
    if (!report_load(&report, path, &ro, &error)) {
        tap_ok(FALSE, "%s lays out: %s", name, error->message);
        g_error_free(error);
        report_clear(&report);
        return;
    }
    const Pages *pages = report.pages;
    size_t n = pages_count(pages);

    /* gongwen's writer */
    char *dir = g_dir_make_tmp("gongwen-pdftext-XXXXXX", NULL);
    char *file = g_build_filename(dir, "out.pdf", NULL);
    gboolean written = backend_write(&backend_pdf, pages, 0, n, file, 0, &error);
    gchar *ours = NULL;
    gsize ours_len = 0;
    if (!written || !g_file_get_contents(file, &ours, &ours_len, NULL)) {
        tap_ok(FALSE, "%s: the writer writes it: %s", name, error != NULL ? error->message : "");
        g_clear_error(&error);
    }
    g_unlink(file);
    g_rmdir(dir);
    g_free(file);
    g_free(dir);

    /* cairo's PDF surface, its content uncompressed */
    GByteArray *theirs = g_byte_array_new();
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(grow, theirs, 595.28, 841.89);
    cairo_t *cr = cairo_create(surface);
    for (size_t p = 0; p < n; p++) {
        const Page *page = pages_get(pages, p);
        cairo_pdf_surface_set_size(surface, page->width / (double)PANGO_SCALE,
                                   page->height / (double)PANGO_SCALE);
        draw_page(cr, page);
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);

    if (ours != NULL) {
        GPtrArray *a = page_contents(theirs->data, theirs->len);
        GPtrArray *b = page_contents((const guint8 *)ours, ours_len);
        gboolean same = a->len == n && b->len == n;
        if (!same)
            tap_diag("%s: %u pages' contents from cairo, %u from the writer, %zu pages", name,
                     a->len, b->len, n);
        for (guint p = 0; same && p < n; p++) {
            char *x = placement(g_ptr_array_index(a, p)), *y = placement(g_ptr_array_index(b, p));
            if (!g_str_equal(x, y)) {
                same = FALSE;
                char **xl = g_strsplit(x, "\n", -1), **yl = g_strsplit(y, "\n", -1);
                for (guint i = 0; xl[i] != NULL && yl[i] != NULL; i++)
                    if (!g_str_equal(xl[i], yl[i])) {
                        tap_diag("%s page %u, text operator %u: cairo '%s', the writer '%s'",
                                 name, p + 1, i + 1, xl[i], yl[i]);
                        break;
                    }
                g_strfreev(xl);
                g_strfreev(yl);
            }
            g_free(x);
            g_free(y);
        }
        size_t ops = 0;
        for (guint p = 0; p < a->len; p++) {
            char *x = placement(g_ptr_array_index(a, p));
            for (const char *q = x; (q = strchr(q, '\n')) != NULL; q++)
                ops++;
            g_free(x);
        }
        tap_ok(same && ops > 0,
               "%s: %zu pages, %zu text operators placed as cairo placed them", name, n, ops);
        for (guint p = 0; p < a->len; p++)
            g_string_free(g_ptr_array_index(a, p), TRUE);
        for (guint p = 0; p < b->len; p++)
            g_string_free(g_ptr_array_index(b, p), TRUE);
        g_ptr_array_free(a, TRUE);
        g_ptr_array_free(b, TRUE);
    }
    g_free(ours);
    g_byte_array_free(theirs, TRUE);
    report_clear(&report);
}

int
main(void)
{
    tap_plan_no_plan();
    /* both untagged: render/draw.c draws no structure, and marked content ends text objects */
    g_setenv("GONGWEN_PDF_UNTAGGED", "1", TRUE);
    g_setenv("CAIRO_DEBUG_PDF", "1", TRUE);
    static const char *const reports[] = {
        "reports/guizhou-commerce-2017", /* charts, a table over pages, KaitiM's latin */
        "reports/notice-2024",           /* the red 版头, condensed and coloured text, a seal */
        "reports/speech-2024",           /* a speech's opening */
        "tests/fixtures/gongwen-format/landscape.txt", /* a turned page number */
        "tests/fixtures/lines/dashes.txt",             /* ActualText: ―― set as —— */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(reports); i++) {
        char *path = g_build_filename(tap_srcdir(), reports[i], NULL);
        compare(reports[i], path);
        g_free(path);
    }
    return tap_done();
}
