/* gongwen: paragraph -> lines on the character grid.
 *
 * Pango itemizes and shapes; this file decides where lines break (UAX #14 opportunities from
 * pango_get_log_attrs, corrected by the clreq GB法 rules of spec/official-format.md §3.1),
 * sets full-width characters on the grid cell and justifies lines by spreading the slack
 * over the gaps between characters, never inside ——/…… or a Latin word.
 */
#include "para.h"

#include "diag.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utf16.h>

/* Where a full-width mark's blank half is (GB style): 点号 and closing marks have their ink
 * in the left half of the cell, opening marks in the right half. */
typedef enum { MARK_NONE, MARK_BLANK_RIGHT, MARK_BLANK_LEFT } MarkSide;

typedef struct {
    gunichar c;
    size_t offset;      /* byte offset in the text */
    int width;          /* advance; a cluster's width sits on its first character */
    gboolean wide;      /* a full-width character, set on the grid */
    gboolean can_break; /* a line may break before this character */
    guint8 soft;        /* ... or only at a cost (SoftBreak) */
    MarkSide mark;      /* a compressible mark, on the grid only */
    int gap;            /* the CJK–Latin gap after it, when the next character is on its line */
    int gap_cut;        /* what compression has taken from that gap (down to an eighth em) */
    int half;           /* half its full width: the most compression may take */
    int squeezed;       /* what compression has taken so far */
    guint item;         /* its shaped item and glyphs [glyph_start, glyph_end) */
    int glyph_start, glyph_end;
    gboolean blank;     /* part of a fill-in blank, a run of ＿ or _ (see breaker_blanks) */
    guint8 cls;         /* its CharClass bits, computed once */
} ParaChar;

typedef struct {
    const ParaSpec *spec;
    const char *text;
    size_t len;
    ParaChar *chars; /* n_chars + 1: the last one is a sentinel at offset len */
    size_t n_chars;
    GPtrArray *items; /* PangoGlyphItem*, whole shaped items in text order */
    guint item_cursor; /* the first item the next line can start in */
    gboolean *word_start; /* spec->words or balance: a word starts at character i (titles) */
} Breaker;

typedef struct {
    size_t start; /* characters [start, end) */
    size_t end;
} LineRange;

/* clreq: marks that may not start a line (GB法, plus …… and Word's %‰℃). A 破折号 —— may
 * start one (GB/T 15834-2011 forbids only splitting it); a lone — may not. */
/* Breaks the rules allow but good setting avoids, taken only to spare a loose line. */
typedef enum {
    SOFT_NONE,
    SOFT_UNIT, /* a number and its unit or measure word: 2386|条 */
    SOFT_RANGE /* after the 连接号 of a range of numbers: 2021—|2035 (clreq allows it) */
} SoftBreak;

static const char no_start_chars[] = "、，。．：；！？‼⁇”’」』）］｝〕】〗》〉～-–·・‧/／…⋯%‰℃,.;:?!)]}";
/* clreq: marks that may not end a line (GB法 adds the solidus). */
static const char no_end_chars[] = "“‘「『（［｛〔【〖《〈/／([{";
/* Full-width marks with a blank half that compression may remove (clreq 标点挤压). */
static const char blank_right_chars[] = "、，。．：；！？”’」』）］｝〕】〗》〉";
static const char blank_left_chars[] = "“‘「『（［｛〔【〖《〈";

/* The multipliers a number keeps with its unit: 11.7万|亿|元, 5400多|万|元. */
static const char multiplier_chars[] = "多余万亿千百";

/* What a character is to the breaker, computed once per character of a paragraph
 * (char_class) rather than by scanning the sets above for every test. */
typedef enum {
    CC_NO_START = 1 << 0,    /* in no_start_chars */
    CC_NO_END = 1 << 1,      /* in no_end_chars */
    CC_BLANK_RIGHT = 1 << 2, /* in blank_right_chars */
    CC_BLANK_LEFT = 1 << 3,  /* in blank_left_chars */
    CC_MULTIPLIER = 1 << 4,  /* in multiplier_chars */
    CC_WIDE = 1 << 5,        /* g_unichar_iswide */
    CC_HAN = 1 << 6,         /* is_han_like */
    CC_LATIN = 1 << 7        /* not wide, a letter, a digit or % */
} CharClass;

typedef struct {
    gunichar c;
    guint8 cls;
} MarkClass;

/* The marks of the sets above with their classes, sorted by character; made once. */
static MarkClass mark_classes[128];
static size_t n_mark_classes;

static void
mark_classes_add(const char *set, guint8 cls)
{
    for (const char *p = set; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        size_t i = 0;
        while (i < n_mark_classes && mark_classes[i].c < c)
            i++;
        if (i < n_mark_classes && mark_classes[i].c == c) {
            mark_classes[i].cls |= cls;
            continue;
        }
        g_assert(n_mark_classes < G_N_ELEMENTS(mark_classes));
        memmove(&mark_classes[i + 1], &mark_classes[i],
                (n_mark_classes - i) * sizeof mark_classes[0]);
        mark_classes[i] = (MarkClass){c, cls};
        n_mark_classes++;
    }
}

static guint8
mark_class(gunichar c)
{
    static gsize once;
    if (g_once_init_enter(&once)) {
        mark_classes_add(no_start_chars, CC_NO_START);
        mark_classes_add(no_end_chars, CC_NO_END);
        mark_classes_add(blank_right_chars, CC_BLANK_RIGHT);
        mark_classes_add(blank_left_chars, CC_BLANK_LEFT);
        mark_classes_add(multiplier_chars, CC_MULTIPLIER);
        g_once_init_leave(&once, 1);
    }
    size_t lo = 0, hi = n_mark_classes;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mark_classes[mid].c < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n_mark_classes && mark_classes[lo].c == c ? mark_classes[lo].cls : 0;
}

static gboolean is_han_like(gunichar c);

/* All the CharClass bits of c (CC_HAN as is_han_like). */
static guint8
char_class(gunichar c)
{
    guint8 cls = mark_class(c);
    if (g_unichar_iswide(c)) {
        cls |= CC_WIDE;
        if (!g_unichar_ispunct(c) && !g_unichar_isspace(c))
            cls |= CC_HAN;
    } else if (g_unichar_isalnum(c) || c == '%') {
        cls |= CC_LATIN;
    }
    return cls;
}

/* — and ―: text from Windows' code page 936 writes the 破折号 with U+2015 (GB 18030 and
 * Unicode's own advice give U+2014); both are set as —, with —'s glyph. */
static gboolean
is_em_dash(gunichar c)
{
    return c == 0x2014 || c == 0x2015;
}

static gboolean
is_dash_or_ellipsis(gunichar c)
{
    return c == 0x2014 || c == 0x2015 || c == 0x2E3A || c == 0x2026 || c == 0x22EF;
}

/* A character that fills one grid cell: East Asian wide/full-width, plus the marks that are
 * full-width in Chinese fonts though Unicode calls them ambiguous. */
static gboolean
is_grid_char(gunichar c, guint8 cls)
{
    if (cls & CC_WIDE)
        return TRUE;
    return c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 || c == 0x00B7 ||
           is_dash_or_ellipsis(c);
}

/* Whether a font's face is bold (or heavier) itself. */
static gboolean
font_is_bold(PangoFont *font)
{
    PangoFontDescription *d = pango_font_describe(font);
    gboolean bold = pango_font_description_get_weight(d) >= PANGO_WEIGHT_SEMIBOLD;
    pango_font_description_free(d);
    return bold;
}

/* The Latin letters and digits of `text` in `family`: a font attribute per run of them. */
static void
latin_attributes(PangoAttrList *attrs, const ParaSpec *spec, size_t len)
{
    PangoFontDescription *d = pango_font_description_new();
    pango_font_description_set_family(d, spec->latin_family);
    pango_font_description_set_absolute_size(d, spec->size);
    const char *p = spec->text, *end = spec->text + len;
    while (p < end) {
        while (p < end && !g_ascii_isalnum(*p))
            p++;
        const char *q = p;
        while (q < end && (g_ascii_isalnum(*q) || ((*q == '.' || *q == ',' || *q == '%') &&
                                                    q + 1 < end && g_ascii_isalnum(q[1]))))
            q++;
        if (q > p) {
            PangoAttribute *a = pango_attr_font_desc_new(d);
            a->start_index = (guint)(p - spec->text);
            a->end_index = (guint)(q - spec->text);
            pango_attr_list_insert(attrs, a);
        }
        p = q;
    }
    pango_font_description_free(d);
}

static PangoAttrList *
para_attributes(const Fonts *fonts, const ParaSpec *spec, size_t len)
{
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFontDescription *head = fonts_role_description_new(fonts, spec->head_role, spec->size);
    PangoFontDescription *body = fonts_role_description_new(fonts, spec->body_role, spec->size);
    PangoAttribute *a = pango_attr_font_desc_new(body);
    pango_attr_list_insert(attrs, a);
    if (spec->head_len > 0) {
        a = pango_attr_font_desc_new(head);
        a->start_index = 0;
        a->end_index = (guint)spec->head_len;
        pango_attr_list_insert(attrs, a);
    }
    pango_font_description_free(head);
    pango_font_description_free(body);
    if (spec->latin_family != NULL)
        latin_attributes(attrs, spec, len);
    a = pango_attr_language_new(pango_language_from_string("zh-cn"));
    pango_attr_list_insert(attrs, a);
    if (spec->tabular)
        pango_attr_list_insert(attrs, pango_attr_font_features_new("tnum"));
    /* Dashes and ellipses at full width: —— is exactly two cells (fwid). */
    for (const char *p = spec->text; (size_t)(p - spec->text) < len; p = g_utf8_next_char(p)) {
        if (!is_dash_or_ellipsis(g_utf8_get_char(p)))
            continue;
        a = pango_attr_font_features_new("fwid");
        a->start_index = (guint)(p - spec->text);
        a->end_index = (guint)(g_utf8_next_char(p) - spec->text);
        pango_attr_list_insert(attrs, a);
    }
    (void)len;
    return attrs;
}

static gboolean
breaker_check_glyphs(Breaker *b, const PangoGlyphItem *gi, GError **error)
{
    for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
        if (!(gi->glyphs->glyphs[g].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            continue;
        size_t off = (size_t)gi->item->offset + (size_t)gi->glyphs->log_clusters[g];
        gunichar c = g_utf8_get_char(b->text + off);
        if (c == '\n' || c == 0x200B)
            continue;
        long col = g_utf8_pointer_to_offset(b->text, b->text + off);
        char buf[8] = {0};
        g_unichar_to_utf8(c, buf);
        DiagAt at = {b->spec->origin_file, b->spec->origin_line, b->spec->origin_col + (int)col};
        diag_set_error(error, GONGWEN_ERROR_FONT, at,
                       "no installed font has the character “%s” (U+%04X); install a font that "
                       "covers it (see `gongwen fonts`)",
                       buf, (unsigned)c);
        return FALSE;
    }
    return TRUE;
}

static gboolean
is_variation_selector(gunichar c)
{
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* `text` without the variation selectors its fonts have no variant for (owned): a selector
 * picks a form of the character before it where the font has one (葛 with U+E0100) and is
 * otherwise ignored, so it neither shows nor stands in the PDF's text as a glyph of its
 * own. The text itself when it has none (the common case costs a scan). */
static char *
drop_unknown_variations(Fonts *fonts, const ParaSpec *spec, const char *text)
{
    gboolean any = FALSE;
    for (const char *p = text; *p != '\0' && !any; p = g_utf8_next_char(p))
        any = is_variation_selector(g_utf8_get_char(p));
    if (!any)
        return g_strdup(text);
    size_t len = strlen(text);
    PangoAttrList *attrs = para_attributes(fonts, spec, len);
    GList *items = pango_itemize(fonts_get_context(fonts), text, 0, (int)len, attrs, NULL);
    pango_attr_list_unref(attrs);
    GString *out = g_string_sized_new(len);
    gunichar base = 0;
    for (GList *l = items; l != NULL; l = l->next) {
        const PangoItem *item = l->data;
        hb_font_t *hb = pango_font_get_hb_font(item->analysis.font);
        const char *end = text + item->offset + item->length;
        for (const char *p = text + item->offset; p < end; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            hb_codepoint_t glyph = 0;
            if (!is_variation_selector(c))
                base = c;
            else if (base == 0 || hb == NULL || !hb_font_get_variation_glyph(hb, base, c, &glyph))
                continue;
            g_string_append_unichar(out, c);
        }
    }
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    return g_string_free(out, FALSE);
}

/* Itemize and shape the whole paragraph into b->items. */
static gboolean
breaker_shape(Breaker *b, Fonts *fonts, GError **error)
{
    PangoAttrList *attrs = para_attributes(fonts, b->spec, b->len);
    /* shaped with ― as — (the same length in UTF-8: E2 80 95 and E2 80 94); the lines keep
     * the text as written, so the PDF's text is what the author typed */
    char *shaped = NULL;
    if (strstr(b->text, "\u2015") != NULL) {
        shaped = g_strdup(b->text);
        for (char *q = strstr(shaped, "\u2015"); q != NULL; q = strstr(q, "\u2015"))
            q[2] = (char)0x94;
    }
    const char *text = shaped != NULL ? shaped : b->text;
    GList *items = pango_itemize(fonts_get_context(fonts), text, 0, (int)b->len, attrs, NULL);
    pango_attr_list_unref(attrs);
    gboolean ok = TRUE;
    for (GList *l = items; l != NULL; l = l->next) {
        PangoGlyphItem *gi = g_slice_new(PangoGlyphItem);
        gi->item = l->data;
        /* Lines are built in logical order: right-to-left runs (a Hebrew word, a stray
         * U+202E) are set left to right rather than reordered. */
        gi->item->analysis.level = 0;
        gi->glyphs = pango_glyph_string_new();
        pango_shape_full(text + gi->item->offset, gi->item->length, text, (int)b->len,
                         &gi->item->analysis, gi->glyphs);
        g_ptr_array_add(b->items, gi);
        if (ok && !breaker_check_glyphs(b, gi, error))
            ok = FALSE;
    }
    g_list_free(items);
    g_free(shaped);
    return ok;
}

static size_t
breaker_char_at(const Breaker *b, size_t offset)
{
    size_t lo = 0, hi = b->n_chars;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->chars[mid].offset < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* An ASCII space beside Han text (时限为 2017年, or a stray one between two Han characters)
 * is the quarter-em CJK gap, not a word space. */
static gboolean
is_cjk_latin_space(const Breaker *b, size_t i)
{
    if (b->chars[i].c != ' ' || i == 0 || i + 1 >= b->n_chars)
        return FALSE;
    return b->chars[i - 1].wide || b->chars[i + 1].wide;
}

/* Set one cluster to `target` width, centring its ink in the new advance. */
static void
cluster_set_width(PangoGlyphString *glyphs, int start_glyph, int end_glyph, int width,
                  int target)
{
    int delta = target - width;
    for (int g = start_glyph; g < end_glyph; g++)
        glyphs->glyphs[g].geometry.x_offset += delta / 2;
    glyphs->glyphs[end_glyph - 1].geometry.width += delta;
}

/* Character widths from the shaped clusters, with grid cells and CJK–Latin gaps applied. */
static void
breaker_measure(Breaker *b)
{
    const ParaSpec *spec = b->spec;
    size_t next = 0; /* the clusters come in text order: where the next one most likely is */
    for (guint k = 0; k < b->items->len; k++) {
        PangoGlyphItem *gi = g_ptr_array_index(b->items, k);
        PangoGlyphItemIter it;
        for (gboolean more = pango_glyph_item_iter_init_start(&it, gi, b->text); more;
             more = pango_glyph_item_iter_next_cluster(&it)) {
            int width = 0;
            for (int g = it.start_glyph; g < it.end_glyph; g++)
                width += gi->glyphs->glyphs[g].geometry.width;
            size_t first = next < b->n_chars && b->chars[next].offset == (size_t)it.start_index
                               ? next
                               : breaker_char_at(b, (size_t)it.start_index);
            next = first + (size_t)(it.end_char - it.start_char);
            size_t n = (size_t)(it.end_char - it.start_char);
            int target = width;
            if (spec->cell > 0 && b->chars[first].wide)
                target = spec->cell * (int)n;
            else if ((first > 0 && b->chars[first].c == ' ' && b->chars[first - 1].c == ' ') ||
                     b->chars[first].c == '\n')
                target = 0; /* a run of spaces counts as one; a newline takes no room */
            else if (is_cjk_latin_space(b, first))
                target = spec->size / 4;
            if (target != width && it.end_glyph > it.start_glyph)
                cluster_set_width(gi->glyphs, it.start_glyph, it.end_glyph, width, target);
            ParaChar *ch = &b->chars[first];
            ch->width = target;
            ch->item = k;
            ch->glyph_start = it.start_glyph;
            ch->glyph_end = it.end_glyph;
            if (spec->cell > 0 && n == 1 && ch->wide && it.end_glyph > it.start_glyph)
                ch->mark = (ch->cls & CC_BLANK_RIGHT)  ? MARK_BLANK_RIGHT
                           : (ch->cls & CC_BLANK_LEFT) ? MARK_BLANK_LEFT
                                                       : MARK_NONE;
            ch->half = target / 2;
        }
    }
}

/* Take up to `amount` from mark i's blank half; returns what was taken. */
static int
breaker_compress(Breaker *b, size_t i, int amount)
{
    ParaChar *ch = &b->chars[i];
    int take = MIN(amount, ch->mark == MARK_NONE ? 0 : ch->half - ch->squeezed);
    if (take <= 0)
        return 0;
    PangoGlyphItem *gi = g_ptr_array_index(b->items, ch->item);
    if (ch->mark == MARK_BLANK_LEFT) {
        for (int g = ch->glyph_start; g < ch->glyph_end; g++)
            gi->glyphs->glyphs[g].geometry.x_offset -= take;
    }
    gi->glyphs->glyphs[ch->glyph_end - 1].geometry.width -= take;
    ch->width -= take;
    ch->squeezed += take;
    return take;
}

static gboolean
is_han_like(gunichar c)
{
    return g_unichar_iswide(c) && !g_unichar_ispunct(c) && !g_unichar_isspace(c);
}


/* Han text and a run of Latin letters or digits written together (2017年, AB岗) are set a
 * quarter em apart; the gap is never stretched and never left at a line's edge. */
static void
breaker_cjk_latin_gaps(Breaker *b)
{
    for (size_t i = 0; i + 1 < b->n_chars; i++) {
        guint8 a = b->chars[i].cls, c = b->chars[i + 1].cls;
        if (b->spec->latin_gap &&
            (((a & CC_HAN) && (c & CC_LATIN)) || ((a & CC_LATIN) && (c & CC_HAN))))
            b->chars[i].gap = b->spec->size / 4;
    }
}

/* Adjacent marks (。” ）， 》、 ，“ （“) total one and a half cells: the first loses its blank
 * right half, or of two opening marks the second loses its blank left half. */
static void
breaker_compress_adjacent(Breaker *b)
{
    for (size_t i = 0; i + 1 < b->n_chars; i++) {
        const ParaChar *a = &b->chars[i], *c = &b->chars[i + 1];
        if (a->mark == MARK_BLANK_RIGHT && c->mark != MARK_NONE)
            breaker_compress(b, i, a->half);
        else if (a->mark == MARK_BLANK_LEFT && c->mark == MARK_BLANK_LEFT)
            breaker_compress(b, i + 1, c->half);
    }
}

/* How much character i may still give up to let a line fit (先挤进): the blank half of a
 * 点号 or closing mark. */
static int
squeezable(const Breaker *b, size_t i)
{
    const ParaChar *ch = &b->chars[i];
    return ch->mark == MARK_BLANK_RIGHT ? ch->half - ch->squeezed : 0;
}

/* What a line too wide gives up, in the order it gives it up (clreq 3.1.6, 先挤进): the
 * blank half of the mark at its end; of the 句内点号 inside it (、，；：); the outer sides of
 * brackets and quotation marks; of 句末点号 (。？！); then the Han–Latin gaps, down to an
 * eighth of an em. */
typedef enum { SQ_END, SQ_PAUSE, SQ_BRACKET, SQ_STOP, SQ_GAP, SQ_CLASSES } SqueezeClass;

static gboolean
is_pause_mark(gunichar c)
{
    return c == 0x3001 || c == 0xFF0C || c == 0xFF1B || c == 0xFF1A; /* 、，；： */
}

static gboolean
is_closing_mark(gunichar c)
{
    return c == 0x201D || c == 0x2019 || (c >= 0x300D && c <= 0x3017 && c % 2 == 1) ||
           c == 0xFF09 || c == 0xFF3D || c == 0xFF5D || c == 0x300B || c == 0x3009;
}

/* What character i of line r may still give up in class k. */
static int
squeeze_room(const Breaker *b, size_t i, LineRange r, SqueezeClass k)
{
    const ParaChar *ch = &b->chars[i];
    if (k == SQ_GAP) {
        int cut = ch->gap - ch->gap_cut - b->spec->size / 8;
        return i + 1 < r.end && ch->gap > 0 && cut > 0 ? cut : 0;
    }
    int blank = ch->mark == MARK_NONE ? 0 : ch->half - ch->squeezed;
    if (ch->mark == MARK_BLANK_LEFT) /* an opening mark's blank side, inside the line only */
        return k == SQ_BRACKET && i > r.start ? blank : 0;
    if (ch->mark != MARK_BLANK_RIGHT)
        return 0;
    gboolean end = i + 1 == r.end;
    SqueezeClass own = end                    ? SQ_END
                       : is_pause_mark(ch->c)   ? SQ_PAUSE
                       : is_closing_mark(ch->c) ? SQ_BRACKET
                                                : SQ_STOP;
    return own == k ? blank : 0;
}

/* Take `amount` (no more than its room) from character i in class k. */
static int
squeeze_take(Breaker *b, size_t i, SqueezeClass k, int amount)
{
    if (k != SQ_GAP)
        return breaker_compress(b, i, amount);
    b->chars[i].gap_cut += amount;
    return amount;
}

/* All that character i (with the gap after it) may give up on a line that starts at
 * `start` and goes on after i. */
static int
squeeze_room_inside(const Breaker *b, size_t i, size_t start)
{
    LineRange r = {start, i + 2};
    int room = 0;
    for (int k = SQ_PAUSE; k < SQ_CLASSES; k++)
        room += squeeze_room(b, i, r, (SqueezeClass)k);
    return room;
}

/* Which characters belong to a URL: from http://, https:// or www. to the next space or
 * full-width character. Owned array of n_chars + 1 flags. */
static gboolean *
breaker_find_urls(const Breaker *b)
{
    gboolean *in_url = g_new0(gboolean, b->n_chars + 1);
    static const char *const starts[] = {"http://", "https://", "www."};
    for (size_t i = 0; i < b->n_chars; i++) {
        const char *at = b->text + b->chars[i].offset;
        gboolean start = FALSE;
        for (size_t k = 0; k < G_N_ELEMENTS(starts); k++)
            start |= g_ascii_tolower(*at) == starts[k][0] &&
                     g_ascii_strncasecmp(at, starts[k], strlen(starts[k])) == 0;
        for (size_t j = i; start && j < b->n_chars && !b->chars[j].wide && b->chars[j].c > ' ';
             j++) {
            in_url[j] = TRUE;
            i = j;
        }
    }
    return in_url;
}

static void
breaker_break_opportunities(Breaker *b)
{
    size_t n = b->n_chars;
    PangoLogAttr *attrs = g_new0(PangoLogAttr, n + 1);
    pango_get_log_attrs(b->text, (int)b->len, -1, pango_language_from_string("zh-cn"), attrs,
                        (int)n + 1);
    gboolean *in_url = breaker_find_urls(b);
    for (size_t i = 1; i < n; i++) {
        gunichar c = b->chars[i].c, p = b->chars[i - 1].c;
        gboolean ok = attrs[i].is_line_break;
        /* Pango glues “ and ‘ to the text before them; clreq allows a break there. */
        if ((c == 0x201C || c == 0x2018) && p != ' ' && (b->chars[i - 1].wide || p == 0x201D))
            ok = TRUE;
        /* ... and ” and ’ to the text after them (”政, UAX #14's QU); so does clreq. */
        if ((p == 0x201D || p == 0x2019) && b->chars[i].wide && i >= 2 && b->chars[i - 2].wide)
            ok = TRUE;
        if ((b->chars[i].cls & CC_NO_START) || (b->chars[i - 1].cls & CC_NO_END))
            ok = FALSE;
        /* Inside a URL a line may break after / . - _ ? & = # (the GB法 rule against a
         * solidus at a line's end is for Chinese text). */
        if (in_url[i] && in_url[i - 1] && strchr("/.-_?&=#", (int)p) != NULL && p != 0 &&
            g_unichar_isalnum(c))
            ok = TRUE;
        if (is_dash_or_ellipsis(c) && is_dash_or_ellipsis(p))
            ok = FALSE;
        if (is_em_dash(c) && (i + 1 >= n || !is_em_dash(b->chars[i + 1].c)))
            ok = FALSE; /* a single —, a 连接号 or half a split ——, never starts a line */
        if (is_em_dash(p) && (i < 2 || !is_em_dash(b->chars[i - 2].c))) {
            /* ... nor ends one, but for a range of numbers at a cost (2021—|2035) */
            if (ok && i >= 2 && g_unichar_isdigit(b->chars[i - 2].c) && g_unichar_isdigit(c))
                b->chars[i].soft = SOFT_RANGE;
            ok = FALSE;
        }
        /* A number keeps its unit or measure word: 1月1|日 and 18|次 are not split, nor
         * the multipliers after it (11.7万|亿|元, 5400多|万|元). */
        gboolean figure = g_unichar_isdigit(p) && !(b->chars[i - 1].cls & CC_WIDE);
        for (size_t k = i - 1; !figure && k > 0 && (b->chars[k].cls & CC_MULTIPLIER); k--)
            figure = g_unichar_isdigit(b->chars[k - 1].c) && !(b->chars[k - 1].cls & CC_WIDE);
        if (figure && (b->chars[i].cls & CC_HAN)) {
            b->chars[i].soft = ok ? SOFT_UNIT : SOFT_NONE;
            ok = FALSE;
        }
        b->chars[i].can_break = ok;
    }
    g_free(in_url);
    g_free(attrs);
}

static void breaker_find_words(Breaker *b);

static gboolean
is_blank_char(gunichar c)
{
    return c == 0xFF3F || c == '_'; /* ＿ _ */
}

/* Fill-in blanks (a form's 姓名：＿＿＿＿, 于＿＿年＿＿月): a run of underscores, full-width or
 * not (a single _ inside a word, as in a file name, is not one), is one cell per underscore
 * and unbreakable: it never splits over lines, is never compressed or stretched (see
 * gap_stretchable), and is drawn as one rule (ParaBlank). */
static void
breaker_blanks(Breaker *b)
{
    for (size_t i = 0; i < b->n_chars; i++) {
        ParaChar *ch = &b->chars[i];
        if (!is_blank_char(ch->c))
            continue;
        gboolean run = (i > 0 && is_blank_char(b->chars[i - 1].c)) ||
                       (i + 1 < b->n_chars && is_blank_char(b->chars[i + 1].c));
        ch->blank = ch->c == 0xFF3F || run;
        if (!ch->blank)
            continue;
        if (i > 0 && b->chars[i - 1].blank) {
            ch->can_break = FALSE;
            ch->soft = SOFT_NONE;
        }
        if (b->spec->cell > 0 && ch->width != b->spec->cell && ch->glyph_end > ch->glyph_start) {
            PangoGlyphItem *gi = g_ptr_array_index(b->items, ch->item);
            cluster_set_width(gi->glyphs, ch->glyph_start, ch->glyph_end, ch->width,
                              b->spec->cell);
            ch->width = b->spec->cell;
            ch->half = ch->width / 2;
        }
    }
}

static gboolean
breaker_init(Breaker *b, Fonts *fonts, const ParaSpec *spec, GError **error)
{
    memset(b, 0, sizeof *b);
    b->spec = spec;
    b->text = spec->text;
    b->len = strlen(spec->text);
    b->n_chars = (size_t)g_utf8_strlen(b->text, (gssize)b->len);
    b->chars = g_new0(ParaChar, b->n_chars + 1);
    size_t i = 0;
    for (const char *p = b->text; *p != '\0'; p = g_utf8_next_char(p), i++) {
        b->chars[i].c = g_utf8_get_char(p);
        b->chars[i].offset = (size_t)(p - b->text);
        b->chars[i].cls = char_class(b->chars[i].c);
        b->chars[i].wide = is_grid_char(b->chars[i].c, b->chars[i].cls);
    }
    b->chars[b->n_chars].offset = b->len;
    b->items = g_ptr_array_new();
    if (!breaker_shape(b, fonts, error))
        return FALSE;
    breaker_measure(b);
    breaker_cjk_latin_gaps(b);
    breaker_compress_adjacent(b);
    breaker_break_opportunities(b);
    breaker_blanks(b);
    if (spec->words || spec->balance)
        breaker_find_words(b);
    return TRUE;
}

static void
glyph_item_free(gpointer data)
{
    pango_glyph_item_free(data);
}

static void
breaker_clear(Breaker *b)
{
    g_free(b->chars);
    g_free(b->word_start);
    if (b->items != NULL) {
        g_ptr_array_set_free_func(b->items, glyph_item_free);
        g_ptr_array_free(b->items, TRUE);
    }
}

static int
line_indent(const ParaSpec *spec, size_t line_no)
{
    return line_no == 0 ? spec->first_indent : spec->indent;
}

/* The width of characters [start, end) on one line, with the gaps between them. */
static int
range_width(const Breaker *b, size_t start, size_t end)
{
    int w = 0;
    for (size_t i = start; i < end; i++)
        w += b->chars[i].width + (i + 1 < end ? b->chars[i].gap : 0);
    return w;
}

/* The width of the unbreakable run that starts at character `i`. */
static int
word_width(const Breaker *b, size_t i)
{
    size_t end = i + 1;
    while (end < b->n_chars && !b->chars[end].can_break)
        end++;
    return range_width(b, i, end);
}

/* The end of the line that starts at `s` in `avail` width (characters [s, end)): where the
 * text stops fitting, if a line may break there; else 先挤进, the one or two characters
 * that may not start the next line squeezed in by compressing the line's marks; else
 * 后推出, the last place before it where a line may break. */
static size_t
breaker_find_end(const Breaker *b, size_t s, int avail)
{
    size_t best = 0, p = s;
    int w = 0, trailing = 0; /* w: width of [s, p) with the gaps inside it */
    for (; p < b->n_chars; p++) {
        if (b->chars[p].c == '\n') /* a line break inside a table cell */
            return p + 1;
        if (p > s && b->chars[p].can_break)
            best = p;
        trailing = b->chars[p].c == ' ' ? trailing + b->chars[p].width : 0;
        int gap_before = p > s ? b->chars[p - 1].gap : 0;
        if (w + gap_before + b->chars[p].width - trailing > avail)
            break;
        w += gap_before + b->chars[p].width;
    }
    if (p == b->n_chars || (p > s && b->chars[p].can_break))
        return p;
    int room = 0;
    for (size_t i = s; i < p; i++)
        room += squeezable(b, i);
    for (size_t q = p + 1; q <= p + 2 && q <= b->n_chars; q++) {
        w += (q - 1 > s ? b->chars[q - 2].gap : 0) + b->chars[q - 1].width;
        room += squeezable(b, q - 1);
        if ((q == b->n_chars || b->chars[q].can_break) && w - room <= avail)
            return q;
    }
    /* A word longer than a whole line (a URL, a long number) is broken where it overflows
     * rather than left to stretch the line before it. */
    if (best > 0 && word_width(b, best) <= b->spec->width)
        return best;
    return p > s ? p : p + 1;
}

static size_t
skip_spaces(const Breaker *b, size_t i, size_t end)
{
    while (i < end && b->chars[i].c == ' ')
        i++;
    return i;
}

static size_t
letters_in(const Breaker *b, size_t start, size_t end)
{
    size_t n = 0;
    for (size_t i = start; i < end; i++)
        n += !g_unichar_ispunct(b->chars[i].c) && !g_unichar_isspace(b->chars[i].c);
    return n;
}

/* 孤字不成行: a paragraph's last line holds at least two characters besides punctuation;
 * pull one down from the line above (which justification then stretches). */
static void
breaker_avoid_lone_char(const Breaker *b, int width, GArray *ranges)
{
    if (ranges->len < 2)
        return;
    LineRange *prev = &g_array_index(ranges, LineRange, ranges->len - 2);
    LineRange *last = &g_array_index(ranges, LineRange, ranges->len - 1);
    if (letters_in(b, last->start, last->end) >= 2)
        return;
    size_t half = prev->start + (prev->end - prev->start) / 2;
    for (size_t k = prev->end - 1; k > half; k--) {
        if (!b->chars[k].can_break || b->chars[k].c == ' ' || b->chars[k - 1].c == ' ')
            continue;
        int avail = width - line_indent(b->spec, ranges->len - 1);
        if (range_width(b, k, last->end) > avail)
            return;
        prev->end = k;
        last->start = k;
        return;
    }
}

/* Greedy breaking with a measure `width`; fills `ranges` (trimmed of spaces). */
static void
breaker_break(const Breaker *b, int width, GArray *ranges)
{
    g_array_set_size(ranges, 0);
    size_t s = skip_spaces(b, 0, b->n_chars);
    while (s < b->n_chars) {
        int avail = width - line_indent(b->spec, ranges->len);
        size_t e = breaker_find_end(b, s, avail);
        LineRange r = {s, e};
        while (r.end > r.start && (b->chars[r.end - 1].c == ' ' || b->chars[r.end - 1].c == '\n'))
            r.end--;
        g_array_append_val(ranges, r);
        s = skip_spaces(b, e, b->n_chars);
    }
    if (b->spec->align == PARA_ALIGN_JUSTIFY || b->spec->no_lone)
        breaker_avoid_lone_char(b, width, ranges);
}

/* ---- justified paragraphs: the best breaks for the whole paragraph ---- */

/* The cost of a line set `stretch` wider (or, negative, compressed) than its natural width,
 * in hundredths of a squared em: compression is cheaper than spreading, spreading beyond an
 * em (one character pushed down) dear, and beyond an em and a half dearer still. */
static double
line_badness(int adjust, int em)
{
    double a = (double)adjust / em;
    if (a < 0)
        return 40 * a * a;
    double cost = 100 * a * a;
    if (a > 1)
        cost += 1000 * (a - 1);
    if (a > 1.5)
        cost += 10000 * (a - 1.5);
    return cost;
}

enum {
    LINE_COST = 50,       /* each line: fewer lines are better */
    LONE_COST = 1000,     /* a last line of one character (孤字不成行) */
    UNIT_COST = 2000,     /* a number parted from its unit (2386|条): spares > 1.6 em */
    RANGE_COST = 8000,    /* a range of numbers broken after its dash: spares > 2.2 em */
    FORCED_COST = 1000000, /* a line broken where no rule allows, or overfull */
    BLANK_SPREAD_EMS = 2,  /* a line before a blank is spread this much at most, else short */
    BLANK_SHORT_COST = 100 /* for each em it is short beyond that */
};

typedef struct {
    double cost;  /* the least cost of setting the text before this start; < 0: unreached */
    size_t from;  /* the start of the line that ends here */
    size_t end;   /* where that line ends (before trimming its spaces) */
} BreakNode;

typedef struct {
    const Breaker *b;
    BreakNode *node;
    const size_t *next; /* per character: the first at or after it that is not a space */
    size_t s;     /* the line's start */
    int avail;    /* its measure */
    gboolean line0;
    double scale; /* what the badness of a line from s is multiplied by */
} BreakScan;

/* scan_offer once the line is known to be worth working out. */
static void
scan_offer_line(const BreakScan *scan, size_t p, int wc, double cost)
{
    const Breaker *b = scan->b;
    size_t next = scan->next[p];
    BreakNode *to = &scan->node[next];
    gboolean last = next >= b->n_chars;
    int adjust = scan->avail - wc; /* > 0 spread, < 0 compressed */
    /* a line before a blank it cannot hold is set short rather than spread beyond
     * BLANK_SPREAD_EMS (line_left_before_blank): what it lacks beyond costs little more */
    int limit = BLANK_SPREAD_EMS * b->spec->size;
    if (!last && b->chars[next].blank && adjust > limit) {
        cost += BLANK_SHORT_COST * (double)(adjust - limit) / MAX(1, b->spec->size);
        adjust = limit;
    }
    /* of two equal adjustments the later one is cheaper: lines above stay as set */
    if (adjust < 0 || !last)
        cost += line_badness(adjust, MAX(1, b->spec->size)) * scan->scale;
    if (last && !scan->line0 && letters_in(b, scan->s, p) < 2)
        cost += LONE_COST;
    double total = scan->node[scan->s].cost + cost;
    if (to->cost < 0 || total < to->cost) {
        to->cost = total;
        to->from = scan->s;
        to->end = p;
    }
}

/* Offer the line [scan->s, p), `wc` wide, ending before p, at `extra` besides its own cost.
 * What scan_offer_line adds to LINE_COST + extra is never negative: an offer no cheaper
 * than the best so far at its end even without it is not worked out (in floating point
 * too, as adding what is not negative never rounds below). */
static inline void
scan_offer(const BreakScan *scan, size_t p, int wc, double extra)
{
    const BreakNode *to = &scan->node[scan->next[p]];
    double cost = LINE_COST + extra;
    if (to->cost >= 0 && scan->node[scan->s].cost + cost >= to->cost)
        return;
    scan_offer_line(scan, p, wc, cost);
}

/* Break a justified paragraph where the total cost of its lines is least (Knuth and Plass's
 * idea on the grid): each line may end at any permitted break whose text fits the measure
 * once compressed (先挤进) or stretched (后推出); the costs prefer lines that need neither,
 * then compression, and keep spreading under an em. With all-Han text every line is
 * exactly full and this is the greedy result; it differs where digits, Latin words, marks
 * and unbreakable runs would leave a line loose. A number parts from its unit (2386|条)
 * only when that spares a line spread wider than about 1.6 em, and a range of numbers
 * breaks after its dash (2021—|2035) only to spare one wider than 2.2 em. */
static void
breaker_break_optimal(const Breaker *b, int width, GArray *ranges)
{
    size_t n = b->n_chars, first = skip_spaces(b, 0, n);
    g_array_set_size(ranges, 0);
    if (first >= n)
        return;
    BreakNode *node = g_new(BreakNode, n + 1);
    for (size_t i = 0; i <= n; i++)
        node[i].cost = -1;
    node[first].cost = 0;
    /* computed once rather than for every line tried: where the text goes on after the
     * spaces at each character, and what each character (with the gap after it) may give
     * up inside a line (squeeze_room_inside), as the line's first character or later */
    size_t *next = g_new(size_t, n + 1);
    int *room_in = g_new(int, 2 * n + 1), *room_first = room_in + n;
    next[n] = n;
    for (size_t i = n; i-- > 0;)
        next[i] = b->chars[i].c == ' ' ? next[i + 1] : i;
    for (size_t i = 0; i < n; i++) {
        room_in[i] = i > 0 ? squeeze_room_inside(b, i, i - 1) : 0;
        room_first[i] = squeeze_room_inside(b, i, i);
    }
    for (size_t s = first; s < n; s++) {
        if (node[s].cost < 0)
            continue;
        BreakScan scan = {b, node, next, s, 0, s == first,
                          1 + 0.01 * (double)(n - s) / (double)n};
        scan.avail = width - (scan.line0 ? b->spec->first_indent : b->spec->indent);
        int w = 0, room = 0; /* [s, p) with the gaps and room inside it */
        int wc = 0, rc = 0;  /* the same up to its last character that is not a space */
        size_t word = s;     /* where the unbreakable run that holds p starts */
        gboolean any = FALSE;
        for (size_t p = s;; p++) {
            gboolean forced = p > s && b->chars[p - 1].c == '\n';
            gboolean hard = p > s && (p == n || b->chars[p].can_break || forced);
            if ((hard || (p > s && b->chars[p].soft)) && wc - rc <= scan.avail) {
                scan_offer(&scan, p, wc,
                           hard                                 ? 0
                           : b->chars[p].soft == SOFT_UNIT ? UNIT_COST
                                                                : RANGE_COST);
                any = TRUE;
            }
            if (hard)
                word = p;
            if (p == n || forced)
                break;
            const ParaChar *ch = &b->chars[p];
            int w2 = w + (p > s ? b->chars[p - 1].gap : 0) + ch->width;
            int room2 = room + (p > s ? (p - 1 > s ? room_in[p - 1] : room_first[p - 1]) : 0);
            int wc2 = wc, rc2 = rc;
            if (ch->c != ' ' && ch->c != '\n') {
                wc2 = w2;
                rc2 = room2 + (ch->mark == MARK_BLANK_RIGHT ? ch->half - ch->squeezed : 0);
            }
            if (p > s && wc2 - rc2 > scan.avail) {
                /* a run wider than a whole line (a URL, a long number) breaks where it
                 * overflows rather than leave the line before it loose */
                if (word_width(b, word) > b->spec->width && p > word) {
                    scan_offer(&scan, p, wc, 0);
                    any = TRUE;
                }
                break;
            }
            w = w2, room = room2, wc = wc2, rc = rc2;
        }
        if (!any) {
            /* nothing fits (one character wider than the measure): greedy's answer */
            size_t e = breaker_find_end(b, s, scan.avail);
            scan_offer(&scan, e, range_width(b, s, e), FORCED_COST);
        }
    }
    /* walk back from the end */
    size_t count = 0;
    for (size_t at = n; at != first; at = node[at].from)
        count++;
    g_array_set_size(ranges, (guint)count);
    for (size_t at = n, k = count; at != first; at = node[at].from) {
        LineRange r = {node[at].from, node[at].end};
        while (r.end > r.start && (b->chars[r.end - 1].c == ' ' || b->chars[r.end - 1].c == '\n'))
            r.end--;
        g_array_index(ranges, LineRange, --k) = r;
    }
    g_free(room_in);
    g_free(next);
    g_free(node);
}

/* ---- titles ---- */

static void breaker_break_balanced(const Breaker *b, GArray *ranges);
static void breaker_widths(const Breaker *b, int *min_width, int *natural_width);

/* Numerals, Arabic and Chinese: a number and its unit or measure word are one word. */
static gboolean
is_numeral(gunichar c)
{
    return g_unichar_isdigit(c) ||
           (c > 0x7F && g_utf8_strchr("〇零一二三四五六七八九十百千万亿两", -1, c) != NULL);
}

static gboolean
is_unit(gunichar c)
{
    return c > 0x7F &&
           g_utf8_strchr("年月日时分秒号届次期批个项件条款章节类种岁名位元角万亿倍份家人户所篇册"
                         "卷页辆台套张座栋亩吨米度季周天点版%％",
                         -1, c) != NULL;
}

/* Where ICU's dictionary-based word break iterator (locale zh) puts word boundaries in
 * `text` of `n_chars` characters: an owned array of n_chars + 1 flags, TRUE where a word
 * starts (and at the end). NULL when ICU cannot (no break data). */
static gboolean *
icu_word_starts(const char *text, size_t n_chars)
{
    glong ulen = 0;
    gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &ulen, NULL);
    if (u == NULL)
        return NULL;
    /* the character of each UTF-16 unit (a surrogate pair is one character) */
    size_t *char_of = g_new(size_t, (gsize)ulen + 1);
    size_t i = 0;
    for (glong k = 0; k < ulen; i++) {
        char_of[k] = i;
        if (U16_IS_LEAD(u[k]) && k + 1 < ulen && U16_IS_TRAIL(u[k + 1]))
            char_of[++k] = i;
        k++;
    }
    char_of[ulen] = i;
    gboolean *start = NULL;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_WORD, "zh", u, (int32_t)ulen, &status);
    if (U_SUCCESS(status) && i == n_chars) {
        start = g_new0(gboolean, n_chars + 1);
        for (int32_t p = ubrk_first(it); p != UBRK_DONE; p = ubrk_next(it))
            start[char_of[p]] = TRUE;
    }
    if (it != NULL)
        ubrk_close(it);
    g_free(char_of);
    g_free(u);
    return start;
}

/* Whether characters [from, to) are a number: numerals, with 第 before them or a decimal
 * point or comma between digits. */
static gboolean
is_number_word(const Breaker *b, size_t from, size_t to)
{
    size_t numerals = 0;
    for (size_t k = from; k < to; k++) {
        gunichar c = b->chars[k].c;
        if (is_numeral(c))
            numerals++;
        else if (!(k == from && c == 0x7B2C /* 第 */) &&
                 !((c == '.' || c == ',') && k > from && k + 1 < to &&
                   g_unichar_isdigit(b->chars[k - 1].c) && g_unichar_isdigit(b->chars[k + 1].c)))
            return FALSE;
    }
    return numerals > 0 || (to == from + 1 && b->chars[from].c == 0x7B2C);
}

/* The words of a title or a table head (b->word_start), and no line break inside one:
 * ICU's word boundaries, with a number and its unit or measure word joined into one word
 * (2024年, 第十三届, 二〇二四年, 30万元). Without ICU's data every break the rules allow
 * stays allowed. */
static void
breaker_find_words(Breaker *b)
{
    gboolean *start = icu_word_starts(b->text, b->n_chars);
    if (start == NULL)
        return;
    size_t word = 0; /* where the word before character i starts */
    for (size_t i = 1; i < b->n_chars; i++) {
        if (!start[i])
            continue;
        gunichar c = b->chars[i].c;
        gboolean ordinal = i == word + 1 && b->chars[word].c == 0x7B2C; /* 第 alone */
        if (is_number_word(b, word, i) && (is_numeral(c) || (!ordinal && is_unit(c))))
            start[i] = FALSE;
        else
            word = i;
    }
    for (size_t i = 0; i < b->n_chars; i++)
        b->chars[i].can_break &= start[i];
    b->word_start = start;
}

/* The length in characters of the word that starts at character i. */
static size_t
word_length(const Breaker *b, size_t i)
{
    size_t end = i + 1;
    while (end < b->n_chars && !b->word_start[end])
        end++;
    return end - i;
}

/* Terms of official titles that ICU splits into words (政府|信息|公开): a title breaks
 * inside one only when balance asks for it. */
static const char *const title_terms[] = {
    "政府信息公开", "政务公开", "年度报告", "违法违规", "安全生产", "营商环境", "专项整治",
    "实施意见", "实施方案", "实施细则", "工作要点", "行动方案", "行动计划", "人民政府",
};

/* Whether a break before character k falls inside one of title_terms. */
static gboolean
splits_title_term(const Breaker *b, size_t k)
{
    for (size_t w = 0; w < G_N_ELEMENTS(title_terms); w++) {
        size_t len = (size_t)g_utf8_strlen(title_terms[w], -1);
        for (size_t start = k >= len ? k - len + 1 : 0; start < k; start++) {
            if (start + len > b->n_chars || start + len <= k)
                continue;
            const char *p = title_terms[w];
            size_t i = start;
            while (*p != '\0' && g_utf8_get_char(p) == b->chars[i].c) {
                p = g_utf8_next_char(p);
                i++;
            }
            if (*p == '\0')
                return TRUE;
        }
    }
    return FALSE;
}

/* Where the document-type phrase at the end of a title starts: its last 的, when what
 * follows names the kind of document (的通知, 的实施意见, 的批复); n_chars when it has none. */
static size_t
title_kind_start(const Breaker *b)
{
    static const char *const kinds[] = {"通知", "通报", "意见", "报告", "决定", "决议", "批复",
                                        "函",   "请示", "公告", "通告", "命令", "纪要", "议案",
                                        "方案", "办法", "规定", "细则", "要点", "计划", "规划",
                                        "预案", "条例", "复函"};
    size_t k = b->n_chars;
    while (k > 0 && b->chars[k - 1].c != 0x7684 /* 的 */)
        k--;
    if (k == 0 || b->n_chars - k > 6)
        return b->n_chars;
    for (size_t w = 0; w < G_N_ELEMENTS(kinds); w++) {
        size_t len = (size_t)g_utf8_strlen(kinds[w], -1);
        if (b->n_chars - k < len)
            continue;
        size_t i = b->n_chars - len;
        const char *p = kinds[w];
        while (*p != '\0' && g_utf8_get_char(p) == b->chars[i].c) {
            p = g_utf8_next_char(p);
            i++;
        }
        if (*p == '\0')
            return k - 1;
    }
    return b->n_chars;
}

/* What a title's break costs, in quarters of a squared em of imbalance (see title_cost). */
enum {
    TITLE_PHRASE = 0, /* after 关于 (印发) 的 和 与 及 等 暨 、 a closing mark, a year or an
                         organ's name, before 关于 an opening mark or the final 的通知 */
    TITLE_WORD = 16,  /* between two words */
    TITLE_WEAK = 48,  /* before a particle, after 的 of the final 的通知, 关于|印发 */
    TITLE_TERM = 128, /* inside one of title_terms or an organ's name (监管|总局, 体育和|
                         旅游局), where ICU's dictionary is unsure (营|商, 毕业|生) */
    TITLE_NAME = 96,  /* added inside a 《》 name, a quotation or brackets */
};

typedef struct {
    int *depth;       /* 《“（ open before character i */
    size_t kind;      /* title_kind_start */
    gboolean *unsure; /* a break before character i may split a word ICU does not know */
} TitleContext;

static gboolean
is_particle(gunichar c)
{
    return c > 0x7F && g_utf8_strchr("的和与及等暨之、", -1, c) != NULL;
}

/* Whether the word at character i is one Han character (not a particle). */
static gboolean
is_single(const Breaker *b, size_t i)
{
    return i < b->n_chars && b->word_start[i] && word_length(b, i) == 1 &&
           is_han_like(b->chars[i].c) && !is_particle(b->chars[i].c);
}

/* Where ICU's dictionary is unsure: it cuts a word it does not know into characters
 * (营|商, 制|发, 复|议) and leaves a suffix or prefix as a word of its own (毕业|生, 申请|人,
 * 总|数量). In a run of one-character words the characters are taken in pairs, and a
 * break inside a pair is unsure; a lone one goes with the word after it when it is a
 * prefix, else with the word before it. Owned array of n_chars + 1 flags. */
static gboolean *
title_find_unsure(const Breaker *b)
{
    gboolean *unsure = g_new0(gboolean, b->n_chars + 1);
    for (size_t i = 0; b->word_start != NULL && i < b->n_chars;) {
        if (!is_single(b, i)) {
            i++;
            continue;
        }
        size_t j = i;
        while (is_single(b, j))
            j++;
        if (j - i >= 2) {
            for (size_t m = i + 1; m < j; m += 2)
                unsure[m] = TRUE;
        } else if (g_utf8_strchr("总副新本各全原非未其另每该", -1, b->chars[i].c) != NULL) {
            unsure[i + 1] = TRUE;
        } else {
            unsure[i] = TRUE;
        }
        i = j;
    }
    return unsure;
}

/* Whether the text at character k is the last word of an organ's name (监管|总局, 政务公开|
 * 办公室, 山东省|人民政府). */
static gboolean
is_organ_suffix(const Breaker *b, size_t k)
{
    static const char *const organs[] = {"局", "委", "厅", "部", "署", "院", "会", "办", "室",
                                         "处", "中心", "总局", "管理局", "委员会", "办公室",
                                         "办公厅", "人民政府"};
    if (b->word_start == NULL)
        return FALSE;
    for (size_t w = 0; w < G_N_ELEMENTS(organs); w++) {
        const char *p = organs[w];
        size_t i = k;
        while (*p != '\0' && i < b->n_chars && g_utf8_get_char(p) == b->chars[i].c) {
            p = g_utf8_next_char(p);
            i++;
        }
        if (*p == '\0' && (i == b->n_chars || b->word_start[i]))
            return TRUE;
    }
    return FALSE;
}

/* Whether the text before character k ends an organ's name (…办公室|岳阳市…, …管理局|2024年):
 * joint issuers and what follows them part there. */
static gboolean
ends_organ(const Breaker *b, size_t k)
{
    static const char *const organs[] = {"局", "厅", "委", "总局", "管理局", "委员会", "办公室",
                                         "办公厅", "人民政府"};
    for (size_t w = 0; b->word_start != NULL && w < G_N_ELEMENTS(organs); w++) {
        size_t len = (size_t)g_utf8_strlen(organs[w], -1);
        const char *p = organs[w];
        size_t i = k - MIN(k, len);
        while (*p != '\0' && i < k && g_utf8_get_char(p) == b->chars[i].c) {
            p = g_utf8_next_char(p);
            i++;
        }
        if (*p == '\0' && i == k && b->word_start[k])
            return TRUE;
    }
    return FALSE;
}

/* Where a title may break, and how well (the TITLE_ costs): G_MAXINT where it must not
 * (inside a word or a number, or leaving one character alone). */
static int
title_break_penalty(const Breaker *b, size_t k, const TitleContext *ctx)
{
    if (k == 0 || k >= b->n_chars || !b->chars[k].can_break)
        return G_MAXINT;
    if (letters_in(b, 0, k) < 2 || letters_in(b, k, b->n_chars) < 2)
        return G_MAXINT;
    int name = ctx->depth[k] > 0 ? TITLE_NAME : 0;
    gunichar prev = b->chars[k - 1].c, next = b->chars[k].c;
    gboolean next_guanyu = next == 0x5173 /* 关 */ && k + 1 < b->n_chars &&
                           b->chars[k + 1].c == 0x4E8E /* 于 */;
    gboolean prev_guanyu = k >= 2 && b->chars[k - 2].c == 0x5173 && prev == 0x4E8E;
    gboolean next_yinfa = next == 0x5370 /* 印 */ && k + 1 < b->n_chars &&
                          b->chars[k + 1].c == 0x53D1 /* 发 */;
    if (k == ctx->kind)
        return name + TITLE_PHRASE;
    /* inside an organ's name: 监管|总局, 体育和|旅游局 */
    if (is_organ_suffix(b, k) || (b->word_start != NULL && g_utf8_strchr("和与及", -1, prev) &&
                                  is_organ_suffix(b, k + word_length(b, k))))
        return name + TITLE_TERM;
    if (k == ctx->kind + 1 || (prev_guanyu && next_yinfa))
        return name + TITLE_WEAK;
    if (ends_organ(b, k) && !is_particle(next))
        return name + TITLE_PHRASE;
    if (g_utf8_strchr("的和与及等暨、》”）", -1, prev) != NULL || g_utf8_strchr("《“（", -1, next) ||
        next_guanyu || prev_guanyu)
        return name + TITLE_PHRASE;
    if (prev == 0x53D1 /* 发 */ && k >= 2 && b->chars[k - 2].c == 0x5370 /* 印 */)
        return name + TITLE_PHRASE; /* 关于印发|… */
    if (prev == 0x5E74 /* 年 */ && k >= 2 && g_unichar_isdigit(b->chars[k - 2].c))
        return name + TITLE_PHRASE;
    if (is_particle(next))
        return name + TITLE_WEAK;
    if (splits_title_term(b, k) || ctx->unsure[k])
        return name + TITLE_TERM;
    return name + TITLE_WORD;
}

typedef struct {
    size_t breaks[2];
    long cost;
} TitleChoice;

/* The cost of lines split at `breaks` (n - 1 of them): squared differences from the mean
 * width in ems, times 4, plus the break penalties; -1 when a line is too wide or the shape is an
 * hourglass (a middle line shorter than both the others). */
static long
title_cost(const Breaker *b, const size_t *breaks, size_t n, const TitleContext *ctx)
{
    int widths[3];
    long total = 0, penalty = 0;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        size_t end = i + 1 < n ? breaks[i] : b->n_chars;
        widths[i] = range_width(b, start, end);
        if (widths[i] > b->spec->width)
            return -1;
        total += widths[i];
        start = end;
    }
    for (size_t i = 0; i + 1 < n; i++) {
        int p = title_break_penalty(b, breaks[i], ctx);
        if (p == G_MAXINT)
            return -1;
        penalty += p;
    }
    if (n == 3 && widths[1] < widths[0] && widths[1] < widths[2])
        return -1;
    double mean = (double)total / (double)n, cost = 0, unit = b->spec->size;
    for (size_t i = 0; i < n; i++)
        cost += ((widths[i] - mean) / unit) * ((widths[i] - mean) / unit);
    return (long)(cost * 4) + penalty;
}

/* The best split of a title into 2 or 3 lines; FALSE when none is acceptable. */
static gboolean
title_best_split(const Breaker *b, size_t n, const TitleContext *ctx, TitleChoice *best)
{
    best->cost = -1;
    for (size_t x = 1; x < b->n_chars; x++) {
        for (size_t y = n == 3 ? x + 1 : b->n_chars; y <= b->n_chars && (n == 2 || y < b->n_chars);
             y++) {
            size_t breaks[2] = {x, y};
            long cost = title_cost(b, breaks, n, ctx);
            if (cost >= 0 && (best->cost < 0 || cost < best->cost)) {
                best->cost = cost;
                best->breaks[0] = x;
                best->breaks[1] = y;
            }
            if (n == 2)
                break;
        }
    }
    return best->cost >= 0;
}

/* Titles (GB/T 9704 7.3.1): split by sense into lines of balanced length, a 梯形 or 菱形 and
 * never an hourglass; only between words (ICU's, see breaker_find_words), after a particle,
 * before 关于 or before the final 的通知 by preference; never inside a number, never one
 * character alone; inside a 《》 name only at a high cost. */
static void
breaker_break_title(const Breaker *b, GArray *ranges)
{
    breaker_break(b, b->spec->width, ranges);
    guint lines = ranges->len;
    TitleChoice choice;
    TitleContext ctx = {g_new0(int, b->n_chars + 1), title_kind_start(b), title_find_unsure(b)};
    for (size_t i = 0, d = 0; i < b->n_chars; i++) {
        ctx.depth[i] = (int)d; /* names open before i */
        gunichar c = b->chars[i].c;
        d += c == 0x300A || c == 0x201C || c == 0xFF08;             /* 《 “ （ */
        d -= d > 0 && (c == 0x300B || c == 0x201D || c == 0xFF09); /* 》 ” ） */
    }
    gboolean found = lines >= 2 && lines <= 3 && title_best_split(b, lines, &ctx, &choice);
    g_free(ctx.depth);
    g_free(ctx.unsure);
    if (!found) {
        breaker_break_balanced(b, ranges);
        return;
    }
    g_array_set_size(ranges, 0);
    size_t start = 0;
    for (guint i = 0; i < lines; i++) {
        LineRange r = {start, i + 1 < lines ? choice.breaks[i] : b->n_chars};
        g_array_append_val(ranges, r);
        start = r.end;
    }
}
/* The narrowest measure that keeps the greedy line count, so lines come out about equally
 * long: the fallback for titles of four lines or more. */
static void
breaker_break_balanced(const Breaker *b, GArray *ranges)
{
    breaker_break(b, b->spec->width, ranges);
    guint lines = ranges->len;
    if (lines < 2)
        return;
    int min = 0, natural = 0;
    breaker_widths(b, &min, &natural);
    int lo = MAX(b->spec->width / (int)lines / 2, min - 1), hi = b->spec->width;
    while (hi - lo > PANGO_SCALE / 4) {
        int mid = lo + (hi - lo) / 2;
        breaker_break(b, mid, ranges);
        if (ranges->len <= lines)
            hi = mid;
        else
            lo = mid;
    }
    breaker_break(b, hi, ranges);
}

/* The first glyph of `gi` whose cluster starts at or after byte `rel` of its item (left-to-
 * right text: clusters in logical order). */
static int
glyph_at(const PangoGlyphString *glyphs, int rel)
{
    int lo = 0, hi = glyphs->num_glyphs;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (glyphs->log_clusters[mid] < rel)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A copy of the part of `gi` that lies in bytes [start, end), at a cost in proportion to
 * that part (a paragraph's item may hold millions of glyphs). */
static PangoGlyphItem *
glyph_item_slice(const PangoGlyphItem *gi, const char *text, size_t start, size_t end)
{
    int base = gi->item->offset;
    int g0 = glyph_at(gi->glyphs, (int)start - base), g1 = glyph_at(gi->glyphs, (int)end - base);
    PangoGlyphItem *slice = g_slice_new(PangoGlyphItem);
    slice->item = pango_item_copy(gi->item);
    slice->item->offset = (int)start;
    slice->item->length = (int)(end - start);
    slice->item->num_chars = (int)g_utf8_strlen(text + start, (gssize)(end - start));
    slice->glyphs = pango_glyph_string_new();
    pango_glyph_string_set_size(slice->glyphs, g1 - g0);
    memcpy(slice->glyphs->glyphs, gi->glyphs->glyphs + g0,
           (size_t)(g1 - g0) * sizeof(PangoGlyphInfo));
    for (int g = g0; g < g1; g++)
        slice->glyphs->log_clusters[g - g0] = gi->glyphs->log_clusters[g] - ((int)start - base);
    return slice;
}

static int
glyph_item_width(const PangoGlyphItem *gi)
{
    int w = 0;
    for (int g = 0; g < gi->glyphs->num_glyphs; g++)
        w += gi->glyphs->glyphs[g].geometry.width;
    return w;
}

/* Justification may widen the gap after character i (before i + 1)? Never inside a Latin
 * word or number, inside ——/……, or beside a CJK–Latin space (that gap is fixed). */
static gboolean
gap_stretchable(const Breaker *b, size_t i)
{
    const ParaChar *a = &b->chars[i], *c = &b->chars[i + 1];
    if (a->c == ' ' || c->c == ' ' || a->gap > 0 || (a->blank && c->blank))
        return FALSE;
    if (!a->wide && !c->wide)
        return FALSE;
    return !(is_dash_or_ellipsis(a->c) && is_dash_or_ellipsis(c->c));
}

/* Add to the advance of each cluster of the line whose last character i (not the line's
 * last) gets `amount(b, i, data)`. */
static void
line_widen(const Breaker *b, ParaLines *out, const ParaLine *line, LineRange r,
           int (*amount)(const Breaker *, size_t, void *), void *data)
{
    for (size_t k = line->first_run; k < line->first_run + line->n_runs; k++) {
        ParaRun *run = &g_array_index(out->runs, ParaRun, k);
        PangoGlyphItemIter it;
        for (gboolean more = pango_glyph_item_iter_init_start(&it, &run->glyph_item, out->text);
             more; more = pango_glyph_item_iter_next_cluster(&it)) {
            size_t last = breaker_char_at(b, (size_t)it.end_index) - 1;
            if (last + 1 >= r.end || it.end_glyph <= it.start_glyph)
                continue;
            run->glyph_item.glyphs->glyphs[it.end_glyph - 1].geometry.width +=
                amount(b, last, data);
        }
    }
}

static int
gap_amount(const Breaker *b, size_t i, void *data)
{
    (void)data;
    return b->chars[i].gap - b->chars[i].gap_cut;
}

typedef struct {
    int share;
    int extra;
} Slack;

static int
slack_amount(const Breaker *b, size_t i, void *data)
{
    Slack *slack = data;
    if (!gap_stretchable(b, i))
        return 0;
    int add = slack->share + (slack->extra > 0 ? 1 : 0);
    slack->extra -= slack->extra > 0;
    return add;
}

/* Spread `slack` over the stretchable gaps of the line's runs. */
static void
line_justify(const Breaker *b, ParaLines *out, ParaLine *line, LineRange r, int slack)
{
    size_t gaps = 0;
    for (size_t i = r.start; i + 1 < r.end; i++)
        gaps += gap_stretchable(b, i);
    if (gaps == 0 || slack <= 0)
        return;
    Slack s = {slack / (int)gaps, slack % (int)gaps};
    line_widen(b, out, line, r, slack_amount, &s);
}

static void
line_place_runs(ParaLines *out, ParaLine *line)
{
    int x = 0;
    for (size_t k = line->first_run; k < line->first_run + line->n_runs; k++) {
        ParaRun *run = &g_array_index(out->runs, ParaRun, k);
        run->x = x;
        run->width = glyph_item_width(&run->glyph_item);
        x += run->width;
    }
    line->width = x;
}

static void
line_add_runs(Breaker *b, ParaLines *out, ParaLine *line)
{
    line->first_run = out->runs->len;
    /* Lines come in order: the items before this line are done with. */
    while (b->item_cursor < b->items->len) {
        const PangoGlyphItem *gi = g_ptr_array_index(b->items, b->item_cursor);
        if ((size_t)gi->item->offset + (size_t)gi->item->length > line->start)
            break;
        b->item_cursor++;
    }
    for (guint k = b->item_cursor; k < b->items->len; k++) {
        const PangoGlyphItem *gi = g_ptr_array_index(b->items, k);
        size_t is = (size_t)gi->item->offset, ie = is + (size_t)gi->item->length;
        if (is >= line->end)
            break;
        if (ie <= line->start)
            continue;
        /* one run per stretch of fill-in blank or of other text */
        for (size_t from = MAX(is, line->start), to; from < MIN(ie, line->end); from = to) {
            size_t c = breaker_char_at(b, from);
            gboolean blank = b->chars[c].blank;
            while (c < b->n_chars && b->chars[c].offset < MIN(ie, line->end) &&
                   b->chars[c].blank == blank)
                c++;
            to = MIN(b->chars[c].offset, MIN(ie, line->end));
            ParaRun run = {0};
            PangoGlyphItem *slice = glyph_item_slice(gi, b->text, from, to);
            run.glyph_item = *slice;
            g_slice_free(PangoGlyphItem, slice);
            run.embolden = b->spec->head_bold && is < b->spec->head_len &&
                           !font_is_bold(run.glyph_item.item->analysis.font);
            run.blank = blank;
            g_array_append_val(out->runs, run);
        }
    }
    line->n_runs = out->runs->len - line->first_run;
}

/* 先挤进: a line `over` too wide takes it from what it may give up, class by class in
 * clreq's order, equally from the members of a class: see SqueezeClass. */
static int
breaker_squeeze_line(Breaker *b, LineRange r, int over)
{
    int taken = 0;
    for (int k = 0; k < SQ_CLASSES && taken < over; k++) {
        for (;;) {
            size_t members = 0;
            for (size_t i = r.start; i < r.end; i++)
                members += squeeze_room(b, i, r, (SqueezeClass)k) > 0;
            if (members == 0 || taken >= over)
                break;
            int share = MAX(1, (over - taken) / (int)members);
            for (size_t i = r.start; i < r.end && taken < over; i++) {
                int room = squeeze_room(b, i, r, (SqueezeClass)k);
                if (room > 0)
                    taken += squeeze_take(b, i, (SqueezeClass)k, MIN(room, MIN(share, over - taken)));
            }
        }
    }
    return taken;
}

/* The fill-in blanks of a line set in its runs: a rule under each run of blank characters,
 * over their cells, at the depth and thickness of the first underscore's ink. */
static void
line_add_blanks(const Breaker *b, ParaLines *out, ParaLine *line)
{
    line->first_blank = out->blanks->len;
    ParaBlank *open = NULL;
    for (size_t k = line->first_run; k < line->first_run + line->n_runs; k++) {
        ParaRun *run = &g_array_index(out->runs, ParaRun, k);
        PangoGlyphItemIter it;
        int x = run->x;
        for (gboolean more = pango_glyph_item_iter_init_start(&it, &run->glyph_item, out->text);
             more; more = pango_glyph_item_iter_next_cluster(&it)) {
            const ParaChar *ch = &b->chars[breaker_char_at(b, (size_t)it.start_index)];
            int advance = 0;
            for (int g = it.start_glyph; g < it.end_glyph; g++)
                advance += run->glyph_item.glyphs->glyphs[g].geometry.width;
            if (!ch->blank || it.end_glyph <= it.start_glyph) {
                open = NULL;
            } else if (open != NULL && open->x + open->width == x) {
                open->width += ch->width;
            } else {
                PangoRectangle ink;
                PangoGlyph glyph = run->glyph_item.glyphs->glyphs[it.start_glyph].glyph;
                pango_font_get_glyph_extents(run->glyph_item.item->analysis.font, glyph, &ink,
                                             NULL);
                ParaBlank blank = {x, ch->width, ink.y, MAX(ink.height, b->spec->size / 40)};
                if (ink.height <= 0) /* no ink: an underline's place, a fortieth em thick */
                    blank.y = b->spec->size / 8;
                g_array_append_val(out->blanks, blank);
                open = &g_array_index(out->blanks, ParaBlank, out->blanks->len - 1);
            }
            x += advance;
        }
    }
    line->n_blanks = out->blanks->len - line->first_blank;
}

/* A justified line that ends where a blank begins which did not fit on it is set flush
 * left when spreading it would take more than BLANK_SPREAD_EMS: the blank is never split,
 * and a line spread over its gaps by many ems reads worse than a short one. */
static gboolean
line_left_before_blank(const Breaker *b, LineRange r, int stretch)
{
    size_t next = skip_spaces(b, r.end, b->n_chars);
    return next < b->n_chars && b->chars[next].blank &&
           stretch > BLANK_SPREAD_EMS * b->spec->size;
}

static void
breaker_emit(Breaker *b, const GArray *ranges, ParaLines *out)
{
    const ParaSpec *spec = b->spec;
    for (guint n = 0; n < ranges->len; n++) {
        LineRange r = g_array_index(ranges, LineRange, n);
        ParaLine line = {0};
        line.start = b->chars[r.start].offset;
        line.end = b->chars[r.end].offset;
        int avail = spec->width - line_indent(spec, n);
        if (r.end > r.start)
            line.squeeze = breaker_squeeze_line(b, r, range_width(b, r.start, r.end) - avail);
        line_add_runs(b, out, &line);
        line_widen(b, out, &line, r, gap_amount, NULL);
        line_place_runs(out, &line);
        gboolean last = n + 1 == ranges->len;
        if (spec->align == PARA_ALIGN_JUSTIFY && !last && avail > line.width &&
            !line_left_before_blank(b, r, avail - line.width)) {
            line.stretch = avail - line.width;
            line_justify(b, out, &line, r, line.stretch);
            line_place_runs(out, &line);
        }
        line_add_blanks(b, out, &line);
        line.x = line_indent(spec, n);
        if (spec->align == PARA_ALIGN_CENTER)
            line.x += (avail - line.width) / 2;
        else if (spec->align == PARA_ALIGN_RIGHT)
            line.x += avail - line.width;
        g_array_append_val(out->lines, line);
    }
}

static void
para_run_clear(gpointer data)
{
    ParaRun *run = data;
    pango_item_free(run->glyph_item.item);
    pango_glyph_string_free(run->glyph_item.glyphs);
}

struct ParaFit {
    ParaSpec spec; /* a copy; its width is set by each trial */
    char *text;    /* owned copy of the text */
    Breaker b;
    GArray *ranges; /* LineRange, scratch */
};

ParaFit *
para_fit_new(Fonts *fonts, const ParaSpec *spec, GError **error)
{
    ParaFit *fit = g_new0(ParaFit, 1);
    fit->spec = *spec;
    fit->text = drop_unknown_variations(fonts, spec, spec->text);
    fit->spec.text = fit->text;
    fit->ranges = g_array_new(FALSE, FALSE, sizeof(LineRange));
    if (!breaker_init(&fit->b, fonts, &fit->spec, error)) {
        para_fit_free(fit);
        return NULL;
    }
    return fit;
}

void
para_fit_free(ParaFit *fit)
{
    if (fit == NULL)
        return;
    breaker_clear(&fit->b);
    g_array_free(fit->ranges, TRUE);
    g_free(fit->text);
    g_free(fit);
}

/* The widest unbreakable piece and the widest line the text's own breaks make. */
static void
breaker_widths(const Breaker *b, int *min_width, int *natural_width)
{
    *min_width = *natural_width = 0;
    size_t line_start = 0;
    for (size_t start = 0; start < b->n_chars;) {
        size_t end = start + 1;
        while (end < b->n_chars && !b->chars[end].can_break && b->chars[end - 1].c != '\n')
            end++;
        size_t last = end;
        while (last > start + 1 && (b->chars[last - 1].c == ' ' || b->chars[last - 1].c == '\n'))
            last--;
        *min_width = MAX(*min_width, range_width(b, start, last) - squeezable(b, last - 1));
        /* the natural width: the widest of the lines the text's own breaks make */
        if (end == b->n_chars || b->chars[end - 1].c == '\n') {
            *natural_width = MAX(*natural_width, range_width(b, line_start, last));
            line_start = end;
        }
        start = end;
    }
}

void
para_fit_widths(const ParaFit *fit, int *min_width, int *natural_width)
{
    breaker_widths(&fit->b, min_width, natural_width);
}

size_t
para_fit_lines(ParaFit *fit, int width, size_t *fewest_letters)
{
    fit->spec.width = width;
    breaker_break(&fit->b, width, fit->ranges);
    size_t fewest = G_MAXSIZE;
    for (guint n = 0; n < fit->ranges->len; n++) {
        LineRange r = g_array_index(fit->ranges, LineRange, n);
        if (r.end > r.start)
            fewest = MIN(fewest, letters_in(&fit->b, r.start, r.end));
    }
    if (fewest_letters != NULL)
        *fewest_letters = fewest == G_MAXSIZE ? 0 : fewest;
    return fit->ranges->len;
}

int
para_fit_balanced(ParaFit *fit, int width)
{
    size_t lines = para_fit_lines(fit, width, NULL);
    if (lines < 2)
        return width;
    /* never narrower than the longest word: a word is broken only when it must be */
    int min = 0, natural = 0;
    para_fit_widths(fit, &min, &natural);
    if (min >= width || para_fit_lines(fit, min, NULL) <= lines)
        return MIN(min, width);
    int lo = min, hi = width;
    while (hi - lo > PANGO_SCALE / 4) {
        int mid = lo + (hi - lo) / 2;
        if (para_fit_lines(fit, mid, NULL) <= lines)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* ---- paragraphs set once per render ----
 *
 * A document sets some short texts many times (a chart's figures, a table's repeated heads,
 * the same paragraph in a batch's copies). The lines of a paragraph depend on nothing but
 * its spec and the fonts, so para_break_lines keeps what it has set, with the Fonts, and
 * gives a copy for the same spec again. The cache is bounded: once PARA_CACHE_BYTES are kept
 * it takes no more (the earliest paragraphs stay), so memory stays flat however long the
 * document. It was 4 MB while a PDF render laid the document out twice (the second layout
 * took every paragraph from it); since the PDF is written in one pass (issue 22) it only
 * serves repeats, and a smaller one keeps a long document's memory flatter. */
#define PARA_CACHE_BYTES (512u << 10)

typedef struct {
    GHashTable *table; /* GBytes (para_cache_key) -> ParaLines* */
    size_t bytes;      /* kept so far, roughly */
} ParaCache;

static void
para_cache_free(gpointer data)
{
    ParaCache *c = data;
    g_hash_table_destroy(c->table);
    g_free(c);
}

static ParaCache *
para_cache_get(Fonts *fonts)
{
    ParaCache *c = fonts_get_cache(fonts);
    if (c == NULL) {
        c = g_new0(ParaCache, 1);
        c->table = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                         (GDestroyNotify)g_bytes_unref,
                                         (GDestroyNotify)para_lines_free);
        fonts_set_cache(fonts, c, para_cache_free);
    }
    return c;
}

/* Everything of `spec` that the lines depend on (not where the text comes from, which only
 * errors name, and errors are not kept), with the families its roles ask for now. */
static GBytes *
para_cache_key(const Fonts *fonts, const ParaSpec *spec)
{
    const int fields[] = {(int)spec->head_len, (int)spec->head_role, (int)spec->body_role,
                          spec->size, spec->width, spec->first_indent, spec->indent, spec->cell,
                          (int)spec->align, spec->balance, spec->words, spec->latin_gap,
                          spec->tabular, spec->head_bold, spec->no_lone,
                          spec->latin_family != NULL};
    GByteArray *key = g_byte_array_new();
    g_byte_array_append(key, (const guint8 *)fields, sizeof fields);
    const char *strings[] = {fonts_role_families(fonts, spec->head_role),
                             fonts_role_families(fonts, spec->body_role),
                             spec->latin_family != NULL ? spec->latin_family : "", spec->text};
    for (size_t i = 0; i < G_N_ELEMENTS(strings); i++)
        g_byte_array_append(key, (const guint8 *)strings[i], (guint)strlen(strings[i]) + 1);
    return g_byte_array_free_to_bytes(key);
}

static ParaLines *
para_lines_copy(const ParaLines *src)
{
    ParaLines *out = g_new0(ParaLines, 1);
    out->text = g_strndup(src->text, src->text_len);
    out->text_len = src->text_len;
    out->cell = src->cell;
    out->runs = g_array_sized_new(FALSE, TRUE, sizeof(ParaRun), src->runs->len);
    g_array_set_clear_func(out->runs, para_run_clear);
    for (guint i = 0; i < src->runs->len; i++) {
        ParaRun run = g_array_index(src->runs, ParaRun, i);
        run.glyph_item.item = pango_item_copy(run.glyph_item.item);
        run.glyph_item.glyphs = pango_glyph_string_copy(run.glyph_item.glyphs);
        g_array_append_val(out->runs, run);
    }
    out->lines = g_array_sized_new(FALSE, TRUE, sizeof(ParaLine), src->lines->len);
    g_array_append_vals(out->lines, src->lines->data, src->lines->len);
    out->blanks = g_array_sized_new(FALSE, TRUE, sizeof(ParaBlank), src->blanks->len);
    g_array_append_vals(out->blanks, src->blanks->data, src->blanks->len);
    return out;
}

/* Roughly what `lines` takes in memory. */
static size_t
para_lines_bytes(const ParaLines *lines)
{
    size_t n = sizeof *lines + lines->text_len + lines->lines->len * sizeof(ParaLine) +
               lines->blanks->len * sizeof(ParaBlank);
    for (guint i = 0; i < lines->runs->len; i++) {
        const ParaRun *run = &g_array_index(lines->runs, ParaRun, i);
        n += sizeof *run + sizeof(PangoItem) + sizeof(PangoGlyphString) +
             (size_t)run->glyph_item.glyphs->num_glyphs * (sizeof(PangoGlyphInfo) + sizeof(int));
    }
    return n;
}

static ParaLines *para_set_lines(Fonts *fonts, const ParaSpec *spec, GError **error);

ParaLines *
para_break_lines(Fonts *fonts, const ParaSpec *spec, GError **error)
{
    g_return_val_if_fail(fonts != NULL && spec != NULL && spec->text != NULL, NULL);
    ParaCache *cache = para_cache_get(fonts);
    GBytes *key = para_cache_key(fonts, spec);
    const ParaLines *kept = g_hash_table_lookup(cache->table, key);
    if (kept != NULL) {
        g_bytes_unref(key);
        return para_lines_copy(kept);
    }
    ParaLines *out = para_set_lines(fonts, spec, error);
    size_t bytes = out != NULL ? para_lines_bytes(out) + g_bytes_get_size(key) : 0;
    if (out != NULL && cache->bytes + bytes <= PARA_CACHE_BYTES) {
        cache->bytes += bytes;
        g_hash_table_insert(cache->table, key, para_lines_copy(out));
    } else {
        g_bytes_unref(key);
    }
    return out;
}

/* para_break_lines without the cache. */
static ParaLines *
para_set_lines(Fonts *fonts, const ParaSpec *spec, GError **error)
{
    ParaLines *out = g_new0(ParaLines, 1);
    out->text = drop_unknown_variations(fonts, spec, spec->text);
    out->text_len = strlen(out->text);
    out->runs = g_array_new(FALSE, TRUE, sizeof(ParaRun));
    g_array_set_clear_func(out->runs, para_run_clear);
    out->lines = g_array_new(FALSE, TRUE, sizeof(ParaLine));
    out->blanks = g_array_new(FALSE, TRUE, sizeof(ParaBlank));
    out->cell = spec->cell;

    ParaSpec local = *spec;
    local.text = out->text;
    Breaker b;
    if (!breaker_init(&b, fonts, &local, error)) {
        breaker_clear(&b);
        para_lines_free(out);
        return NULL;
    }
    GArray *ranges = g_array_new(FALSE, FALSE, sizeof(LineRange));
    if (spec->balance)
        breaker_break_title(&b, ranges);
    else if (spec->align == PARA_ALIGN_JUSTIFY)
        breaker_break_optimal(&b, spec->width, ranges);
    else
        breaker_break(&b, spec->width, ranges);
    breaker_emit(&b, ranges, out);
    g_array_free(ranges, TRUE);
    breaker_clear(&b);
    return out;
}

void
para_lines_free(ParaLines *lines)
{
    if (lines == NULL)
        return;
    g_array_free(lines->runs, TRUE);
    g_array_free(lines->lines, TRUE);
    g_array_free(lines->blanks, TRUE);
    g_free(lines->text);
    g_free(lines);
}

size_t
para_lines_count(const ParaLines *lines)
{
    return lines->lines->len;
}

const ParaLine *
para_lines_get(const ParaLines *lines, size_t index)
{
    g_return_val_if_fail(index < lines->lines->len, NULL);
    return &g_array_index(lines->lines, ParaLine, index);
}

const ParaRun *
para_lines_run(const ParaLines *lines, size_t index)
{
    g_return_val_if_fail(index < lines->runs->len, NULL);
    return &g_array_index(lines->runs, ParaRun, index);
}

const ParaBlank *
para_lines_blank(const ParaLines *lines, size_t index)
{
    g_return_val_if_fail(index < lines->blanks->len, NULL);
    return &g_array_index(lines->blanks, ParaBlank, index);
}

static void
append_pt(GString *out, int units)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append(out, g_ascii_formatd(buf, sizeof buf, "%.2f", units / (double)PANGO_SCALE));
}

void
para_lines_dump(const ParaLines *lines, GString *out)
{
    for (size_t n = 0; n < para_lines_count(lines); n++) {
        const ParaLine *line = para_lines_get(lines, n);
        g_string_append(out, "  line x=");
        append_pt(out, line->x);
        g_string_append(out, " w=");
        append_pt(out, line->width);
        if (lines->cell > 0) {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            g_string_append_printf(
                out, " cells=%s",
                g_ascii_formatd(buf, sizeof buf, "%.2f", line->width / (double)lines->cell));
        }
        if (line->squeeze > 0) {
            g_string_append(out, " squeeze=");
            append_pt(out, line->squeeze);
        }
        if (line->stretch > 0) {
            g_string_append(out, " stretch=");
            append_pt(out, line->stretch);
        }
        for (size_t k = 0; k < line->n_blanks; k++) {
            g_string_append(out, " blank=");
            append_pt(out, para_lines_blank(lines, line->first_blank + k)->width);
        }
        g_string_append_printf(out, " chars=%ld |%.*s|\n",
                               g_utf8_strlen(lines->text + line->start,
                                             (gssize)(line->end - line->start)),
                               (int)(line->end - line->start), lines->text + line->start);
    }
}
