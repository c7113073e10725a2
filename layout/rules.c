/* gongwen: rules beside tables (see rules.h). */
#include "rules.h"

#include "table.h"
#include "tablefile.h"

#include <math.h>
#include <string.h>

typedef struct {
    const Doc *doc;
    const DocTable *t;
    const char *path; /* the rules file */
    int line;
    GPtrArray *diags; /* Diag* */
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
    DiagAt at = {r->path, r->line, col};
    diag_add(r->diags, DIAG_ERROR, at, "%s", message);
    g_free(message);
}

/* Text without leading and trailing spaces (ASCII and U+3000), owned. */
static char *
trimmed(const char *text)
{
    while (*text == ' ' || *text == '\t' || g_str_has_prefix(text, "\u3000"))
        text += *text == ' ' || *text == '\t' ? 1 : strlen("\u3000");
    char *copy = g_strstrip(g_strdup(text));
    while (g_str_has_suffix(copy, "\u3000"))
        copy[strlen(copy) - strlen("\u3000")] = '\0';
    return copy;
}

/* A row's label: its last non-empty label cell that starts in this row. Owned or NULL. */
static char *
row_label(const DocTable *t, size_t row)
{
    char *label = NULL;
    for (size_t c = 0; c < t->n_cols; c++) {
        const DocCell *cell = doc_table_cell(t, row, c);
        if (cell->row_span == 0 || !table_is_label_column(t, c) || *cell->text == '\0')
            continue;
        g_free(label);
        label = trimmed(cell->text);
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
    return trimmed(t->cells[cell->anchor].text);
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

static long
find_column(const DocTable *t, const char *name)
{
    long found = -1;
    for (size_t c = 0; c < t->n_cols; c++) {
        char *label = column_label(t, c);
        if (g_str_equal(label, name))
            found = found < 0 ? (long)c : -2;
        g_free(label);
    }
    return found;
}

/* The figure in the cell at (row, col), if it holds one. */
static gboolean
figure_at(const DocTable *t, size_t row, size_t col, double *value)
{
    const DocCell *cell = doc_table_cell(t, row, col);
    if (cell->row_span == 0 || !table_is_number(cell->text))
        return FALSE;
    char *clean = g_strdup(cell->text), *w = clean;
    for (const char *p = cell->text; *p != '\0'; p++)
        if (*p != ',' && *p != '%')
            *w++ = *p;
    *w = '\0';
    *value = g_ascii_strtod(clean, NULL);
    g_free(clean);
    return TRUE;
}

static char *
format_figure(double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup(g_ascii_formatd(buf, sizeof buf, "%g", v));
}

typedef struct {
    long index[64];
    size_t n;
} Terms;

/* "A + B + C" -> row or column indexes; FALSE (reported) when one is not found. */
static gboolean
parse_terms(Rules *r, const char *side, gboolean columns, Terms *out)
{
    char **parts = g_strsplit(side, " + ", -1);
    gboolean ok = TRUE;
    out->n = 0;
    for (char **p = parts; ok && *p != NULL; p++) {
        char *name = trimmed(*p);
        long index = columns ? find_column(r->t, name) : find_row(r->t, name);
        if (index < 0 || out->n == G_N_ELEMENTS(out->index)) {
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

/* The sum of `terms` along `other` (a column for row terms, a row for column terms). */
static gboolean
sum_terms(const Rules *r, const Terms *terms, gboolean columns, size_t other, double *sum)
{
    *sum = 0;
    for (size_t i = 0; i < terms->n; i++) {
        double v;
        size_t row = columns ? other : (size_t)terms->index[i];
        size_t col = columns ? (size_t)terms->index[i] : other;
        if (!figure_at(r->t, row, col, &v))
            return FALSE;
        *sum += v;
    }
    return TRUE;
}

static void
report_sum(Rules *r, const char *rule, size_t row, size_t col, double left, double right)
{
    char *a = format_figure(left), *b = format_figure(right);
    DiagAt at = {r->t->file, (int)row + 1, (int)col + 1};
    diag_add(r->diags, DIAG_ERROR, at, "the figures do not add up: %s (%s ≠ %s; rule %s:%d)",
             rule, a, b, r->path, r->line);
    g_free(a);
    g_free(b);
}

static void
check_sum_rule(Rules *r, const char *rule, gboolean columns)
{
    const char *text = columns ? rule + strlen("column ") : rule;
    char **sides = g_strsplit(text, " = ", 2);
    Terms left, right;
    if (sides[1] == NULL) {
        rules_error(r, 1, "a rule is “A = B + C”, “column A = B + C” or “text \"…(\\d+)…\" = A”");
    } else if (parse_terms(r, sides[0], columns, &left) &&
               parse_terms(r, sides[1], columns, &right)) {
        char *shown = g_strstrip(g_strdup(text));
        size_t from = columns ? r->t->header_rows : 0;
        size_t to = columns ? r->t->n_rows : r->t->n_cols;
        for (size_t other = from; other < to; other++) {
            double a, b;
            if (!columns && !r->t->numeric[other])
                continue;
            if (!sum_terms(r, &left, columns, other, &a) || !sum_terms(r, &right, columns, other, &b))
                continue; /* a figure not stated (—): nothing to check */
            if (fabs(a - b) > 1e-6)
                report_sum(r, shown, columns ? other : (size_t)left.index[0],
                           columns ? (size_t)left.index[0] : other, a, b);
        }
        g_free(shown);
    }
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
    char *name = trimmed(eq + 1);
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
    else if (figure_at(r->t, (size_t)row, (size_t)col, &want)) {
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
                    char *w = format_figure(want), *label = row_label(r->t, (size_t)row);
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

static void
check_rules_file(Rules *r, const char *data)
{
    char **lines = g_strsplit(data, "\n", -1);
    for (int i = 0; lines[i] != NULL; i++) {
        r->line = i + 1;
        char *rule = g_strstrip(lines[i]);
        if (*rule == '\0' || *rule == '#')
            continue;
        if (g_str_has_prefix(rule, "text "))
            check_text_rule(r, rule);
        else
            check_sum_rule(r, rule, g_str_has_prefix(rule, "column "));
    }
    g_strfreev(lines);
}

void
rules_check(const Doc *doc, GPtrArray *diags)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocTable *t = doc->blocks[b].kind == DOC_BLOCK_TABLE ? doc->blocks[b].table : NULL;
        if (t == NULL || t->rules == NULL)
            continue;
        Rules r = {doc, t, t->rules_file, 0, diags};
        check_rules_file(&r, t->rules);
    }
}
