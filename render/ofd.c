/* gongwen: the OFD (GB/T 33190-2016): the same pages as the PDF, as a ZIP of XML parts with
 * the font subsets embedded. Text objects carry their characters and every character's
 * position (DeltaX, in micrometre-rounded millimetres without accumulated error), turned
 * text a CTM, condensed text HScale, faux bold a stroke; rules, table lines and every chart
 * shape (wedges and dots as Béziers, hatching cut to its shape) are path objects;
 * images are the files as given. The outline is the PDF's. */
#include "render.h"

#include "diag.h"
#include "figure.h"
#include "gongwen-config.h"
#include "subset.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <zlib.h>

#define NS "xmlns:ofd=\"http://www.ofdspec.org/2016\""

typedef struct {
    hb_face_t *face;   /* referenced */
    guint id;
    char *name;        /* the family */
    char *ps_name;     /* the face's PostScript name (the name table's), or NULL */
    int weight;        /* 100 … 900 */
    gboolean italic;
    hb_set_t *unicodes; /* the characters written: the subset keeps their glyphs */
    char *key;         /* "file#index" (subset.h), or NULL */
    hb_blob_t *subset; /* made at the end, in a thread */
} OfdFont;

typedef struct {
    AtomicFile own;
    AtomicFile *out;
    guint next_id;
    GHashTable *fonts; /* hb_face_t* -> OfdFont* */
    GPtrArray *font_list;
    GPtrArray *page_xml; /* GString* */
    GArray *page_ids;    /* guint */
    GHashTable *images;  /* FigureImage* -> its MultiMedia ID */
    GPtrArray *image_list; /* OfdImage* */
    int width, height;   /* the first page's */
    size_t first;        /* the first page's index in the document */
    GArray *ids_out;     /* BackendParams.page_ids (borrowed), or NULL */
} OfdOut;

typedef struct {
    guint id;
    GBytes *data; /* referenced */
    gboolean jpeg;
} OfdImage;

/* Pango units -> micrometres */
static gint64
um(double pango)
{
    return llround(pango / PANGO_SCALE * 25400.0 / 72.0);
}

static void
put_mm(GString *s, gint64 v)
{
    if (v < 0) {
        g_string_append_c(s, '-');
        v = -v;
    }
    g_string_append_printf(s, "%" G_GINT64_FORMAT, v / 1000);
    if (v % 1000 != 0) {
        char frac[8];
        g_snprintf(frac, sizeof frac, "%03d", (int)(v % 1000));
        for (int i = 2; i > 0 && frac[i] == '0'; i--)
            frac[i] = '\0';
        g_string_append_printf(s, ".%s", frac);
    }
}

static void
put_box(GString *s, gint64 x, gint64 y, gint64 w, gint64 h)
{
    put_mm(s, x);
    g_string_append_c(s, ' ');
    put_mm(s, y);
    g_string_append_c(s, ' ');
    put_mm(s, w);
    g_string_append_c(s, ' ');
    put_mm(s, h);
}

/* A CT_Color: RGB, and Alpha when not opaque. */
static void
put_colour(GString *s, const char *element, guint32 rgb, int alpha)
{
    g_string_append_printf(s, "<ofd:%s Value=\"%u %u %u\"", element, (rgb >> 16) & 0xFF,
                           (rgb >> 8) & 0xFF, rgb & 0xFF);
    if (alpha != 255)
        g_string_append_printf(s, " Alpha=\"%d\"", alpha);
    g_string_append(s, "/>");
}

static OfdFont *
ofd_font(OfdOut *s, PangoFont *font)
{
    hb_face_t *face = hb_font_get_face(pango_font_get_hb_font(font));
    OfdFont *f = g_hash_table_lookup(s->fonts, face);
    if (f != NULL)
        return f;
    f = g_new0(OfdFont, 1);
    f->face = hb_face_reference(face);
    f->id = s->next_id++;
    PangoFontDescription *d = pango_font_describe(font);
    f->name = g_strdup(pango_font_description_get_family(d));
    f->weight = CLAMP((pango_font_description_get_weight(d) + 50) / 100 * 100, 100, 900);
    f->italic = pango_font_description_get_style(d) != PANGO_STYLE_NORMAL;
    pango_font_description_free(d);
    char ps[256];
    unsigned int len = sizeof ps;
    if (hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len,
                            ps) > 0 && ps[0] != '\0')
        f->ps_name = g_strdup(ps);
    f->key = font_face_key(font);
    f->unicodes = hb_set_create();
    g_hash_table_insert(s->fonts, face, f);
    g_ptr_array_add(s->font_list, f);
    return f;
}

/* The matrix of `turns` quarter turns counter-clockwise on the page (y down), as cairo's
 * rotation by -turns * 90°: (u, v) -> (a u + c v, b u + d v). */
static void
quarter_turn(int turns, int m[4])
{
    static const int ms[4][4] = {{1, 0, 0, 1}, {0, -1, 1, 0}, {-1, 0, 0, -1}, {0, 1, -1, 0}};
    memcpy(m, ms[((turns % 4) + 4) % 4], sizeof ms[0]);
}

/* A run's characters as a TextCode holds them. */
typedef struct {
    GArray *xs, *ys;  /* gint64: each character's origin in micrometres on the page (before
                         any turn), its baseline with the glyph's y_offset */
    GPtrArray *chars; /* each character, escaped for XML (owned) */
    guint first, end; /* [first, end): the characters written, white space at either end
                         left out: readers that trim a TextCode's text would move every
                         character after it (the spaces of a page number's “— 2 —”) */
    int advance;      /* the run's advance, Pango units */
} RunChars;

/* Every character of the item's run with its place (a cluster's characters at its first
 * glyph's); the font's subset gains the run's characters. */
static void
run_chars(OfdFont *f, const PageItem *item, double scale, RunChars *rc)
{
    const PangoGlyphItem *gi = item->run;
    rc->xs = g_array_new(FALSE, FALSE, sizeof(gint64));
    rc->ys = g_array_new(FALSE, FALSE, sizeof(gint64));
    rc->chars = g_ptr_array_new_with_free_func(g_free);
    GArray *blank = g_array_new(FALSE, FALSE, sizeof(gboolean));
    int pos = 0;
    PangoGlyphItemIter it;
    for (gboolean more = pango_glyph_item_iter_init_start(&it, (PangoGlyphItem *)gi, item->text);
         more; more = pango_glyph_item_iter_next_cluster(&it)) {
        int gx = pos, gy = 0;
        if (it.start_glyph < it.end_glyph) {
            gx += gi->glyphs->glyphs[it.start_glyph].geometry.x_offset;
            gy = gi->glyphs->glyphs[it.start_glyph].geometry.y_offset;
        }
        for (int g = it.start_glyph; g < it.end_glyph; g++)
            pos += gi->glyphs->glyphs[g].geometry.width;
        for (const char *p = item->text + it.start_index; p < item->text + it.end_index;
             p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            hb_set_add(f->unicodes, c);
            gint64 cx = um(item->x + gx * scale), cy = um(item->y + gy);
            g_array_append_val(rc->xs, cx);
            g_array_append_val(rc->ys, cy);
            g_ptr_array_add(rc->chars, g_markup_escape_text(p, g_utf8_next_char(p) - p));
            gboolean space = g_unichar_isspace(c);
            g_array_append_val(blank, space);
        }
    }
    rc->advance = pos;
    rc->first = 0, rc->end = rc->xs->len;
    while (rc->first < rc->end && g_array_index(blank, gboolean, rc->first))
        rc->first++;
    while (rc->end > rc->first && g_array_index(blank, gboolean, rc->end - 1))
        rc->end--;
    g_array_free(blank, TRUE);
}

static void
run_chars_clear(RunChars *rc)
{
    g_array_free(rc->xs, TRUE);
    g_array_free(rc->ys, TRUE);
    g_ptr_array_free(rc->chars, TRUE);
}

/* ` NAME="d1 d2 …"`: the differences between consecutive values of `v` in [first, end);
 * nothing when `always` is FALSE and they are all 0. */
static void
put_deltas(GString *x, const char *name, const GArray *v, guint first, guint end,
           gboolean always)
{
    gboolean any = always;
    for (guint i = first + 1; i < end && !any; i++)
        any = g_array_index(v, gint64, i) != g_array_index(v, gint64, i - 1);
    if (!any || end - first < 2)
        return;
    g_string_append_printf(x, " %s=\"", name);
    for (guint i = first + 1; i < end; i++) {
        if (i > first + 1)
            g_string_append_c(x, ' ');
        put_mm(x, g_array_index(v, gint64, i) - g_array_index(v, gint64, i - 1));
    }
    g_string_append_c(x, '"');
}

/* The box `b` (x, y, w, h) turned by `m` about (ax, ay): the turned box in `b`, and in
 * (*e, *f) where the unturned box's corner goes in it (the CTM's translation). */
static void
turn_box(const int m[4], gint64 ax, gint64 ay, gint64 b[4], gint64 *e, gint64 *f)
{
    gint64 u[2] = {b[0] - ax, b[0] + b[2] - ax}, v[2] = {b[1] - ay, b[1] + b[3] - ay};
    gint64 minx = G_MAXINT64, miny = G_MAXINT64, maxx = G_MININT64, maxy = G_MININT64;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            gint64 px = m[0] * u[i] + m[2] * v[j], py = m[1] * u[i] + m[3] * v[j];
            minx = MIN(minx, px), maxx = MAX(maxx, px);
            miny = MIN(miny, py), maxy = MAX(maxy, py);
        }
    *e = m[0] * u[0] + m[2] * v[0] - minx;
    *f = m[1] * u[0] + m[3] * v[0] - miny;
    b[0] = ax + minx, b[1] = ay + miny, b[2] = maxx - minx, b[3] = maxy - miny;
}

/* A glyph run as a TextObject: one TextCode with its characters, the first one's origin and
 * DeltaX to each next (micrometre-rounded from absolute places, so that no error adds up).
 * A run turned by quarter turns is written unturned in its object's coordinates and turned
 * by the object's CTM; a condensed run carries HScale; a run emboldened (bold asked of a
 * regular face) is stroked as well as filled, 1/30 em wide, as in the PDF; hidden text
 * (clipped to a hairline in the PDF) is transparent. */
static void
ofd_text(OfdOut *s, GString *x, const PageItem *item)
{
    OfdFont *f = ofd_font(s, item->run->item->analysis.font);
    PangoFontDescription *d = pango_font_describe(item->run->item->analysis.font);
    double size = pango_font_description_get_size(d);
    pango_font_description_free(d);
    gint64 size_um = um(size);
    double scale = item->scale_x != 0 ? item->scale_x : 1.0;
    RunChars rc;
    run_chars(f, item, scale, &rc);
    if (rc.first == rc.end) {
        run_chars_clear(&rc);
        return;
    }
    gint64 x0 = g_array_index(rc.xs, gint64, rc.first), base = um(item->y);
    gint64 right = um(item->x + rc.advance * scale);
    gint64 bx = MIN(x0, right) - size_um / 2, by = base - size_um * 3 / 2;
    gint64 box[4] = {bx, by, ABS(right - x0) + size_um * 2, size_um * 2}, e = 0, f_ = 0;
    int m[4];
    quarter_turn(item->quarter_turns, m);
    gboolean turned = item->quarter_turns % 4 != 0;
    if (turned)
        turn_box(m, um(item->x), base, box, &e, &f_);
    g_string_append_printf(x, "<ofd:TextObject ID=\"%u\" Boundary=\"", s->next_id++);
    put_box(x, box[0], box[1], box[2], box[3]);
    g_string_append_c(x, '"');
    if (turned) {
        g_string_append_printf(x, " CTM=\"%d %d %d %d ", m[0], m[1], m[2], m[3]);
        put_mm(x, e);
        g_string_append_c(x, ' ');
        put_mm(x, f_);
        g_string_append_c(x, '"');
    }
    g_string_append_printf(x, " Font=\"%u\" Size=\"", f->id);
    put_mm(x, size_um);
    g_string_append_c(x, '"');
    if (f->weight != 400) /* the face's own weight (a bold face's 700), not faux bold's */
        g_string_append_printf(x, " Weight=\"%d\"", f->weight);
    if (scale != 1.0) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append_printf(x, " HScale=\"%s\"", g_ascii_formatd(buf, sizeof buf, "%.4g",
                                                                   scale));
    }
    if (item->embolden) {
        g_string_append(x, " Stroke=\"true\" LineWidth=\"");
        put_mm(x, MAX(um(size / 30), 1));
        g_string_append(x, "\" Join=\"Round\"");
    }
    if (item->clip_w > 0)
        g_string_append(x, " Alpha=\"0\"");
    g_string_append(x, ">");
    /* hidden text's colour transparent too: some readers (ofd.js) ignore the object's Alpha */
    if (item->color != 0 || item->clip_w > 0)
        put_colour(x, "FillColor", item->color, item->clip_w > 0 ? 0 : 255);
    if (item->embolden)
        put_colour(x, "StrokeColor", item->color, item->clip_w > 0 ? 0 : 255);
    g_string_append(x, "<ofd:TextCode X=\"");
    put_mm(x, x0 - bx);
    g_string_append(x, "\" Y=\"");
    put_mm(x, g_array_index(rc.ys, gint64, rc.first) - by);
    g_string_append_c(x, '"');
    put_deltas(x, "DeltaX", rc.xs, rc.first, rc.end, TRUE);
    put_deltas(x, "DeltaY", rc.ys, rc.first, rc.end, FALSE); /* a glyph off the baseline */
    g_string_append_c(x, '>');
    for (guint i = rc.first; i < rc.end; i++)
        g_string_append(x, g_ptr_array_index(rc.chars, i));
    g_string_append(x, "</ofd:TextCode></ofd:TextObject>\n");
    run_chars_clear(&rc);
}

/* A path object around `data` (in page micrometres, already relative to the box), its
 * lines joined by `join` (NULL: mitred). */
static void
ofd_path(OfdOut *s, GString *x, gint64 bx, gint64 by, gint64 bw, gint64 bh, gint64 line,
         guint32 stroke, guint32 fill, const char *join, const char *data)
{
    g_string_append_printf(x, "<ofd:PathObject ID=\"%u\" Boundary=\"", s->next_id++);
    put_box(x, bx, by, MAX(bw, 1), MAX(bh, 1));
    g_string_append(x, "\"");
    if (stroke != SHAPE_NONE) {
        g_string_append(x, " LineWidth=\"");
        put_mm(x, MAX(line, 1));
        g_string_append(x, "\"");
        if (join != NULL)
            g_string_append_printf(x, " Join=\"%s\"", join);
    } else {
        g_string_append(x, " Stroke=\"false\"");
    }
    if (fill != SHAPE_NONE)
        g_string_append(x, " Fill=\"true\"");
    g_string_append(x, ">");
    if (stroke != SHAPE_NONE)
        put_colour(x, "StrokeColor", stroke, 255);
    if (fill != SHAPE_NONE)
        put_colour(x, "FillColor", fill, 255);
    g_string_append_printf(x, "<ofd:AbbreviatedData>%s</ofd:AbbreviatedData></ofd:PathObject>\n",
                           data);
}

/* Path data (AbbreviatedData) in millimetres from a box's top left (ox, oy), built from
 * points in Pango units on the page. */
typedef struct {
    GString *d;
    double ox, oy; /* Pango units */
} PathData;

static void
path_op(PathData *p, const char *op, int n, const double *xy)
{
    if (p->d->len > 0)
        g_string_append_c(p->d, ' ');
    g_string_append(p->d, op);
    for (int i = 0; i < n; i++) {
        g_string_append_c(p->d, ' ');
        put_mm(p->d, um(xy[2 * i] - p->ox));
        g_string_append_c(p->d, ' ');
        put_mm(p->d, um(xy[2 * i + 1] - p->oy));
    }
}

/* An arc of the circle (cx, cy) r from angle t0 to t1 (radians clockwise from 12 o'clock, y
 * down) as cubic Béziers of at most a quarter turn each, from the arc's start (the current
 * point). */
static void
path_arc(PathData *p, double cx, double cy, double r, double t0, double t1)
{
    int n = MAX(1, (int)ceil(fabs(t1 - t0) / (G_PI / 2) - 1e-9));
    double step = (t1 - t0) / n, k = 4.0 / 3.0 * tan(step / 4);
    for (int i = 0; i < n; i++) {
        double a = t0 + step * i, b = a + step;
        double xy[6] = {cx + r * sin(a) + k * r * cos(a), cy - r * cos(a) + k * r * sin(a),
                        cx + r * sin(b) - k * r * cos(b), cy - r * cos(b) - k * r * sin(b),
                        cx + r * sin(b), cy - r * cos(b)};
        path_op(p, "B", 3, xy);
    }
}

/* A chart shape's outline as path data (rectangles, polylines, polygons, wedges as arcs
 * of Béziers from the centre or between two circles, dots as circles). */
static void
shape_data(PathData *p, const PageItem *item)
{
    const PageShape *sh = item->shape;
    const int *q = sh->points;
    double x = item->x, y = item->y;
    switch (sh->kind) {
    case SHAPE_RECT: {
        double xy[8] = {x + q[0], y + q[1], x + q[0] + q[2], y + q[1],
                        x + q[0] + q[2], y + q[1] + q[3], x + q[0], y + q[1] + q[3]};
        path_op(p, "M", 1, xy);
        for (int i = 1; i < 4; i++)
            path_op(p, "L", 1, xy + 2 * i);
        path_op(p, "C", 0, NULL);
        break;
    }
    case SHAPE_POLYLINE:
    case SHAPE_POLYGON:
        for (size_t i = 0; i + 1 < sh->n_points; i += 2) {
            double xy[2] = {x + q[i], y + q[i + 1]};
            path_op(p, i == 0 ? "M" : "L", 1, xy);
        }
        if (sh->kind == SHAPE_POLYGON)
            path_op(p, "C", 0, NULL);
        break;
    case SHAPE_WEDGE: {
        double cx = x + q[0], cy = y + q[1], r = q[2], ri = q[3];
        double a0 = q[4] / 1000.0 * G_PI / 180, a1 = q[5] / 1000.0 * G_PI / 180;
        double start[2] = {cx + r * sin(a0), cy - r * cos(a0)};
        if (ri > 0) {
            path_op(p, "M", 1, start);
            path_arc(p, cx, cy, r, a0, a1);
            double inner[2] = {cx + ri * sin(a1), cy - ri * cos(a1)};
            path_op(p, "L", 1, inner);
            path_arc(p, cx, cy, ri, a1, a0);
        } else {
            double centre[2] = {cx, cy};
            path_op(p, "M", 1, centre);
            path_op(p, "L", 1, start);
            path_arc(p, cx, cy, r, a0, a1);
        }
        path_op(p, "C", 0, NULL);
        break;
    }
    case SHAPE_DOT: {
        double top[2] = {x + q[0], y + q[1] - q[2]};
        path_op(p, "M", 1, top);
        path_arc(p, x + q[0], y + q[1], q[2], 0, 2 * G_PI);
        path_op(p, "C", 0, NULL);
        break;
    }
    }
}

/* Widen [x0, y0]-[x1, y1] to hold (x, y). */
static void
extent_add(double *e, double x, double y)
{
    e[0] = MIN(e[0], x), e[1] = MIN(e[1], y), e[2] = MAX(e[2], x), e[3] = MAX(e[3], y);
}

/* A shape's extent in Pango units on the page, as tight as cairo's: a wedge's from its
 * corners and the points of its circles at 12, 3, 6 and 9 o'clock within its angles. */
static void
shape_extent(const PageItem *item, double *x0, double *y0, double *x1, double *y1)
{
    const PageShape *sh = item->shape;
    const int *q = sh->points;
    double e[4] = {G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE};
    double x = item->x, y = item->y;
    switch (sh->kind) {
    case SHAPE_RECT:
        extent_add(e, x + q[0], y + q[1]);
        extent_add(e, x + q[0] + q[2], y + q[1] + q[3]);
        break;
    case SHAPE_DOT:
        extent_add(e, x + q[0] - q[2], y + q[1] - q[2]);
        extent_add(e, x + q[0] + q[2], y + q[1] + q[2]);
        break;
    case SHAPE_WEDGE: {
        double cx = x + q[0], cy = y + q[1], a0 = q[4] / 1000.0, a1 = q[5] / 1000.0;
        for (int k = 0; k < 2; k++) {
            double r = k == 0 ? q[2] : q[3];
            if (k == 1 && r <= 0) {
                extent_add(e, cx, cy);
                break;
            }
            extent_add(e, cx + r * sin(a0 * G_PI / 180), cy - r * cos(a0 * G_PI / 180));
            extent_add(e, cx + r * sin(a1 * G_PI / 180), cy - r * cos(a1 * G_PI / 180));
            for (int deg = 0; deg <= 720; deg += 90)
                if (deg > a0 && deg < a1)
                    extent_add(e, cx + r * sin(deg * G_PI / 180), cy - r * cos(deg * G_PI / 180));
        }
        break;
    }
    default:
        for (size_t i = 0; i + 1 < sh->n_points; i += 2)
            extent_add(e, x + q[i], y + q[i + 1]);
    }
    *x0 = e[0], *y0 = e[1], *x1 = e[2], *y1 = e[3];
}

/* Whether (x, y) lies in the wedge `q` (PageShape points) placed at (ox, oy). */
static gboolean
in_wedge(const int *q, double ox, double oy, double x, double y)
{
    double dx = x - (ox + q[0]), dy = y - (oy + q[1]), r = hypot(dx, dy);
    if (r > q[2] || r < q[3])
        return FALSE;
    double a0 = q[4] / 1000.0 * G_PI / 180, a1 = q[5] / 1000.0 * G_PI / 180;
    double at = atan2(dx, -dy); /* clockwise from 12 o'clock */
    if (at < 0)
        at += 2 * G_PI;
    return a1 - a0 >= 2 * G_PI || (at >= a0 && at <= a1) || at + 2 * G_PI <= a1;
}

/* The parts of the line from (px, py) to (qx, qy) inside the item's wedge, as path data:
 * the line cut where it crosses the wedge's circles and edges, each piece kept when its
 * middle lies inside. */
static void
hatch_line_in_wedge(PathData *p, const PageItem *item, double px, double py, double qx,
                    double qy)
{
    const int *q = item->shape->points;
    double cx = item->x + q[0], cy = item->y + q[1], dx = qx - px, dy = qy - py;
    double ts[8] = {0, 1};
    int n = 2;
    for (int k = 0; k < 2; k++) { /* the outer and inner circles */
        double r = q[2 + k], fx = px - cx, fy = py - cy;
        double A = dx * dx + dy * dy, B = 2 * (fx * dx + fy * dy), C = fx * fx + fy * fy - r * r;
        double disc = B * B - 4 * A * C;
        if (r <= 0 || A <= 0 || disc <= 0)
            continue;
        for (int sign = -1; sign <= 1; sign += 2) {
            double t = (-B + sign * sqrt(disc)) / (2 * A);
            if (t > 0 && t < 1)
                ts[n++] = t;
        }
    }
    for (int k = 0; k < 2; k++) { /* the edges: lines from the centre at the two angles */
        double a = q[4 + k] / 1000.0 * G_PI / 180, ux = sin(a), uy = -cos(a);
        double den = dx * uy - dy * ux;
        if (fabs(den) < 1e-12)
            continue;
        double t = ((cx - px) * uy - (cy - py) * ux) / den;
        if (t > 0 && t < 1)
            ts[n++] = t;
    }
    for (int i = 1; i < n; i++) /* sort: at most 8 */
        for (int j = i; j > 0 && ts[j - 1] > ts[j]; j--) {
            double t = ts[j];
            ts[j] = ts[j - 1], ts[j - 1] = t;
        }
    double from = -1;
    for (int i = 0; i + 1 <= n; i++) {
        gboolean inside = i + 1 < n && ts[i + 1] - ts[i] > 1e-9 &&
                          in_wedge(q, item->x, item->y, px + dx * (ts[i] + ts[i + 1]) / 2,
                                   py + dy * (ts[i] + ts[i + 1]) / 2);
        if (inside && from < 0)
            from = ts[i];
        if (!inside && from >= 0 && (i + 1 == n || ts[i + 1] - ts[i] > 1e-9)) {
            double xy[4] = {px + dx * from, py + dy * from, px + dx * ts[i], py + dy * ts[i]};
            path_op(p, "M", 1, xy);
            path_op(p, "L", 1, xy + 2);
            from = -1;
        }
    }
}

/* The PDF's hatching of a filled shape (render/draw.c): 45° lines 0.6 pt wide every 3.5 pt
 * across its extent, light on dark fills, dark on light ones, clipped to the shape: here
 * each line cut to it (a rectangle, a wedge), so that no reader needs to clip. */
static void
ofd_hatch(OfdOut *s, GString *x, const PageItem *item, double x0, double y0, double x1,
          double y1)
{
    guint32 fill = item->shape->fill;
    int grey = (int)(((fill >> 16) & 0xFF) + ((fill >> 8) & 0xFF) + (fill & 0xFF)) / 3;
    double pad = PANGO_SCALE, h = y1 - y0, w = x1 - x0;
    PathData p = {g_string_new(NULL), x0 - pad, y0 - pad};
    for (double d = -h; d < w; d += 3.5 * PANGO_SCALE) {
        double from = MAX(0, -d), to = MIN(h, w - d);
        if (from >= to)
            continue;
        double xy[4] = {x0 + d + from, y1 - from, x0 + d + to, y1 - to};
        if (item->shape->kind == SHAPE_WEDGE) {
            hatch_line_in_wedge(&p, item, xy[0], xy[1], xy[2], xy[3]);
            continue;
        }
        path_op(&p, "M", 1, xy);
        path_op(&p, "L", 1, xy + 2);
    }
    if (p.d->len > 0)
        ofd_path(s, x, um(p.ox), um(p.oy), um(w + 2 * pad), um(h + 2 * pad),
                 um(0.6 * PANGO_SCALE), grey < 128 ? 0xFFFFFF : 0, SHAPE_NONE, NULL, p.d->str);
    g_string_free(p.d, TRUE);
}

static char *
rect_data(gint64 x, gint64 y, gint64 w, gint64 h)
{
    GString *d = g_string_new("M ");
    put_mm(d, x), g_string_append_c(d, ' '), put_mm(d, y);
    g_string_append(d, " L "), put_mm(d, x + w), g_string_append_c(d, ' '), put_mm(d, y);
    g_string_append(d, " L "), put_mm(d, x + w), g_string_append_c(d, ' '), put_mm(d, y + h);
    g_string_append(d, " L "), put_mm(d, x), g_string_append_c(d, ' '), put_mm(d, y + h);
    g_string_append(d, " C");
    return g_string_free(d, FALSE);
}

/* A chart shape: filled (not a polyline) and/or stroked with round joins, as the PDF; a
 * hatched one as the PDF draws it: filled, hatched, then its outline. */
static void
ofd_shape(OfdOut *s, GString *x, const PageItem *item)
{
    const PageShape *sh = item->shape;
    guint32 stroke = sh->stroke != SHAPE_NONE && sh->line > 0 ? sh->stroke : SHAPE_NONE;
    guint32 fill = sh->kind != SHAPE_POLYLINE ? sh->fill : SHAPE_NONE;
    if (stroke == SHAPE_NONE && fill == SHAPE_NONE)
        return;
    if (sh->n_points < (sh->kind == SHAPE_RECT ? 4u : sh->kind == SHAPE_WEDGE ? 6u
                                                     : sh->kind == SHAPE_DOT ? 3u : 2u))
        return;
    double x0, y0, x1, y1;
    shape_extent(item, &x0, &y0, &x1, &y1);
    double pad = (stroke != SHAPE_NONE ? sh->line / 2.0 : 0) + PANGO_SCALE / 4.0;
    gboolean hatched = sh->hatch && fill != SHAPE_NONE;
    PathData p = {g_string_new(NULL), x0 - pad, y0 - pad};
    shape_data(&p, item);
    double ox = um(p.ox), oy = um(p.oy), w = um(x1 - x0 + 2 * pad), h = um(y1 - y0 + 2 * pad);
    if (hatched) {
        ofd_path(s, x, ox, oy, w, h, 0, SHAPE_NONE, fill, "Round", p.d->str);
        ofd_hatch(s, x, item, x0, y0, x1, y1);
        fill = SHAPE_NONE;
    }
    if (stroke != SHAPE_NONE || fill != SHAPE_NONE)
        ofd_path(s, x, ox, oy, w, h, stroke != SHAPE_NONE ? um(sh->line) : 0, stroke, fill,
                 "Round", p.d->str);
    g_string_free(p.d, TRUE);
}

static void *
ofd_begin(const char *path, const BackendParams *params, GError **error)
{
    OfdOut *s = g_new0(OfdOut, 1);
    s->out = params != NULL && params->file != NULL ? params->file : &s->own;
    if (s->out == &s->own && !atomic_open(&s->own, path, error)) {
        g_free(s);
        return NULL;
    }
    s->next_id = 1;
    s->ids_out = params != NULL ? params->page_ids : NULL;
    s->fonts = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->font_list = g_ptr_array_new();
    s->page_xml = g_ptr_array_new();
    s->page_ids = g_array_new(FALSE, FALSE, sizeof(guint));
    s->images = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->image_list = g_ptr_array_new();
    return s;
}

static void
ofd_page(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    OfdOut *s = data;
    if (s->page_xml->len == 0)
        s->width = page->width, s->height = page->height, s->first = page->index;
    guint page_id = s->next_id++;
    g_array_append_val(s->page_ids, page_id);
    if (s->ids_out != NULL)
        g_array_append_val(s->ids_out, page_id);
    GString *x = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page " NS ">");
    g_string_append(x, "<ofd:Area><ofd:PhysicalBox>");
    put_box(x, 0, 0, um(page->width), um(page->height));
    g_string_append_printf(x, "</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID=\"%u\">\n",
                           s->next_id++);
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        switch (item->kind) {
        case PAGE_ITEM_GLYPHS:
            ofd_text(s, x, item);
            break;
        case PAGE_ITEM_FILL: {
            char *d = rect_data(0, 0, um(item->w), um(item->h));
            ofd_path(s, x, um(item->x), um(item->y), um(item->w), um(item->h), 0, SHAPE_NONE,
                     item->color, NULL, d);
            g_free(d);
            break;
        }
        case PAGE_ITEM_RECT: {
            gint64 line = um(item->line), pad = line / 2 + 1;
            char *d = rect_data(pad, pad, um(item->w), um(item->h));
            ofd_path(s, x, um(item->x) - pad, um(item->y) - pad, um(item->w) + 2 * pad,
                     um(item->h) + 2 * pad, line, 0, SHAPE_NONE, NULL, d);
            g_free(d);
            break;
        }
        case PAGE_ITEM_SHAPE:
            ofd_shape(s, x, item);
            break;
        case PAGE_ITEM_IMAGE: {
            /* the file as it was given (a JPEG passed through), drawn in the unit square */
            const FigureImage *image = item->image;
            guint id = GPOINTER_TO_UINT(g_hash_table_lookup(s->images, image));
            if (id == 0) {
                OfdImage *im = g_new0(OfdImage, 1);
                im->id = id = s->next_id++;
                im->data = g_bytes_ref(image->data);
                im->jpeg = image->jpeg;
                g_hash_table_insert(s->images, (gpointer)image, GUINT_TO_POINTER(id));
                g_ptr_array_add(s->image_list, im);
            }
            g_string_append_printf(x, "<ofd:ImageObject ID=\"%u\" Boundary=\"", s->next_id++);
            put_box(x, um(item->x), um(item->y), um(item->w), um(item->h));
            g_string_append(x, "\" CTM=\"");
            put_mm(x, um(item->w));
            g_string_append(x, " 0 0 ");
            put_mm(x, um(item->h));
            g_string_append_printf(x, " 0 0\" ResourceID=\"%u\"/>\n", id);
            break;
        }
        }
    }
    g_string_append(x, "</ofd:Layer></ofd:Content></ofd:Page>\n");
    g_ptr_array_add(s->page_xml, x);
}

/* A ZIP with a fixed date (1980-01-01) so that the bytes depend only on the content: each
 * entry deflated by zlib (level 6, raw, the same bytes for the same input), or stored when
 * deflating would not make it smaller (images, some fonts). */
typedef struct {
    GByteArray *data, *central;
    guint count;
} Zip;

static void
le(GByteArray *a, guint32 v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        guint8 b = (guint8)(v >> (8 * i));
        g_byte_array_append(a, &b, 1);
    }
}

/* `bytes` deflated (raw, no zlib header), or NULL when that is not smaller. */
static GByteArray *
deflated(const void *bytes, gsize len)
{
    z_stream z = {0};
    if (len == 0 || len > G_MAXUINT32 / 2 ||
        deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong bound = deflateBound(&z, (uLong)len);
    GByteArray *out = g_byte_array_sized_new((guint)bound);
    g_byte_array_set_size(out, (guint)bound);
    z.next_in = (Bytef *)bytes;
    z.avail_in = (uInt)len;
    z.next_out = out->data;
    z.avail_out = (uInt)bound;
    int status = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (status != Z_STREAM_END || z.total_out >= len) {
        g_byte_array_free(out, TRUE);
        return NULL;
    }
    g_byte_array_set_size(out, (guint)z.total_out);
    return out;
}

static void
zip_add(Zip *z, const char *name, const void *bytes, gsize len)
{
    guint32 crc = (guint32)crc32(crc32(0L, Z_NULL, 0), bytes, (uInt)len);
    guint32 offset = z->data->len, nlen = (guint32)strlen(name);
    GByteArray *packed = deflated(bytes, len);
    guint32 method = packed != NULL ? 8 : 0, size = packed != NULL ? packed->len : (guint32)len;
    le(z->data, 0x04034b50, 4), le(z->data, 20, 2), le(z->data, 0x0800, 2);
    le(z->data, method, 2), le(z->data, 0, 2), le(z->data, 0x21, 2), le(z->data, crc, 4);
    le(z->data, size, 4), le(z->data, (guint32)len, 4), le(z->data, nlen, 2), le(z->data, 0, 2);
    g_byte_array_append(z->data, (const guint8 *)name, nlen);
    g_byte_array_append(z->data, packed != NULL ? packed->data : bytes, size);
    GByteArray *c = z->central;
    le(c, 0x02014b50, 4), le(c, 20, 2), le(c, 20, 2), le(c, 0x0800, 2), le(c, method, 2);
    le(c, 0, 2), le(c, 0x21, 2), le(c, crc, 4), le(c, size, 4), le(c, (guint32)len, 4);
    le(c, nlen, 2), le(c, 0, 2), le(c, 0, 2), le(c, 0, 2), le(c, 0, 2), le(c, 0, 4);
    le(c, offset, 4);
    g_byte_array_append(c, (const guint8 *)name, nlen);
    z->count++;
    if (packed != NULL)
        g_byte_array_free(packed, TRUE);
}

static void
zip_add_string(Zip *z, const char *name, GString *s)
{
    zip_add(z, name, s->str, s->len);
}

/* The outline as the PDF's: one entry per heading (and issued document) on the pages
 * written, nested by level, the first level open. */
static void
ofd_outline(OfdOut *s, GString *x, const Pages *pages)
{
    int open[8], depth = 0;
    gboolean any = FALSE;
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *o = &g_array_index(pages->outline, PageOutline, k);
        if (o->page < s->first || o->page - s->first >= s->page_ids->len || o->level < 1 ||
            o->level > 5)
            continue;
        if (!any)
            g_string_append(x, "<ofd:Outlines>");
        any = TRUE;
        while (depth > 0 && open[depth - 1] >= o->level) {
            g_string_append(x, "</ofd:OutlineElem>");
            depth--;
        }
        char *esc = g_markup_escape_text(o->text, -1);
        g_string_append_printf(x, "<ofd:OutlineElem Title=\"%s\"%s><ofd:Actions>"
                                  "<ofd:Action Event=\"CLICK\"><ofd:Goto><ofd:Dest Type=\"XYZ\" "
                                  "PageID=\"%u\" Left=\"0\" Top=\"",
                               esc, o->level == 1 ? "" : " Expanded=\"false\"",
                               g_array_index(s->page_ids, guint, o->page - s->first));
        g_free(esc);
        put_mm(x, um(o->y));
        g_string_append(x, "\"/></ofd:Goto></ofd:Action></ofd:Actions>");
        open[depth++] = o->level;
    }
    while (depth-- > 0)
        g_string_append(x, "</ofd:OutlineElem>");
    if (any)
        g_string_append(x, "</ofd:Outlines>");
}

/* A face cut down to the characters written, keeping its cmap for them (subset.h). */
static gpointer
ofd_subset_run(gpointer data)
{
    OfdFont *f = data;
    if (f->key != NULL)
        f->subset = font_subset_text(f->key, f->unicodes);
    return NULL;
}

/* PublicRes.xml: the fonts, each a subset keeping the cmap of every character written
 * (Doc_0/Res/font_ID.otf or .ttf, added to `z`). */
static void
ofd_fonts(OfdOut *s, Zip *z, GString *res)
{
    g_string_append(res, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res " NS
                         " BaseLoc=\"Res\"><ofd:Fonts>");
    /* the subsets, a thread a face */
    GPtrArray *threads = g_ptr_array_new();
    for (guint i = 0; i < s->font_list->len; i++) {
        OfdFont *f = g_ptr_array_index(s->font_list, i);
        g_ptr_array_add(threads, s->font_list->len > 1
                                     ? g_thread_try_new("gongwen-subset", ofd_subset_run, f, NULL)
                                     : NULL);
    }
    for (guint i = 0; i < s->font_list->len; i++) {
        OfdFont *f = g_ptr_array_index(s->font_list, i);
        GThread *t = g_ptr_array_index(threads, i);
        if (t != NULL)
            g_thread_join(t);
        else
            ofd_subset_run(f);
    }
    g_ptr_array_free(threads, TRUE);
    for (guint i = 0; i < s->font_list->len; i++) {
        OfdFont *f = g_ptr_array_index(s->font_list, i);
        hb_face_t *sub = f->subset != NULL ? hb_face_create(f->subset, 0) : NULL;
        /* FontName the face's PostScript name, FamilyName its family: a reader that takes
         * the font from the system finds the face, one that goes by the family (ofd.js) its
         * family */
        char *family = g_markup_escape_text(f->name, -1);
        char *face = g_markup_escape_text(f->ps_name != NULL ? f->ps_name : f->name, -1);
        g_string_append_printf(res, "<ofd:Font ID=\"%u\" FontName=\"%s\" FamilyName=\"%s\"%s%s>",
                               f->id, face, family, f->italic ? " Italic=\"true\"" : "",
                               f->weight >= 600 ? " Bold=\"true\"" : "");
        g_free(family);
        g_free(face);
        if (sub != NULL) {
            hb_blob_t *cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
            gboolean is_cff = hb_blob_get_length(cff) > 0;
            hb_blob_destroy(cff);
            hb_blob_t *blob = hb_face_reference_blob(sub);
            unsigned int len = 0;
            const char *bytes = hb_blob_get_data(blob, &len);
            char *file = g_strdup_printf("font_%u.%s", f->id, is_cff ? "otf" : "ttf");
            char *entry = g_strdup_printf("Doc_0/Res/%s", file);
            zip_add(z, entry, bytes, len);
            g_string_append_printf(res, "<ofd:FontFile>%s</ofd:FontFile>", file);
            g_free(file);
            g_free(entry);
            hb_blob_destroy(blob);
            hb_face_destroy(sub);
        }
        g_string_append(res, "</ofd:Font>");
    }
    g_string_append(res, "</ofd:Fonts></ofd:Res>\n");
}

/* DocumentRes.xml: the images, each file once (Doc_0/Res/image_ID.jpg or .png, added to
 * `z`). */
static void
ofd_media(OfdOut *s, Zip *z, GString *x)
{
    g_string_assign(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res " NS
                       " BaseLoc=\"Res\">");
    if (s->image_list->len > 0)
        g_string_append(x, "<ofd:MultiMedias>");
    for (guint i = 0; i < s->image_list->len; i++) {
        OfdImage *im = g_ptr_array_index(s->image_list, i);
        char *file = g_strdup_printf("image_%u.%s", im->id, im->jpeg ? "jpg" : "png");
        char *entry = g_strdup_printf("Doc_0/Res/%s", file);
        gsize len = 0;
        const void *bytes = g_bytes_get_data(im->data, &len);
        zip_add(z, entry, bytes, len);
        g_string_append_printf(x, "<ofd:MultiMedia ID=\"%u\" Type=\"Image\" Format=\"%s\">"
                                  "<ofd:MediaFile>%s</ofd:MediaFile></ofd:MultiMedia>",
                               im->id, im->jpeg ? "JPEG" : "PNG", file);
        g_free(file);
        g_free(entry);
    }
    if (s->image_list->len > 0)
        g_string_append(x, "</ofd:MultiMedias>");
    g_string_append(x, "</ofd:Res>\n");
}

/* Document.xml: MaxUnitID, the page area, the resources, the pages and the outline. */
static void
ofd_document(OfdOut *s, const Pages *pages, GString *x)
{
    g_string_assign(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document " NS ">");
    g_string_append_printf(x, "<ofd:CommonData><ofd:MaxUnitID>%u</ofd:MaxUnitID>",
                           s->next_id - 1);
    g_string_append(x, "<ofd:PageArea><ofd:PhysicalBox>");
    put_box(x, 0, 0, um(s->width), um(s->height));
    g_string_append(x, "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml"
                       "</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
                       "</ofd:CommonData><ofd:Pages>");
    for (guint i = 0; i < s->page_ids->len; i++)
        g_string_append_printf(x, "<ofd:Page ID=\"%u\" BaseLoc=\"Pages/Page_%u/Content.xml\"/>",
                               g_array_index(s->page_ids, guint, i), i);
    g_string_append(x, "</ofd:Pages>");
    ofd_outline(s, x, pages);
    g_string_append(x, "</ofd:Document>\n");
}

static void
put_element(GString *x, const char *name, const char *text)
{
    if (text == NULL)
        return;
    char *esc = g_markup_escape_text(text, -1);
    g_string_append_printf(x, "<ofd:%s>%s</ofd:%s>", name, esc, name);
    g_free(esc);
}

/* OFD.xml: the DocInfo (DocID `doc_id`, the metadata, the creation date: the 成文日期,
 * else SOURCE_DATE_EPOCH's day in UTC as the PDF's, one Keyword for each comma-separated
 * keyword) and the DocRoot. */
static void
ofd_entry(const Pages *pages, const char *doc_id, GString *x)
{
    g_string_assign(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD " NS
                       " Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo>");
    put_element(x, "DocID", doc_id);
    put_element(x, "Title", pages->meta.title);
    put_element(x, "Author", pages->meta.author);
    put_element(x, "Subject", pages->meta.subject);
    gint64 epoch = -1;
    if (pages->meta.year > 0) {
        g_string_append_printf(x, "<ofd:CreationDate>%04d-%02d-%02d</ofd:CreationDate>",
                               pages->meta.year, pages->meta.month, pages->meta.day);
    } else if (source_date_epoch(&epoch) && epoch >= 0) {
        GDateTime *dt = g_date_time_new_from_unix_utc(epoch);
        if (dt != NULL) {
            char *day = g_date_time_format(dt, "%Y-%m-%d");
            put_element(x, "CreationDate", day);
            g_free(day);
            g_date_time_unref(dt);
        }
    }
    if (pages->meta.keywords != NULL) {
        char **words = g_strsplit(pages->meta.keywords, ",", -1);
        gboolean any = FALSE;
        for (char **w = words; *w != NULL; w++) {
            g_strstrip(*w);
            if (**w == '\0')
                continue;
            if (!any)
                g_string_append(x, "<ofd:Keywords>");
            put_element(x, "Keyword", *w);
            any = TRUE;
        }
        if (any)
            g_string_append(x, "</ofd:Keywords>");
        g_strfreev(words);
    }
    g_string_append(x, "<ofd:Creator>gongwen</ofd:Creator><ofd:CreatorVersion>"
                       GONGWEN_VERSION "</ofd:CreatorVersion></ofd:DocInfo>"
                       "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"
                       "</ofd:OFD>\n");
}

/* The package: the font files and pages, PublicRes, the image files and DocumentRes,
 * Document.xml, then OFD.xml (its DocID the MD5 of all before it), the central directory;
 * written to the output. */
static gboolean
ofd_write(OfdOut *s, const Pages *pages, GError **error)
{
    Zip z = {g_byte_array_new(), g_byte_array_new(), 0};
    GString *x = g_string_new(NULL), *res = g_string_new(NULL);
    ofd_fonts(s, &z, res);
    for (guint i = 0; i < s->page_xml->len; i++) {
        char *entry = g_strdup_printf("Doc_0/Pages/Page_%u/Content.xml", i);
        zip_add_string(&z, entry, g_ptr_array_index(s->page_xml, i));
        g_free(entry);
    }
    zip_add_string(&z, "Doc_0/PublicRes.xml", res);
    ofd_media(s, &z, x);
    zip_add_string(&z, "Doc_0/DocumentRes.xml", x);
    ofd_document(s, pages, x);
    zip_add_string(&z, "Doc_0/Document.xml", x);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_MD5); /* DocID: stable for the same content */
    g_checksum_update(sum, z.data->data, z.data->len);
    ofd_entry(pages, g_checksum_get_string(sum), x);
    g_checksum_free(sum);
    zip_add_string(&z, "OFD.xml", x);
    guint32 central_at = z.data->len;
    g_byte_array_append(z.data, z.central->data, z.central->len);
    le(z.data, 0x06054b50, 4), le(z.data, 0, 2), le(z.data, 0, 2);
    le(z.data, z.count, 2), le(z.data, z.count, 2), le(z.data, z.central->len, 4);
    le(z.data, central_at, 4), le(z.data, 0, 2);
    atomic_write_cb(s->out, z.data->data, z.data->len);
    gboolean ok = !s->out->failed;
    if (!ok)
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){s->out->path, 0, 0},
                       "cannot write the OFD: %s", g_strerror(s->out->write_errno));
    g_byte_array_free(z.data, TRUE);
    g_byte_array_free(z.central, TRUE);
    g_string_free(x, TRUE);
    g_string_free(res, TRUE);
    return ok;
}

static gboolean
ofd_end(void *data, const Pages *pages, GError **error)
{
    OfdOut *s = data;
    gboolean ok = pages != NULL && ofd_write(s, pages, error);
    if (s->out == &s->own) {
        if (ok)
            ok = atomic_commit(&s->own, error);
        else
            atomic_abort(&s->own);
    }
    for (guint i = 0; i < s->font_list->len; i++) {
        OfdFont *f = g_ptr_array_index(s->font_list, i);
        hb_face_destroy(f->face);
        hb_set_destroy(f->unicodes);
        g_free(f->key);
        hb_blob_destroy(f->subset);
        g_free(f->name);
        g_free(f->ps_name);
        g_free(f);
    }
    g_ptr_array_free(s->font_list, TRUE);
    for (guint i = 0; i < s->image_list->len; i++) {
        OfdImage *im = g_ptr_array_index(s->image_list, i);
        g_bytes_unref(im->data);
        g_free(im);
    }
    g_ptr_array_free(s->image_list, TRUE);
    g_hash_table_destroy(s->images);
    g_hash_table_destroy(s->fonts);
    for (guint i = 0; i < s->page_xml->len; i++)
        g_string_free(g_ptr_array_index(s->page_xml, i), TRUE);
    g_ptr_array_free(s->page_xml, TRUE);
    g_array_free(s->page_ids, TRUE);
    g_free(s);
    return ok;
}

const Backend backend_ofd = {"ofd", FALSE, ofd_begin, ofd_page, ofd_end};
