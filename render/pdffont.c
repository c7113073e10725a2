/* gongwen: the fonts of gongwen's own PDF writer (pdffont.h). */
#include "pdffont.h"

#include "diag.h"
#include "subset.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <hb-ot.h>
#include <hb.h>
#include <stdlib.h>
#include <string.h>

/* Glyph ids looked up in an array (every id of a TrueType or CFF face is below it). */
#define FONT_SLOTS 65536u

/* Codes of the glyphs cairo would have drawn from its latin subset: 0xF000 + the WinAnsi
 * character, apart from the codes given in order of first use (1, 2, 3 …). */
#define LATIN_CODES 0xF000u

typedef struct {
    PangoGlyph glyph;
    guint code;
    double advance;
    gboolean latin;
    char *utf8; /* the text its ToUnicode entry gives, or NULL */
} FontGlyph;

struct PdfFont {
    guint id, obj;
    char *key;        /* "file#index" */
    hb_face_t *face;  /* referenced: metrics and names */
    hb_font_t *font;  /* at the em's units: advances */
    unsigned upem;
    gboolean cff, cid_cff, latin;
    GHashTable *glyphs; /* PangoGlyph -> 1 + index into entries, for ids past FONT_SLOTS */
    guint *slots;       /* FONT_SLOTS: 1 + index into entries by glyph id, 0 unmapped */
    GArray *entries;    /* FontGlyph */
    guint next_code;
    gboolean latin_used[256];
    /* once subset */
    hb_blob_t *data;
    hb_map_t *map;
    FT_Face ft;       /* for outlines (faux bold), opened when first asked for */
    gboolean ft_failed;
    GBytes *program; /* the font program embedded (the CFF table, or the TrueType font),
                        deflated */
    guint program_len; /* its length before */
};

/* A Pango font as drawn: its face's PdfFont and its size. */
typedef struct {
    PdfFont *font;
    double size;
} FontUse;

struct PdfFonts {
    GHashTable *by_key;  /* key -> PdfFont* (owned) */
    GHashTable *by_font; /* PangoFont* (referenced) -> FontUse* (owned) */
    GPtrArray *list;     /* PdfFont*, in order of first use */
};

static void
pdf_font_free(gpointer data)
{
    PdfFont *f = data;
    for (guint i = 0; i < f->entries->len; i++)
        g_free(g_array_index(f->entries, FontGlyph, i).utf8);
    g_array_free(f->entries, TRUE);
    g_hash_table_destroy(f->glyphs);
    g_free(f->slots);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->data);
    hb_map_destroy(f->map);
    if (f->program != NULL)
        g_bytes_unref(f->program);
    if (f->ft != NULL)
        FT_Done_Face(f->ft);
    g_free(f->key);
    g_free(f);
}

PdfFonts *
pdf_fonts_new(void)
{
    PdfFonts *fonts = g_new0(PdfFonts, 1);
    fonts->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, pdf_font_free);
    fonts->by_font = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, g_free);
    fonts->list = g_ptr_array_new();
    return fonts;
}

void
pdf_fonts_free(PdfFonts *fonts)
{
    if (fonts == NULL)
        return;
    g_hash_table_destroy(fonts->by_font);
    g_hash_table_destroy(fonts->by_key);
    g_ptr_array_free(fonts->list, TRUE);
    g_free(fonts);
}

/* Big-endian reads inside a blob's bytes, 0 past its end. */
static guint
be(const guint8 *p, gsize len, gsize at, int n)
{
    guint v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | (at + (gsize)i < len ? p[at + (gsize)i] : 0);
    return v;
}

/* A CFF INDEX at `at`: its count, the offset of its first element's data (the data's base
 * is returned in *base, element k from base + off[k]) and where the INDEX ends. */
static gboolean
cff_index(const guint8 *p, gsize len, gsize at, guint *count, gsize *offs_at, int *osz,
          gsize *base, gsize *end)
{
    *count = be(p, len, at, 2);
    if (*count == 0) {
        *end = at + 2;
        *base = *end;
        *osz = 1;
        *offs_at = at + 2;
        return at + 2 <= len;
    }
    *osz = (int)be(p, len, at + 2, 1);
    if (*osz < 1 || *osz > 4)
        return FALSE;
    *offs_at = at + 3;
    *base = at + 3 + (gsize)(*count + 1) * (gsize)*osz - 1;
    *end = *base + be(p, len, *offs_at + (gsize)*count * (gsize)*osz, *osz);
    return *end <= len;
}

/* What gongwen needs of a CFF table: whether it is CID-keyed (ROS in its Top DICT), the
 * number of glyphs and the offset of its charset. */
typedef struct {
    gboolean cid;
    guint n_glyphs;
    gsize charset;
} CffInfo;

static gboolean
cff_info(const guint8 *p, gsize len, CffInfo *info)
{
    memset(info, 0, sizeof *info);
    if (len < 4)
        return FALSE;
    guint count;
    gsize offs, base, end;
    int osz;
    /* the Name INDEX, then the Top DICT INDEX */
    if (!cff_index(p, len, p[2], &count, &offs, &osz, &base, &end) ||
        !cff_index(p, len, end, &count, &offs, &osz, &base, &end) || count < 1)
        return FALSE;
    gsize d = base + be(p, len, offs, osz), dend = base + be(p, len, offs + (gsize)osz, osz);
    gint64 operands[48];
    int n = 0;
    gsize charstrings = 0;
    while (d < dend && d < len) {
        guint b0 = p[d];
        if (b0 <= 21) { /* an operator */
            guint op = b0 == 12 ? 1200 + be(p, len, d + 1, 1) : b0;
            d += b0 == 12 ? 2 : 1;
            if (op == 1230)
                info->cid = TRUE;
            else if (op == 15 && n > 0)
                info->charset = (gsize)operands[n - 1];
            else if (op == 17 && n > 0)
                charstrings = (gsize)operands[n - 1];
            n = 0;
            continue;
        }
        gint64 v = 0;
        if (b0 == 28) {
            v = (gint16)be(p, len, d + 1, 2);
            d += 3;
        } else if (b0 == 29) {
            v = (gint32)be(p, len, d + 1, 4);
            d += 5;
        } else if (b0 == 30) { /* a real: skipped nibble by nibble */
            d++;
            while (d < dend && (p[d] & 0x0F) != 0x0F && (p[d] >> 4) != 0x0F)
                d++;
            d++;
        } else if (b0 >= 32 && b0 <= 246) {
            v = (gint64)b0 - 139;
            d++;
        } else if (b0 >= 247 && b0 <= 250) {
            v = ((gint64)b0 - 247) * 256 + be(p, len, d + 1, 1) + 108;
            d += 2;
        } else if (b0 >= 251 && b0 <= 254) {
            v = -((gint64)b0 - 251) * 256 - be(p, len, d + 1, 1) - 108;
            d += 2;
        } else {
            return FALSE;
        }
        if (n < (int)G_N_ELEMENTS(operands))
            operands[n++] = v;
    }
    if (charstrings == 0 ||
        !cff_index(p, len, charstrings, &info->n_glyphs, &offs, &osz, &base, &end))
        return FALSE;
    return TRUE;
}

/* The charset: each glyph's CID (a CID-keyed font) or SID, in cids[0 … n_glyphs). */
static gboolean
cff_charset(const guint8 *p, gsize len, const CffInfo *info, guint *cids)
{
    guint n = info->n_glyphs;
    if (n == 0)
        return TRUE;
    cids[0] = 0;
    if (info->charset <= 2) { /* a predefined charset: none for the fonts gongwen meets */
        for (guint g = 1; g < n; g++)
            cids[g] = g;
        return TRUE;
    }
    gsize at = info->charset;
    guint format = be(p, len, at, 1), g = 1;
    at++;
    if (format == 0) {
        for (; g < n; g++, at += 2)
            cids[g] = be(p, len, at, 2);
        return at <= len;
    }
    if (format != 1 && format != 2)
        return FALSE;
    while (g < n) {
        if (at + (format == 1 ? 3 : 4) > len)
            return FALSE;
        guint first = be(p, len, at, 2);
        guint left = be(p, len, at + 2, format == 1 ? 1 : 2);
        at += format == 1 ? 3 : 4;
        for (guint k = 0; k <= left && g < n; k++)
            cids[g++] = first + k;
    }
    return TRUE;
}

static PdfFont *
face_font(PdfFonts *fonts, PdfOut *out, PangoFont *font)
{
    char *key = font_face_key(font);
    if (key == NULL)
        return NULL;
    PdfFont *f = g_hash_table_lookup(fonts->by_key, key);
    if (f != NULL) {
        g_free(key);
        return f;
    }
    f = g_new0(PdfFont, 1);
    f->key = key;
    f->id = fonts->list->len;
    f->obj = pdf_out_reserve(out);
    f->face = hb_face_reference(hb_font_get_face(pango_font_get_hb_font(font)));
    f->font = hb_font_create(f->face);
    f->upem = hb_face_get_upem(f->face);
    hb_blob_t *cff = hb_face_reference_table(f->face, HB_TAG('C', 'F', 'F', ' '));
    unsigned len = 0;
    const guint8 *bytes = (const guint8 *)hb_blob_get_data(cff, &len);
    CffInfo info;
    f->cff = len > 0;
    f->cid_cff = f->cff && cff_info(bytes, len, &info) && info.cid;
    hb_blob_destroy(cff);
    /* cairo 1.16 keeps a latin subset of every face but a CID-keyed CFF one */
    f->latin = !f->cid_cff;
    f->glyphs = g_hash_table_new(g_direct_hash, g_direct_equal);
    f->slots = g_new0(guint, FONT_SLOTS);
    f->entries = g_array_new(FALSE, TRUE, sizeof(FontGlyph));
    f->next_code = 1; /* 0: .notdef */
    g_hash_table_insert(fonts->by_key, key, f);
    g_ptr_array_add(fonts->list, f);
    return f;
}

PdfFont *
pdf_fonts_get(PdfFonts *fonts, PdfOut *out, PangoFont *font, double *size)
{
    FontUse *use = g_hash_table_lookup(fonts->by_font, font);
    if (use == NULL) {
        use = g_new0(FontUse, 1);
        use->font = face_font(fonts, out, font);
        PangoFontDescription *d = pango_font_describe_with_absolute_size(font);
        use->size = pango_font_description_get_size(d) / (double)PANGO_SCALE;
        pango_font_description_free(d);
        g_hash_table_insert(fonts->by_font, g_object_ref(font), use);
    }
    *size = use->size;
    return use->font;
}

guint
pdf_font_id(const PdfFont *f)
{
    return f->id;
}

guint
pdf_font_object(const PdfFont *f)
{
    return f->obj;
}

/* The WinAnsi code of a character, or 0 (cairo's latin subsets hold these). */
static guint
winansi(gunichar c)
{
    static const gunichar high[32] = {
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
        0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    if ((c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xFF))
        return c;
    for (guint i = 0; i < 32; i++)
        if (high[i] != 0 && high[i] == c)
            return 0x80 + i;
    return 0;
}

void
pdf_font_map(PdfFont *f, PangoGlyph glyph, const char *utf8, int len, PdfGlyph *out)
{
    guint at = glyph < FONT_SLOTS
                   ? f->slots[glyph]
                   : GPOINTER_TO_UINT(g_hash_table_lookup(f->glyphs, GUINT_TO_POINTER(glyph)));
    FontGlyph *e;
    if (at == 0) {
        FontGlyph n = {glyph, 0, 0, FALSE, NULL};
        gunichar c = (gunichar)-1;
        if (utf8 != NULL && len > 0 && g_utf8_strlen(utf8, len) == 1) {
            c = g_utf8_get_char(utf8);
            n.utf8 = g_strndup(utf8, (gsize)len);
        }
        guint latin = f->latin && c != (gunichar)-1 ? winansi(c) : 0;
        if (latin > 0 && !f->latin_used[latin]) {
            f->latin_used[latin] = TRUE;
            n.latin = TRUE;
            n.code = LATIN_CODES + latin;
        } else {
            if (f->next_code == LATIN_CODES) /* past the latin codes (a face of 61,440 glyphs) */
                f->next_code = LATIN_CODES + 256;
            n.code = f->next_code++;
        }
        hb_position_t adv = hb_font_get_glyph_h_advance(f->font, glyph);
        /* the advance in em, as cairo measures it for its PDF (font units over the em) */
        n.advance = (double)adv / (f->upem > 0 ? f->upem : 1000);
        g_array_append_val(f->entries, n);
        at = f->entries->len;
        if (glyph < FONT_SLOTS)
            f->slots[glyph] = at;
        else
            g_hash_table_insert(f->glyphs, GUINT_TO_POINTER(glyph), GUINT_TO_POINTER(at));
    }
    e = &g_array_index(f->entries, FontGlyph, at - 1);
    out->code = e->code;
    out->advance = e->advance;
    out->group = e->latin ? 0 : 1;
    out->subset = f->latin && !e->latin ? 1 : 0;
    out->mapped = FALSE;
    if (len < 0)
        return;
    if (utf8 != NULL && len > 0) {
        if (e->utf8 != NULL) {
            out->mapped = strlen(e->utf8) == (size_t)len && memcmp(e->utf8, utf8, len) == 0;
        } else {
            e->utf8 = g_strndup(utf8, (gsize)len);
            out->mapped = TRUE;
        }
    }
}

/* ---- outlines ---- */

static FT_Library
ft_library(void)
{
    static gsize once;
    static FT_Library library;
    if (g_once_init_enter(&once)) {
        if (FT_Init_FreeType(&library) != 0)
            library = NULL;
        g_once_init_leave(&once, 1);
    }
    return library;
}

typedef struct {
    GArray *ops;
    gboolean open;  /* a contour begun */
    int x, y;       /* the current point */
} Outline;

static int
fixed_26_6(FT_Pos v)
{
    return (int)(v * 4); /* 26.6 -> 24.8 */
}

static void
put_op(Outline *o, int op, int n, const int *xy)
{
    g_array_append_val(o->ops, op);
    g_array_append_vals(o->ops, xy, (guint)(2 * n));
    if (n > 0) {
        o->x = xy[2 * n - 2];
        o->y = xy[2 * n - 1];
    }
}

static void
close_contour(Outline *o)
{
    if (o->open)
        put_op(o, PDF_OUTLINE_CLOSE, 0, NULL);
    o->open = FALSE;
}

static int
ol_move(const FT_Vector *to, void *data)
{
    Outline *o = data;
    close_contour(o);
    int xy[2] = {fixed_26_6(to->x), fixed_26_6(to->y)};
    put_op(o, PDF_OUTLINE_MOVE, 1, xy);
    o->open = TRUE;
    return 0;
}

static int
ol_line(const FT_Vector *to, void *data)
{
    int xy[2] = {fixed_26_6(to->x), fixed_26_6(to->y)};
    put_op(data, PDF_OUTLINE_LINE, 1, xy);
    return 0;
}

/* a quadratic segment as the cubic cairo makes of it: control points two thirds of the
 * way, in fixed point, cut toward zero */
static int
ol_conic(const FT_Vector *control, const FT_Vector *to, void *data)
{
    Outline *o = data;
    int cx = fixed_26_6(control->x), cy = fixed_26_6(control->y);
    int x3 = fixed_26_6(to->x), y3 = fixed_26_6(to->y);
    int xy[6] = {(int)(o->x + 2.0 / 3.0 * (cx - o->x)), (int)(o->y + 2.0 / 3.0 * (cy - o->y)),
                 (int)(x3 + 2.0 / 3.0 * (cx - x3)),     (int)(y3 + 2.0 / 3.0 * (cy - y3)),
                 x3,                                    y3};
    put_op(o, PDF_OUTLINE_CURVE, 3, xy);
    return 0;
}

static int
ol_cubic(const FT_Vector *c1, const FT_Vector *c2, const FT_Vector *to, void *data)
{
    int xy[6] = {fixed_26_6(c1->x), fixed_26_6(c1->y), fixed_26_6(c2->x),
                 fixed_26_6(c2->y), fixed_26_6(to->x), fixed_26_6(to->y)};
    put_op(data, PDF_OUTLINE_CURVE, 3, xy);
    return 0;
}

gboolean
pdf_font_glyph_outline(PdfFont *f, PangoGlyph glyph, double size, GArray *ops)
{
    if (f->ft == NULL && !f->ft_failed) {
        const char *hash = strrchr(f->key, '#');
        char *file = g_strndup(f->key, (gsize)(hash - f->key));
        FT_Library lib = ft_library();
        f->ft_failed = lib == NULL || FT_New_Face(lib, file, atoi(hash + 1), &f->ft) != 0;
        g_free(file);
    }
    if (f->ft == NULL)
        return FALSE;
    /* as cairo loads a glyph for its path: the size in 26.6 rounded, no hinting */
    FT_F26Dot6 ppem = (FT_F26Dot6)(size * 64.0 + .5);
    if (FT_Set_Char_Size(f->ft, ppem, ppem, 0, 0) != 0)
        return FALSE;
    FT_Set_Transform(f->ft, NULL, NULL);
    if (FT_Load_Glyph(f->ft, glyph, FT_LOAD_NO_HINTING | FT_LOAD_IGNORE_GLOBAL_ADVANCE_WIDTH |
                                        FT_LOAD_NO_BITMAP) != 0 ||
        f->ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return FALSE;
    static const FT_Outline_Funcs funcs = {ol_move, ol_line, ol_conic, ol_cubic, 0, 0};
    FT_Matrix flip = {65536, 0, 0, -65536};
    FT_Outline_Transform(&f->ft->glyph->outline, &flip);
    Outline o = {ops, FALSE, 0, 0};
    if (FT_Outline_Decompose(&f->ft->glyph->outline, &funcs, &o) != 0)
        return FALSE;
    close_contour(&o);
    return TRUE;
}

/* ---- writing ---- */

typedef struct {
    PdfFont *font;
    hb_set_t *glyphs;
    GThread *thread;
} SubsetJob;

/* The subset, and its font program deflated: in a thread a face. */
static gpointer
subset_job_run(gpointer data)
{
    SubsetJob *job = data;
    PdfFont *f = job->font;
    f->data = font_subset_data(f->key, job->glyphs, &f->map);
    if (f->data == NULL)
        return NULL;
    hb_blob_t *program = NULL;
    if (f->cff) {
        hb_face_t *sub = hb_face_create(f->data, 0);
        program = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
        hb_face_destroy(sub);
    } else {
        program = hb_blob_reference(f->data);
    }
    unsigned len = 0;
    const char *bytes = hb_blob_get_data(program, &len);
    f->program = pdf_deflate(bytes, len, 6);
    f->program_len = len;
    hb_blob_destroy(program);
    return NULL;
}

/* The six letters naming a subset (PDF 32000-1 9.6.4), from its face and glyphs. */
static void
subset_tag(const PdfFont *f, char tag[7])
{
    guint32 h = g_str_hash(f->key);
    for (guint i = 0; i < f->entries->len; i++)
        h = h * 31 + g_array_index(f->entries, FontGlyph, i).glyph;
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
        h ^= h << 7;
    }
    tag[6] = '\0';
}

/* The face's PostScript name as a PDF name's characters. */
static char *
ps_name(const PdfFont *f)
{
    char name[128];
    unsigned int len = sizeof name;
    if (hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len,
                            name) == 0 ||
        name[0] == '\0')
        g_strlcpy(name, "Font", sizeof name);
    GString *s = g_string_new(NULL);
    for (const char *p = name; *p != '\0'; p++)
        if (g_ascii_isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '+')
            g_string_append_c(s, *p);
    return g_string_free(s, FALSE);
}

static int
scaled(const PdfFont *f, int v)
{
    return (int)((gint64)v * 1000 / (gint64)(f->upem > 0 ? f->upem : 1000));
}

/* cairo's widths: the advance in thousandths of an em, cut to a whole number */
static long
width_1000(const PdfFont *f, PangoGlyph glyph)
{
    hb_position_t adv = hb_font_get_glyph_h_advance(f->font, glyph);
    return (long)((double)adv / (f->upem > 0 ? f->upem : 1000) * 1000);
}

/* A CID and its glyph's width, for the CIDFont's W array (keyed by CID, not by code). */
typedef struct {
    guint cid;
    long width;
} CidWidth;

static int
cid_order(gconstpointer a, gconstpointer b)
{
    const CidWidth *x = a, *y = b;
    return x->cid < y->cid ? -1 : x->cid > y->cid;
}

static int
entry_by_code(gconstpointer a, gconstpointer b)
{
    const FontGlyph *x = a, *y = b;
    return x->code < y->code ? -1 : x->code > y->code;
}

static void
cmap_header(GString *s, const char *name, gboolean unicode)
{
    g_string_append(s, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n");
    if (!unicode)
        g_string_append(s, "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
                           "/Supplement 0 >> def\n");
    else
        g_string_append(s, "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 "
                           ">> def\n");
    g_string_append_printf(s, "/CMapName /%s def\n/CMapType %d def\n1 begincodespacerange\n"
                              "<0000> <ffff>\nendcodespacerange\n",
                           name, unicode ? 2 : 1);
}

static void
cmap_footer(GString *s)
{
    g_string_append(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* The ToUnicode CMap: each code's text, in UTF-16BE. */
static void
to_unicode(const GArray *sorted, GString *s)
{
    cmap_header(s, "Adobe-Identity-UCS", TRUE);
    guint n = 0;
    for (guint i = 0; i < sorted->len; i++)
        n += g_array_index(sorted, FontGlyph, i).utf8 != NULL;
    guint done = 0;
    for (guint i = 0; i < sorted->len; i++) {
        const FontGlyph *e = &g_array_index(sorted, FontGlyph, i);
        if (e->utf8 == NULL)
            continue;
        if (done % 100 == 0)
            g_string_append_printf(s, "%u beginbfchar\n", MIN(100u, n - done));
        g_string_append_printf(s, "<%04x> <", e->code);
        glong len = 0;
        gunichar2 *u = g_utf8_to_utf16(e->utf8, -1, NULL, &len, NULL);
        for (glong k = 0; u != NULL && k < len; k++)
            g_string_append_printf(s, "%04x", u[k]);
        g_free(u);
        g_string_append(s, ">\n");
        done++;
        if (done % 100 == 0 || done == n)
            g_string_append(s, "endbfchar\n");
    }
    cmap_footer(s);
}

static void
write_font(PdfFont *f, PdfOut *out)
{
    GArray *sorted = g_array_sized_new(FALSE, FALSE, sizeof(FontGlyph), f->entries->len + 1);
    FontGlyph notdef = {0, 0, 0, FALSE, NULL};
    g_array_append_val(sorted, notdef);
    g_array_append_vals(sorted, f->entries->data, f->entries->len);
    g_array_sort(sorted, entry_by_code);

    hb_face_t *sub = hb_face_create(f->data, 0);
    char tag[7];
    subset_tag(f, tag);
    char *name = ps_name(f);
    guint descendant = pdf_out_reserve(out), descriptor = pdf_out_reserve(out);
    guint file = pdf_out_reserve(out), tounicode = pdf_out_reserve(out);
    guint encoding = f->cff ? pdf_out_reserve(out) : 0;
    GArray *widths = g_array_sized_new(FALSE, FALSE, sizeof(CidWidth), sorted->len);
    guint gidmap = f->cff ? 0 : pdf_out_reserve(out);

    /* the font program */
    if (f->cff) {
        hb_blob_t *cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
        unsigned len = 0;
        const char *bytes = hb_blob_get_data(cff, &len);
        pdf_out_stream_deflated(out, file, "/Subtype /CIDFontType0C", f->program);
        /* codes -> CIDs: the subset's charset gives each new glyph's CID */
        CffInfo info;
        guint *cids = NULL;
        if (cff_info((const guint8 *)bytes, len, &info) && info.n_glyphs > 0) {
            cids = g_new0(guint, info.n_glyphs);
            if (!cff_charset((const guint8 *)bytes, len, &info, cids) || !info.cid)
                for (guint g = 0; g < info.n_glyphs; g++)
                    cids[g] = g;
        }
        GString *cm = g_string_new(NULL);
        char *cmap_name = g_strdup_printf("gongwen-%s-%u", tag, f->id);
        cmap_header(cm, cmap_name, FALSE);
        for (guint i = 0; i < sorted->len; i += 100) {
            guint n = MIN(100u, sorted->len - i);
            g_string_append_printf(cm, "%u begincidchar\n", n);
            for (guint k = i; k < i + n; k++) {
                const FontGlyph *e = &g_array_index(sorted, FontGlyph, k);
                hb_codepoint_t g = hb_map_get(f->map, e->glyph);
                guint cid = g != HB_MAP_VALUE_INVALID && cids != NULL && g < info.n_glyphs
                                ? cids[g]
                                : 0;
                g_string_append_printf(cm, "<%04x> %u\n", e->code, cid);
                CidWidth cw = {cid, width_1000(f, e->glyph)};
                g_array_append_val(widths, cw);
            }
            g_string_append(cm, "endcidchar\n");
        }
        cmap_footer(cm);
        char *dict = g_strdup_printf("/Type /CMap /CMapName /%s /CIDSystemInfo << /Registry "
                                     "(Adobe) /Ordering (Identity) /Supplement 0 >>",
                                     cmap_name);
        pdf_out_stream(out, encoding, dict, cm->str, cm->len, 6);
        g_free(dict);
        g_free(cmap_name);
        g_string_free(cm, TRUE);
        g_free(cids);
        hb_blob_destroy(cff);
    } else {
        char *dict = g_strdup_printf("/Length1 %u", f->program_len);
        pdf_out_stream_deflated(out, file, dict, f->program);
        g_free(dict);
        /* codes -> glyphs of the subset */
        guint max = g_array_index(sorted, FontGlyph, sorted->len - 1).code;
        guint8 *map = g_malloc0(((gsize)max + 1) * 2);
        for (guint i = 0; i < sorted->len; i++) {
            const FontGlyph *e = &g_array_index(sorted, FontGlyph, i);
            hb_codepoint_t g = hb_map_get(f->map, e->glyph);
            if (g == HB_MAP_VALUE_INVALID)
                g = 0;
            map[e->code * 2] = (guint8)(g >> 8);
            map[e->code * 2 + 1] = (guint8)g;
            CidWidth cw = {e->code, width_1000(f, e->glyph)};
            g_array_append_val(widths, cw);
        }
        pdf_out_stream(out, gidmap, NULL, map, ((gsize)max + 1) * 2, 6);
        g_free(map);
    }

    /* ToUnicode */
    GString *tu = g_string_new(NULL);
    to_unicode(sorted, tu);
    pdf_out_stream(out, tounicode, NULL, tu->str, tu->len, 6);
    g_string_free(tu, TRUE);

    /* the descriptor: metrics in thousandths of an em */
    hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned hlen = 0;
    const guint8 *h = (const guint8 *)hb_blob_get_data(head, &hlen);
    int bbox[4] = {(gint16)be(h, hlen, 36, 2), (gint16)be(h, hlen, 38, 2),
                   (gint16)be(h, hlen, 40, 2), (gint16)be(h, hlen, 42, 2)};
    hb_blob_destroy(head);
    hb_position_t ascender = 0, descender = 0, cap = 0;
    hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &ascender);
    hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &descender);
    if (!hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap))
        cap = ascender;
    GString *s = pdf_out_begin(out, descriptor);
    g_string_append_printf(s,
                           "<< /Type /FontDescriptor /FontName /%s+%s /Flags 4 "
                           "/FontBBox [ %d %d %d %d ] /ItalicAngle 0 /Ascent %d /Descent %d "
                           "/CapHeight %d /StemV 80 /%s %u 0 R >>",
                           tag, name, scaled(f, bbox[0]), scaled(f, bbox[1]),
                           scaled(f, bbox[2]), scaled(f, bbox[3]), scaled(f, ascender),
                           scaled(f, descender), scaled(f, cap),
                           f->cff ? "FontFile3" : "FontFile2", file);
    pdf_out_end(out);

    /* the CIDFont, its widths by CID */
    s = pdf_out_begin(out, descendant);
    g_string_append_printf(s,
                           "<< /Type /Font /Subtype /%s /BaseFont /%s+%s /CIDSystemInfo << "
                           "/Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                           "/FontDescriptor %u 0 R",
                           f->cff ? "CIDFontType0" : "CIDFontType2", tag, name, descriptor);
    if (!f->cff)
        g_string_append_printf(s, " /CIDToGIDMap %u 0 R", gidmap);
    g_string_append(s, " /W [");
    g_array_sort(widths, cid_order);
    for (guint i = 0; i < widths->len;) {
        guint first = g_array_index(widths, CidWidth, i).cid, k = i, next = first;
        g_string_append_printf(s, " %u [", first);
        while (k < widths->len && g_array_index(widths, CidWidth, k).cid <= next) {
            if (g_array_index(widths, CidWidth, k).cid == next) { /* one entry a CID */
                g_string_append_printf(s, " %ld", g_array_index(widths, CidWidth, k).width);
                next++;
            }
            k++;
        }
        g_string_append(s, " ]");
        i = k;
    }
    g_string_append(s, " ] >>");
    pdf_out_end(out);

    /* the Type0 font */
    s = pdf_out_begin(out, f->obj);
    g_string_append_printf(s, "<< /Type /Font /Subtype /Type0 /BaseFont /%s+%s ", tag, name);
    if (f->cff)
        g_string_append_printf(s, "/Encoding %u 0 R", encoding);
    else
        g_string_append(s, "/Encoding /Identity-H");
    g_string_append_printf(s, " /DescendantFonts [ %u 0 R ] /ToUnicode %u 0 R >>", descendant,
                           tounicode);
    pdf_out_end(out);

    hb_face_destroy(sub);
    g_free(name);
    g_array_free(widths, TRUE);
    g_array_free(sorted, TRUE);
}

gboolean
pdf_fonts_write(PdfFonts *fonts, PdfOut *out, GError **error)
{
    GPtrArray *jobs = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < fonts->list->len; i++) {
        PdfFont *f = g_ptr_array_index(fonts->list, i);
        SubsetJob *job = g_new0(SubsetJob, 1);
        job->font = f;
        job->glyphs = hb_set_create();
        hb_set_add(job->glyphs, 0);
        for (guint k = 0; k < f->entries->len; k++)
            hb_set_add(job->glyphs, g_array_index(f->entries, FontGlyph, k).glyph);
        g_ptr_array_add(jobs, job);
    }
    /* a thread a face: HarfBuzz takes about 15 ms for a Noto CJK face whatever its glyphs */
    for (guint i = 0; jobs->len > 1 && i < jobs->len; i++) {
        SubsetJob *job = g_ptr_array_index(jobs, i);
        job->thread = g_thread_try_new("gongwen-subset", subset_job_run, job, NULL);
    }
    gboolean ok = TRUE;
    for (guint i = 0; i < jobs->len; i++) {
        SubsetJob *job = g_ptr_array_index(jobs, i);
        if (job->thread != NULL)
            g_thread_join(job->thread);
        else
            subset_job_run(job);
        hb_set_destroy(job->glyphs);
        if (job->font->data == NULL || job->font->map == NULL || job->font->program == NULL) {
            if (ok)
                g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO,
                            "cannot cut the font %s down to its glyphs", job->font->key);
            ok = FALSE;
            continue;
        }
        write_font(job->font, out);
    }
    g_ptr_array_free(jobs, TRUE);
    return ok;
}
