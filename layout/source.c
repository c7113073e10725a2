/* gongwen: the source reader (spec/source-format.md): report text -> Doc.
 *
 * The text is split into physical lines and validated (UTF-8, no control characters), the
 * optional front matter is read, then each non-blank line becomes a block: the title, a
 * numbered heading, an attachment note, a date, a directive or a paragraph. A last pass
 * settles the signature and the date (成文日期).
 */
#include "source-imp.h"

#include "files.h"
#include "numeral.h"

#include <stdarg.h>
#include <string.h>

/* ---- errors ------------------------------------------------------------------------------ */

gboolean
fail(Parser *p, GongwenError code, int line, int col, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    diag_set_error(p->error, code, (DiagAt){p->doc->path, line, col}, "%s", message);
    g_free(message);
    return FALSE;
}

DocLoc
loc_at(const Parser *p, int line, int col)
{
    DocLoc loc = {p->doc->path, line, col};
    return loc;
}

/* 1-based column of byte `at` in the line that starts at `raw`. */
int
column_of(const char *raw, const char *at)
{
    return (int)g_utf8_strlen(raw, at - raw) + 1;
}

/* ---- small text helpers ------------------------------------------------------------------ */

/* Bytes of white space (ASCII space, tab, U+3000) at `s`, or 0. */
size_t
space_len(const char *s)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    if (g_str_has_prefix(s, "\u3000"))
        return 3;
    return 0;
}

const char *
skip_space(const char *s)
{
    size_t n;
    while ((n = space_len(s)) > 0)
        s += n;
    return s;
}

/* Trim `s` in place at its end; return the start after leading space. */
static char *
trim(char *s)
{
    s = (char *)skip_space(s);
    size_t len = strlen(s);
    while (len > 0) {
        if (s[len - 1] == ' ' || s[len - 1] == '\t')
            len--;
        else if (len >= 3 && memcmp(s + len - 3, "\u3000", 3) == 0)
            len -= 3;
        else
            break;
    }
    s[len] = '\0';
    return s;
}

/* Consume one ASCII or full-width digit at *s; -1 when there is none. */
static int
take_digit(const char **s)
{
    const unsigned char *u = (const unsigned char *)*s;
    if (u[0] >= '0' && u[0] <= '9') {
        *s += 1;
        return u[0] - '0';
    }
    if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99) {
        *s += 3;
        return u[2] - 0x90;
    }
    return -1;
}

static gboolean
is_digit_at(const char *s)
{
    return take_digit(&s) >= 0;
}

/* Read up to `max` digits; returns the count read, value in *value. */
static int
take_number(const char **s, int max, int *value, gboolean *zero_padded)
{
    int count = 0, digit;
    const char *start = *s;
    *value = 0;
    while (count < max && (digit = take_digit(s)) >= 0) {
        *value = *value * 10 + digit;
        count++;
    }
    if (zero_padded != NULL)
        *zero_padded = count > 1 && take_digit(&start) == 0;
    return count;
}

static const char *
take_open_bracket(const char *s)
{
    if (*s == '(')
        return s + 1;
    if (g_str_has_prefix(s, "（"))
        return s + 3;
    return NULL;
}

static const char *
take_close_bracket(const char *s)
{
    if (s == NULL)
        return NULL;
    if (*s == ')')
        return s + 1;
    if (g_str_has_prefix(s, "）"))
        return s + 3;
    return NULL;
}

/* ---- reading lines ----------------------------------------------------------------------- */

char *
source_forbidden(gunichar c, gboolean in_cell)
{
    static const char *const bidi[] = {
        [0x0] = "left-to-right embedding",    [0x1] = "right-to-left embedding",
        [0x2] = "pop directional formatting", [0x3] = "left-to-right override",
        [0x4] = "right-to-left override",     [0x3C] = "left-to-right isolate",
        [0x3D] = "right-to-left isolate",     [0x3E] = "first strong isolate",
        [0x3F] = "pop directional isolate",
    };
    const char *where = in_cell ? "in this cell" : "in the text";
    if (c == '\t' || (in_cell && (c == '\n' || c == '\r')))
        return NULL;
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F))
        return g_strdup_printf("control character U+%04X %s; remove it", (unsigned)c, where);
    /* A reader sees the text in the order these set, while the PDF's text layer, a search
     * and a copy keep the order written: what is shown and what is read differ, which in an
     * official document can only hide text. */
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        return g_strdup_printf("bidirectional control character U+%04X (%s) %s: it can reorder "
                               "the text as shown and hide part of it (the “Trojan Source” "
                               "pattern); remove it",
                               (unsigned)c, bidi[c - 0x202A], where);
    return NULL;
}

static gboolean
check_utf8(Parser *p, const char *raw, size_t len, int line)
{
    const char *end = NULL;
    if (!g_utf8_validate_len(raw, len, &end)) {
        int col = column_of(raw, end);
        if (*end == '\0')
            return fail(p, GONGWEN_ERROR_INPUT, line, col,
                        "NUL byte in the text (is the file UTF-16? save it as UTF-8)");
        GString *bytes = g_string_new(NULL);
        for (const char *b = end; b < raw + len && b < end + 4; b++)
            g_string_append_printf(bytes, "%s%02X", b == end ? "" : " ", (unsigned char)*b);
        fail(p, GONGWEN_ERROR_INPUT, line, col, "invalid UTF-8 (bytes %s); save the file as UTF-8",
             bytes->str);
        g_string_free(bytes, TRUE);
        return FALSE;
    }
    for (const char *s = raw; s < raw + len; s = g_utf8_next_char(s)) {
        char *why = source_forbidden(g_utf8_get_char(s), FALSE);
        if (why != NULL) {
            fail(p, GONGWEN_ERROR_INPUT, line, column_of(raw, s), "%s", why);
            g_free(why);
            return FALSE;
        }
    }
    return TRUE;
}

static void
add_line(Parser *p, char *raw, int line)
{
    char *text = trim(raw);
    SrcLine src = {raw, text, strlen(text), line, column_of(raw, text)};
    g_array_append_val(p->lines, src);
}

/* Split the buffer at LF, CRLF or CR and validate each line. */
static gboolean
split_lines(Parser *p, size_t len)
{
    char *s = p->buffer;
    char *end = p->buffer + len;
    int line = 1;
    while (s < end) {
        char *eol = s;
        while (eol < end && *eol != '\n' && *eol != '\r')
            eol++;
        if (!check_utf8(p, s, (size_t)(eol - s), line))
            return FALSE;
        char *next = eol + 1;
        if (eol < end && *eol == '\r' && next < end && *next == '\n')
            next++;
        *eol = '\0';
        add_line(p, s, line++);
        s = next;
    }
    return TRUE;
}

const SrcLine *
line_at(const Parser *p, size_t index)
{
    return &g_array_index(p->lines, SrcLine, index);
}

/* ---- dates ------------------------------------------------------------------------------- */

/* One digit of a year written in Chinese (二〇二四, 二○一一, 二O一一, 二00五): an ASCII or
 * full-width digit, a Han digit, or a letter O or circle standing for 〇. -1 when none;
 * *han set when it is not an Arabic digit. */
static int
take_year_digit(const char **s, gboolean *han)
{
    int d = take_digit(s);
    if (d >= 0)
        return d;
    static const char *const zeros[] = {"〇", "○", "零", "Ｏ", "O", "o"};
    for (size_t i = 0; i < G_N_ELEMENTS(zeros); i++) {
        if (g_str_has_prefix(*s, zeros[i])) {
            *s += strlen(zeros[i]);
            *han = TRUE;
            return 0;
        }
    }
    const char *p = *s;
    int v = numeral_take(&p);
    if (v >= 1 && v <= 9 && p - *s == 3) { /* one Han digit, not 十 */
        *s = p;
        *han = TRUE;
        return v;
    }
    return -1;
}

/* A month or day: up to two digits, or a Chinese numeral (十二, 二十八). */
static gboolean
take_date_part(const char **s, int *value, gboolean *padded, gboolean *han)
{
    if (take_number(s, 2, value, padded) > 0)
        return TRUE;
    *value = numeral_take(s);
    *han = *han || *value > 0;
    return *value > 0;
}

/* Parse a date, the whole of `s`: "2018年2月22日" (ASCII or full-width digits), and the ways
 * it is also written — with a leading zero, spaces between its parts (text copied out of a
 * PDF), or Chinese numerals (二〇一一年五月十六日, 二O一一年5月16日) — which *form tells. */
gboolean
parse_chinese_date(const char *text, int *year, int *month, int *day, DateForm *form)
{
    /* a date is at most 16 characters besides spaces: every paragraph is asked, so the
     * others are turned away before anything is copied */
    int chars = 0;
    for (const char *q = text; *q != '\0' && chars <= 16;) {
        size_t n = space_len(q);
        if (n > 0) {
            q += n;
        } else {
            q = g_utf8_next_char(q);
            chars++;
        }
    }
    if (chars > 16) {
        *year = *month = *day = 0;
        *form = DATE_PLAIN;
        return FALSE;
    }
    GString *packed = g_string_new(NULL);
    gboolean spaced = FALSE;
    for (const char *q = text; *q != '\0';) {
        size_t n = space_len(q);
        if (n > 0) {
            spaced = TRUE;
            q += n;
        } else {
            g_string_append_c(packed, *q++);
        }
    }
    const char *s = packed->str;
    gboolean pad_month = FALSE, pad_day = FALSE, han = FALSE, ok = TRUE;
    *year = 0;
    for (int k = 0; k < 4 && ok; k++) {
        int d = take_year_digit(&s, &han);
        ok = d >= 0;
        *year = *year * 10 + d;
    }
    ok = ok && g_str_has_prefix(s, "年");
    if (ok) {
        s += strlen("年");
        ok = take_date_part(&s, month, &pad_month, &han) && g_str_has_prefix(s, "月");
    }
    if (ok) {
        s += strlen("月");
        ok = take_date_part(&s, day, &pad_day, &han) && g_str_equal(s, "日");
    }
    g_string_free(packed, TRUE);
    *form = han            ? DATE_HAN
            : spaced       ? DATE_SPACED
            : pad_month || pad_day ? DATE_PADDED
                           : DATE_PLAIN;
    return ok;
}

/* Parse "2018-02-22", the whole of `s`. */
gboolean
parse_iso_date(const char *s, int *year, int *month, int *day)
{
    if (take_number(&s, 4, year, NULL) != 4 || *s++ != '-')
        return FALSE;
    if (take_number(&s, 2, month, NULL) == 0 || *s++ != '-')
        return FALSE;
    return take_number(&s, 2, day, NULL) > 0 && *s == '\0';
}

gboolean
is_calendar_date(int year, int month, int day)
{
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31)
        return FALSE;
    return g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

char *
date_text(int year, int month, int day)
{
    return g_strdup_printf("%d年%d月%d日", year, month, day);
}

/* ---- headings ---------------------------------------------------------------------------- */

/* Bytes of the "." / "．" / "、" after a level-3 number, or 0. */
static size_t
level3_punct_len(const char *s)
{
    if (*s == '.')
        return 1;
    if (g_str_has_prefix(s, "．") || g_str_has_prefix(s, "、"))
        return 3;
    return 0;
}

/* Is `text` a numbered heading: 一、 / （一） / 1. 1． 1、 / （1）? */
gboolean
match_heading(const char *text, HeadingMatch *m)
{
    const char *s = text;
    int value = numeral_take(&s);
    if (value > 0 && g_str_has_prefix(s, "、")) {
        *m = (HeadingMatch){1, value, (size_t)(s + 3 - text)};
        return TRUE;
    }
    const char *open = take_open_bracket(text);
    if (open != NULL) {
        s = open;
        int level = 2;
        value = numeral_take(&s);
        if (value == 0 && take_number(&s, 2, &value, NULL) > 0)
            level = 4;
        const char *close = value > 0 ? take_close_bracket(s) : NULL;
        if (close == NULL)
            return FALSE;
        *m = (HeadingMatch){level, value, (size_t)(close - text)};
        return TRUE;
    }
    s = text;
    if (take_number(&s, 2, &value, NULL) == 0 || value == 0 || is_digit_at(s))
        return FALSE;
    size_t punct = level3_punct_len(s);
    /* "1.5" and "1．5" are decimal numbers, not headings */
    if (punct == 0 || (!g_str_has_prefix(s, "、") && is_digit_at(s + punct)))
        return FALSE;
    *m = (HeadingMatch){3, value, (size_t)(s + punct - text)};
    return TRUE;
}

/* Bytes of the heading sentence of a level 2-4 heading: up to the first 。！？ and the
 * closing quotes or brackets right after it; the whole text when nothing follows. */
static size_t
heading_sentence_len(const char *text, size_t number_len)
{
    static const char *const closers[] = {"”",  "’",  "」", "』", "）", "》", "〉",
                                          "】", "〕", ")",  "\"", "'",  "]"};
    const char *s = text + number_len;
    while (*s != '\0' && !g_str_has_prefix(s, "。") && !g_str_has_prefix(s, "！") &&
           !g_str_has_prefix(s, "？"))
        s = g_utf8_next_char(s);
    if (*s == '\0')
        return strlen(text);
    s += 3;
    for (gboolean more = TRUE; more;) {
        more = FALSE;
        for (size_t i = 0; i < G_N_ELEMENTS(closers) && !more; i++) {
            if (g_str_has_prefix(s, closers[i])) {
                s += strlen(closers[i]);
                more = TRUE;
            }
        }
    }
    return (size_t)(s - text);
}

/* The numbering `value` written in the style of `written` at `level`. */
char *
format_number(int level, int value, const char *written)
{
    GString *out = g_string_new(NULL);
    const char *last = g_utf8_find_prev_char(written, written + strlen(written));
    if (level == 2 || level == 4)
        g_string_append_len(out, written, g_utf8_next_char(written) - written);
    if (level == 1 || level == 2) {
        numeral_append(out, value);
    } else if ((unsigned char)written[level == 4 ? (*written == '(' ? 1 : 3) : 0] == 0xEF) {
        char digits[16];
        g_snprintf(digits, sizeof digits, "%d", value);
        for (const char *d = digits; *d != '\0'; d++)
            g_string_append_unichar(out, 0xFF10 + (gunichar)(*d - '0'));
    } else {
        g_string_append_printf(out, "%d", value);
    }
    g_string_append(out, last);
    return g_string_free(out, FALSE);
}

/* Warn when a heading's number skips or repeats; lower levels restart after it. */
static void
check_numbering(Parser *p, const DocBlock *block)
{
    LastNumber *last = &p->last[block->level];
    int expected = last->value + 1;
    if (block->number_value != expected) {
        char *want = format_number(block->level, expected, block->number);
        if (last->value == 0)
            doc_warn(p->doc, block->loc, "numbering %s begins its level; expected %s",
                     block->number, want);
        else
            doc_warn(p->doc, block->loc, "numbering %s follows %s (line %d); expected %s",
                     block->number, last->number, last->line, want);
        g_free(want);
    }
    *last = (LastNumber){block->number_value, block->loc.line, block->number};
    for (int level = block->level + 1; level <= 4; level++)
        p->last[level].value = 0;
}

static void
add_heading(Parser *p, const SrcLine *src, const HeadingMatch *m)
{
    DocBlock block = {0};
    block.kind = DOC_BLOCK_HEADING;
    block.loc = loc_at(p, src->line, src->col);
    block.text = doc_intern(p->doc, src->text, (gssize)src->len);
    block.level = m->level;
    block.number = doc_intern(p->doc, src->text, (gssize)m->number_len);
    block.number_value = m->value;
    block.head_len = m->level == 1 ? src->len : heading_sentence_len(src->text, m->number_len);
    check_numbering(p, doc_append(p->doc, &block));
}

/* ---- blocks ------------------------------------------------------------------------------ */

DocBlock *
add_text_block(Parser *p, DocBlockKind kind, const char *text, DocLoc loc)
{
    DocBlock block = {0};
    block.kind = kind;
    block.loc = loc;
    block.text = doc_intern(p->doc, text, -1);
    return doc_append(p->doc, &block);
}

/* Is `text` "N." / "N．" / "N、" + a name for the given N? Returns the name or NULL. */
static const char *
note_item_name(const char *text, int expected)
{
    HeadingMatch m;
    if (!match_heading(text, &m) || m.level != 3 || m.value != expected)
        return NULL;
    return skip_space(text + m.number_len);
}

/* "附件：name" or "附件：1. name" with "2. name"… on the following lines. */
static gboolean
parse_note(Parser *p, size_t *index, const char *rest)
{
    const SrcLine *src = line_at(p, *index);
    const char *name = skip_space(rest);
    if (*name == '\0')
        return fail(p, GONGWEN_ERROR_INPUT, src->line, column_of(src->raw, name),
                    "the attachment note names no attachment; write 附件：followed by its name");
    GPtrArray *items = g_ptr_array_new();
    const char *numbered = note_item_name(name, 1);
    g_ptr_array_add(items, (gpointer)doc_intern(p->doc, numbered ? numbered : name, -1));
    for (size_t i = *index + 1; numbered != NULL && i < p->lines->len; i++) {
        const SrcLine *next = line_at(p, i);
        if (next->len == 0)
            continue;
        const char *item = note_item_name(next->text, (int)items->len + 1);
        if (item == NULL)
            break;
        g_ptr_array_add(items, (gpointer)doc_intern(p->doc, item, -1));
        *index = i;
    }
    DocBlock *block =
        add_text_block(p, DOC_BLOCK_ATTACHMENT_NOTE, src->text, loc_at(p, src->line, src->col));
    block->n_items = items->len;
    block->items = doc_intern_items(p->doc, (const char *const *)items->pdata, items->len);
    p->note_index = (gssize)(p->doc->n_blocks - 1);
    g_ptr_array_free(items, TRUE);
    return TRUE;
}

static const char *
note_prefix_end(const char *text)
{
    if (g_str_has_prefix(text, "附件："))
        return text + strlen("附件：");
    if (g_str_has_prefix(text, "附件:"))
        return text + strlen("附件:");
    return NULL;
}

/* A line that is only a date: a DATE block (FALSE with an error for an impossible date). */
static gboolean
parse_date_line(Parser *p, const SrcLine *src, int year, int month, int day, DateForm form)
{
    if (!is_calendar_date(year, month, day))
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "date %s is not a real day of the calendar", src->text);
    DocLoc loc = loc_at(p, src->line, src->col);
    char *text = date_text(year, month, day);
    static const char *const why[] = {
        [DATE_PADDED] = "is zero-padded",
        [DATE_SPACED] = "has spaces between its parts",
        [DATE_HAN] = "is written in Chinese numerals",
    };
    if (form != DATE_PLAIN)
        doc_warn(p->doc, loc, "date %s %s; GB/T 9704-2012 7.3.5.4 writes it %s%s (printed so)",
                 src->text, why[form], form == DATE_HAN ? "in Arabic numerals, " : "", text);
    DocBlock *block = add_text_block(p, DOC_BLOCK_DATE, text, loc);
    block->year = year;
    block->month = month;
    block->day = day;
    g_free(text);
    return TRUE;
}

/* ---- the body ---------------------------------------------------------------------------- */

/* The title block: from the front matter, or else the first line (then *used). */
static gboolean
add_title(Parser *p, const SrcLine *src, gboolean *used)
{
    p->have_title = TRUE;
    *used = FALSE;
    if (p->doc->title != NULL) {
        add_text_block(p, DOC_BLOCK_TITLE, p->doc->title, p->title_loc);
        if (p->to != NULL)
            add_text_block(p, DOC_BLOCK_ADDRESSEE, p->to, p->to_loc);
        return TRUE;
    }
    if (src->text[0] == '@' && g_ascii_isalpha(src->text[1]))
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "the first line must be the title (or give title: in the front matter)");
    const char *text = src->text[0] == '\\' && src->text[1] == '@' ? src->text + 1 : src->text;
    p->doc->title = add_text_block(p, DOC_BLOCK_TITLE, text, loc_at(p, src->line, src->col))->text;
    if (p->to != NULL)
        add_text_block(p, DOC_BLOCK_ADDRESSEE, p->to, p->to_loc);
    *used = TRUE;
    return TRUE;
}

/* A caption left in the text without its picture (the seed's “门户网站政务公开页面”): a short
 * line without punctuation that names a picture. It is set as a caption, not as a
 * paragraph. */
static gboolean
is_caption_text(const char *text)
{
    static const char *const ends[] = {"页面", "截图", "示意图", "图片", "照片", "界面", "首页"};
    long n = g_utf8_strlen(text, -1);
    if (n < 4 || n > 20)
        return FALSE;
    for (const char *q = text; *q != '\0'; q = g_utf8_next_char(q))
        if (g_unichar_ispunct(g_utf8_get_char(q)) || g_unichar_isdigit(g_utf8_get_char(q)))
            return FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(ends); i++)
        if (g_str_has_suffix(text, ends[i]))
            return TRUE;
    return FALSE;
}

/* 主送机关 written as the line after the title: “各市（州）商务主管部门：” — a line ending in a
 * full-width colon with no sentence inside it. */
static gboolean
is_addressee_text(const char *text)
{
    if (!g_str_has_suffix(text, "：") || g_utf8_strlen(text, -1) > 120)
        return FALSE;
    static const char *const stops[] = {"。", "！", "？", "；", "如下"};
    for (size_t i = 0; i < G_N_ELEMENTS(stops); i++)
        if (strstr(text, stops[i]) != NULL)
            return FALSE;
    return strstr(text, "：") == text + strlen(text) - strlen("：");
}

static gboolean
parse_body_line(Parser *p, size_t *index)
{
    const SrcLine *src = line_at(p, *index);
    const char *text = src->text;
    DocLoc loc = loc_at(p, src->line, src->col);
    gboolean taken = FALSE; /* the title of an @issued on the line before, or its （试行） */
    if (!issued_title_line(p, src, &taken))
        return FALSE;
    if (taken)
        return TRUE;
    if (text[0] == '@' && g_ascii_isalpha(text[1]))
        return parse_directive(p, src);
    if (text[0] == '\\' && text[1] == '@')
        return add_text_block(p, DOC_BLOCK_PARAGRAPH, text + 1, loc) != NULL;
    const char *note = p->in_attachment ? NULL : note_prefix_end(text);
    if (note != NULL)
        return parse_note(p, index, note);
    int year, month, day;
    DateForm form;
    /* the 成文日期 is the notice's: a date alone in an attachment or an issued document is
     * a paragraph */
    if (!p->in_attachment && p->n_issued == 0 &&
        parse_chinese_date(text, &year, &month, &day, &form))
        return parse_date_line(p, src, year, month, day, form);
    if (articles_parse_line(p, src))
        return TRUE;
    HeadingMatch m;
    if (match_heading(text, &m)) {
        add_heading(p, src, &m);
        return TRUE;
    }
    if (parse_opening_line(p, src))
        return TRUE;
    if (p->to == NULL && p->doc->n_blocks == 1 && is_addressee_text(text))
        return add_text_block(p, DOC_BLOCK_ADDRESSEE, text, loc) != NULL;
    return add_text_block(p, is_caption_text(text) ? DOC_BLOCK_CAPTION : DOC_BLOCK_PARAGRAPH,
                          text, loc) != NULL;
}

static gboolean
parse_body(Parser *p)
{
    gboolean any = FALSE;
    for (size_t i = p->body_start; i < p->lines->len; i++) {
        if (line_at(p, i)->len == 0)
            continue;
        any = TRUE;
        gboolean used = FALSE;
        if (!p->have_title && !add_title(p, line_at(p, i), &used))
            return FALSE;
        if (!used && !parse_body_line(p, &i))
            return FALSE;
    }
    if (!any)
        return fail(p, GONGWEN_ERROR_INPUT, (int)p->body_start + 1, 1,
                    "no text: the report has no title and no body");
    return issued_finish(p);
}

/* ---- signature and date ------------------------------------------------------------------ */

static void
insert_block(Doc *doc, size_t index, const DocBlock *block)
{
    g_array_insert_vals(doc->block_array, (guint)index, block, 1);
    doc->blocks = (DocBlock *)(void *)doc->block_array->data;
    doc->n_blocks = doc->block_array->len;
}

/* The issuer's signature before block `index`: one per organ when the issuer names
 * several, separated by ；. */
static void
insert_signature(Parser *p, size_t index, DocLoc loc)
{
    char **organs = g_regex_split_simple("\\s*[；;]\\s*", p->doc->issuer, 0, 0);
    for (char **o = organs; *o != NULL; o++) {
        if (**o == '\0')
            continue;
        DocBlock block = {0};
        block.kind = DOC_BLOCK_SIGNATURE;
        block.loc = loc;
        block.text = doc_intern(p->doc, *o, -1);
        insert_block(p->doc, index++, &block);
    }
    g_strfreev(organs);
}

static gboolean
is_signature_text(const char *text)
{
    size_t chars = (size_t)g_utf8_strlen(text, -1);
    if (chars == 0 || chars > SIGNATURE_MAX_CHARS)
        return FALSE;
    const char *last = g_utf8_find_prev_char(text, text + strlen(text));
    return !g_unichar_ispunct(g_utf8_get_char(last));
}

/* The text has a date line at `index`: its signature, the issuer, the front matter date. */
static void
settle_date_line(Parser *p, size_t index)
{
    Doc *doc = p->doc;
    DocBlock *date = &doc->blocks[index];
    doc->year = date->year;
    doc->month = date->month;
    doc->day = date->day;
    if (p->date_year != 0 &&
        (p->date_year != date->year || p->date_month != date->month || p->date_day != date->day))
        doc_warn(doc, date->loc,
                 "the date line %s differs from the front matter date %d-%02d-%02d (line %d); "
                 "the date line is used",
                 date->text, p->date_year, p->date_month, p->date_day, p->date_loc.line);
    /* the signatures written above the date: short lines without punctuation, up to 8
     * organs of a joint document */
    size_t first = index;
    while (first > 0 && index - first < 8 && doc->blocks[first - 1].kind == DOC_BLOCK_PARAGRAPH &&
           is_signature_text(doc->blocks[first - 1].text))
        first--;
    if (first < index) {
        for (size_t k = first; k < index; k++)
            doc->blocks[k].kind = DOC_BLOCK_SIGNATURE;
        return;
    }
    if (doc->issuer != NULL)
        insert_signature(p, index, date->loc);
}

static void
settle_closing(Parser *p)
{
    Doc *doc = p->doc;
    size_t main_end = 0;
    while (main_end < doc->n_blocks && doc->blocks[main_end].kind != DOC_BLOCK_ATTACHMENT &&
           doc->blocks[main_end].kind != DOC_BLOCK_ISSUED)
        main_end++;
    for (size_t i = main_end; i > 0; i--) {
        if (doc->blocks[i - 1].kind == DOC_BLOCK_DATE) {
            settle_date_line(p, i - 1);
            return;
        }
    }
    if (p->date_year == 0)
        return;
    char *text = date_text(p->date_year, p->date_month, p->date_day);
    DocBlock date = {0};
    date.kind = DOC_BLOCK_DATE;
    date.loc = p->date_loc;
    date.text = doc_intern(doc, text, -1);
    date.year = doc->year = p->date_year;
    date.month = doc->month = p->date_month;
    date.day = doc->day = p->date_day;
    insert_block(doc, main_end, &date);
    if (doc->issuer != NULL)
        insert_signature(p, main_end, p->date_loc);
    g_free(text);
}

/* Every attachment has its line in the 附件说明 (7.3.4), under the same name: an attachment
 * the note does not name, or names otherwise, is a warning at its @attachment line. The
 * notice and each issued document (@issued) have their own note and attachments. */
static void
check_attachment_note(Parser *p)
{
    Doc *doc = p->doc;
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const DocBlock *a = &doc->blocks[i];
        if (a->kind != DOC_BLOCK_ATTACHMENT)
            continue;
        const DocBlock *note = doc_part_note(doc, i);
        char *label = doc_part_attachments(doc, i) > 1 ? g_strdup_printf("附件%d", a->level)
                                                       : g_strdup("附件");
        const char *title = a->text;
        const size_t k = (size_t)a->level - 1;
        if (note == NULL && *title != '\0')
            doc_warn(doc, a->loc, "%s “%s” has no 附件说明: write “附件：%s” after the body, "
                     "before the signature (GB/T 9704 7.3.4)", label, title, title);
        else if (note == NULL)
            doc_warn(doc, a->loc, "%s has no title and no 附件说明: write “附件：” and its name "
                     "after the body, before the signature (GB/T 9704 7.3.4)", label);
        else if (k >= note->n_items)
            doc_warn(doc, a->loc, "%s “%s” is not in the 附件说明 (line %d), which names %zu "
                     "attachment%s: add its line (GB/T 9704 7.3.4)", label, title, note->loc.line,
                     note->n_items, note->n_items == 1 ? "" : "s");
        else if (!g_str_equal(title, note->items[k]))
            doc_warn(doc, a->loc, "%s is titled “%s”, but the 附件说明 (line %d) names it “%s”; "
                     "write the same name in both (GB/T 9704 7.3.4)", label, title,
                     note->loc.line, note->items[k]);
        g_free(label);
    }
}

/* ---- entry points ------------------------------------------------------------------------ */

static gboolean
parse_all(Parser *p, const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, UTF8_BOM, 3) == 0) {
        data += 3;
        len -= 3;
    }
    p->buffer = g_malloc(len + 1);
    memcpy(p->buffer, data, len);
    p->buffer[len] = '\0';
    if (!split_lines(p, len) || !parse_front_matter(p) || !parse_body(p))
        return FALSE;
    check_attachment_note(p);
    check_issued(p);
    settle_closing(p);
    return TRUE;
}

Doc *
source_parse(const char *path, const char *data, size_t len, GError **error)
{
    g_return_val_if_fail(path != NULL && (data != NULL || len == 0), NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (len > SOURCE_MAX_BYTES) {
        diag_set_error(error, GONGWEN_ERROR_LIMIT, (DiagAt){path, 1, 1},
                       "the file is %zu bytes; the limit is %u bytes", len, SOURCE_MAX_BYTES);
        return NULL;
    }
    Parser p = {0};
    p.doc = doc_new(path);
    p.error = error;
    p.lines = g_array_new(FALSE, TRUE, sizeof(SrcLine));
    p.note_index = -1;
    gboolean ok = parse_all(&p, data != NULL ? data : "", len);
    g_array_unref(p.lines);
    g_free(p.buffer);
    if (ok)
        return p.doc;
    doc_free(p.doc);
    return NULL;
}

Doc *
source_load(const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    char *file = g_file_test(path, G_FILE_TEST_IS_DIR) ? g_build_filename(path, "report.txt", NULL)
                                                       : g_strdup(path);
    gsize len = 0;
    GError *read_error = NULL;
    Doc *doc = NULL;
    char *data = files_read(NULL, file, SOURCE_MAX_BYTES, "a report", &len, &read_error);
    if (data == NULL) {
        diag_set_error(error, (GongwenError)read_error->code, (DiagAt){file, 0, 0}, "%s",
                       read_error->message);
        g_error_free(read_error);
    } else {
        doc = source_parse(file, data, len, error);
    }
    g_free(data);
    g_free(file);
    return doc;
}
