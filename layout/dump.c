/* gongwen: the stage dumps: `dump --stage=lines` (every flow's lines) and
 * `dump --stage=pages` (every page's display list). */
#include "layout-imp.h"

char *
page_dump_lines(const Doc *doc, Fonts *fonts, GError **error)
{
    Layout L;
    GString *out = g_string_new(NULL);
    gboolean ok = layout_init(&L, doc, fonts, error) && layout_ensure_flows(&L, SIZE_MAX, error);
    for (guint k = 0; ok && k < L.flows->len; k++) {
        const Flow *f = &g_array_index(L.flows, Flow, k);
        const DocBlock *block = &doc->blocks[f->block];
        g_string_append_printf(out, "%s %d:%d rows=%d space=%d%s%s%s\n",
                               doc_block_kind_name(block->kind), block->loc.line, block->loc.col,
                               f->rows, f->space_before, f->keep_with_next ? " keep" : "",
                               f->splittable ? " split" : "", f->new_page ? " new-page" : "");
        for (guint p = 0; p < f->parts->len; p++)
            para_lines_dump(g_array_index(f->parts, FlowPart, p).lines, out);
    }
    layout_clear(&L);
    pages_free(L.pages);
    if (!ok) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

static char *
item_text(const PageItem *item)
{
    const PangoItem *pi = item->run->item;
    return g_strndup(item->text + pi->offset, (gsize)pi->length);
}

static void
dump_rect(GString *out, const PageItem *item, gboolean close_line)
{
    char v[4][G_ASCII_DTOSTR_BUF_SIZE];
    const int values[4] = {item->x, item->y, item->w, item->h};
    for (int i = 0; i < 4; i++)
        g_ascii_formatd(v[i], sizeof v[i], "%.2f", values[i] / (double)PANGO_SCALE);
    const char *kind = item->kind == PAGE_ITEM_IMAGE ? "image"
                       : item->kind == PAGE_ITEM_FILL ? "rule"
                                                      : "box";
    g_string_append_printf(out, "%s  %s x=%s y=%s w=%s h=%s%s", close_line ? "|\n" : "", kind,
                           v[0], v[1], v[2], v[3],
                           item->kind == PAGE_ITEM_RECT && item->line > PAGE_PT(0.5) ? " frame" : "");
    if (item->color != 0)
        g_string_append_printf(out, " #%06X", (unsigned)item->color);
    g_string_append_c(out, '\n');
}

static void
dump_shape(GString *out, const PageItem *item, gboolean close_line)
{
    static const char *const kinds[] = {"rect", "polyline", "polygon", "wedge", "dot"};
    const PageShape *s = item->shape;
    g_string_append_printf(out, "%s  %s", close_line ? "|\n" : "", kinds[s->kind]);
    for (size_t i = 0; i < s->n_points; i++) {
        /* coordinates on the page; wedge radii and angles as they are */
        int offset = s->kind == SHAPE_WEDGE && i >= 2  ? 0
                     : s->kind == SHAPE_DOT && i == 2  ? 0
                     : s->kind == SHAPE_RECT && i >= 2 ? 0
                     : i % 2 == 0                      ? item->x
                                                       : item->y;
        char v[G_ASCII_DTOSTR_BUF_SIZE];
        if (s->kind == SHAPE_WEDGE && i >= 4)
            g_snprintf(v, sizeof v, "%.1f°", s->points[i] / 1000.0);
        else
            g_ascii_formatd(v, sizeof v, "%.2f", (s->points[i] + offset) / (double)PANGO_SCALE);
        g_string_append_printf(out, " %s", v);
    }
    if (s->fill != SHAPE_NONE)
        g_string_append_printf(out, " fill=#%06X", (unsigned)s->fill);
    if (s->hatch)
        g_string_append(out, " hatched");
    g_string_append_c(out, '\n');
}

char *
pages_dump(const Pages *pages)
{
    GString *out = g_string_new(NULL);
    for (size_t p = 0; p < pages_count(pages); p++) {
        const Page *page = pages_get(pages, p);
        g_string_append_printf(out, "page %zu number=%d%s%s\n", p + 1, page->number,
                               page->numbered ? "" : " unnumbered",
                               page->landscape ? " landscape" : "");
        int last_y = -1;
        for (guint k = 0; k < page->items->len; k++) {
            const PageItem *item = &g_array_index(page->items, PageItem, k);
            if (item->kind == PAGE_ITEM_RECT) {
                dump_rect(out, item, last_y >= 0);
                last_y = -1;
                continue;
            }
            if (item->kind == PAGE_ITEM_IMAGE || item->kind == PAGE_ITEM_FILL) {
                dump_rect(out, item, last_y >= 0);
                last_y = -1;
                continue;
            }
            if (item->kind == PAGE_ITEM_SHAPE) {
                dump_shape(out, item, last_y >= 0);
                last_y = -1;
                continue;
            }
            char *text = item_text(item);
            if (item->y != last_y) {
                char y[G_ASCII_DTOSTR_BUF_SIZE], x[G_ASCII_DTOSTR_BUF_SIZE];
                g_ascii_formatd(y, sizeof y, "%.2f", item->y / (double)PANGO_SCALE);
                g_ascii_formatd(x, sizeof x, "%.2f", item->x / (double)PANGO_SCALE);
                g_string_append_printf(out, "%s  y=%s x=%s", last_y < 0 ? "" : "|\n", y, x);
                if (item->color != 0)
                    g_string_append_printf(out, " #%06X", (unsigned)item->color);
                if (item->scale_x != 0 && item->scale_x != 1.0) {
                    char sx[G_ASCII_DTOSTR_BUF_SIZE];
                    g_string_append_printf(out, " scale=%s",
                                           g_ascii_formatd(sx, sizeof sx, "%.3f", item->scale_x));
                }
                if (item->quarter_turns != 0)
                    g_string_append_printf(out, " turns=%d", item->quarter_turns);
                g_string_append(out, " |");
            }
            g_string_append(out, text);
            last_y = item->y;
            g_free(text);
        }
        if (last_y >= 0)
            g_string_append(out, "|\n");
    }
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *o = &g_array_index(pages->outline, PageOutline, k);
        g_string_append_printf(out, "outline level=%d page=%zu %s\n", o->level, o->page + 1,
                               o->text);
    }
    return g_string_free(out, FALSE);
}
