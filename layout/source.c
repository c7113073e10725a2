/* gongwen: the source reader (spec/source-format.md): report text -> Doc.
 *
 * The text is split into physical lines and validated (UTF-8, no control characters), the
 * optional front matter is read, then each non-blank line becomes a block: the title, a
 * numbered heading, an attachment note, a date, a directive or a paragraph. A last pass
 * settles the signature and the date (成文日期).
 */
#include "source.h"
#include "error.h"
#include "roles.h"
#include "tablefile.h"
#include "chartdata.h"
#include "figure.h"
#include "profile.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#define UTF8_BOM "\xEF\xBB\xBF"
#define SIGNATURE_MAX_CHARS 20

/* One physical line of the file, NUL-terminated in the parser's buffer and trimmed. */
typedef struct {
    const char *raw;  /* the line as read (for columns) */
    const char *text; /* trimmed; "" for a blank line */
    size_t len;       /* bytes of text */
    int line;         /* 1-based */
    int col;          /* 1-based column of text's first character */
} SrcLine;

typedef struct {
    int value; /* 0: none yet at this level */
    int line;
    const char *number;
} LastNumber;

typedef enum {
    KEY_TITLE,
    KEY_ISSUER,
    KEY_DATE,
    KEY_SUBJECT,
    KEY_KEYWORDS,
    KEY_SEALED,
    KEY_COPY,
    KEY_SECRECY,
    KEY_URGENCY,
    KEY_ORGAN,
    KEY_NUMBER,
    KEY_SIGNER,
    KEY_TO,
    KEY_LETTERHEAD,
    KEY_CC,
    KEY_PRINTER,
    KEY_PRINTED,
    KEY_SEAL,
    KEY_PROFILE,
    N_KEYS
} FrontKey;

static const char *const front_keys[N_KEYS] = {
    "title", "issuer", "date",   "subject",    "keywords", "sealed",  "copy",
    "secrecy", "urgency", "organ", "number", "signer", "to", "letterhead", "cc",
    "printer", "printed", "seal", "profile"};

typedef struct {
    Doc *doc;
    GError **error;
    char *buffer;  /* owned copy of the text, one NUL-terminated string per line */
    GArray *lines; /* SrcLine */
    size_t body_start;
    int key_line[N_KEYS]; /* where each front matter key was given; 0 when absent */
    DocLoc title_loc, date_loc, to_loc;
    const char *to; /* front matter 主送机关, interned */
    int date_year, date_month, date_day; /* front matter date, 0 when absent */
    gboolean have_title;
    gboolean in_attachment;
    int n_attachments;
    gssize note_index; /* the attachment note block, -1 when none */
    LastNumber last[5];
} Parser;

typedef struct {
    int level; /* 1..4 */
    int value;
    size_t number_len; /* bytes of the numbering */
} HeadingMatch;

/* ---- errors ------------------------------------------------------------------------------ */

static gboolean G_GNUC_PRINTF(5, 6)
    fail(Parser *p, GongwenError code, int line, int col, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error(p->error, GONGWEN_ERROR, code, "%s:%d:%d: error: %s", p->doc->path, line, col, message);
    g_free(message);
    return FALSE;
}

static DocLoc
loc_at(const Parser *p, int line, int col)
{
    DocLoc loc = {p->doc->path, line, col};
    return loc;
}

/* 1-based column of byte `at` in the line that starts at `raw`. */
static int
column_of(const char *raw, const char *at)
{
    return (int)g_utf8_strlen(raw, at - raw) + 1;
}

/* ---- small text helpers ------------------------------------------------------------------ */

/* Bytes of white space (ASCII space, tab, U+3000) at `s`, or 0. */
static size_t
space_len(const char *s)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    if (g_str_has_prefix(s, "\u3000"))
        return 3;
    return 0;
}

static const char *
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

/* Consume one of 一..九 at *s; its value, or 0. */
static int
take_han_digit(const char **s)
{
    static const char *const digits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
    for (int d = 0; d < 9; d++) {
        if (g_str_has_prefix(*s, digits[d])) {
            *s += strlen(digits[d]);
            return d + 1;
        }
    }
    return 0;
}

/* Consume a Chinese numeral 一..九十九 (十, 十一, 二十, 二十一 style) at *s; its value, or 0. */
static int
take_chinese_numeral(const char **s)
{
    const char *p = *s;
    int first = take_han_digit(&p);
    if (!g_str_has_prefix(p, "十")) {
        if (first > 0)
            *s = p;
        return first;
    }
    p += strlen("十");
    int value = (first == 0 ? 1 : first) * 10 + take_han_digit(&p);
    *s = p;
    return value;
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
        gunichar c = g_utf8_get_char(s);
        if ((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c <= 0x9F))
            return fail(p, GONGWEN_ERROR_INPUT, line, column_of(raw, s),
                        "control character U+%04X in the text; remove it", (unsigned)c);
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

static const SrcLine *
line_at(const Parser *p, size_t index)
{
    return &g_array_index(p->lines, SrcLine, index);
}

/* ---- dates ------------------------------------------------------------------------------- */

/* Parse "2018年2月22日" (ASCII or full-width digits), the whole of `s`. */
static gboolean
parse_chinese_date(const char *s, int *year, int *month, int *day, gboolean *padded)
{
    gboolean pad_month = FALSE, pad_day = FALSE;
    if (take_number(&s, 4, year, NULL) != 4 || !g_str_has_prefix(s, "年"))
        return FALSE;
    s += 3;
    if (take_number(&s, 2, month, &pad_month) == 0 || !g_str_has_prefix(s, "月"))
        return FALSE;
    s += 3;
    if (take_number(&s, 2, day, &pad_day) == 0 || !g_str_has_prefix(s, "日"))
        return FALSE;
    *padded = pad_month || pad_day;
    return s[3] == '\0';
}

/* Parse "2018-02-22", the whole of `s`. */
static gboolean
parse_iso_date(const char *s, int *year, int *month, int *day)
{
    if (take_number(&s, 4, year, NULL) != 4 || *s++ != '-')
        return FALSE;
    if (take_number(&s, 2, month, NULL) == 0 || *s++ != '-')
        return FALSE;
    return take_number(&s, 2, day, NULL) > 0 && *s == '\0';
}

static gboolean
is_calendar_date(int year, int month, int day)
{
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31)
        return FALSE;
    return g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

static char *
date_text(int year, int month, int day)
{
    return g_strdup_printf("%d年%d月%d日", year, month, day);
}

/* ---- front matter ------------------------------------------------------------------------ */

static gboolean
set_front_date(Parser *p, const char *value, int line, int col)
{
    int y = 0, m = 0, d = 0;
    gboolean padded = FALSE;
    if (!parse_iso_date(value, &y, &m, &d) && !parse_chinese_date(value, &y, &m, &d, &padded))
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "bad date \"%s\"; write it as 2018-02-22 or 2018年2月22日", value);
    if (!is_calendar_date(y, m, d))
        return fail(p, GONGWEN_ERROR_INPUT, line, col, "bad date \"%s\": no such day", value);
    p->date_year = y;
    p->date_month = m;
    p->date_day = d;
    p->date_loc = loc_at(p, line, col);
    return TRUE;
}

/* A list in one front matter value, split at `seps` (each a UTF-8 string), trimmed; empty
 * items are an error. */
static gboolean
split_front_list(Parser *p, const char *value, const char *const *seps, size_t n_seps,
                 const char ***items, size_t *n_items, int line, int col)
{
    GPtrArray *parts = g_ptr_array_new(); /* interned strings */
    const char *start = value;
    for (const char *q = value;; q = g_utf8_next_char(q)) {
        size_t sep = 0;
        for (size_t i = 0; *q != '\0' && i < n_seps && sep == 0; i++)
            if (g_str_has_prefix(q, seps[i]))
                sep = strlen(seps[i]);
        if (*q != '\0' && sep == 0)
            continue;
        char *item = g_strndup(start, (size_t)(q - start));
        g_ptr_array_add(parts, (gpointer)doc_intern(p->doc, skip_space(g_strchomp(item)), -1));
        g_free(item);
        if (*q == '\0')
            break;
        start = q + sep;
        q += sep - 1; /* the loop steps one character on */
    }
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < parts->len; i++)
        if (*(const char *)g_ptr_array_index(parts, i) == '\0')
            ok = fail(p, GONGWEN_ERROR_INPUT, line, col, "an empty name in \"%s\"", value);
    if (ok)
        *items = doc_intern_items(p->doc, (const char *const *)parts->pdata, parts->len);
    *n_items = parts->len;
    g_ptr_array_free(parts, TRUE);
    return ok;
}

/* 发文字号 (7.2.4): 机关代字, the full year in 六角括号 〔〕, the number without 第 or a leading
 * zero, then 号: 黔商发〔2024〕5号. */
static gboolean
set_doc_number(Parser *p, const char *value, int line, int col)
{
    static const char *const wrong[] = {"[", "［", "(", "（", "【", "〖", "{", "<", "《"};
    const char *open = strstr(value, "〔");
#define AT(ptr) (col + (int)g_utf8_strlen(value, (ptr) - value))
    if (open == NULL) {
        for (size_t i = 0; i < G_N_ELEMENTS(wrong); i++) {
            const char *w = strstr(value, wrong[i]);
            if (w != NULL)
                return fail(p, GONGWEN_ERROR_INPUT, line, AT(w),
                            "发文字号 \"%s\": the year goes in 六角括号 〔〕 (U+3014, U+3015), not "
                            "in \"%s\"",
                            value, wrong[i]);
        }
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "发文字号 \"%s\" has no year in 〔〕; write it as 黔商发〔2024〕5号", value);
    }
    if (open == value)
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "发文字号 \"%s\" has no 机关代字 before the year", value);
    const char *y = open + strlen("〔"), *q = y;
    while (g_ascii_isdigit(*q))
        q++;
    if (!g_str_has_prefix(q, "〕"))
        return fail(p, GONGWEN_ERROR_INPUT, line, AT(q),
                    "发文字号 \"%s\": the year is Arabic digits closed by 〕", value);
    if (q - y != 4)
        return fail(p, GONGWEN_ERROR_INPUT, line, AT(y),
                    "发文字号 \"%s\": give the full year (4 digits), as 〔2024〕", value);
    const char *n = q + strlen("〕");
    if (g_str_has_prefix(n, "第"))
        return fail(p, GONGWEN_ERROR_INPUT, line, AT(n),
                    "发文字号 \"%s\": the number takes no 第 (GB/T 9704 7.2.4)", value);
    if (*n == '0')
        return fail(p, GONGWEN_ERROR_INPUT, line, AT(n),
                    "发文字号 \"%s\": the number has no leading zero (1, not 01)", value);
    const char *d = n;
    while (g_ascii_isdigit(*d))
        d++;
    if (d == n || !g_str_equal(d, "号"))
        return fail(p, GONGWEN_ERROR_INPUT, line, AT(d),
                    "发文字号 \"%s\": the number is Arabic digits followed by 号, as 〔2024〕5号",
                    value);
#undef AT
    p->doc->doc_number = doc_intern(p->doc, value, -1);
    return TRUE;
}

/* 发文机关标志: one organ, or several separated by ；; a “文件” after the last of several is
 * set once, against them all (7.2.3). */
static gboolean
set_organs(Parser *p, const char *value, int line, int col)
{
    static const char *const seps[] = {"；", ";"};
    Doc *doc = p->doc;
    if (!split_front_list(p, value, seps, G_N_ELEMENTS(seps), &doc->organs, &doc->n_organs,
                          line, col))
        return FALSE;
    const char *last = doc->organs[doc->n_organs - 1];
    if (doc->n_organs > 1 && g_str_has_suffix(last, "文件") && strlen(last) > strlen("文件")) {
        char *name = g_strndup(last, strlen(last) - strlen("文件"));
        doc->organs[doc->n_organs - 1] = doc_intern(doc, g_strchomp(name), -1);
        doc->organ_suffix = doc_intern(doc, "文件", -1);
        g_free(name);
    }
    for (size_t i = 0; i < doc->n_organs; i++)
        if (g_utf8_strlen(doc->organs[i], -1) > 40)
            return fail(p, GONGWEN_ERROR_INPUT, line, col,
                        "the organ name \"%s\" is longer than 40 characters", doc->organs[i]);
    if (doc->n_organs > 8)
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "%zu organs; a joint 发文机关标志 here takes at most 8", doc->n_organs);
    return TRUE;
}

static gboolean
set_one_of(Parser *p, const char **slot, const char *value, const char *const *allowed,
           size_t n, const char *what, int line, int col)
{
    for (size_t i = 0; i < n; i++) {
        if (g_str_has_prefix(value, allowed[i])) {
            *slot = doc_intern(p->doc, value, -1);
            return TRUE;
        }
    }
    char *list = g_strjoinv("、", (char **)allowed);
    gboolean r = fail(p, GONGWEN_ERROR_INPUT, line, col, "%s \"%s\" is not one of %s", what,
                      value, list);
    g_free(list);
    return r;
}

/* seal: one image, or one per signing organ separated by ；, each a PNG or JPEG in the
 * report's folder. */
static gboolean
set_seal(Parser *p, const char *value, int line, int col)
{
    static const char *const seps[] = {"；", ";"};
    Doc *doc = p->doc;
    const char **files = NULL;
    size_t n = 0;
    if (!split_front_list(p, value, seps, G_N_ELEMENTS(seps), &files, &n, line, col))
        return FALSE;
    if (n > 8)
        return fail(p, GONGWEN_ERROR_INPUT, line, col, "%zu seal images; at most 8", n);
    const char *paths[8];
    for (size_t k = 0; k < n; k++) {
        char *full = data_file_path(doc, files[k], loc_at(p, line, col), p->error);
        if (full == NULL)
            return FALSE;
        DocBlock block = {0};
        block.kind = DOC_BLOCK_FIGURE;
        block.loc = loc_at(p, line, col);
        block.file = paths[k] = doc_intern(doc, full, -1);
        g_free(full);
        FigureImage *image = figure_load(&block, p->error);
        if (image == NULL)
            return FALSE;
        figure_free(image);
    }
    doc->seals = doc_intern_items(doc, paths, n);
    doc->n_seals = n;
    doc->seal_loc = loc_at(p, line, col);
    doc->sealed = TRUE;
    return TRUE;
}

static gboolean
set_profile(Parser *p, const char *value, int line, int col)
{
    char *full = data_file_path(p->doc, value, loc_at(p, line, col), p->error);
    if (full == NULL)
        return FALSE;
    Profile *profile = profile_load(full, p->error);
    g_free(full);
    if (profile == NULL)
        return FALSE;
    profile_free(p->doc->profile);
    p->doc->profile = profile;
    return TRUE;
}

static gboolean
set_front_value(Parser *p, FrontKey key, const char *value, int line, int col)
{
    static const char *const secrecy[] = {"绝密", "机密", "秘密", NULL};
    static const char *const urgency[] = {"特急", "加急", "特提", "平急", NULL};
    static const char *const signer_seps[] = {"、", "；", ";"};
    Doc *doc = p->doc;
    switch (key) {
    case KEY_TITLE:
        doc->title = doc_intern(doc, value, -1);
        p->title_loc = loc_at(p, line, col);
        return TRUE;
    case KEY_ISSUER:
        doc->issuer = doc_intern(doc, value, -1);
        return TRUE;
    case KEY_SUBJECT:
        doc->subject = doc_intern(doc, value, -1);
        return TRUE;
    case KEY_KEYWORDS:
        doc->keywords = doc_intern(doc, value, -1);
        return TRUE;
    case KEY_DATE:
        return set_front_date(p, value, line, col);
    case KEY_SEALED:
        if (g_str_equal(value, "yes") || g_str_equal(value, "no")) {
            doc->sealed = g_str_equal(value, "yes") || doc->n_seals > 0;
            return TRUE;
        }
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "bad value \"%s\" for sealed; write yes or no", value);
    case KEY_COPY:
        for (const char *q = value; *q != '\0'; q++)
            if (!g_ascii_isdigit(*q))
                return fail(p, GONGWEN_ERROR_INPUT, line, col,
                            "份号 \"%s\" is not Arabic digits (GB/T 9704 7.2.1: 000001)", value);
        if (strlen(value) > 6)
            return fail(p, GONGWEN_ERROR_INPUT, line, col,
                        "份号 \"%s\" has more than 6 digits", value);
        if (strlen(value) < 6)
            doc_warn(doc, loc_at(p, line, col), "份号 \"%s\" is usually 6 digits (000001)", value);
        doc->copy_number = doc_intern(doc, value, -1);
        return TRUE;
    case KEY_SECRECY:
        return set_one_of(p, &doc->secrecy, value, secrecy, 3, "密级", line, col);
    case KEY_URGENCY:
        return set_one_of(p, &doc->urgency, value, urgency, 4, "紧急程度", line, col);
    case KEY_ORGAN:
        return set_organs(p, value, line, col);
    case KEY_NUMBER:
        return set_doc_number(p, value, line, col);
    case KEY_SIGNER:
        return split_front_list(p, value, signer_seps, G_N_ELEMENTS(signer_seps), &doc->signers,
                                &doc->n_signers, line, col);
    case KEY_TO:
        p->to = doc_intern(doc, value, -1);
        p->to_loc = loc_at(p, line, col);
        return TRUE;
    case KEY_LETTERHEAD:
        if (g_str_equal(value, "red") || g_str_equal(value, "preprinted")) {
            doc->preprinted = g_str_equal(value, "preprinted");
            return TRUE;
        }
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "bad value \"%s\" for letterhead; write red or preprinted", value);
    case KEY_CC:
        doc->cc = doc_intern(doc, g_str_has_prefix(value, "抄送：") ? value + strlen("抄送：") : value,
                             -1);
        if (!g_str_has_suffix(value, "。"))
            doc_warn(doc, loc_at(p, line, col), "抄送 ends with “。” (GB/T 9704 7.4.2)");
        return TRUE;
    case KEY_PRINTER:
        doc->printer = doc_intern(doc, value, -1);
        return TRUE;
    case KEY_PRINTED: {
        int y = 0, m = 0, d = 0;
        gboolean padded = FALSE;
        char *v = g_str_has_suffix(value, "印发")
                      ? g_strndup(value, strlen(value) - strlen("印发"))
                      : g_strdup(value);
        gboolean ok = (parse_iso_date(v, &y, &m, &d) || parse_chinese_date(v, &y, &m, &d, &padded)) &&
                      is_calendar_date(y, m, d);
        g_free(v);
        if (!ok)
            return fail(p, GONGWEN_ERROR_INPUT, line, col,
                        "bad 印发日期 \"%s\"; write it as 2024-03-01 or 2024年3月1日", value);
        char *text = date_text(y, m, d);
        doc->printed = doc_intern(doc, text, -1);
        g_free(text);
        return TRUE;
    }
    case KEY_SEAL:
        return set_seal(p, value, line, col);
    case KEY_PROFILE:
        return set_profile(p, value, line, col);
    case N_KEYS:
        break;
    }
    return FALSE;
}

/* `font.ROLE: FAMILY`: a per-role font override; whether FAMILY is installed is checked
 * when the fonts are loaded. */
static gboolean
parse_front_font(Parser *p, const SrcLine *src, const char *key, const char *value,
                 int value_col)
{
    const char *role = key + strlen("font.");
    Doc *doc = p->doc;
    if (fonts_role_from_name(role) == FONT_ROLE_COUNT) {
        char *roles = fonts_role_names();
        gboolean r = fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                          "unknown font role \"%s\"; the roles are %s", role, roles);
        g_free(roles);
        return r;
    }
    if (*value == '\0')
        return fail(p, GONGWEN_ERROR_INPUT, src->line, value_col, "empty value for \"%s\"", key);
    for (size_t i = 0; i < doc->n_fonts; i++) {
        if (g_str_equal(doc->fonts[i].role, role))
            return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                        "duplicate front matter key \"%s\" (first on line %d)", key,
                        doc->fonts[i].loc.line);
    }
    if (doc->n_fonts == G_N_ELEMENTS(doc->fonts))
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col, "too many font overrides");
    DocFont *font = &doc->fonts[doc->n_fonts++];
    font->role = doc_intern(doc, role, -1);
    font->family = doc_intern(doc, value, -1);
    font->loc.file = doc->path;
    font->loc.line = src->line;
    font->loc.col = value_col;
    return TRUE;
}

static gboolean
parse_front_line(Parser *p, const SrcLine *src)
{
    const char *colon = strpbrk(src->text, ":");
    const char *wide = strstr(src->text, "：");
    if (colon == NULL || (wide != NULL && wide < colon))
        colon = wide;
    if (colon == NULL)
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "front matter line is not \"key: value\"");
    char *key = g_strstrip(g_strndup(src->text, (size_t)(colon - src->text)));
    const char *value = skip_space(colon + (*colon == ':' ? 1 : 3));
    int value_col = column_of(src->raw, value);
    if (g_str_has_prefix(key, "font.")) {
        gboolean done = parse_front_font(p, src, key, value, value_col);
        g_free(key);
        return done;
    }
    int k = 0;
    while (k < N_KEYS && !g_str_equal(key, front_keys[k]))
        k++;
    gboolean ok = FALSE;
    if (k == N_KEYS)
        fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
             "unknown front matter key \"%s\"; the keys are title, issuer, date, subject, "
             "keywords, sealed, copy, secrecy, urgency, organ, number, signer, to, letterhead, "
             "cc, printer, printed, seal, profile and font.ROLE",
             key);
    else if (p->key_line[k] != 0)
        fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
             "duplicate front matter key \"%s\" (first on line %d)", key, p->key_line[k]);
    else if (*value == '\0')
        fail(p, GONGWEN_ERROR_INPUT, src->line, value_col, "empty value for \"%s\"", key);
    else
        ok = set_front_value(p, (FrontKey)k, value, src->line, value_col);
    if (ok) {
        p->key_line[k] = src->line;
        DocKey written = {front_keys[k], loc_at(p, src->line, value_col)};
        g_array_append_val(p->doc->keys, written);
    }
    g_free(key);
    return ok;
}

static gboolean
parse_front_matter(Parser *p)
{
    p->body_start = 0;
    if (p->lines->len == 0 || !g_str_equal(line_at(p, 0)->text, "---"))
        return TRUE;
    size_t close = 1;
    while (close < p->lines->len && !g_str_equal(line_at(p, close)->text, "---"))
        close++;
    if (close == p->lines->len) {
        const SrcLine *open = line_at(p, 0);
        return fail(p, GONGWEN_ERROR_INPUT, open->line, open->col,
                    "the front matter begun here is not closed by a \"---\" line");
    }
    for (size_t i = 1; i < close; i++) {
        const SrcLine *src = line_at(p, i);
        if (src->len > 0 && !parse_front_line(p, src))
            return FALSE;
    }
    p->body_start = close + 1;
    return TRUE;
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
static gboolean
match_heading(const char *text, HeadingMatch *m)
{
    const char *s = text;
    int value = take_chinese_numeral(&s);
    if (value > 0 && g_str_has_prefix(s, "、")) {
        *m = (HeadingMatch){1, value, (size_t)(s + 3 - text)};
        return TRUE;
    }
    const char *open = take_open_bracket(text);
    if (open != NULL) {
        s = open;
        int level = 2;
        value = take_chinese_numeral(&s);
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

static void
append_chinese_numeral(GString *out, int value)
{
    static const char *const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (value < 1 || value > 99) {
        g_string_append_printf(out, "%d", value); /* beyond the numerals headings use */
        return;
    }
    int tens = value / 10, units = value % 10;
    if (tens > 1)
        g_string_append(out, digits[tens]);
    if (tens > 0)
        g_string_append(out, "十");
    g_string_append(out, digits[units]);
}

/* The numbering `value` written in the style of `written` at `level`. */
static char *
format_number(int level, int value, const char *written)
{
    GString *out = g_string_new(NULL);
    const char *last = g_utf8_find_prev_char(written, written + strlen(written));
    if (level == 2 || level == 4)
        g_string_append_len(out, written, g_utf8_next_char(written) - written);
    if (level == 1 || level == 2) {
        append_chinese_numeral(out, value);
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

static DocBlock *
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
parse_date_line(Parser *p, const SrcLine *src, int year, int month, int day, gboolean padded)
{
    if (!is_calendar_date(year, month, day))
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "date %s is not a real day of the calendar", src->text);
    DocLoc loc = loc_at(p, src->line, src->col);
    char *text = date_text(year, month, day);
    if (padded)
        doc_warn(p->doc, loc, "date %s is zero-padded; GB/T 9704 7.3.5.4 writes it %s (printed so)",
                 src->text, text);
    DocBlock *block = add_text_block(p, DOC_BLOCK_DATE, text, loc);
    block->year = year;
    block->month = month;
    block->day = day;
    g_free(text);
    return TRUE;
}

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
    } else {
        ok = fail(p, GONGWEN_ERROR_INPUT, src->line, col,
                  "unknown @table option \"%s\"; the options are header=N, size=, min-size=, "
                  "widths=, height=, landscape and landscape=auto", key);
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
                    "[height=…] [landscape|landscape=auto] [title]");
    TableOptions o = {1, 12 * 1024, 0, FALSE, FALSE, NULL, 0, NULL, 0};
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
    return TRUE;
}

/* @chart KIND FILE [unit=件] [palette=color|grey] [caption] */
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
             "[unit=件] [palette=color] [caption]");
    DocChart *chart = ok ? doc_new_chart(p->doc) : NULL;
    for (char *word; ok && (word = next_option(&args, NULL)) != NULL; g_free(word)) {
        const char *value = strchr(word, '=') + 1;
        if (g_str_has_prefix(word, "unit=") && *value != '\0')
            chart->unit = doc_intern(p->doc, value, -1);
        else if (g_str_equal(word, "palette=color") || g_str_equal(word, "palette=colour"))
            chart->color = TRUE;
        else if (!g_str_equal(word, "palette=grey") && !g_str_equal(word, "palette=gray"))
            ok = fail(p, GONGWEN_ERROR_INPUT, src->line, column_of(src->raw, strstr(src->raw, word)),
                      "unknown @chart option \"%s\"; the options are unit=UNIT and "
                      "palette=color|grey", word);
    }
    DocLoc loc = loc_at(p, src->line, src->col);
    if (ok) {
        chart->kind = (DocChartKind)k;
        chart->table = table_load(p->doc, file, 1, loc, p->error);
        ok = chart->table != NULL && chart_check_data(chart, p->error);
    }
    if (ok)
        add_text_block(p, DOC_BLOCK_CHART, skip_space(args), loc)->chart = chart;
    g_free(kind);
    g_free(file);
    return ok;
}

static gboolean
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
    else
        fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
             "unknown directive `@%s`; the directives are @attachment, @pagebreak, @table, "
             "@chart, @figure (write \\@ for a literal @ at the start of a line)",
             name);
    g_free(name);
    return ok;
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
    if (text[0] == '@' && g_ascii_isalpha(text[1]))
        return parse_directive(p, src);
    if (text[0] == '\\' && text[1] == '@')
        return add_text_block(p, DOC_BLOCK_PARAGRAPH, text + 1, loc) != NULL;
    const char *note = p->in_attachment ? NULL : note_prefix_end(text);
    if (note != NULL)
        return parse_note(p, index, note);
    int year, month, day;
    gboolean padded;
    if (!p->in_attachment && parse_chinese_date(text, &year, &month, &day, &padded))
        return parse_date_line(p, src, year, month, day, padded);
    HeadingMatch m;
    if (match_heading(text, &m)) {
        add_heading(p, src, &m);
        return TRUE;
    }
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
    return TRUE;
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
    while (main_end < doc->n_blocks && doc->blocks[main_end].kind != DOC_BLOCK_ATTACHMENT)
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
    settle_closing(p);
    return TRUE;
}

Doc *
source_parse(const char *path, const char *data, size_t len, GError **error)
{
    g_return_val_if_fail(path != NULL && (data != NULL || len == 0), NULL);
    g_return_val_if_fail(error == NULL || *error == NULL, NULL);
    if (len > SOURCE_MAX_BYTES) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_LIMIT,
                    "%s:1:1: error: the file is %zu bytes; the limit is %u bytes", path, len,
                    SOURCE_MAX_BYTES);
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
    GStatBuf st;
    char *data = NULL;
    gsize len = 0;
    GError *read_error = NULL;
    Doc *doc = NULL;
    if (g_stat(file, &st) != 0) {
        int saved = errno;
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "%s: error: cannot read: %s", file,
                    g_strerror(saved));
    } else if ((guint64)st.st_size > SOURCE_MAX_BYTES) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_LIMIT,
                    "%s:1:1: error: the file is %" G_GUINT64_FORMAT " bytes; the limit is %u bytes", file,
                    (guint64)st.st_size, SOURCE_MAX_BYTES);
    } else if (!g_file_get_contents(file, &data, &len, &read_error)) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "%s: error: cannot read: %s", file,
                    read_error->message);
        g_error_free(read_error);
    } else {
        doc = source_parse(file, data, len, error);
    }
    g_free(data);
    g_free(file);
    return doc;
}
