/* gongwen: a page's display list -> cairo. */
#include "render.h"

#include "figure.h"
#include "table.h"

#include <pango/pangocairo.h>
#include <string.h>

static void
set_colour(cairo_t *cr, guint32 rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

static double
units(int v)
{
    return v / (double)PANGO_SCALE;
}

static void
shape_path(cairo_t *cr, const PageShape *s)
{
    const int *p = s->points;
    switch (s->kind) {
    case SHAPE_RECT:
        cairo_rectangle(cr, units(p[0]), units(p[1]), units(p[2]), units(p[3]));
        break;
    case SHAPE_POLYLINE:
    case SHAPE_POLYGON:
        cairo_move_to(cr, units(p[0]), units(p[1]));
        for (size_t i = 2; i + 1 < s->n_points; i += 2)
            cairo_line_to(cr, units(p[i]), units(p[i + 1]));
        if (s->kind == SHAPE_POLYGON)
            cairo_close_path(cr);
        break;
    case SHAPE_WEDGE: {
        /* angles clockwise from 12 o'clock; cairo's run clockwise from 3 o'clock (y down) */
        double a0 = (p[4] / 1000.0 - 90) * G_PI / 180, a1 = (p[5] / 1000.0 - 90) * G_PI / 180;
        if (p[3] > 0) {
            cairo_arc(cr, units(p[0]), units(p[1]), units(p[2]), a0, a1);
            cairo_arc_negative(cr, units(p[0]), units(p[1]), units(p[3]), a1, a0);
        } else {
            cairo_move_to(cr, units(p[0]), units(p[1]));
            cairo_arc(cr, units(p[0]), units(p[1]), units(p[2]), a0, a1);
        }
        cairo_close_path(cr);
        break;
    }
    case SHAPE_DOT:
        cairo_new_sub_path(cr);
        cairo_arc(cr, units(p[0]), units(p[1]), units(p[2]), 0, 2 * G_PI);
        break;
    }
}

/* Diagonal hatching inside the current path, light on dark fills and dark on light ones;
 * the path is kept for the outline (cairo_save does not keep a path). */
static void
hatch(cairo_t *cr, guint32 fill)
{
    double x0, y0, x1, y1;
    cairo_path_t *shape = cairo_copy_path(cr);
    cairo_save(cr);
    cairo_clip_preserve(cr);
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_new_path(cr);
    int grey = (int)(((fill >> 16) & 0xFF) + ((fill >> 8) & 0xFF) + (fill & 0xFF)) / 3;
    cairo_set_source_rgb(cr, grey < 128 ? 1 : 0, grey < 128 ? 1 : 0, grey < 128 ? 1 : 0);
    cairo_set_line_width(cr, 0.6);
    for (double d = -(y1 - y0); d < x1 - x0; d += 3.5) {
        cairo_move_to(cr, x0 + d, y1);
        cairo_line_to(cr, x0 + d + (y1 - y0), y0);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_append_path(cr, shape);
    cairo_path_destroy(shape);
}

static void
draw_shape(cairo_t *cr, const PageItem *item)
{
    const PageShape *s = item->shape;
    cairo_save(cr);
    cairo_new_path(cr); /* showing glyphs leaves a current point behind */
    cairo_translate(cr, units(item->x), units(item->y));
    shape_path(cr, s);
    if (s->fill != SHAPE_NONE && s->kind != SHAPE_POLYLINE) {
        set_colour(cr, s->fill);
        cairo_fill_preserve(cr);
        if (s->hatch)
            hatch(cr, s->fill);
    }
    if (s->stroke != SHAPE_NONE && s->line > 0) {
        set_colour(cr, s->stroke);
        cairo_set_line_width(cr, units(s->line));
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
}

typedef struct {
    const guint8 *data;
    gsize left;
} ByteReader;

static cairo_status_t
read_bytes(void *closure, unsigned char *out, unsigned int length)
{
    ByteReader *r = closure;
    if (length > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data, length);
    r->data += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* The image as a cairo surface: a PNG decoded by cairo; a JPEG as a placeholder surface of
 * its size carrying the file as mime data, which the PDF surface embeds unchanged (raster
 * previews show it as a grey box). */
static cairo_surface_t *
image_surface(const FigureImage *image)
{
    gsize len = 0;
    const guint8 *data = g_bytes_get_data(image->data, &len);
    if (!image->jpeg) {
        ByteReader r = {data, len};
        return cairo_image_surface_create_from_png_stream(read_bytes, &r);
    }
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, image->width_px, image->height_px);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, len,
                                (cairo_destroy_func_t)g_bytes_unref, g_bytes_ref(image->data));
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, (const unsigned char *)image->id,
                                strlen(image->id), NULL, NULL);
    return s;
}

static void
draw_image(cairo_t *cr, const PageItem *item)
{
    const FigureImage *image = item->image;
    cairo_surface_t *s = image_surface(image);
    cairo_save(cr);
    cairo_translate(cr, units(item->x), units(item->y));
    cairo_scale(cr, units(item->w) / image->width_px, units(item->h) / image->height_px);
    cairo_set_source_surface(cr, s, 0, 0);
    /* filled rather than painted: cairo 1.16 refuses a paint inside a structure element */
    cairo_rectangle(cr, 0, 0, image->width_px, image->height_px);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(s);
    cairo_set_source_rgb(cr, 0, 0, 0);
}

/* A run: its glyphs at their positions (where the PDF writer puts them, render/pdftext.c),
 * with clusters mapping them to the run's text, drawn in Pango's scaled font; bold asked
 * of a face without a bold strokes the outlines, 1/30 em wide. */
static void
draw_run(cairo_t *cr, const PageItem *item)
{
    PangoGlyphItem *gi = (PangoGlyphItem *)item->run;
    cairo_scaled_font_t *font =
        pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(gi->item->analysis.font));
    if (font == NULL)
        return;
    int n = gi->glyphs->num_glyphs;
    cairo_glyph_t *glyphs = cairo_glyph_allocate(n > 0 ? n : 1);
    cairo_text_cluster_t *clusters = cairo_text_cluster_allocate(n > 0 ? n : 1);
    int n_glyphs = 0, n_clusters = 0, x = 0;
    PangoGlyphItemIter it;
    for (gboolean more = pango_glyph_item_iter_init_start(&it, gi, item->text); more;
         more = pango_glyph_item_iter_next_cluster(&it)) {
        int first = n_glyphs;
        for (int g = it.start_glyph; g < it.end_glyph; g++) {
            const PangoGlyphInfo *info = &gi->glyphs->glyphs[g];
            if (!(info->glyph & PANGO_GLYPH_UNKNOWN_FLAG)) {
                glyphs[n_glyphs].index = info->glyph;
                glyphs[n_glyphs].x = units(item->x + x + info->geometry.x_offset);
                glyphs[n_glyphs].y = units(item->y + info->geometry.y_offset);
                n_glyphs++;
            }
            x += info->geometry.width;
        }
        clusters[n_clusters].num_bytes = it.end_index - it.start_index;
        clusters[n_clusters].num_glyphs = n_glyphs - first;
        n_clusters++;
    }
    const PangoItem *pi = gi->item;
    cairo_set_scaled_font(cr, font);
    cairo_show_text_glyphs(cr, item->text + pi->offset, pi->length, glyphs, n_glyphs, clusters,
                           n_clusters, 0);
    if (item->embolden) {
        cairo_matrix_t m;
        cairo_scaled_font_get_font_matrix(font, &m);
        cairo_new_path(cr);
        cairo_glyph_path(cr, glyphs, n_glyphs);
        cairo_set_line_width(cr, m.xx / 30);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_glyph_free(glyphs);
    cairo_text_cluster_free(clusters);
}

/* Clip to a hairline (a 64th of a point) along the diagonal of the item's clip box: what is
 * drawn then shows nowhere, to the eye, yet stays in the PDF with its text. Clipped to
 * nothing at all, or to a box away from the glyphs' ink, cairo would leave the glyphs out;
 * to a small box, it drops those far from it; to a thin box, a renderer may widen it to
 * whole pixels. A slanted sliver across the whole box is none of these. */
static void
clip_to_hairline(cairo_t *cr, const PageItem *item)
{
    double x0 = units(item->clip_x), y0 = units(item->clip_y);
    double x1 = x0 + units(item->clip_w), t = 1.0 / 64;
    double y1 = y0 + MAX(units(item->clip_h) - t, 2 * t);
    cairo_new_path(cr);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_line_to(cr, x1, y1 + t);
    cairo_line_to(cr, x0, y0 + t);
    cairo_close_path(cr);
    cairo_clip(cr);
}

static void
draw_item(cairo_t *cr, const PageItem *item)
{
        switch (item->kind) {
        case PAGE_ITEM_GLYPHS: {
            if (item->clip_w > 0) {
                cairo_save(cr);
                clip_to_hairline(cr, item);
            }
            gboolean transformed = (item->scale_x != 0 && item->scale_x != 1.0) ||
                                   item->quarter_turns % 4 != 0 || item->color != 0;
            if (transformed) {
                double x = units(item->x), y = units(item->y);
                cairo_save(cr);
                set_colour(cr, item->color);
                cairo_translate(cr, x, y);
                cairo_rotate(cr, -G_PI / 2 * item->quarter_turns);
                if (item->scale_x != 0)
                    cairo_scale(cr, item->scale_x, 1.0);
                cairo_translate(cr, -x, -y);
            }
            draw_run(cr, item);
            if (transformed)
                cairo_restore(cr);
            if (item->clip_w > 0)
                cairo_restore(cr);
            break;
        }
        case PAGE_ITEM_FILL:
            cairo_save(cr);
            set_colour(cr, item->color);
            cairo_rectangle(cr, units(item->x), units(item->y), units(item->w), units(item->h));
            cairo_fill(cr);
            cairo_restore(cr);
            break;
        case PAGE_ITEM_RECT:
            cairo_new_path(cr);
            cairo_rectangle(cr, item->x / (double)PANGO_SCALE, item->y / (double)PANGO_SCALE,
                            item->w / (double)PANGO_SCALE, item->h / (double)PANGO_SCALE);
            cairo_set_line_width(cr, item->line / (double)PANGO_SCALE);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
            cairo_stroke(cr);
            break;
        case PAGE_ITEM_SHAPE:
            draw_shape(cr, item);
            break;
        case PAGE_ITEM_IMAGE:
            draw_image(cr, item);
            break;
        }
}

void
draw_page(cairo_t *cr, const Page *page)
{
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (guint k = 0; k < page->items->len; k++)
        draw_item(cr, &g_array_index(page->items, PageItem, k));
}
