/* gongwen: the lines between the title and the text of a speech or report, and lines set
 * apart (see source-imp.h).
 *
 * Under the title of a speech or a 政府工作报告 come, before the text, a subtitle
 * (“——2018年3月5日在第十三届全国人民代表大会第一次会议上”, or a date in brackets), the
 * author (“国务院总理　李克强”) and a salutation (“各位代表：”). They are recognised only there
 * — in the opening: right after the title, or after other such lines — and only in shapes a
 * paragraph of text does not take; anything else is left a paragraph (a line missed costs a
 * directive, a paragraph taken for a subtitle costs a wrong document). `@subtitle` and
 * `@author` set the lines the rules miss; `@right` sets a line flush right (a form's
 * “（盖章）”, “年　月　日”).
 */
#include "source-imp.h"

#include <string.h>

/* The longest line taken for a subtitle, an author line or a salutation, in characters. */
#define SUBTITLE_MAX_CHARS 60
#define AUTHOR_MAX_CHARS 40
#define SALUTATION_MAX_CHARS 40
/* @right: the characters left blank at the right, at most. */
#define RIGHT_MAX_SPACE 4

static gboolean
is_han_char(gunichar c)
{
    return g_unichar_iswide(c) && !g_unichar_ispunct(c) && !g_unichar_isspace(c);
}

/* Whether the blocks so far are the title and lines of the opening only (nothing, or
 * subtitles and author lines, after the title). */
static gboolean
in_opening(const Parser *p)
{
    const Doc *doc = p->doc;
    if (p->in_attachment || doc->n_blocks == 0 || doc->blocks[0].kind != DOC_BLOCK_TITLE)
        return FALSE;
    for (size_t i = 1; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind != DOC_BLOCK_SUBTITLE && doc->blocks[i].kind != DOC_BLOCK_AUTHOR)
            return FALSE;
    return TRUE;
}

/* Bytes of a 破折号 at `s`: —— (two U+2014), ―― (two U+2015) or ⸺ (U+2E3A); else 0. */
static size_t
dash_len(const char *s)
{
    if (g_str_has_prefix(s, "——") || g_str_has_prefix(s, "――"))
        return 6;
    if (g_str_has_prefix(s, "⸺"))
        return 3;
    return 0;
}

/* A subtitle: a 破折号 and a phrase (“——在全省工作会议上的讲话”, “——2018年3月5日在……会议上”)
 * with no sentence in it: no 。！？；：, not ending in a mark but a closing bracket or quote.
 * A paragraph that opens with a dash (“——经济运行保持在合理区间。……”) has its sentence. */
static gboolean
is_dash_subtitle(const char *text)
{
    size_t dash = dash_len(text);
    if (dash == 0 || dash_len(text + dash) > 0)
        return FALSE;
    const char *rest = text + dash;
    long n = g_utf8_strlen(rest, -1);
    if (n < 2 || g_utf8_strlen(text, -1) > SUBTITLE_MAX_CHARS)
        return FALSE;
    static const char *const stops[] = {"。", "！", "？", "；", "：", "!", "?", ";", ":"};
    for (size_t i = 0; i < G_N_ELEMENTS(stops); i++)
        if (strstr(rest, stops[i]) != NULL)
            return FALSE;
    gunichar last = g_utf8_get_char(g_utf8_find_prev_char(rest, rest + strlen(rest)));
    return !g_unichar_ispunct(last) || g_utf8_strchr("）》”’〕】", -1, last) != NULL;
}

/* Whether the `len` bytes at `text` are a date, written in any of the ways
 * parse_chinese_date reads. */
static gboolean
is_date_text(const char *text, size_t len)
{
    char *date = g_strndup(text, len);
    int year, month, day;
    DateForm form;
    gboolean ok = parse_chinese_date(date, &year, &month, &day, &form);
    g_free(date);
    return ok;
}

/* A date in brackets, the time of a speech under its title: “（2024年3月12日）”. */
static gboolean
is_date_subtitle(const char *text)
{
    const char *open = g_str_has_prefix(text, "（") ? text + 3 : *text == '(' ? text + 1 : NULL;
    if (open == NULL)
        return FALSE;
    size_t len = strlen(open);
    size_t close = g_str_has_suffix(open, "）") ? 3 : g_str_has_suffix(open, ")") ? 1 : 0;
    if (close == 0)
        return FALSE;
    return is_date_text(open, len - close);
}

/* The words an office ends with (国务院总理, 市委副书记、市长, 主任委员, 研究员). */
static gboolean
is_office(const char *office)
{
    static const char *const ends[] = {"长", "总理", "主席", "书记", "主任", "委员", "常委",
                                       "员", "经理", "总裁", "总监", "主委", "教授", "院士"};
    long n = g_utf8_strlen(office, -1);
    if (n < 2)
        return FALSE;
    for (const char *s = office; *s != '\0'; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (!is_han_char(c) && c != 0x3001 /* 、 */)
            return FALSE;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(ends); i++)
        if (g_str_has_suffix(office, ends[i]))
            return TRUE;
    return FALSE;
}

/* A person's name: two to four Han characters, or Han names joined by a middle dot
 * (买买提·艾力), at most ten characters. */
static gboolean
is_person_name(const char *name)
{
    long n = g_utf8_strlen(name, -1), han = 0, dots = 0;
    for (const char *s = name; *s != '\0'; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (is_han_char(c))
            han++;
        else if ((c == 0x00B7 || c == 0x2022 || c == 0x30FB) && s != name &&
                 *g_utf8_next_char(s) != '\0')
            dots++;
        else
            return FALSE;
    }
    return dots == 0 ? han >= 2 && han <= 4 : dots <= 2 && n <= 10;
}

/* The text with each run of white space between two words made one full-width space (the
 * gap between an office and a name, 国务院总理　李克强), owned; NULL when it has no such gap. */
static char *
join_with_space(const char *text, size_t *gaps)
{
    GString *out = g_string_new(NULL);
    *gaps = 0;
    for (const char *s = text; *s != '\0';) {
        size_t n = space_len(s);
        if (n == 0) {
            const char *next = g_utf8_next_char(s);
            g_string_append_len(out, s, next - s);
            s = next;
            continue;
        }
        s = skip_space(s);
        if (*s != '\0' && out->len > 0) {
            g_string_append(out, "\u3000");
            (*gaps)++;
        }
    }
    return g_string_free(out, FALSE);
}

/* An author line: an office and a person's name apart (国务院总理 李克强, 国务院总理　李克强),
 * short and with no mark but 、 in the office. Returns the line as printed (the gap one
 * full-width space), owned, or NULL. */
static char *
author_text(const char *text)
{
    if (g_utf8_strlen(text, -1) > AUTHOR_MAX_CHARS)
        return NULL;
    size_t gaps = 0;
    char *joined = join_with_space(text, &gaps);
    const char *gap = strstr(joined, "\u3000");
    gboolean ok = gaps == 1 && gap != NULL;
    if (ok) {
        char *office = g_strndup(joined, (size_t)(gap - joined));
        ok = is_office(office) && is_person_name(gap + 3);
        g_free(office);
    }
    if (!ok) {
        g_free(joined);
        return NULL;
    }
    return joined;
}

/* A salutation after the subtitle or author: a short line addressing the audience and
 * ending in its one colon (各位代表：, 同志们：, 各位领导、各位来宾：), with no sentence
 * and nothing of the speaker's (我, 下面, 如下, 以下: “下面，我讲几点意见：” is text). */
static gboolean
is_salutation_text(const char *text)
{
    if (!g_str_has_suffix(text, "：") || g_utf8_strlen(text, -1) > SALUTATION_MAX_CHARS)
        return FALSE;
    if (strstr(text, "：") != text + strlen(text) - strlen("："))
        return FALSE;
    static const char *const never[] = {"。", "！", "？", "；", "我", "下面", "如下", "以下"};
    for (size_t i = 0; i < G_N_ELEMENTS(never); i++)
        if (strstr(text, never[i]) != NULL)
            return FALSE;
    return TRUE;
}

/* Whether `text` has none of the marks a sentence has (。！？；：). */
static gboolean
is_phrase(const char *text)
{
    static const char *const stops[] = {"。", "！", "？", "；", "：", "!", "?", ";", ":"};
    for (size_t i = 0; i < G_N_ELEMENTS(stops); i++)
        if (strstr(text, stops[i]) != NULL)
            return FALSE;
    return TRUE;
}

/* Whether a phrase ends as the occasion of a speech does: …会议上, …上的讲话, …的报告. */
static gboolean
ends_occasion(const char *text)
{
    static const char *const ends[] = {"上", "讲话", "发言", "报告", "致辞", "）", ")"};
    for (size_t i = 0; i < G_N_ELEMENTS(ends); i++)
        if (g_str_has_suffix(text, ends[i]))
            return TRUE;
    return FALSE;
}

/* A subtitle without its 破折号, right under the title: the date and the occasion
 * (“2019年3月2日在浮山县第十六届人民代表大会第四次会议上”). */
static gboolean
is_dated_occasion(const char *text)
{
    const char *day = strstr(text, "日");
    if (day == NULL || g_utf8_strlen(text, -1) > SUBTITLE_MAX_CHARS || !is_phrase(text) ||
        !g_str_has_prefix(day + strlen("日"), "在") || !ends_occasion(text))
        return FALSE;
    return is_date_text(text, (size_t)(day + strlen("日") - text));
}

/* The rest of a subtitle broken over two lines, as it is printed under a long title
 * (“——2021年2月2日在潮州市第十五届” / “人民代表大会第七次会议上”): a phrase that ends the
 * occasion, after a subtitle that does not. */
static gboolean
continues_subtitle(const DocBlock *last, const char *text)
{
    return last->kind == DOC_BLOCK_SUBTITLE && !ends_occasion(last->text) && is_phrase(text) &&
           ends_occasion(text) &&
           g_utf8_strlen(last->text, -1) + g_utf8_strlen(text, -1) <= SUBTITLE_MAX_CHARS;
}

/* An author line written without the gap (潮州市市长何晓军): an office and a name of two
 * to four characters, split in exactly one way. Owned, the line as written, or NULL. */
static char *
author_unspaced(const char *text)
{
    long n = g_utf8_strlen(text, -1);
    if (n > AUTHOR_MAX_CHARS || n < 4)
        return NULL;
    int splits = 0;
    for (long name = 2; name <= 4 && name < n; name++) {
        const char *at = g_utf8_offset_to_pointer(text, n - name);
        char *office = g_strndup(text, (size_t)(at - text));
        splits += is_office(office) && is_person_name(at);
        g_free(office);
    }
    return splits == 1 ? g_strdup(text) : NULL;
}

/* A name standing alone under the subtitle, the speaker (栗俊昌, 栗 俊 昌): set with
 * full-width spaces where it was spaced. Owned, or NULL. */
static char *
author_name_alone(const char *text)
{
    size_t gaps = 0;
    char *joined = join_with_space(text, &gaps);
    GString *bare = g_string_new(NULL);
    for (const char *s = joined; *s != '\0'; s = g_utf8_next_char(s))
        if (!g_str_has_prefix(s, "\u3000"))
            g_string_append_len(bare, s, g_utf8_next_char(s) - s);
    gboolean ok = is_person_name(bare->str) &&
                  (gaps == 0 || gaps + 1 == (size_t)g_utf8_strlen(bare->str, -1));
    g_string_free(bare, TRUE);
    if (!ok) {
        g_free(joined);
        return NULL;
    }
    return joined;
}

gboolean
parse_opening_line(Parser *p, const SrcLine *src)
{
    if (!in_opening(p))
        return FALSE;
    const char *text = src->text;
    DocLoc loc = loc_at(p, src->line, src->col);
    DocBlock *last = &p->doc->blocks[p->doc->n_blocks - 1];
    if (is_dash_subtitle(text) || is_date_subtitle(text) ||
        (p->doc->n_blocks == 1 && is_dated_occasion(text))) {
        add_text_block(p, DOC_BLOCK_SUBTITLE, text, loc);
        return TRUE;
    }
    if (continues_subtitle(last, text)) {
        char *joined = g_strconcat(last->text, text, NULL);
        last->text = doc_intern(p->doc, joined, -1);
        g_free(joined);
        return TRUE;
    }
    char *author = author_text(text);
    if (author == NULL)
        author = author_unspaced(text);
    if (author == NULL && last->kind == DOC_BLOCK_SUBTITLE)
        author = author_name_alone(text);
    if (author != NULL) {
        add_text_block(p, DOC_BLOCK_AUTHOR, author, loc);
        g_free(author);
        return TRUE;
    }
    if (p->doc->n_blocks > 1 && is_salutation_text(text)) {
        add_text_block(p, DOC_BLOCK_SALUTATION, text, loc);
        return TRUE;
    }
    return FALSE;
}

/* ---- @subtitle, @author, @right ---------------------------------------------------------- */

/* The text after a directive's name: past the ASCII spaces after it, or past the one
 * full-width space that stands for them, so that full-width spaces meant as blank room
 * (“@right 　　年　　月　　日”) are kept. */
static const char *
directive_text(const SrcLine *src, size_t name_len)
{
    const char *s = src->text + 1 + name_len;
    if (*s == ' ' || *s == '\t') {
        while (*s == ' ' || *s == '\t')
            s++;
        return s;
    }
    return g_str_has_prefix(s, "\u3000") ? s + 3 : s;
}

/* `@rightN`: N, the characters left blank at the right (`@right` 1); -1 when `name` is not
 * a @right directive. */
static int
right_space(const char *name)
{
    if (!g_str_has_prefix(name, "right"))
        return -1;
    const char *n = name + strlen("right");
    if (*n == '\0')
        return 1;
    if (g_ascii_isdigit(n[0]) && n[1] == '\0')
        return n[0] - '0';
    return -1;
}

/* `@heading` (level 1) or `@heading1`…`@heading4`: the level; 0 when `name` is not one. */
static int
heading_level(const char *name)
{
    if (!g_str_has_prefix(name, "heading"))
        return 0;
    const char *n = name + strlen("heading");
    if (*n == '\0')
        return 1;
    return n[0] >= '1' && n[0] <= '4' && n[1] == '\0' ? n[0] - '0' : 0;
}

gboolean
is_line_directive(const char *name)
{
    return g_str_equal(name, "subtitle") || g_str_equal(name, "author") ||
           right_space(name) >= 0 || heading_level(name) > 0;
}

/* An unnumbered heading (“十三五”时期的工作回顾): set as a heading of its level; the
 * numbering of its level and those below starts again after it. */
static void
add_unnumbered_heading(Parser *p, const char *text, DocLoc loc, int level)
{
    DocBlock *block = add_text_block(p, DOC_BLOCK_HEADING, text, loc);
    block->level = level;
    block->number = doc_intern(p->doc, "", 0);
    block->head_len = strlen(block->text);
    for (int l = level; l <= 4; l++)
        p->last[l].value = 0;
}

gboolean
add_line_directive(Parser *p, const SrcLine *src, const char *name)
{
    const char *text = directive_text(src, strlen(name));
    DocLoc loc = loc_at(p, src->line, src->col);
    int space = right_space(name);
    if (*skip_space(text) == '\0')
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col, "@%s needs its text: %s", name,
                    g_str_equal(name, "subtitle") ? "@subtitle ——在全市工作会议上的讲话"
                    : g_str_equal(name, "author") ? "@author 市长　张某某"
                    : heading_level(name) > 0     ? "@heading “十三五”时期的工作回顾"
                                                  : "@right （盖章）");
    if (space > RIGHT_MAX_SPACE)
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "@%s: a line is set flush right with 0 to %d characters blank at the right "
                    "(@right 右空一字, @right2 右空二字, @right0 to @right%d)",
                    name, RIGHT_MAX_SPACE, RIGHT_MAX_SPACE);
    if (space >= 0) {
        add_text_block(p, DOC_BLOCK_RIGHT, text, loc)->level = space;
        return TRUE;
    }
    if (heading_level(name) > 0) {
        add_unnumbered_heading(p, text, loc, heading_level(name));
        return TRUE;
    }
    if (g_str_equal(name, "author")) {
        size_t gaps = 0;
        char *joined = join_with_space(text, &gaps);
        add_text_block(p, DOC_BLOCK_AUTHOR, joined, loc);
        g_free(joined);
        return TRUE;
    }
    add_text_block(p, DOC_BLOCK_SUBTITLE, text, loc);
    return TRUE;
}
