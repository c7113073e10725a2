/* gongwen: table layout (see table.h). */
#include "table.h"

#include "error.h"
#include "tablefile.h"

#include <string.h>

/* The numbering level of a row label: 一、 0, （一） 1, 1． 2, （1） 3; -1 when unnumbered. */
static int
label_level(const char *text)
{
    static const char *const cn = "一二三四五六七八九十";
    gunichar c = g_utf8_get_char(text);
    const char *next = g_utf8_next_char(text);
    if (g_utf8_strchr(cn, -1, c) != NULL) {
        while (g_utf8_strchr(cn, -1, g_utf8_get_char(next)) != NULL)
            next = g_utf8_next_char(next);
        return g_str_has_prefix(next, "、") ? 0 : -1;
    }
    if (c == 0xFF08 || c == '(') {
        gunichar d = g_utf8_get_char(next);
        return g_utf8_strchr(cn, -1, d) != NULL ? 1 : g_unichar_isdigit(d) ? 3 : -1;
    }
    if (g_unichar_isdigit(c)) {
        while (g_unichar_isdigit(g_utf8_get_char(next)))
            next = g_utf8_next_char(next);
        gunichar p = g_utf8_get_char(next);
        return p == 0xFF0E || p == '.' || p == 0x3001 ? 2 : -1;
    }
    return -1;
}

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

/* A column of short labels (单位: 条, 件, 万元) is centred. */
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
    return !t->numeric[col] && !column_is_short(t, col);
}

typedef struct {
    Fonts *fonts;
    const DocTable *t;
    TableLayout *out;
    DocLoc origin;
    int *min, *pref; /* per anchor cell index, widths with padding */
    int prev_level;  /* label level of the row above, for 其中： */
} Builder;

static ParaSpec
cell_spec(const Builder *b, const DocCell *cell, size_t row, size_t col, const char **text)
{
    ParaSpec spec = {0};
    gboolean header = row < b->t->header_rows;
    *text = cell->text;
    spec.head_role = spec.body_role = header ? FONT_ROLE_HEADING1 : FONT_ROLE_TABLE;
    spec.size = b->out->size;
    spec.cell = b->out->size;
    spec.latin_gap = TRUE;
    spec.origin_file = b->origin.file;
    spec.origin_line = b->origin.line;
    spec.origin_col = b->origin.col;
    if (header)
        spec.align = PARA_ALIGN_CENTER;
    else if (b->t->numeric[col] && table_is_number(cell->text))
        spec.align = PARA_ALIGN_RIGHT; /* figures line up on their last digit */
    else if (b->t->numeric[col] || column_is_short(b->t, col))
        spec.align = PARA_ALIGN_CENTER;
    else
        spec.align = PARA_ALIGN_LEFT;
    spec.tabular = b->t->numeric[col] && !header;
    return spec;
}

/* The indent of a body label in the first text column, by its numbering or its U+3000s. */
static int
label_indent(Builder *b, const char *text, const char **rest)
{
    size_t spaces = leading_ideographic_spaces(text, rest);
    int level = label_level(*rest);
    if (g_str_has_prefix(*rest, "其中"))
        level = b->prev_level + 1;
    if (level >= 0)
        b->prev_level = level;
    int ems = spaces > 0 ? (int)spaces : MAX(level, 0);
    return ems * b->out->size;
}

static gboolean
builder_measure(Builder *b, GError **error)
{
    const DocTable *t = b->t;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        const DocCell *cell = &t->cells[i];
        if (cell->row_span == 0)
            continue;
        const char *text;
        ParaSpec spec = cell_spec(b, cell, i / t->n_cols, i % t->n_cols, &text);
        int indent = 0;
        if (table_is_label_column(t, i % t->n_cols) && i / t->n_cols >= t->header_rows)
            indent = label_indent(b, text, &text);
        spec.text = text;
        int min = 0, pref = 0;
        if (!para_measure(b->fonts, &spec, &min, &pref, error))
            return FALSE;
        /* A short heading (up to four characters: 统计数, 单位) stays on one line. */
        if (i / t->n_cols < t->header_rows && pref <= 4 * b->out->size)
            min = pref;
        b->min[i] = min + indent + 2 * b->out->pad_x;
        b->pref[i] = pref + indent + 2 * b->out->pad_x;
    }
    return TRUE;
}

/* Column widths: natural widths when they fit (stretched to the measure), else each
 * column's narrowest width plus a share of the rest in proportion to what it would like. */
static void
builder_widths(Builder *b, int width)
{
    const DocTable *t = b->t;
    int *min = g_new0(int, t->n_cols), *pref = g_new0(int, t->n_cols);
    /* Header cells only ask for their narrowest width: a heading wraps over a column of
     * figures rather than widen it. */
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        size_t c = i % t->n_cols;
        if (t->cells[i].col_span == 1) {
            min[c] = MAX(min[c], b->min[i]);
            if (i / t->n_cols >= t->header_rows)
                pref[c] = MAX(pref[c], b->pref[i]);
        }
    }
    long sum_min = 0, sum_pref = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        min[c] = MAX(min[c], 2 * b->out->size + 2 * b->out->pad_x);
        pref[c] = MAX(pref[c], min[c]);
        sum_min += min[c];
        sum_pref += pref[c];
    }
    /* Short columns (numbers, units, short headings: natural width up to five ems) keep their
     * natural width when the long ones can still have their narrowest; the long columns share
     * what is left in proportion to what they would like. */
    const int short_limit = 5 * b->out->size + 2 * b->out->pad_x;
    long short_pref = 0, long_min = 0, long_extra = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        if (pref[c] <= short_limit)
            short_pref += pref[c];
        else
            long_min += min[c], long_extra += pref[c] - min[c];
    }
    gboolean shorts_first = sum_pref > width && short_pref + long_min <= width && long_extra > 0;
    int *w = g_new0(int, t->n_cols);
    for (size_t c = 0; c < t->n_cols; c++) {
        if (sum_pref <= width)
            w[c] = (int)((long)pref[c] * width / MAX(sum_pref, 1));
        else if (shorts_first)
            w[c] = pref[c] <= short_limit
                       ? pref[c]
                       : min[c] + (int)((long)(pref[c] - min[c]) *
                                        (width - short_pref - long_min) / long_extra);
        else if (sum_min >= width)
            w[c] = min[c];
        else
            w[c] = min[c] + (int)((long)(pref[c] - min[c]) * (width - sum_min) /
                                  MAX(sum_pref - sum_min, 1));
    }
    b->out->col_x[0] = 0;
    for (size_t c = 0; c < t->n_cols; c++)
        b->out->col_x[c + 1] = b->out->col_x[c] + w[c];
    if (sum_min < width) /* rounding: the last edge is the measure */
        b->out->col_x[t->n_cols] = MAX(b->out->col_x[t->n_cols], width);
    b->out->width = b->out->col_x[t->n_cols];
    g_free(w);
    g_free(min);
    g_free(pref);
}

static gboolean
builder_cells(Builder *b, GError **error)
{
    const DocTable *t = b->t;
    TableLayout *out = b->out;
    b->prev_level = -1;
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        const DocCell *cell = &t->cells[i];
        if (cell->row_span == 0)
            continue;
        size_t row = i / t->n_cols, col = i % t->n_cols;
        const char *text;
        ParaSpec spec = cell_spec(b, cell, row, col, &text);
        int indent = table_is_label_column(t, col) && row >= t->header_rows
                         ? label_indent(b, text, &text)
                         : 0;
        spec.text = text;
        spec.width = out->col_x[col + (size_t)cell->col_span] - out->col_x[col] - 2 * out->pad_x;
        spec.first_indent = spec.indent = indent;
        TableCellBox box = {row, col, cell->row_span, cell->col_span, NULL, out->pad_x,
                            row < t->header_rows};
        box.lines = para_break_lines(b->fonts, &spec, error);
        if (box.lines == NULL)
            return FALSE;
        g_array_append_val(out->cells, box);
    }
    return TRUE;
}

/* Row heights: every row holds its one-row cells; a merged cell taller than its rows makes
 * its last row taller. */
static void
builder_heights(Builder *b)
{
    TableLayout *out = b->out;
    const int base = out->pitch + 2 * out->pad_y;
    for (size_t r = 0; r < b->t->n_rows; r++)
        out->row_h[r] = base;
    for (int pass = 0; pass < 2; pass++) {
        for (guint k = 0; k < out->cells->len; k++) {
            const TableCellBox *box = &g_array_index(out->cells, TableCellBox, k);
            int need = (int)para_lines_count(box->lines) * out->pitch + 2 * out->pad_y;
            if ((pass == 0) != (box->row_span == 1))
                continue;
            int have = 0;
            for (int r = 0; r < box->row_span; r++)
                have += out->row_h[box->row + (size_t)r];
            if (need > have)
                out->row_h[box->row + (size_t)box->row_span - 1] += need - have;
        }
    }
}

static void
cell_box_clear(gpointer data)
{
    TableCellBox *box = data;
    para_lines_free(box->lines);
}

TableLayout *
table_layout(Fonts *fonts, const DocTable *table, int width, DocLoc origin, GError **error)
{
    TableLayout *out = g_new0(TableLayout, 1);
    out->table = table;
    out->size = table->size > 0 ? table->size : 12 * PANGO_SCALE;
    out->pitch = out->size * 3 / 2;
    out->pad_x = out->size / 2;
    out->pad_y = out->size / 4;
    out->col_x = g_new0(int, table->n_cols + 1);
    out->row_h = g_new0(int, table->n_rows);
    out->cells = g_array_new(FALSE, TRUE, sizeof(TableCellBox));
    g_array_set_clear_func(out->cells, cell_box_clear);
    size_t n = table->n_rows * table->n_cols;
    Builder b = {fonts, table, out, origin, g_new0(int, n), g_new0(int, n), -1};
    gboolean ok = builder_measure(&b, error);
    if (ok) {
        builder_widths(&b, width);
        ok = builder_cells(&b, error);
    }
    if (ok)
        builder_heights(&b);
    g_free(b.min);
    g_free(b.pref);
    if (!ok) {
        table_layout_free(out);
        return NULL;
    }
    return out;
}

void
table_layout_free(TableLayout *layout)
{
    if (layout == NULL)
        return;
    g_array_free(layout->cells, TRUE);
    g_free(layout->col_x);
    g_free(layout->row_h);
    g_free(layout);
}

int
table_cell_baseline(const TableLayout *layout, const TableCellBox *cell, int h)
{
    int text_h = (int)para_lines_count(cell->lines) * layout->pitch;
    int top = (h - text_h) / 2;
    return top + (layout->pitch - layout->size) / 2 + layout->size * 88 / 100;
}
