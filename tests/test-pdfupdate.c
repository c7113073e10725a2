/* gongwen: tests of the incremental update (render/pdfupdate.c): on a small PDF written here
 * in cairo's style and on PDFs cairo itself writes, the new catalog keeps the old entries and
 * adds the missing ones (never a key twice), the Figure elements found by walking the
 * structure tree get their /Alt as UTF-16BE hexadecimal strings, every cross-reference entry
 * points at its object, the trailer has /Prev and the old /Size, /Root, /Info and /ID, and
 * startxref points at the new section; page furniture drawn as Private elements is taken
 * out of the tree and its content made /Artifact; what is not such a PDF is refused with
 * nothing appended. */
#include "pdfupdate.h"
#include "tap.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

/* A small PDF: pages, an info dictionary, a structure tree (Document > Figure, Sect >
 * Figure, P), a catalog, a cross-reference table and a trailer. `cycle`: the Sect's kid is
 * the Document again. */
static GString *
small_pdf(gboolean cycle)
{
    static const char *const objects[] = {
        NULL,
        "<< /Type /Pages /Kids [] /Count 0 >>",
        "<< /Creator (t) >>",
        "<< /Type /Catalog\n   /Pages 1 0 R\n   /StructTreeRoot 4 0 R\n"
        "   /MarkInfo << /Marked true >>\n>>",
        "<< /Type /StructTreeRoot /K [ 5 0 R ] >>",
        "<< /Type /StructElem /S /Document /P 4 0 R /K [ 6 0 R 7 0 R 9 0 R ] >>",
        "<< /Type /StructElem\n   /S /Figure\n   /P 5 0 R\n   /K 0\n>>",
        "<< /Type /StructElem /S /Sect /P 5 0 R /K 8 0 R >>",
        "<< /Type /StructElem /S /Figure /P 7 0 R /K [ 1 << /Type /MCR /MCID 2 >> ] >>",
        "<< /Type /StructElem /S /P /P 5 0 R /K 3 >>",
    };
    enum { N = G_N_ELEMENTS(objects) };
    GString *s = g_string_new("%PDF-1.5\n");
    gsize off[N];
    for (int i = 1; i < N; i++) {
        off[i] = s->len;
        const char *o = cycle && i == 7 ? "<< /S /Sect /K 5 0 R >>" : objects[i];
        g_string_append_printf(s, "%d 0 obj\n%s\nendobj\n", i, o);
    }
    gsize xref = s->len;
    g_string_append_printf(s, "xref\n0 %d\n0000000000 65535 f \n", N);
    for (int i = 1; i < N; i++)
        g_string_append_printf(s, "%010" G_GSIZE_FORMAT " 00000 n \n", off[i]);
    g_string_append_printf(s, "trailer\n<< /Size %d\n   /Root 3 0 R\n   /Info 2 0 R\n"
                              "   /ID [<0A0B> <0A0B>]\n>>\nstartxref\n%" G_GSIZE_FORMAT
                              "\n%%%%EOF\n", N, xref);
    return s;
}

/* Apply the update to `pdf`; the whole file after it (owned), or NULL when refused (with
 * nothing appended). */
static GString *
update(const GString *pdf, const char *const *alts, size_t n, char **why)
{
    PdfSource src = {pdf_source_read_string, (void *)pdf, pdf->len};
    PdfUpdate u = {"/Lang (zh-CN) /MarkInfo << /Marked true >>", alts, n, "Private"};
    GString *out = g_string_new_len(pdf->str, (gssize)pdf->len);
    GError *error = NULL;
    *why = NULL;
    if (!pdf_update_write(&src, &u, out, &error)) {
        *why = g_strdup(error->message);
        g_error_free(error);
        gboolean untouched = out->len == pdf->len;
        g_string_free(out, TRUE);
        return untouched ? NULL : g_string_new("appended on failure");
    }
    return out;
}

/* Where `needle` first (or, `last`, last) is in s from `from` on, or NULL: the bytes may
 * hold NULs (compressed streams). */
static const char *
find(const GString *s, gsize from, const char *needle, gboolean last)
{
    gsize n = strlen(needle);
    const char *found = NULL;
    for (gsize i = from; i + n <= s->len; i++)
        if (memcmp(s->str + i, needle, n) == 0) {
            found = s->str + i;
            if (!last)
                break;
        }
    return found;
}

/* Whether every entry of the last cross-reference section points at "N G obj". */
static gboolean
xref_points_right(const GString *pdf, gsize from)
{
    const char *x = find(pdf, from, "\nxref\n", TRUE);
    if (x == NULL)
        return FALSE;
    const char *p = x + 6;
    int entries = 0;
    while (g_ascii_isdigit(*p)) {
        char *e;
        long first = strtol(p, &e, 10), count = strtol(e, &e, 10);
        p = e + 1;
        for (long i = 0; i < count; i++, p += 20) {
            unsigned long off = strtoul(p, NULL, 10);
            char *head = g_strdup_printf("%ld 0 obj\n", first + i);
            gboolean ok = p[19] == '\n' && off >= from && off < pdf->len &&
                          g_str_has_prefix(pdf->str + off, head);
            g_free(head);
            if (!ok)
                return FALSE;
            entries++;
        }
    }
    return entries > 0 && g_str_has_prefix(p, "trailer\n");
}

static void
test_small(void)
{
    GString *pdf = small_pdf(FALSE);
    const char *alts[] = {"图1　申请方式：网络申请54件", "图2"};
    char *why;
    GString *out = update(pdf, alts, 2, &why);
    tap_ok(out != NULL, "small: updated (%s)", why != NULL ? why : "");
    if (out == NULL) {
        g_string_free(pdf, TRUE);
        g_free(why);
        return;
    }
    const char *u = out->str + pdf->len;
    const char *cat = strstr(u, "3 0 obj\n<<");
    tap_ok(cat != NULL && strstr(cat, "/Pages 1 0 R") && strstr(cat, "/StructTreeRoot 4 0 R") &&
               strstr(cat, "/Lang (zh-CN)"),
           "small: the new catalog keeps /Pages and /StructTreeRoot, adds /Lang");
    const char *m1 = cat != NULL ? strstr(cat, "/MarkInfo") : NULL;
    tap_ok(m1 != NULL && strstr(m1 + 1, "/MarkInfo") == NULL,
           "small: /MarkInfo, which the catalog had, is not added twice");
    /* 图1　申请方式：网络申请54件 in UTF-16BE */
    tap_ok(strstr(u, "6 0 obj\n<<") != NULL &&
               strstr(u, "/Alt <FEFF56FE0031300075338BF765B95F0FFF1A7F517EDC75338BF700350034"
                         "4EF6>") != NULL,
           "small: the first Figure (a kid of the Document) has its /Alt in UTF-16BE hex");
    tap_ok(strstr(u, "8 0 obj\n<<") != NULL && strstr(u, "/Alt <FEFF56FE0032>") != NULL,
           "small: the second Figure (under a Sect, found through /K) has its /Alt");
    tap_ok(strstr(u, "5 0 obj") == NULL && strstr(u, "9 0 obj") == NULL,
           "small: no other element is rewritten");
    tap_ok(xref_points_right(out, pdf->len), "small: every new cross-reference entry points at "
                                             "its object");
    char *prev = g_strdup_printf("/Prev %lu\n", strtoul(strstr(pdf->str, "startxref\n") + 10,
                                                        NULL, 10));
    const char *tr = strstr(u, "trailer\n");
    tap_ok(tr != NULL && strstr(tr, "/Size 10\n") && strstr(tr, "/Root 3 0 R\n") &&
               strstr(tr, "/Info 2 0 R\n") && strstr(tr, "/ID [<0A0B> <0A0B>]") &&
               strstr(tr, prev),
           "small: the trailer keeps /Size, /Root, /Info and /ID and has %s", g_strstrip(prev));
    const char *sx = g_strrstr(u, "startxref\n");
    const char *x = strstr(u, "xref\n");
    tap_ok(x != NULL && sx != NULL && x < sx &&
               strtoul(sx + 10, NULL, 10) == pdf->len + (gsize)(x - u) &&
               g_str_has_suffix(u, "%%EOF\n"),
           "small: startxref points at the new section; %%%%EOF last");
    g_free(prev);
    g_string_free(out, TRUE);

    out = update(pdf, alts, 1, &why);
    tap_ok(out == NULL && why != NULL && strstr(why, "2 Figure elements, the pages drew 1") != NULL,
           "small: one alternative text for two Figures is refused, nothing appended (%s)", why);
    g_free(why);
    const char *none[] = {NULL, NULL};
    out = update(pdf, none, 2, &why);
    tap_ok(out != NULL && strstr(out->str + pdf->len, "/Alt") == NULL,
           "small: Figures without a text get no /Alt");
    if (out != NULL)
        g_string_free(out, TRUE);
    g_free(why);
    g_string_free(pdf, TRUE);
}

static void
test_refused(void)
{
    char *why;
    GString *junk = g_string_new("not a PDF\n");
    GString *out = update(junk, NULL, 0, &why);
    tap_ok(out == NULL && why != NULL, "junk is refused: %s", why);
    g_free(why);
    g_string_free(junk, TRUE);

    GString *pdf = small_pdf(TRUE);
    const char *alts[] = {"a"};
    out = update(pdf, alts, 1, &why);
    tap_ok(out == NULL && why != NULL && strstr(why, "twice") != NULL,
           "a structure tree with a cycle is refused: %s", why);
    g_free(why);
    g_string_free(pdf, TRUE);

    pdf = small_pdf(FALSE);
    /* the table cut: entries missing before the trailer */
    char *x = strstr(pdf->str, "xref\n");
    GString *cut = g_string_new_len(pdf->str, x - pdf->str + 40);
    g_string_append(cut, "trailer\n<< /Size 10 /Root 3 0 R >>\nstartxref\n");
    g_string_append_printf(cut, "%ld\n%%%%EOF\n", (long)(x - pdf->str));
    out = update(cut, alts, 0, &why);
    tap_ok(out == NULL && why != NULL, "a cross-reference table cut short is refused: %s", why);
    g_free(why);
    /* an update of an updated file */
    const char *none[] = {NULL, NULL};
    GString *once = update(pdf, none, 2, &why);
    g_free(why);
    out = once != NULL ? update(once, none, 2, &why) : NULL;
    tap_ok(once != NULL && out == NULL && why != NULL && strstr(why, "updated") != NULL,
           "a PDF updated already is refused: %s", once != NULL ? why : "");
    if (once != NULL) {
        g_free(why);
        g_string_free(once, TRUE);
    }
    g_string_free(cut, TRUE);
    g_string_free(pdf, TRUE);
}

static cairo_status_t
to_string(void *closure, const unsigned char *data, unsigned int length)
{
    g_string_append_len(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* A PDF cairo writes: `pages` pages, each Document > P, Figure, Table > TR > TD and Private
 * (the table's frame), Figure, Private (the page number) (the Document begun on the first
 * page). */
static GString *
cairo_pdf(int pages)
{
    GString *s = g_string_new(NULL);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_string, s, 200, 200);
    cairo_t *cr = cairo_create(surface);
    cairo_tag_begin(cr, "Document", NULL);
    for (int p = 0; p < pages; p++) {
        static const char *const tags[] = {"P", "Figure", "Table", "Figure", "Private"};
        for (size_t k = 0; k < G_N_ELEMENTS(tags); k++) {
            cairo_tag_begin(cr, tags[k], NULL);
            if (g_str_equal(tags[k], "Table")) {
                cairo_tag_begin(cr, "TR", NULL);
                cairo_tag_begin(cr, "TD", NULL);
            }
            cairo_rectangle(cr, 10 + 20 * (double)k, 10, 10, 10);
            cairo_fill(cr);
            if (g_str_equal(tags[k], "Table")) {
                cairo_tag_end(cr, "TD");
                cairo_tag_end(cr, "TR");
                cairo_tag_begin(cr, "Private", NULL);
                cairo_rectangle(cr, 5, 5, 100, 30);
                cairo_stroke(cr);
                cairo_tag_end(cr, "Private");
            }
            cairo_tag_end(cr, tags[k]);
        }
        cairo_show_page(cr);
    }
    cairo_tag_end(cr, "Document");
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    return s;
}

static void
test_cairo(int pages)
{
    GString *pdf = cairo_pdf(pages);
    GPtrArray *alts = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < 2 * pages; i++)
        g_ptr_array_add(alts, g_strdup_printf("图%d", i + 1));
    char *why;
    GString *out = update(pdf, (const char *const *)alts->pdata, alts->len, &why);
    tap_ok(out != NULL, "cairo, %d pages: updated (%s)", pages, why != NULL ? why : "");
    int found = 0;
    for (int i = 0; out != NULL && i < 2 * pages; i++) {
        /* 图N: 56FE then the digits' UTF-16 */
        GString *want = g_string_new("/Alt <FEFF56FE");
        char digits[16];
        g_snprintf(digits, sizeof digits, "%d", i + 1);
        for (const char *d = digits; *d != '\0'; d++)
            g_string_append_printf(want, "%04X", (unsigned)*d);
        g_string_append(want, ">\n");
        found += find(out, pdf->len, want->str, FALSE) != NULL;
        g_string_free(want, TRUE);
    }
    tap_ok(found == 2 * pages, "cairo, %d pages: all %d Figures have their /Alt (%d)", pages,
           2 * pages, found);
    tap_ok(out != NULL && xref_points_right(out, pdf->len),
           "cairo, %d pages: every new cross-reference entry points at its object", pages);
    /* the furniture: each page's content stream again, its two Private sequences made
     * artifacts; no element names a Private */
    int streams = 0, artifacts = 0, privates = 0;
    for (const char *p = out != NULL ? find(out, pdf->len, "\nstream\n", FALSE) : NULL;
         p != NULL; p = find(out, (gsize)(p - out->str), "\nstream\n", FALSE)) {
        p += 8;
        const char *e = find(out, (gsize)(p - out->str), "\nendstream", FALSE);
        if (e == NULL)
            break;
        GString *z = g_string_new_len(p, e - p), *plain = g_string_new(NULL);
        GConverter *c = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
        char chunk[65536];
        gsize done = 0, nr, nw;
        GConverterResult r;
        do {
            r = g_converter_convert(c, z->str + done, z->len - done, chunk, sizeof chunk,
                                    G_CONVERTER_INPUT_AT_END, &nr, &nw, NULL);
            done += nr;
            g_string_append_len(plain, chunk, (gssize)nw);
        } while (r == G_CONVERTER_CONVERTED);
        streams += r == G_CONVERTER_FINISHED;
        for (const char *q = plain->str; (q = strstr(q, "/Artifact BMC")); q++)
            artifacts++;
        for (const char *q = plain->str; (q = strstr(q, "/Private")); q++)
            privates++;
        g_object_unref(c);
        g_string_free(z, TRUE);
        g_string_free(plain, TRUE);
        p = e;
    }
    tap_ok(streams == pages && artifacts == 2 * pages && privates == 0,
           "cairo, %d pages: %d content streams again, %d artifacts, %d Private left", pages,
           streams, artifacts, privates);
    tap_ok(out != NULL && find(out, pdf->len, "/S /Private", FALSE) == NULL,
           "cairo, %d pages: no Private element written again", pages);
    if (out != NULL)
        g_string_free(out, TRUE);
    g_free(why);
    g_ptr_array_free(alts, TRUE);
    g_string_free(pdf, TRUE);
}

/* A Figure with furniture in it (a figure that goes on over a page): written once, with its
 * /Alt and without the furniture in its /K. */
static void
test_figure_furniture(void)
{
    GString *pdf = g_string_new(NULL);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_string, pdf, 200, 200);
    cairo_t *cr = cairo_create(surface);
    cairo_tag_begin(cr, "Document", NULL);
    cairo_tag_begin(cr, "Figure", NULL);
    cairo_tag_begin(cr, "Span", NULL);
    cairo_rectangle(cr, 10, 10, 10, 10);
    cairo_fill(cr);
    cairo_tag_end(cr, "Span");
    cairo_tag_begin(cr, "Private", NULL);
    cairo_rectangle(cr, 30, 10, 10, 10);
    cairo_fill(cr);
    cairo_tag_end(cr, "Private");
    cairo_tag_end(cr, "Figure");
    cairo_tag_end(cr, "Document");
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    const char *alts[] = {"图1"};
    char *why;
    GString *out = update(pdf, alts, 1, &why);
    int figures = 0;
    for (const char *p = out != NULL ? find(out, pdf->len, "/S /Figure", FALSE) : NULL;
         p != NULL; p = find(out, (gsize)(p - out->str) + 1, "/S /Figure", FALSE))
        figures++;
    const char *alt = out != NULL ? find(out, pdf->len, "/Alt <FEFF56FE0031>", FALSE) : NULL;
    /* its kids: the Span alone */
    const char *k = alt != NULL ? g_strrstr_len(out->str + pdf->len, alt - out->str - pdf->len,
                                                "/K [")
                                : NULL;
    int refs = 0;
    for (const char *q = k; q != NULL && q < alt && *q != ']'; q++)
        refs += q[0] == ' ' && q[1] == 'R';
    tap_ok(out != NULL && figures == 1 && alt != NULL && refs == 1 &&
               xref_points_right(out, pdf->len),
           "a Figure with furniture in it: written once, with its /Alt (%s)",
           why != NULL ? why : "");
    if (out != NULL)
        g_string_free(out, TRUE);
    g_free(why);
    g_string_free(pdf, TRUE);
}

int
main(void)
{
    tap_plan_no_plan();
    test_small();
    test_refused();
    test_cairo(1);
    test_cairo(40);
    test_figure_furniture();
    return tap_done();
}
