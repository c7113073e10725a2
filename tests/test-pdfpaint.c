/* gongwen: tests of render/pdfpaint.c: each drawing sequence that render/draw.c makes (fills,
 * rectangles, polylines, polygons, wedges with and without a hole, dots, hatching over a
 * shape, the hairline clip, rotated and scaled strokes, a 0.35 mm rule) is drawn through
 * cairo's own PDF surface and through PdfPaint, and the page's content stream cairo wrote
 * (uncompressed with CAIRO_DEBUG_PDF) must be byte for byte the one PdfPaint wrote. With
 * pdftoppm installed, the two pages are also rendered at 150 dpi and compared pixel for
 * pixel. Also: cairo's number formats. */
#include "pdfpaint.h"
#include "tap.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.28
#define PAGE_H 841.89

/* One drawing, made through both. */
typedef struct {
    cairo_t *cr;
    PdfPaint *pp;
} Both;

/* Pango units, as the display list holds them */
static double
u(double v)
{
    return round(v * 1024) / 1024;
}

static void
colour(cairo_t *cr, guint32 rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0,
                         (rgb & 0xFF) / 255.0);
}

static void
save(Both *b)
{
    cairo_save(b->cr);
    pdf_paint_save(b->pp);
}

static void
restore(Both *b)
{
    cairo_restore(b->cr);
    pdf_paint_restore(b->pp);
}

static void
translate(Both *b, double x, double y)
{
    cairo_translate(b->cr, x, y);
    pdf_paint_translate(b->pp, x, y);
}

static void
rotate(Both *b, double a)
{
    cairo_rotate(b->cr, a);
    pdf_paint_rotate(b->pp, a);
}

static void
scale(Both *b, double x, double y)
{
    cairo_scale(b->cr, x, y);
    pdf_paint_scale(b->pp, x, y);
}

static void
new_path(Both *b)
{
    cairo_new_path(b->cr);
    pdf_paint_new_path(b->pp);
}

static void
move_to(Both *b, double x, double y)
{
    cairo_move_to(b->cr, x, y);
    pdf_paint_move_to(b->pp, x, y);
}

static void
line_to(Both *b, double x, double y)
{
    cairo_line_to(b->cr, x, y);
    pdf_paint_line_to(b->pp, x, y);
}

static void
close_path(Both *b)
{
    cairo_close_path(b->cr);
    pdf_paint_close_path(b->pp);
}

static void
rect(Both *b, double x, double y, double w, double h)
{
    cairo_rectangle(b->cr, x, y, w, h);
    pdf_paint_rectangle(b->pp, x, y, w, h);
}

static void
arc(Both *b, double x, double y, double r, double a0, double a1, gboolean negative)
{
    if (negative) {
        cairo_arc_negative(b->cr, x, y, r, a0, a1);
        pdf_paint_arc_negative(b->pp, x, y, r, a0, a1);
    } else {
        cairo_arc(b->cr, x, y, r, a0, a1);
        pdf_paint_arc(b->pp, x, y, r, a0, a1);
    }
}

static void
fill(Both *b, guint32 rgb, gboolean preserve)
{
    colour(b->cr, rgb);
    if (preserve)
        cairo_fill_preserve(b->cr);
    else
        cairo_fill(b->cr);
    pdf_paint_fill(b->pp, rgb, preserve);
}

static void
stroke(Both *b, guint32 rgb, double width, cairo_line_join_t join)
{
    colour(b->cr, rgb);
    cairo_set_line_width(b->cr, width);
    cairo_set_line_join(b->cr, join);
    cairo_stroke(b->cr);
    pdf_paint_stroke(b->pp, rgb, width, join, FALSE);
}

static void
clip(Both *b, gboolean preserve)
{
    if (preserve)
        cairo_clip_preserve(b->cr);
    else
        cairo_clip(b->cr);
    pdf_paint_clip(b->pp, preserve);
}

/* draw.c's hatch(), through both */
static void
hatch(Both *b, guint32 fill_rgb)
{
    cairo_path_t *shape = cairo_copy_path(b->cr);
    PdfPaintPath *pshape = pdf_paint_copy_path(b->pp);
    save(b);
    clip(b, TRUE);
    double x0, y0, x1, y1, q0, r0, q1, r1;
    cairo_path_extents(b->cr, &x0, &y0, &x1, &y1);
    pdf_paint_path_extents(b->pp, &q0, &r0, &q1, &r1);
    if (x0 != q0 || y0 != r0 || x1 != q1 || y1 != r1)
        tap_diag("path extents differ: cairo %g %g %g %g, PdfPaint %g %g %g %g", x0, y0, x1, y1, q0,
                 r0, q1, r1);
    new_path(b);
    int grey = (int)(((fill_rgb >> 16) & 0xFF) + ((fill_rgb >> 8) & 0xFF) + (fill_rgb & 0xFF)) / 3;
    for (double d = -(y1 - y0); d < x1 - x0; d += 3.5) {
        move_to(b, x0 + d, y1);
        line_to(b, x0 + d + (y1 - y0), y0);
    }
    stroke(b, grey < 128 ? 0xFFFFFF : 0x000000, 0.6, CAIRO_LINE_JOIN_ROUND);
    restore(b);
    cairo_append_path(b->cr, shape);
    cairo_path_destroy(shape);
    pdf_paint_append_path(b->pp, pshape);
    pdf_paint_path_free(pshape);
}

typedef enum { RECT, POLYLINE, POLYGON, WEDGE, DOT } Kind;

/* draw.c's draw_shape(): points as in PageShape, in points */
static void
shape(Both *b, double x, double y, Kind kind, const double *pts, size_t n, guint32 fill_rgb,
      gboolean hatched, guint32 stroke_rgb, double line)
{
    save(b);
    new_path(b);
    translate(b, x, y);
    switch (kind) {
    case RECT:
        rect(b, pts[0], pts[1], pts[2], pts[3]);
        break;
    case POLYLINE:
    case POLYGON:
        move_to(b, pts[0], pts[1]);
        for (size_t i = 2; i + 1 < n; i += 2)
            line_to(b, pts[i], pts[i + 1]);
        if (kind == POLYGON)
            close_path(b);
        break;
    case WEDGE: {
        double a0 = (pts[4] - 90) * G_PI / 180, a1 = (pts[5] - 90) * G_PI / 180;
        if (pts[3] > 0) {
            arc(b, pts[0], pts[1], pts[2], a0, a1, FALSE);
            arc(b, pts[0], pts[1], pts[3], a1, a0, TRUE);
        } else {
            move_to(b, pts[0], pts[1]);
            arc(b, pts[0], pts[1], pts[2], a0, a1, FALSE);
        }
        close_path(b);
        break;
    }
    case DOT:
        cairo_new_sub_path(b->cr);
        pdf_paint_new_sub_path(b->pp);
        arc(b, pts[0], pts[1], pts[2], 0, 2 * G_PI, FALSE);
        break;
    }
    if (fill_rgb != G_MAXUINT32 && kind != POLYLINE) {
        fill(b, fill_rgb, TRUE);
        if (hatched)
            hatch(b, fill_rgb);
    }
    if (stroke_rgb != G_MAXUINT32 && line > 0)
        stroke(b, stroke_rgb, line, CAIRO_LINE_JOIN_ROUND);
    new_path(b);
    restore(b);
    cairo_set_source_rgb(b->cr, 0, 0, 0);
}

/* PAGE_ITEM_FILL */
static void
fill_item(Both *b, double x, double y, double w, double h, guint32 rgb)
{
    save(b);
    rect(b, x, y, w, h);
    fill(b, rgb, FALSE);
    restore(b);
}

/* PAGE_ITEM_RECT */
static void
rect_item(Both *b, double x, double y, double w, double h, double line)
{
    new_path(b);
    rect(b, x, y, w, h);
    stroke(b, 0, line, CAIRO_LINE_JOIN_MITER);
}

/* clip_to_hairline(), then a stand-in for the glyphs drawn under it */
static void
hairline_item(Both *b, double cx, double cy, double cw, double ch)
{
    save(b);
    double x0 = cx, y0 = cy, x1 = x0 + cw, t = 1.0 / 64;
    double y1 = y0 + MAX(ch - t, 2 * t);
    new_path(b);
    move_to(b, x0, y0);
    line_to(b, x1, y1);
    line_to(b, x1, y1 + t);
    line_to(b, x0, y0 + t);
    close_path(b);
    clip(b, FALSE);
    rect(b, cx + 2, cy + 1, cw / 2, ch - 2);
    fill(b, 0, FALSE);
    restore(b);
}

/* ---- the scenes ---- */

static void
scene_fills(Both *b)
{
    fill_item(b, u(72.3), u(100.7), u(450.12), u(0.992), 0x000000);
    fill_item(b, u(72.3), u(120.2), u(450.12), u(3.5), 0xC00000);
    fill_item(b, u(10.001), u(20.4999), u(0.05), u(30), 0x336699);
    fill_item(b, u(-5), u(800), u(620), u(60), 0x808080); /* over the page's edge */
    fill_item(b, u(700), u(10), u(20), u(20), 0x123456);  /* off the page: nothing */

    fill_item(b, u(300), u(300), u(0), u(20), 0x123456); /* no area: nothing */
}

/* A fill over the whole page is a paint for cairo (which also forgets what was drawn before
 * it on the page when no clip is set: not modelled, so the page starts with it here). */
static void
scene_paint(Both *b)
{
    fill_item(b, u(-1), u(-1), u(600), u(850), 0xFFFFEE);
    fill_item(b, u(0), u(0), u(595.28), u(841.89), 0xFFFFEE); /* short of 596 by 842 */
    save(b);
    rect(b, u(100), u(100), u(300), u(300));
    clip(b, FALSE);
    fill_item(b, u(-1), u(-1), u(600), u(850), 0xEEFFEE); /* a paint under a clip */
    restore(b);
    fill_item(b, u(1), u(0), u(595.28), u(841.89), 0xFFFFEE);
}

static void
scene_rects(Both *b)
{
    rect_item(b, u(50.25), u(60.1), u(200.3), u(30.7), u(0.75));
    rect_item(b, u(50.25), u(100.1), u(200.3), u(30.7), u(0.75));
    rect_item(b, u(70.866), u(150), u(453.543), u(600), u(0.35 * 72 / 25.4));
    rect_item(b, u(10), u(10), u(0), u(50), u(1)); /* a vertical line as a rectangle */
}

static void
scene_lines(Both *b)
{
    const double rule[] = {u(0), u(0), u(453.543), u(0)};
    shape(b, u(70.866), u(200.5), POLYLINE, rule, 4, G_MAXUINT32, FALSE, 0xC00000,
          u(0.35 * 72 / 25.4));
    const double zig[] = {u(0),  u(0),  u(10.5), u(20.25), u(21), u(5.125), u(31.5),
                          u(40), u(42), u(40),   u(52.5),  u(40), u(63),    u(0.3)};
    shape(b, u(100.2), u(300.7), POLYLINE, zig, 14, G_MAXUINT32, FALSE, 0x1F77B4, u(1.5));
    const double back[] = {u(0), u(0), u(10), u(0), u(5), u(0), u(5), u(5), u(5), u(5)};
    shape(b, u(100.2), u(400.7), POLYLINE, back, 10, G_MAXUINT32, FALSE, 0, u(0.5));
    const double tri[] = {u(0), u(0), u(30.3), u(0), u(15.15), u(-26.24)};
    shape(b, u(200.3), u(500.9), POLYGON, tri, 6, 0xFF7F0E, FALSE, 0x000000, u(0.5));
    shape(b, u(260.3), u(500.9), POLYGON, tri, 6, 0x2CA02C, TRUE, G_MAXUINT32, 0);
    const double box[] = {u(0), u(0), u(40.3), u(20.7)};
    shape(b, u(300.3), u(600.9), RECT, box, 4, 0x9467BD, FALSE, 0x000000, u(0.5));
    shape(b, u(360.3), u(600.9), RECT, box, 4, 0xD62728, TRUE, 0x000000, u(0.5));
    shape(b, u(420.3), u(600.9), RECT, box, 4, 0xEEEEEE, TRUE, G_MAXUINT32, 0);
    const double thin[] = {u(0), u(0), u(80.3), u(2.2)};
    shape(b, u(100.3), u(700.9), RECT, thin, 4, 0x444444, TRUE, G_MAXUINT32, 0);
}

static void
scene_wedges(Both *b)
{
    const double radii[] = {1.5, 4, 12.3, 40, 80.3, 150.7};
    const double angles[][2] = {{0, 90},      {30, 200},  {200, 30},  {0, 360},
                                {359.5, 360}, {10, 10.4}, {270, 450}, {45.123, 313.9}};
    int k = 0;
    for (size_t r = 0; r < G_N_ELEMENTS(radii); r++)
        for (size_t a = 0; a < G_N_ELEMENTS(angles); a++, k++) {
            double pts[6] = {0, 0, u(radii[r]), 0, angles[a][0], angles[a][1]};
            double x = u(60 + (k % 6) * 90.3), y = u(60 + (k / 6) * 95.7);
            shape(b, x, y, WEDGE, pts, 6, 0x1F77B4 + (guint32)k * 0x010203, FALSE, 0xFFFFFF,
                  u(0.75));
        }
}

static void
scene_rings(Both *b)
{
    const double outer[] = {8, 30.5, 70.25, 140};
    const double angles[][2] = {{0, 120}, {120, 250}, {250, 360}, {15.5, 15.75}, {0, 360}};
    int k = 0;
    for (size_t r = 0; r < G_N_ELEMENTS(outer); r++)
        for (size_t a = 0; a < G_N_ELEMENTS(angles); a++, k++) {
            double pts[6] = {0, 0, u(outer[r]), u(outer[r] * 0.55), angles[a][0], angles[a][1]};
            shape(b, u(300.5), u(420.25), WEDGE, pts, 6, 0x2CA02C + (guint32)k * 0x030201, FALSE,
                  0xFFFFFF, u(0.5));
        }
}

static void
scene_dots(Both *b)
{
    const double radii[] = {0.5, 1, 1.5, 2.25, 3, 5.5, 9, 20};
    for (size_t r = 0; r < G_N_ELEMENTS(radii); r++) {
        double pts[3] = {u(3.3 * r), u(1.7 * r), u(radii[r])};
        shape(b, u(100.1 + 50 * r), u(150.3), DOT, pts, 3, 0xD62728, FALSE, G_MAXUINT32, 0);
        shape(b, u(100.1 + 50 * r), u(250.3), DOT, pts, 3, 0xFFFFFF, FALSE, 0x000000, u(0.75));
    }
}

static void
scene_hatch(Both *b)
{
    double w1[6] = {0, 0, u(80.3), 0, 30, 200};
    shape(b, u(300.5), u(400.25), WEDGE, w1, 6, 0x336699, TRUE, 0x000000, u(0.5));
    double w2[6] = {0, 0, u(60.3), u(30), 200, 30};
    shape(b, u(300.5), u(600.25), WEDGE, w2, 6, 0xEEDD99, TRUE, 0xFFFFFF, u(0.75));
    double d[3] = {0, 0, u(12.5)};
    shape(b, u(100.5), u(100.25), DOT, d, 3, 0x222222, TRUE, G_MAXUINT32, 0);
    /* the next fill lies inside the last hatch clip's box: cairo keeps that clip */
    double box[4] = {0, 0, u(100.5), u(50.25)};
    shape(b, u(100.5), u(700.25), RECT, box, 4, 0x999999, TRUE, G_MAXUINT32, 0);
    fill_item(b, u(120), u(710), u(20), u(20), 0xFF0000);
    fill_item(b, u(20), u(710), u(20), u(20), 0x00FF00);
}

static void
scene_hairline(Both *b)
{
    hairline_item(b, u(72.3), u(100.7), u(450.12), u(16.5));
    hairline_item(b, u(72.3), u(130.7), u(450.12), u(16.5));
    fill_item(b, u(72.3), u(160.7), u(50), u(1), 0);
    /* a clip inside a clip */
    save(b);
    rect(b, u(50), u(300), u(200), u(200));
    clip(b, FALSE);
    hairline_item(b, u(60), u(310), u(100), u(20));
    restore(b);
}

static void
scene_transformed(Both *b)
{
    for (int turns = 0; turns < 4; turns++) {
        double x = u(100 + 100 * turns), y = u(400.5);
        save(b);
        translate(b, x, y);
        rotate(b, -G_PI / 2 * turns);
        scale(b, 0.8, 1.0);
        translate(b, -x, -y);
        new_path(b);
        move_to(b, x, y);
        line_to(b, x + u(50.3), y + u(10.1));
        line_to(b, x + u(60.3), y + u(30.1));
        stroke(b, 0x000000, u(0.4), CAIRO_LINE_JOIN_ROUND);
        rect(b, x, y, u(30), u(10));
        fill(b, 0x336699, FALSE);
        rect(b, x, y + 20, u(30), u(10));
        stroke(b, 0x336699, u(1), CAIRO_LINE_JOIN_MITER);
        move_to(b, x, y + 40);
        cairo_curve_to(b->cr, x + u(10.3), y + 30, x + u(20.7), y + 60, x + 30, y + 40);
        pdf_paint_curve_to(b->pp, x + u(10.3), y + 30, x + u(20.7), y + 60, x + 30, y + 40);
        close_path(b);
        fill(b, 0x2CA02C, TRUE);
        stroke(b, 0x000000, u(0.3), CAIRO_LINE_JOIN_ROUND);
        double w[6] = {0, 0, u(20.3), 0, 10, 100};
        restore(b);
        save(b);
        translate(b, x, y + 100);
        rotate(b, 0.3 * turns);
        shape(b, 0, 0, WEDGE, w, 6, 0xFF7F0E, TRUE, 0x000000, u(0.5));
        restore(b);
    }
    save(b);
    scale(b, 2.5, 2.5);
    rect(b, u(10), u(10), u(30), u(10));
    stroke(b, 0x000000, u(0.5), CAIRO_LINE_JOIN_MITER);
    restore(b);
}

/* a fill then a stroke of the same rectangle, apart: cairo's `B` again */
static void
scene_merge(Both *b)
{
    fill_item(b, u(100.5), u(100.25), u(200.3), u(20.7), 0xDDDDDD);
    rect_item(b, u(100.5), u(100.25), u(200.3), u(20.7), u(0.5));
    fill_item(b, u(100.5), u(200.25), u(-200.3), u(-20.7), 0xDDDDDD); /* negative sizes */
    rect_item(b, u(100.5), u(200.25), u(-200.3), u(-20.7), u(0.5));
    fill_item(b, u(100.5), u(300.25), u(200.3), u(20.7), 0xDDDDDD);
    rect_item(b, u(100.5), u(300.25), u(200.3), u(20.8), u(0.5)); /* not the same */
    /* under a clip that holds neither, and one that holds both */
    save(b);
    rect(b, u(90), u(390), u(300), u(60));
    clip(b, FALSE);
    fill_item(b, u(100.5), u(400.25), u(200.3), u(20.7), 0xDDDDDD);
    rect_item(b, u(100.5), u(400.25), u(200.3), u(20.7), u(0.5));
    restore(b);
    save(b);
    rect(b, u(100.9), u(500.5), u(100), u(60));
    clip(b, FALSE);
    fill_item(b, u(100.5), u(500.25), u(200.3), u(20.7), 0xDDDDDD);
    rect_item(b, u(100.5), u(500.25), u(200.3), u(20.7), u(0.5));
    restore(b);
    /* an integer box that a fill and a stroke cross, and one over the page's edge */
    save(b);
    rect(b, u(300), u(600), u(50), u(50));
    clip(b, FALSE);
    fill_item(b, u(280.5), u(610.25), u(200.3), u(20.7), 0xDDDDDD);
    rect_item(b, u(280.5), u(610.25), u(200.3), u(20.7), u(0.5));
    fill_item(b, u(310.5), u(610.25), u(20.3), u(20.7), 0x999999);
    restore(b);
    save(b);
    rect(b, u(550.5), u(800.5), u(100), u(100));
    clip(b, FALSE);
    fill_item(b, u(500.5), u(780.25), u(200.3), u(20.7), 0xDDDDDD);
    fill_item(b, u(560.5), u(810.25), u(20.3), u(20.7), 0x999999);
    restore(b);
    /* a dot under a scale and a rotation: the arc's segments follow the CTM */
    save(b);
    translate(b, u(400), u(700));
    scale(b, 3.5, 2);
    rotate(b, 0.7);
    double d[3] = {0, 0, u(10.5)};
    shape(b, 0, 0, DOT, d, 3, 0x1F77B4, TRUE, 0x000000, u(0.3));
    restore(b);
    /* miter joins on a slanted path inside a clip box */
    save(b);
    rect(b, u(50), u(600), u(100), u(100));
    clip(b, FALSE);
    new_path(b);
    move_to(b, u(60), u(610));
    line_to(b, u(100), u(690));
    line_to(b, u(140), u(610));
    stroke(b, 0x000000, u(2), CAIRO_LINE_JOIN_MITER);
    restore(b);
}

static gboolean extra_turns; /* some items turned and narrowed */

/* Shapes at random (seeded): every kind, on and over the page's edge, filled, hatched and
 * stroked or not, between fills, frames and hairline clips. */
static void
scene_random(Both *b, guint32 seed)
{
    GRand *r = g_rand_new_with_seed(seed);
    static const double widths[] = {0.25, 0.5, 0.6, 0.75, 1.0, 0.35 * 72 / 25.4, 1.5, 3};
    for (int i = 0; i < 60; i++) {
        double x = u(g_rand_double_range(r, -30, 620)), y = u(g_rand_double_range(r, -30, 870));
        guint32 fill_rgb = g_rand_boolean(r) ? g_rand_int(r) & 0xFFFFFF : G_MAXUINT32;
        guint32 stroke_rgb = g_rand_int_range(r, 0, 3) ? g_rand_int(r) & 0xFFFFFF : G_MAXUINT32;
        double line = u(widths[g_rand_int_range(r, 0, G_N_ELEMENTS(widths))]);
        gboolean hatched = g_rand_int_range(r, 0, 4) == 0;
        int what = g_rand_int_range(r, 0, 8);
        /* as glyphs are turned and narrowed (draw.c), around some items */
        gboolean turned = extra_turns && g_rand_int_range(r, 0, 3) == 0;
        if (turned) {
            save(b);
            translate(b, x, y);
            rotate(b, -G_PI / 2 * g_rand_int_range(r, 1, 4));
            scale(b, g_rand_boolean(r) ? 0.8 : 1.0, 1.0);
            translate(b, -x, -y);
        }
        if (g_getenv("PDFPAINT_TRACE") != NULL)
            tap_diag("item %d: kind %d at %g %g fill %x hatch %d stroke %x line %g", i, what, x, y,
                     fill_rgb, hatched, stroke_rgb, line);
        double pts[16];
        switch (what) {
        case 0: /* a wedge, perhaps with a hole, angles in thousandths of a degree */
        case 1: {
            double outer = u(g_rand_double_range(r, 0.5, 120));
            pts[0] = pts[1] = 0;
            pts[2] = outer;
            pts[3] = g_rand_boolean(r) ? u(outer * g_rand_double_range(r, 0.1, 0.9)) : 0;
            pts[4] = g_rand_int_range(r, 0, 360000) / 1000.0;
            pts[5] = pts[4] + g_rand_int_range(r, 1, 360000) / 1000.0;
            shape(b, x, y, WEDGE, pts, 6, fill_rgb, hatched, stroke_rgb, line);
            break;
        }
        case 2: /* a dot */
            pts[0] = u(g_rand_double_range(r, -5, 5));
            pts[1] = u(g_rand_double_range(r, -5, 5));
            pts[2] = u(g_rand_double_range(r, 0.3, 15));
            shape(b, x, y, DOT, pts, 3, fill_rgb, hatched, stroke_rgb, line);
            break;
        case 3: /* a polygon or polyline */
        case 4: {
            int n = g_rand_int_range(r, 2, 8);
            for (int k = 0; k < n; k++) {
                pts[2 * k] = u(g_rand_double_range(r, -60, 60));
                pts[2 * k + 1] = g_rand_int_range(r, 0, 4) ? u(g_rand_double_range(r, -60, 60))
                                                           : pts[MAX(2 * k - 1, 1)];
            }
            shape(b, x, y, what == 3 ? POLYGON : POLYLINE, pts, (size_t)(2 * n), fill_rgb, hatched,
                  stroke_rgb == G_MAXUINT32 ? 0 : stroke_rgb, line);
            break;
        }
        case 5: /* a bar */
            pts[0] = pts[1] = 0;
            pts[2] = u(g_rand_double_range(r, -80, 80));
            pts[3] = u(g_rand_double_range(r, -80, 80));
            shape(b, x, y, RECT, pts, 4, fill_rgb, hatched, stroke_rgb, line);
            break;
        case 6:
            if (g_rand_boolean(r))
                fill_item(b, x, y, u(g_rand_double_range(r, 0, 200)),
                          u(g_rand_double_range(r, 0, 5)), g_rand_int(r) & 0xFFFFFF);
            else
                rect_item(b, x, y, u(g_rand_double_range(r, 0, 200)),
                          u(g_rand_double_range(r, 0, 100)), line);
            break;
        default:
            hairline_item(b, x, y, u(g_rand_double_range(r, 5, 300)),
                          u(g_rand_double_range(r, 0.01, 30)));
            break;
        }
        if (turned)
            restore(b);
    }
    g_rand_free(r);
}

static guint32 extra_seed;

static void
scene_random_extra(Both *b)
{
    scene_random(b, extra_seed);
}

static void
scene_turned(Both *b)
{
    extra_turns = TRUE;
    scene_random(b, 5);
    extra_turns = FALSE;
}

static void
scene_random1(Both *b)
{
    scene_random(b, 1);
}

static void
scene_random2(Both *b)
{
    scene_random(b, 22);
}

static void
scene_random3(Both *b)
{
    scene_random(b, 333);
}

static void
scene_random4(Both *b)
{
    scene_random(b, 4444);
}

/* ---- running them ---- */

static cairo_status_t
to_string(void *closure, const unsigned char *data, unsigned int length)
{
    g_string_append_len(closure, (const char *)data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The first stream of a PDF cairo wrote: the page's content (uncompressed). */
static char *
first_stream(const GString *pdf)
{
    const char *s = g_strstr_len(pdf->str, (gssize)pdf->len, "stream\n");
    if (s == NULL)
        return NULL;
    s += 7;
    const char *e = g_strstr_len(s, (gssize)(pdf->str + pdf->len - s), "endstream");
    if (e == NULL)
        return NULL;
    if (e > s && e[-1] == '\n')
        e--;
    return g_strndup(s, (gsize)(e - s));
}

/* A one-page PDF around a content stream, as gongwen's writer would make it. */
static GString *
wrap_pdf(const char *content)
{
    GString *s = g_string_new("%PDF-1.5\n");
    gsize off[5];
    off[1] = s->len;
    g_string_append(s, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = s->len;
    g_string_append(s, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    off[3] = s->len;
    g_string_append_printf(s,
                           "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [ 0 0 %s %s ]"
                           " /Contents 4 0 R /Resources << /ExtGState << %s >> >> >>\nendobj\n",
                           "595.28", "841.89", PDF_PAINT_EXTGSTATE);
    off[4] = s->len;
    g_string_append_printf(s, "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                           strlen(content) + 1, content);
    gsize xref = s->len;
    g_string_append(s, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 1; i < 5; i++)
        g_string_append_printf(s, "%010zu 00000 n \n", off[i]);
    g_string_append_printf(s, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                           xref);
    return s;
}

static GBytes *
render(const char *dir, const char *name, const GString *pdf)
{
    char *path = g_build_filename(dir, name, NULL);
    char *out = g_strconcat(path, ".pgm", NULL);
    GBytes *pixels = NULL;
    if (g_file_set_contents(path, pdf->str, (gssize)pdf->len, NULL)) {
        char *argv[] = {"pdftoppm", "-r", "150", "-gray", "-singlefile", path, path, NULL};
        int status = -1;
        if (g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                         NULL, NULL, NULL, &status, NULL) &&
            status == 0) {
            char *data = NULL;
            gsize len = 0;
            if (g_file_get_contents(out, &data, &len, NULL))
                pixels = g_bytes_new_take(data, len);
        }
    }
    g_unlink(out);
    g_unlink(path);
    g_free(out);
    g_free(path);
    return pixels;
}

static void
run(const char *name, void (*scene)(Both *), const char *pixels_dir)
{
    GString *pdf = g_string_new(NULL);
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_string, pdf, PAGE_W, PAGE_H);
    GString *body = g_string_new(NULL);
    Both b = {cairo_create(surface), pdf_paint_new(body)};
    pdf_paint_set_page_size(b.pp, PAGE_W, PAGE_H);
    cairo_set_source_rgb(b.cr, 0, 0, 0);
    scene(&b);
    pdf_paint_flush(b.pp);
    tap_ok(cairo_status(b.cr) == CAIRO_STATUS_SUCCESS, "%s: cairo draws it", name);
    cairo_destroy(b.cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    pdf_paint_free(b.pp);

    GString *ours = g_string_new(NULL);
    g_string_append(ours, "1 0 0 -1 0 ");
    pdf_num(ours, PAGE_H);
    g_string_append(ours, " cm\nq\n");
    g_string_append_len(ours, body->str, (gssize)body->len);
    g_string_append(ours, "Q\n");
    char *theirs = first_stream(pdf);
    tap_is_str(ours->str, theirs != NULL ? theirs : "(no stream)",
               "%s: the content stream is cairo's, byte for byte", name);
    if (g_getenv("PDFPAINT_DUMP") != NULL)
        tap_diag("cairo:\n%s\nPdfPaint:\n%s", theirs, ours->str);

    if (pixels_dir != NULL) {
        GString *mine = wrap_pdf(ours->str);
        char *a = g_strconcat(name, "-cairo.pdf", NULL), *m = g_strconcat(name, "-pp.pdf", NULL);
        GBytes *pa = render(pixels_dir, a, pdf), *pm = render(pixels_dir, m, mine);
        tap_ok(pa != NULL && pm != NULL && g_bytes_equal(pa, pm),
               "%s: pdftoppm -r 150 renders both the same, pixel for pixel", name);
        if (pa != NULL)
            g_bytes_unref(pa);
        if (pm != NULL)
            g_bytes_unref(pm);
        g_free(a);
        g_free(m);
        g_string_free(mine, TRUE);
    }
    g_free(theirs);
    g_string_free(ours, TRUE);
    g_string_free(body, TRUE);
    g_string_free(pdf, TRUE);
}

/* cairo's "%g" by the book: printf's "%.3f", trailing zeros and point trimmed */
static char *
reference_num3(double v)
{
    char buf[64];
    g_ascii_formatd(buf, sizeof buf, "%.3f", v == 0 ? 0.0 : v);
    char *dot = strchr(buf, '.');
    char *end = buf + strlen(buf) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
    return g_strdup(buf);
}

/* pdf_num3's short way for multiples of 1/256 against printf, halves included */
static void
test_fixed_numbers(void)
{
    GRand *r = g_rand_new_with_seed(7);
    GString *got = g_string_new(NULL);
    int bad = 0;
    for (int i = 0; i < 200000 && bad < 5; i++) {
        gint32 f = i < 4096 ? i - 2048 : g_rand_int_range(r, -(1 << 30), 1 << 30);
        double v = f / 256.0;
        g_string_truncate(got, 0);
        pdf_num3(got, v);
        char *want = reference_num3(v);
        if (strcmp(got->str, want) != 0) {
            tap_diag("pdf_num3(%.17g): %s, printf %s", v, got->str, want);
            bad++;
        }
        g_free(want);
    }
    tap_ok(bad == 0, "pdf_num3 of multiples of 1/256 is printf's");
    g_string_free(got, TRUE);
    g_rand_free(r);
}

static void
count_call(void *data)
{
    (*(int *)data)++;
}

/* The before-write hook: called when something is written, never when nothing is. */
static void
test_hook(void)
{
    GString *out = g_string_new(NULL);
    PdfPaint *p = pdf_paint_new(out);
    int calls = 0;
    pdf_paint_set_page_size(p, PAGE_W, PAGE_H);
    pdf_paint_set_before_write(p, count_call, &calls);
    pdf_paint_move_to(p, -50, 10);
    pdf_paint_line_to(p, -20, 30);
    pdf_paint_stroke(p, 0, 1, CAIRO_LINE_JOIN_ROUND, FALSE);
    pdf_paint_rectangle(p, 700, 10, 20, 20);
    pdf_paint_fill(p, 0, FALSE);
    pdf_paint_flush(p);
    tap_ok(calls == 0 && out->len == 0, "nothing off the page is written, and no hook called");
    pdf_paint_rectangle(p, 10, 10, 20, 20);
    pdf_paint_fill(p, 0, FALSE);
    tap_ok(calls == 0 && out->len == 0, "a fill waits for the next painting");
    pdf_paint_prepare_fill(p, 0);
    tap_ok(calls > 0 && out->len > 0, "the hook is called before the fill is written");
    calls = 0;
    gsize len = out->len;
    pdf_paint_prepare_fill(p, 0);
    tap_ok(calls == 0 && out->len == len, "the same colour again: nothing written, no hook");
    pdf_paint_free(p);
    g_string_free(out, TRUE);
}

static void
test_numbers(void)
{
    static const struct {
        double v;
        const char *f, *g;
    } cases[] = {
        {0, "0", "0"},
        {-0.0, "0", "0"},
        {1, "1", "1"},
        {0.5, "0.5", "0.5"},
        {841.89, "841.89", "841.89"},
        {0.2, "0.2", "0.2"},
        {1 / 3.0, "0.333333", "0.333"},
        {0.0123456789, "0.0123457", "0.012"},
        {0.000012345678, "0.0000123457", "0"},
        {-0.0001, "-0.0001", "-0"},
        {-12.3456, "-12.3456", "-12.346"},
        {0x33 / 255.0, "0.2", "0.2"},
        {0x12 / 255.0, "0.0705882", "0.071"},
        {100.0004, "100.0004", "100"},
        {2.5e-20, "0", "0"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GString *f = g_string_new(NULL), *g = g_string_new(NULL);
        pdf_num(f, cases[i].v);
        pdf_num3(g, cases[i].v);
        tap_is_str(f->str, cases[i].f, "pdf_num(%.17g)", cases[i].v);
        tap_is_str(g->str, cases[i].g, "pdf_num3(%.17g)", cases[i].v);
        g_string_free(f, TRUE);
        g_string_free(g, TRUE);
    }
}

int
main(void)
{
    tap_plan_no_plan();
    /* cairo writes the content stream uncompressed (read when a surface is made) */
    g_setenv("CAIRO_DEBUG_PDF", "1", TRUE);
    test_numbers();
    test_fixed_numbers();
    test_hook();
    char *pdftoppm = g_find_program_in_path("pdftoppm");
    char *dir = pdftoppm != NULL ? g_dir_make_tmp("pdfpaint-XXXXXX", NULL) : NULL;
    if (dir == NULL)
        tap_diag("pdftoppm not found: pixels not compared");
    static const struct {
        const char *name;
        void (*scene)(Both *);
    } scenes[] = {
        {"fills", scene_fills},       {"paint", scene_paint},
        {"rects", scene_rects},       {"lines", scene_lines},
        {"wedges", scene_wedges},     {"rings", scene_rings},
        {"dots", scene_dots},         {"hatch", scene_hatch},
        {"hairline", scene_hairline}, {"transformed", scene_transformed},
        {"merge", scene_merge},       {"random1", scene_random1},
        {"random2", scene_random2},   {"random3", scene_random3},
        {"random4", scene_random4},   {"turned", scene_turned},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(scenes); i++)
        run(scenes[i].name, scenes[i].scene, dir);
    /* PDFPAINT_SEEDS=n: n more random pages, streams only (for a longer search by hand) */
    const char *seeds = g_getenv("PDFPAINT_SEEDS");
    for (guint32 k = 0; seeds != NULL && k < (guint32)atoi(seeds); k++) {
        extra_seed = 1000 + k;
        extra_turns = g_getenv("PDFPAINT_TURNS") != NULL;
        char *name = g_strdup_printf("random-%u", extra_seed);
        run(name, scene_random_extra, NULL);
        g_free(name);
    }
    if (dir != NULL)
        g_rmdir(dir);
    g_free(dir);
    g_free(pdftoppm);
    return tap_done();
}
