/* gongwen: a page's display list -> cairo. */
#include "render.h"

#include <pango/pangocairo.h>

void
draw_page(cairo_t *cr, const Page *page)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        switch (item->kind) {
        case PAGE_ITEM_GLYPHS:
            cairo_move_to(cr, item->x / (double)PANGO_SCALE, item->y / (double)PANGO_SCALE);
            pango_cairo_show_glyph_item(cr, item->text, (PangoGlyphItem *)item->run);
            break;
        case PAGE_ITEM_RECT:
            cairo_rectangle(cr, item->x / (double)PANGO_SCALE, item->y / (double)PANGO_SCALE,
                            item->w / (double)PANGO_SCALE, item->h / (double)PANGO_SCALE);
            cairo_set_line_width(cr, item->line / (double)PANGO_SCALE);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
            cairo_stroke(cr);
            break;
        }
    }
}
