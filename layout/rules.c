/* gongwen: rules beside tables (see rules.h). */
#include "rules.h"

#include "forms.h"
#include "table.h"
#include "tablefile.h"

#include <math.h>
#include <string.h>

/* What a cell holds where a rule needs a figure. */
typedef enum {
    CELL_FIGURE,     /* a number */
    CELL_BLANK,      /* nothing: counted as 0, and reported */
    CELL_NOT_STATED, /* “—”, “/” or a word: the rule is not checked there, and that is reported */
    CELL_COVERED,    /* inside a merged cell */
} CellKind;

typedef struct {
    const Doc *doc;
    const DocTable *t;
    const char *path;     /* the rules file, or NULL for the rules of the table's form */
    const FormMatch *form; /* the table's form, or NULL */
    int line;
    GPtrArray *diags; /* Diag* */
    gboolean *needed; /* per cell: a figure a rule or the form needs */
    char **skipped;   /* per cell: the first rule not checked for what it holds, or NULL */
} Rules;

static void
rules_error(Rules *r, int col, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
rules_error(Rules *r, int col, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    if (r->path != NULL) {
        DiagAt at = {r->path, r->line, col};
        diag_add(r->diags, DIAG_ERROR, at, "%s", message);
    } else { /* a rule of the form that cannot be checked: its row or column is missing */
        DiagAt at = {r->t->file, 1, 1};
        diag_add(r->diags, DIAG_WARNING, at, "%s: not checked", message);
    }
    g_free(message);
}

/* A row's label: its last non-empty label cell that starts in this row. Owned or NULL. */
static char *
row_label(const DocTable *t, size_t row)
{
    char *label = NULL;
    for (size_t c = 0; c < t->n_cols; c++) {
        const DocCell *cell = doc_table_cell(t, row, c);
        if (cell->row_span == 0 || !table_is_label_column(t, c) || table_is_no_figure(cell->text))
            continue;
        g_free(label);
        label = table_trimmed(cell->text);
    }
    return label;
}

/* A column's label: the deepest header cell over it ("" without a header). Owned. */
static char *
column_label(const DocTable *t, size_t col)
{
    if (t->header_rows == 0)
        return g_strdup("");
    const DocCell *cell = doc_table_cell(t, t->header_rows - 1, col);
    return table_trimmed(t->cells[cell->anchor].text);
}

/* A column's header path: the header cells over it, top down, each once. */
static GPtrArray *
column_path(const DocTable *t, size_t col)
{
    GPtrArray *path = g_ptr_array_new_with_free_func(g_free);
    size_t last = (size_t)-1;
    for (size_t h = 0; h < t->header_rows; h++) {
        size_t a = doc_table_cell(t, h, col)->anchor;
        if (a != last && *t->cells[a].text != '\0')
            g_ptr_array_add(path, table_trimmed(t->cells[a].text));
        last = a;
    }
    return path;
}

/* A column's name for messages: its label, or its header path when the label is not one
 * column's (行政复议/总计). Owned. */
static char *
column_name(const DocTable *t, size_t col)
{
    char *label = column_label(t, col);
    size_t same = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        char *other = column_label(t, c);
        same += g_str_equal(other, label);
        g_free(other);
    }
    if (same <= 1)
        return label;
    g_free(label);
    GPtrArray *path = column_path(t, col);
    g_ptr_array_add(path, NULL);
    char *joined = g_strjoinv("/", (char **)path->pdata);
    g_ptr_array_unref(path);
    return joined;
}

/* The row named `name` (#N or a label, or the unique label ending in it); -1 when there is
 * none, -2 when several. */
static long
find_row(const DocTable *t, const char *name)
{
    if (name[0] == '#') {
        char *end = NULL;
        guint64 n = g_ascii_strtoull(name + 1, &end, 10);
        return *end == '\0' && n > t->header_rows && n <= t->n_rows ? (long)n - 1 : -1;
    }
    long exact = -1, suffix = -1, suffixes = 0;
    for (size_t r = t->header_rows; r < t->n_rows && exact < 0; r++) {
        char *label = row_label(t, r);
        if (label != NULL && g_str_equal(label, name))
            exact = (long)r;
        else if (label != NULL && g_str_has_suffix(label, name))
            suffix = (long)r, suffixes++;
        g_free(label);
    }
    return exact >= 0 ? exact : suffixes == 1 ? suffix : suffixes > 1 ? -2 : -1;
}

/* Whether the header path of `col` ends with the names of `parts` (A/B/C). */
static gboolean
path_ends_with(const DocTable *t, size_t col, char **parts)
{
    GPtrArray *path = column_path(t, col);
    guint n = g_strv_length(parts);
    gboolean ok = n <= path->len;
    for (guint i = 0; ok && i < n; i++)
        ok = g_str_equal(g_ptr_array_index(path, path->len - n + i), parts[i]);
    g_ptr_array_unref(path);
    return ok;
}

/* The column named `name`: #N, its label (the deepest header cell over it), or the header
 * cells over it from any level down, joined by / (行政复议/总计); -1 when there is none, -2
 * when several. */
static long
find_column(const DocTable *t, const char *name)
{
    if (name[0] == '#') {
        char *end = NULL;
        guint64 n = g_ascii_strtoull(name + 1, &end, 10);
        return *end == '\0' && n >= 1 && n <= t->n_cols ? (long)n - 1 : -1;
    }
    char **parts = g_strsplit(name, "/", -1);
    for (char **p = parts; *p != NULL; p++)
        g_strstrip(*p);
    long found = -1;
    for (size_t c = 0; c < t->n_cols; c++) {
        if (!path_ends_with(t, c, parts))
            continue;
        /* a merged header cell over several columns names the first only */
        size_t a = doc_table_cell(t, t->header_rows > 0 ? t->header_rows - 1 : 0, c)->anchor;
        if (t->header_rows > 0 && a % t->n_cols != c && strchr(name, '/') == NULL)
            continue;
        found = found == -1 ? (long)c : -2;
    }
    g_strfreev(parts);
    return found;
}

static gboolean
is_not_stated(const char *text)
{
    return *text != '\0' && table_is_no_figure(text);
}

/* What the cell at (row, col) holds, and its figure. */
static CellKind
figure_at(const DocTable *t, size_t row, size_t col, double *value)
{
    const DocCell *cell = doc_table_cell(t, row, col);
    *value = 0;
    if (cell->row_span == 0)
        return CELL_COVERED;
    if (*cell->text == '\0')
        return CELL_BLANK;
    if (!table_is_number(cell->text))
        return CELL_NOT_STATED;
    *value = table_number_value(cell->text);
    return CELL_FIGURE;
}

typedef struct {
    long index[64];
    size_t n;
} Terms;

/* A row of the table by a rule's name for it: for the form's own rules the form's row and
 * the table's row that stands for it (-3 when the table has none). */
static long
rules_row(const Rules *r, const char *name)
{
    if (r->path != NULL)
        return find_row(r->t, name);
    long fr = find_row(r->form->table, name);
    return fr < 0 ? fr : r->form->from_form[fr] >= 0 ? r->form->from_form[fr] : -3;
}

static long
rules_column(const Rules *r, const char *name)
{
    if (r->path != NULL)
        return find_column(r->t, name);
    long fc = find_column(r->form->table, name);
    return fc < 0 ? fc : r->form->columns[fc] >= 0 ? r->form->columns[fc] : -3;
}

/* A rule as messages show it: its terms, the middle ones left out of a long sum. Owned. */
static char *
rule_shown(const char *rule)
{
    char *text = g_strstrip(g_strdup(rule));
    char **sides = g_strsplit(text, " = ", 2);
    if (sides[1] == NULL) {
        g_strfreev(sides);
        return text;
    }
    char **terms = g_strsplit(sides[1], " + ", -1);
    guint n = g_strv_length(terms);
    char *shown = n <= 6 ? g_strdup(text)
                         : g_strdup_printf("%s = %s + %s + … + %s (%u terms)", sides[0],
                                           g_strstrip(terms[0]), g_strstrip(terms[1]),
                                           g_strstrip(terms[n - 1]), n);
    g_strfreev(terms);
    g_strfreev(sides);
    g_free(text);
    return shown;
}

/* "A + B + C" -> row or column indexes; FALSE (reported) when one is not found. */
static gboolean
parse_terms(Rules *r, const char *rule, const char *side, gboolean columns, Terms *out)
{
    char **parts = g_strsplit(side, " + ", -1);
    gboolean ok = TRUE;
    out->n = 0;
    for (char **p = parts; ok && *p != NULL; p++) {
        char *name = table_trimmed(*p);
        long index = columns ? rules_column(r, name) : rules_row(r, name);
        if (index == -3) { /* the form's row or column is missing: 0 (reported) */
            char *shown = rule_shown(rule);
            DiagAt at = {r->t->file, 1, 1};
            diag_add(r->diags, DIAG_WARNING, at, "the rule “%s” of %s needs the %s “%s”, which "
                     "this table does not have: counted as 0", shown, r->form->form->name,
                     columns ? "column" : "row", name);
            g_free(shown);
        } else if (index < 0 || out->n == G_N_ELEMENTS(out->index)) {
            rules_error(r, 1, "%s “%s” %s in %s", columns ? "column" : "row", name,
                        index == -2 ? "names several" : "is not", r->t->file);
            ok = FALSE;
        } else {
            out->index[out->n++] = index;
        }
        g_free(name);
    }
    g_strfreev(parts);
    return ok && out->n > 0;
}

/* Where a rule comes from, for messages: "rule FILE:LINE" or "a rule of FORM". Owned. */
static char *
rule_source(const Rules *r)
{
    return r->path != NULL ? g_strdup_printf("rule %s:%d", r->path, r->line)
                           : g_strdup_printf("a rule of %s", r->form->form->name);
}

/* The sum of `terms` along `other` (a column for row terms, a row for column terms); FALSE
 * when a cell holds no figure to add (“—”, a word), which is noted for the report. A blank
 * cell adds 0 and is noted. */
static gboolean
sum_terms(Rules *r, const char *rule, const Terms *terms, gboolean columns, size_t other,
          double *sum)
{
    gboolean ok = TRUE;
    *sum = 0;
    for (size_t i = 0; i < terms->n; i++) {
        double v;
        size_t row = columns ? other : (size_t)terms->index[i];
        size_t col = columns ? (size_t)terms->index[i] : other;
        size_t cell = row * r->t->n_cols + col;
        CellKind kind = figure_at(r->t, row, col, &v);
        if (kind == CELL_BLANK)
            r->needed[cell] = TRUE;
        if (kind == CELL_NOT_STATED && r->skipped[cell] == NULL) {
            char *shown = rule_shown(rule), *from = rule_source(r);
            r->skipped[cell] = g_strdup_printf("“%s” (%s)", shown, from);
            g_free(shown);
            g_free(from);
        }
        ok = ok && kind != CELL_NOT_STATED && kind != CELL_COVERED;
        *sum += v;
    }
    return ok;
}

static void
report_sum(Rules *r, const char *rule, size_t row, size_t col, gboolean columns, double left,
           double right)
{
    char *a = table_format_number(left), *b = table_format_number(right);
    char *shown = rule_shown(rule), *from = rule_source(r);
    char *where = columns ? row_label(r->t, row) : column_name(r->t, col);
    DiagAt at = {r->t->file, (int)row + 1, (int)col + 1};
    if (where != NULL && *where != '\0')
        diag_add(r->diags, DIAG_ERROR, at,
                 "the figures do not add up in %s “%s”: %s (%s ≠ %s; %s)",
                 columns ? "row" : "column", where, shown, a, b, from);
    else
        diag_add(r->diags, DIAG_ERROR, at, "the figures do not add up: %s (%s ≠ %s; %s)", shown,
                 a, b, from);
    g_free(where);
    g_free(shown);
    g_free(from);
    g_free(a);
    g_free(b);
}

/* The columns (for a row rule) or rows (for a column rule) a sum rule holds in: the number
 * columns or the body rows, of the form when the rule is the form's. */
static GArray *
rule_span(const Rules *r, gboolean columns)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(size_t));
    const DocTable *t = r->t;
    if (r->path == NULL) {
        const DocTable *f = r->form->table;
        for (size_t k = 0; columns && k < t->n_rows; k++)
            if (r->form->to_form[k] >= (long)f->header_rows)
                g_array_append_val(out, k);
        for (size_t fc = 0; !columns && fc < f->n_cols; fc++) {
            size_t c = (size_t)r->form->columns[fc];
            if (f->numeric[fc] && r->form->columns[fc] >= 0)
                g_array_append_val(out, c);
        }
        return out;
    }
    for (size_t k = columns ? t->header_rows : 0; k < (columns ? t->n_rows : t->n_cols); k++)
        if (columns || t->numeric[k])
            g_array_append_val(out, k);
    return out;
}

static void
check_sum_rule(Rules *r, const char *rule, gboolean columns)
{
    const char *text = columns ? rule + strlen("column ") : rule;
    char **sides = g_strsplit(text, " = ", 2);
    Terms left, right;
    char *shown = g_strstrip(g_strdup(text));
    if (sides[1] == NULL) {
        rules_error(r, 1, "a rule is “A = B + C”, “column A = B + C” or “text \"…(\\d+)…\" = A”");
    } else if (parse_terms(r, shown, sides[0], columns, &left) &&
               parse_terms(r, shown, sides[1], columns, &right)) {
        GArray *span = rule_span(r, columns);
        for (guint k = 0; k < span->len; k++) {
            size_t other = g_array_index(span, size_t, k);
            double a, b;
            gboolean ok = sum_terms(r, shown, &left, columns, other, &a);
            if (!sum_terms(r, shown, &right, columns, other, &b) || !ok)
                continue; /* a figure not stated (—): reported once per cell */
            if (fabs(a - b) > 1e-6)
                report_sum(r, shown, columns ? other : (size_t)left.index[0],
                           columns ? (size_t)left.index[0] : other, columns, a, b);
        }
        g_array_unref(span);
    }
    g_free(shown);
    g_strfreev(sides);
}

static long
last_number_column(const DocTable *t)
{
    for (size_t c = t->n_cols; c-- > 0;)
        if (t->numeric[c])
            return (long)c;
    return -1;
}

/* The figure a text rule compares with: a blank cell is 0 (and reported). */
static gboolean
text_figure(Rules *r, size_t row, size_t col, double *value)
{
    CellKind kind = figure_at(r->t, row, col, value);
    if (kind == CELL_BLANK)
        r->needed[row * r->t->n_cols + col] = TRUE;
    return kind == CELL_FIGURE || kind == CELL_BLANK;
}

/* text "PATTERN" = ROW: every figure the pattern finds in the text equals the table's. */
static void
check_text_rule(Rules *r, const char *rule)
{
    const char *open = strchr(rule, '"'), *close = open ? strrchr(rule, '"') : NULL;
    const char *eq = close ? strstr(close, "=") : NULL;
    if (open == NULL || close == open || eq == NULL) {
        rules_error(r, 1, "a text rule is: text \"…(\\d+)…\" = ROW");
        return;
    }
    char *pattern = g_strndup(open + 1, (size_t)(close - open - 1));
    char *name = table_trimmed(eq + 1);
    GError *error = NULL;
    GRegex *regex = g_regex_new(pattern, G_REGEX_OPTIMIZE, 0, &error);
    long row = find_row(r->t, name), col = last_number_column(r->t);
    double want;
    if (regex == NULL)
        rules_error(r, (int)(open - rule) + 2, "bad pattern: %s", error->message);
    else if (g_regex_get_capture_count(regex) < 1)
        rules_error(r, (int)(open - rule) + 2, "the pattern needs a group (…) around the figure");
    else if (row < 0 || col < 0)
        rules_error(r, 1, "row “%s” %s in %s", name, row == -2 ? "names several" : "is not",
                    r->t->file);
    else if (text_figure(r, (size_t)row, (size_t)col, &want)) {
        for (size_t b = 0; b < r->doc->n_blocks; b++) {
            const DocBlock *block = &r->doc->blocks[b];
            if (block->kind != DOC_BLOCK_PARAGRAPH && block->kind != DOC_BLOCK_HEADING &&
                block->kind != DOC_BLOCK_ARTICLE && block->kind != DOC_BLOCK_ITEM)
                continue;
            GMatchInfo *match = NULL;
            g_regex_match(regex, block->text, 0, &match);
            for (; g_match_info_matches(match); g_match_info_next(match, NULL)) {
                int start = 0;
                char *got = g_match_info_fetch(match, 1);
                g_match_info_fetch_pos(match, 1, &start, NULL);
                if (got != NULL && fabs(g_ascii_strtod(got, NULL) - want) > 1e-6) {
                    char *w = table_format_number(want), *label = row_label(r->t, (size_t)row);
                    DocLoc at = block->loc;
                    at.col += (int)g_utf8_pointer_to_offset(block->text, block->text + start);
                    diag_add(r->diags, DIAG_WARNING, at,
                             "the text says %s but %s:%ld (%s) has %s (rule %s:%d)", got,
                             r->t->file, row + 1, label, w, r->path, r->line);
                    g_free(w);
                    g_free(label);
                }
                g_free(got);
            }
            g_match_info_free(match);
        }
    }
    if (regex != NULL)
        g_regex_unref(regex);
    g_clear_error(&error);
    g_free(pattern);
    g_free(name);
}

/* Whether `rule` is one of the lines of `rules`. */
static gboolean
is_form_rule(const char *rules, const char *rule)
{
    char **lines = g_strsplit(rules, "\n", -1);
    gboolean found = FALSE;
    for (char **l = lines; *l != NULL && !found; l++)
        found = g_str_equal(g_strstrip(*l), rule);
    g_strfreev(lines);
    return found;
}

static void
check_rules_file(Rules *r, const char *data)
{
    char **lines = g_strsplit(data, "\n", -1);
    for (int i = 0; lines[i] != NULL; i++) {
        r->line = i + 1;
        char *rule = g_strstrip(lines[i]);
        if (*rule == '\0' || *rule == '#')
            continue;
        if (r->path != NULL && r->form != NULL && r->form->form->rules != NULL &&
            is_form_rule(r->form->form->rules, rule))
            continue; /* the form's own, checked already */
        if (g_str_has_prefix(rule, "text "))
            check_text_rule(r, rule);
        else
            check_sum_rule(r, rule, g_str_has_prefix(rule, "column "));
    }
    g_strfreev(lines);
}

/* Whether the cell at (row, col) is a total: its row's label or a header over its column
 * says 总计 or 合计. */
static gboolean
is_total(const DocTable *t, size_t row, size_t col)
{
    char *label = row_label(t, row);
    gboolean total = label != NULL && (strstr(label, "总计") != NULL || strstr(label, "合计"));
    g_free(label);
    GPtrArray *path = column_path(t, col);
    for (guint i = 0; i < path->len && !total; i++) {
        const char *head = g_ptr_array_index(path, i);
        total = strstr(head, "总计") != NULL || strstr(head, "合计") != NULL;
    }
    g_ptr_array_unref(path);
    return total;
}

/* “in row “…”, column “…”” for a cell: the column named by the nearest row of column heads
 * above it (信息内容 | 本年处理决定数量), else by the header. Owned. */
static char *
cell_name(const DocTable *t, size_t row, size_t col)
{
    char *label = row_label(t, row), *column = NULL;
    for (size_t k = row; t->subhead != NULL && column == NULL && k-- > t->header_rows;)
        if (t->subhead[k])
            column = table_trimmed(t->cells[doc_table_cell(t, k, col)->anchor].text);
    if (column == NULL)
        column = column_name(t, col);
    char *name = label != NULL && *column != '\0'
                     ? g_strdup_printf("in row “%s”, column “%s”", label, column)
                 : label != NULL ? g_strdup_printf("in row “%s”", label)
                 : *column != '\0' ? g_strdup_printf("in column “%s”", column)
                                   : g_strdup("");
    g_free(label);
    g_free(column);
    return name;
}

/* The cells the form has figures in: each needed, blank or not. */
static void
mark_form_figures(Rules *r)
{
    const DocTable *f = r->form->table;
    for (size_t fr = f->header_rows; fr < f->n_rows; fr++)
        for (size_t fc = 0; fc < f->n_cols; fc++) {
            const DocCell *cell = doc_table_cell(f, fr, fc);
            long row = r->form->from_form[fr], col = r->form->columns[fc];
            if (cell->row_span == 0 || !table_is_number(cell->text) || row < 0 || col < 0)
                continue;
            size_t a = doc_table_cell(r->t, (size_t)row, (size_t)col)->anchor;
            r->needed[a] = TRUE;
        }
}

/* The most cells named one by one; past it, cells alike are reported as one warning. */
#define CELLS_NAMED 3

/* The warnings of cells alike, blank (`blank`: counted as 0) or not stated (“—”), given by
 * their indices: one warning each when there are few, else one at the first, naming the
 * first few and the rule that left the first unchecked. */
static void
group_report(Rules *r, const GArray *cells, gboolean blank)
{
    const DocTable *t = r->t;
    for (guint k = 0; k < cells->len && cells->len <= CELLS_NAMED; k++) {
        size_t i = g_array_index(cells, size_t, k), row = i / t->n_cols, col = i % t->n_cols;
        DiagAt at = {t->file, (int)row + 1, (int)col + 1};
        char *name = cell_name(t, row, col);
        if (blank)
            diag_add(r->diags, DIAG_WARNING, at, "blank cell %s: counted as 0; write 0, or "
                     "“—” for a figure not stated (blank=error makes this an error)", name);
        else
            diag_add(r->diags, DIAG_WARNING, at, "“%s” %s is a figure not stated: the rule "
                     "%s is not checked there", t->cells[i].text, name, r->skipped[i]);
        g_free(name);
    }
    if (cells->len > CELLS_NAMED) {
        size_t first = g_array_index(cells, size_t, 0);
        DiagAt at = {t->file, (int)(first / t->n_cols) + 1, (int)(first % t->n_cols) + 1};
        GString *where = g_string_new(NULL);
        for (guint k = 0; k < CELLS_NAMED; k++) {
            size_t i = g_array_index(cells, size_t, k);
            g_string_append_printf(where, "%s%zu:%zu", k > 0 ? ", " : "", i / t->n_cols + 1,
                                   i % t->n_cols + 1);
        }
        if (blank)
            diag_add(r->diags, DIAG_WARNING, at, "%u blank cells counted as 0 (at %s and %u "
                     "more); write 0, or “—” for a figure not stated (blank=error makes them "
                     "errors)", cells->len, where->str, cells->len - CELLS_NAMED);
        else
            diag_add(r->diags, DIAG_WARNING, at, "%u figures not stated (at %s and %u more): "
                     "the rules that read them are not checked there, such as %s",
                     cells->len, where->str, cells->len - CELLS_NAMED, r->skipped[first]);
        g_string_free(where, TRUE);
    }
}

/* Blank cells a rule or the form needs, and cells a rule could not read, once each. */
static void
report_cells(Rules *r)
{
    const DocTable *t = r->t;
    GArray *blanks = g_array_new(FALSE, FALSE, sizeof(size_t));
    GArray *unstated = g_array_new(FALSE, FALSE, sizeof(size_t));
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        size_t row = i / t->n_cols, col = i % t->n_cols;
        const DocCell *cell = &t->cells[i];
        DiagAt at = {t->file, (int)row + 1, (int)col + 1};
        if (r->needed[i] && cell->row_span > 0 && *cell->text == '\0') {
            char *name = cell_name(t, row, col);
            if (is_total(t, row, col))
                diag_add(r->diags, DIAG_ERROR, at, "blank 总计 %s: a total is always stated; "
                         "write it (0 if none)", name);
            else if (t->blank_error)
                diag_add(r->diags, DIAG_ERROR, at, "blank cell %s: write its figure (0 if "
                         "none), or “—” for a figure not stated (blank=error)", name);
            else
                g_array_append_val(blanks, i);
            g_free(name);
        }
        if (r->skipped[i] != NULL && is_not_stated(cell->text)) {
            g_array_append_val(unstated, i);
        } else if (r->skipped[i] != NULL) {
            char *name = cell_name(t, row, col);
            diag_add(r->diags, DIAG_WARNING, at, "“%s” %s is not a figure: the rule %s is "
                     "not checked there", cell->text, name, r->skipped[i]);
            g_free(name);
        }
    }
    group_report(r, blanks, TRUE);
    group_report(r, unstated, FALSE);
    g_array_free(blanks, TRUE);
    g_array_free(unstated, TRUE);
}

/* The checks of one table: its form's labels and rules, the rules beside it, its cells. */
static void
check_table(const Doc *doc, const DocBlock *block, GPtrArray *diags)
{
    const DocTable *t = block->table;
    size_t n = t->n_rows * t->n_cols;
    Rules r = {doc, t, NULL, NULL, 0, diags, g_new0(gboolean, n), g_new0(char *, n)};
    const Form *form = t->form != NULL ? forms_find(t->form) : NULL;
    FormMatch *match = form != NULL ? forms_match(t, form, diags) : NULL;
    if (form != NULL && t->header_rows != form->header_rows)
        diag_add(diags, DIAG_WARNING, block->loc, "%s is %s, whose header is %zu row%s: write "
                 "header=%zu", t->file, form->name, form->header_rows,
                 form->header_rows == 1 ? "" : "s", form->header_rows);
    if (form != NULL) {
        r.form = match;
        mark_form_figures(&r);
        if (form->rules != NULL)
            check_rules_file(&r, form->rules);
    }
    if (t->rules != NULL) {
        r.path = t->rules_file;
        check_rules_file(&r, t->rules);
    }
    report_cells(&r);
    for (size_t i = 0; i < n; i++)
        g_free(r.skipped[i]);
    g_free(r.skipped);
    g_free(r.needed);
    forms_match_free(match);
}

void
rules_check(const Doc *doc, GPtrArray *diags)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocTable *t = doc->blocks[b].kind == DOC_BLOCK_TABLE ? doc->blocks[b].table : NULL;
        if (t != NULL && (t->rules != NULL || t->form != NULL))
            check_table(doc, &doc->blocks[b], diags);
    }
}
