/* gongwen: tests of the incremental update of a PDF's catalog (render/pdfupdate.c) on a
 * small PDF written here in cairo's style: the new catalog keeps the old entries and adds
 * the new ones, the cross-reference entry points at it (20 bytes, the right offset), the
 * trailer has /Prev and the old /Size, /Root and /Info, startxref points at the new section;
 * only the tail of the file needs to be given; a tail that is not a PDF's end is refused.
 */
#include "render.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* A minimal PDF: a catalog, pages, an info dictionary, a cross-reference table, a trailer. */
static GString *
small_pdf(void)
{
    GString *s = g_string_new("%PDF-1.5\n");
    gsize off[4];
    off[1] = s->len;
    g_string_append(s, "1 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    off[2] = s->len;
    g_string_append(s, "2 0 obj\n<< /Creator (t) >>\nendobj\n");
    off[3] = s->len;
    g_string_append(s, "3 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n>>\nendobj\n");
    gsize xref = s->len;
    g_string_append(s, "xref\n0 4\n0000000000 65535 f \n");
    for (int i = 1; i < 4; i++)
        g_string_append_printf(s, "%010" G_GSIZE_FORMAT " 00000 n \n", off[i]);
    g_string_append_printf(s, "trailer\n<< /Size 4\n   /Root 3 0 R\n   /Info 2 0 R\n>>\n"
                              "startxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n", xref);
    return s;
}

static void
test_update(gsize tail_len, const char *name)
{
    GString *pdf = small_pdf();
    gsize total = pdf->len, len = MIN(tail_len, total);
    GString *up = g_string_new(NULL);
    gboolean ok = pdf_update_catalog(pdf->str + total - len, len, total, "/Lang (zh-CN)", up);
    tap_ok(ok, "%s: updated", name);
    const char *u = up->str;
    tap_ok(g_str_has_prefix(u, "3 0 obj\n<< /Type /Catalog\n   /Pages 1 0 R\n") &&
               strstr(u, "/Lang (zh-CN)\n>>\nendobj\n") != NULL,
           "%s: the new catalog keeps /Type and /Pages and adds /Lang", name);
    const char *x = strstr(u, "xref\n3 1\n");
    tap_ok(x != NULL && strlen(x + 9) > 20 && x[9 + 18] == ' ' && x[9 + 19] == '\n' &&
               strtoul(x + 9, NULL, 10) == total,
           "%s: one 20-byte entry for object 3 at the update's start", name);
    char *prev = g_strdup_printf("/Prev %lu\n", strtoul(strstr(pdf->str, "startxref\n") + 10,
                                                        NULL, 10));
    const char *tr = strstr(u, "trailer\n");
    tap_ok(tr != NULL && strstr(tr, "/Size 4\n") && strstr(tr, "/Root 3 0 R\n") &&
               strstr(tr, "/Info 2 0 R\n") && strstr(tr, prev),
           "%s: the trailer keeps /Size, /Root, /Info and has %s", name, g_strstrip(prev));
    const char *sx = strstr(u, "startxref\n");
    tap_ok(x != NULL && sx != NULL && strtoul(sx + 10, NULL, 10) == total + (gsize)(x - u) &&
               g_str_has_suffix(u, "%%EOF\n"),
           "%s: startxref points at the new section; %%%%EOF last", name);
    g_free(prev);
    g_string_free(up, TRUE);
    g_string_free(pdf, TRUE);
}

int
main(void)
{
    tap_plan_no_plan();
    test_update(G_MAXSIZE, "the whole file");
    test_update(230, "its last 230 bytes (from the catalog on)");
    GString *up = g_string_new(NULL);
    const char *junk = "not a PDF\n";
    tap_ok(!pdf_update_catalog(junk, strlen(junk), 100, "/Lang (zh-CN)", up) && up->len == 0,
           "a tail without a trailer is refused, nothing appended");
    GString *pdf = small_pdf();
    tap_ok(!pdf_update_catalog(pdf->str + pdf->len - 60, 60, pdf->len, "/Lang (zh-CN)", up) &&
               up->len == 0,
           "a tail without the catalog is refused, nothing appended");
    g_string_free(pdf, TRUE);
    g_string_free(up, TRUE);
    return tap_done();
}
