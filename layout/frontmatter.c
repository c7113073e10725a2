/* gongwen: the front matter of a report: "---", key: value lines, "---" (see source-imp.h). */
#include "source-imp.h"

#include "figure.h"
#include "profile.h"
#include "roles.h"
#include "tablefile.h"

#include <string.h>

static const char *const front_keys[N_KEYS] = {
    "title", "issuer", "date",   "subject",    "keywords", "sealed",  "copy",
    "secrecy", "urgency", "organ", "number", "signer", "to", "letterhead", "cc",
    "printer", "printed", "seal", "profile"};


/* ---- front matter ------------------------------------------------------------------------ */

static gboolean
set_front_date(Parser *p, const char *value, int line, int col)
{
    int y = 0, m = 0, d = 0;
    DateForm form = DATE_PLAIN;
    if (!parse_iso_date(value, &y, &m, &d) && !parse_chinese_date(value, &y, &m, &d, &form))
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
static gboolean set_doc_number_packed(Parser *p, const char *value, int line, int col);

/* The 发文字号 with the spaces that copying out of a PDF leaves in it (武政〔2005〕32 号)
 * taken out, with a warning at the first. */
static gboolean
set_doc_number(Parser *p, const char *value, int line, int col)
{
    GString *packed = g_string_new(NULL);
    int first = 0;
    for (const char *q = value; *q != '\0';) {
        size_t n = space_len(q);
        if (n > 0 && first == 0)
            first = col + (int)g_utf8_strlen(value, q - value);
        if (n > 0)
            q += n;
        else
            g_string_append_c(packed, *q++);
    }
    if (first > 0)
        doc_warn(p->doc, loc_at(p, line, first),
                 "a space in the 发文字号 \"%s\"; it is set without: %s", value, packed->str);
    gboolean ok = set_doc_number_packed(p, packed->str, line, col);
    g_string_free(packed, TRUE);
    return ok;
}

static gboolean
set_doc_number_packed(Parser *p, const char *value, int line, int col)
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

/* One of `allowed`, exactly. */
static gboolean
set_one_of(Parser *p, const char **slot, const char *value, const char *const *allowed,
           size_t n, const char *what, int line, int col)
{
    for (size_t i = 0; i < n; i++) {
        if (g_str_equal(value, allowed[i])) {
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

/* 密级和保密期限 (GB/T 9704 7.2.2): 绝密, 机密 or 秘密, alone or with ★ and a period — a whole
 * number of 年 or 个月, or 长期. */
static gboolean
set_secrecy(Parser *p, const char *value, int line, int col)
{
    static const char *const levels[] = {"绝密", "机密", "秘密"};
    const char *rest = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(levels) && rest == NULL; i++)
        if (g_str_has_prefix(value, levels[i]))
            rest = value + strlen(levels[i]);
    if (rest == NULL)
        return fail(p, GONGWEN_ERROR_INPUT, line, col,
                    "密级 \"%s\" is not one of 绝密、机密、秘密", value);
    int at = col + (int)g_utf8_strlen(value, rest - value);
    if (*rest == '\0') {
        p->doc->secrecy = doc_intern(p->doc, value, -1);
        return TRUE;
    }
    if (!g_str_has_prefix(rest, "★"))
        return fail(p, GONGWEN_ERROR_INPUT, line, at,
                    "after the 密级 write ★ and the 保密期限 (秘密★1年), or nothing: \"%s\"", rest);
    const char *period = rest + strlen("★");
    const char *q = period;
    while (g_ascii_isdigit(*q))
        q++;
    gboolean ok = g_str_equal(period, "长期") ||
                  (q > period && *period != '0' && q - period <= 3 &&
                   (g_str_equal(q, "年") || g_str_equal(q, "个月")));
    if (!ok)
        return fail(p, GONGWEN_ERROR_INPUT, line, at + 1,
                    "保密期限 \"%s\" is not a period: write a whole number of 年 or 个月 (秘密★1年, "
                    "机密★6个月) or 长期", period);
    p->doc->secrecy = doc_intern(p->doc, value, -1);
    return TRUE;
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
    char *dir = g_path_get_dirname(p->doc->path);
    Profile *profile = profile_load_in(dir, full, p->error); /* checked again as it is read */
    g_free(dir);
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
        return set_secrecy(p, value, line, col);
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
        DateForm form = DATE_PLAIN;
        char *v = g_str_has_suffix(value, "印发")
                      ? g_strndup(value, strlen(value) - strlen("印发"))
                      : g_strdup(value);
        gboolean ok = (parse_iso_date(v, &y, &m, &d) || parse_chinese_date(v, &y, &m, &d, &form)) &&
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

gboolean
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
        /* a line starting with # is a comment (templates explain the keys so) */
        if (src->len > 0 && src->text[0] != '#' && !parse_front_line(p, src))
            return FALSE;
    }
    p->body_start = close + 1;
    return TRUE;
}
