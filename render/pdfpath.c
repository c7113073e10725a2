/* gongwen: the pieces under the PDF painter (see pdfpath-imp.h): numbers printed as cairo
 * 1.16 prints them, its 24.8 fixed point and boxes, the path kept as cairo keeps it, a path
 * written as cairo writes it, and the clip as cairo keeps it. */
#include "pdfpath-imp.h"

#include <math.h>
#include <string.h>

/* ---- numbers ---------------------------------------------------------------------------- */

/* Trim trailing zeros after the decimal point, and the point itself when nothing follows. */
static void
append_trimmed(GString *s, char *buf)
{
    char *dot = strchr(buf, '.');
    if (dot != NULL) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    g_string_append(s, buf);
}

void
pdf_num(GString *s, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
    if (v == 0.0) {
        g_string_append_c(s, '0'); /* no "-0" */
        return;
    }
    if (fabs(v) >= 0.1 && fabs(v) < 1e9) {
        /* "%f" without printf, where the millionths round the same way: the product's
         * error (under 1e-7) is far from a half */
        double r = fabs(v) * 1e6, frac = r - floor(r);
        if (fabs(frac - 0.5) > 1e-4) {
            guint64 n = (guint64)llround(r), whole = n / 1000000, part = n % 1000000;
            char b[48];
            int i = (int)sizeof b;
            int digits = 6;
            while (digits > 0 && part % 10 == 0) {
                part /= 10;
                digits--;
            }
            for (int k = 0; k < digits; k++) {
                b[--i] = (char)('0' + part % 10);
                part /= 10;
            }
            if (digits > 0)
                b[--i] = '.';
            do {
                b[--i] = (char)('0' + whole % 10);
                whole /= 10;
            } while (whole > 0);
            if (v < 0)
                b[--i] = '-';
            g_string_append_len(s, b + i, (gssize)sizeof b - i);
            return;
        }
    }
    if (fabs(v) >= 0.1) {
        g_ascii_formatd(buf, sizeof buf, "%f", v);
    } else {
        /* below 0.1, six significant digits after the leading zeros, up to 18 decimals */
        g_ascii_formatd(buf, sizeof buf, "%.18f", v);
        const char *q = buf + (buf[0] == '-');
        while (g_ascii_isdigit(*q))
            q++;
        if (*q == '.')
            q++;
        int zeros = 0;
        while (*q++ == '0')
            zeros++;
        int digits = zeros + 6;
        if (digits < 18) {
            char fmt[16];
            g_snprintf(fmt, sizeof fmt, "%%.%df", digits);
            g_ascii_formatd(buf, sizeof buf, fmt, v);
        }
    }
    append_trimmed(s, buf);
}

/* A multiple of 1/256 (every path coordinate in the page's space) in cairo's "%g" without
 * printf: thousandths rounded as printf rounds the exact value (halves to even). */
static gboolean
num3_fixed(GString *s, double v)
{
    double f = v * 256;
    if (!(fabs(f) < 1e15) || f != floor(f))
        return FALSE;
    gint64 n = (gint64)f;
    guint64 t = (guint64)(n < 0 ? -n : n) * 125, whole = t / 32, rem = t % 32;
    if (rem > 16 || (rem == 16 && (whole & 1)))
        whole++;
    if (whole == 0) {
        g_string_append_c(s, '0');
        return TRUE;
    }
    if (n < 0)
        g_string_append_c(s, '-');
    g_string_append_printf(s, "%" G_GUINT64_FORMAT, whole / 1000);
    unsigned int frac = (unsigned int)(whole % 1000);
    if (frac != 0) {
        char d[5] = {'.', (char)('0' + frac / 100), (char)('0' + frac / 10 % 10),
                     (char)('0' + frac % 10), '\0'};
        for (int k = 3; d[k] == '0'; k--)
            d[k] = '\0';
        g_string_append(s, d);
    }
    return TRUE;
}

void
pdf_num3(GString *s, double v)
{
    if (num3_fixed(s, v))
        return;
    char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
    if (v == 0.0)
        v = 0.0;
    g_ascii_formatd(buf, sizeof buf, "%.3f", v);
    append_trimmed(s, buf); /* a tiny negative number stays "-0", as in cairo */
}

/* ---- fixed point ------------------------------------------------------------------------ */

/* Round to the nearest 1/256 as the FPU rounds (ties to even), wrapping as cairo does: the
 * double's low word after adding 1.5 * 2^44 holds the value in 24.8. */
Fixed
fixed_from_double(double d)
{
    union {
        double d;
        guint64 u;
    } v;
    v.d = d + 26388279066624.0;
    return (Fixed)(guint32)(v.u & 0xFFFFFFFFu);
}

double
fixed_to_double(Fixed f)
{
    return f / 256.0;
}

static int
fixed_floor(Fixed f)
{
    return f >> 8;
}

static int
fixed_ceil(Fixed f)
{
    return f > 0 ? ((f - 1) >> 8) + 1 : -((-f) >> 8);
}

IRect
box_round_out(const Box *b)
{
    IRect r = {fixed_floor(b->p1.x), fixed_floor(b->p1.y), 0, 0};
    r.w = fixed_ceil(b->p2.x) - r.x;
    r.h = fixed_ceil(b->p2.y) - r.y;
    return r;
}

static Box
box_from_rect(const IRect *r)
{
    Box b = {{r->x * 256, r->y * 256}, {(r->x + r->w) * 256, (r->y + r->h) * 256}};
    return b;
}

/* Intersect a with b; FALSE (and a emptied) when nothing is left. */
gboolean
rect_intersect(IRect *a, const IRect *b)
{
    int x1 = MAX(a->x, b->x), y1 = MAX(a->y, b->y);
    int x2 = MIN(a->x + a->w, b->x + b->w), y2 = MIN(a->y + a->h, b->y + b->h);
    if (x1 >= x2 || y1 >= y2) {
        a->x = a->y = a->w = a->h = 0;
        return FALSE;
    }
    *a = (IRect){x1, y1, x2 - x1, y2 - y1};
    return TRUE;
}

gboolean
rect_contains(const IRect *a, const IRect *b)
{
    return a->x <= b->x && a->y <= b->y && a->x + a->w >= b->x + b->w && a->y + a->h >= b->y + b->h;
}

void
box_add(Box *b, Pt p)
{
    if (p.x < b->p1.x)
        b->p1.x = p.x;
    else if (p.x > b->p2.x)
        b->p2.x = p.x;
    if (p.y < b->p1.y)
        b->p1.y = p.y;
    else if (p.y > b->p2.y)
        b->p2.y = p.y;
}

static gboolean
box_has(const Box *b, Pt p)
{
    return b->p1.x <= p.x && p.x <= b->p2.x && b->p1.y <= p.y && p.y <= b->p2.y;
}

/* The Bézier's extreme points (where a coordinate's derivative is zero inside the segment)
 * added to the box, as cairo bounds a curve. */
static void
bound_extremes(double a, double b, double c, double *t, int *n)
{
    if (a == 0) {
        if (b != 0) {
            double t0 = -c / (2 * b);
            if (0 < t0 && t0 < 1)
                t[(*n)++] = t0;
        }
        return;
    }
    double b2 = b * b, delta = b2 - a * c;
    if (delta > 0) {
        double ab2 = 2 * a * b;
        gboolean maybe;
        if (ab2 >= 0)
            maybe = delta > b2 && delta < a * a + b2 + ab2;
        else if (-b / a >= 1)
            maybe = delta < b2 && delta > a * a + b2 + ab2;
        else
            maybe = delta < b2 || delta < a * a + b2 + ab2;
        if (maybe) {
            double sq = sqrt(delta), t0 = (-b - sq) / a, t1 = (-b + sq) / a;
            if (0 < t0 && t0 < 1)
                t[(*n)++] = t0;
            if (0 < t1 && t1 < 1)
                t[(*n)++] = t1;
        }
    } else if (delta == 0) {
        double t0 = -b / a;
        if (0 < t0 && t0 < 1)
            t[(*n)++] = t0;
    }
}

static void
box_add_curve(Box *box, Pt a, Pt b, Pt c, Pt d)
{
    box_add(box, d);
    if (box_has(box, b) && box_has(box, c))
        return;
    double x0 = fixed_to_double(a.x), y0 = fixed_to_double(a.y);
    double x1 = fixed_to_double(b.x), y1 = fixed_to_double(b.y);
    double x2 = fixed_to_double(c.x), y2 = fixed_to_double(c.y);
    double x3 = fixed_to_double(d.x), y3 = fixed_to_double(d.y);
    double t[4];
    int n = 0;
    bound_extremes(-x0 + 3 * x1 - 3 * x2 + x3, x0 - 2 * x1 + x2, -x0 + x1, t, &n);
    bound_extremes(-y0 + 3 * y1 - 3 * y2 + y3, y0 - 2 * y1 + y2, -y0 + y1, t, &n);
    box_add(box, a);
    for (int i = 0; i < n; i++) {
        double s = t[i], u = 1 - s;
        double s2 = s * s, u2 = u * u;
        double k3 = s2 * s, k2 = s2 * u * 3, k1 = s * u2 * 3, k0 = u * u2;
        double x = x0 * k0 + x1 * k1 + x2 * k2 + x3 * k3;
        double y = y0 * k0 + y1 * k1 + y2 * k2 + y3 * k3;
        box_add(box, (Pt){fixed_from_double(x), fixed_from_double(y)});
    }
    box_add(box, d);
}

/* ---- the path --------------------------------------------------------------------------- */

void
path_init(Path *path)
{
    path->ops = g_array_new(FALSE, FALSE, sizeof(guint8));
    path->pts = g_array_new(FALSE, FALSE, sizeof(Pt));
}

void
path_reset(Path *path)
{
    g_array_set_size(path->ops, 0);
    g_array_set_size(path->pts, 0);
    path->cur = path->last_move = (Pt){0, 0};
    path->has_cur = FALSE;
    path->needs_move = TRUE;
    path->has_extents = FALSE;
    path->stroke_rectilinear = path->fill_rectilinear = path->fill_empty = TRUE;
    path->has_curve = FALSE;
    path->extents = (Box){{0, 0}, {0, 0}};
}

void
path_clear(Path *path)
{
    g_array_free(path->ops, TRUE);
    g_array_free(path->pts, TRUE);
}

void
path_copy(Path *dst, const Path *src)
{
    *dst = *src;
    dst->ops = g_array_copy(src->ops);
    dst->pts = g_array_copy(src->pts);
}

static int
path_last_op(const Path *path)
{
    return path->ops->len ? g_array_index(path->ops, guint8, path->ops->len - 1) : -1;
}

static Pt
path_pt(const Path *path, guint i)
{
    return g_array_index(path->pts, Pt, i);
}

static void
path_push(Path *path, guint8 op, const Pt *pts, guint n)
{
    g_array_append_val(path->ops, op);
    g_array_append_vals(path->pts, pts, n);
}

static void
path_drop_line(Path *path)
{
    g_array_set_size(path->ops, path->ops->len - 1);
    g_array_set_size(path->pts, path->pts->len - 1);
}

void
path_new_sub_path(Path *path)
{
    if (!path->needs_move) {
        if (path->fill_rectilinear) /* a fill closes the subpath */
            path->fill_rectilinear =
                path->cur.x == path->last_move.x || path->cur.y == path->last_move.y;
        path->needs_move = TRUE;
    }
    path->has_cur = FALSE;
}

void
path_move_to(Path *path, Pt p)
{
    path_new_sub_path(path);
    path->has_cur = TRUE;
    path->cur = path->last_move = p;
}

/* The pending move is written when a segment follows it. */
static void
path_apply_move(Path *path)
{
    if (!path->needs_move)
        return;
    path->needs_move = FALSE;
    if (path->has_extents) {
        box_add(&path->extents, path->cur);
    } else {
        path->extents = (Box){path->cur, path->cur};
        path->has_extents = TRUE;
    }
    path->last_move = path->cur;
    path_push(path, OP_MOVE, &path->cur, 1);
}

void
path_line_to(Path *path, Pt p)
{
    if (!path->has_cur) {
        path_move_to(path, p);
        return;
    }
    path_apply_move(path);
    /* a degenerate segment is kept only right after the move (a dot for round caps) */
    if (path_last_op(path) != OP_MOVE && p.x == path->cur.x && p.y == path->cur.y)
        return;
    if (path_last_op(path) == OP_LINE) {
        Pt q = path_pt(path, path->pts->len - 2);
        if (q.x == path->cur.x && q.y == path->cur.y) {
            path_drop_line(path); /* the previous segment was degenerate */
        } else {
            gint64 dx1 = path->cur.x - q.x, dy1 = path->cur.y - q.y;
            gint64 dx2 = p.x - path->cur.x, dy2 = p.y - path->cur.y;
            /* the same direction (not reversed): extend the previous segment */
            if (dy1 * dx2 == dy2 * dx1 && dx1 * dx2 + dy1 * dy2 >= 0)
                path_drop_line(path);
        }
    }
    if (path->stroke_rectilinear) {
        path->stroke_rectilinear = path->cur.x == p.x || path->cur.y == p.y;
        path->fill_rectilinear &= path->stroke_rectilinear;
        if (path->fill_empty)
            path->fill_empty = path->cur.x == p.x && path->cur.y == p.y;
    }
    path->cur = p;
    box_add(&path->extents, p);
    path_push(path, OP_LINE, &p, 1);
}

void
path_curve_to(Path *path, Pt a, Pt b, Pt c)
{
    if (path->cur.x == c.x && path->cur.y == c.y && a.x == c.x && b.x == c.x && a.y == c.y &&
        b.y == c.y) {
        path_line_to(path, c);
        return;
    }
    if (!path->has_cur)
        path_move_to(path, a);
    path_apply_move(path);
    if (path_last_op(path) == OP_LINE) {
        Pt q = path_pt(path, path->pts->len - 2);
        if (q.x == path->cur.x && q.y == path->cur.y)
            path_drop_line(path);
    }
    box_add_curve(&path->extents, path->cur, a, b, c);
    path->cur = c;
    path->has_curve = TRUE;
    path->stroke_rectilinear = path->fill_rectilinear = path->fill_empty = FALSE;
    Pt three[3] = {a, b, c};
    path_push(path, OP_CURVE, three, 3);
}

void
path_close(Path *path)
{
    if (!path->has_cur)
        return;
    /* the closing segment decides the flags; a straight one is then left to `h` */
    path_line_to(path, path->last_move);
    if (path_last_op(path) == OP_LINE)
        path_drop_line(path);
    path->needs_move = TRUE;
    path_push(path, OP_CLOSE, NULL, 0);
}

/* A path cairo takes for an axis-aligned box: move, three lines, then optionally a line
 * back to the start or a close, then optionally a close or a move. */
gboolean
path_is_box(const Path *path, Box *box)
{
    if (!path->fill_rectilinear)
        return FALSE;
    guint n = path->ops->len;
    const guint8 *op = (const guint8 *)path->ops->data;
    if (n < 4 || n > 6 || op[0] != OP_MOVE || op[1] != OP_LINE || op[2] != OP_LINE ||
        op[3] != OP_LINE)
        return FALSE;
    const Pt *p = (const Pt *)path->pts->data;
    if (n > 4) {
        if (op[4] == OP_LINE) {
            if (p[4].x != p[0].x || p[4].y != p[0].y)
                return FALSE;
        } else if (op[4] != OP_CLOSE) {
            return FALSE;
        }
        if (n == 6 && op[5] != OP_MOVE && op[5] != OP_CLOSE)
            return FALSE;
    }
    if (!((p[0].y == p[1].y && p[1].x == p[2].x && p[2].y == p[3].y && p[3].x == p[0].x) ||
          (p[0].x == p[1].x && p[1].y == p[2].y && p[2].x == p[3].x && p[3].y == p[0].y)))
        return FALSE;
    box->p1.x = MIN(p[0].x, p[2].x);
    box->p2.x = MAX(p[0].x, p[2].x);
    box->p1.y = MIN(p[0].y, p[2].y);
    box->p2.y = MAX(p[0].y, p[2].y);
    return TRUE;
}

/* A box that cairo writes as `re`: a box path closed by its fifth op. */
static gboolean
path_is_rectangle(const Path *path, Box *box)
{
    return path_is_box(path, box) && path->ops->len > 4;
}

gboolean
path_equal(const Path *a, const Path *b)
{
    return a->has_curve == b->has_curve &&
           memcmp(&a->extents, &b->extents, sizeof a->extents) == 0 && a->ops->len == b->ops->len &&
           a->pts->len == b->pts->len && memcmp(a->ops->data, b->ops->data, a->ops->len) == 0 &&
           memcmp(a->pts->data, b->pts->data, a->pts->len * sizeof(Pt)) == 0;
}

/* ---- writing a path --------------------------------------------------------------------- */

/* cairo passes a path through a word-wrapping stream: a new line before a delimiter that
 * reaches column 72, and words never broken. The text is all words and blanks here. */
static void
append_wrapped(GString *out, const GString *text)
{
    int column = 0;
    gboolean in_word = FALSE;
    for (gsize i = 0; i < text->len; i++) {
        char c = text->str[i];
        gboolean space = c == ' ' || (c >= '\t' && c <= '\r');
        if (in_word && !space) {
            g_string_append_c(out, c);
            column++;
            continue;
        }
        in_word = FALSE;
        column++;
        if (c == '\n' || column >= 72) {
            g_string_append_c(out, '\n');
            column = 0;
        }
        if (!space)
            in_word = TRUE;
        if (c != '\n')
            g_string_append_c(out, c);
    }
}

static void
append_point(GString *s, const cairo_matrix_t *m, Pt p)
{
    double x = fixed_to_double(p.x), y = fixed_to_double(p.y);
    cairo_matrix_transform_point(m, &x, &y);
    pdf_num3(s, x);
    g_string_append_c(s, ' ');
    pdf_num3(s, y);
    g_string_append_c(s, ' ');
}

/* The path in device space through `m`. For a stroke with butt caps (`keep_degenerate`
 * FALSE) a subpath of one degenerate segment is left out: PDF would paint it, cairo not. */
void
write_path(GString *out, const Path *path, const cairo_matrix_t *m, gboolean keep_degenerate)
{
    GString *s = g_string_new(NULL);
    Box box;
    if (path_is_rectangle(path, &box) &&
        ((m->xx == 0 && m->yy == 0) || (m->xy == 0 && m->yx == 0))) {
        double x1 = fixed_to_double(box.p1.x), y1 = fixed_to_double(box.p1.y);
        double x2 = fixed_to_double(box.p2.x), y2 = fixed_to_double(box.p2.y);
        cairo_matrix_transform_point(m, &x1, &y1);
        cairo_matrix_transform_point(m, &x2, &y2);
        pdf_num3(s, x1);
        g_string_append_c(s, ' ');
        pdf_num3(s, y1);
        g_string_append_c(s, ' ');
        pdf_num3(s, x2 - x1);
        g_string_append_c(s, ' ');
        pdf_num3(s, y2 - y1);
        g_string_append(s, " re ");
    } else {
        const Pt *p = (const Pt *)path->pts->data;
        Pt move = {0, 0};
        gboolean drawn = FALSE; /* the subpath has a segment written */
        for (guint i = 0; i < path->ops->len; i++) {
            switch (g_array_index(path->ops, guint8, i)) {
            case OP_MOVE:
                move = *p;
                drawn = FALSE;
                append_point(s, m, *p++);
                g_string_append(s, "m ");
                break;
            case OP_LINE:
                if (!keep_degenerate && !drawn && p->x == move.x && p->y == move.y) {
                    p++;
                    break;
                }
                drawn = TRUE;
                append_point(s, m, *p++);
                g_string_append(s, "l ");
                break;
            case OP_CURVE:
                drawn = TRUE;
                append_point(s, m, p[0]);
                append_point(s, m, p[1]);
                append_point(s, m, p[2]);
                p += 3;
                g_string_append(s, "c ");
                break;
            case OP_CLOSE:
                if (keep_degenerate || drawn)
                    g_string_append(s, "h\n");
                break;
            }
        }
        /* a closed path ends at its start: cairo writes that point as a move */
        if (path->needs_move && path->has_cur) {
            append_point(s, m, path->cur);
            g_string_append(s, "m ");
        }
    }
    append_wrapped(out, s);
    g_string_free(s, TRUE);
}

/* ---- the clip --------------------------------------------------------------------------- */

static ClipPath *
clip_path_ref(ClipPath *c)
{
    if (c != NULL)
        c->refs++;
    return c;
}

static void
clip_path_unref(ClipPath *c)
{
    while (c != NULL && --c->refs == 0) {
        ClipPath *prev = c->prev;
        path_clear(&c->path);
        g_free(c);
        c = prev;
    }
}

Clip
clip_copy(const Clip *c)
{
    Clip r = *c;
    clip_path_ref(r.path);
    return r;
}

void
clip_drop(Clip *c)
{
    clip_path_unref(c->path);
    memset(c, 0, sizeof *c);
}

static void
clip_set_all_clipped(Clip *c)
{
    clip_drop(c);
    c->on = TRUE;
    c->all_clipped = TRUE;
}

static void
clip_intersect_rect_box(Clip *c, const IRect *r, const Box *box)
{
    if (!c->on) {
        memset(c, 0, sizeof *c);
        c->on = TRUE;
    }
    if (!c->boxed) {
        c->boxed = TRUE;
        c->box = *box;
        if (c->path == NULL)
            c->extents = *r;
        else if (!rect_intersect(&c->extents, r))
            clip_set_all_clipped(c);
        return;
    }
    Box *b = &c->box;
    if (b->p1.x >= box->p1.x && b->p1.y >= box->p1.y && b->p2.x <= box->p2.x &&
        b->p2.y <= box->p2.y)
        return; /* the new box holds the clip */
    gboolean changed = FALSE;
    if (box->p1.x > b->p1.x)
        b->p1.x = box->p1.x, changed = TRUE;
    if (box->p2.x < b->p2.x)
        b->p2.x = box->p2.x, changed = TRUE;
    if (box->p1.y > b->p1.y)
        b->p1.y = box->p1.y, changed = TRUE;
    if (box->p2.y < b->p2.y)
        b->p2.y = box->p2.y, changed = TRUE;
    if (!(b->p2.x > b->p1.x && b->p2.y > b->p1.y)) {
        clip_set_all_clipped(c);
        return;
    }
    if (!changed)
        return;
    IRect e = box_round_out(b);
    if (c->path == NULL)
        c->extents = e;
    else if (!rect_intersect(&c->extents, &e))
        clip_set_all_clipped(c);
}

void
clip_intersect_rect(Clip *c, const IRect *r)
{
    if (c->all_clipped)
        return;
    if (r->w == 0 || r->h == 0) {
        clip_set_all_clipped(c);
        return;
    }
    Box box = box_from_rect(r);
    clip_intersect_rect_box(c, r, &box);
}

/* A path's extents rounded out to whole points, empty when it encloses no area. */
IRect
fill_extents(const Path *path)
{
    IRect r = {0, 0, 0, 0};
    if (path->extents.p1.x < path->extents.p2.x && path->extents.p1.y < path->extents.p2.y)
        r = box_round_out(&path->extents);
    return r;
}

void
clip_intersect_path(Clip *c, const Path *path)
{
    if (c->all_clipped)
        return;
    if (path->fill_empty) {
        clip_set_all_clipped(c);
        return;
    }
    Box box;
    if (path_is_box(path, &box)) {
        IRect r = box_round_out(&box);
        if (r.w == 0 || r.h == 0)
            clip_set_all_clipped(c);
        else
            clip_intersect_rect_box(c, &r, &box);
        return;
    }
    /* a rectilinear path that is not one box: cairo makes boxes of it, which this model
     * does not (gongwen clips to no such path); it is kept as a path */
    IRect e = fill_extents(path);
    if (e.w == 0 || e.h == 0) {
        clip_set_all_clipped(c);
        return;
    }
    clip_intersect_rect(c, &e);
    if (c->all_clipped)
        return;
    ClipPath *cp = g_new0(ClipPath, 1);
    cp->refs = 1;
    path_copy(&cp->path, path);
    cp->prev = c->path;
    c->path = cp;
}

/* Whether the clip holds all of r. */
gboolean
clip_contains(const Clip *c, const IRect *r)
{
    if (!c->on)
        return TRUE;
    if (c->all_clipped || c->path != NULL || !rect_contains(&c->extents, r))
        return FALSE;
    if (!c->boxed)
        return TRUE;
    Box b = box_from_rect(r);
    return b.p1.x >= c->box.p1.x && b.p1.y >= c->box.p1.y && b.p2.x <= c->box.p2.x &&
           b.p2.y <= c->box.p2.y;
}

gboolean
clip_equal(const Clip *a, const Clip *b)
{
    if (!a->on && !b->on)
        return TRUE;
    if (!a->on || !b->on || a->all_clipped || b->all_clipped || a->boxed != b->boxed)
        return FALSE;
    if (a->boxed && memcmp(&a->box, &b->box, sizeof a->box) != 0)
        return FALSE;
    const ClipPath *x = a->path, *y = b->path;
    while (x != NULL && y != NULL) {
        if (x == y)
            return TRUE;
        if (x->path.ops->len != y->path.ops->len || x->path.pts->len != y->path.pts->len ||
            memcmp(x->path.ops->data, y->path.ops->data, x->path.ops->len) != 0 ||
            memcmp(x->path.pts->data, y->path.pts->data, x->path.pts->len * sizeof(Pt)) != 0)
            return FALSE;
        x = x->prev;
        y = y->prev;
    }
    return x == NULL && y == NULL;
}
