/* gongwen: the directives of a report: @table, @chart, @figure, @attachment, @pagebreak and
 * their options, and the dispatch of @issued (issued.c) (see source-imp.h). */
#include "source-imp.h"

#include "chartdata.h"
#include "charttable.h"
#include "figure.h"
#include "forms.h"
#include "tablefile.h"

#include <string.h>

/* ---- directives -------------------------------------------------------------------------- */

static gboolean
add_attachment(Parser *p, const SrcLine *src, const char *title)
{
    int number = ++p->n_attachments;
    if (*title == '\0' && p->note_index >= 0) {
        const DocBlock *note = &p->doc->blocks[p->note_index];
        if ((size_t)number <= note->n_items)
            title = note->items[number - 1];
    }
    DocBlock *block =
        add_text_block(p, DOC_BLOCK_ATTACHMENT, title, loc_at(p, src->line, src->col));
    block->level = number;
    p->in_attachment = TRUE;
    memset(p->last, 0, sizeof p->last);
    articles_reset(p);
    return TRUE;
}

/* The next space-separated word of `*args` (owned), advancing past it; NULL at the end. */
static char *
next_word(const char **args)
{
    const char *start = skip_space(*args);
    const char *end = start;
    while (*end != '\0' && space_len(end) == 0)
        end++;
    *args = end;
    return end > start ? g_strndup(start, (size_t)(end - start)) : NULL;
}

/* The next word of `*args` if it is an option (key=value, or the bare word `flag` when not
 * NULL), owned; else NULL, `*args` kept. */
static char *
next_option(const char **args, const char *flag)
{
    const char *before = *args;
    char *word = next_word(args);
    if (word != NULL && ((word[0] != '=' && strchr(word, '=') != NULL) ||
                         (flag != NULL && g_str_equal(word, flag))))
        return word;
    *args = before;
    g_free(word);
    return NULL;
}

typedef struct {
    size_t header_rows;
    int size;
    int min_size;
    gboolean landscape, landscape_auto;
    const char *widths; /* widths=…, checked once the columns are known */
    int widths_col;
    const char *height; /* height=…, checked once the rows are known */
    int height_col;
    const char *form;   /* form=ID or none; NULL: recognised from the labels */
    gboolean blank_error;
} TableOptions;

#define TABLE_SIZES "四号 (14), 小四 (12), 五号 (10.5), 小五 (9) and 六号 (7.5)"

/* A table size by its name or points: 四号 14, 小四 12, 五号 10.5, 小五 9, 六号 7.5; 0 if none. */
static int
table_size_value(const char *value)
{
    static const struct {
        const char *name, *points;
        int size;
    } sizes[] = {{"四号", "14", 14 * 1024}, {"小四", "12", 12 * 1024}, {"五号", "10.5", 10752},
                 {"小五", "9", 9 * 1024},   {"六号", "7.5", 7680}};
    for (size_t k = 0; k < G_N_ELEMENTS(sizes); k++)
        if (g_str_equal(value, sizes[k].name) || g_str_equal(value, sizes[k].points))
            return sizes[k].size;
    return 0;
}

/* One key=value option of @table; FALSE with the error set. */
static gboolean
table_option(Parser *p, const SrcLine *src, const char *word, TableOptions *o)
{
    const char *eq = strchr(word, '=');
    char *key = g_strndup(word, (size_t)(eq - word));
    const char *value = eq + 1;
    int col = column_of(src->raw, strstr(src->raw, word));
    gboolean ok = TRUE;
    char *end = NULL;
    if (g_str_equal(key, "header")) {
        guint64 n = g_ascii_strtoull(value, &end, 10);
        ok = *value != '\0' && *end == '\0' && n <= 20;
        o->header_rows = (size_t)n;
        if (!ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, col, "header=%s: give the number of header "
                 "rows, 0 (none, as in a form) to 20", value);
    } else if (g_str_equal(key, "size") || g_str_equal(key, "min-size")) {
        int size = table_size_value(value);
        if (size == 0)
            ok = fail(p, GONGWEN_ERROR_INPUT, src->line, col, "%s=%s: the table sizes are "
                      TABLE_SIZES, key, value);
        else if (g_str_equal(key, "size"))
            o->size = size;
        else
            o->min_size = size;
    } else if (g_str_equal(key, "landscape")) {
        ok = g_str_equal(value, "auto");
        o->landscape_auto = ok;
        if (!ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, col, "landscape=%s: write landscape (always) "
                 "or landscape=auto (when the table is too wide for a portrait page)", value);
    } else if (g_str_equal(key, "widths")) {
        o->widths = g_str_equal(value, "auto") ? NULL : doc_intern(p->doc, value, -1);
        o->widths_col = col;
    } else if (g_str_equal(key, "height")) {
        o->height = doc_intern(p->doc, value, -1);
        o->height_col = col;
    } else if (g_str_equal(key, "form")) {
        const Form *form = forms_find(value);
        ok = form != NULL || g_str_equal(value, "none");
        o->form = form != NULL ? form->id : "none";
        if (!ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, col, "form=%s: the annual report's forms are "
                 "%s (or none: not a form)", value, forms_ids());
    } else if (g_str_equal(key, "blank")) {
        ok = g_str_equal(value, "zero") || g_str_equal(value, "error");
        o->blank_error = g_str_equal(value, "error");
        if (!ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, col, "blank=%s: write blank=zero (a blank "
                 "figure counts as 0, with a warning) or blank=error", value);
    } else {
        ok = fail(p, GONGWEN_ERROR_INPUT, src->line, col,
                  "unknown @table option \"%s\"; the options are header=N, size=, min-size=, "
                  "widths=, height=, landscape, landscape=auto, form= and blank=", key);
    }
    g_free(key);
    return ok;
}

/* widths=40mm,1,1: one entry per column, millimetres or a share of the width left. */
static gboolean
table_widths(Parser *p, const SrcLine *src, const TableOptions *o, DocTable *t)
{
    char **parts = g_strsplit(o->widths, ",", -1);
    guint n = g_strv_length(parts);
    gboolean ok = n == t->n_cols;
    if (!ok)
        fail(p, GONGWEN_ERROR_INPUT, src->line, o->widths_col,
             "widths=%s gives %u width%s; %s has %zu columns: one entry per column, each in "
             "millimetres (40mm) or a share of the width left (1)", o->widths, n,
             n == 1 ? "" : "s", t->file, t->n_cols);
    t->widths = g_new0(DocWidth, t->n_cols);
    t->widths_loc = loc_at(p, src->line, o->widths_col);
    for (guint c = 0; ok && c < n; c++) {
        char *end = NULL;
        double v = g_ascii_strtod(parts[c], &end);
        gboolean mm = g_str_equal(end, "mm");
        ok = end != parts[c] && (*end == '\0' || mm) && v > 0 && v <= (mm ? 1000 : 1000000);
        if (!ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, o->widths_col,
                 "widths=: “%s” (column %u) is not a width; write millimetres (40mm) or a "
                 "share of the width left (1, 2.5)", parts[c], c + 1);
        else if (mm)
            t->widths[c].fixed = (int)(v * 72 / 25.4 * 1024 + 0.5);
        else
            t->widths[c].share = v;
    }
    g_strfreev(parts);
    return ok;
}

/* Whether a row's first cell (its label) starts with `label`, spaces aside. */
static gboolean
row_has_label(const DocTable *t, size_t row, const char *label)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        const DocCell *cell = doc_table_cell(t, row, c);
        if (cell->row_span == 0)
            continue;
        const char *text = skip_space(cell->text);
        if (*text != '\0')
            return g_str_has_prefix(text, label);
    }
    return FALSE;
}

/* height=N (every body row) or height=LABEL:N,… (the rows whose label begins so): the
 * fewest lines a row holds, room to write in. */
static gboolean
table_heights(Parser *p, const SrcLine *src, const TableOptions *o, DocTable *t)
{
    char **parts = g_strsplit(o->height, ",", -1);
    gboolean ok = TRUE;
    t->min_lines = g_new0(int, t->n_rows);
    for (guint k = 0; ok && parts[k] != NULL; k++) {
        const char *colon = g_utf8_strrchr(parts[k], -1, ':');
        if (colon == NULL)
            colon = g_strrstr(parts[k], "：");
        const char *number = colon == NULL ? parts[k] : colon + (*colon == ':' ? 1 : strlen("："));
        char *label = colon == NULL ? NULL : g_strndup(parts[k], (size_t)(colon - parts[k]));
        char *end = NULL;
        guint64 n = g_ascii_strtoull(number, &end, 10);
        ok = *number != '\0' && *end == '\0' && n >= 1 && n <= 40 &&
             (label == NULL || *label != '\0');
        if (!ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, o->height_col,
                 "height=: “%s” is not a height; write height=N (lines, 1 to 40, for every "
                 "body row) or height=LABEL:N for the rows whose label begins with LABEL",
                 parts[k]);
        size_t matched = 0;
        for (size_t r = t->header_rows; ok && r < t->n_rows; r++) {
            if (label == NULL || row_has_label(t, r, label)) {
                t->min_lines[r] = MAX(t->min_lines[r], (int)n);
                matched++;
            }
        }
        if (ok && matched == 0)
            doc_warn(p->doc, loc_at(p, src->line, o->height_col),
                     "height=%s: no row of %s begins with “%s”", parts[k], t->file, label);
        g_free(label);
    }
    g_strfreev(parts);
    return ok;
}

/* @table FILE [key=value…] [title] */
static gboolean
add_table(Parser *p, const SrcLine *src, const char *args)
{
    char *file = next_word(&args);
    if (file == NULL)
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "@table needs a file: @table FILE [header=N] [size=小四] [widths=…] "
                    "[height=…] [landscape|landscape=auto] [form=ID] [blank=error] [title]");
    TableOptions o = {1, 12 * 1024, 0, FALSE, FALSE, NULL, 0, NULL, 0, NULL, FALSE};
    gboolean ok = TRUE;
    for (char *word; ok && (word = next_option(&args, "landscape")) != NULL; g_free(word)) {
        if (g_str_equal(word, "landscape"))
            o.landscape = TRUE;
        else
            ok = table_option(p, src, word, &o);
    }
    if (ok && o.min_size > o.size) {
        char *name = g_strdup_printf("%g", o.min_size / 1024.0);
        ok = fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                  "min-size=%s is larger than the table's size; the floor must be the same "
                  "size or smaller", name);
        g_free(name);
    }
    DocLoc loc = loc_at(p, src->line, src->col);
    DocTable *table = ok ? table_load(p->doc, file, o.header_rows, loc, p->error) : NULL;
    g_free(file);
    if (table == NULL)
        return FALSE;
    table->size = o.size;
    table->min_size = o.min_size;
    table->landscape = o.landscape;
    table->landscape_auto = o.landscape_auto && !o.landscape;
    table->blank_error = o.blank_error;
    if (o.form == NULL) {
        const Form *form = forms_recognise(table);
        table->form = form != NULL ? form->id : NULL;
    } else {
        table->form = g_str_equal(o.form, "none") ? NULL : o.form;
    }
    if (o.widths != NULL && !table_widths(p, src, &o, table))
        return FALSE;
    if (o.height != NULL && !table_heights(p, src, &o, table))
        return FALSE;
    DocBlock *block = add_text_block(p, DOC_BLOCK_TABLE, skip_space(args), loc);
    block->table = table;
    return TRUE;
}

/* @figure FILE [caption]: a PNG or JPEG beside the report. */
static gboolean
add_figure(Parser *p, const SrcLine *src, const char *args)
{
    char *file = next_word(&args);
    if (file == NULL)
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "@figure needs a file: @figure FILE.png|FILE.jpg [caption]");
    DocLoc loc = loc_at(p, src->line, src->col);
    char *path = data_file_path(p->doc, file, loc, p->error);
    g_free(file);
    if (path == NULL)
        return FALSE;
    DocBlock *block = add_text_block(p, DOC_BLOCK_FIGURE, skip_space(args), loc);
    block->file = doc_intern(p->doc, path, -1);
    g_free(path);
    /* Decoded now, so that a broken image is an error when the report is read (check
     * included), at this line; the layout reads it again. */
    FigureImage *image = figure_load(block, p->error);
    figure_free(image);
    return image != NULL;
}

/* What a @chart line takes from a table file: rows=, column=, labels= and header=. */
typedef struct {
    ChartPick pick;
    size_t header_rows; /* header=N; 0 when not given */
    int header_col;
} ChartFrom;

/* rows=, column=, labels= or header= of a @chart line into `from`: TRUE when `word` is
 * one of them (FALSE with the error set when its value is bad, *ok), FALSE when not. */
static gboolean
chart_from_option(Parser *p, const SrcLine *src, const char *word, ChartFrom *from,
                  gboolean *ok)
{
    static const char *const keys[] = {"rows=", "column=", "columns=", "labels=", "header="};
    size_t k = 0;
    while (k < G_N_ELEMENTS(keys) && !g_str_has_prefix(word, keys[k]))
        k++;
    if (k == G_N_ELEMENTS(keys))
        return FALSE;
    const char *value = word + strlen(keys[k]);
    int col = column_of(src->raw, strstr(src->raw, word));
    DocLoc at = loc_at(p, src->line, col + (int)g_utf8_strlen(keys[k], -1));
    if (*value == '\0') {
        *ok = fail(p, GONGWEN_ERROR_INPUT, src->line, col, "%s needs a value", word);
    } else if (k == 0) {
        from->pick.rows = doc_intern(p->doc, value, -1);
        from->pick.rows_at = at;
    } else if (k <= 2) {
        from->pick.columns = doc_intern(p->doc, value, -1);
        from->pick.columns_at = at;
    } else if (k == 3) {
        from->pick.labels = doc_intern(p->doc, value, -1);
        from->pick.labels_at = at;
    } else {
        char *end = NULL;
        guint64 n = g_ascii_strtoull(value, &end, 10);
        *ok = *end == '\0' && n >= 1 && n <= 20;
        from->header_rows = (size_t)n;
        from->header_col = col;
        if (!*ok)
            fail(p, GONGWEN_ERROR_INPUT, src->line, col, "header=%s: give the number of "
                 "header rows of the table file, 1 to 20", value);
    }
    return TRUE;
}

/* The table an earlier @table line read from `path` with `header_rows` header rows (any
 * number when 0), or NULL. */
static const DocTable *
table_read_before(const Doc *doc, const char *path, size_t header_rows)
{
    for (size_t b = doc->n_blocks; b-- > 0;) {
        const DocTable *t = doc->blocks[b].kind == DOC_BLOCK_TABLE ? doc->blocks[b].table : NULL;
        if (t != NULL && g_str_equal(t->file, path) &&
            (header_rows == 0 || t->header_rows == header_rows))
            return t;
    }
    return NULL;
}

/* A chart's data from the rows and columns of a table file (charttable.h): the table an
 * earlier @table line of the file set, or else the file read with header=N (default 1). */
static const DocTable *
chart_from_table(Parser *p, const SrcLine *src, const char *file, ChartFrom *from,
                 DocChartKind kind)
{
    if (from->pick.rows == NULL) {
        fail(p, GONGWEN_ERROR_INPUT, src->line, src->col, "a chart from a table needs rows=: "
             "@chart %s %s rows=LABEL,… [column=HEADER] [labels=NAME,…] [header=N]",
             doc_chart_kind_name(kind), file);
        return NULL;
    }
    DocLoc loc = loc_at(p, src->line, src->col);
    char *path = data_file_path(p->doc, file, loc, p->error);
    if (path == NULL)
        return NULL;
    const DocTable *table = table_read_before(p->doc, path, from->header_rows);
    g_free(path);
    if (table == NULL)
        table = table_load(p->doc, file, from->header_rows > 0 ? from->header_rows : 1, loc,
                           p->error);
    from->pick.line_at = loc;
    return table != NULL ? chart_table_pick(p->doc, table, file, &from->pick, kind, p->error)
                         : NULL;
}

/* @chart KIND FILE [unit=件] [palette=color|grey] [rows=… column=… labels=… header=N]
 * [caption] */
static gboolean
add_chart(Parser *p, const SrcLine *src, const char *args)
{
    static const char *const kinds[] = {"bar", "hbar", "stacked", "pie", "donut", "line"};
    char *kind = next_word(&args), *file = next_word(&args);
    int k = 0;
    while (kind != NULL && k < (int)G_N_ELEMENTS(kinds) && !g_str_equal(kind, kinds[k]))
        k++;
    gboolean ok = kind != NULL && file != NULL && k < (int)G_N_ELEMENTS(kinds);
    if (!ok)
        fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
             "@chart needs a kind and a file: @chart bar|hbar|stacked|pie|donut|line FILE "
             "[unit=件] [palette=color] [rows=… column=…] [caption]");
    DocChart *chart = ok ? doc_new_chart(p->doc) : NULL;
    ChartFrom from = {0};
    for (char *word; ok && (word = next_option(&args, NULL)) != NULL; g_free(word)) {
        const char *value = strchr(word, '=') + 1;
        if (g_str_has_prefix(word, "unit=") && *value != '\0')
            chart->unit = doc_intern(p->doc, value, -1);
        else if (g_str_equal(word, "palette=color") || g_str_equal(word, "palette=colour"))
            chart->color = TRUE;
        else if (chart_from_option(p, src, word, &from, &ok))
            continue;
        else if (!g_str_equal(word, "palette=grey") && !g_str_equal(word, "palette=gray"))
            ok = fail(p, GONGWEN_ERROR_INPUT, src->line, column_of(src->raw, strstr(src->raw, word)),
                      "unknown @chart option \"%s\"; the options are unit=UNIT, "
                      "palette=color|grey, and for a chart from a table rows=, column=, "
                      "labels= and header=", word);
    }
    DocLoc loc = loc_at(p, src->line, src->col);
    gboolean from_table = from.pick.rows != NULL || from.pick.columns != NULL ||
                          from.pick.labels != NULL || from.header_rows > 0;
    if (ok) {
        chart->kind = (DocChartKind)k;
        chart->table = from_table ? chart_from_table(p, src, file, &from, chart->kind)
                                  : table_load(p->doc, file, 1, loc, p->error);
        ok = chart->table != NULL && chart_check_data(chart, p->error);
    }
    if (ok)
        add_text_block(p, DOC_BLOCK_CHART, skip_space(args), loc)->chart = chart;
    g_free(kind);
    g_free(file);
    return ok;
}

gboolean
parse_directive(Parser *p, const SrcLine *src)
{
    const char *word = src->text + 1;
    const char *end = word;
    while (*end != '\0' && space_len(end) == 0)
        end++;
    char *name = g_strndup(word, (size_t)(end - word));
    const char *args = skip_space(end);
    gboolean ok = FALSE;
    if (g_str_equal(name, "attachment"))
        ok = add_attachment(p, src, args);
    else if (g_str_equal(name, "pagebreak") && *args != '\0')
        fail(p, GONGWEN_ERROR_INPUT, src->line, column_of(src->raw, args),
             "@pagebreak takes no argument");
    else if (g_str_equal(name, "pagebreak"))
        ok = add_text_block(p, DOC_BLOCK_PAGE_BREAK, "", loc_at(p, src->line, src->col)) != NULL;
    else if (g_str_equal(name, "table"))
        ok = add_table(p, src, args);
    else if (g_str_equal(name, "chart"))
        ok = add_chart(p, src, args);
    else if (g_str_equal(name, "figure"))
        ok = add_figure(p, src, args);
    else if (g_str_equal(name, "issued"))
        ok = parse_issued(p, src, args);
    else if (is_line_directive(name))
        ok = add_line_directive(p, src, name);
    else
        fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
             "unknown directive `@%s`; the directives are @attachment, @pagebreak, @table, "
             "@chart, @figure, @issued, @subtitle, @author, @right, @heading (write \\@ for a "
             "literal @ at the start of a line)",
             name);
    g_free(name);
    return ok;
}
