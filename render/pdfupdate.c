/* gongwen: an incremental update of a PDF that cairo wrote (see pdfupdate.h): a small PDF
 * object reader (the cross-reference table, the trailer, dictionaries and arrays), a walk of
 * the structure tree, and the new objects, cross-reference section and trailer. */
#include "pdfupdate.h"

#include "error.h"

#include <string.h>

/* Limits: past them the file is not one cairo wrote for gongwen. */
#define PDF_MAX_OBJECTS 8388607u       /* PDF 32000-1 Annex C: the largest object number */
#define PDF_MAX_OBJECT_BYTES (64u << 20) /* a dictionary's text */
#define PDF_MAX_DEPTH 200              /* nested arrays and dictionaries, tree depth */
#define PDF_TAIL 1024u                 /* startxref and %%EOF are in the last bytes */

/* ---- values ---- */

typedef enum {
    PV_BAD,        /* not a value */
    PV_INCOMPLETE, /* the value runs past the bytes at hand */
    PV_NULL,
    PV_BOOL,
    PV_NUMBER,
    PV_NAME,
    PV_STRING,
    PV_ARRAY,
    PV_DICT,
    PV_REF,
    PV_KEYWORD, /* obj, endobj, stream, R out of place, … */
} PdfKind;

/* A value: its kind and its text [start, end); a number's value (a reference's object
 * number and generation). */
typedef struct {
    PdfKind kind;
    const char *start, *end;
    gint64 num, gen;
} PdfVal;

static gboolean
is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static gboolean
is_delim(char c)
{
    return strchr("()<>[]{}/%", c) != NULL;
}

static const char *
skip_space(const char *p, const char *end)
{
    while (p < end) {
        if (*p == '%') {
            while (p < end && *p != '\n' && *p != '\r')
                p++;
        } else if (is_space(*p)) {
            p++;
        } else {
            break;
        }
    }
    return p;
}

/* A regular token (a number or a keyword) at p: its end. */
static const char *
token_end(const char *p, const char *end)
{
    while (p < end && !is_space(*p) && !is_delim(*p))
        p++;
    return p;
}

/* An unsigned whole number [p, e) into *v; FALSE when it is not one. */
static gboolean
whole_number(const char *p, const char *e, gint64 *v)
{
    if (p == e || e - p > 15)
        return FALSE;
    *v = 0;
    for (; p < e; p++) {
        if (!g_ascii_isdigit(*p))
            return FALSE;
        *v = *v * 10 + (*p - '0');
    }
    return TRUE;
}

static PdfKind parse_value(const char **at, const char *end, PdfVal *v, int depth);

/* A literal string from its "(": nested parentheses, backslash escapes. */
static PdfKind
parse_literal(const char *p, const char *end, const char **out)
{
    int nest = 0;
    for (; p < end; p++) {
        if (*p == '\\') {
            p++;
        } else if (*p == '(') {
            nest++;
        } else if (*p == ')' && --nest == 0) {
            *out = p + 1;
            return PV_STRING;
        }
    }
    return PV_INCOMPLETE;
}

/* The items of an array or the keys and values of a dictionary up to `close`. */
static PdfKind
parse_items(const char **at, const char *end, const char *close, int depth)
{
    size_t n = strlen(close);
    for (;;) {
        const char *p = skip_space(*at, end);
        if (p == end)
            return PV_INCOMPLETE;
        if ((size_t)(end - p) >= n && memcmp(p, close, n) == 0) {
            *at = p + n;
            return PV_ARRAY;
        }
        if ((size_t)(end - p) < n && memcmp(p, close, (size_t)(end - p)) == 0)
            return PV_INCOMPLETE;
        PdfVal item;
        *at = p;
        PdfKind k = parse_value(at, end, &item, depth + 1);
        if (k == PV_BAD || k == PV_INCOMPLETE)
            return k;
        if (k == PV_KEYWORD)
            return PV_BAD;
    }
}

/* One value at *at (spaces before it skipped): its kind, *v filled and *at moved past it. A
 * number followed by a number and R is a reference. */
static PdfKind
parse_value(const char **at, const char *end, PdfVal *v, int depth)
{
    const char *p = skip_space(*at, end);
    memset(v, 0, sizeof *v);
    v->start = p;
    if (depth > PDF_MAX_DEPTH)
        return v->kind = PV_BAD;
    if (p == end)
        return v->kind = PV_INCOMPLETE;
    PdfKind k;
    const char *e = p;
    if (*p == '/') {
        e = token_end(p + 1, end);
        k = e == end ? PV_INCOMPLETE : PV_NAME;
    } else if (*p == '(') {
        k = parse_literal(p, end, &e);
    } else if (*p == '<' && p + 1 < end && p[1] == '<') {
        e = p + 2;
        k = parse_items(&e, end, ">>", depth);
        if (k == PV_ARRAY)
            k = PV_DICT;
    } else if (*p == '<') {
        e = p + 1;
        while (e < end && (g_ascii_isxdigit(*e) || is_space(*e)))
            e++;
        k = e == end ? PV_INCOMPLETE : *e == '>' ? PV_STRING : PV_BAD;
        e += k == PV_STRING;
    } else if (*p == '[') {
        e = p + 1;
        k = parse_items(&e, end, "]", depth);
    } else if (is_delim(*p)) {
        k = PV_BAD;
    } else {
        e = token_end(p, end);
        if (e == end) {
            k = PV_INCOMPLETE;
        } else if (g_ascii_isdigit(*p) || *p == '-' || *p == '+' || *p == '.') {
            k = PV_NUMBER;
            /* "N G R": a reference */
            const char *q = skip_space(e, end), *qe = token_end(q, end);
            const char *r = skip_space(qe, end), *re = token_end(r, end);
            gint64 gen;
            if (whole_number(p, e, &v->num) && whole_number(q, qe, &gen) && re - r == 1 &&
                *r == 'R' && re < end) {
                k = PV_REF;
                v->gen = gen;
                e = re;
            } else if (re == end && r < end) {
                k = PV_INCOMPLETE; /* it may yet be a reference */
            }
        } else if ((e - p == 4 && memcmp(p, "true", 4) == 0) ||
                   (e - p == 5 && memcmp(p, "false", 5) == 0)) {
            k = PV_BOOL;
        } else if (e - p == 4 && memcmp(p, "null", 4) == 0) {
            k = PV_NULL;
        } else {
            k = PV_KEYWORD;
        }
    }
    v->kind = k;
    v->end = e;
    if (k != PV_BAD && k != PV_INCOMPLETE)
        *at = e;
    return k;
}

static gboolean
name_is(const PdfVal *v, const char *name)
{
    size_t n = strlen(name);
    return v->kind == PV_NAME && (size_t)(v->end - v->start) == n + 1 &&
           memcmp(v->start + 1, name, n) == 0;
}

/* The value of `key` (a name without its slash) in dictionary `dict`; FALSE when absent. */
static gboolean
dict_get(const PdfVal *dict, const char *key, PdfVal *value)
{
    if (dict->kind != PV_DICT)
        return FALSE;
    /* the closing ">>" stops the loop: it is no value */
    const char *p = dict->start + 2, *end = dict->end;
    for (;;) {
        PdfVal k;
        if (parse_value(&p, end, &k, 1) != PV_NAME || parse_value(&p, end, value, 1) == PV_BAD ||
            value->kind == PV_INCOMPLETE)
            return FALSE;
        if (name_is(&k, key))
            return TRUE;
    }
}

/* The next item of an array whose items start at *at; FALSE at its end. */
static gboolean
array_next(const PdfVal *array, const char **at, PdfVal *item)
{
    const char *end = array->end; /* its "]" stops the loop */
    if (*at == NULL)
        *at = array->start + 1;
    PdfKind k = parse_value(at, end, item, 1);
    return k != PV_BAD && k != PV_INCOMPLETE && k != PV_KEYWORD;
}

/* ---- the file ---- */

typedef struct {
    const PdfSource *src;
    GArray *offsets;   /* guint64 per object number, 0 when not in use */
    GArray *gens;      /* int per object number */
    gint64 size;       /* the trailer's /Size */
    guint64 startxref; /* cairo's cross-reference table */
    GString *trailer;  /* the trailer dictionary's text */
    GError **error;
} Pdf;

static gboolean
pdf_fail(Pdf *pdf, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
pdf_fail(Pdf *pdf, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *why = g_strdup_vprintf(format, ap);
    va_end(ap);
    g_set_error_literal(pdf->error, GONGWEN_ERROR, GONGWEN_ERROR_IO, why);
    g_free(why);
    return FALSE;
}

/* `len` bytes at `offset` (fewer at the end of the file) into buf (replaced). */
static gboolean
pdf_read(Pdf *pdf, guint64 offset, gsize len, GString *buf)
{
    g_string_truncate(buf, 0);
    if (offset > pdf->src->size)
        return FALSE;
    len = (gsize)MIN((guint64)len, pdf->src->size - offset);
    g_string_set_size(buf, len);
    return pdf->src->read(pdf->src->source, offset, len, buf->str);
}

/* The value after "N G obj" at the object's offset into *v, its text in buf (which it
 * points into). */
static gboolean
pdf_object(Pdf *pdf, gint64 num, GString *buf, PdfVal *v)
{
    if (num <= 0 || num >= (gint64)pdf->offsets->len ||
        g_array_index(pdf->offsets, guint64, num) == 0)
        return pdf_fail(pdf, "object %" G_GINT64_FORMAT " is not in the cross-reference table",
                        num);
    guint64 off = g_array_index(pdf->offsets, guint64, num);
    for (gsize want = 4096;; want *= 2) {
        if (!pdf_read(pdf, off, want, buf))
            return pdf_fail(pdf, "cannot read object %" G_GINT64_FORMAT, num);
        const char *p = buf->str, *end = buf->str + buf->len;
        PdfVal n, g, obj;
        gboolean head = parse_value(&p, end, &n, 0) == PV_NUMBER &&
                        parse_value(&p, end, &g, 0) == PV_NUMBER &&
                        parse_value(&p, end, &obj, 0) == PV_KEYWORD &&
                        obj.end - obj.start == 3 && memcmp(obj.start, "obj", 3) == 0;
        if (head && n.num != num)
            head = FALSE;
        PdfKind k = head ? parse_value(&p, end, v, 0) : PV_BAD;
        if (k == PV_INCOMPLETE && buf->len == want && want < PDF_MAX_OBJECT_BYTES)
            continue;
        if (k == PV_BAD || k == PV_INCOMPLETE || k == PV_KEYWORD)
            return pdf_fail(pdf, "object %" G_GINT64_FORMAT " at offset %" G_GUINT64_FORMAT
                                 " is not an object", num, off);
        return TRUE;
    }
}

/* The cross-reference table at pdf->startxref: every object's offset; then the trailer. */
static gboolean
pdf_read_xref(Pdf *pdf)
{
    GString *buf = g_string_new(NULL);
    guint64 size = pdf->src->size - pdf->startxref;
    gboolean ok = size <= 20ull * PDF_MAX_OBJECTS + 4096 && pdf_read(pdf, pdf->startxref,
                                                                     (gsize)size, buf);
    const char *p = buf->str, *end = buf->str + buf->len;
    p = skip_space(p, end);
    if (!ok || (size_t)(end - p) < 4 || memcmp(p, "xref", 4) != 0) {
        g_string_free(buf, TRUE);
        return pdf_fail(pdf, "no cross-reference table at startxref %" G_GUINT64_FORMAT
                             " (a cross-reference stream is not read)", pdf->startxref);
    }
    p += 4;
    for (;;) {
        p = skip_space(p, end);
        const char *e = token_end(p, end);
        gint64 first, count;
        if (e - p == 7 && memcmp(p, "trailer", 7) == 0) {
            p = e;
            break;
        }
        const char *q = skip_space(e, end), *qe = token_end(q, end);
        if (!whole_number(p, e, &first) || !whole_number(q, qe, &count) ||
            first + count > PDF_MAX_OBJECTS) {
            g_string_free(buf, TRUE);
            return pdf_fail(pdf, "a broken cross-reference table");
        }
        p = qe;
        while (p < end && (*p == ' ' || *p == '\r' || *p == '\n'))
            p++;
        if ((guint64)(end - p) < 20ull * (guint64)count) {
            g_string_free(buf, TRUE);
            return pdf_fail(pdf, "a cross-reference table cut short");
        }
        if (pdf->offsets->len < first + count) {
            g_array_set_size(pdf->offsets, (guint)(first + count));
            g_array_set_size(pdf->gens, (guint)(first + count));
        }
        for (gint64 i = 0; i < count; i++, p += 20) {
            gint64 off, gen;
            if (!whole_number(p, p + 10, &off) || !whole_number(p + 11, p + 16, &gen) ||
                (p[17] != 'n' && p[17] != 'f')) {
                g_string_free(buf, TRUE);
                return pdf_fail(pdf, "a broken cross-reference entry");
            }
            g_array_index(pdf->offsets, guint64, first + i) = p[17] == 'n' ? (guint64)off : 0;
            g_array_index(pdf->gens, int, first + i) = (int)gen;
        }
    }
    PdfVal trailer, v;
    ok = parse_value(&p, end, &trailer, 0) == PV_DICT;
    if (ok)
        g_string_assign(pdf->trailer, "");
    if (ok)
        g_string_append_len(pdf->trailer, trailer.start, trailer.end - trailer.start);
    g_string_free(buf, TRUE);
    if (!ok)
        return pdf_fail(pdf, "no trailer after the cross-reference table");
    trailer.start = pdf->trailer->str;
    trailer.end = pdf->trailer->str + pdf->trailer->len;
    if (dict_get(&trailer, "Prev", &v) || dict_get(&trailer, "XRefStm", &v) ||
        dict_get(&trailer, "Encrypt", &v))
        return pdf_fail(pdf, "the PDF is updated or encrypted already");
    if (!dict_get(&trailer, "Size", &v) || v.kind != PV_NUMBER || v.num <= 0 ||
        v.num > (gint64)pdf->offsets->len)
        return pdf_fail(pdf, "the trailer's /Size is not the table's");
    pdf->size = v.num;
    return TRUE;
}

/* startxref's offset, from the file's last bytes. */
static gboolean
pdf_read_startxref(Pdf *pdf)
{
    GString *buf = g_string_new(NULL);
    guint64 from = pdf->src->size > PDF_TAIL ? pdf->src->size - PDF_TAIL : 0;
    gboolean ok = pdf_read(pdf, from, PDF_TAIL, buf);
    const char *sx = NULL;
    for (const char *p = buf->str; ok && p + 9 <= buf->str + buf->len; p++)
        if (memcmp(p, "startxref", 9) == 0)
            sx = p;
    gint64 off = -1;
    if (sx != NULL) {
        const char *p = skip_space(sx + 9, buf->str + buf->len);
        const char *e = token_end(p, buf->str + buf->len);
        if (!whole_number(p, e, &off) || (guint64)off >= pdf->src->size)
            off = -1;
    }
    g_string_free(buf, TRUE);
    if (off < 0)
        return pdf_fail(pdf, "no startxref at the end of the PDF");
    pdf->startxref = (guint64)off;
    return TRUE;
}

/* ---- the structure tree ---- */

typedef struct {
    gint64 num;
    GString *dict; /* its dictionary's text */
} PdfFigure;

typedef struct {
    Pdf *pdf;
    GHashTable *seen;  /* object numbers walked */
    GArray *figures;   /* PdfFigure, in the tree's order */
} Walk;

static gboolean walk_kids(Walk *w, const PdfVal *k, int depth);

/* A structure element: a Figure noted, then its kids. */
static gboolean
walk_element(Walk *w, gint64 num, int depth)
{
    if (depth > PDF_MAX_DEPTH)
        return pdf_fail(w->pdf, "the structure tree is deeper than %d", PDF_MAX_DEPTH);
    if (g_hash_table_contains(w->seen, GINT_TO_POINTER((gint)num)))
        return pdf_fail(w->pdf, "structure element %" G_GINT64_FORMAT " is reached twice", num);
    g_hash_table_add(w->seen, GINT_TO_POINTER((gint)num));
    GString *buf = g_string_new(NULL);
    PdfVal elem, s, k;
    gboolean ok = pdf_object(w->pdf, num, buf, &elem);
    if (ok && (elem.kind != PV_DICT || !dict_get(&elem, "S", &s) || s.kind != PV_NAME))
        ok = pdf_fail(w->pdf, "object %" G_GINT64_FORMAT " is not a structure element", num);
    if (ok && name_is(&s, "Figure")) {
        PdfFigure f = {num, g_string_new_len(elem.start, elem.end - elem.start)};
        g_array_append_val(w->figures, f);
    }
    if (ok && dict_get(&elem, "K", &k))
        ok = walk_kids(w, &k, depth + 1);
    g_string_free(buf, TRUE);
    return ok;
}

/* An element's /K: an element, a marked-content number, a marked-content or object
 * reference dictionary, or an array of them. */
static gboolean
walk_kids(Walk *w, const PdfVal *k, int depth)
{
    if (k->kind == PV_REF)
        return walk_element(w, k->num, depth);
    if (k->kind != PV_ARRAY)
        return TRUE;
    const char *at = NULL;
    PdfVal item;
    while (array_next(k, &at, &item))
        if (item.kind == PV_REF && !walk_element(w, item.num, depth))
            return FALSE;
    return TRUE;
}

static void
figure_clear(gpointer data)
{
    PdfFigure *f = data;
    g_string_free(f->dict, TRUE);
}

/* ---- writing ---- */

/* `text` as a PDF text string: UTF-16BE with its byte order mark, in hexadecimal. */
static void
append_text_string(GString *out, const char *text)
{
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
    g_string_append(out, "<FEFF");
    for (glong i = 0; u != NULL && i < n; i++)
        g_string_append_printf(out, "%04X", (unsigned)u[i]);
    g_string_append_c(out, '>');
    g_free(u);
}

/* A new version of object `num`: dictionary `dict`'s entries, then `more`. */
static void
append_object(GString *out, GArray *xref, guint64 base, gint64 num, int gen,
              const char *dict, gsize len, const char *more)
{
    guint64 at = base + out->len;
    gint64 entry[3] = {num, (gint64)at, gen};
    g_array_append_vals(xref, entry, 3);
    g_string_append_printf(out, "%" G_GINT64_FORMAT " %d obj\n<<", num, gen);
    g_string_append_len(out, dict + 2, (gssize)len - 4);
    g_string_append_printf(out, "%s>>\nendobj\n", more);
}

/* The catalog's new entries: those of `extra` whose key the catalog lacks. */
static char *
catalog_more(const PdfVal *catalog, const char *extra)
{
    GString *more = g_string_new(NULL);
    char *text = g_strconcat(extra, " ", NULL); /* a last value ends before the end */
    const char *p = text, *end = text + strlen(text);
    for (;;) {
        PdfVal k, v, had;
        if (parse_value(&p, end, &k, 1) != PV_NAME)
            break;
        PdfKind kind = parse_value(&p, end, &v, 1);
        if (kind == PV_BAD || kind == PV_INCOMPLETE || kind == PV_KEYWORD)
            break;
        char *key = g_strndup(k.start + 1, (gsize)(k.end - k.start - 1));
        if (!dict_get(catalog, key, &had))
            g_string_append_printf(more, "   %.*s %.*s\n", (int)(k.end - k.start), k.start,
                                   (int)(v.end - v.start), v.start);
        g_free(key);
    }
    g_free(text);
    return g_string_free(more, FALSE);
}

static gint
compare_entry(gconstpointer a, gconstpointer b)
{
    gint64 x = ((const gint64 *)a)[0], y = ((const gint64 *)b)[0];
    return x < y ? -1 : x > y;
}

/* The cross-reference section of the objects written (number, offset, generation triples),
 * in subsections of consecutive numbers, then the trailer and startxref. */
static void
append_xref(GString *out, Pdf *pdf, GArray *xref, guint64 base, const PdfVal *trailer)
{
    size_t n = xref->len / 3;
    gint64 *e = (gint64 *)(void *)xref->data;
    qsort(e, n, 3 * sizeof *e, compare_entry);
    guint64 at = base + out->len;
    g_string_append(out, "xref\n");
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && e[3 * j] == e[3 * (j - 1)] + 1)
            j++;
        g_string_append_printf(out, "%" G_GINT64_FORMAT " %zu\n", e[3 * i], j - i);
        for (; i < j; i++)
            g_string_append_printf(out, "%010" G_GINT64_FORMAT " %05d n \n", e[3 * i + 1],
                                   (int)e[3 * i + 2]);
    }
    g_string_append_printf(out, "trailer\n<< /Size %" G_GINT64_FORMAT "\n", pdf->size);
    static const char *const keep[] = {"Root", "Info", "ID"};
    for (size_t k = 0; k < G_N_ELEMENTS(keep); k++) {
        PdfVal v;
        if (dict_get(trailer, keep[k], &v))
            g_string_append_printf(out, "   /%s %.*s\n", keep[k], (int)(v.end - v.start),
                                   v.start);
    }
    g_string_append_printf(out, "   /Prev %" G_GUINT64_FORMAT "\n>>\nstartxref\n%" G_GUINT64_FORMAT
                                "\n%%%%EOF\n", pdf->startxref, at);
}

/* The update's objects: the catalog, then the Figures with their /Alt. */
static gboolean
pdf_update_objects(Pdf *pdf, const PdfUpdate *u, const PdfVal *trailer, GString *out,
                   GArray *xref)
{
    PdfVal root, tree, kids;
    if (!dict_get(trailer, "Root", &root) || root.kind != PV_REF)
        return pdf_fail(pdf, "the trailer has no /Root");
    GString *buf = g_string_new(NULL);
    PdfVal catalog;
    gboolean read = pdf_object(pdf, root.num, buf, &catalog);
    if (!read || catalog.kind != PV_DICT) {
        g_string_free(buf, TRUE);
        return read ? pdf_fail(pdf, "the catalog is not a dictionary") : FALSE;
    }
    char *more = catalog_more(&catalog, u->catalog != NULL ? u->catalog : "");
    append_object(out, xref, pdf->src->size, root.num, g_array_index(pdf->gens, int, root.num),
                  catalog.start, (gsize)(catalog.end - catalog.start), more);
    g_free(more);
    Walk w = {pdf, g_hash_table_new(NULL, NULL), g_array_new(FALSE, FALSE, sizeof(PdfFigure))};
    g_array_set_clear_func(w.figures, figure_clear);
    gboolean ok = TRUE;
    if (dict_get(&catalog, "StructTreeRoot", &tree) && tree.kind == PV_REF) {
        PdfVal treeroot;
        GString *tbuf = g_string_new(NULL);
        ok = pdf_object(pdf, tree.num, tbuf, &treeroot);
        if (ok && dict_get(&treeroot, "K", &kids))
            ok = walk_kids(&w, &kids, 0);
        g_string_free(tbuf, TRUE);
    }
    g_string_free(buf, TRUE);
    if (ok && w.figures->len != u->n_alts)
        ok = pdf_fail(pdf, "the structure tree has %u Figure elements, the pages drew %zu",
                      w.figures->len, u->n_alts);
    for (guint i = 0; ok && i < w.figures->len; i++) {
        const PdfFigure *f = &g_array_index(w.figures, PdfFigure, i);
        PdfVal dict = {PV_DICT, f->dict->str, f->dict->str + f->dict->len, 0, 0}, had;
        if (u->alts[i] == NULL || *u->alts[i] == '\0' || dict_get(&dict, "Alt", &had))
            continue;
        GString *alt = g_string_new("   /Alt ");
        append_text_string(alt, u->alts[i]);
        g_string_append_c(alt, '\n');
        append_object(out, xref, pdf->src->size, f->num, g_array_index(pdf->gens, int, f->num),
                      f->dict->str, f->dict->len, alt->str);
        g_string_free(alt, TRUE);
    }
    g_hash_table_destroy(w.seen);
    g_array_free(w.figures, TRUE);
    return ok;
}

gboolean
pdf_update_write(const PdfSource *src, const PdfUpdate *update, GString *out, GError **error)
{
    Pdf pdf = {src, g_array_new(FALSE, TRUE, sizeof(guint64)), g_array_new(FALSE, TRUE,
               sizeof(int)), 0, 0, g_string_new(NULL), error};
    GString *add = g_string_new(NULL);
    GArray *xref = g_array_new(FALSE, FALSE, sizeof(gint64));
    /* the update starts on a line of its own */
    char last = '\n';
    gboolean ok = pdf_read_startxref(&pdf) && pdf_read_xref(&pdf) &&
                  src->read(src->source, src->size - 1, 1, &last);
    if (ok && last != '\n' && last != '\r')
        g_string_append_c(add, '\n');
    PdfVal trailer = {PV_DICT, pdf.trailer->str, pdf.trailer->str + pdf.trailer->len, 0, 0};
    ok = ok && pdf_update_objects(&pdf, update, &trailer, add, xref);
    if (ok) {
        append_xref(add, &pdf, xref, src->size, &trailer);
        g_string_append_len(out, add->str, (gssize)add->len);
    }
    g_string_free(add, TRUE);
    g_array_free(xref, TRUE);
    g_array_free(pdf.offsets, TRUE);
    g_array_free(pdf.gens, TRUE);
    g_string_free(pdf.trailer, TRUE);
    return ok;
}

gboolean
pdf_source_read_string(void *source, guint64 offset, gsize len, char *buf)
{
    const GString *s = source;
    if (offset > s->len || len > s->len - offset)
        return FALSE;
    memcpy(buf, s->str + offset, len);
    return TRUE;
}
