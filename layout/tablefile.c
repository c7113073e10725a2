/* gongwen: table files. libcsv splits the records (RFC 4180 quoting for CSV; the same
 * reader with a tab delimiter for TSV); this file checks them and works out merged cells
 * and number columns. */
#include "tablefile.h"

#include "diag.h"
#include "files.h"
#include "source.h"

#include <csv.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    Doc *doc;
    const char *path;
    GPtrArray *rows;    /* GPtrArray* of char* (owned) */
    GPtrArray *current; /* the record being read */
    GError **error;
    gboolean failed;
} Reader;

static void
reader_fail(Reader *r, size_t row, size_t col, const char *format, ...) G_GNUC_PRINTF(4, 5);

static void
reader_fail(Reader *r, size_t row, size_t col, const char *format, ...)
{
    if (r->failed)
        return;
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    diag_set_error(r->error, GONGWEN_ERROR_INPUT, (DiagAt){r->path, (int)row, (int)col}, "%s",
                   message);
    g_free(message);
    r->failed = TRUE;
}

/* A cell: UTF-8, no control characters, ASCII blanks trimmed (leading U+3000 kept: it is
 * the author's indent). */
static void
on_field(void *data, size_t len, void *closure)
{
    Reader *r = closure;
    size_t row = r->rows->len + 1, col = r->current->len + 1;
    const char *text = data != NULL ? data : "";
    const char *nul = memchr(text, '\0', len);
    if (nul != NULL) {
        reader_fail(r, row, col,
                    "NUL byte at character %ld of this cell (is the file UTF-16? save it as "
                    "UTF-8)",
                    g_utf8_validate(text, nul - text, NULL) ? g_utf8_strlen(text, nul - text) + 1
                                                            : (long)(nul - text) + 1);
        return;
    }
    if (!g_utf8_validate(text, (gssize)len, NULL)) {
        reader_fail(r, row, col, "invalid UTF-8 in this cell; save the file as UTF-8");
        return;
    }
    for (const char *p = text; p < text + len; p = g_utf8_next_char(p)) {
        char *why = source_forbidden(g_utf8_get_char(p), TRUE);
        if (why != NULL) {
            reader_fail(r, row, col, "%s", why);
            g_free(why);
            return;
        }
    }
    char *cell = g_strstrip(g_strndup(text, len));
    g_ptr_array_add(r->current, cell);
}

static void
on_record(int end, void *closure)
{
    Reader *r = closure;
    (void)end;
    g_ptr_array_add(r->rows, r->current);
    r->current = g_ptr_array_new_with_free_func(g_free);
}

static gboolean
reader_split(Reader *r, const char *data, size_t len, gboolean csv)
{
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        reader_fail(r, 1, 1, "cannot start the CSV reader");
        return FALSE;
    }
    csv_set_delim(&parser, csv ? ',' : '\t');
    size_t done = csv_parse(&parser, data, len, on_field, on_record, r);
    if (!r->failed && done != len) {
        /* libcsv says “error parsing data while strict checking enabled” for both, and
         * stops at the character at fault */
        const char *why = csv_strerror(csv_error(&parser));
        if (csv_error(&parser) == CSV_EPARSE && data[done] == '"')
            why = "a quote (\") inside a cell that does not start with one: quote the whole "
                  "cell and double each quote in it (\"2\"\"3\" for 2\"3)";
        else if (csv_error(&parser) == CSV_EPARSE)
            why = "text after the closing quote of a quoted cell: double each quote inside a "
                  "quoted cell (\"2\"\"3\" for 2\"3)";
        reader_fail(r, r->rows->len + 1, r->current->len + 1, "%s", why);
    }
    if (!r->failed && csv_fini(&parser, on_field, on_record, r) != 0)
        reader_fail(r, r->rows->len + 1, r->current->len + 1,
                    "a quoted cell is not closed before the end of the file");
    csv_free(&parser);
    return !r->failed;
}

static void
cover(DocTable *t, size_t row, size_t col, size_t anchor)
{
    DocCell *cell = doc_table_cell(t, row, col);
    cell->row_span = cell->col_span = 0;
    cell->anchor = anchor;
}

/* `^` at (row, col): the cell above grows down over it. NULL, or why it cannot. */
static const char *
span_down(DocTable *t, size_t row, size_t col)
{
    if (row == 0)
        return "“^” in the first row has no cell above to extend";
    size_t index = doc_table_cell(t, row - 1, col)->anchor;
    DocCell *a = &t->cells[index];
    size_t arow = index / t->n_cols, acol = index % t->n_cols;
    if (arow + (size_t)a->row_span == row) {
        if (acol != col)
            return "the cell above is part of a merged cell that starts further left; "
                   "write “^” under its first column (the others follow)";
        a->row_span++;
    } else if (arow + (size_t)a->row_span < row) {
        return "“^” here has no cell above to extend";
    }
    cover(t, row, col, index);
    return NULL;
}

/* `<` (or an empty header cell) at (row, col): the cell on its left grows right over it.
 * NULL, or why it cannot. An empty header cell that cannot is left an empty cell. */
static const char *
span_right(DocTable *t, size_t row, size_t col)
{
    if (col == 0)
        return "“<” in the first column has no cell on its left to extend";
    size_t index = doc_table_cell(t, row, col - 1)->anchor;
    DocCell *a = &t->cells[index];
    size_t arow = index / t->n_cols, acol = index % t->n_cols;
    if (acol + (size_t)a->col_span == col) {
        if (arow != row)
            return "the cell on the left spans rows from above; write “^” here to extend it";
        a->col_span++;
    } else if (acol + (size_t)a->col_span < col) {
        return "“<” here has no cell on its left to extend";
    }
    cover(t, row, col, index);
    return NULL;
}

/* A cell's text as printed: in a TSV file `\n` is a line break (`\\n` a backslash and n);
 * CSV cells may hold line breaks in their quotes. Line ends become one `\n`. */
static const char *
cell_text(Doc *doc, const char *text, gboolean csv)
{
    if (strchr(text, '\\') == NULL && strchr(text, '\r') == NULL)
        return doc_intern(doc, text, -1);
    GString *out = g_string_sized_new(strlen(text));
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\r') {
            if (p[1] != '\n')
                g_string_append_c(out, '\n');
        } else if (!csv && p[0] == '\\' && p[1] == 'n') {
            g_string_append_c(out, '\n');
            p++;
        } else if (!csv && p[0] == '\\' && p[1] == '\\' && p[2] == 'n') {
            g_string_append(out, "\\n");
            p += 2;
        } else {
            g_string_append_c(out, *p);
        }
    }
    const char *interned = doc_intern(doc, out->str, (gssize)out->len);
    g_string_free(out, TRUE);
    return interned;
}

static gboolean
table_fill(Reader *r, DocTable *t, gboolean csv)
{
    for (size_t row = 0; row < t->n_rows; row++) {
        GPtrArray *cells = g_ptr_array_index(r->rows, row);
        for (size_t col = 0; col < t->n_cols; col++) {
            const char *text = g_ptr_array_index(cells, col);
            if (doc_table_cell(t, row, col)->row_span == 0)
                continue; /* already covered by a span from the left */
            const char *why = NULL;
            if (g_str_equal(text, "^")) {
                why = span_down(t, row, col);
                size_t anchor = doc_table_cell(t, row, col)->anchor;
                const DocCell *a = &t->cells[anchor];
                for (size_t k = 1; why == NULL && anchor % t->n_cols == col &&
                                   k < (size_t)a->col_span; k++) {
                    const char *next = g_ptr_array_index(cells, col + k);
                    if (!g_str_equal(next, "^") && !g_str_equal(next, "<"))
                        why = "the cell above is merged over several columns: write “^” (or "
                              "“<”) under each of them to extend it";
                }
            }
            else if (g_str_equal(text, "<"))
                why = span_right(t, row, col);
            else if (*text == '\0' && row < t->header_rows && col > 0)
                (void)span_right(t, row, col); /* else an empty cell of its own */
            else
                doc_table_cell(t, row, col)->text = cell_text(r->doc, text, csv);
            if (why != NULL) {
                reader_fail(r, row + 1, col + 1, "%s", why);
                return FALSE;
            }
        }
    }
    return TRUE;
}

gboolean
table_is_number(const char *text)
{
    const char *p = text;
    if (*p == '-' || *p == '+')
        p++;
    size_t digits = 0;
    for (; g_ascii_isdigit(*p) || (*p == ',' && digits > 0); p++)
        digits += g_ascii_isdigit(*p) != 0;
    if (*p == '.') {
        p++;
        size_t frac = 0;
        for (; g_ascii_isdigit(*p); p++)
            frac++;
        if (frac == 0)
            return FALSE;
    }
    if (*p == '%')
        p++;
    return digits > 0 && *p == '\0';
}

gboolean
table_is_no_figure(const char *text)
{
    static const char *const marks[] = {"", "—", "——", "-", "－", "–", "/", "／"};
    for (size_t i = 0; i < G_N_ELEMENTS(marks); i++)
        if (g_str_equal(text, marks[i]))
            return TRUE;
    return FALSE;
}

static gboolean
counts_as_figure(const DocCell *cell)
{
    return cell->row_span > 0 && cell->col_span == 1 && !table_is_no_figure(cell->text);
}

int
table_label_level(const char *text)
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

/* A body row of headings: every cell that starts in it is a short text without digits or
 * sentence marks, not numbered, neither a figure nor blank (第二十条第（五）项; 信息内容 |
 * 本年处理决定数量; not 丙 | 3件, not 二、说明 | 本表数据未经审计，…). */
static gboolean
row_all_text(const DocTable *t, size_t row)
{
    size_t cells = 0;
    for (size_t col = 0; col < t->n_cols; col++) {
        const DocCell *cell = doc_table_cell(t, row, col);
        if (cell->row_span == 0)
            continue;
        const char *text = cell->text;
        if (table_is_no_figure(text) || strpbrk(text, "0123456789") != NULL ||
            table_label_level(text) >= 0 || g_utf8_strlen(text, -1) > 20)
            return FALSE;
        for (const char *m = "，。；！？"; *m != '\0'; m = g_utf8_next_char(m))
            if (g_utf8_strchr(text, -1, g_utf8_get_char(m)) != NULL)
                return FALSE;
        cells++;
    }
    return cells > 0;
}

/* A column is numeric when its body cells are numbers (or blank, or —) and one at least is.
 * A column of figures with a stray word in it (“12件”, “l0”) stays numeric, and the word is
 * a warning at its row and column: it is most likely a typing slip. Body rows all of text
 * that name columns of two figures or more (or places for them: blank, —, /) are headings of their own (the blocks of a table
 * like 主动公开政府信息情况): they are left out of the count. */
static void
table_find_numbers(Doc *doc, DocTable *t)
{
    gboolean *text_rows = g_new0(gboolean, t->n_rows);
    size_t *figures = g_new0(size_t, t->n_cols);
    for (size_t row = t->header_rows; row < t->n_rows; row++)
        text_rows[row] = row_all_text(t, row);
    for (size_t col = 0; col < t->n_cols; col++) {
        size_t numbers = 0, others = 0, blanks = 0;
        for (size_t row = t->header_rows; row < t->n_rows; row++) {
            const DocCell *cell = doc_table_cell(t, row, col);
            if (counts_as_figure(cell) && !text_rows[row])
                table_is_number(cell->text) ? numbers++ : others++;
            else if (cell->row_span > 0 && cell->col_span == 1 && !text_rows[row])
                blanks++; /* blank, — or /: where a figure goes */
        }
        t->numeric[col] = numbers > 0 && (others == 0 || (numbers >= 3 && numbers >= 4 * others));
        figures[col] = numbers + blanks;
        if (!t->numeric[col] || others == 0)
            continue;
        for (size_t row = t->header_rows; row < t->n_rows; row++) {
            const DocCell *cell = doc_table_cell(t, row, col);
            DocLoc loc = {t->file, (int)row + 1, (int)col + 1};
            if (counts_as_figure(cell) && !text_rows[row] && !table_is_number(cell->text))
                doc_warn(doc, loc, "“%s” is not a number, in a column of numbers", cell->text);
        }
    }
    for (size_t row = t->header_rows; row < t->n_rows; row++) {
        gboolean names_figures = FALSE;
        for (size_t col = 0; text_rows[row] && col < t->n_cols; col++)
            names_figures = names_figures || (t->numeric[col] && figures[col] >= 2);
        if (!names_figures)
            continue;
        if (t->subhead == NULL)
            t->subhead = g_new0(gboolean, t->n_rows);
        t->subhead[row] = TRUE;
    }
    g_free(figures);
    g_free(text_rows);
}

static gboolean
reader_check_shape(Reader *r, size_t header_rows)
{
    if (r->rows->len == 0) {
        reader_fail(r, 1, 1, "the table file is empty");
        return FALSE;
    }
    size_t cols = ((GPtrArray *)g_ptr_array_index(r->rows, 0))->len;
    if (cols > TABLE_MAX_COLS || r->rows->len > TABLE_MAX_ROWS) {
        reader_fail(r, 1, 1, "%u rows × %zu columns; the limit is %u × %u", r->rows->len, cols,
                    TABLE_MAX_ROWS, TABLE_MAX_COLS);
        return FALSE;
    }
    for (guint row = 1; row < r->rows->len; row++) {
        size_t n = ((GPtrArray *)g_ptr_array_index(r->rows, row))->len;
        if (n != cols) {
            reader_fail(r, row + 1, 1, "this row has %zu cell%s; the header row has %zu", n, n == 1 ? "" : "s", cols);
            return FALSE;
        }
    }
    if (header_rows > 0 && header_rows >= r->rows->len) {
        reader_fail(r, 1, 1, "header=%zu leaves no body row (the file has %u rows)", header_rows,
                    r->rows->len);
        return FALSE;
    }
    return TRUE;
}

DocTable *
table_parse(Doc *doc, const char *path, const char *data, size_t len, gboolean csv,
            size_t header_rows, GError **error)
{
    Reader r = {doc, path, g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref),
                g_ptr_array_new_with_free_func(g_free), error, FALSE};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    DocTable *table = NULL;
    if (reader_split(&r, data, len, csv) && reader_check_shape(&r, header_rows)) {
        size_t cols = ((GPtrArray *)g_ptr_array_index(r.rows, 0))->len;
        table = doc_new_table(doc, r.rows->len, cols);
        table->file = doc_intern(doc, path, -1);
        table->header_rows = header_rows;
        if (table_fill(&r, table, csv))
            table_find_numbers(doc, table);
        else
            table = NULL; /* still owned by the Doc, freed with it */
    }
    g_ptr_array_unref(r.current);
    g_ptr_array_unref(r.rows);
    return table;
}

/* ---- finding the file ---- */

/* A data file that cannot be read is a mistake in the report (GONGWEN_ERROR_INPUT), or a
 * file beyond a limit. */
static gboolean
path_fail(GError **error, DocLoc where, const char *file, GError *why)
{
    GongwenError code =
        why->code == GONGWEN_ERROR_LIMIT ? GONGWEN_ERROR_LIMIT : GONGWEN_ERROR_INPUT;
    diag_set_error(error, code, where, "%s: %s", file, why->message);
    g_error_free(why);
    return FALSE;
}

char *
data_file_path(const Doc *doc, const char *file, DocLoc where, GError **error)
{
    GError *why = NULL;
    if (!files_check_name(file, &why)) {
        path_fail(error, where, file, why);
        return NULL;
    }
    char *dir = g_path_get_dirname(doc->path);
    char *full = g_build_filename(dir, file, NULL);
    gboolean ok = files_check(dir, full, &why);
    g_free(dir);
    if (!ok) {
        path_fail(error, where, file, why);
        g_free(full);
        return NULL;
    }
    return full;
}

/* The rules beside a table (X.tsv -> X.rules, rules.h), read with the table so that a rules
 * file that cannot be read stops the report where it names the table. None is fine. */
static gboolean
rules_load(Doc *doc, DocTable *table, const char *dir, const char *file, DocLoc where,
           GError **error)
{
    const char *dot = strrchr(table->file, '.');
    if (dot == NULL || strchr(dot, '/') != NULL)
        dot = table->file + strlen(table->file);
    char *path = g_strdup_printf("%.*s.rules", (int)(dot - table->file), table->file);
    char *name = g_strdup_printf("%.*s.rules", (int)(strlen(file) - strlen(dot)), file);
    GError *why = NULL;
    struct stat st;
    /* lstat: a link that leads nowhere is a mistake to report, not a file that is not there */
    char *data = lstat(path, &st) != 0 && errno == ENOENT
                     ? NULL
                     : files_read(dir, path, FILES_MAX_RULES, "a rules file", NULL, &why);
    gboolean ok = TRUE;
    if (why != NULL) {
        ok = path_fail(error, where, name, why);
        why = NULL;
    } else if (data != NULL && !g_utf8_validate(data, -1, NULL)) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, where,
                       "%s: not UTF-8 text (or a NUL byte); save the file as UTF-8", name);
        ok = FALSE;
    } else if (data != NULL) {
        table->rules_file = doc_intern(doc, path, -1);
        table->rules = doc_intern(doc, data, -1);
    }
    g_free(data);
    g_free(name);
    g_free(path);
    return ok;
}

DocTable *
table_load(Doc *doc, const char *file, size_t header_rows, DocLoc where, GError **error)
{
    char *full = data_file_path(doc, file, where, error);
    if (full == NULL)
        return NULL;
    char *dir = g_path_get_dirname(doc->path);
    gsize len = 0;
    GError *why = NULL;
    DocTable *table = NULL;
    char *data = files_read(dir, full, TABLE_MAX_BYTES, "a table file", &len, &why);
    if (data == NULL)
        path_fail(error, where, file, why);
    else if (len == 0)
        diag_set_error(error, GONGWEN_ERROR_INPUT, where, "%s: the file is empty", file);
    else
        table = table_parse(doc, full, data, len, g_str_has_suffix(full, ".csv") ||
                                                      g_str_has_suffix(full, ".CSV"),
                            header_rows, error);
    if (table != NULL && !rules_load(doc, table, dir, file, where, error))
        table = NULL; /* still owned by the Doc, freed with it */
    g_free(data);
    g_free(dir);
    g_free(full);
    return table;
}

double
table_number_value(const char *text)
{
    char *clean = g_strdup(text), *w = clean;
    for (const char *p = text; *p != '\0'; p++)
        if (*p != ',' && *p != '%')
            *w++ = *p;
    *w = '\0';
    double v = g_ascii_strtod(clean, NULL);
    g_free(clean);
    return v;
}

char *
table_format_number(double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup(g_ascii_formatd(buf, sizeof buf, "%g", v));
}

char *
table_trimmed(const char *text)
{
    while (*text == ' ' || *text == '\t' || g_str_has_prefix(text, "\u3000"))
        text += *text == ' ' || *text == '\t' ? 1 : strlen("\u3000");
    char *copy = g_strstrip(g_strdup(text));
    while (g_str_has_suffix(copy, "\u3000"))
        copy[strlen(copy) - strlen("\u3000")] = '\0';
    return copy;
}
