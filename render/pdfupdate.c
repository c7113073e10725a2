/* gongwen: an incremental update of a PDF that cairo wrote (see pdfupdate.h): a small PDF
 * object reader (the cross-reference table, the trailer, dictionaries and arrays), a walk of
 * the structure tree, and the new objects, cross-reference section and trailer. */
#include "pdfupdate.h"

#include "error.h"

#include <gio/gio.h>

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

/* An element of the tree (or its root): its object, its dictionary's text, the element
 * whose /K names it. */
typedef struct {
    gint64 num;
    GString *dict;
    gint64 parent;
} PdfElem;

typedef struct {
    Pdf *pdf;
    const char *artifact; /* the type of the elements that are page furniture, or NULL */
    GHashTable *seen;     /* object number -> 1 + its index in elems */
    GArray *elems;        /* PdfElem: the root, then every element in the tree's order */
    GArray *figures;      /* guint: the Figures' indexes in elems, in order */
    GArray *furniture;    /* guint: the indexes of the elements of type `artifact` */
} Walk;

static gboolean walk_kids(Walk *w, const PdfVal *k, gint64 parent, int depth);

/* Note element `num` (the root when parent is 0): a Figure or furniture noted, then its
 * kids. */
static gboolean
walk_element(Walk *w, gint64 num, gint64 parent, int depth)
{
    if (depth > PDF_MAX_DEPTH)
        return pdf_fail(w->pdf, "the structure tree is deeper than %d", PDF_MAX_DEPTH);
    if (g_hash_table_contains(w->seen, GINT_TO_POINTER((gint)num)))
        return pdf_fail(w->pdf, "structure element %" G_GINT64_FORMAT " is reached twice", num);
    GString *buf = g_string_new(NULL);
    PdfVal elem, s, k;
    gboolean ok = pdf_object(w->pdf, num, buf, &elem);
    if (ok && (elem.kind != PV_DICT ||
               (parent != 0 && (!dict_get(&elem, "S", &s) || s.kind != PV_NAME))))
        ok = pdf_fail(w->pdf, "object %" G_GINT64_FORMAT " is not a structure element", num);
    if (ok) {
        PdfElem e = {num, g_string_new_len(elem.start, elem.end - elem.start), parent};
        g_array_append_val(w->elems, e);
        guint index = w->elems->len - 1;
        g_hash_table_insert(w->seen, GINT_TO_POINTER((gint)num), GUINT_TO_POINTER(index + 1));
        if (parent != 0 && name_is(&s, "Figure"))
            g_array_append_val(w->figures, index);
        if (parent != 0 && w->artifact != NULL && name_is(&s, w->artifact))
            g_array_append_val(w->furniture, index);
    }
    if (ok && dict_get(&elem, "K", &k))
        ok = walk_kids(w, &k, num, depth + 1);
    g_string_free(buf, TRUE);
    return ok;
}

/* An element's /K: an element, a marked-content number, a marked-content or object
 * reference dictionary, or an array of them. */
static gboolean
walk_kids(Walk *w, const PdfVal *k, gint64 parent, int depth)
{
    if (k->kind == PV_REF)
        return walk_element(w, k->num, parent, depth);
    if (k->kind != PV_ARRAY)
        return TRUE;
    const char *at = NULL;
    PdfVal item;
    while (array_next(k, &at, &item))
        if (item.kind == PV_REF && !walk_element(w, item.num, parent, depth))
            return FALSE;
    return TRUE;
}

static void
elem_clear(gpointer data)
{
    PdfElem *e = data;
    g_string_free(e->dict, TRUE);
}

static const PdfElem *
walk_elem(const Walk *w, gint64 num)
{
    guint i = GPOINTER_TO_UINT(g_hash_table_lookup(w->seen, GINT_TO_POINTER((gint)num)));
    return i > 0 ? &g_array_index(w->elems, PdfElem, i - 1) : NULL;
}

static PdfVal
elem_dict(const PdfElem *e)
{
    PdfVal d = {PV_DICT, e->dict->str, e->dict->str + e->dict->len, 0, 0};
    return d;
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

/* The entries of dictionary `dict` but those of the keys `skip` (NULL-terminated), one a
 * line, into `out`. */
static void
dict_entries_without(const PdfVal *dict, const char *const *skip, GString *out)
{
    const char *p = dict->start + 2, *end = dict->end;
    for (;;) {
        PdfVal k, v;
        if (parse_value(&p, end, &k, 1) != PV_NAME || parse_value(&p, end, &v, 1) == PV_BAD ||
            v.kind == PV_INCOMPLETE)
            return;
        gboolean keep = TRUE;
        for (const char *const *s = skip; *s != NULL && keep; s++)
            keep = !name_is(&k, *s);
        if (keep)
            g_string_append_printf(out, "   %.*s %.*s\n", (int)(k.end - k.start), k.start,
                                   (int)(v.end - v.start), v.start);
    }
}

/* A new version of object `num` written whole: `body` between "obj" and "endobj". */
static void
append_raw(GString *out, GArray *xref, guint64 base, gint64 num, int gen, const char *body,
           gsize len)
{
    gint64 entry[3] = {num, (gint64)(base + out->len), gen};
    g_array_append_vals(xref, entry, 3);
    g_string_append_printf(out, "%" G_GINT64_FORMAT " %d obj\n", num, gen);
    g_string_append_len(out, body, (gssize)len);
    g_string_append(out, "\nendobj\n");
}

static int
gen_of(const Pdf *pdf, gint64 num)
{
    return g_array_index(pdf->gens, int, num);
}

static gboolean
is_furniture(const Walk *w, gint64 num)
{
    const PdfElem *e = walk_elem(w, num);
    if (e == NULL || w->artifact == NULL)
        return FALSE;
    for (guint i = 0; i < w->furniture->len; i++)
        if (&g_array_index(w->elems, PdfElem, g_array_index(w->furniture, guint, i)) == e)
            return TRUE;
    return FALSE;
}

/* A new version of element e with its furniture kids taken out of its /K, and `more`
 * entries. */
static void
append_without_furniture(Pdf *pdf, const Walk *w, const PdfElem *e, const char *more,
                         GString *out, GArray *xref)
{
    PdfVal d = elem_dict(e), k;
    static const char *const skip[] = {"K", NULL};
    GString *body = g_string_new("<<\n");
    dict_entries_without(&d, skip, body);
    g_string_append(body, "   /K [");
    if (dict_get(&d, "K", &k) && k.kind == PV_ARRAY) {
        const char *at = NULL;
        PdfVal item;
        while (array_next(&k, &at, &item))
            if (item.kind != PV_REF || !is_furniture(w, item.num))
                g_string_append_printf(body, " %.*s", (int)(item.end - item.start), item.start);
    }
    g_string_append_printf(body, " ]\n%s>>", more);
    append_raw(out, xref, pdf->src->size, e->num, gen_of(pdf, e->num), body->str, body->len);
    g_string_free(body, TRUE);
}

/* The parent tree's arrays (MCID -> element) with the furniture's entries null. */
static gboolean
parent_tree_without_furniture(Pdf *pdf, const Walk *w, GString *out, GArray *xref)
{
    PdfVal root = elem_dict(&g_array_index(w->elems, PdfElem, 0)), ref, tree, nums, item;
    if (!dict_get(&root, "ParentTree", &ref) || ref.kind != PV_REF)
        return pdf_fail(pdf, "the structure tree has no /ParentTree");
    GString *buf = g_string_new(NULL), *arr = g_string_new(NULL);
    gboolean ok = pdf_object(pdf, ref.num, buf, &tree);
    if (ok && (tree.kind != PV_DICT || !dict_get(&tree, "Nums", &nums) || nums.kind != PV_ARRAY))
        ok = pdf_fail(pdf, "the parent tree is not one /Nums array");
    const char *at = NULL;
    while (ok && array_next(&nums, &at, &item)) {
        if (item.kind != PV_REF)
            continue;
        PdfVal a, e;
        ok = pdf_object(pdf, item.num, arr, &a) &&
             (a.kind == PV_ARRAY || pdf_fail(pdf, "a parent tree entry is not an array"));
        GString *body = g_string_new("[");
        gboolean changed = FALSE;
        const char *ai = NULL;
        while (ok && array_next(&a, &ai, &e)) {
            gboolean drop = e.kind == PV_REF && is_furniture(w, e.num);
            changed = changed || drop;
            g_string_append_printf(body, " %.*s", drop ? 4 : (int)(e.end - e.start),
                                   drop ? "null" : e.start);
        }
        g_string_append(body, " ]");
        if (ok && changed)
            append_raw(out, xref, pdf->src->size, item.num, gen_of(pdf, item.num), body->str,
                       body->len);
        g_string_free(body, TRUE);
    }
    g_string_free(arr, TRUE);
    g_string_free(buf, TRUE);
    return ok;
}

/* The bytes of stream object `num` (as stored: filtered) into data, its dictionary's
 * text into dict. */
static gboolean
pdf_stream(Pdf *pdf, gint64 num, GString *dict, GString *data)
{
    GString *buf = g_string_new(NULL);
    PdfVal d, len;
    gboolean ok = pdf_object(pdf, num, buf, &d);
    if (ok && d.kind != PV_DICT)
        ok = pdf_fail(pdf, "object %" G_GINT64_FORMAT " is not a stream", num);
    guint64 at = ok ? g_array_index(pdf->offsets, guint64, num) + (guint64)(d.end - buf->str) : 0;
    if (ok) {
        g_string_assign(dict, "");
        g_string_append_len(dict, d.start, d.end - d.start);
        PdfVal dd = {PV_DICT, dict->str, dict->str + dict->len, 0, 0};
        ok = dict_get(&dd, "Length", &len);
        if (ok && len.kind == PV_REF) {
            gint64 ln = len.num;
            ok = pdf_object(pdf, ln, buf, &len);
        }
        if (!ok || len.kind != PV_NUMBER || len.num < 0)
            ok = pdf_fail(pdf, "stream %" G_GINT64_FORMAT " has no /Length", num);
    }
    gint64 length = ok ? len.num : 0;
    /* "stream", an end of line, the bytes, an end of line and "endstream" */
    if (ok && (!pdf_read(pdf, at, 64, buf) || buf->len < 8))
        ok = pdf_fail(pdf, "stream %" G_GINT64_FORMAT " cut short", num);
    if (ok) {
        const char *p = skip_space(buf->str, buf->str + buf->len);
        ok = (size_t)(buf->str + buf->len - p) >= 7 && memcmp(p, "stream", 6) == 0;
        p += 6;
        p += ok && *p == '\r';
        ok = ok && *p == '\n';
        at += (guint64)(p + 1 - buf->str);
    }
    if (ok && (!pdf_read(pdf, at, (gsize)length, data) || data->len != (gsize)length))
        ok = FALSE;
    if (ok && pdf_read(pdf, at + (guint64)length, 32, buf)) {
        const char *p = skip_space(buf->str, buf->str + buf->len);
        ok = (size_t)(buf->str + buf->len - p) >= 9 && memcmp(p, "endstream", 9) == 0;
    }
    g_string_free(buf, TRUE);
    return ok || pdf_fail(pdf, "stream %" G_GINT64_FORMAT " is not as its /Length says", num);
}

/* Run `data` through a zlib (de)compressor; FALSE on bad data or past `max` bytes. */
static gboolean
zlib_convert(GConverter *c, const GString *data, GString *out, gsize max)
{
    char chunk[65536];
    gsize done = 0;
    g_string_truncate(out, 0);
    for (;;) {
        gsize nread = 0, nwritten = 0;
        GConverterResult r = g_converter_convert(c, data->str + done, data->len - done, chunk,
                                                 sizeof chunk, G_CONVERTER_INPUT_AT_END,
                                                 &nread, &nwritten, NULL);
        if (r == G_CONVERTER_ERROR || out->len + nwritten > max)
            return FALSE;
        done += nread;
        g_string_append_len(out, chunk, (gssize)nwritten);
        if (r == G_CONVERTER_FINISHED)
            return TRUE;
    }
}

/* Where `needle` is in [hay, hay + len), or -1. */
static gssize
find_bytes(const char *hay, gsize len, const char *needle)
{
    gsize n = strlen(needle);
    for (gsize i = 0; i + n <= len; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return (gssize)i;
    return -1;
}

/* In content stream `num`'s operators, the marked content of each of `mcids`, opened as
 * cairo writes it ("/TYPE << /MCID n >> BDC", found once), made "/Artifact BMC". */
static gboolean
mark_artifacts(Pdf *pdf, GString *plain, const char *type, const GArray *mcids, gint64 num)
{
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < mcids->len; i++) {
        char *mark = g_strdup_printf("/%s << /MCID %" G_GINT64_FORMAT " >> BDC", type,
                                     g_array_index(mcids, gint64, i));
        gssize at = find_bytes(plain->str, plain->len, mark);
        gsize n = strlen(mark);
        if (at < 0 || find_bytes(plain->str + at + 1, plain->len - (gsize)at - 1, mark) >= 0)
            ok = pdf_fail(pdf, "“%s” is not once in content stream %" G_GINT64_FORMAT, mark,
                          num);
        if (ok) {
            g_string_erase(plain, at, (gssize)n);
            g_string_insert(plain, at, "/Artifact BMC");
        }
        g_free(mark);
    }
    return ok;
}

/* A page's content stream with the marked content of its furniture (MCIDs `mcids`, each
 * opened as cairo writes it: "/TYPE << /MCID n >> BDC") made an artifact ("/Artifact
 * BMC"): a new version of the stream. */
static gboolean
page_artifacts(Pdf *pdf, const char *type, gint64 page, const GArray *mcids, GString *out,
               GArray *xref)
{
    GString *buf = g_string_new(NULL), *dict = g_string_new(NULL), *raw = g_string_new(NULL);
    GString *plain = g_string_new(NULL), *packed = g_string_new(NULL);
    PdfVal pg, contents, filter, parms;
    gboolean ok = pdf_object(pdf, page, buf, &pg);
    if (ok && (pg.kind != PV_DICT || !dict_get(&pg, "Contents", &contents) ||
               contents.kind != PV_REF))
        ok = pdf_fail(pdf, "page %" G_GINT64_FORMAT " has not one content stream", page);
    gint64 num = ok ? contents.num : 0;
    ok = ok && pdf_stream(pdf, num, dict, raw);
    PdfVal d = {PV_DICT, dict->str, dict->str + dict->len, 0, 0};
    gboolean flate = ok && dict_get(&d, "Filter", &filter);
    if (ok && ((flate && !name_is(&filter, "FlateDecode")) || dict_get(&d, "DecodeParms", &parms)))
        ok = pdf_fail(pdf, "content stream %" G_GINT64_FORMAT " is not Flate", num);
    if (ok && flate) {
        GConverter *z = G_CONVERTER(g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB));
        ok = zlib_convert(z, raw, plain, PDF_MAX_OBJECT_BYTES * 4u) ||
             pdf_fail(pdf, "content stream %" G_GINT64_FORMAT " does not inflate", num);
        g_object_unref(z);
    } else if (ok) {
        g_string_assign(plain, "");
        g_string_append_len(plain, raw->str, (gssize)raw->len);
    }
    ok = ok && mark_artifacts(pdf, plain, type, mcids, num);
    if (ok && flate) {
        GConverter *z = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1));
        ok = zlib_convert(z, plain, packed, G_MAXSIZE) ||
             pdf_fail(pdf, "content stream %" G_GINT64_FORMAT " does not deflate", num);
        g_object_unref(z);
    }
    if (ok) {
        const GString *bytes = flate ? packed : plain;
        static const char *const skip[] = {"Length", "Filter", NULL};
        GString *body = g_string_new("<<\n");
        dict_entries_without(&d, skip, body);
        g_string_append_printf(body, "   /Length %" G_GSIZE_FORMAT "\n%s>>\nstream\n",
                               bytes->len, flate ? "   /Filter /FlateDecode\n" : "");
        g_string_append_len(body, bytes->str, (gssize)bytes->len);
        g_string_append(body, "\nendstream");
        append_raw(out, xref, pdf->src->size, num, gen_of(pdf, num), body->str, body->len);
        g_string_free(body, TRUE);
    }
    g_string_free(buf, TRUE);
    g_string_free(dict, TRUE);
    g_string_free(raw, TRUE);
    g_string_free(plain, TRUE);
    g_string_free(packed, TRUE);
    return ok;
}

/* The furniture's MCIDs by page: page object numbers in the order first met, and for each
 * its MCIDs. */
static gboolean
furniture_marks(Pdf *pdf, const Walk *w, GArray *pages, GPtrArray *mcids)
{
    for (guint i = 0; i < w->furniture->len; i++) {
        const PdfElem *e = &g_array_index(w->elems, PdfElem, g_array_index(w->furniture, guint, i));
        PdfVal d = elem_dict(e), pg, k, item;
        if (!dict_get(&d, "Pg", &pg) || pg.kind != PV_REF || !dict_get(&d, "K", &k))
            return pdf_fail(pdf, "furniture element %" G_GINT64_FORMAT " has no page or "
                                 "content", e->num);
        guint at = 0;
        while (at < pages->len && g_array_index(pages, gint64, at) != pg.num)
            at++;
        if (at == pages->len) {
            g_array_append_val(pages, pg.num);
            g_ptr_array_add(mcids, g_array_new(FALSE, FALSE, sizeof(gint64)));
        }
        GArray *list = g_ptr_array_index(mcids, at);
        if (k.kind == PV_NUMBER) {
            g_array_append_val(list, k.num);
            continue;
        }
        const char *ai = NULL;
        while (k.kind == PV_ARRAY && array_next(&k, &ai, &item)) {
            if (item.kind != PV_NUMBER)
                return pdf_fail(pdf, "furniture element %" G_GINT64_FORMAT " spans pages",
                                e->num);
            g_array_append_val(list, item.num);
        }
    }
    return TRUE;
}

/* The furniture (elements of type w->artifact) out of the tree: new versions of their
 * parents and of the parent tree's arrays without them, and of the content streams with
 * their marked content made artifacts. */
static gboolean
update_furniture(Pdf *pdf, const Walk *w, GHashTable *alt_of, GString *out, GArray *xref)
{
    if (w->furniture->len == 0)
        return TRUE;
    GHashTable *done = g_hash_table_new(NULL, NULL);
    for (guint i = 0; i < w->furniture->len; i++) {
        const PdfElem *e = &g_array_index(w->elems, PdfElem, g_array_index(w->furniture, guint, i));
        const PdfElem *parent = walk_elem(w, e->parent);
        if (parent == NULL || g_hash_table_contains(done, GINT_TO_POINTER((gint)e->parent)))
            continue;
        g_hash_table_add(done, GINT_TO_POINTER((gint)e->parent));
        /* a Figure that goes on over a page, furniture in it: its /Alt here */
        const char *more = g_hash_table_lookup(alt_of, GINT_TO_POINTER((gint)e->parent));
        append_without_furniture(pdf, w, parent, more != NULL ? more : "", out, xref);
    }
    GArray *pages = g_array_new(FALSE, FALSE, sizeof(gint64));
    GPtrArray *mcids = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    gboolean ok = parent_tree_without_furniture(pdf, w, out, xref) &&
                  furniture_marks(pdf, w, pages, mcids);
    for (guint i = 0; ok && i < pages->len; i++)
        ok = page_artifacts(pdf, w->artifact, g_array_index(pages, gint64, i),
                            g_ptr_array_index(mcids, i), out, xref);
    g_array_free(pages, TRUE);
    g_ptr_array_free(mcids, TRUE);
    g_hash_table_destroy(done);
    return ok;
}

/* The update's objects: the catalog; the Figures with their /Alt; the furniture taken out of
 * the tree and made artifacts. */
static gboolean
pdf_update_objects(Pdf *pdf, const PdfUpdate *u, const PdfVal *trailer, GString *out,
                   GArray *xref)
{
    PdfVal root, tree;
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
    append_object(out, xref, pdf->src->size, root.num, gen_of(pdf, root.num), catalog.start,
                  (gsize)(catalog.end - catalog.start), more);
    g_free(more);
    Walk w = {pdf, u->artifact, g_hash_table_new(NULL, NULL),
              g_array_new(FALSE, FALSE, sizeof(PdfElem)), g_array_new(FALSE, FALSE, sizeof(guint)),
              g_array_new(FALSE, FALSE, sizeof(guint))};
    g_array_set_clear_func(w.elems, elem_clear);
    gboolean ok = TRUE;
    if (dict_get(&catalog, "StructTreeRoot", &tree) && tree.kind == PV_REF)
        ok = walk_element(&w, tree.num, 0, 0);
    g_string_free(buf, TRUE);
    if (ok && w.figures->len != u->n_alts)
        ok = pdf_fail(pdf, "the structure tree has %u Figure elements, the pages drew %zu",
                      w.figures->len, u->n_alts);
    /* the Figures' /Alt entries; a Figure with furniture in it is written with the others
     * furniture touches */
    GHashTable *parents = g_hash_table_new(NULL, NULL);
    GHashTable *alt_of = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    for (guint i = 0; i < w.furniture->len; i++)
        g_hash_table_add(parents, GINT_TO_POINTER((gint)g_array_index(
                                      w.elems, PdfElem, g_array_index(w.furniture, guint, i))
                                      .parent));
    for (guint i = 0; ok && i < w.figures->len; i++) {
        const PdfElem *f = &g_array_index(w.elems, PdfElem, g_array_index(w.figures, guint, i));
        PdfVal dict = elem_dict(f), had;
        if (u->alts[i] == NULL || *u->alts[i] == '\0' || dict_get(&dict, "Alt", &had))
            continue;
        GString *alt = g_string_new("   /Alt ");
        append_text_string(alt, u->alts[i]);
        g_string_append_c(alt, '\n');
        if (g_hash_table_contains(parents, GINT_TO_POINTER((gint)f->num)))
            g_hash_table_insert(alt_of, GINT_TO_POINTER((gint)f->num), g_strdup(alt->str));
        else
            append_object(out, xref, pdf->src->size, f->num, gen_of(pdf, f->num), f->dict->str,
                          f->dict->len, alt->str);
        g_string_free(alt, TRUE);
    }
    ok = ok && update_furniture(pdf, &w, alt_of, out, xref);
    g_hash_table_destroy(parents);
    g_hash_table_destroy(alt_of);
    g_hash_table_destroy(w.seen);
    g_array_free(w.elems, TRUE);
    g_array_free(w.figures, TRUE);
    g_array_free(w.furniture, TRUE);
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
    /* one new version of an object, no more */
    GHashTable *written = g_hash_table_new(NULL, NULL);
    for (guint i = 0; ok && i < xref->len; i += 3) {
        gpointer num = GINT_TO_POINTER((gint)g_array_index(xref, gint64, i));
        ok = !g_hash_table_contains(written, num) ||
             pdf_fail(&pdf, "object %d would be written twice", GPOINTER_TO_INT(num));
        g_hash_table_add(written, num);
    }
    g_hash_table_destroy(written);
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
