/* gongwen: year over year (see previous.h). */
#include "previous.h"

#include "tablefile.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Joins the labels of a row or column into a key (never in a label). */
#define KEY_SEP "\x1f"

/* ---- cells ---- */

/* The figure in the cell at (row, col) when it is a merged cell's anchor (or a cell of its
 * own) and holds one: 1234, 1,234, 80.4%. */
static gboolean
cell_figure(const DocTable *t, size_t row, size_t col, double *value)
{
    const DocCell *cell = doc_table_cell(t, row, col);
    if (cell->row_span == 0)
        return FALSE;
    char *text = table_trimmed(cell->text);
    gboolean ok = table_is_number(text);
    if (ok)
        *value = table_number_value(text);
    g_free(text);
    return ok;
}

static gboolean
row_has_figure(const DocTable *t, size_t row)
{
    double v;
    for (size_t c = 0; c < t->n_cols; c++)
        if (cell_figure(t, row, c, &v))
            return TRUE;
    return FALSE;
}

/* A cell that holds a word, not a figure or a blank (—, /). */
static gboolean
is_word(const char *text)
{
    return !table_is_no_figure(text) && !table_is_number(text);
}

/* Add the trimmed text of the anchor of (row, col) to `key` unless it is the anchor added
 * last or not a word. */
static void
add_label(GString *key, const DocTable *t, size_t row, size_t col, size_t *last_anchor)
{
    size_t anchor = doc_table_cell(t, row, col)->anchor;
    if (anchor == *last_anchor)
        return;
    *last_anchor = anchor;
    char *text = table_trimmed(t->cells[anchor].text);
    if (is_word(text))
        g_string_append_printf(key, "%s%s", key->len > 0 ? KEY_SEP : "", text);
    g_free(text);
}

/* A row's labels, outermost first: the words of the cells before its first figure, merged
 * cells that reach it from above or from the left included (三、本年度办理结果, （三）不予公开,
 * 1.属于国家秘密). Owned; "" when it has none. */
static char *
row_key(const DocTable *t, size_t row)
{
    GString *key = g_string_new(NULL);
    size_t last = SIZE_MAX;
    double v;
    for (size_t c = 0; c < t->n_cols && !cell_figure(t, row, c, &v); c++)
        add_label(key, t, row, c, &last);
    return g_string_free(key, FALSE);
}

/* A body row of words only: a block's title or its column heads (信息内容 | 现行有效件数). */
static gboolean
is_heading_row(const DocTable *t, size_t row)
{
    if (row_has_figure(t, row))
        return FALSE;
    char *key = row_key(t, row);
    gboolean words = *key != '\0';
    g_free(key);
    return words;
}

/* For each row, the nearest heading row above it in the body, or -1. Owned (n_rows). */
static long *
nearest_headings(const DocTable *t)
{
    long *above = g_new(long, t->n_rows), heading = -1;
    for (size_t r = 0; r < t->n_rows; r++) {
        above[r] = heading;
        if (r >= t->header_rows && is_heading_row(t, r))
            heading = (long)r;
    }
    return above;
}

/* The labels over the figure at (row, col), outermost first: the header's cells over the
 * column, then the cell of `heading`, the nearest heading row above it in the body (a
 * block's column heads, as in table 二), if any. Owned; "" when there are none. */
static char *
column_key(const DocTable *t, size_t col, long heading)
{
    GString *key = g_string_new(NULL);
    size_t last = SIZE_MAX;
    for (size_t r = 0; r < t->header_rows; r++)
        add_label(key, t, r, col, &last);
    if (heading >= 0)
        add_label(key, t, (size_t)heading, col, &last);
    return g_string_free(key, FALSE);
}

/* The innermost label of a key ("" for none): the one a reader sees beside the cell. */
static const char *
key_last(const char *key)
{
    const char *sep = strrchr(key, KEY_SEP[0]);
    return sep != NULL ? sep + 1 : key;
}

/* The first body row with figures whose labels hold `word`, or -1. */
static long
find_row_with(const DocTable *t, const char *word)
{
    for (size_t r = t->header_rows; r < t->n_rows; r++) {
        if (!row_has_figure(t, r))
            continue;
        char *key = row_key(t, r);
        gboolean found = strstr(key, word) != NULL;
        g_free(key);
        if (found)
            return (long)r;
    }
    return -1;
}

/* The row and column of the anchor cell whose text is `word`, searched from row `from`. */
static gboolean
find_cell(const DocTable *t, size_t from, const char *word, size_t *row, size_t *col)
{
    for (size_t r = from; r < t->n_rows; r++)
        for (size_t c = 0; c < t->n_cols; c++) {
            const DocCell *cell = doc_table_cell(t, r, c);
            if (cell->row_span == 0)
                continue;
            char *text = table_trimmed(cell->text);
            gboolean found = g_str_equal(text, word);
            g_free(text);
            if (found) {
                *row = r, *col = c;
                return TRUE;
            }
        }
    return FALSE;
}

/* ---- the prescribed forms ---- */

typedef enum {
    FORM_APPLY,  /* table 三: 收到和处理政府信息公开申请情况 */
    FORM_ACTIVE, /* table 二 (2021): 主动公开政府信息情况, with 现行有效件数 */
} Form;

/* The table of `doc` that is the prescribed form `form`, found by its labels: the
 * application table by its rows 上年结转… and 结转下年度继续办理, table 二 by its column head
 * 现行有效件数. The one place that recognises a form here, so that the forms' own
 * recognition can take it over. NULL when the report has none. */
static const DocTable *
form_table(const Doc *doc, Form form)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocTable *t = doc->blocks[b].kind == DOC_BLOCK_TABLE ? doc->blocks[b].table : NULL;
        size_t row, col;
        if (t == NULL)
            continue;
        if (form == FORM_APPLY && find_row_with(t, "上年结转") >= 0 &&
            find_row_with(t, "结转下年") >= 0)
            return t;
        if (form == FORM_ACTIVE && find_cell(t, 0, "现行有效件数", &row, &col))
            return t;
    }
    return NULL;
}

/* The two reports and their prescribed tables, found once. */
typedef struct {
    const Doc *doc, *last;
    const DocTable *form[FORM_ACTIVE + 1], *last_form[FORM_ACTIVE + 1];
    GPtrArray *diags;
} Years;

/* That last year's report has no such table: the comparison is not made (a warning at
 * this year's row). */
static void
warn_missing(GPtrArray *diags, const DocTable *t, size_t row, const Doc *last, const char *what)
{
    DiagAt at = {t->file, (int)row + 1, 1};
    diag_add(diags, DIAG_WARNING, at,
             "last year's report (%s) has no table with %s: this figure is not compared with "
             "last year's",
             last->path, what);
}

/* ---- the carry-over: 上年结转 = last year's 结转下年度继续办理, column by column ---- */

/* The column of row `row` of `t` that holds the figure under the same labels as `key` (or,
 * when no column has them, the `ordinal`-th figure of the row when both rows have `count`);
 * `headings` is nearest_headings(t). */
static long
matching_column(const DocTable *t, const long *headings, size_t row, const char *key,
                size_t ordinal, size_t count)
{
    long by_position = -1, found = -1;
    size_t n = 0;
    double v;
    for (size_t c = 0; c < t->n_cols && found < 0; c++) {
        if (!cell_figure(t, row, c, &v))
            continue;
        char *k = column_key(t, c, headings[row]);
        gboolean same = g_str_equal(k, key);
        g_free(k);
        if (same)
            found = (long)c;
        else if (n++ == ordinal)
            by_position = (long)c;
    }
    return found >= 0 ? found : n == count ? by_position : -1;
}

static size_t
count_figures(const DocTable *t, size_t row)
{
    size_t n = 0;
    double v;
    for (size_t c = 0; c < t->n_cols; c++)
        n += cell_figure(t, row, c, &v);
    return n;
}

static void
check_carry_over(const Years *y)
{
    const DocTable *t = y->form[FORM_APPLY], *lt = y->last_form[FORM_APPLY];
    const Doc *last = y->last;
    GPtrArray *diags = y->diags;
    if (t == NULL)
        return;
    size_t in = (size_t)find_row_with(t, "上年结转");
    long out = lt != NULL ? find_row_with(lt, "结转下年") : -1;
    if (out < 0) {
        warn_missing(diags, t, in, last, "a 结转下年度继续办理 row");
        return;
    }
    char *in_key = row_key(t, in), *out_key = row_key(lt, (size_t)out);
    long *headings = nearest_headings(t), *last_headings = nearest_headings(lt);
    size_t count = count_figures(t, in), ordinal = 0;
    if (count != count_figures(lt, (size_t)out))
        count = SIZE_MAX; /* columns are matched by their labels only */
    for (size_t c = 0; c < t->n_cols; c++) {
        double now, then;
        if (!cell_figure(t, in, c, &now))
            continue;
        char *key = column_key(t, c, headings[in]);
        long lc = matching_column(lt, last_headings, (size_t)out, key, ordinal++, count);
        if (lc >= 0 && cell_figure(lt, (size_t)out, (size_t)lc, &then) && fabs(now - then) > 1e-6) {
            char *a = table_format_number(now), *b = table_format_number(then);
            DiagAt at = {t->file, (int)in + 1, (int)c + 1};
            diag_add(diags, DIAG_ERROR, at,
                     "%s, %s: %s, but last year's %s has %s (%s:%ld:%ld): the applications "
                     "carried over must agree",
                     key_last(in_key), key_last(key), a, key_last(out_key), b, lt->file, out + 1,
                     lc + 1);
            g_free(a);
            g_free(b);
        }
        g_free(key);
    }
    g_free(headings);
    g_free(last_headings);
    g_free(in_key);
    g_free(out_key);
}

/* ---- table 二: 现行有效件数 = last year's + 本年制发件数 − 本年废止件数 ---- */

typedef struct {
    size_t head;         /* the row of the column heads */
    size_t valid;        /* 现行有效件数 */
    long made, repealed; /* 本年制发件数, 本年废止件数, or -1 */
} ActiveColumns;

static gboolean
active_columns(const DocTable *t, ActiveColumns *a)
{
    size_t row, col;
    if (t == NULL || !find_cell(t, 0, "现行有效件数", &a->head, &a->valid))
        return FALSE;
    a->made = a->repealed = -1;
    if (find_cell(t, a->head, "本年制发件数", &row, &col) && row == a->head)
        a->made = (long)col;
    if (find_cell(t, a->head, "本年废止件数", &row, &col) && row == a->head)
        a->repealed = (long)col;
    return TRUE;
}

/* A row label as compared across years: 规范性文件 is 行政规范性文件 (reports vary). */
static const char *
kind_label(const char *label)
{
    return g_str_has_prefix(label, "行政") ? label + strlen("行政") : label;
}

/* Last year's row of the block under `a` with the label `label`, or -1. */
static long
active_row(const DocTable *t, const ActiveColumns *a, const char *label)
{
    for (size_t r = a->head + 1; r < t->n_rows && row_has_figure(t, r); r++) {
        char *key = row_key(t, r);
        gboolean same = g_str_equal(kind_label(key_last(key)), kind_label(label));
        g_free(key);
        if (same)
            return (long)r;
    }
    return -1;
}

static void
check_active_row(const DocTable *t, const ActiveColumns *a, size_t r, const DocTable *lt,
                 const ActiveColumns *la, GPtrArray *diags)
{
    double now, then, made = 0, repealed = 0;
    char *key = row_key(t, r);
    long lr = active_row(lt, la, key_last(key));
    if (lr >= 0 && cell_figure(t, r, a->valid, &now) &&
        cell_figure(lt, (size_t)lr, la->valid, &then) &&
        (a->made < 0 || cell_figure(t, r, (size_t)a->made, &made)) &&
        (a->repealed < 0 || cell_figure(t, r, (size_t)a->repealed, &repealed)) &&
        fabs(then + made - repealed - now) > 1e-6) {
        char *n = table_format_number(now), *l = table_format_number(then), *m = table_format_number(made),
             *p = table_format_number(repealed), *e = table_format_number(then + made - repealed);
        DiagAt at = {t->file, (int)r + 1, (int)a->valid + 1};
        diag_add(diags, DIAG_WARNING, at,
                 "%s, 现行有效件数: %s, but last year's %s (%s:%ld:%zu) + 本年制发件数 %s − "
                 "本年废止件数 %s = %s",
                 key_last(key), n, l, lt->file, lr + 1, la->valid + 1, m, p, e);
        g_free(n);
        g_free(l);
        g_free(m);
        g_free(p);
        g_free(e);
    }
    g_free(key);
}

static void
check_active(const Years *y)
{
    const DocTable *t = y->form[FORM_ACTIVE], *lt = y->last_form[FORM_ACTIVE];
    const Doc *last = y->last;
    GPtrArray *diags = y->diags;
    ActiveColumns a, la;
    if (!active_columns(t, &a))
        return;
    if (!active_columns(lt, &la)) {
        warn_missing(diags, t, a.head, last, "a 现行有效件数 column");
        return;
    }
    for (size_t r = a.head + 1; r < t->n_rows && row_has_figure(t, r); r++)
        check_active_row(t, &a, r, lt, &la, diags);
}

/* ---- figures changed by more than a factor of 3 ---- */

typedef struct {
    char *key;          /* row key, column key, and the occurrence when several cells have them */
    char *row, *column; /* the innermost labels of the row and the column (may be "") */
    size_t r, c;
    double value;
} Figure;

static void
figure_free(gpointer data)
{
    Figure *f = data;
    g_free(f->key);
    g_free(f->row);
    g_free(f->column);
    g_free(f);
}

/* Every figure of `t` with its labels, in reading order (Figure*, owned). */
static GPtrArray *
table_figures(const DocTable *t)
{
    GPtrArray *figures = g_ptr_array_new_with_free_func(figure_free);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    long *headings = nearest_headings(t);
    for (size_t r = t->header_rows; r < t->n_rows; r++) {
        char *rk = NULL;
        for (size_t c = 0; c < t->n_cols; c++) {
            double v;
            if (!cell_figure(t, r, c, &v))
                continue;
            if (rk == NULL)
                rk = row_key(t, r);
            char *ck = column_key(t, c, headings[r]);
            char *key = g_strdup_printf("%s\x1e%s", rk, ck);
            guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key)) + 1;
            g_hash_table_insert(seen, g_strdup(key), GUINT_TO_POINTER(n));
            Figure *f = g_new(Figure, 1);
            f->key = n > 1 ? g_strdup_printf("%s\x1e%u", key, n) : g_strdup(key);
            f->row = g_strdup(key_last(rk)), f->column = g_strdup(key_last(ck));
            f->r = r, f->c = c, f->value = v;
            g_ptr_array_add(figures, f);
            g_free(key);
            g_free(ck);
        }
        g_free(rk);
    }
    g_free(headings);
    g_hash_table_destroy(seen);
    return figures;
}

static void
check_factor(const Figure *now, const DocTable *t, const Figure *then, const DocTable *lt,
             GPtrArray *diags)
{
    double lo = MIN(now->value, then->value), hi = MAX(now->value, then->value);
    if (lo <= 0 || hi < PREVIOUS_FACTOR_FLOOR || hi <= PREVIOUS_FACTOR * lo)
        return;
    char *a = table_format_number(now->value), *b = table_format_number(then->value);
    GString *where = g_string_new(now->row);
    if (*now->column != '\0')
        g_string_append_printf(where, "%s%s", where->len > 0 ? ", " : "", now->column);
    DiagAt at = {t->file, (int)now->r + 1, (int)now->c + 1};
    diag_add(diags, DIAG_WARNING, at,
             "%s: %s, last year %s (%s:%zu:%zu): %s by a factor of %.1f; a typing error?",
             where->str, a, b, lt->file, then->r + 1, then->c + 1,
             now->value > then->value ? "up" : "down", hi / lo);
    g_string_free(where, TRUE);
    g_free(a);
    g_free(b);
}

static void
compare_figures(const DocTable *t, const DocTable *lt, GPtrArray *diags)
{
    GPtrArray *now = table_figures(t), *then = table_figures(lt);
    GHashTable *index = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint k = 0; k < then->len; k++) {
        Figure *f = g_ptr_array_index(then, k);
        g_hash_table_insert(index, f->key, f);
    }
    for (guint k = 0; k < now->len; k++) {
        const Figure *f = g_ptr_array_index(now, k);
        const Figure *g = g_hash_table_lookup(index, f->key);
        if (g != NULL)
            check_factor(f, t, g, lt, diags);
    }
    g_hash_table_destroy(index);
    g_ptr_array_free(now, TRUE);
    g_ptr_array_free(then, TRUE);
}

/* Last year's table that is this year's `block`: the same prescribed form, else the same
 * file name, else the same title. NULL when there is none. */
static const DocTable *
last_years_table(const Years *y, const DocBlock *block)
{
    const Doc *last = y->last;
    for (int form = FORM_APPLY; form <= FORM_ACTIVE; form++)
        if (y->form[form] == block->table)
            return y->last_form[form];
    char *name = g_path_get_basename(block->table->file);
    const DocTable *found = NULL;
    for (int pass = 0; pass < 2 && found == NULL; pass++)
        for (size_t b = 0; b < last->n_blocks && found == NULL; b++) {
            const DocBlock *lb = &last->blocks[b];
            if (lb->kind != DOC_BLOCK_TABLE || lb->table == NULL)
                continue;
            char *lname = g_path_get_basename(lb->table->file);
            if (pass == 0 ? g_str_equal(name, lname)
                          : *block->text != '\0' && g_str_equal(block->text, lb->text))
                found = lb->table;
            g_free(lname);
        }
    g_free(name);
    return found;
}

static void
check_factors(const Years *y)
{
    const Doc *doc = y->doc;
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->kind != DOC_BLOCK_TABLE || block->table == NULL)
            continue;
        const DocTable *lt = last_years_table(y, block);
        if (lt != NULL)
            compare_figures(block->table, lt, y->diags);
    }
}

/* ---- paragraphs copied from last year ---- */

#define BAG_SIZE 251

typedef struct {
    const DocBlock *block;
    gunichar *chars;
    glong n;
    guint16 bag[BAG_SIZE]; /* characters counted by their value mod BAG_SIZE (when n fits) */
    guint8 used[BAG_SIZE]; /* the buckets of the bag that are not empty, n_used of them */
    size_t n_used;
} Para;

/* A paragraph to compare: body text of PREVIOUS_MIN_CHARS or more (a run-in heading with
 * its text, an article, an item), but not a heading alone nor the sentence stating the
 * statistics period, which the form asks every report to write. */
static gboolean
comparable(const DocBlock *b)
{
    gboolean text = b->kind == DOC_BLOCK_PARAGRAPH || b->kind == DOC_BLOCK_ARTICLE ||
                    b->kind == DOC_BLOCK_ITEM ||
                    (b->kind == DOC_BLOCK_HEADING && b->head_len < strlen(b->text));
    return text && strstr(b->text, "统计期限") == NULL && strstr(b->text, "统计时限") == NULL &&
           g_utf8_strlen(b->text, -1) >= PREVIOUS_MIN_CHARS;
}

static void
para_free(gpointer data)
{
    Para *p = data;
    g_free(p->chars);
    g_free(p);
}

/* The paragraphs of `doc` to compare, the first PREVIOUS_MAX_PARAS of them; `more` is set
 * when it has more. */
static GPtrArray *
doc_paras(const Doc *doc, const DocBlock **more)
{
    GPtrArray *paras = g_ptr_array_new_with_free_func(para_free);
    *more = NULL;
    for (size_t b = 0; b < doc->n_blocks && *more == NULL; b++) {
        if (!comparable(&doc->blocks[b]))
            continue;
        if (paras->len == PREVIOUS_MAX_PARAS) {
            *more = &doc->blocks[b];
            break;
        }
        Para *p = g_new0(Para, 1);
        p->block = &doc->blocks[b];
        p->chars = g_utf8_to_ucs4_fast(p->block->text, -1, &p->n);
        for (glong i = 0; i < p->n && p->n <= G_MAXUINT16; i++)
            if (p->bag[p->chars[i] % BAG_SIZE]++ == 0)
                p->used[p->n_used++] = (guint8)(p->chars[i] % BAG_SIZE);
        g_ptr_array_add(paras, p);
    }
    return paras;
}

/* The edit distance (Levenshtein, in characters) of a and b if it is at most k, else k + 1;
 * only the band of diagonals within k is computed, and only while a row holds a distance
 * within k. `rows` holds 2 × (m + 1) ints. `work` counts the cells computed; -1 when it
 * would pass `budget`. */
static glong
distance_within(const gunichar *a, glong n, const gunichar *b, glong m, glong k, glong *rows,
                guint64 *work, guint64 budget)
{
    const glong inf = k + 1;
    if (labs(n - m) > k)
        return inf;
    glong *prev = rows, *cur = rows + m + 1;
    for (glong j = 0; j <= m; j++)
        prev[j] = j <= k ? j : inf;
    for (glong i = 1; i <= n; i++) {
        glong lo = MAX(1, i - k), hi = MIN(m, i + k);
        cur[0] = i <= k ? i : inf;
        if (lo > 1)
            cur[lo - 1] = inf;
        glong best = cur[lo - 1];
        *work += (guint64)(hi - lo + 1);
        if (*work > budget)
            return -1;
        for (glong j = lo; j <= hi; j++) {
            glong v = prev[j - 1] + (a[i - 1] != b[j - 1]);
            v = MIN(v, prev[j] + 1);
            v = MIN(v, cur[j - 1] + 1);
            cur[j] = MIN(v, inf);
            best = MIN(best, cur[j]);
        }
        if (hi < m)
            cur[hi + 1] = inf;
        if (best > k)
            return inf;
        glong *swap = prev;
        prev = cur, cur = swap;
    }
    return prev[m];
}

/* Whether p and q have `common` characters or more in common, counted by their bags (the
 * characters of p that q lacks, bucket by bucket, stopping when there are too many); TRUE
 * when a paragraph is too long for its bag. `work` counts the buckets looked at. */
static gboolean
bags_share(const Para *p, const Para *q, glong common, guint64 *work)
{
    if (p->n > G_MAXUINT16 || q->n > G_MAXUINT16)
        return TRUE;
    glong lacking = 0, most = p->n - common;
    for (size_t i = 0; i < p->n_used && lacking <= most; i++) {
        size_t b = p->used[i];
        lacking += p->bag[b] > q->bag[b] ? p->bag[b] - q->bag[b] : 0;
        *work += 1;
    }
    return lacking <= most;
}

/* The most characters in which two paragraphs, the longer `longer` characters long, may
 * differ and still be PREVIOUS_SAME_PERCENT the same. */
static glong
most_edits(glong longer)
{
    return longer * (100 - PREVIOUS_SAME_PERCENT) / 100;
}

/* The edit distance of p and q when it leaves them PREVIOUS_SAME_PERCENT the same or more
 * (of the longer's characters), else -1. Cheap tests first: the lengths, the characters in
 * common, then the banded distance. `work` counts the steps taken; -2 when they would pass
 * `budget`. */
static glong
same_distance(const Para *p, const Para *q, glong *rows, guint64 *work, guint64 budget)
{
    glong longer = MAX(p->n, q->n), k = most_edits(longer);
    *work += 16; /* a pair's own cost, about that of 16 buckets or cells */
    if (*work > budget)
        return -2;
    if (longer - MIN(p->n, q->n) > k || !bags_share(p, q, longer - k, work))
        return -1;
    glong d = distance_within(p->chars, p->n, q->chars, q->n, k, rows, work, budget);
    return d < 0 ? -2 : d <= k ? d : -1;
}

static gint
by_length(gconstpointer a, gconstpointer b)
{
    const Para *p = *(Para *const *)a, *q = *(Para *const *)b;
    if (p->n != q->n)
        return p->n < q->n ? -1 : 1;
    return p->block < q->block ? -1 : p->block > q->block;
}

/* The first of `sorted` (by length) at least `n` characters long. */
static guint
first_of_length(const GPtrArray *sorted, glong n)
{
    guint lo = 0, hi = sorted->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        if (((const Para *)g_ptr_array_index(sorted, mid))->n < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Last year's paragraph most like `p` (by the share of characters the same) if one is
 * PREVIOUS_SAME_PERCENT the same or more, with its distance; only those of a length that
 * can be (`then` is sorted by length). FALSE when the work budget ran out. */
static gboolean
most_like(const Para *p, const GPtrArray *then, glong *rows, guint64 *work, const Para **best,
          glong *best_d)
{
    *best = NULL;
    glong best_n = 1;
    /* q as long as p or longer is within reach when q − p <= most_edits(q); shorter, when
     * p − q <= most_edits(p) */
    glong shortest = p->n - most_edits(p->n);
    for (guint j = first_of_length(then, shortest); j < then->len; j++) {
        const Para *q = g_ptr_array_index(then, j);
        if (q->n > p->n && q->n - p->n > most_edits(q->n))
            break;
        glong d = same_distance(p, q, rows, work, PREVIOUS_MAX_WORK), n = MAX(p->n, q->n);
        if (d == -2)
            return FALSE;
        if (d >= 0 && (*best == NULL || d * best_n < *best_d * n ||
                       (d * best_n == *best_d * n && q->block < (*best)->block)))
            *best = q, *best_d = d, best_n = n;
    }
    return TRUE;
}

static void
check_copied(const Doc *doc, const Doc *last, GPtrArray *diags)
{
    const DocBlock *more_now, *more_then;
    GPtrArray *now = doc_paras(doc, &more_now), *then = doc_paras(last, &more_then);
    g_ptr_array_sort(then, by_length);
    glong longest = then->len > 0 ? ((Para *)g_ptr_array_index(then, then->len - 1))->n : 0;
    glong *rows = g_new(glong, 2 * ((size_t)longest + 1));
    guint64 work = 0;
    const DocBlock *stop = NULL;
    for (guint i = 0; i < now->len && stop == NULL; i++) {
        const Para *p = g_ptr_array_index(now, i), *best = NULL;
        glong d = 0;
        if (!most_like(p, then, rows, &work, &best, &d))
            stop = p->block;
        else if (best != NULL)
            diag_add(diags, DIAG_WARNING, p->block->loc,
                     "this paragraph is %ld %% the same as last year's at %s:%d; write this "
                     "year's own (内容雷同)",
                     (MAX(p->n, best->n) - d) * 100 / MAX(p->n, best->n), last->path,
                     best->block->loc.line);
    }
    if (stop != NULL)
        diag_add(diags, DIAG_WARNING, stop->loc,
                 "paragraphs from here on are not compared with last year's (%s): comparing "
                 "them all would take too long",
                 last->path);
    else if (more_now != NULL)
        diag_add(diags, DIAG_WARNING, more_now->loc,
                 "paragraphs from here on are not compared with last year's (%s): only the "
                 "first %d are",
                 last->path, PREVIOUS_MAX_PARAS);
    if (more_then != NULL)
        diag_add(diags, DIAG_WARNING, more_then->loc,
                 "last year's paragraphs from here on are not compared with this year's: only "
                 "the first %d are",
                 PREVIOUS_MAX_PARAS);
    g_free(rows);
    g_ptr_array_free(now, TRUE);
    g_ptr_array_free(then, TRUE);
}

void
previous_check(const Doc *doc, const Doc *last, GPtrArray *diags)
{
    g_return_if_fail(doc != NULL && last != NULL && diags != NULL);
    Years y = {doc, last, {NULL}, {NULL}, diags};
    for (int form = FORM_APPLY; form <= FORM_ACTIVE; form++) {
        y.form[form] = form_table(doc, (Form)form);
        y.last_form[form] = form_table(last, (Form)form);
    }
    check_carry_over(&y);
    check_active(&y);
    check_factors(&y);
    check_copied(doc, last, diags);
}

/* ---- last year's folder beside this one ---- */

/* `name` with its last year (four digits, 1900–2099, not part of a longer number) less one;
 * owned, or NULL when it holds none. */
static char *
name_year_before(const char *name)
{
    const char *year = NULL;
    for (const char *p = name; *p != '\0';) {
        const char *start = p;
        while (g_ascii_isdigit(*p))
            p++;
        if (p - start == 4 && (g_str_has_prefix(start, "19") || g_str_has_prefix(start, "20")))
            year = start;
        if (p == start)
            p++;
    }
    if (year == NULL)
        return NULL;
    int value = (int)g_ascii_strtoll(year, NULL, 10);
    return g_strdup_printf("%.*s%04d%s", (int)(year - name), name, value - 1, year + 4);
}

char *
previous_find_sibling(const char *report)
{
    char *folder =
        g_file_test(report, G_FILE_TEST_IS_DIR) ? g_strdup(report) : g_path_get_dirname(report);
    for (size_t n = strlen(folder); n > 1 && folder[n - 1] == G_DIR_SEPARATOR; n--)
        folder[n - 1] = '\0'; /* reports/foo-2024/ is reports/foo-2024 */
    char *base = g_path_get_basename(folder), *parent = NULL;
    if (g_str_equal(base, ".") || g_str_equal(base, "..") || g_str_equal(base, G_DIR_SEPARATOR_S)) {
        char *full = g_canonicalize_filename(folder, NULL);
        g_free(base);
        base = g_path_get_basename(full);
        parent = g_path_get_dirname(full);
        g_free(full);
    } else {
        parent = g_path_get_dirname(folder);
    }
    char *name = name_year_before(base), *sibling = NULL;
    if (name != NULL) {
        sibling = g_str_equal(parent, ".") ? g_strdup(name) : g_build_filename(parent, name, NULL);
        char *source = g_build_filename(sibling, "report.txt", NULL);
        if (!g_file_test(source, G_FILE_TEST_IS_REGULAR))
            g_clear_pointer(&sibling, g_free);
        g_free(source);
    }
    g_free(name);
    g_free(base);
    g_free(parent);
    g_free(folder);
    return sibling;
}
