/* gongwen: a chart's figures taken from a table file (see charttable.h).
 *
 * A table's row labels are the non-empty cells of its label columns (table_is_label_column)
 * that start in a body row. A label covers the rows of its cell and, in a column of
 * numbered labels, the rows below it numbered deeper (（一） over its 1．2．3．, 4． over
 * its 其中 rows): those are the labels “under” it. A label's figure is its row's; a label
 * that heads other labels in its own row (（三）不予公开 beside 1.属于国家秘密 in the
 * application table) has none of its own and takes the sum of its rows, or its 总计 row. */
#include "charttable.h"

#include "chartdata.h"
#include "source-imp.h"
#include "table.h"
#include "tablefile.h"

#include <math.h>
#include <string.h>

typedef struct {
    size_t row, col; /* the label cell's anchor */
    size_t span_end; /* rows [row, span_end): the cell */
    size_t end;      /* rows [row, end): and the rows numbered below it in its column */
    int level;       /* table_label_level: 一、 0 … （1） 3; -1 unnumbered */
    char *text;      /* trimmed, one line */
    char *shown;     /* as a chart names it: no numbering, no 其中： */
    char *key;       /* text and shown, match_key'd */
    char *bare;
} Label;

typedef struct {
    const DocTable *t;
    const char *name; /* the file as the @chart line writes it */
    GArray *labels;   /* Label, in reading order: row by row, left to right */
    gssize *owner;    /* per row: the label its figures belong to (its last), or -1 */
    GError **error;
} Pick;

/* One entry of a list option (rows=, column=, labels=) and where it starts on the line. */
typedef struct {
    char *text;
    DocLoc at;
} Entry;

/* A category chosen: a label, and the entry of rows= that chose it. */
typedef struct {
    guint label;
    DocLoc at;
} Chosen;

#define MAX_SUGGESTIONS 3

static gboolean pick_fail(Pick *p, DocLoc at, const char *format, ...) G_GNUC_PRINTF(3, 4);

static gboolean
pick_fail(Pick *p, DocLoc at, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    diag_set_error(p->error, GONGWEN_ERROR_INPUT, at, "%s: %s", p->name, message);
    g_free(message);
    return FALSE;
}

/* ---- text --------------------------------------------------------------------------------- */

/* A cell's text on one line, white space at its ends left out. Owned. */
static char *
one_line(const char *text)
{
    GString *out = g_string_new(NULL);
    for (const char *s = skip_space(text); *s != '\0'; s++)
        if (*s != '\n')
            g_string_append_c(out, *s);
    while (out->len > 0 && space_len(out->str + out->len - 1) == 1)
        g_string_truncate(out, out->len - 1);
    while (out->len >= 3 && g_str_has_suffix(out->str, "\u3000"))
        g_string_truncate(out, out->len - 3);
    return g_string_free(out, FALSE);
}

/* `text` as labels are compared: white space left out, full-width letters, digits and
 * marks as their ASCII forms (（一） as (一), 1． as 1.), 、 after a digit as a point. */
static char *
match_key(const char *text)
{
    GString *out = g_string_new(NULL);
    gunichar prev = 0;
    for (const char *s = text; *s != '\0'; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000)
            continue;
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0;
        else if (c == 0x3001 && prev < 0x80 && g_ascii_isdigit((char)prev))
            c = '.';
        g_string_append_unichar(out, c);
        prev = c;
    }
    return g_string_free(out, FALSE);
}

/* The start of a note in brackets that ends `text` (（区分处理的，只计这一情形…）), or its
 * end when there is none. */
static const char *
closing_note(const char *text)
{
    size_t len = strlen(text);
    if (!g_str_has_suffix(text, "）"))
        return text + len;
    int depth = 0;
    for (const char *s = text + len; s > text;) {
        s = g_utf8_prev_char(s);
        if (g_str_has_prefix(s, "）"))
            depth++;
        else if (g_str_has_prefix(s, "（") && --depth == 0)
            return s;
    }
    return text + len;
}

/* A label as a chart names its category: without its numbering (一、 （一） 1. 1． 1、
 * （1）), 其中：, or a note in brackets at its end; the label itself when nothing is left.
 * Owned. */
static char *
shown_label(const char *text)
{
    HeadingMatch m;
    const char *rest = match_heading(text, &m) ? text + m.number_len : text;
    if (g_str_has_prefix(rest, "其中："))
        rest += strlen("其中：");
    else if (g_str_has_prefix(rest, "其中:"))
        rest += strlen("其中:");
    rest = skip_space(rest);
    const char *note = closing_note(rest);
    return note > rest ? g_strndup(rest, (gsize)(note - rest)) : g_strdup(text);
}

/* Edit distance between two strings, in characters. */
static size_t
edit_distance(const char *a, const char *b)
{
    glong na = 0, nb = 0;
    gunichar *ua = g_utf8_to_ucs4_fast(a, -1, &na), *ub = g_utf8_to_ucs4_fast(b, -1, &nb);
    size_t *row = g_new(size_t, (size_t)nb + 1);
    for (glong j = 0; j <= nb; j++)
        row[j] = (size_t)j;
    for (glong i = 1; i <= na; i++) {
        size_t diagonal = row[0];
        row[0] = (size_t)i;
        for (glong j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = MIN(row[j], row[j - 1]) + 1;
            row[j] = MIN(best, diagonal + (ua[i - 1] != ub[j - 1]));
            diagonal = up;
        }
    }
    size_t d = row[nb];
    g_free(row);
    g_free(ua);
    g_free(ub);
    return d;
}

/* How far `key` (match_key'd) is from naming `text`: 0 when text holds it, else the edit
 * distance to text's beginning of as many characters, plus one. */
static size_t
distance_to(const char *key, const char *text)
{
    if (strstr(text, key) != NULL)
        return 0;
    glong n = g_utf8_strlen(key, -1);
    char *start = g_strndup(
        text, (gsize)(g_utf8_offset_to_pointer(text, MIN(n, g_utf8_strlen(text, -1))) - text));
    size_t d = edit_distance(key, start) + 1;
    g_free(start);
    return d;
}

/* ---- the table's labels ------------------------------------------------------------------ */

static gboolean
is_subhead(const DocTable *t, size_t row)
{
    return t->subhead != NULL && t->subhead[row];
}

/* Whether a label reads as the total of the rows above it (总计, 合计). */
static gboolean
is_total(const Label *l)
{
    return g_str_has_prefix(l->bare, "总计") || g_str_has_prefix(l->bare, "合计");
}

/* The rows below the label cell at (row, col) numbered deeper than it, in its column: the
 * end of them. */
static size_t
numbered_end(const DocTable *t, size_t col, size_t end, int level)
{
    while (level >= 0 && end < t->n_rows && !is_subhead(t, end)) {
        const DocCell *next = doc_table_cell(t, end, col);
        const char *text = skip_space(next->text);
        if (next->row_span == 0 || *text == '\0' || g_str_has_prefix(text, "总计") ||
            g_str_has_prefix(text, "合计"))
            break;
        int deeper = table_label_level(text);
        if (deeper >= 0 && deeper <= level)
            break;
        end += (size_t)next->row_span;
    }
    return end;
}

static void
label_clear(gpointer data)
{
    Label *l = data;
    g_free(l->text);
    g_free(l->shown);
    g_free(l->key);
    g_free(l->bare);
}

static GArray *
collect_labels(const DocTable *t)
{
    GArray *labels = g_array_new(FALSE, TRUE, sizeof(Label));
    g_array_set_clear_func(labels, label_clear);
    for (size_t r = t->header_rows; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_cols && !is_subhead(t, r); c++) {
            const DocCell *cell = doc_table_cell(t, r, c);
            if (cell->row_span == 0 || !table_is_label_column(t, c) ||
                *skip_space(cell->text) == '\0')
                continue;
            Label l = {r,    c,   r + (size_t)cell->row_span, 0, 0, one_line(cell->text), NULL,
                       NULL, NULL};
            l.level = table_label_level(l.text);
            l.end = numbered_end(t, c, l.span_end, l.level);
            l.shown = shown_label(l.text);
            l.key = match_key(l.text);
            l.bare = match_key(l.shown);
            g_array_append_val(labels, l);
        }
    }
    return labels;
}

static const Label *
label_at(const Pick *p, guint index)
{
    return &g_array_index(p->labels, Label, index);
}

/* The label of body row `row` that its figures belong to: its last; NULL when none. */
static const Label *
row_label(const Pick *p, size_t row)
{
    return p->owner[row] >= 0 ? label_at(p, (guint)p->owner[row]) : NULL;
}

/* Pick.owner: the last label of each row. Owned. */
static gssize *
row_owners(const DocTable *t, const GArray *labels)
{
    gssize *owner = g_new(gssize, t->n_rows);
    for (size_t r = 0; r < t->n_rows; r++)
        owner[r] = -1;
    for (guint i = 0; i < labels->len; i++)
        owner[g_array_index(labels, Label, i).row] = (gssize)i;
    return owner;
}

/* Whether `inner` lies under `outer`: in its rows, right of it in its first row. */
static gboolean
is_under(const Label *outer, const Label *inner)
{
    if (inner->row < outer->row || inner->row >= outer->end || inner == outer)
        return FALSE;
    return inner->row > outer->row ? inner->col >= outer->col : inner->col > outer->col;
}

/* The labels under `outer` (indices), or every label when `outer` is NULL. */
static GArray *
labels_under(const Pick *p, const Label *outer)
{
    GArray *scope = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < p->labels->len; i++)
        if (outer == NULL || is_under(outer, label_at(p, i)))
            g_array_append_val(scope, i);
    return scope;
}

/* The label a label is under, the nearest; NULL at the top. */
static const Label *
label_above(const Pick *p, const Label *inner)
{
    const Label *best = NULL;
    for (guint i = 0; i < p->labels->len; i++) {
        const Label *l = label_at(p, i);
        if (is_under(l, inner) && (best == NULL || is_under(best, l)))
            best = l;
    }
    return best;
}

/* ---- choosing rows ------------------------------------------------------------------------ */

/* “text” (row N), … for the labels of `list` (indices), at most `max`. */
static char *
label_list(const Pick *p, const GArray *list, guint max)
{
    GString *out = g_string_new(NULL);
    for (guint k = 0; k < list->len && k < max; k++) {
        const Label *l = label_at(p, g_array_index(list, guint, k));
        g_string_append_printf(out, "%s“%s” (row %zu)", k > 0 ? ", " : "", l->text, l->row + 1);
    }
    if (list->len > max)
        g_string_append_printf(out, " and %u more", list->len - max);
    return g_string_free(out, FALSE);
}

typedef struct {
    guint index;
    size_t distance;
} Near;

static gint
near_compare(gconstpointer a, gconstpointer b)
{
    const Near *x = a, *y = b;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* No label of `scope` begins with `key`: the error, with the closest labels. */
static gboolean
label_not_found(Pick *p, const GArray *scope, const char *spec, const char *key, DocLoc at,
                const Label *under)
{
    GArray *near = g_array_new(FALSE, FALSE, sizeof(Near));
    for (guint k = 0; k < scope->len; k++) {
        const Label *l = label_at(p, g_array_index(scope, guint, k));
        Near n = {g_array_index(scope, guint, k),
                  MIN(distance_to(key, l->key), distance_to(key, l->bare))};
        g_array_append_val(near, n);
    }
    g_array_sort(near, near_compare);
    GArray *closest = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint k = 0; k < near->len && k < MAX_SUGGESTIONS; k++)
        g_array_append_val(closest, g_array_index(near, Near, k).index);
    char *list = label_list(p, closest, MAX_SUGGESTIONS);
    char *where = under != NULL
                      ? g_strdup_printf(" under “%s” (row %zu)", under->text, under->row + 1)
                      : g_strdup("");
    pick_fail(p, at, "no row label%s begins with “%s”%s%s%s", where, spec,
              closest->len > 0 ? "; the closest are " : " (the table has no row labels)", list,
              strstr(spec, "，") != NULL ? " (separate labels with an ASCII comma “,”)" : "");
    g_free(where);
    g_free(list);
    g_array_free(closest, TRUE);
    g_array_free(near, TRUE);
    return FALSE;
}

/* Several labels begin with the same text: the error, with them and a way to tell them
 * apart (the label they are under, first). */
static gboolean
label_ambiguous(Pick *p, const GArray *found, const char *spec, DocLoc at)
{
    char *list = label_list(p, found, 4);
    const Label *above = label_above(p, label_at(p, g_array_index(found, guint, 0)));
    char *hint = NULL;
    if (above != NULL) {
        HeadingMatch m;
        char *head = match_heading(above->text, &m) ? g_strndup(above->text, m.number_len)
                                                    : g_strdup(above->text);
        hint = g_strdup_printf(", or the label it is under first (%s/%s)", head, spec);
        g_free(head);
    }
    pick_fail(p, at, "“%s” begins %u row labels: %s; write more of the label%s", spec, found->len,
              list, hint != NULL ? hint : "");
    g_free(hint);
    g_free(list);
    return FALSE;
}

/* The label of `scope` that `spec` names: the one whose text, or text without its
 * numbering, is `spec` or begins with it. -1 with the error set. */
static gssize
match_label(Pick *p, const GArray *scope, const char *spec, DocLoc at, const Label *under)
{
    char *key = match_key(spec);
    GArray *exact = g_array_new(FALSE, FALSE, sizeof(guint));
    GArray *prefix = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint k = 0; k < scope->len; k++) {
        guint i = g_array_index(scope, guint, k);
        const Label *l = label_at(p, i);
        if (g_str_equal(l->key, key) || g_str_equal(l->bare, key))
            g_array_append_val(exact, i);
        if (*key != '\0' && (g_str_has_prefix(l->key, key) || g_str_has_prefix(l->bare, key)))
            g_array_append_val(prefix, i);
    }
    const GArray *found = exact->len > 0 ? exact : prefix;
    gssize index = found->len == 1 ? (gssize)g_array_index(found, guint, 0) : -1;
    if (found->len == 0)
        label_not_found(p, scope, spec, key, at, under);
    else if (found->len > 1)
        label_ambiguous(p, found, spec, at);
    g_array_free(exact, TRUE);
    g_array_free(prefix, TRUE);
    g_free(key);
    return index;
}

static DocLoc
loc_plus(DocLoc at, const char *start, const char *at_byte)
{
    at.col += (int)g_utf8_strlen(start, at_byte - start);
    return at;
}

/* A label named by its path `A/B/…`: A among all labels, B among those under A, and so
 * on. *scope (owned) is where the last part was looked for. -1 with the error set. */
static gssize
resolve_path(Pick *p, const char *path, DocLoc at, GArray **scope)
{
    GArray *where = labels_under(p, NULL);
    const Label *under = NULL;
    gssize index = -1;
    for (const char *part = path;; part = strchr(part, '/') + 1) {
        const char *slash = strchr(part, '/');
        char *spec = slash != NULL ? g_strndup(part, (gsize)(slash - part)) : g_strdup(part);
        DocLoc here = loc_plus(at, path, part);
        if (*spec == '\0')
            pick_fail(p, here, "an empty label in “%s”: write LABEL or LABEL/LABEL", path);
        index = *spec == '\0' ? -1 : match_label(p, where, spec, here, under);
        g_free(spec);
        if (index < 0 || slash == NULL)
            break;
        under = label_at(p, (guint)index);
        g_array_free(where, TRUE);
        where = labels_under(p, under);
    }
    if (index >= 0 && scope != NULL)
        *scope = where;
    else
        g_array_free(where, TRUE);
    return index;
}

/* The “..” of a range A..B: the last one with text on both sides (1...8. is 1. to 8.). */
static const char *
range_mark(const char *text)
{
    const char *mark = NULL;
    for (const char *s = strstr(text, ".."); s != NULL; s = strstr(s + 1, ".."))
        if (s > text && s[2] != '\0')
            mark = s;
    return mark;
}

static void
choose(GArray *chosen, guint label, DocLoc at)
{
    Chosen c = {label, at};
    g_array_append_val(chosen, c);
}

/* A..B: the labels from A to B in A's column, numbered as A, among those A was found in;
 * B is looked for there too unless it is a path of its own. */
static gboolean
resolve_range(Pick *p, const Entry *e, const char *mark, GArray *chosen)
{
    char *first = g_strndup(e->text, (gsize)(mark - e->text));
    const char *last = mark + 2;
    DocLoc last_at = loc_plus(e->at, e->text, last);
    GArray *scope = NULL;
    gssize a = resolve_path(p, first, e->at, &scope);
    gssize b = -1;
    if (a >= 0 && strchr(last, '/') != NULL)
        b = resolve_path(p, last, last_at, NULL);
    else if (a >= 0)
        b = match_label(p, scope, last, last_at, label_above(p, label_at(p, (guint)a)));
    gboolean ok = b >= 0;
    const Label *from = ok ? label_at(p, (guint)a) : NULL, *to = ok ? label_at(p, (guint)b) : NULL;
    if (ok && (to->col != from->col || to->level != from->level))
        ok = pick_fail(p, last_at,
                       "“%s” (row %zu) is not a label like “%s” (row %zu), in its "
                       "column and numbered as it: a range A..B runs down one column",
                       to->text, to->row + 1, from->text, from->row + 1);
    else if (ok && to->row < from->row)
        ok = pick_fail(p, last_at,
                       "“%s” (row %zu) comes before “%s” (row %zu); write the "
                       "range from the upper row",
                       to->text, to->row + 1, from->text, from->row + 1);
    for (guint k = 0; ok && k < scope->len; k++) {
        const Label *l = label_at(p, g_array_index(scope, guint, k));
        if (l->col == from->col && l->level == from->level && l->row >= from->row &&
            l->row <= to->row)
            choose(chosen, g_array_index(scope, guint, k), e->at);
    }
    if (scope != NULL)
        g_array_free(scope, TRUE);
    g_free(first);
    return ok;
}

/* The entries of a list option: its text split at ASCII commas. Owned; NULL with the error
 * set when an entry is empty. */
static GArray *
split_entries(Pick *p, const char *option, const char *value, DocLoc at)
{
    GArray *entries = g_array_new(FALSE, FALSE, sizeof(Entry));
    for (const char *s = value;; s++) {
        const char *comma = strchr(s, ',');
        Entry e = {comma != NULL ? g_strndup(s, (gsize)(comma - s)) : g_strdup(s),
                   loc_plus(at, value, s)};
        g_array_append_val(entries, e);
        if (*e.text == '\0') {
            pick_fail(p, e.at, "%s=%s: an empty entry; separate them with one comma", option,
                      value);
            for (guint k = 0; k < entries->len; k++)
                g_free(g_array_index(entries, Entry, k).text);
            g_array_free(entries, TRUE);
            return NULL;
        }
        if (comma == NULL)
            break;
        s = comma;
    }
    return entries;
}

static void
entries_free(GArray *entries)
{
    for (guint k = 0; entries != NULL && k < entries->len; k++)
        g_free(g_array_index(entries, Entry, k).text);
    if (entries != NULL)
        g_array_free(entries, TRUE);
}

/* rows=: the categories, in the order written. Owned (Chosen), or NULL. */
static GArray *
choose_rows(Pick *p, const char *rows, DocLoc at)
{
    GArray *entries = split_entries(p, "rows", rows, at);
    GArray *chosen = g_array_new(FALSE, FALSE, sizeof(Chosen));
    gboolean ok = entries != NULL;
    for (guint k = 0; ok && k < entries->len; k++) {
        const Entry *e = &g_array_index(entries, Entry, k);
        const char *mark = range_mark(e->text);
        gssize index = mark == NULL ? resolve_path(p, e->text, e->at, NULL) : 0;
        if (mark != NULL)
            ok = resolve_range(p, e, mark, chosen);
        else if ((ok = index >= 0))
            choose(chosen, (guint)index, e->at);
    }
    for (guint i = 0; ok && i < chosen->len; i++) {
        for (guint j = 0; ok && j < i; j++) {
            const Chosen *a = &g_array_index(chosen, Chosen, j);
            const Chosen *b = &g_array_index(chosen, Chosen, i);
            if (a->label == b->label)
                ok = pick_fail(p, b->at, "the row “%s” (row %zu) is chosen twice",
                               label_at(p, b->label)->text, label_at(p, b->label)->row + 1);
        }
    }
    entries_free(entries);
    if (!ok) {
        g_array_free(chosen, TRUE);
        return NULL;
    }
    return chosen;
}

/* ---- choosing columns ------------------------------------------------------------------ */

/* The rows that head the columns of body row `row`: in a table of blocks (tablefile.c's
 * heading rows in the body) the block's own, else the header. */
static void
heading_rows(const DocTable *t, size_t row, size_t *first, size_t *end)
{
    *first = 0;
    *end = t->header_rows;
    size_t k = row;
    while (k > t->header_rows && !is_subhead(t, k - 1))
        k--;
    if (k == t->header_rows)
        return;
    *end = k;
    while (k > t->header_rows && is_subhead(t, k - 1))
        k--;
    *first = k;
}

/* The heading cells over column `col` in rows [first, end), top down (anchor indices,
 * each once, empty ones left out). */
static GArray *
column_heads(const DocTable *t, size_t col, size_t first, size_t end)
{
    GArray *heads = g_array_new(FALSE, FALSE, sizeof(size_t));
    for (size_t h = first; h < end; h++) {
        size_t anchor = doc_table_cell(t, h, col)->anchor;
        gboolean seen = heads->len > 0 && g_array_index(heads, size_t, heads->len - 1) == anchor;
        if (!seen && *skip_space(t->cells[anchor].text) != '\0')
            g_array_append_val(heads, anchor);
    }
    return heads;
}

/* Whether the parts of `parts` name heading cells of `heads` in order, each by the cell's
 * text or its beginning; *exact when the last one is the whole text. */
static gboolean
heads_match(const DocTable *t, const GArray *heads, char **parts, gboolean *exact)
{
    guint h = 0;
    for (guint k = 0; parts[k] != NULL; k++) {
        char *key = match_key(parts[k]);
        gboolean found = FALSE;
        for (; !found && h < heads->len; h++) {
            char *text = match_key(t->cells[g_array_index(heads, size_t, h)].text);
            found = *key != '\0' && g_str_has_prefix(text, key);
            *exact = found && g_str_equal(text, key);
            g_free(text);
        }
        g_free(key);
        if (!found)
            return FALSE;
    }
    return TRUE;
}

/* A column's name for messages: its deepest heading, or all its headings A/B when that
 * one is not enough. Owned. */
static char *
column_name(const DocTable *t, size_t col, size_t first, size_t end, gboolean full)
{
    GArray *heads = column_heads(t, col, first, end);
    GString *out = g_string_new(NULL);
    for (guint h = full ? 0 : (heads->len > 0 ? heads->len - 1 : 0); h < heads->len; h++) {
        char *text = one_line(t->cells[g_array_index(heads, size_t, h)].text);
        g_string_append_printf(out, "%s%s", out->len > 0 ? "/" : "", text);
        g_free(text);
    }
    g_array_free(heads, TRUE);
    return g_string_free(out, FALSE);
}

/* Whether column `col` has a heading of its own in the row `last` (not one it shares with
 * the column on its left, as 本年处理决定数量 over three columns of a block). */
static gboolean
column_is_own(const DocTable *t, size_t last, size_t col)
{
    return doc_table_cell(t, last, col)->anchor % t->n_cols == col;
}

/* “name”, … of the figure columns among `cols` headed in rows [first, end): by their
 * deepest heading, or their whole path where that is not unique. */
static char *
column_list(const DocTable *t, size_t first, size_t end, const GArray *cols)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (guint k = 0; k < cols->len; k++)
        g_ptr_array_add(names, column_name(t, g_array_index(cols, size_t, k), first, end, FALSE));
    GString *out = g_string_new(NULL);
    for (guint k = 0; k < cols->len; k++) {
        guint same = 0;
        for (guint j = 0; j < names->len; j++)
            same += g_str_equal(g_ptr_array_index(names, j), g_ptr_array_index(names, k));
        char *full =
            same > 1 ? column_name(t, g_array_index(cols, size_t, k), first, end, TRUE) : NULL;
        g_string_append_printf(out, "%s“%s”", k > 0 ? ", " : "",
                               full != NULL ? full : (char *)g_ptr_array_index(names, k));
        g_free(full);
    }
    g_ptr_array_unref(names);
    return g_string_free(out, FALSE);
}

/* The figure columns with a heading of their own in the heading row `end - 1`. */
static GArray *
figure_columns(const DocTable *t, size_t end)
{
    GArray *cols = g_array_new(FALSE, FALSE, sizeof(size_t));
    for (size_t c = 0; c < t->n_cols; c++)
        if (t->numeric[c] && (end == 0 || column_is_own(t, end - 1, c)))
            g_array_append_val(cols, c);
    return cols;
}

/* Several figure columns answer to `spec`: the error, with them and a way to tell them
 * apart (a heading above, first). */
static gboolean
column_ambiguous(Pick *p, const GArray *found, size_t first, size_t end, const char *spec,
                 DocLoc at)
{
    const DocTable *t = p->t;
    char *list = column_list(t, first, end, found);
    GArray *heads = column_heads(t, g_array_index(found, size_t, 0), first, end);
    char *hint = NULL;
    if (heads->len >= 2) {
        char *above = one_line(t->cells[g_array_index(heads, size_t, heads->len - 2)].text);
        char *last = one_line(t->cells[g_array_index(heads, size_t, heads->len - 1)].text);
        hint = g_strdup_printf(" (%s/%s)", above, last);
        g_free(above);
        g_free(last);
    }
    pick_fail(p, at,
              "“%s” heads %u figure columns: %s; name one, with a heading above it "
              "first if need be%s",
              spec, found->len, list, hint != NULL ? hint : "");
    g_free(hint);
    g_array_free(heads, TRUE);
    g_free(list);
    return FALSE;
}

/* No figure column answers to `spec` over body row `row`: the error, with the columns
 * there are. */
static gboolean
column_not_found(Pick *p, size_t row, size_t first, size_t end, const char *spec,
                 gboolean text_column, DocLoc at)
{
    const DocTable *t = p->t;
    if (text_column)
        return pick_fail(p, at, "“%s” heads a column of labels, not of figures", spec);
    GArray *cols = figure_columns(t, end);
    char *list = column_list(t, first, end, cols);
    char *over = NULL;
    if (first >= t->header_rows && first > 0) {
        const Label *label = row_label(p, row);
        over = g_strdup_printf(" over the row “%s” (row %zu)", label != NULL ? label->text : "",
                               row + 1);
    }
    pick_fail(p, at, "no figure column%s is headed “%s”; %s %s", over != NULL ? over : "", spec,
              cols->len == 1 ? "the figure column there is" : "the figure columns are",
              cols->len > 0 ? list : "none");
    g_free(over);
    g_free(list);
    g_array_free(cols, TRUE);
    return FALSE;
}

/* The figure column `spec` (HEAD, or HEAD/HEAD… down the headings) names over body row
 * `row`: a heading it names whole is preferred to one it begins; columns under one merged
 * heading are that heading's first. -1 with the error set. */
static gssize
match_column(Pick *p, size_t row, const char *spec, DocLoc at)
{
    const DocTable *t = p->t;
    size_t first, end;
    heading_rows(t, row, &first, &end);
    if (end == 0) {
        pick_fail(p, at, "the table has no header row (header=0) to name its columns by");
        return -1;
    }
    char **parts = g_strsplit(spec, "/", -1);
    GArray *exact = g_array_new(FALSE, FALSE, sizeof(size_t));
    GArray *prefix = g_array_new(FALSE, FALSE, sizeof(size_t));
    gboolean text_column = FALSE;
    for (size_t c = 0; c < t->n_cols; c++) {
        if (!column_is_own(t, end - 1, c))
            continue;
        GArray *heads = column_heads(t, c, first, end);
        gboolean whole = FALSE;
        if (heads_match(t, heads, parts, &whole) && !t->numeric[c])
            text_column = TRUE;
        else if (heads_match(t, heads, parts, &whole)) {
            g_array_append_val(prefix, c);
            if (whole)
                g_array_append_val(exact, c);
        }
        g_array_free(heads, TRUE);
    }
    const GArray *found = exact->len > 0 ? exact : prefix;
    gssize col = found->len == 1 ? (gssize)g_array_index(found, size_t, 0) : -1;
    if (found->len == 0)
        column_not_found(p, row, first, end, spec, text_column, at);
    else if (found->len > 1)
        column_ambiguous(p, found, first, end, spec, at);
    g_array_free(exact, TRUE);
    g_array_free(prefix, TRUE);
    g_strfreev(parts);
    return col;
}

/* ---- figures ----------------------------------------------------------------------------- */

/* The cell at (row, col) holds a figure: *value. FALSE with an error naming the cell (and
 * the label `group` it is counted in, if any) when it is blank, “—”, not a number, merged
 * with the cell above, or negative in a pie. */
static gboolean
cell_figure(Pick *p, size_t row, size_t col, const Label *group, gboolean pie, DocLoc at,
            double *value)
{
    const DocTable *t = p->t;
    const DocCell *cell = doc_table_cell(t, row, col);
    const Label *label = row_label(p, row);
    size_t first, end;
    heading_rows(t, row, &first, &end);
    char *head = column_name(t, col, first, end, FALSE);
    char *in = group != NULL ? g_strdup_printf(", counted in “%s”,", group->text) : g_strdup("");
    char *where = g_strdup_printf("row %zu, column %zu (“%s”, “%s”)%s", row + 1, col + 1,
                                  label != NULL ? label->text : "", head, in);
    const char *text = t->cells[cell->anchor].text;
    gboolean ok = FALSE;
    if (cell->anchor / t->n_cols != row)
        pick_fail(p, at,
                  "%s is merged with the cell above it; a chart takes a figure of "
                  "each row's own",
                  where);
    else if (!chart_parse_value(text, value))
        pick_fail(p, at, "%s holds “%s”, not a number", where, text);
    else if (isnan(*value) && *text == '\0')
        pick_fail(p, at,
                  "%s is blank; a chart shows figures only: write the figure (0 if "
                  "none) or leave the row out",
                  where);
    else if (isnan(*value))
        pick_fail(p, at,
                  "%s holds “%s” (not stated); a chart shows figures only: leave the "
                  "row out",
                  where, text);
    else if (pie && *value < 0)
        pick_fail(p, at, "%s holds %s: a pie cannot show a negative value", where, text);
    else
        ok = TRUE;
    g_free(where);
    g_free(in);
    g_free(head);
    return ok;
}

/* Whether a label heads other labels in its own row (（三）不予公开 beside 1.属于国家秘密):
 * that row's figures are theirs. */
static gboolean
is_group(const Pick *p, const Label *l)
{
    return row_label(p, l->row) != l;
}

/* A category's figure in column `col`, as the chart's cell holds it (interned): its row's,
 * or for a group, its 总计 row's or else the sum of its rows. */
static const char *
label_figure(Pick *p, Doc *doc, const Label *l, size_t col, gboolean pie, DocLoc at, double *value)
{
    const DocTable *t = p->t;
    if (!is_group(p, l)) {
        size_t anchor = doc_table_cell(t, l->row, col)->anchor;
        return cell_figure(p, l->row, col, NULL, pie, at, value)
                   ? doc_intern(doc, t->cells[anchor].text, -1)
                   : NULL;
    }
    for (size_t r = l->row; r < l->span_end; r++) {
        const Label *own = row_label(p, r);
        if (own != NULL && own != l && is_total(own))
            return cell_figure(p, r, col, l, pie, at, value)
                       ? doc_intern(doc, t->cells[doc_table_cell(t, r, col)->anchor].text, -1)
                       : NULL;
    }
    double sum = 0;
    for (size_t r = l->row; r < l->span_end; r++) {
        double v;
        if (!cell_figure(p, r, col, l, pie, at, &v))
            return NULL;
        sum += v;
    }
    *value = sum;
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(buf, sizeof buf, fabs(sum - round(sum)) < 1e-9 ? "%.0f" : "%.10g", sum);
    return doc_intern(doc, buf, -1);
}

/* ---- the chart's table ------------------------------------------------------------------- */

/* The column `spec` names over each chosen row (cols[i]), and the series' name. */
static const char *
resolve_series(Pick *p, Doc *doc, const GArray *chosen, const char *spec, DocLoc at, size_t *cols)
{
    const DocTable *t = p->t;
    for (guint i = 0; i < chosen->len; i++) {
        size_t row = label_at(p, g_array_index(chosen, Chosen, i).label)->row;
        gssize col = -1;
        if (spec != NULL) {
            col = match_column(p, row, spec, at);
        } else {
            size_t first, end;
            heading_rows(t, row, &first, &end);
            GArray *all = figure_columns(t, end);
            char *list = column_list(t, first, end, all);
            if (all->len == 1)
                col = (gssize)g_array_index(all, size_t, 0);
            else
                pick_fail(p, at, "write column=HEADER: the table has %u figure columns%s%s",
                          all->len, all->len > 0 ? ", " : "", list);
            g_free(list);
            g_array_free(all, TRUE);
        }
        if (col < 0)
            return NULL;
        cols[i] = (size_t)col;
    }
    size_t first, end;
    heading_rows(t, label_at(p, g_array_index(chosen, Chosen, 0).label)->row, &first, &end);
    char *name = column_name(t, cols[0], first, end, FALSE);
    const char *interned = doc_intern(doc, name, -1);
    g_free(name);
    return interned;
}

/* Fill the chart's column `s + 1` with the figures of series `spec`. */
static gboolean
fill_series(Pick *p, Doc *doc, DocTable *out, const GArray *chosen, const Entry *spec,
            DocLoc line_at, size_t s, gboolean pie, double *total)
{
    size_t *cols = g_new(size_t, chosen->len);
    const char *name = resolve_series(p, doc, chosen, spec != NULL ? spec->text : NULL,
                                      spec != NULL ? spec->at : line_at, cols);
    gboolean ok = name != NULL;
    if (ok)
        doc_table_cell(out, 0, s + 1)->text = name;
    for (guint i = 0; ok && i < chosen->len; i++) {
        const Chosen *c = &g_array_index(chosen, Chosen, i);
        double v = 0;
        const char *text = label_figure(p, doc, label_at(p, c->label), cols[i], pie, c->at, &v);
        ok = text != NULL;
        if (ok)
            doc_table_cell(out, i + 1, s + 1)->text = text;
        *total += ok ? v : 0;
    }
    g_free(cols);
    return ok;
}

/* The categories' names: labels= when given (as many as rows), else the rows' labels
 * without their numbering. */
static gboolean
name_categories(Pick *p, Doc *doc, DocTable *out, const GArray *chosen, const ChartPick *pick)
{
    GArray *names =
        pick->labels != NULL ? split_entries(p, "labels", pick->labels, pick->labels_at) : NULL;
    if (pick->labels != NULL && names == NULL)
        return FALSE;
    if (names != NULL && names->len != chosen->len) {
        pick_fail(p, pick->labels_at,
                  "labels= gives %u name%s for %u row%s; give one name "
                  "per row, in the order of rows=",
                  names->len, names->len == 1 ? "" : "s", chosen->len, chosen->len == 1 ? "" : "s");
        entries_free(names);
        return FALSE;
    }
    for (guint i = 0; i < chosen->len; i++) {
        const char *name = names != NULL
                               ? g_array_index(names, Entry, i).text
                               : label_at(p, g_array_index(chosen, Chosen, i).label)->shown;
        doc_table_cell(out, i + 1, 0)->text = doc_intern(doc, name, -1);
    }
    entries_free(names);
    return TRUE;
}

static DocTable *
build_chart_table(Pick *p, Doc *doc, const GArray *chosen, const GArray *series,
                  const ChartPick *pick, DocChartKind kind)
{
    gboolean pie = kind == CHART_PIE || kind == CHART_DONUT;
    size_t n_series = series != NULL ? series->len : 1;
    if (chosen->len > CHART_MAX_CATEGORIES) {
        pick_fail(p, pick->rows_at, "rows= chooses %u rows; a chart shows at most %u", chosen->len,
                  CHART_MAX_CATEGORIES);
        return NULL;
    }
    if (n_series > CHART_MAX_SERIES || (pie && n_series != 1)) {
        pick_fail(p, pick->columns_at,
                  pie ? "a pie or donut shows one column; column= names "
                        "%zu"
                      : "column= names %zu columns; a chart shows at most 12",
                  n_series);
        return NULL;
    }
    DocTable *out = doc_new_table(doc, chosen->len + 1, n_series + 1);
    out->file = p->t->file;
    out->header_rows = 1;
    double total = 0;
    gboolean ok = name_categories(p, doc, out, chosen, pick);
    for (size_t s = 0; ok && s < n_series; s++) {
        out->numeric[s + 1] = TRUE;
        const Entry *spec = series != NULL ? &g_array_index(series, Entry, s) : NULL;
        ok = fill_series(p, doc, out, chosen, spec, pick->line_at, s, pie, &total);
    }
    if (ok && pie && total <= 0)
        ok = pick_fail(p, pick->rows_at, "every figure chosen for this pie is 0");
    return ok ? out : NULL;
}

DocTable *
chart_table_pick(Doc *doc, const DocTable *table, const char *name, const ChartPick *pick,
                 DocChartKind kind, GError **error)
{
    g_return_val_if_fail(pick->rows != NULL, NULL);
    GArray *labels = collect_labels(table);
    Pick p = {table, name, labels, row_owners(table, labels), error};
    GArray *chosen = choose_rows(&p, pick->rows, pick->rows_at);
    GArray *series = pick->columns != NULL && chosen != NULL
                         ? split_entries(&p, "column", pick->columns, pick->columns_at)
                         : NULL;
    DocTable *out = NULL;
    if (chosen != NULL && (pick->columns == NULL || series != NULL))
        out = build_chart_table(&p, doc, chosen, series, pick, kind);
    entries_free(series);
    if (chosen != NULL)
        g_array_free(chosen, TRUE);
    g_array_free(p.labels, TRUE);
    g_free(p.owner);
    return out;
}
