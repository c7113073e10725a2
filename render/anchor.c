/* gongwen: `--seal-anchor`: where the seal goes, as JSON for e-seal systems. */
#include "render.h"

#include "error.h"

#include <math.h>
#include <string.h>

static void
json_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf(out, "\\%c", *p);
        else if (*p < 0x20)
            g_string_append_printf(out, "\\u%04x", *p);
        else
            g_string_append_c(out, (char)*p);
    }
    g_string_append_c(out, '"');
}

static void
json_number(GString *out, const char *key, double v, gboolean comma)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof buf, "%.2f", v);
    g_string_append_printf(out, "\"%s\": %s%s", key, buf, comma ? ", " : "");
}

/* A length in Pango units as the OFD writes it: millimetres rounded to the micrometre. */
static void
ofd_mm(GString *out, int v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    double um = round(v / (double)PANGO_SCALE * 25400.0 / 72.0);
    g_ascii_formatd(buf, sizeof buf, "%.3f", um / 1000);
    /* 12.340 -> 12.34, 12.000 -> 12 */
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    g_string_append(out, buf);
}

void
seal_anchor_write(const Pages *pages, const char *output, const GArray *ofd_page_ids,
                  AtomicFile *file)
{
    gboolean ofd = ofd_page_ids != NULL;
    GString *out = g_string_new(ofd ? "{\n  \"ofd\": " : "{\n  \"pdf\": ");
    json_string(out, output);
    g_string_append(out, ofd ? ",\n  \"note\": \"box: mm from the page's top left; boundary: "
                               "the OFD's Boundary (x y w h in mm) on the page whose ID is "
                               "page_id (a StampAnnot's PageRef)\",\n  \"seals\": ["
                             : ",\n  \"note\": \"box: mm from the page's top left; rect: PDF "
                               "points [x0, y0, x1, y1] from the bottom left\",\n  \"seals\": [");
    const double mm = 72.0 / 25.4 * PANGO_SCALE, pt = PANGO_SCALE;
    for (guint k = 0; k < pages->seals->len; k++) {
        const PageSeal *s = &g_array_index(pages->seals, PageSeal, k);
        const Page *page = pages_get(pages, s->page);
        g_string_append_printf(out, "%s\n    {\"page\": %zu, \"label\": ", k > 0 ? "," : "",
                               s->page + 1);
        char *label = g_strdup_printf("%d", page->number);
        json_string(out, page->numbered ? label : "");
        g_free(label);
        if (ofd && s->page < ofd_page_ids->len)
            g_string_append_printf(out, ", \"page_id\": %u",
                                   g_array_index(ofd_page_ids, guint, s->page));
        g_string_append(out, ",\n     \"box\": {");
        json_number(out, "x", s->x / mm, TRUE);
        json_number(out, "y", s->y / mm, TRUE);
        json_number(out, "width", s->w / mm, TRUE);
        json_number(out, "height", s->h / mm, FALSE);
        if (ofd) {
            g_string_append(out, "},\n     \"boundary\": \"");
            const int v[4] = {s->x, s->y, s->w, s->h};
            for (int i = 0; i < 4; i++) {
                if (i > 0)
                    g_string_append_c(out, ' ');
                ofd_mm(out, v[i]);
            }
            g_string_append(out, "\"}");
            continue;
        }
        g_string_append(out, "},\n     \"rect\": [");
        const double v[4] = {s->x / pt, (page->height - s->y - s->h) / pt, (s->x + s->w) / pt,
                             (page->height - s->y) / pt};
        for (int i = 0; i < 4; i++) {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_ascii_formatd(buf, sizeof buf, "%.2f", v[i]);
            g_string_append_printf(out, "%s%s", i > 0 ? ", " : "", buf);
        }
        g_string_append(out, "]}");
    }
    g_string_append(out, pages->seals->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
    atomic_write_cb(file, (const unsigned char *)out->str, (unsigned)out->len);
    g_string_free(out, TRUE);
}
