/* gongwen: paths and their painting in a PDF content stream, number for number as cairo 1.16's
 * PDF surface writes them (see pdfpaint.h).
 *
 * The model follows what decides cairo's output: the path is kept in device space in 24.8
 * fixed point, with cairo's simplifications as segments are added (a degenerate segment
 * dropped, collinear segments merged, the closing segment dropped); arcs are cut into the
 * Bézier segments cairo computes; the clip is kept as cairo keeps it (a box and a chain of
 * paths) and is reduced against each operation's extents before it is written, since that
 * decides whether cairo writes `Q q`, a clip box or nothing; colour and line style are
 * written only when they change, as cairo caches them. The numbers, the path, its writing
 * and the clip are in pdfpath.c (pdfpath-imp.h). */
#include "pdfpath-imp.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ---- the painter ------------------------------------------------------------------------ */

typedef struct {
    cairo_matrix_t ctm, ctm_inverse;
    Clip clip;
} State;

struct PdfPaint {
    GString *out;
    IRect page; /* the surface's extents: the page's size rounded up */
    double page_w, page_h;
    GArray *states; /* State; the last is the current one */
    Path path;
    Clip written; /* the clip in force in the stream */
    /* what the stream's graphics state holds, as cairo remembers it */
    gboolean colour_known, colour_is_stroke;
    double red, green, blue;
    gboolean style_known;
    double line_width;
    cairo_line_join_t join;
    /* A fill not yet written: cairo replays a fill followed by a stroke of the same path
     * under the same clip as one `B`. Its path, colour, clip, and the clip cairo records
     * with it (reduced for its extents). */
    gboolean pending;
    guint32 pending_rgb;
    Path pending_path;
    Clip pending_clip, pending_recorded;
    cairo_t *scratch; /* for the extents of a stroke's outline (cairo's stroker) */
    void (*before_write)(void *data);
    void *before_write_data;
};

/* Before PdfPaint writes anything: the writer's hook (to end its text object). */
static void
will_write(PdfPaint *p)
{
    if (p->before_write != NULL)
        p->before_write(p->before_write_data);
}

void
pdf_paint_set_before_write(PdfPaint *p, void (*before_write)(void *data), void *data)
{
    p->before_write = before_write;
    p->before_write_data = data;
}

static State *
state(const PdfPaint *p)
{
    return &g_array_index(p->states, State, p->states->len - 1);
}

PdfPaint *
pdf_paint_new(GString *out)
{
    PdfPaint *p = g_new0(PdfPaint, 1);
    p->out = out;
    /* no page size given: every operation is within the page */
    p->page = (IRect){-(1 << 22), -(1 << 22), 1 << 23, 1 << 23};
    p->page_w = p->page_h = 1 << 22;
    p->states = g_array_new(FALSE, TRUE, sizeof(State));
    State s = {0};
    cairo_matrix_init_identity(&s.ctm);
    cairo_matrix_init_identity(&s.ctm_inverse);
    g_array_append_val(p->states, s);
    path_init(&p->path);
    path_reset(&p->path);
    path_init(&p->pending_path);
    path_reset(&p->pending_path);
    return p;
}

void
pdf_paint_set_page_size(PdfPaint *p, double width, double height)
{
    p->page = (IRect){0, 0, (int)ceil(width), (int)ceil(height)};
    p->page_w = width;
    p->page_h = height;
}

void
pdf_paint_free(PdfPaint *p)
{
    if (p == NULL)
        return;
    for (guint i = 0; i < p->states->len; i++)
        clip_drop(&g_array_index(p->states, State, i).clip);
    g_array_free(p->states, TRUE);
    clip_drop(&p->written);
    clip_drop(&p->pending_clip);
    clip_drop(&p->pending_recorded);
    path_clear(&p->path);
    path_clear(&p->pending_path);
    if (p->scratch != NULL)
        cairo_destroy(p->scratch);
    g_free(p);
}

void
pdf_paint_save(PdfPaint *p)
{
    State s = *state(p);
    s.clip = clip_copy(&s.clip);
    g_array_append_val(p->states, s);
}

void
pdf_paint_restore(PdfPaint *p)
{
    g_return_if_fail(p->states->len > 1);
    clip_drop(&state(p)->clip);
    g_array_set_size(p->states, p->states->len - 1);
}

/* As cairo: the inverse kept by multiplying with each inverse step, not by inverting. */
static void
apply(PdfPaint *p, const cairo_matrix_t *step, const cairo_matrix_t *inverse_step)
{
    State *s = state(p);
    cairo_matrix_multiply(&s->ctm, step, &s->ctm);
    cairo_matrix_multiply(&s->ctm_inverse, &s->ctm_inverse, inverse_step);
}

void
pdf_paint_translate(PdfPaint *p, double tx, double ty)
{
    cairo_matrix_t m, inv;
    cairo_matrix_init_translate(&m, tx, ty);
    cairo_matrix_init_translate(&inv, -tx, -ty);
    apply(p, &m, &inv);
}

void
pdf_paint_scale(PdfPaint *p, double sx, double sy)
{
    g_return_if_fail(sx * sy != 0.);
    cairo_matrix_t m, inv;
    cairo_matrix_init_scale(&m, sx, sy);
    cairo_matrix_init_scale(&inv, 1 / sx, 1 / sy);
    apply(p, &m, &inv);
}

void
pdf_paint_rotate(PdfPaint *p, double radians)
{
    if (radians == 0.)
        return;
    cairo_matrix_t m, inv;
    cairo_matrix_init_rotate(&m, radians);
    cairo_matrix_init_rotate(&inv, -radians);
    apply(p, &m, &inv);
}

void
pdf_paint_get_matrix(const PdfPaint *p, cairo_matrix_t *m)
{
    *m = state(p)->ctm;
}

/* ---- building the path ------------------------------------------------------------------ */

static Pt
to_device(const PdfPaint *p, double x, double y)
{
    cairo_matrix_transform_point(&state(p)->ctm, &x, &y);
    return (Pt){fixed_from_double(x), fixed_from_double(y)};
}

void
pdf_paint_new_path(PdfPaint *p)
{
    path_reset(&p->path);
}

void
pdf_paint_new_sub_path(PdfPaint *p)
{
    path_new_sub_path(&p->path);
}

void
pdf_paint_move_to(PdfPaint *p, double x, double y)
{
    path_move_to(&p->path, to_device(p, x, y));
}

void
pdf_paint_line_to(PdfPaint *p, double x, double y)
{
    path_line_to(&p->path, to_device(p, x, y));
}

static void
curve_to(PdfPaint *p, double x1, double y1, double x2, double y2, double x3, double y3)
{
    path_curve_to(&p->path, to_device(p, x1, y1), to_device(p, x2, y2), to_device(p, x3, y3));
}

void
pdf_paint_curve_to(PdfPaint *p, double x1, double y1, double x2, double y2, double x3, double y3)
{
    curve_to(p, x1, y1, x2, y2, x3, y3);
}

void
pdf_paint_close_path(PdfPaint *p)
{
    path_close(&p->path);
}

/* A step relative to the current point, the distance quantised on its own (as cairo's
 * rectangle is built). */
static void
rel_line_to(PdfPaint *p, double dx, double dy)
{
    g_return_if_fail(p->path.has_cur);
    cairo_matrix_transform_distance(&state(p)->ctm, &dx, &dy);
    Pt to = {p->path.cur.x + fixed_from_double(dx), p->path.cur.y + fixed_from_double(dy)};
    path_line_to(&p->path, to);
}

void
pdf_paint_rectangle(PdfPaint *p, double x, double y, double w, double h)
{
    pdf_paint_move_to(p, x, y);
    rel_line_to(p, w, 0);
    rel_line_to(p, 0, h);
    rel_line_to(p, -w, 0);
    path_close(&p->path);
}

/* ---- arcs ------------------------------------------------------------------------------- */

#define ARC_TOLERANCE 0.1 /* cairo's default tolerance, in device units */

/* The radial error of a unit circle's arc of `angle` drawn as one Bézier segment with the
 * control points below (Dokken and Daehlen's bound, halved). */
static double
arc_error(double angle)
{
    return 2.0 / 27.0 * pow(sin(angle / 4), 6) / pow(cos(angle / 4), 2);
}

/* The largest π/n whose error is within `tolerance` (of the unit circle). cairo looks the
 * first eleven up in a table of these same errors (strictly below), then searches on. */
static double
arc_max_angle(double tolerance)
{
    int n = 1;
    for (; n <= 11; n++)
        if (arc_error(G_PI / n) < tolerance)
            return G_PI / n;
    /* n is 12 here: cairo's search goes on from π/12, stopping at an error within */
    double angle;
    do
        angle = G_PI / n++;
    while (arc_error(angle) > tolerance);
    return angle;
}

static gboolean
unity_scale(const cairo_matrix_t *m)
{
    double det = m->xx * m->yy - m->yx * m->xy, eps = 1 / 256.0;
    if (fabs(det * det - 1.0) < eps) {
        if (fabs(m->xy) < eps && fabs(m->yx) < eps)
            return TRUE;
        if (fabs(m->xx) < eps && fabs(m->yy) < eps)
            return TRUE;
    }
    return FALSE;
}

/* The longest axis of the ellipse a circle of `radius` becomes through m. */
static double
major_axis(const cairo_matrix_t *m, double radius)
{
    if (unity_scale(m))
        return radius;
    double i = m->xx * m->xx + m->yx * m->yx, j = m->xy * m->xy + m->yy * m->yy;
    double f = 0.5 * (i + j), g = 0.5 * (i - j), h = m->xx * m->xy + m->yx * m->yy;
    return radius * sqrt(f + hypot(g, h));
}

/* One Bézier segment from angle a to angle b: tangent handles of 4/3 tan(sweep / 4). */
static void
arc_segment(PdfPaint *p, double xc, double yc, double r, double a, double b)
{
    double rsa = r * sin(a), rca = r * cos(a), rsb = r * sin(b), rcb = r * cos(b);
    double h = 4.0 / 3.0 * tan((b - a) / 4.0);
    curve_to(p, xc + rca - h * rsa, yc + rsa + h * rca, xc + rcb + h * rsb, yc + rsb - h * rcb,
             xc + rcb, yc + rsb);
}

static void
arc_span(PdfPaint *p, double xc, double yc, double r, double lo, double hi, gboolean forward)
{
    if (hi - lo > 2 * G_PI * 65536) { /* cairo's cap on full turns */
        hi = fmod(hi - lo, 2 * G_PI);
        lo = fmod(lo, 2 * G_PI);
        hi += lo + 2 * G_PI * 65536;
    }
    if (hi - lo > G_PI) { /* halves, each at most a half turn */
        double mid = lo + (hi - lo) / 2.0;
        if (forward) {
            arc_span(p, xc, yc, r, lo, mid, forward);
            arc_span(p, xc, yc, r, mid, hi, forward);
        } else {
            arc_span(p, xc, yc, r, mid, hi, forward);
            arc_span(p, xc, yc, r, lo, mid, forward);
        }
        return;
    }
    if (hi == lo) {
        pdf_paint_line_to(p, xc + r * cos(lo), yc + r * sin(lo));
        return;
    }
    int segments =
        (int)ceil(fabs(hi - lo) / arc_max_angle(ARC_TOLERANCE / major_axis(&state(p)->ctm, r)));
    double step = (hi - lo) / segments, from = lo, to = hi;
    if (!forward) {
        from = hi;
        to = lo;
        step = -step;
    }
    pdf_paint_line_to(p, xc + r * cos(from), yc + r * sin(from));
    for (int i = 0; i < segments - 1; i++, from += step)
        arc_segment(p, xc, yc, r, from, from + step);
    arc_segment(p, xc, yc, r, from, to);
}

static void
arc(PdfPaint *p, double xc, double yc, double r, double a1, double a2, gboolean forward)
{
    if (r <= 0.0) {
        Pt c = to_device(p, xc, yc);
        path_line_to(&p->path, c);
        path_line_to(&p->path, c);
        return;
    }
    pdf_paint_line_to(p, xc + r * cos(a1), yc + r * sin(a1));
    if (forward)
        arc_span(p, xc, yc, r, a1, a2, TRUE);
    else
        arc_span(p, xc, yc, r, a2, a1, FALSE);
}

void
pdf_paint_arc(PdfPaint *p, double xc, double yc, double r, double a1, double a2)
{
    if (a2 < a1) { /* a2 brought within one turn after a1 */
        a2 = fmod(a2 - a1, 2 * G_PI);
        if (a2 < 0)
            a2 += 2 * G_PI;
        a2 += a1;
    }
    arc(p, xc, yc, r, a1, a2, TRUE);
}

void
pdf_paint_arc_negative(PdfPaint *p, double xc, double yc, double r, double a1, double a2)
{
    if (a2 > a1) {
        a2 = fmod(a2 - a1, 2 * G_PI);
        if (a2 > 0)
            a2 -= 2 * G_PI;
        a2 += a1;
    }
    arc(p, xc, yc, r, a1, a2, FALSE);
}

void
pdf_paint_path_extents(PdfPaint *p, double *x0, double *y0, double *x1, double *y1)
{
    double px1 = 0, py1 = 0, px2 = 0, py2 = 0;
    if (p->path.has_extents) {
        px1 = fixed_to_double(p->path.extents.p1.x);
        py1 = fixed_to_double(p->path.extents.p1.y);
        px2 = fixed_to_double(p->path.extents.p2.x);
        py2 = fixed_to_double(p->path.extents.p2.y);
        const cairo_matrix_t *m = &state(p)->ctm_inverse;
        gboolean identity =
            m->xx == 1 && m->yx == 0 && m->xy == 0 && m->yy == 1 && m->x0 == 0 && m->y0 == 0;
        if (!identity && m->xy == 0 && m->yx == 0) {
            /* scale and translation: the two corners, in the order cairo computes */
            if (m->xx != 1) {
                double a = px1 * m->xx, b = px2 * m->xx;
                px1 = MIN(a, b);
                px2 = a < b ? b : a;
            }
            if (m->x0 != 0) {
                px1 += m->x0;
                px2 += m->x0;
            }
            if (m->yy != 1) {
                double a = py1 * m->yy, b = py2 * m->yy;
                py1 = MIN(a, b);
                py2 = a < b ? b : a;
            }
            if (m->y0 != 0) {
                py1 += m->y0;
                py2 += m->y0;
            }
        } else if (!identity) {
            double qx[4] = {px1, px2, px1, px2}, qy[4] = {py1, py1, py2, py2};
            for (int i = 0; i < 4; i++)
                cairo_matrix_transform_point(m, &qx[i], &qy[i]);
            px1 = px2 = qx[0];
            py1 = py2 = qy[0];
            for (int i = 1; i < 4; i++) {
                if (qx[i] < px1)
                    px1 = qx[i];
                if (qx[i] > px2)
                    px2 = qx[i];
                if (qy[i] < py1)
                    py1 = qy[i];
                if (qy[i] > py2)
                    py2 = qy[i];
            }
        }
    }
    if (x0)
        *x0 = px1;
    if (y0)
        *y0 = py1;
    if (x1)
        *x1 = px2;
    if (y1)
        *y1 = py2;
}

/* ---- painting --------------------------------------------------------------------------- */

/* cairo writes the clip as `Q q` (back to the page's unclipped state, forgetting the colour
 * and line style), the box, then each path of the chain, oldest first. */
static void
write_clip_path(PdfPaint *p, const Path *path)
{
    Box box;
    Fixed w = fixed_from_double(p->page_w), h = fixed_from_double(p->page_h);
    if (path_is_box(path, &box) && box.p1.x <= 0 && box.p1.y <= 0 && box.p2.x >= w && box.p2.y >= h)
        return; /* the whole page */
    if (!path->has_cur) {
        g_string_append(p->out, "0 0 m ");
    } else {
        cairo_matrix_t identity;
        cairo_matrix_init_identity(&identity);
        write_path(p->out, path, &identity, TRUE);
    }
    g_string_append(p->out, "W n\n");
}

static void
write_clip_chain(PdfPaint *p, const ClipPath *c, const ClipPath *end)
{
    if (c->prev != end)
        write_clip_chain(p, c->prev, end);
    write_clip_path(p, &c->path);
}

static void
forget(PdfPaint *p)
{
    p->colour_known = FALSE;
    p->style_known = FALSE;
}

static void
write_clip(PdfPaint *p, const Clip *c)
{
    if (clip_equal(c, &p->written))
        return;
    /* only paths added to the clip written: those alone */
    if (p->written.on && c->on && p->written.boxed == c->boxed &&
        (!c->boxed || memcmp(&c->box, &p->written.box, sizeof c->box) == 0)) {
        const ClipPath *cp = c->path;
        while (cp != NULL && cp != p->written.path)
            cp = cp->prev;
        if (cp != NULL) {
            if (c->path != p->written.path)
                write_clip_chain(p, c->path, p->written.path);
            clip_drop(&p->written);
            p->written = clip_copy(c);
            return;
        }
    }
    clip_drop(&p->written);
    p->written = clip_copy(c);
    g_string_append(p->out, "Q q\n");
    forget(p);
    if (!c->on)
        return;
    if (c->boxed) {
        Path box;
        path_init(&box);
        path_reset(&box);
        path_move_to(&box, c->box.p1);
        path_line_to(&box, (Pt){c->box.p2.x, c->box.p1.y});
        path_line_to(&box, c->box.p2);
        path_line_to(&box, (Pt){c->box.p1.x, c->box.p2.y});
        path_close(&box);
        write_clip_path(p, &box);
        path_clear(&box);
    }
    if (c->path != NULL)
        write_clip_chain(p, c->path, NULL);
}

/* The clip as cairo reduces it for an operation whose extents (in the page's space, whole
 * points) are `mask`: cut to the operation's extents within the page and the clip, or off
 * when it holds the operation's extents within the page alone (*r: cairo asks that of the
 * clip without the clip's own extents, so an integer box a fill crosses is still written).
 * FALSE when cairo would draw nothing (outside the page or the clip). */
static gboolean
reduce_clip(const PdfPaint *p, const Clip *clip, const IRect *mask, Clip *reduced, IRect *r)
{
    memset(reduced, 0, sizeof *reduced);
    if (clip->all_clipped)
        return FALSE;
    *r = p->page;
    if (!rect_intersect(r, mask))
        return FALSE;
    IRect bounded = *r;
    if (clip->on && !rect_intersect(&bounded, &clip->extents))
        return FALSE;
    if (!clip->on)
        return TRUE;
    if (clip_contains(clip, &bounded)) {
        clip_intersect_rect(reduced, &bounded);
    } else {
        *reduced = clip_copy(clip);
        clip_intersect_rect(reduced, &bounded);
        if (reduced->all_clipped) {
            clip_drop(reduced);
            return FALSE;
        }
    }
    if (clip_contains(reduced, r))
        clip_drop(reduced); /* holds the operation: as no clip */
    return TRUE;
}

/* Before an operation under `clip`: the clip reduced for it and written if the clip in
 * force does not already do. FALSE when cairo would draw nothing. */
static gboolean
prepare_clip(PdfPaint *p, const Clip *clip, const IRect *mask)
{
    Clip reduced;
    IRect r;
    if (!reduce_clip(p, clip, mask, &reduced, &r))
        return FALSE;
    if (reduced.on || (p->written.on && !clip_contains(&p->written, &r))) {
        will_write(p);
        write_clip(p, &reduced);
    }
    clip_drop(&reduced);
    return TRUE;
}

/* A colour component (n / 255) as pdf_num writes it: 256 strings, made once. */
static const char *
component(guint n)
{
    static char *table[256];
    static gsize done;
    if (g_once_init_enter(&done)) {
        for (guint i = 0; i < 256; i++) {
            GString *t = g_string_new(NULL);
            pdf_num(t, i / 255.0);
            table[i] = g_string_free(t, FALSE); /* kept for the process */
        }
        g_once_init_leave(&done, 1);
    }
    return table[n & 0xFF];
}

static void
write_colour(PdfPaint *p, guint32 rgb, gboolean stroke)
{
    double r = ((rgb >> 16) & 0xFF) / 255.0, g = ((rgb >> 8) & 0xFF) / 255.0,
           b = (rgb & 0xFF) / 255.0;
    gboolean known = p->colour_known;
    if (!known || p->red != r || p->green != g || p->blue != b || p->colour_is_stroke != stroke) {
        will_write(p);
        g_string_append_printf(p->out, "%s %s %s %s ", component(rgb >> 16), component(rgb >> 8),
                               component(rgb), stroke ? "RG" : "rg");
        p->red = r;
        p->green = g;
        p->blue = b;
        p->colour_is_stroke = stroke;
    }
    if (!known)
        g_string_append(p->out, "/" PDF_PAINT_ALPHA " gs\n");
    p->colour_known = TRUE;
}

/* The pending fill written on its own. */
static void
flush_fill(PdfPaint *p)
{
    if (!p->pending)
        return;
    p->pending = FALSE;
    IRect mask = fill_extents(&p->pending_path);
    if (prepare_clip(p, &p->pending_clip, &mask)) {
        will_write(p);
        write_colour(p, p->pending_rgb, FALSE);
        cairo_matrix_t identity;
        cairo_matrix_init_identity(&identity);
        write_path(p->out, &p->pending_path, &identity, TRUE);
        g_string_append(p->out, "f\n");
    }
    clip_drop(&p->pending_clip);
    clip_drop(&p->pending_recorded);
}

void
pdf_paint_flush(PdfPaint *p)
{
    flush_fill(p);
}

void
pdf_paint_fill(PdfPaint *p, guint32 rgb, gboolean preserve)
{
    IRect mask = fill_extents(&p->path), r;
    Clip recorded;
    Box box;
    if (!p->path.fill_empty && path_is_box(&p->path, &box) && box.p1.x <= p->page.x * 256 &&
        box.p1.y <= p->page.y * 256 && box.p2.x >= (p->page.x + p->page.w) * 256 &&
        box.p2.y >= (p->page.y + p->page.h) * 256) {
        /* a box over the whole page: cairo paints the page instead */
        flush_fill(p);
        if (prepare_clip(p, &state(p)->clip, &p->page)) {
            will_write(p);
            write_colour(p, rgb, FALSE);
            g_string_append_printf(p->out, "%d %d %d %d re f\n", p->page.x, p->page.y, p->page.w,
                                   p->page.h);
        }
    } else if (!p->path.fill_empty && mask.w > 0 &&
               reduce_clip(p, &state(p)->clip, &mask, &recorded, &r)) {
        flush_fill(p);
        p->pending = TRUE;
        p->pending_rgb = rgb;
        path_clear(&p->pending_path);
        path_copy(&p->pending_path, &p->path);
        p->pending_clip = clip_copy(&state(p)->clip);
        p->pending_recorded = recorded;
    }
    if (!preserve)
        path_reset(&p->path);
}

/* The stroke's extents as cairo first reckons them: the path's, widened by half the width
 * (more for miter joins on slanted segments), at least 2/256. */
static IRect
stroke_extents_approx(const PdfPaint *p, double width, cairo_line_join_t join)
{
    IRect r = {0, 0, 0, 0};
    if (!p->path.has_extents)
        return r;
    double grow = 0.5;
    if (join == CAIRO_LINE_JOIN_MITER && !p->path.stroke_rectilinear && grow < G_SQRT2 * 10)
        grow = G_SQRT2 * 10;
    grow *= width;
    const cairo_matrix_t *m = &state(p)->ctm;
    double dx = grow, dy = grow, least = 2 / 256.0;
    if (!unity_scale(m)) {
        dx = grow * hypot(m->xx, m->xy);
        dy = grow * hypot(m->yy, m->yx);
    }
    dx = MAX(dx, least);
    dy = MAX(dy, least);
    Box b = p->path.extents;
    b.p1.x -= fixed_from_double(dx);
    b.p1.y -= fixed_from_double(dy);
    b.p2.x += fixed_from_double(dx);
    b.p2.y += fixed_from_double(dy);
    return box_round_out(&b);
}

/* cairo then narrows that to the extents of the stroke's outline, its polygon made of the
 * fixed-point path with the pen (a line thinner than one device unit widened to one). That
 * is cairo's own stroker: asked here through cairo_stroke_extents on a scratch context with
 * the same CTM, the path given back in user space (the points come back to the same 1/256:
 * the round trip errs by far less than half of one). */
/* Whether a segment of the path has some length (a curve always has: one that did not
 * move became a line). */
static gboolean
has_length(const Path *path)
{
    const Pt *pt = (const Pt *)path->pts->data;
    Pt at = {0, 0};
    for (guint i = 0; i < path->ops->len; i++) {
        switch (g_array_index(path->ops, guint8, i)) {
        case OP_MOVE:
            at = *pt++;
            break;
        case OP_LINE:
            if (pt->x != at.x || pt->y != at.y)
                return TRUE;
            pt++;
            break;
        case OP_CURVE:
            return TRUE;
        }
    }
    return FALSE;
}

static void
user_point(const cairo_matrix_t *inverse, const Pt *pt, double *q)
{
    q[0] = fixed_to_double(pt->x);
    q[1] = fixed_to_double(pt->y);
    cairo_matrix_transform_point(inverse, &q[0], &q[1]);
}

static IRect
stroke_extents(PdfPaint *p, double width, cairo_line_join_t join)
{
    IRect approx = stroke_extents_approx(p, width, join);
    if (approx.w == 0)
        return approx;
    /* with no clip set or written and the stroke within the page, only an empty outline
     * would change what is written: a path with a segment of some length has none */
    if (!state(p)->clip.on && !p->written.on && rect_contains(&p->page, &approx) &&
        has_length(&p->path))
        return approx;
    if (p->scratch == NULL) {
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
        p->scratch = cairo_create(s);
        cairo_surface_destroy(s);
    }
    cairo_t *cr = p->scratch;
    const cairo_matrix_t *inv = &state(p)->ctm_inverse;
    cairo_set_matrix(cr, &state(p)->ctm);
    cairo_new_path(cr);
    const Pt *pt = (const Pt *)p->path.pts->data;
    double q[6];
    for (guint i = 0; i < p->path.ops->len; i++) {
        switch (g_array_index(p->path.ops, guint8, i)) {
        case OP_MOVE:
            user_point(inv, pt++, q);
            cairo_move_to(cr, q[0], q[1]);
            break;
        case OP_LINE:
            user_point(inv, pt++, q);
            cairo_line_to(cr, q[0], q[1]);
            break;
        case OP_CURVE:
            user_point(inv, pt++, q);
            user_point(inv, pt++, q + 2);
            user_point(inv, pt++, q + 4);
            cairo_curve_to(cr, q[0], q[1], q[2], q[3], q[4], q[5]);
            break;
        case OP_CLOSE:
            cairo_close_path(cr);
            break;
        }
    }
    cairo_set_line_width(cr, MAX(width, major_axis(inv, 1.0)));
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, join);
    cairo_set_miter_limit(cr, 10);
    double x1, y1, x2, y2;
    cairo_stroke_extents(cr, &x1, &y1, &x2, &y2);
    cairo_new_path(cr);
    if (x1 == 0 && y1 == 0 && x2 == 0 && y2 == 0)
        return (IRect){0, 0, 0, 0}; /* no outline at all */
    /* back to device space: cairo's fixed-point box itself under a translation, a scale or
     * quarter turns (to well within 1/512); its bounding box under other turns */
    double cx[4] = {x1, x2, x1, x2}, cy[4] = {y1, y1, y2, y2};
    for (int k = 0; k < 4; k++)
        cairo_matrix_transform_point(&state(p)->ctm, &cx[k], &cy[k]);
    Box b = {{fixed_from_double(cx[0]), fixed_from_double(cy[0])},
             {fixed_from_double(cx[0]), fixed_from_double(cy[0])}};
    for (int k = 1; k < 4; k++)
        box_add(&b, (Pt){fixed_from_double(cx[k]), fixed_from_double(cy[k])});
    IRect exact = box_round_out(&b);
    /* the operation's extents are those of the first reckoning cut to the outline's */
    if (!rect_intersect(&exact, &approx))
        return (IRect){0, 0, 0, 0};
    return exact;
}

static void
write_style(PdfPaint *p, double width, cairo_line_join_t join)
{
    gboolean known = p->style_known;
    if (!known || p->line_width != width) {
        pdf_num(p->out, width);
        g_string_append(p->out, " w\n");
        p->line_width = width;
    }
    if (!known)
        g_string_append(p->out, "0 J\n");
    if (!known || p->join != join) {
        g_string_append_printf(p->out, "%d j\n",
                               join == CAIRO_LINE_JOIN_ROUND   ? 1
                               : join == CAIRO_LINE_JOIN_BEVEL ? 2
                                                               : 0);
        p->join = join;
    }
    if (!known)
        g_string_append(p->out, "[] 0.0 d\n10 M ");
    p->style_known = TRUE;
}

/* A matrix as cairo prints one: entries below 1e-12 of the largest linear one as 0. */
static void
write_matrix(GString *s, const cairo_matrix_t *m)
{
    double v[6] = {m->xx, m->yx, m->xy, m->yy, m->x0, m->y0};
    double big = MAX(MAX(fabs(m->xx), fabs(m->xy)), MAX(fabs(m->yx), fabs(m->yy)));
    for (int i = 0; i < 6; i++) {
        if (fabs(v[i]) < big * 1e-12)
            v[i] = 0;
        if (i > 0)
            g_string_append_c(s, ' ');
        pdf_num(s, v[i]);
    }
}

/* The stroke (`fill_rgb` G_MAXUINT32) or the pending fill and the stroke together: the
 * clip, the colours, the line style, and the path, in the CTM's pen space unless the CTM is
 * a translation (or a flip). */
static void
write_stroke(PdfPaint *p, guint32 fill_rgb, guint32 rgb, double width, cairo_line_join_t join,
             const IRect *mask)
{
    if (!prepare_clip(p, &state(p)->clip, mask))
        return;
    will_write(p);
    if (fill_rgb != G_MAXUINT32)
        write_colour(p, fill_rgb, FALSE);
    write_colour(p, rgb, TRUE);
    const cairo_matrix_t *ctm = &state(p)->ctm;
    gboolean plain = fabs(ctm->xx) == 1.0 && fabs(ctm->yy) == 1.0 && ctm->xy == 0 && ctm->yx == 0;
    cairo_matrix_t m, to_user;
    double scale = 1.0;
    if (!plain) {
        /* the CTM's linear part scaled to at most 1 so that the path, written in that
         * space, keeps its digits; the width scaled back */
        m = *ctm;
        m.x0 = m.y0 = 0;
        scale = MAX(MAX(fabs(m.xx), fabs(m.xy)), MAX(fabs(m.yx), fabs(m.yy)));
        cairo_matrix_scale(&m, 1.0 / scale, 1.0 / scale);
        to_user = m;
        if (cairo_matrix_invert(&to_user) != CAIRO_STATUS_SUCCESS)
            return;
    } else {
        cairo_matrix_init_identity(&to_user);
    }
    write_style(p, width * scale, join);
    if (!plain) {
        g_string_append(p->out, "q ");
        write_matrix(p->out, &m);
        g_string_append(p->out, " cm\n");
    }
    write_path(p->out, &p->path, &to_user, FALSE);
    g_string_append(p->out, fill_rgb != G_MAXUINT32 ? "B" : "S");
    g_string_append(p->out, plain ? "\n" : " Q\n");
}

void
pdf_paint_stroke(PdfPaint *p, guint32 rgb, double width, cairo_line_join_t join, gboolean preserve)
{
    IRect approx = stroke_extents_approx(p, width, join), r;
    Clip recorded;
    /* cairo records nothing for a stroke of no width, or outside the page or clip */
    if (width > 0 && approx.w > 0 && reduce_clip(p, &state(p)->clip, &approx, &recorded, &r)) {
        IRect mask = stroke_extents(p, width, join);
        if (p->pending && path_equal(&p->pending_path, &p->path) &&
            clip_equal(&p->pending_recorded, &recorded)) {
            p->pending = FALSE;
            clip_drop(&p->pending_clip);
            clip_drop(&p->pending_recorded);
            write_stroke(p, p->pending_rgb, rgb, width, join, &mask);
        } else {
            flush_fill(p);
            write_stroke(p, G_MAXUINT32, rgb, width, join, &mask);
        }
        clip_drop(&recorded);
    }
    if (!preserve)
        path_reset(&p->path);
}

void
pdf_paint_clip(PdfPaint *p, gboolean preserve)
{
    clip_intersect_path(&state(p)->clip, &p->path);
    if (!preserve)
        path_reset(&p->path);
}

void
pdf_paint_prepare_fill(PdfPaint *p, guint32 rgb)
{
    IRect mask = p->page;
    flush_fill(p);
    if (prepare_clip(p, &state(p)->clip, &mask))
        write_colour(p, rgb, FALSE);
}

/* ---- copies of the path ----------------------------------------------------------------- */

struct PdfPaintPath {
    Path path;
};

PdfPaintPath *
pdf_paint_copy_path(PdfPaint *p)
{
    PdfPaintPath *copy = g_new(PdfPaintPath, 1);
    path_copy(&copy->path, &p->path);
    return copy;
}

/* cairo goes through user space and back; under the same CTM the points come back as they
 * were, so the ops are added again in device space, with the same simplifications. */
void
pdf_paint_append_path(PdfPaint *p, const PdfPaintPath *copy)
{
    const Path *from = &copy->path;
    const Pt *pt = (const Pt *)from->pts->data;
    for (guint i = 0; i < from->ops->len; i++) {
        switch (g_array_index(from->ops, guint8, i)) {
        case OP_MOVE:
            path_move_to(&p->path, *pt++);
            break;
        case OP_LINE:
            path_line_to(&p->path, *pt++);
            break;
        case OP_CURVE:
            path_curve_to(&p->path, pt[0], pt[1], pt[2]);
            pt += 3;
            break;
        case OP_CLOSE:
            path_close(&p->path);
            break;
        }
    }
    if (from->needs_move && from->has_cur) /* the move after a close */
        path_move_to(&p->path, from->cur);
}

void
pdf_paint_path_free(PdfPaintPath *copy)
{
    if (copy == NULL)
        return;
    path_clear(&copy->path);
    g_free(copy);
}
