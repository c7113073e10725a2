/* gongwen: chart geometry (see chart.h). */
#include "chart.h"

#include "error.h"
#include "tablefile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PT(x) ((int)((x) * PANGO_SCALE))
#define AXIS_COLOUR 0x000000u
#define GRID_COLOUR 0xBFBFBFu

/* Grey steps that stay apart when printed in black and white (every other one hatched),
 * and a colour palette for palette=color. */
static const guint32 greys[] = {0x3A3A3A, 0xA6A6A6, 0x6E6E6E, 0xD9D9D9, 0x1E1E1E, 0x8C8C8C};
static const guint32 colours[] = {0x2F5597, 0xC55A11, 0x548235, 0xBF9000,
                                  0x7030A0, 0x2E75B6, 0xA5A5A5, 0xC00000};

typedef struct {
    Fonts *fonts;
    const DocChart *chart;
    ChartLayout *out;
    size_t n_cats, n_series;
    double *values; /* n_cats × n_series, row by row */
    DocLoc where;
    GError **error;
    gboolean failed;
    gboolean latin_gap; /* the labels' ParaSpec latin_gap */
} Chart;

double
chart_nice_step(double max, int ticks, double *top)
{
    if (!(max > 0))
        max = 1;
    double raw = max / ticks, mag = pow(10, floor(log10(raw))), step = 10 * mag;
    static const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < G_N_ELEMENTS(steps); i++) {
        if (steps[i] * mag >= raw) {
            step = steps[i] * mag;
            break;
        }
    }
    *top = ceil(max / step - 1e-9) * step;
    return step;
}

void
chart_percentages(const double *values, size_t n, int *percent)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += values[i] > 0 ? values[i] : 0;
    int sum = 0;
    double *rest = g_new0(double, n);
    for (size_t i = 0; i < n; i++) {
        double exact = total > 0 && values[i] > 0 ? values[i] * 100 / total : 0;
        percent[i] = (int)floor(exact);
        rest[i] = exact - percent[i];
        sum += percent[i];
    }
    while (total > 0 && sum < 100) { /* the largest remainders get the missing points */
        size_t best = 0;
        for (size_t i = 1; i < n; i++)
            if (rest[i] > rest[best])
                best = i;
        percent[best]++;
        rest[best] = -1;
        sum++;
    }
    g_free(rest);
}

/* ---- primitives ---- */

static PageShape *
add_shape(Chart *c, ShapeKind kind, size_t n_points, guint32 fill, guint32 stroke, int line)
{
    PageShape *shape = g_new0(PageShape, 1);
    shape->kind = kind;
    shape->points = g_new0(int, n_points);
    shape->n_points = n_points;
    shape->fill = fill;
    shape->stroke = stroke;
    shape->line = line;
    g_ptr_array_add(c->out->shapes, shape);
    return shape;
}

static void
add_rect(Chart *c, int x, int y, int w, int h, guint32 fill, gboolean hatch)
{
    PageShape *s = add_shape(c, SHAPE_RECT, 4, fill, AXIS_COLOUR, PT(0.5));
    s->points[0] = x, s->points[1] = y, s->points[2] = w, s->points[3] = h;
    s->hatch = hatch;
}

static void
add_line(Chart *c, int x0, int y0, int x1, int y1, guint32 colour, int width)
{
    PageShape *s = add_shape(c, SHAPE_POLYLINE, 4, SHAPE_NONE, colour, width);
    s->points[0] = x0, s->points[1] = y0, s->points[2] = x1, s->points[3] = y1;
}

static guint32
series_fill(const Chart *c, size_t i, gboolean *hatch)
{
    if (c->chart->color) {
        *hatch = FALSE;
        return colours[i % G_N_ELEMENTS(colours)];
    }
    *hatch = (i / G_N_ELEMENTS(greys)) % 2 == 1;
    return greys[i % G_N_ELEMENTS(greys)];
}

/* Set `text` in `width` and place it: `align` within [x, x + width], first baseline at y.
 * Returns the height it takes. */
static int
add_label(Chart *c, const char *text, int x, int y_top, int width, ParaAlign align)
{
    if (c->failed || text == NULL || *text == '\0')
        return 0;
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = spec.body_role = FONT_ROLE_CHART;
    spec.size = c->out->size;
    spec.cell = c->out->size;
    spec.latin_gap = c->latin_gap;
    spec.width = MAX(width, c->out->size);
    spec.align = align;
    spec.origin_file = c->where.file;
    spec.origin_line = c->where.line;
    spec.origin_col = c->where.col;
    ParaLines *lines = para_break_lines(c->fonts, &spec, c->error);
    if (lines == NULL) {
        c->failed = TRUE;
        return 0;
    }
    int n = (int)para_lines_count(lines), left = G_MAXINT, right = G_MININT;
    for (int i = 0; i < n; i++) {
        const ParaLine *line = para_lines_get(lines, (size_t)i);
        left = MIN(left, line->x);
        right = MAX(right, line->x + line->width);
    }
    ChartLabel label = {lines, x, y_top + c->out->pitch * 78 / 100,
                        x + left, y_top, right - left, n * c->out->pitch};
    g_array_append_val(c->out->labels, label);
    return label.box_h;
}

static char *
format_value(double v, const char *unit)
{
    return chart_format_value(v, unit);
}

static double
value_at(const Chart *c, size_t cat, size_t series)
{
    return c->values[cat * c->n_series + series];
}

static const char *
category(const Chart *c, size_t i)
{
    return doc_table_cell(c->chart->table, c->chart->table->header_rows + i, 0)->text;
}

static const char *
series_name(const Chart *c, size_t i)
{
    return doc_table_cell(c->chart->table, c->chart->table->header_rows - 1, i + 1)->text;
}

/* ---- axes and legend ---- */

typedef struct {
    int left, top, right, bottom; /* the plot area */
    double top_value;             /* the value at the top of the axis */
    double step;
} Plot;

/* A legend item's width: its box, a gap, its name and the space after it. */
static int
legend_item_width(const Chart *c, size_t i)
{
    return c->out->size * 8 / 10 + c->out->size * ((int)g_utf8_strlen(series_name(c, i), -1) + 2);
}

/* The end of a legend row from item `first`: at most `per` items, as many as fit in `width`
 * (one at least). */
static size_t
legend_row_end(const Chart *c, size_t first, size_t per, int width)
{
    size_t end = first;
    for (int w = 0; end < c->n_series && end - first < per; end++) {
        w += legend_item_width(c, end);
        if (end > first && w > width)
            break;
    }
    return end;
}

/* The legend at the top right, only when there is more than one series: its items in
 * order, right-aligned, spread evenly over as many rows as the width needs. Its height. */
static int
add_legend(Chart *c, int right, int y)
{
    if (c->n_series < 2)
        return 0;
    const int box = c->out->size * 8 / 10;
    size_t rows = 0;
    for (size_t first = 0; first < c->n_series; rows++)
        first = legend_row_end(c, first, c->n_series, right);
    size_t per = (c->n_series + rows - 1) / rows;
    int row = 0;
    for (size_t first = 0, end; first < c->n_series; first = end, row++) {
        end = legend_row_end(c, first, per, right);
        int x = right, top = y + row * c->out->pitch;
        for (size_t i = end; i-- > first;) {
            x = MAX(0, x - legend_item_width(c, i));
            gboolean hatch;
            guint32 fill = series_fill(c, i, &hatch);
            if (c->chart->kind == CHART_LINE)
                add_line(c, x, top + c->out->pitch / 2, x + box, top + c->out->pitch / 2, fill,
                         PT(1.5));
            else
                add_rect(c, x, top + (c->out->pitch - box) / 2, box, box, fill, hatch);
            int w = legend_item_width(c, i) - box - c->out->size;
            add_label(c, series_name(c, i), x + box + c->out->size / 3, top,
                      MIN(w, right - x - box), PARA_ALIGN_LEFT);
        }
    }
    return row * c->out->pitch;
}

/* The value axis at the left: nice ticks from zero, grid lines, the unit above. */
static void
add_value_axis(Chart *c, Plot *p, double max)
{
    p->step = chart_nice_step(max, 5, &p->top_value);
    int ticks = (int)round(p->top_value / p->step);
    for (int i = 0; i <= ticks; i++) {
        int y = p->bottom - (int)((double)(p->bottom - p->top) * i / ticks);
        if (i > 0)
            add_line(c, p->left, y, p->right, y, GRID_COLOUR, PT(0.4));
        char *text = format_value(p->step * i, NULL);
        add_label(c, text, 0, y - c->out->pitch / 2, p->left - c->out->size / 2,
                  PARA_ALIGN_RIGHT);
        g_free(text);
    }
    add_line(c, p->left, p->top, p->left, p->bottom, AXIS_COLOUR, PT(0.75));
    add_line(c, p->left, p->bottom, p->right, p->bottom, AXIS_COLOUR, PT(0.75));
    if (c->chart->unit != NULL) {
        char *unit = g_strdup_printf("单位：%s", c->chart->unit);
        add_label(c, unit, 0, p->top - c->out->pitch * 3 / 2, p->right, PARA_ALIGN_LEFT);
        g_free(unit);
    }
}

static double
max_value(const Chart *c, gboolean stacked)
{
    double max = 0;
    for (size_t i = 0; i < c->n_cats; i++) {
        double sum = 0;
        for (size_t s = 0; s < c->n_series; s++) {
            double v = value_at(c, i, s);
            if (isnan(v))
                continue;
            sum += v;
            max = MAX(max, v);
        }
        if (stacked)
            max = MAX(max, sum);
    }
    return max;
}

/* The tallest category label when every `every`-th is set in a slot of `slot` width. */
static int
category_label_height(Chart *c, int slot, size_t every)
{
    int tallest = c->out->pitch;
    for (size_t i = 0; i < c->n_cats; i += every) {
        size_t before = c->out->labels->len;
        tallest = MAX(tallest, add_label(c, category(c, i), 0, 0, slot, PARA_ALIGN_CENTER));
        g_array_set_size(c->out->labels, before);
    }
    return tallest;
}

/* The natural width of the widest category label, on one line. */
static int
widest_category(Chart *c)
{
    int widest = 0;
    for (size_t i = 0; i < c->n_cats; i++) {
        size_t before = c->out->labels->len;
        add_label(c, category(c, i), 0, 0, c->out->width, PARA_ALIGN_LEFT);
        if (c->out->labels->len > before)
            widest = MAX(widest, g_array_index(c->out->labels, ChartLabel, before).box_w);
        g_array_set_size(c->out->labels, before);
    }
    return widest;
}

static int
y_of(const Plot *p, double v)
{
    return p->bottom - (int)((double)(p->bottom - p->top) * v / p->top_value);
}

/* ---- bar, stacked and line charts ---- */

static void
plot_frame(Chart *c, Plot *p, gboolean stacked)
{
    int w = c->out->width, h = c->out->height;
    int legend = add_legend(c, w, 0);
    double max = max_value(c, stacked);
    double top;
    chart_nice_step(max, 5, &top);
    char *widest = format_value(top, NULL);
    p->left = c->out->size * ((int)strlen(widest) + 2) / 2 + c->out->size;
    g_free(widest);
    p->right = w - c->out->size / 2;
    int slot = (p->right - p->left) / (int)MAX(c->n_cats, 1);
    /* every category labelled when the labels take at most half of the chart's height
     * (three lines at least) under their slots; else every `every`-th, over the slots up to
     * the next */
    size_t every = 1;
    const int most = MAX(3 * c->out->pitch, h / 2);
    int labels = category_label_height(c, slot - c->out->size / 4, 1);
    while (labels > most && every < c->n_cats) {
        every++;
        labels = category_label_height(c, slot * (int)every - c->out->size / 4, every);
    }
    c->out->thinned = c->out->thinned || every > 1;
    p->top = legend + c->out->pitch * 2 + (c->chart->unit != NULL ? c->out->pitch / 2 : 0);
    p->bottom = h - labels - c->out->size / 2;
    add_value_axis(c, p, max);
    int span = slot * (int)every, last_right = G_MININT;
    for (size_t i = 0; i < c->n_cats; i += every) {
        /* centred under its category, kept inside the chart, never over the label before */
        int x = CLAMP(p->left + slot * (int)i + slot / 2 - span / 2, 0, w - span);
        if (x < last_right) {
            c->out->thinned = TRUE;
            continue;
        }
        add_label(c, category(c, i), x + c->out->size / 8, p->bottom + c->out->size / 4,
                  span - c->out->size / 4, PARA_ALIGN_CENTER);
        last_right = x + span;
    }
}

/* Whether values can be printed over each slot of `slot` width (the widest fits beside its
 * neighbours); when not, they are left out and the chart says so. */
static gboolean
values_fit(Chart *c, int slot, gboolean stacked)
{
    char *widest = format_value(max_value(c, stacked), NULL);
    gboolean fit = c->out->size * ((int)strlen(widest) + 1) / 2 <= slot;
    g_free(widest);
    c->out->thinned = c->out->thinned || !fit;
    return fit;
}

static void
layout_bars(Chart *c, gboolean stacked)
{
    Plot p;
    plot_frame(c, &p, stacked);
    int slot = (p.right - p.left) / (int)MAX(c->n_cats, 1);
    int group = slot * 6 / 10, bar = stacked ? group : group / (int)c->n_series;
    gboolean values = values_fit(c, stacked ? slot : MAX(bar, slot / (int)c->n_series), stacked);
    for (size_t i = 0; i < c->n_cats; i++) {
        int x = p.left + slot * (int)i + (slot - group) / 2;
        double base = 0;
        for (size_t s = 0; s < c->n_series; s++) {
            double v = value_at(c, i, s);
            if (isnan(v))
                continue;
            gboolean hatch;
            guint32 fill = series_fill(c, s, &hatch);
            int bx = stacked ? x : x + bar * (int)s;
            int y0 = y_of(&p, base), y1 = y_of(&p, base + v);
            add_rect(c, bx, y1, bar, y0 - y1, fill, hatch);
            char *text = format_value(v, NULL);
            if (!values)
                ;
            else if (!stacked)
                add_label(c, text, bx - c->out->size, y1 - c->out->pitch, bar + 2 * c->out->size,
                          PARA_ALIGN_CENTER);
            else if (y0 - y1 >= c->out->pitch)
                add_label(c, text, bx, (y0 + y1 - c->out->pitch) / 2, bar, PARA_ALIGN_CENTER);
            g_free(text);
            base = stacked ? base + v : base;
        }
        if (stacked && values) {
            char *text = format_value(base, NULL);
            add_label(c, text, x - c->out->size, y_of(&p, base) - c->out->pitch,
                      group + 2 * c->out->size, PARA_ALIGN_CENTER);
            g_free(text);
        }
    }
}

static void
layout_lines(Chart *c)
{
    Plot p;
    plot_frame(c, &p, FALSE);
    int slot = (p.right - p.left) / (int)MAX(c->n_cats, 1);
    gboolean values = values_fit(c, slot, FALSE);
    for (size_t s = 0; s < c->n_series; s++) {
        gboolean hatch;
        guint32 colour = series_fill(c, s, &hatch);
        GArray *pts = g_array_new(FALSE, FALSE, sizeof(int));
        for (size_t i = 0; i < c->n_cats; i++) {
            double v = value_at(c, i, s);
            if (isnan(v))
                continue;
            int x = p.left + slot * (int)i + slot / 2, y = y_of(&p, v);
            g_array_append_val(pts, x);
            g_array_append_val(pts, y);
            PageShape *dot = add_shape(c, SHAPE_DOT, 3, colour, SHAPE_NONE, 0);
            dot->points[0] = x, dot->points[1] = y, dot->points[2] = PT(2.5);
            /* The highest value of a category is labelled above its point, the others below
             * theirs, one under the other, so that close values do not collide. */
            int below = 0;
            for (size_t o = 0; o < c->n_series; o++) {
                double ov = value_at(c, i, o);
                below += o != s && !isnan(ov) && (ov > v || (ov == v && o < s));
            }
            int ty = below == 0 ? y - c->out->pitch - PT(2)
                                : y + PT(3) + (below - 1) * c->out->pitch;
            char *text = format_value(v, NULL);
            if (values)
                add_label(c, text, x - slot / 2, ty, slot, PARA_ALIGN_CENTER);
            g_free(text);
        }
        if (pts->len >= 4) {
            PageShape *line = add_shape(c, SHAPE_POLYLINE, pts->len, SHAPE_NONE, colour,
                                        PT(1.5));
            memcpy(line->points, pts->data, pts->len * sizeof(int));
        }
        g_array_free(pts, TRUE);
    }
}

/* ---- horizontal bars: long Chinese labels at the left ---- */

static void
layout_hbars(Chart *c)
{
    int w = c->out->width, h = c->out->height;
    int legend = add_legend(c, w, 0);
    int label_w = MIN(w * 3 / 10, widest_category(c) + c->out->size);
    Plot p = {label_w + c->out->size / 2, legend + c->out->pitch * 2, w - c->out->size * 3,
              h - c->out->pitch * 3 / 2, 0, 0};
    p.step = chart_nice_step(max_value(c, FALSE), 5, &p.top_value);
    int band = (p.bottom - p.top) / (int)MAX(c->n_cats, 1);
    int bar = band * 6 / 10 / (int)c->n_series;
    /* a label a band when the tallest fits in it, else every `every`-th, centred on its
     * band over the bands to the next; values beside the bars when a line fits a bar */
    int lh = category_label_height(c, label_w, 1);
    size_t every = (size_t)MAX(1, (lh + band - 1) / MAX(band, 1));
    gboolean values = band / (int)c->n_series >= c->out->pitch * 8 / 10;
    c->out->thinned = c->out->thinned || every > 1 || !values;
    int ticks = (int)round(p.top_value / p.step);
    for (int t = 0; t <= ticks; t++) {
        int x = p.left + (int)((double)(p.right - p.left) * t / ticks);
        if (t > 0)
            add_line(c, x, p.top, x, p.bottom, GRID_COLOUR, PT(0.4));
        char *text = format_value(p.step * t, NULL);
        add_label(c, text, x - c->out->size * 2, p.bottom + PT(2), c->out->size * 4,
                  PARA_ALIGN_CENTER);
        g_free(text);
    }
    add_line(c, p.left, p.top, p.left, p.bottom, AXIS_COLOUR, PT(0.75));
    for (size_t i = 0; i < c->n_cats; i++) {
        int y = p.top + band * (int)i;
        if (i % every == 0)
            add_label(c, category(c, i), 0, y + (band - MIN(lh, band * (int)every)) / 2, label_w,
                      PARA_ALIGN_RIGHT);
        int by = y + (band - bar * (int)c->n_series) / 2;
        for (size_t s = 0; s < c->n_series; s++) {
            double v = value_at(c, i, s);
            if (isnan(v))
                continue;
            gboolean hatch;
            guint32 fill = series_fill(c, s, &hatch);
            int len = (int)((double)(p.right - p.left) * v / p.top_value);
            add_rect(c, p.left, by + bar * (int)s, len, bar, fill, hatch);
            char *text = format_value(v, c->chart->unit);
            if (values)
                add_label(c, text, p.left + len + PT(3),
                          by + bar * (int)s + (bar - c->out->pitch) / 2, c->out->size * 6,
                          PARA_ALIGN_LEFT);
            g_free(text);
        }
    }
}

/* ---- pie and donut ---- */

typedef struct {
    int y;    /* the label's top */
    int h;    /* its height */
    int side; /* -1 left, 1 right */
    size_t index;
    double angle; /* radians, clockwise from 12 o'clock */
    double value;
    char *text;
} PieLabel;

static int
compare_pie_labels(const void *a, const void *b)
{
    const PieLabel *x = a, *y = b;
    return x->side != y->side ? x->side - y->side : (x->y > y->y) - (x->y < y->y);
}

static int
compare_pie_values(const void *a, const void *b)
{
    const PieLabel *x = a, *y = b;
    return (x->value < y->value) - (x->value > y->value);
}

/* The labels of one side [first, end) (sorted top to bottom) placed in the chart's height:
 * each as near its wedge as the ones above and below allow, none over another. */
static void
pie_stack(Chart *c, PieLabel *l, size_t first, size_t end)
{
    for (size_t i = first + 1; i < end; i++) /* push down what would overlap the label above */
        l[i].y = MAX(l[i].y, l[i - 1].y + l[i - 1].h);
    if (end > first && l[end - 1].y + l[end - 1].h > c->out->height) {
        l[end - 1].y = c->out->height - l[end - 1].h; /* and up from the foot */
        for (size_t i = end - 1; i-- > first;)
            l[i].y = MIN(l[i].y, l[i + 1].y - l[i].h);
    }
}

/* Labels outside the wedges, each with a leader line, pushed apart on each side so that
 * none overlaps the next. When a side has more labels than its height holds, the smallest
 * wedges go unlabelled (and the chart says so). */
static void
pie_labels(Chart *c, int cx, int cy, int r, const double *values, const int *percent)
{
    PieLabel *labels = g_new0(PieLabel, c->n_cats);
    int text_w = c->out->width - (cx + r + PT(30));
    double total = 0, at = 0;
    for (size_t i = 0; i < c->n_cats; i++)
        total += isnan(values[i]) ? 0 : values[i];
    for (size_t i = 0; i < c->n_cats; i++) {
        double v = isnan(values[i]) ? 0 : values[i];
        double mid = (at + v / 2) / total * 2 * G_PI;
        at += v;
        char *value = format_value(values[i], c->chart->unit);
        PieLabel *l = &labels[i];
        l->text = g_strdup_printf("%s %s（%d%%）", category(c, i), value, percent[i]);
        g_free(value);
        size_t before = c->out->labels->len;
        l->h = MAX(c->out->pitch, add_label(c, l->text, 0, 0, text_w, PARA_ALIGN_LEFT));
        g_array_set_size(c->out->labels, before);
        l->y = cy - (int)(cos(mid) * (r + PT(14))) - l->h / 2;
        l->side = sin(mid) >= 0 ? 1 : -1;
        l->index = i;
        l->angle = mid;
        l->value = v;
    }
    /* the largest wedges first: each keeps its label while its side has room */
    qsort(labels, c->n_cats, sizeof *labels, compare_pie_values);
    int used[2] = {0, 0};
    size_t kept = 0;
    for (size_t i = 0; i < c->n_cats; i++) {
        int *room = &used[labels[i].side > 0];
        if (*room + labels[i].h <= c->out->height) {
            *room += labels[i].h;
            PieLabel keep = labels[i];
            labels[i] = labels[kept];
            labels[kept++] = keep;
        }
    }
    c->out->thinned = c->out->thinned || kept < c->n_cats;
    qsort(labels, kept, sizeof *labels, compare_pie_labels);
    size_t split = 0;
    while (split < kept && labels[split].side < 0)
        split++;
    pie_stack(c, labels, 0, split);
    pie_stack(c, labels, split, kept);
    for (size_t k = 0; k < kept; k++) {
        const PieLabel *l = &labels[k];
        int ex = cx + (int)(sin(l->angle) * r), ey = cy - (int)(cos(l->angle) * r);
        int tx = cx + l->side * (r + PT(24)), ty = l->y + c->out->pitch / 2;
        add_line(c, ex, ey, tx, ty, AXIS_COLOUR, PT(0.5));
        int x = l->side > 0 ? tx + PT(3) : tx - PT(3) - text_w;
        add_label(c, l->text, x, l->y, text_w, l->side > 0 ? PARA_ALIGN_LEFT : PARA_ALIGN_RIGHT);
    }
    for (size_t i = 0; i < c->n_cats; i++)
        g_free(labels[i].text);
    g_free(labels);
}

static void
layout_pie(Chart *c, gboolean donut)
{
    double *values = g_new0(double, c->n_cats);
    double total = 0;
    for (size_t i = 0; i < c->n_cats; i++) {
        values[i] = value_at(c, i, 0);
        total += isnan(values[i]) ? 0 : values[i];
    }
    int *percent = g_new0(int, c->n_cats);
    chart_percentages(values, c->n_cats, percent);
    int r = MIN(c->out->height / 2 - c->out->pitch, c->out->width / 6);
    int cx = c->out->width / 2, cy = c->out->height / 2;
    double at = 0;
    for (size_t i = 0; i < c->n_cats; i++) {
        double v = isnan(values[i]) ? 0 : values[i];
        gboolean hatch;
        guint32 fill = series_fill(c, i, &hatch);
        PageShape *w = add_shape(c, SHAPE_WEDGE, 6, fill, 0xFFFFFF, PT(0.75));
        w->points[0] = cx, w->points[1] = cy, w->points[2] = r;
        w->points[3] = donut ? r * 55 / 100 : 0;
        w->points[4] = (int)(at / total * 360000);
        w->points[5] = (int)((at + v) / total * 360000);
        w->hatch = hatch;
        at += v;
    }
    pie_labels(c, cx, cy, r, values, percent);
    if (donut) {
        char *text = format_value(total, c->chart->unit);
        char *label = g_strdup_printf("合计\n%s", text);
        add_label(c, label, cx - r / 2, cy - c->out->pitch, r, PARA_ALIGN_CENTER);
        g_free(label);
        g_free(text);
    }
    g_free(percent);
    g_free(values);
}

/* ---- public ---- */

int
chart_rows(const DocChart *chart)
{
    switch (chart->kind) {
    case CHART_PIE:
    case CHART_DONUT:
        return 8;
    case CHART_HBAR: {
        int cats = (int)(chart->table->n_rows - chart->table->header_rows);
        return CLAMP(cats * 3 / 2 + 3, 6, 16);
    }
    default:
        return 10;
    }
}

static void
label_clear(gpointer data)
{
    ChartLabel *label = data;
    para_lines_free(label->lines);
}

static void
shape_free(gpointer data)
{
    PageShape *shape = data;
    g_free(shape->points);
    g_free(shape);
}

ChartLayout *
chart_layout(Fonts *fonts, const DocChart *chart, int width, int height, gboolean latin_gap,
             DocLoc where, GError **error)
{
    if (!chart_check_data(chart, error))
        return NULL;
    const DocTable *t = chart->table;
    ChartLayout *out = g_new0(ChartLayout, 1);
    out->width = width;
    out->height = height;
    out->size = PT(10.5); /* 五号 */
    out->pitch = PT(14);
    out->shapes = g_ptr_array_new_with_free_func(shape_free);
    out->labels = g_array_new(FALSE, TRUE, sizeof(ChartLabel));
    g_array_set_clear_func(out->labels, label_clear);
    Chart c = {fonts, chart, out, t->n_rows - t->header_rows, t->n_cols - 1, NULL, where,
               error, FALSE, latin_gap};
    c.values = g_new0(double, c.n_cats * c.n_series);
    for (size_t i = 0; i < c.n_cats; i++)
        for (size_t s = 0; s < c.n_series; s++)
            chart_parse_value(doc_table_cell(t, t->header_rows + i, s + 1)->text,
                        &c.values[i * c.n_series + s]);
    switch (chart->kind) {
    case CHART_BAR:
        layout_bars(&c, FALSE);
        break;
    case CHART_STACKED:
        layout_bars(&c, TRUE);
        break;
    case CHART_HBAR:
        layout_hbars(&c);
        break;
    case CHART_LINE:
        layout_lines(&c);
        break;
    case CHART_PIE:
    case CHART_DONUT:
        layout_pie(&c, chart->kind == CHART_DONUT);
        break;
    }
    g_free(c.values);
    if (c.failed) {
        chart_layout_free(out);
        return NULL;
    }
    return out;
}

void
chart_layout_free(ChartLayout *layout)
{
    if (layout == NULL)
        return;
    g_ptr_array_free(layout->shapes, TRUE);
    g_array_free(layout->labels, TRUE);
    g_free(layout);
}
