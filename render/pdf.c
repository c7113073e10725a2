/* gongwen: the PDF, written by gongwen itself: pages as they are finished, then the fonts
 * (render/pdffont.c), the structure tree, the outline, page labels and metadata.
 *
 * Until issue 22 cairo's PDF surface wrote the file; it loaded every glyph through FreeType
 * to measure it, formatted its content with its own printf and embedded fonts only once the
 * whole document had been drawn, which asked for a second layout. gongwen now writes the
 * same operators with the same numbers (text placed by the same arithmetic, paths by
 * render/pdfpaint.c), in one pass. */
#include "render.h"

#include "diag.h"
#include "figure.h"
#include "gongwen-config.h"
#include "pdffont.h"
#include "pdfout.h"
#include "pdfpaint.h"
#include "pdftext.h"
#include "pdfmeta.h"
#include "table.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- the structure tree ---- */

typedef struct {
    gboolean elem;  /* a child element (value: its index), else marked content */
    guint value;    /* the element's index, or the MCID */
    guint page;     /* marked content: its page's object */
} Kid;

typedef struct {
    const char *tag;
    guint parent;   /* index; the root's own is G_MAXUINT */
    GArray *kids;   /* Kid */
    const char *alt; /* Figure: its alternative text, or NULL */
    guint obj;
} Elem;

/* The structure type of furniture: marked as an artifact, outside the tree. */
#define TAG_ARTIFACT "Artifact"

/* The elements open over a document's pages. */
typedef struct {
    size_t open;      /* the block whose element is open, SIZE_MAX when none */
    const char *tag;  /* its structure type */
    gboolean inside;  /* its parts are open: the items drawn go into it */
    gboolean again;   /* it began on an earlier page (a block that goes on over a page) */
    gboolean span;    /* a Span is open in it: its text on this page */
    size_t cell, row; /* in a table: the open cell (1 + index, or the caption) and row */
    const char *cell_tag;
} Tags;

/* ---- the writer ---- */

typedef struct {
    const void *image; /* FigureImage* */
    guint obj;
} ImageObj;

typedef struct {
    AtomicFile own;
    AtomicFile *out;
    PdfOut o;
    PdfFonts *fonts;
    guint pages_obj;
    GArray *page_objs;    /* guint */
    GArray *page_numbers; /* int: printed numbers */
    GArray *page_heights; /* double: each page's height, points */
    size_t first, count;
    gboolean tagged;
    /* the page being written */
    GString *content;
    PdfPaint *paint;
    PdfText text;
    GPtrArray *page_fonts; /* PdfFont* used on the page, in order of first use */
    GArray *page_images;   /* guint: image objects drawn on the page */
    guint page_obj;
    /* structure */
    GArray *elems;        /* Elem */
    GArray *open;         /* guint: the open elements, innermost last */
    int marked;           /* marked content open: 1 an element's, 2 an artifact, 0 none */
    guint mcid;           /* the page's next MCID */
    GArray *parents;      /* per page: a GArray of element indices by MCID */
    GArray *images;       /* ImageObj */
    Tags tags;            /* the elements open from page to page */
    char *unembedded;     /* the family of a font left out (its face has no file), or NULL */
} PdfWriter;

/* Before the writer itself writes (text, an image, marked content, the page's end): a fill
 * the painter holds back is written first. */
static void
paint_flush(PdfWriter *w)
{
    if (w->paint != NULL)
        pdf_paint_flush(w->paint);
}

static Elem *
elem_at(PdfWriter *w, guint i)
{
    return &g_array_index(w->elems, Elem, i);
}

/* Begin a structure element: `leaf` when it holds content and no elements (its content is
 * marked, as cairo marks a leaf's). An artifact is marked content outside the tree. */
static void
tag_begin(PdfWriter *w, const char *tag, gboolean leaf)
{
    paint_flush(w);
    pdf_text_end(&w->text);
    if (g_str_equal(tag, TAG_ARTIFACT)) {
        g_string_append(w->content, "/Artifact BMC\n");
        w->marked = 2;
        return;
    }
    Elem e = {tag, w->open->len > 0 ? g_array_index(w->open, guint, w->open->len - 1)
                                    : G_MAXUINT,
              g_array_new(FALSE, FALSE, sizeof(Kid)), NULL, 0};
    guint index = w->elems->len;
    g_array_append_val(w->elems, e);
    if (e.parent != G_MAXUINT) {
        Kid k = {TRUE, index, 0};
        g_array_append_val(elem_at(w, e.parent)->kids, k);
    }
    g_array_append_val(w->open, index);
    if (leaf) {
        Kid k = {FALSE, w->mcid, w->page_obj};
        g_array_append_val(elem_at(w, index)->kids, k);
        GArray *parents = g_array_index(w->parents, GArray *, w->parents->len - 1);
        g_array_append_val(parents, index);
        g_string_append_printf(w->content, "/%s << /MCID %u >> BDC\n", tag, w->mcid++);
        w->marked = 1;
    }
}

static void
tag_end(PdfWriter *w, const char *tag)
{
    (void)tag;
    if (w->marked != 0) {
        paint_flush(w);
        pdf_text_end(&w->text);
        g_string_append(w->content, "EMC\n");
        gboolean artifact = w->marked == 2;
        w->marked = 0;
        if (artifact)
            return;
    }
    if (w->open->len > 0)
        g_array_set_size(w->open, w->open->len - 1);
}

/* The standard structure type of a block (PDF 32000-1 14.8.4): the title H, headings H1–H4
 * by level, tables Table, charts and figures Figure, every other block of text P. */
static const char *
block_tag(const PageBlock *b)
{
    switch (b->kind) {
    case DOC_BLOCK_TITLE:
        return "H";
    case DOC_BLOCK_HEADING:
        switch (b->level) {
        case 1:
            return "H1";
        case 2:
            return "H2";
        case 3:
            return "H3";
        default:
            return "H4";
        }
    case DOC_BLOCK_TABLE:
        return "Table";
    case DOC_BLOCK_CHART:
    case DOC_BLOCK_FIGURE:
        return "Figure";
    default:
        return "P";
    }
}

/* In a table: the caption (its title), or furniture (the frame, a repeated header row), as
 * the open "cell". */
#define TABLE_CAPTION SIZE_MAX
#define TABLE_FURNITURE (SIZE_MAX - 1)

static void
table_tags_end(PdfWriter *w, Tags *t)
{
    if (t->cell != 0)
        tag_end(w, t->cell_tag);
    if (t->row != SIZE_MAX)
        tag_end(w, "TR");
    t->cell = 0;
    t->row = SIZE_MAX;
}

/* The table's structure around an item: its title's text in a Caption (PDF 32000-1
 * 14.8.4.3.4: a table's first or last child), its row (TR) and cell (TH for a header cell,
 * else TD) opened when the item's cell is not the open one, the open ones closed first. The
 * table's frame (no cell, no text) and the header rows repeated on a page the table goes on
 * to are artifacts: the tree has the header once. */
static void
table_tags(PdfWriter *w, const PageBlock *b, const PageItem *item, Tags *t)
{
    size_t want = item->cell == 0 && item->kind == PAGE_ITEM_GLYPHS ? TABLE_CAPTION
                  : item->cell == 0                                 ? TABLE_FURNITURE
                                                                    : item->cell;
    if (want == t->cell || b->table == NULL ||
        (want < TABLE_FURNITURE && want > b->table->cells->len))
        return;
    const TableCellBox *box =
        want < TABLE_FURNITURE ? &g_array_index(b->table->cells, TableCellBox, want - 1) : NULL;
    if (box != NULL && box->header && t->again) {
        box = NULL; /* a repeated header row */
        want = TABLE_FURNITURE;
        if (t->cell == want)
            return;
    }
    if (t->cell != 0)
        tag_end(w, t->cell_tag);
    t->cell = 0;
    if (t->row != SIZE_MAX && (box == NULL || box->row != t->row)) {
        tag_end(w, "TR");
        t->row = SIZE_MAX;
    }
    if (box == NULL) {
        t->cell_tag = want == TABLE_CAPTION ? "Caption" : TAG_ARTIFACT;
        tag_begin(w, t->cell_tag, TRUE);
        t->cell = want;
        return;
    }
    if (t->row == SIZE_MAX) {
        tag_begin(w, "TR", FALSE);
        t->row = box->row;
    }
    t->cell_tag = box->header ? "TH" : "TD";
    tag_begin(w, t->cell_tag, TRUE);
    t->cell = want;
}

static void
tags_init(Tags *tags)
{
    memset(tags, 0, sizeof *tags);
    tags->open = SIZE_MAX;
    tags->row = SIZE_MAX;
}

/* Close what is open inside the element (a table's cell and row, a Span) but not the
 * element: it goes on with the block's next items. */
static void
tags_leave(PdfWriter *w, Tags *t)
{
    if (!t->inside)
        return;
    table_tags_end(w, t);
    if (t->span)
        tag_end(w, "Span");
    t->span = FALSE;
    t->inside = FALSE;
}

static void
tags_end(PdfWriter *w, Tags *t)
{
    tags_leave(w, t);
    if (t->open != SIZE_MAX)
        tag_end(w, t->tag);
    t->open = SIZE_MAX;
    t->tag = NULL;
    t->again = FALSE;
}

/* Go into block b's element: begun (with a Span for its text on this page when it goes on
 * over the page), or taken up again. */
static void
tags_enter(PdfWriter *w, const Pages *pages, const Page *page, size_t b, Tags *t)
{
    const PageBlock *block = &pages->blocks[b];
    gboolean goes_on = b == page->continues;
    gboolean table = block->kind == DOC_BLOCK_TABLE;
    if (t->open != b) {
        tags_end(w, t);
        t->open = b;
        t->tag = block_tag(block);
        tag_begin(w, t->tag, !table && !goes_on);
        if (g_str_equal(t->tag, "Figure"))
            elem_at(w, g_array_index(w->open, guint, w->open->len - 1))->alt = block->alt;
    } else {
        t->again = TRUE;
        goes_on = TRUE; /* taken up again: it has a Span on an earlier page */
    }
    if (goes_on && !table) {
        tag_begin(w, "Span", TRUE);
        t->span = TRUE;
    }
    t->inside = TRUE;
}

/* ---- a page's items ---- */

static double
units(int v)
{
    return v / (double)PANGO_SCALE;
}

/* What is drawn next is not text: the painter's held-back fill written, the text object
 * ended when the painter writes (its hook). */
static void
before_paint_write(void *data)
{
    PdfWriter *w = data;
    pdf_text_end(&w->text);
}

static void
prepare_fill(PdfWriter *w, guint32 rgb)
{
    paint_flush(w);
    pdf_paint_prepare_fill(w->paint, rgb);
}

static void
use_font(PdfWriter *w, PdfFont *f)
{
    for (guint i = 0; i < w->page_fonts->len; i++)
        if (g_ptr_array_index(w->page_fonts, i) == f)
            return;
    g_ptr_array_add(w->page_fonts, f);
}

/* Bold asked of a face without a bold: the glyphs' outlines stroked, 1/30 em wide, as
 * render/draw.c draws them (cairo_glyph_path: each outline in fixed point at the glyph's
 * origin, rounded to fixed point, on the page). */
static void
embolden(PdfWriter *w, PdfFont *font, double size, const PangoGlyph *ids, const double *xs,
         const double *ys, int n, guint32 colour)
{
    PdfPaint *p = w->paint;
    cairo_matrix_t ctm, inverse;
    pdf_paint_get_matrix(p, &ctm);
    inverse = ctm;
    if (cairo_matrix_invert(&inverse) != CAIRO_STATUS_SUCCESS)
        return;
    /* the outlines are drawn at the font's size on the page (the run's matrix's scale) */
    double px = size * sqrt(fabs(ctm.xx * ctm.yy - ctm.xy * ctm.yx));
    GArray *ops = g_array_new(FALSE, FALSE, sizeof(int));
    pdf_paint_new_path(p);
    for (int i = 0; i < n; i++) {
        g_array_set_size(ops, 0);
        if (!pdf_font_glyph_outline(font, ids[i], px, ops))
            continue;
        double ox = nearbyint(xs[i] * 256), oy = nearbyint(ys[i] * 256);
        const int *v = (const int *)ops->data;
        for (guint k = 0; k < ops->len;) {
            int op = v[k++], npts = op == PDF_OUTLINE_CURVE ? 3 : op == PDF_OUTLINE_CLOSE ? 0 : 1;
            double u[6];
            for (int j = 0; j < npts; j++) {
                u[2 * j] = (ox + v[k + 2 * j]) / 256.0;
                u[2 * j + 1] = (oy + v[k + 2 * j + 1]) / 256.0;
                cairo_matrix_transform_point(&inverse, &u[2 * j], &u[2 * j + 1]);
            }
            k += (guint)(2 * npts);
            if (op == PDF_OUTLINE_MOVE)
                pdf_paint_move_to(p, u[0], u[1]);
            else if (op == PDF_OUTLINE_LINE)
                pdf_paint_line_to(p, u[0], u[1]);
            else if (op == PDF_OUTLINE_CURVE)
                pdf_paint_curve_to(p, u[0], u[1], u[2], u[3], u[4], u[5]);
            else
                pdf_paint_close_path(p);
        }
    }
    g_array_free(ops, TRUE);
    pdf_paint_stroke(p, colour, size / 30, CAIRO_LINE_JOIN_ROUND, FALSE);
}

/* A run: its glyphs at their places, each cluster's text kept. */
static void
draw_run(PdfWriter *w, const PageItem *item, guint32 colour)
{
    PangoGlyphItem *gi = (PangoGlyphItem *)item->run;
    PangoFont *pf = gi->item->analysis.font;
    double size = 0;
    PdfFont *font = pdf_fonts_get(w->fonts, &w->o, pf, &size);
    if (font == NULL) { /* no file to embed (never seen: fontconfig's fonts are files) */
        if (w->unembedded == NULL) {
            PangoFontDescription *d = pango_font_describe(pf);
            w->unembedded = g_strdup(pango_font_description_get_family(d));
            pango_font_description_free(d);
        }
        return;
    }
    use_font(w, font);
    prepare_fill(w, colour);
    cairo_matrix_t ctm, font_matrix, scale, text_matrix, flip;
    pdf_paint_get_matrix(w->paint, &ctm);
    cairo_matrix_init_scale(&font_matrix, size, size);
    cairo_matrix_t linear = ctm;
    linear.x0 = linear.y0 = 0;
    cairo_matrix_multiply(&scale, &font_matrix, &linear);
    cairo_matrix_init_scale(&flip, 1, -1);
    cairo_matrix_multiply(&text_matrix, &flip, &scale);

    /* the glyphs (those the font has) at their places on the page, and the clusters */
    int n = gi->glyphs->num_glyphs, count = 0, n_clusters = 0;
    PangoGlyph *ids = g_new(PangoGlyph, n > 0 ? n : 1);
    double *xs = g_new(double, n > 0 ? n : 1), *ys = g_new(double, n > 0 ? n : 1);
    int *cl = g_new(int, 3 * (n > 0 ? n : 1)); /* per cluster: start byte, bytes, glyphs */
    int x = 0;
    PangoGlyphItemIter it;
    for (gboolean more = pango_glyph_item_iter_init_start(&it, gi, item->text); more;
         more = pango_glyph_item_iter_next_cluster(&it)) {
        int k = 0;
        for (int g = it.start_glyph; g < it.end_glyph; g++) {
            const PangoGlyphInfo *info = &gi->glyphs->glyphs[g];
            if (!(info->glyph & PANGO_GLYPH_UNKNOWN_FLAG)) {
                ids[count + k] = info->glyph;
                xs[count + k] = units(item->x + x + info->geometry.x_offset);
                ys[count + k] = units(item->y + info->geometry.y_offset);
                cairo_matrix_transform_point(&ctm, &xs[count + k], &ys[count + k]);
                k++;
            }
            x += info->geometry.width;
        }
        cl[3 * n_clusters] = it.start_index;
        cl[3 * n_clusters + 1] = it.end_index - it.start_index;
        cl[3 * n_clusters + 2] = k;
        n_clusters++;
        count += k;
    }
    PdfTextRun run = {font, item->text, ids, xs, ys, count, cl, n_clusters};
    pdf_text_run(&w->text, &text_matrix, &run);
    if (count > 0) {
        if (item->embolden)
            embolden(w, font, size, ids, xs, ys, count, colour);
    }
    g_free(cl);
    g_free(ids);
    g_free(xs);
    g_free(ys);
}

static void
shape_path(PdfPaint *p, const PageShape *s)
{
    const int *pt = s->points;
    switch (s->kind) {
    case SHAPE_RECT:
        pdf_paint_rectangle(p, units(pt[0]), units(pt[1]), units(pt[2]), units(pt[3]));
        break;
    case SHAPE_POLYLINE:
    case SHAPE_POLYGON:
        pdf_paint_move_to(p, units(pt[0]), units(pt[1]));
        for (size_t i = 2; i + 1 < s->n_points; i += 2)
            pdf_paint_line_to(p, units(pt[i]), units(pt[i + 1]));
        if (s->kind == SHAPE_POLYGON)
            pdf_paint_close_path(p);
        break;
    case SHAPE_WEDGE: {
        /* angles clockwise from 12 o'clock; the painter's run clockwise from 3 o'clock (y
         * down), as cairo's */
        double a0 = (pt[4] / 1000.0 - 90) * G_PI / 180, a1 = (pt[5] / 1000.0 - 90) * G_PI / 180;
        if (pt[3] > 0) {
            pdf_paint_arc(p, units(pt[0]), units(pt[1]), units(pt[2]), a0, a1);
            pdf_paint_arc_negative(p, units(pt[0]), units(pt[1]), units(pt[3]), a1, a0);
        } else {
            pdf_paint_move_to(p, units(pt[0]), units(pt[1]));
            pdf_paint_arc(p, units(pt[0]), units(pt[1]), units(pt[2]), a0, a1);
        }
        pdf_paint_close_path(p);
        break;
    }
    case SHAPE_DOT:
        pdf_paint_new_sub_path(p);
        pdf_paint_arc(p, units(pt[0]), units(pt[1]), units(pt[2]), 0, 2 * G_PI);
        break;
    }
}

/* Diagonal hatching inside the current path, light on dark fills and dark on light ones, as
 * render/draw.c draws it; the path is kept for the outline (a path is not part of the saved
 * state, in cairo as here). */
static void
hatch(PdfPaint *p, guint32 fill)
{
    double x0, y0, x1, y1;
    PdfPaintPath *shape = pdf_paint_copy_path(p);
    pdf_paint_save(p);
    pdf_paint_clip(p, TRUE);
    pdf_paint_path_extents(p, &x0, &y0, &x1, &y1);
    pdf_paint_new_path(p);
    int grey = (int)(((fill >> 16) & 0xFF) + ((fill >> 8) & 0xFF) + (fill & 0xFF)) / 3;
    for (double d = -(y1 - y0); d < x1 - x0; d += 3.5) {
        pdf_paint_move_to(p, x0 + d, y1);
        pdf_paint_line_to(p, x0 + d + (y1 - y0), y0);
    }
    pdf_paint_stroke(p, grey < 128 ? 0xFFFFFF : 0x000000, 0.6, CAIRO_LINE_JOIN_MITER, FALSE);
    pdf_paint_restore(p);
    pdf_paint_append_path(p, shape);
    pdf_paint_path_free(shape);
}

static void
draw_shape(PdfWriter *w, const PageItem *item)
{
    const PageShape *s = item->shape;
    PdfPaint *p = w->paint;
    pdf_paint_save(p);
    pdf_paint_new_path(p);
    pdf_paint_translate(p, units(item->x), units(item->y));
    shape_path(p, s);
    if (s->fill != SHAPE_NONE && s->kind != SHAPE_POLYLINE) {
        pdf_paint_fill(p, s->fill, TRUE);
        if (s->hatch)
            hatch(p, s->fill);
    }
    if (s->stroke != SHAPE_NONE && s->line > 0)
        pdf_paint_stroke(p, s->stroke, units(s->line), CAIRO_LINE_JOIN_ROUND, FALSE);
    pdf_paint_new_path(p);
    pdf_paint_restore(p);
}

/* Clip to a hairline along the diagonal of the item's clip box (render/draw.c says why). */
static void
clip_to_hairline(PdfPaint *p, const PageItem *item)
{
    double x0 = units(item->clip_x), y0 = units(item->clip_y);
    double x1 = x0 + units(item->clip_w), t = 1.0 / 64;
    double y1 = y0 + MAX(units(item->clip_h) - t, 2 * t);
    pdf_paint_new_path(p);
    pdf_paint_move_to(p, x0, y0);
    pdf_paint_line_to(p, x1, y1);
    pdf_paint_line_to(p, x1, y1 + t);
    pdf_paint_line_to(p, x0, y0 + t);
    pdf_paint_close_path(p);
    pdf_paint_clip(p, FALSE);
}

static void draw_image(PdfWriter *w, const PageItem *item);

static void
draw_item(PdfWriter *w, const PageItem *item)
{
    PdfPaint *p = w->paint;
    switch (item->kind) {
    case PAGE_ITEM_GLYPHS: {
        if (item->clip_w > 0) {
            pdf_paint_save(p);
            clip_to_hairline(p, item);
        }
        gboolean transformed = (item->scale_x != 0 && item->scale_x != 1.0) ||
                               item->quarter_turns % 4 != 0 || item->color != 0;
        if (transformed) {
            double x = units(item->x), y = units(item->y);
            pdf_paint_save(p);
            pdf_paint_translate(p, x, y);
            pdf_paint_rotate(p, -G_PI / 2 * item->quarter_turns);
            if (item->scale_x != 0)
                pdf_paint_scale(p, item->scale_x, 1.0);
            pdf_paint_translate(p, -x, -y);
        }
        draw_run(w, item, item->color);
        if (transformed)
            pdf_paint_restore(p);
        if (item->clip_w > 0)
            pdf_paint_restore(p);
        break;
    }
    case PAGE_ITEM_FILL:
        pdf_paint_save(p);
        pdf_paint_rectangle(p, units(item->x), units(item->y), units(item->w), units(item->h));
        pdf_paint_fill(p, item->color, FALSE);
        pdf_paint_restore(p);
        break;
    case PAGE_ITEM_RECT:
        pdf_paint_new_path(p);
        pdf_paint_rectangle(p, units(item->x), units(item->y), units(item->w), units(item->h));
        pdf_paint_stroke(p, 0x000000, units(item->line), CAIRO_LINE_JOIN_MITER, FALSE);
        break;
    case PAGE_ITEM_SHAPE:
        draw_shape(w, item);
        break;
    case PAGE_ITEM_IMAGE:
        draw_image(w, item);
        break;
    }
}

static void
draw_page_tagged(PdfWriter *w, const Pages *pages, const Page *page, Tags *t)
{
    gboolean furniture = FALSE; /* an artifact is open */
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        size_t b = item->block < pages->n_blocks ? item->block : SIZE_MAX;
        if (b != SIZE_MAX && furniture) {
            tag_end(w, TAG_ARTIFACT);
            furniture = FALSE;
        }
        if (b == SIZE_MAX && t->inside) {
            /* page furniture: outside every block; a block that goes on over the page
             * keeps its element open for its next items */
            if (t->open == page->continues)
                tags_leave(w, t);
            else
                tags_end(w, t);
        } else if (b != SIZE_MAX && (b != t->open || !t->inside)) {
            tags_enter(w, pages, page, b, t);
        }
        if (b == SIZE_MAX && !furniture) {
            tag_begin(w, TAG_ARTIFACT, TRUE);
            furniture = TRUE;
        }
        if (b != SIZE_MAX && pages->blocks[b].kind == DOC_BLOCK_TABLE)
            table_tags(w, &pages->blocks[b], item, t);
        draw_item(w, item);
    }
    if (furniture)
        tag_end(w, TAG_ARTIFACT);
    if (t->open != SIZE_MAX && t->open == page->continues)
        tags_leave(w, t);
    else
        tags_end(w, t);
}

/* ---- images ---- */

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

/* The number of colour components of a JPEG (its first SOF marker), 3 when unknown. */
static int
jpeg_components(const guint8 *p, gsize len)
{
    for (gsize i = 2; i + 9 < len;) {
        if (p[i] != 0xFF) {
            i++;
            continue;
        }
        guint8 m = p[i + 1];
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC)
            return p[i + 9];
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7) || m == 0xFF) {
            i += m == 0xFF ? 1 : 2;
            continue;
        }
        i += 2 + ((gsize)p[i + 2] << 8 | p[i + 3]);
    }
    return 3;
}

/* The image's XObject, written once per document. */
static guint
image_object(PdfWriter *w, const FigureImage *image)
{
    for (guint i = 0; i < w->images->len; i++)
        if (g_array_index(w->images, ImageObj, i).image == image)
            return g_array_index(w->images, ImageObj, i).obj;
    guint obj = pdf_out_reserve(&w->o);
    gsize len = 0;
    const guint8 *data = g_bytes_get_data(image->data, &len);
    if (image->jpeg) {
        int comps = jpeg_components(data, len);
        char *dict = g_strdup_printf("/Type /XObject /Subtype /Image /Width %d /Height %d "
                                     "/ColorSpace /%s /Interpolate true /BitsPerComponent 8 /Filter /DCTDecode%s",
                                     image->width_px, image->height_px,
                                     comps == 1 ? "DeviceGray" : comps == 4 ? "DeviceCMYK"
                                                                           : "DeviceRGB",
                                     comps == 4 ? " /Decode [1 0 1 0 1 0 1 0]" : "");
        pdf_out_stream(&w->o, obj, dict, data, len, 0);
        g_free(dict);
    } else {
        ByteReader r = {data, len};
        cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_bytes, &r);
        int wd = cairo_image_surface_get_width(s), ht = cairo_image_surface_get_height(s);
        int stride = cairo_image_surface_get_stride(s);
        const guint8 *px = cairo_image_surface_get_data(s);
        gboolean alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
        gsize n = (gsize)MAX(wd, 0) * (gsize)MAX(ht, 0);
        guint8 *rgb = g_malloc(n * 3 + 1), *a = g_malloc(n + 1);
        gboolean opaque = TRUE;
        for (int y = 0; px != NULL && y < ht; y++)
            for (int x = 0; x < wd; x++) {
                guint32 v = *(const guint32 *)(px + (gsize)y * (gsize)stride + (gsize)x * 4);
                guint av = alpha ? v >> 24 : 255;
                gsize i = (gsize)y * (gsize)wd + (gsize)x;
                for (int c = 0; c < 3; c++) {
                    guint cv = (v >> (16 - 8 * c)) & 0xFF;
                    rgb[i * 3 + (gsize)c] = (guint8)(av == 0 ? 0 : (cv * 255 + av / 2) / av);
                }
                a[i] = (guint8)av;
                opaque = opaque && av == 255;
            }
        guint smask = opaque ? 0 : pdf_out_reserve(&w->o);
        char *dict = g_strdup_printf("/Type /XObject /Subtype /Image /Width %d /Height %d "
                                     "/ColorSpace /DeviceRGB /Interpolate true "
                                     "/BitsPerComponent 8",
                                     wd, ht);
        if (smask != 0) {
            char *with = g_strdup_printf("%s /SMask %u 0 R", dict, smask);
            g_free(dict);
            dict = with;
        }
        pdf_out_stream(&w->o, obj, dict, rgb, n * 3, 6);
        g_free(dict);
        if (smask != 0) {
            dict = g_strdup_printf("/Type /XObject /Subtype /Image /Width %d /Height %d "
                                   "/ColorSpace /DeviceGray /BitsPerComponent 8",
                                   wd, ht);
            pdf_out_stream(&w->o, smask, dict, a, n, 6);
            g_free(dict);
        }
        g_free(rgb);
        g_free(a);
        cairo_surface_destroy(s);
    }
    ImageObj io = {image, obj};
    g_array_append_val(w->images, io);
    return obj;
}

static void
draw_image(PdfWriter *w, const PageItem *item)
{
    paint_flush(w);
    pdf_text_end(&w->text);
    guint obj = image_object(w, item->image);
    gboolean seen = FALSE;
    for (guint i = 0; i < w->page_images->len; i++)
        seen = seen || g_array_index(w->page_images, guint, i) == obj;
    if (!seen)
        g_array_append_val(w->page_images, obj);
    /* as cairo draws an image filling its box: clipped to the box (in fixed point, as a
     * path), the image's unit square onto it (the page's space is y down) */
    cairo_matrix_t ctm, m;
    pdf_paint_get_matrix(w->paint, &ctm);
    double x0 = units(item->x), y0 = units(item->y), x1 = x0 + units(item->w),
           y1 = y0 + units(item->h);
    cairo_matrix_transform_point(&ctm, &x0, &y0);
    cairo_matrix_transform_point(&ctm, &x1, &y1);
    x0 = nearbyint(x0 * 256) / 256;
    y0 = nearbyint(y0 * 256) / 256;
    x1 = nearbyint(x1 * 256) / 256;
    y1 = nearbyint(y1 * 256) / 256;
    g_string_append(w->content, "q\n");
    pdf_num3(w->content, x0);
    g_string_append_c(w->content, ' ');
    pdf_num3(w->content, y0);
    g_string_append_c(w->content, ' ');
    pdf_num3(w->content, x1 - x0);
    g_string_append_c(w->content, ' ');
    pdf_num3(w->content, y1 - y0);
    g_string_append(w->content, " re W n\n");
    cairo_matrix_init(&m, units(item->w), 0, 0, -units(item->h), units(item->x),
                      units(item->y) + units(item->h));
    cairo_matrix_multiply(&m, &m, &ctm);
    pdf_put_matrix(w->content, &m);
    g_string_append_printf(w->content, " cm\n/" PDF_PAINT_ALPHA " gs /x%u Do\nQ\n", obj);
}

/* ---- the backend ---- */

static void *
pdf_begin(const char *path, const BackendParams *params, GError **error)
{
    PdfWriter *w = g_new0(PdfWriter, 1);
    w->out = params != NULL && params->file != NULL ? params->file : &w->own;
    if (w->out == &w->own && !atomic_open(&w->own, path, error)) {
        g_free(w);
        return NULL;
    }
    pdf_out_init(&w->o, w->out);
    w->fonts = pdf_fonts_new();
    w->pages_obj = pdf_out_reserve(&w->o);
    w->page_objs = g_array_new(FALSE, FALSE, sizeof(guint));
    w->page_numbers = g_array_new(FALSE, FALSE, sizeof(int));
    w->page_heights = g_array_new(FALSE, FALSE, sizeof(double));
    w->tagged = g_getenv("GONGWEN_PDF_UNTAGGED") == NULL;
    w->page_fonts = g_ptr_array_new();
    w->page_images = g_array_new(FALSE, FALSE, sizeof(guint));
    w->elems = g_array_new(FALSE, FALSE, sizeof(Elem));
    w->open = g_array_new(FALSE, FALSE, sizeof(guint));
    w->parents = g_array_new(FALSE, FALSE, sizeof(GArray *));
    w->images = g_array_new(FALSE, FALSE, sizeof(ImageObj));
    tags_init(&w->tags);
    return w;
}

static void
pdf_page(const Pages *pages, const Page *page, void *data)
{
    PdfWriter *w = data;
    if (w->count++ == 0) {
        w->first = page->index;
        if (w->tagged)
            tag_begin(w, "Document", FALSE);
    }
    w->page_obj = pdf_out_reserve(&w->o);
    g_array_append_val(w->page_objs, w->page_obj);
    g_array_append_val(w->page_numbers, page->number);
    GArray *parents = g_array_new(FALSE, FALSE, sizeof(guint));
    g_array_append_val(w->parents, parents);
    w->mcid = 0;
    double width = units(page->width), height = units(page->height);
    g_array_append_val(w->page_heights, height);
    w->content = g_string_sized_new(16384);
    g_string_append(w->content, "1 0 0 -1 0 ");
    pdf_num(w->content, height);
    g_string_append(w->content, " cm\nq\n");
    w->paint = pdf_paint_new(w->content);
    pdf_paint_set_page_size(w->paint, width, height);
    pdf_paint_set_before_write(w->paint, before_paint_write, w);
    pdf_text_start(&w->text, w->content);
    g_ptr_array_set_size(w->page_fonts, 0);
    g_array_set_size(w->page_images, 0);
    if (w->tagged) {
        draw_page_tagged(w, pages, page, &w->tags);
    } else {
        for (guint k = 0; k < page->items->len; k++)
            draw_item(w, &g_array_index(page->items, PageItem, k));
    }
    paint_flush(w);
    pdf_text_end(&w->text);
    g_string_append(w->content, "Q\n");
    pdf_paint_free(w->paint);
    w->paint = NULL;

    guint contents = pdf_out_reserve(&w->o);
    gsize content_len = w->content->len;
    pdf_out_stream_take(&w->o, contents, NULL, g_string_free(w->content, FALSE), content_len, 6);
    w->content = NULL;
    GString *s = pdf_out_begin(&w->o, w->page_obj);
    g_string_append_printf(s, "<< /Type /Page /Parent %u 0 R /MediaBox [ 0 0 ", w->pages_obj);
    pdf_num(s, width);
    g_string_append_c(s, ' ');
    pdf_num(s, height);
    g_string_append_printf(s, " ] /Contents %u 0 R /Group << /Type /Group /S /Transparency /I "
                              "true /CS /DeviceRGB >> /Resources << /ExtGState << " PDF_PAINT_EXTGSTATE " >>",
                           contents);
    if (w->page_fonts->len > 0) {
        g_string_append(s, " /Font <<");
        for (guint i = 0; i < w->page_fonts->len; i++) {
            PdfFont *f = g_ptr_array_index(w->page_fonts, i);
            g_string_append_printf(s, " /f-%u-0 %u 0 R /f-%u-1 %u 0 R", pdf_font_id(f),
                                   pdf_font_object(f), pdf_font_id(f), pdf_font_object(f));
        }
        g_string_append(s, " >>");
    }
    if (w->page_images->len > 0) {
        g_string_append(s, " /XObject <<");
        for (guint i = 0; i < w->page_images->len; i++) {
            guint obj = g_array_index(w->page_images, guint, i);
            g_string_append_printf(s, " /x%u %u 0 R", obj, obj);
        }
        g_string_append(s, " >>");
    }
    g_string_append(s, " >>");
    if (w->tagged)
        g_string_append_printf(s, " /StructParents %u", w->parents->len - 1);
    g_string_append(s, " >>");
    pdf_out_end(&w->o);
}

/* The structure tree: every element, the parent tree (each page's elements by MCID). */
static guint
write_tree(PdfWriter *w)
{
    guint root = pdf_out_reserve(&w->o), parent_tree = pdf_out_reserve(&w->o);
    for (guint i = 0; i < w->elems->len; i++)
        elem_at(w, i)->obj = pdf_out_reserve(&w->o);
    for (guint i = 0; i < w->elems->len; i++) {
        Elem *e = elem_at(w, i);
        GString *s = pdf_out_begin(&w->o, e->obj);
        g_string_append_printf(s, "<< /Type /StructElem /S /%s /P %u 0 R", e->tag,
                               e->parent == G_MAXUINT ? root : elem_at(w, e->parent)->obj);
        if (e->alt != NULL) {
            g_string_append(s, " /Alt ");
            pdf_out_text_string(s, e->alt);
        }
        g_string_append(s, " /K [");
        for (guint k = 0; k < e->kids->len; k++) {
            const Kid *kid = &g_array_index(e->kids, Kid, k);
            if (kid->elem)
                g_string_append_printf(s, " %u 0 R", elem_at(w, kid->value)->obj);
            else
                g_string_append_printf(s, " << /Type /MCR /Pg %u 0 R /MCID %u >>", kid->page,
                                       kid->value);
        }
        g_string_append(s, " ] >>");
        pdf_out_end(&w->o);
    }
    GString *s = pdf_out_begin(&w->o, parent_tree);
    g_string_append(s, "<< /Nums [");
    for (guint p = 0; p < w->parents->len; p++) {
        GArray *a = g_array_index(w->parents, GArray *, p);
        g_string_append_printf(s, " %u [", p);
        for (guint k = 0; k < a->len; k++)
            g_string_append_printf(s, " %u 0 R", elem_at(w, g_array_index(a, guint, k))->obj);
        g_string_append(s, " ]");
    }
    g_string_append(s, " ] >>");
    pdf_out_end(&w->o);
    s = pdf_out_begin(&w->o, root);
    g_string_append_printf(s, "<< /Type /StructTreeRoot /ParentTree %u 0 R /ParentTreeNextKey %u",
                           parent_tree, w->parents->len);
    if (w->elems->len > 0)
        g_string_append_printf(s, " /K [ %u 0 R ]", elem_at(w, 0)->obj);
    g_string_append(s, " >>");
    pdf_out_end(&w->o);
    return root;
}

static void
writer_free(PdfWriter *w)
{
    g_free(w->unembedded);
    pdf_fonts_free(w->fonts);
    g_array_free(w->page_objs, TRUE);
    g_array_free(w->page_numbers, TRUE);
    g_array_free(w->page_heights, TRUE);
    g_ptr_array_free(w->page_fonts, TRUE);
    g_array_free(w->page_images, TRUE);
    for (guint i = 0; i < w->elems->len; i++)
        g_array_free(elem_at(w, i)->kids, TRUE);
    g_array_free(w->elems, TRUE);
    g_array_free(w->open, TRUE);
    for (guint i = 0; i < w->parents->len; i++)
        g_array_free(g_array_index(w->parents, GArray *, i), TRUE);
    g_array_free(w->parents, TRUE);
    g_array_free(w->images, TRUE);
    pdf_out_free(&w->o);
    g_free(w);
}

static gboolean
pdf_end(void *data, const Pages *pages, GError **error)
{
    PdfWriter *w = data;
    gboolean ok = pages != NULL;
    GError *why = NULL;
    if (ok) {
        if (w->tagged && w->count > 0) {
            tags_end(w, &w->tags);
            tag_end(w, "Document");
        }
        ok = pdf_fonts_write(w->fonts, &w->o, &why);
        if (w->unembedded != NULL)
            diag_add(pages->warnings, DIAG_WARNING, (DiagAt){w->out->path, 0, 0},
                     "text in the font “%s” is left out of the PDF: its face has no file to "
                     "embed",
                     w->unembedded);
    }
    if (ok) {
        /* the page tree */
        GString *s = pdf_out_begin(&w->o, w->pages_obj);
        g_string_append(s, "<< /Type /Pages /Kids [");
        for (guint i = 0; i < w->page_objs->len; i++)
            g_string_append_printf(s, " %u 0 R", g_array_index(w->page_objs, guint, i));
        g_string_append_printf(s, " ] /Count %u >>", w->page_objs->len);
        pdf_out_end(&w->o);
        guint tree = w->tagged && w->count > 0 ? write_tree(w) : 0;
        guint outline = pdf_write_outline(&w->o, pages, w->first, w->page_objs, w->page_heights);
        guint info = pdf_write_info(&w->o, &pages->meta);
        guint catalog = pdf_out_reserve(&w->o);
        s = pdf_out_begin(&w->o, catalog);
        g_string_append_printf(s, "<< /Type /Catalog /Pages %u 0 R", w->pages_obj);
        if (tree != 0)
            g_string_append_printf(s, " /StructTreeRoot %u 0 R /MarkInfo << /Marked true >>",
                                   tree);
        if (outline != 0)
            g_string_append_printf(s, " /Outlines %u 0 R", outline);
        /* page labels when the printed numbers are not the PDF's own (a preview from page 4) */
        if (w->count > 0 && g_array_index(w->page_numbers, int, 0) != 1) {
            g_string_append(s, " /PageLabels << /Nums [");
            /* decimal labels: a range for each run of consecutive numbers */
            for (guint i = 0; i < w->page_numbers->len; i++) {
                int n = g_array_index(w->page_numbers, int, i);
                if (i == 0 || n != g_array_index(w->page_numbers, int, i - 1) + 1)
                    g_string_append_printf(s, " %u << /S /D /St %d >>", i, n);
            }
            g_string_append(s, " ] >>");
        }
        g_string_append(s, " /Lang (zh-CN) >>");
        pdf_out_end(&w->o);
        ok = pdf_out_finish(&w->o, catalog, info, NULL);
        if (!ok)
            g_set_error(&why, GONGWEN_ERROR, GONGWEN_ERROR_IO, "%s",
                        w->out->write_errno != 0 ? g_strerror(w->out->write_errno)
                                                 : "an object was not written");
    }
    if (pages != NULL && !ok)
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){w->out->path, 0, 0},
                       "cannot write the PDF: %s", why != NULL ? why->message : "");
    g_clear_error(&why);
    pdf_out_stop(&w->o); /* nothing is written to the file after this */
    if (w->out != &w->own) /* the caller's: it commits or aborts */
        ;
    else if (!ok)
        atomic_abort(&w->own);
    else
        ok = atomic_commit(&w->own, error);
    writer_free(w);
    return ok;
}

const Backend backend_pdf = {"pdf", FALSE, pdf_begin, pdf_page, pdf_end};

const Backend *
backend_for(const char *path)
{
    if (g_str_has_suffix(path, ".png") || g_str_has_suffix(path, ".PNG"))
        return &backend_png;
    if (g_str_has_suffix(path, ".svg") || g_str_has_suffix(path, ".SVG"))
        return &backend_svg;
    if (g_str_has_suffix(path, ".ofd") || g_str_has_suffix(path, ".OFD"))
        return &backend_ofd;
    return &backend_pdf;
}

gboolean
backend_write(const Backend *backend, const Pages *pages, size_t first, size_t last,
              const char *path, double dpi, GError **error)
{
    g_return_val_if_fail(first < last && last <= pages_count(pages), FALSE);
    BackendParams params = {dpi, NULL, NULL};
    void *out = backend->begin(path, &params, error);
    gboolean ok = out != NULL;
    if (ok) {
        for (size_t p = first; p < last; p++)
            backend->page(pages, pages_get(pages, p), out);
        ok = backend->end(out, pages, error);
    }
    return ok;
}
