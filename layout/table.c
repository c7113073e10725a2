/* gongwen: table layout (see table.h).
 *
 * A table is tried at the size asked for, then at each smaller size down to its floor, each
 * with normal and then tight cell padding, and with landscape=auto on landscape pages after
 * portrait ones. At each try every cell's text is shaped once (ParaFit) and gives the
 * narrowest width it accepts: a figure its own width, a header word balanced over lines
 * with never one character alone, a label a few characters. The table fits when those
 * minima add up to the measure. The width left over goes, a step at a time, to the column
 * whose widening saves the most height, so long labels get room before short figures. */
#include "table.h"

#include "diag.h"
#include "tablefile.h"

#include <string.h>

static const int table_sizes[] = {14 * PANGO_SCALE, 12 * PANGO_SCALE, 10752, 9 * PANGO_SCALE,
                                  7680};
static const char *const table_size_names[] = {"四号", "小四", "五号", "小五", "六号"};

const char *
table_size_name(int size)
{
    for (size_t k = 0; k < G_N_ELEMENTS(table_sizes); k++)
        if (table_sizes[k] == size)
            return table_size_names[k];
    return "?";
}

/* A label accepts being this many ems narrow (fewer when it is shorter), one beside several
 * rows, which give it height, half as many: a size at which labels cannot have that much
 * is too large. The width search then starts them from LABEL_FLOOR_EMS, so that a long
 * column can take width from shorter ones. */
#define LABEL_EMS 8
#define LABEL_FLOOR_EMS 4
/* The width search looks at the rows of at most this many cells (a long table's first rows
 * stand for the rest). */
#define SEARCH_CELLS 2000

/* Leading U+3000 count: the author's explicit indent in ems. */
static size_t
leading_ideographic_spaces(const char *text, const char **rest)
{
    size_t n = 0;
    while (g_str_has_prefix(text, "\u3000")) {
        text += strlen("\u3000");
        n++;
    }
    *rest = text;
    return n;
}

/* A column of short texts (单位: 条, 件, 万元), centred. */
static gboolean
column_is_short(const DocTable *t, size_t col)
{
    for (size_t r = t->header_rows; r < t->n_rows; r++) {
        const DocCell *cell = doc_table_cell(t, r, col);
        if (cell->row_span > 0 && g_utf8_strlen(cell->text, -1) > 4)
            return FALSE;
    }
    return TRUE;
}

gboolean
table_is_label_column(const DocTable *t, size_t col)
{
    return !t->numeric[col] && (col == 0 || !column_is_short(t, col));
}

/* One anchor cell while the table is fitted. */
typedef struct {
    size_t row, col;
    int row_span, col_span;
    const char *text;   /* as set: a label's leading U+3000s are its indent */
    int indent;         /* a label's indent, ems of the table's size */
    gboolean header;
    ParaSpec spec;      /* at the size being tried; the width is set when breaking */
    ParaFit *fit;       /* shaped text (NULL when empty) */
    int min, nat;       /* text widths: unbreakable piece and natural, the indent included */
    int accept;         /* the narrowest text width it accepts, the indent included */
    int floor;          /* the text width the width search starts it from (<= accept) */
    /* the width search (cells of rows [0, search_rows)) */
    int lines;          /* at the current width */
    int next_w;         /* a text width at which it takes fewer lines, or G_MAXINT */
    int next_lines;
    int nat_lines;      /* at its natural width (its own line breaks) */
} Probe;

typedef struct {
    Fonts *fonts;
    const DocTable *t;
    DocLoc origin;
    gboolean latin_gap; /* the cells' ParaSpec latin_gap */
    int size, pitch, pad_x, pad_y;
    GArray *probes;     /* Probe, one per anchor cell, row by row */
    size_t search_rows; /* rows [0, search_rows) take part in the width search */
    int *colmin;        /* n_cols: the narrowest acceptable widths, padding included */
    int *colfloor;      /* n_cols: where the width search starts, padding included */
    int *colnat;        /* n_cols: natural widths, padding included */
    int *w;             /* n_cols: the widths chosen */
    int *row_lines;     /* scratch, n_rows */
    gboolean *label;    /* n_cols: table_is_label_column */
} Fit;

/* ---- each cell's text at one size ---- */

static ParaSpec
cell_spec(const Fit *f, const Probe *p)
{
    const DocTable *t = f->t;
    ParaSpec spec = {0};
    spec.text = p->text;
    spec.head_role = spec.body_role = p->header ? FONT_ROLE_HEADING1 : FONT_ROLE_TABLE;
    spec.size = f->size;
    spec.cell = f->size;
    spec.latin_gap = f->latin_gap;
    spec.no_lone = TRUE;
    spec.origin_file = f->origin.file;
    spec.origin_line = f->origin.line;
    spec.origin_col = f->origin.col;
    spec.first_indent = spec.indent = p->indent * f->size;
    /* a heading breaks between words only, as a title does (ICU's, see para.h), at every
     * trial width too: its narrowest width is its widest word */
    spec.words = p->header;
    if (p->header)
        spec.align = PARA_ALIGN_CENTER;
    else if (t->numeric[p->col] && table_is_number(p->text))
        spec.align = PARA_ALIGN_RIGHT; /* figures line up on their last digit */
    else if (p->col > 0 && table_is_no_figure(p->text))
        spec.align = PARA_ALIGN_CENTER; /* — or / where a figure goes, in any column */
    else if (f->label[p->col])
        spec.align = PARA_ALIGN_LEFT;
    else
        spec.align = PARA_ALIGN_CENTER;
    spec.tabular = t->numeric[p->col] && !p->header;
    return spec;
}

/* Labels: the numbering level of each label cell (其中 one deeper than the label above it
 * in its column); a column's labels indent by their level above the column's shallowest,
 * or by their own leading U+3000s. */
static void
fit_find_indents(Fit *f)
{
    const DocTable *t = f->t;
    const guint n = f->probes->len;
    int *level = g_new(int, n), *spaces = g_new0(int, n);
    int *base = g_new(int, t->n_cols), *prev = g_new(int, t->n_cols);
    for (size_t c = 0; c < t->n_cols; c++)
        base[c] = G_MAXINT, prev[c] = -1;
    for (guint k = 0; k < n; k++) {
        Probe *p = &g_array_index(f->probes, Probe, k);
        level[k] = -1;
        if (p->header || !f->label[p->col])
            continue;
        spaces[k] = (int)leading_ideographic_spaces(p->text, &p->text);
        level[k] = table_label_level(p->text);
        if (g_str_has_prefix(p->text, "其中"))
            level[k] = prev[p->col] + 1;
        if (level[k] >= 0)
            prev[p->col] = level[k];
        if (spaces[k] == 0 && level[k] >= 0)
            base[p->col] = MIN(base[p->col], level[k]);
    }
    for (guint k = 0; k < n; k++) {
        Probe *p = &g_array_index(f->probes, Probe, k);
        p->indent = spaces[k] > 0 ? spaces[k] : level[k] >= 0 ? level[k] - base[p->col] : 0;
    }
    g_free(level);
    g_free(spaces);
    g_free(base);
    g_free(prev);
}

/* The narrowest width at which a header's text, balanced over its lines, leaves no
 * character alone on a line (a word of one character aside). */
static int
header_accept(Fit *f, Probe *p)
{
    size_t fewest = 0;
    para_fit_lines(p->fit, p->nat, &fewest);
    if (fewest < 2)
        return p->nat;
    for (int w = MAX(p->min, f->size); w < p->nat; w += f->size / 2) {
        int balanced = para_fit_balanced(p->fit, w);
        para_fit_lines(p->fit, balanced, &fewest);
        if (fewest >= 2)
            return w;
    }
    return p->nat;
}

/* A probe's acceptable and starting widths from its measured ones. */
static void
probe_accept(const Fit *f, Probe *p)
{
    const DocTable *t = f->t;
    int indent = p->indent * f->size;
    if (p->header)
        return; /* header_accept, with the shaped text */
    if (t->numeric[p->col] || !f->label[p->col])
        p->accept = p->nat;
    else
        p->accept = MIN(p->nat, MAX(p->min, indent + LABEL_EMS * f->size /
                                                         (p->row_span > 1 ? 2 : 1)));
    p->floor = t->numeric[p->col] || !f->label[p->col]
                   ? p->accept
                   : MIN(p->accept, MAX(p->min, indent + LABEL_FLOOR_EMS * f->size));
}

/* Measure the probes of rows [from, to) at the current size. Those the width search looks
 * at keep their shaped text; the others are measured and let go, cells of the same text
 * and setting measured once (long tables repeat their figures). */
static gboolean
fit_measure_rows(Fit *f, size_t from, size_t to, GError **error)
{
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    gboolean ok = TRUE;
    for (guint k = 0; ok && k < f->probes->len; k++) {
        Probe *p = &g_array_index(f->probes, Probe, k);
        if (p->row < from || p->row >= to)
            continue;
        para_fit_free(p->fit);
        p->fit = NULL;
        p->spec = cell_spec(f, p);
        p->min = p->nat = p->accept = p->floor = 0;
        if (*p->text == '\0')
            continue;
        int indent = p->indent * f->size;
        gboolean kept = p->row < f->search_rows;
        char *key = kept ? NULL
                         : g_strdup_printf("%d|%d|%d|%d|%s", p->spec.head_role, p->spec.tabular,
                                           p->spec.align, indent, p->text);
        const int *known = key != NULL ? g_hash_table_lookup(seen, key) : NULL;
        if (known != NULL) {
            p->min = known[0];
            p->nat = known[1];
            g_free(key);
        } else {
            p->fit = para_fit_new(f->fonts, &p->spec, error);
            ok = p->fit != NULL;
            if (ok) {
                para_fit_widths(p->fit, &p->min, &p->nat);
                p->min += indent;
                p->nat += indent;
            }
            if (key != NULL) {
                int *widths = g_new(int, 2);
                widths[0] = p->min;
                widths[1] = p->nat;
                g_hash_table_insert(seen, key, widths);
            }
        }
        if (ok && p->header)
            p->accept = p->floor = header_accept(f, p);
        if (ok)
            probe_accept(f, p);
        if (!kept) { /* measured; its lines are made at the end */
            para_fit_free(p->fit);
            p->fit = NULL;
        }
    }
    g_hash_table_destroy(seen);
    return ok;
}

/* ---- the narrowest widths ---- */

static int
span_width(const int *w, size_t col, int span)
{
    int sum = 0;
    for (int c = 0; c < span; c++)
        sum += w[col + (size_t)c];
    return sum;
}

/* Widen columns [col, col + span) evenly by `need` in all. */
static void
spread(int *w, size_t col, int span, int need)
{
    for (int c = 0; c < span; c++)
        w[col + (size_t)c] += need / span + (c < need % span ? 1 : 0);
}

/* Each column's narrowest acceptable, starting and natural widths, merged cells shared out
 * over the columns they span (narrow spans first). */
static void
fit_column_widths(Fit *f)
{
    const DocTable *t = f->t;
    const int pads = 2 * f->pad_x;
    int max_span = 1;
    for (size_t c = 0; c < t->n_cols; c++)
        f->colmin[c] = f->colfloor[c] = f->colnat[c] = 2 * f->size + pads;
    for (int span = 1; span <= max_span; span++) {
        for (guint k = 0; k < f->probes->len; k++) {
            const Probe *p = &g_array_index(f->probes, Probe, k);
            max_span = MAX(max_span, p->col_span);
            if (p->col_span != span)
                continue;
            int have = span_width(f->colmin, p->col, span);
            if (p->accept + pads > have)
                spread(f->colmin, p->col, span, p->accept + pads - have);
            have = span_width(f->colfloor, p->col, span);
            if (p->floor + pads > have)
                spread(f->colfloor, p->col, span, p->floor + pads - have);
            /* a header sets the narrowest width of a column, not its natural one: a
             * heading wraps over a column of figures rather than widen it */
            int nat = p->header ? p->accept : p->nat;
            have = span_width(f->colnat, p->col, span);
            if (nat + pads > have)
                spread(f->colnat, p->col, span, nat + pads - have);
        }
    }
    for (size_t c = 0; c < t->n_cols; c++)
        f->colnat[c] = MAX(f->colnat[c], f->colmin[c]);
}

/* ---- the width search ---- */

/* Whether the width search looks at the probe (its row is among the first). */
static gboolean
searched(const Fit *f, const Probe *p)
{
    return p->row < f->search_rows;
}

static int
probe_text_width(const Fit *f, const Probe *p, const int *w)
{
    return span_width(w, p->col, p->col_span) - 2 * f->pad_x;
}

/* Where a probe next takes fewer lines as its width grows (to a quarter point). */
static void
probe_update(Fit *f, Probe *p)
{
    int tw = probe_text_width(f, p, f->w);
    p->lines = p->fit != NULL ? (int)para_fit_lines(p->fit, MAX(tw, 1), NULL) : 0;
    p->nat_lines = p->lines;
    p->next_w = G_MAXINT;
    if (p->fit == NULL || tw >= p->nat)
        return;
    p->nat_lines = (int)para_fit_lines(p->fit, p->nat, NULL);
    if (p->nat_lines >= p->lines)
        return;
    int lo = tw, hi = p->nat; /* lines(lo) == p->lines, lines(hi) < p->lines */
    while (hi - lo > PANGO_SCALE / 4) {
        int mid = lo + (hi - lo) / 2;
        if ((int)para_fit_lines(p->fit, mid, NULL) < p->lines)
            hi = mid;
        else
            lo = mid;
    }
    p->next_w = hi;
    p->next_lines = (int)para_fit_lines(p->fit, hi, NULL);
}

/* The height of the rows searched, from each probe's `lines` (Pango units): every row
 * holds its one-row cells, a merged cell taller than its rows makes its last row taller. */
static long
fit_height(Fit *f)
{
    const DocTable *t = f->t;
    const int pitch = f->pitch, pads = 2 * f->pad_y;
    int *h = f->row_lines;
    for (size_t r = 0; r < f->search_rows; r++)
        h[r] = MAX(1, t->min_lines != NULL ? t->min_lines[r] : 0) * pitch + pads;
    for (int pass = 0; pass < 2; pass++) {
        for (guint k = 0; k < f->probes->len; k++) {
            const Probe *p = &g_array_index(f->probes, Probe, k);
            if (!searched(f, p) || (pass == 0) != (p->row_span == 1))
                continue;
            size_t last = MIN(p->row + (size_t)p->row_span, f->search_rows) - 1;
            int have = 0;
            for (size_t r = p->row; r <= last; r++)
                have += h[r];
            int need = p->lines * pitch + pads;
            if (need > have)
                h[last] += need - have;
        }
    }
    long sum = 0;
    for (size_t r = 0; r < f->search_rows; r++)
        sum += h[r];
    return sum;
}

static gboolean
covers(const Probe *p, size_t col)
{
    return p->col <= col && col < p->col + (size_t)p->col_span;
}

/* The height if column `col` were `delta` wider: probes over it that reach their next
 * width within delta take their fewer lines. */
static long
fit_height_widened(Fit *f, size_t col, int delta)
{
    GArray *probes = f->probes;
    int *saved = g_new(int, probes->len);
    for (guint k = 0; k < probes->len; k++) {
        Probe *p = &g_array_index(probes, Probe, k);
        saved[k] = p->lines;
        if (searched(f, p) && covers(p, col) && p->next_w != G_MAXINT &&
            p->next_w - probe_text_width(f, p, f->w) <= delta)
            p->lines = p->next_lines;
    }
    long h = fit_height(f);
    for (guint k = 0; k < probes->len; k++)
        g_array_index(probes, Probe, k).lines = saved[k];
    g_free(saved);
    return h;
}

static int
compare_int(gconstpointer a, gconstpointer b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The smallest widening of column `col` (at most `extra`) that makes the table shorter,
 * and by how much: FALSE when none does. */
static gboolean
fit_best_step(Fit *f, size_t col, int extra, long height, int *delta, long *saved)
{
    GArray *steps = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint k = 0; k < f->probes->len; k++) {
        const Probe *p = &g_array_index(f->probes, Probe, k);
        if (searched(f, p) && covers(p, col) && p->next_w != G_MAXINT) {
            int d = p->next_w - probe_text_width(f, p, f->w);
            if (d > 0 && d <= extra)
                g_array_append_val(steps, d);
        }
    }
    g_array_sort(steps, compare_int);
    gboolean found = FALSE;
    int last = 0, tried = 0;
    for (guint i = 0; i < steps->len && tried < 8 && !found; i++) {
        int d = g_array_index(steps, int, i);
        if (d == last)
            continue;
        last = d;
        tried++;
        long h = fit_height_widened(f, col, d);
        if (h < height) {
            *delta = d;
            *saved = height - h;
            found = TRUE;
        }
    }
    g_array_free(steps, TRUE);
    return found;
}

/* Share `extra` out over the columns in proportion to `weight` (all alike when no weight). */
static void
share_out(int *w, const long *weight, size_t n, int extra)
{
    long total = 0;
    for (size_t c = 0; c < n; c++)
        total += weight[c];
    int given = 0;
    for (size_t c = 0; c < n; c++) {
        int add = total > 0 ? (int)(weight[c] * extra / total) : extra / (int)n;
        w[c] += add;
        given += add;
    }
    w[n - 1] += extra - given; /* rounding: the last edge is the measure */
}

/* Column widths in `width`: natural widths when they fit (stretched to the measure); else
 * from the narrowest, the width left given a step at a time where it saves the most
 * height, and what no step can use shared by what the columns would still like. */
static void
fit_choose_widths(Fit *f, int width)
{
    const DocTable *t = f->t;
    const size_t n = t->n_cols;
    long *weight = g_new0(long, n);
    long sum_nat = 0;
    for (size_t c = 0; c < n; c++)
        sum_nat += f->colnat[c];
    if (sum_nat <= width) {
        memcpy(f->w, f->colnat, n * sizeof(int));
        for (size_t c = 0; c < n; c++)
            weight[c] = f->colnat[c];
        share_out(f->w, weight, n, width - (int)sum_nat);
        g_free(weight);
        return;
    }
    memcpy(f->w, f->colfloor, n * sizeof(int));
    int extra = width - span_width(f->w, 0, (int)n);
    for (guint k = 0; k < f->probes->len; k++) {
        Probe *p = &g_array_index(f->probes, Probe, k);
        if (searched(f, p))
            probe_update(f, p);
    }
    long height = fit_height(f);
    while (extra > 0) {
        size_t best = n;
        int best_delta = 0;
        double best_gain = 0;
        for (size_t c = 0; c < n; c++) {
            int delta;
            long saved;
            if (fit_best_step(f, c, extra, height, &delta, &saved) &&
                (double)saved / delta > best_gain) {
                best = c;
                best_delta = delta;
                best_gain = (double)saved / delta;
            }
        }
        if (best == n)
            break;
        f->w[best] += best_delta;
        extra -= best_delta;
        for (guint k = 0; k < f->probes->len; k++) {
            Probe *p = &g_array_index(f->probes, Probe, k);
            if (searched(f, p) && covers(p, best))
                probe_update(f, p);
        }
        height = fit_height(f);
    }
    /* what no step can use goes to the columns whose one-row cells still wrap most (a
     * label beside several rows has room already), else to those short of their natural
     * width */
    long wrapped = 0;
    for (guint k = 0; k < f->probes->len; k++) {
        const Probe *p = &g_array_index(f->probes, Probe, k);
        if (!searched(f, p) || p->row_span != 1)
            continue;
        for (size_t c = p->col; c < p->col + (size_t)p->col_span; c++) {
            weight[c] += MAX(0, p->lines - p->nat_lines);
            wrapped += MAX(0, p->lines - p->nat_lines);
        }
    }
    for (size_t c = 0; wrapped == 0 && c < n; c++)
        weight[c] = MAX(0, f->colnat[c] - f->w[c]);
    share_out(f->w, weight, n, extra);
    g_free(weight);
}

/* Widths asked for with widths=: millimetres, and shares of what they leave. */
static void
fit_given_widths(Fit *f, int width)
{
    const DocTable *t = f->t;
    int fixed = 0;
    double shares = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        fixed += t->widths[c].fixed;
        shares += t->widths[c].fixed > 0 ? 0 : t->widths[c].share;
    }
    int rest = MAX(0, width - fixed);
    for (size_t c = 0; c < t->n_cols; c++)
        f->w[c] = t->widths[c].fixed > 0 ? t->widths[c].fixed
                                         : (int)(rest * t->widths[c].share / shares);
}

/* With widths=: whether every cell's longest word fits its width; else the first cell
 * that does not. */
static const Probe *
fit_given_overflow(const Fit *f)
{
    for (guint k = 0; k < f->probes->len; k++) {
        const Probe *p = &g_array_index(f->probes, Probe, k);
        if (p->min > probe_text_width(f, p, f->w))
            return p;
    }
    return NULL;
}

/* ---- the table at the widths chosen ---- */

static void
cell_box_clear(gpointer data)
{
    TableCellBox *box = data;
    para_lines_free(box->lines);
}

static gboolean
fit_build(Fit *f, TableLayout *out, GError **error)
{
    const DocTable *t = f->t;
    out->size = f->size;
    out->pitch = f->pitch;
    out->pad_x = f->pad_x;
    out->pad_y = f->pad_y;
    out->col_x[0] = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        out->col_x[c + 1] = out->col_x[c] + f->w[c];
    out->width = out->col_x[t->n_cols];
    for (guint k = 0; k < f->probes->len; k++) {
        Probe *p = &g_array_index(f->probes, Probe, k);
        ParaSpec spec = p->spec;
        int tw = probe_text_width(f, p, f->w);
        spec.width = tw;
        /* a heading is split by sense into lines of about equal length, as a title is:
         * 结果/维持, 本年新/制作数量, never 本年新制作数/量 */
        spec.balance = p->header && strchr(p->text, '\n') == NULL;
        TableCellBox box = {p->row, p->col, p->row_span, p->col_span, NULL, f->pad_x,
                            p->header};
        box.lines = para_break_lines(f->fonts, &spec, error);
        if (box.lines == NULL)
            return FALSE;
        g_array_append_val(out->cells, box);
    }
    /* where each row's cells begin, and how far up the cells covering a row begin */
    out->row_cells = g_new0(size_t, t->n_rows + 1);
    out->reach = g_new0(size_t, t->n_rows);
    for (size_t r = 0; r < t->n_rows; r++)
        out->reach[r] = r;
    size_t next = 0;
    for (guint k = 0; k < out->cells->len; k++) {
        const TableCellBox *box = &g_array_index(out->cells, TableCellBox, k);
        while (next <= box->row)
            out->row_cells[next++] = k;
        for (size_t r = box->row; r < box->row + (size_t)box->row_span; r++)
            out->reach[r] = MIN(out->reach[r], box->row);
    }
    while (next <= t->n_rows)
        out->row_cells[next++] = out->cells->len;
    /* row heights: every row holds its one-row cells (and its height=); a merged cell
     * taller than its rows makes its last row taller */
    for (size_t r = 0; r < t->n_rows; r++)
        out->row_h[r] = MAX(1, t->min_lines != NULL ? t->min_lines[r] : 0) * out->pitch +
                        2 * out->pad_y;
    for (int pass = 0; pass < 2; pass++) {
        for (guint k = 0; k < out->cells->len; k++) {
            const TableCellBox *box = &g_array_index(out->cells, TableCellBox, k);
            if ((pass == 0) != (box->row_span == 1))
                continue;
            int need = (int)para_lines_count(box->lines) * out->pitch + 2 * out->pad_y;
            int have = 0;
            for (int r = 0; r < box->row_span; r++)
                have += out->row_h[box->row + (size_t)r];
            if (need > have)
                out->row_h[box->row + (size_t)box->row_span - 1] += need - have;
        }
    }
    return TRUE;
}

/* ---- trying sizes and orientations ---- */

static void
fit_set_size(Fit *f, int size)
{
    f->size = size;
    f->pitch = size * 3 / 2;
    f->pad_y = size / 4;
}

static void
fit_init(Fit *f, Fonts *fonts, const DocTable *t, DocLoc origin)
{
    memset(f, 0, sizeof *f);
    f->fonts = fonts;
    f->t = t;
    f->origin = origin;
    f->probes = g_array_new(FALSE, TRUE, sizeof(Probe));
    size_t cells = 0;
    f->search_rows = t->n_rows;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        const DocCell *cell = &t->cells[i];
        if (cell->row_span == 0)
            continue;
        Probe p = {0};
        p.row = i / t->n_cols;
        p.col = i % t->n_cols;
        p.row_span = cell->row_span;
        p.col_span = cell->col_span;
        p.text = cell->text;
        p.header = p.row < t->header_rows || (t->subhead != NULL && t->subhead[p.row]);
        g_array_append_val(f->probes, p);
        if (++cells == SEARCH_CELLS && p.row + 1 < f->search_rows)
            f->search_rows = MAX(p.row + 1, t->header_rows + 1);
    }
    f->colmin = g_new0(int, t->n_cols);
    f->colnat = g_new0(int, t->n_cols);
    f->colfloor = g_new0(int, t->n_cols);
    f->w = g_new0(int, t->n_cols);
    f->row_lines = g_new0(int, t->n_rows);
    f->label = g_new0(gboolean, t->n_cols);
    for (size_t c = 0; c < t->n_cols; c++)
        f->label[c] = table_is_label_column(t, c);
    fit_find_indents(f);
}

static void
fit_clear(Fit *f)
{
    for (guint k = 0; k < f->probes->len; k++)
        para_fit_free(g_array_index(f->probes, Probe, k).fit);
    g_array_free(f->probes, TRUE);
    g_free(f->colmin);
    g_free(f->colnat);
    g_free(f->colfloor);
    g_free(f->w);
    g_free(f->row_lines);
    g_free(f->label);
}

static double
to_mm(int units)
{
    return units * 25.4 / 72 / PANGO_SCALE;
}

/* Try the sizes from the one asked for down to the floor at `width`: TRUE with f's widths
 * set when one fits; `need` the narrowest width the last try needed. */
static gboolean
fit_try(Fit *f, int width, int *need, const Probe **overflow, GError **error)
{
    const DocTable *t = f->t;
    const int start = t->size > 0 ? t->size : TABLE_SIZE_DEFAULT;
    const int floor = MIN(start, t->min_size > 0 ? t->min_size : TABLE_MIN_SIZE_DEFAULT);
    for (size_t k = 0; k < G_N_ELEMENTS(table_sizes); k++) {
        if (table_sizes[k] > start || table_sizes[k] < floor)
            continue;
        fit_set_size(f, table_sizes[k]);
        /* the rows the width search looks at first: when they do not fit, the size does not
         * (a long table is not measured whole at every size it is tried at) */
        if (!fit_measure_rows(f, 0, f->search_rows, error))
            return FALSE;
        gboolean whole = f->search_rows >= t->n_rows;
        /* normal padding, then tight: a size larger with less room around the text reads
         * better than a size smaller */
        for (int tight = 0; tight < 2; tight++) {
            f->pad_x = tight ? f->size * 3 / 10 : f->size / 2;
            for (;;) {
                if (t->widths != NULL) {
                    fit_given_widths(f, width);
                    *overflow = fit_given_overflow(f);
                } else {
                    fit_column_widths(f);
                    *need = span_width(f->colmin, 0, (int)t->n_cols);
                }
                gboolean fits = t->widths != NULL ? *overflow == NULL : *need <= width;
                if (fits && !whole) { /* then the rest of the rows */
                    if (!fit_measure_rows(f, f->search_rows, t->n_rows, error))
                        return FALSE;
                    whole = TRUE;
                    continue;
                }
                if (fits && t->widths == NULL)
                    fit_choose_widths(f, width);
                if (fits)
                    return TRUE;
                break;
            }
        }
    }
    return FALSE;
}

static gboolean
fit_fail(const Fit *f, int width, gboolean landscape, int need, const Probe *overflow,
         GError **error)
{
    const DocTable *t = f->t;
    const char *floor = table_size_name(t->min_size > 0 ? t->min_size : TABLE_MIN_SIZE_DEFAULT);
    const char *where = landscape ? "of a landscape page" : "of the type area";
    if (overflow != NULL) {
        char *text = g_strndup(overflow->text, 60);
        diag_set_error(error, GONGWEN_ERROR_INPUT, t->widths_loc,
                       "%s: in column %zu (%.1f mm with widths=) “%s” needs "
                       "%.1f mm even at %s; widen the column, or allow a smaller size (min-size=)",
                       t->file, overflow->col + 1,
                       to_mm(span_width(f->w, overflow->col, overflow->col_span)), text,
                       to_mm(overflow->min + 2 * f->pad_x), floor);
        g_free(text);
        return FALSE;
    }
    gboolean smallest = f->size == table_sizes[G_N_ELEMENTS(table_sizes) - 1];
    diag_set_error(error, GONGWEN_ERROR_INPUT, f->origin,
                   "%s: the table needs %.1f mm at %s (its smallest size), wider "
                   "than the %.1f mm %s; %s%s%sfewer columns, or set widths=",
                   t->file, to_mm(need), floor, to_mm(width), where,
                   smallest ? "" : "allow a smaller size (min-size=六号), ",
                   landscape || t->landscape_auto ? "" : "landscape pages (landscape=auto), ",
                   smallest && (landscape || t->landscape_auto) ? "use " : "");
    return FALSE;
}

TableLayout *
table_layout(Fonts *fonts, const DocTable *table, int width, int landscape_width,
             gboolean latin_gap, DocLoc origin, GError **error)
{
    Fit f;
    fit_init(&f, fonts, table, origin);
    f.latin_gap = latin_gap;
    gboolean landscape = table->landscape;
    int need = 0, w = landscape ? landscape_width : width;
    const Probe *overflow = NULL;
    GError *local = NULL;
    gboolean ok = fit_try(&f, w, &need, &overflow, &local);
    if (!ok && local == NULL && table->landscape_auto && !landscape) {
        landscape = TRUE;
        w = landscape_width;
        ok = fit_try(&f, w, &need, &overflow, &local);
    }
    int fixed = 0;
    for (size_t c = 0; table->widths != NULL && c < table->n_cols; c++)
        fixed += table->widths[c].fixed;
    if (!ok && local == NULL && fixed > w)
        diag_set_error(&local, GONGWEN_ERROR_INPUT, table->widths_loc,
                       "widths= add up to %.1f mm, wider than the %.1f mm %s", to_mm(fixed),
                       to_mm(w), landscape ? "of a landscape page" : "of the type area");
    else if (!ok && local == NULL)
        fit_fail(&f, w, landscape, need, overflow, &local);
    TableLayout *out = NULL;
    if (ok) {
        out = g_new0(TableLayout, 1);
        out->table = table;
        out->landscape = landscape;
        out->repeat_header = table->subhead == NULL;
        out->col_x = g_new0(int, table->n_cols + 1);
        out->row_h = g_new0(int, table->n_rows);
        out->cells = g_array_new(FALSE, TRUE, sizeof(TableCellBox));
        g_array_set_clear_func(out->cells, cell_box_clear);
        if (!fit_build(&f, out, &local)) {
            table_layout_free(out);
            out = NULL;
        }
    }
    fit_clear(&f);
    if (local != NULL)
        g_propagate_error(error, local);
    return out;
}

void
table_layout_free(TableLayout *layout)
{
    if (layout == NULL)
        return;
    g_array_free(layout->cells, TRUE);
    g_free(layout->row_cells);
    g_free(layout->reach);
    g_free(layout->col_x);
    g_free(layout->row_h);
    g_free(layout);
}

int
table_text_baseline(const TableLayout *layout, size_t lines, int h)
{
    int text_h = (int)lines * layout->pitch;
    int top = (h - text_h) / 2;
    return top + (layout->pitch - layout->size) / 2 + layout->size * 88 / 100;
}
