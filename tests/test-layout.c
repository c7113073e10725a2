/* Tests of layout/para.c (line breaking on the grid) and layout/page.c (pagination). */
#include "chart.h"
#include "page.h"
#include "report.h"
#include "para.h"
#include "source.h"
#include "tap.h"

#include <math.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>

static Fonts *fonts;

static const char han[] = "政务公开工作信息报送门户网站建设统筹推进决策执行管理服务结果";

/* `n` Han characters cycling through `han`. */
static char *
han_text(size_t n)
{
    GString *s = g_string_new(NULL);
    const char *p = han;
    for (size_t i = 0; i < n; i++) {
        if (*p == '\0')
            p = han;
        const char *next = g_utf8_next_char(p);
        g_string_append_len(s, p, next - p);
        p = next;
    }
    return g_string_free(s, FALSE);
}

static ParaLines *
break_body(const char *text, ParaAlign align)
{
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = spec.body_role = FONT_ROLE_BODY;
    spec.size = PAGE_SIZE_BODY;
    spec.width = PAGE_AREA_WIDTH;
    spec.first_indent = 2 * PAGE_CELL;
    spec.cell = PAGE_CELL;
    spec.latin_gap = TRUE;
    spec.align = align;
    spec.origin_file = "test";
    spec.origin_line = 1;
    spec.origin_col = 1;
    GError *error = NULL;
    ParaLines *lines = para_break_lines(fonts, &spec, &error);
    if (lines == NULL) {
        tap_diag("%s", error->message);
        g_error_free(error);
    }
    return lines;
}

static char *
line_text(const ParaLines *lines, size_t n)
{
    const ParaLine *line = para_lines_get(lines, n);
    return g_strndup(lines->text + line->start, line->end - line->start);
}

static long
line_chars(const ParaLines *lines, size_t n)
{
    const ParaLine *line = para_lines_get(lines, n);
    return g_utf8_strlen(lines->text + line->start, (gssize)(line->end - line->start));
}

static void
test_grid(void)
{
    char *text = han_text(60);
    ParaLines *lines = break_body(text, PARA_ALIGN_JUSTIFY);
    tap_ok(lines != NULL && para_lines_count(lines) == 3, "60 Han characters make 3 lines");
    if (lines != NULL && para_lines_count(lines) == 3) {
        tap_ok(line_chars(lines, 0) == 26 && line_chars(lines, 1) == 28 &&
                   line_chars(lines, 2) == 6,
               "26 + 28 + 6 characters (first line indented two cells)");
        tap_ok(para_lines_get(lines, 0)->x == 2 * PAGE_CELL, "first-line indent is 2 cells");
        tap_ok(ABS(para_lines_get(lines, 1)->width - 28 * PAGE_CELL) <= 2,
               "a full line is exactly 28 cells (%d, want %d)", para_lines_get(lines, 1)->width,
               28 * PAGE_CELL);
        const ParaRun *run = para_lines_run(lines, para_lines_get(lines, 2)->first_run);
        tap_ok(run->glyph_item.glyphs->glyphs[0].geometry.width == PAGE_CELL,
               "a Han character advances one cell (%d, want %d)",
               run->glyph_item.glyphs->glyphs[0].geometry.width, PAGE_CELL);
    }
    para_lines_free(lines);
    g_free(text);
}

/* Break "prefix(n Han) + middle + tail(m Han)" and return the lines. */
static ParaLines *
break_around(size_t n, const char *middle, size_t m)
{
    char *a = han_text(n), *b = han_text(m);
    char *text = g_strconcat(a, middle, b, NULL);
    ParaLines *lines = break_body(text, PARA_ALIGN_JUSTIFY);
    g_free(a);
    g_free(b);
    g_free(text);
    return lines;
}

static gboolean
no_line_starts_with(const ParaLines *lines, const char *marks)
{
    for (size_t n = 1; n < para_lines_count(lines); n++) {
        gunichar c = g_utf8_get_char(lines->text + para_lines_get(lines, n)->start);
        if (g_utf8_strchr(marks, -1, c) != NULL)
            return FALSE;
    }
    return TRUE;
}

static void
test_clreq(void)
{
    ParaLines *lines = break_around(26, "，", 10);
    tap_ok(lines != NULL && line_chars(lines, 0) == 25 && no_line_starts_with(lines, "，"),
           "a comma never starts a line: the last character is pushed down");
    tap_ok(lines != NULL && para_lines_get(lines, 0)->width == PAGE_AREA_WIDTH - 2 * PAGE_CELL,
           "the shortened line is justified to the measure");
    para_lines_free(lines);

    lines = break_around(25, "《", 8);
    char *first = lines != NULL ? line_text(lines, 0) : g_strdup("");
    tap_ok(!g_str_has_suffix(first, "《"), "an opening bracket never ends a line (%s)", first);
    g_free(first);
    para_lines_free(lines);

    lines = break_around(25, "——", 5);
    gboolean split = FALSE;
    for (size_t n = 0; lines != NULL && n < para_lines_count(lines); n++) {
        char *t = line_text(lines, n);
        split |= g_str_has_suffix(t, "—") && !g_str_has_suffix(t, "——");
        g_free(t);
    }
    char *second = lines != NULL && para_lines_count(lines) > 1 ? line_text(lines, 1) : NULL;
    tap_ok(lines != NULL && !split && second != NULL && g_str_has_prefix(second, "——") &&
               line_chars(lines, 0) == 25,
           "—— is never split and may start a line (GB/T 15834): %s", second ? second : "");
    g_free(second);
    para_lines_free(lines);

    /* ―― (U+2015, as code page 936 writes the 破折号) is set and broken as —— */
    lines = break_around(25, "――", 5);
    split = FALSE;
    for (size_t n = 0; lines != NULL && n < para_lines_count(lines); n++) {
        char *t = line_text(lines, n);
        split |= g_str_has_suffix(t, "―") && !g_str_has_suffix(t, "――");
        g_free(t);
    }
    second = lines != NULL && para_lines_count(lines) > 1 ? line_text(lines, 1) : NULL;
    tap_ok(lines != NULL && !split && second != NULL && g_str_has_prefix(second, "――") &&
               line_chars(lines, 0) == 25,
           "―― (U+2015) is never split and may start a line, as ——: %s", second ? second : "");
    g_free(second);
    para_lines_free(lines);
    lines = break_body("甲――乙", PARA_ALIGN_LEFT);
    tap_ok(lines != NULL && para_lines_get(lines, 0)->width == 4 * PAGE_CELL,
           "―― takes two cells, as —— (%d, want %d)",
           lines != NULL ? para_lines_get(lines, 0)->width : -1, 4 * PAGE_CELL);
    para_lines_free(lines);

    lines = break_around(25, "“测试”", 8);
    tap_ok(lines != NULL && line_chars(lines, 0) == 25,
           "a line may break before “ (Pango glues it to the text before)");
    para_lines_free(lines);

    lines = break_around(10, "·～—", 40);
    tap_ok(lines != NULL && no_line_starts_with(lines, "·～—"),
           "·, ～ and — never start a line");
    para_lines_free(lines);
}

/* Why the fill-in blank `run` (n underscores) in `lines` is not set right, or NULL: all on
 * one line, as one rule of n cells over them, never compressed; and the line before it
 * justified or, spread over two ems, set short. */
static char *
blank_problem(const ParaLines *lines, const char *run, size_t n)
{
    size_t found = 0;
    for (size_t k = 0; k < para_lines_count(lines); k++) {
        const ParaLine *line = para_lines_get(lines, k);
        char *t = line_text(lines, k);
        const char *at = strstr(t, run);
        gboolean holds = at != NULL, piece = !holds && (strstr(t, "＿") || strstr(t, "__"));
        g_free(t);
        if (piece)
            return g_strdup_printf("line %zu holds part of the blank", k + 1);
        if (!holds)
            continue;
        found++;
        if (line->n_blanks != 1)
            return g_strdup_printf("line %zu has %zu rules", k + 1, line->n_blanks);
        const ParaBlank *blank = para_lines_blank(lines, line->first_blank);
        if (blank->width != (int)n * PAGE_CELL || blank->height <= 0 || blank->y <= 0)
            return g_strdup_printf("line %zu: the rule is %d wide (want %d), %d high at %d",
                                   k + 1, blank->width, (int)n * PAGE_CELL, blank->height,
                                   blank->y);
        if (line->squeeze != 0)
            return g_strdup_printf("line %zu is compressed", k + 1);
        const ParaLine *before = k > 0 ? para_lines_get(lines, k - 1) : NULL;
        if (before != NULL && before->stretch > 2 * PAGE_SIZE_BODY)
            return g_strdup_printf("line %zu, before the blank, is spread %.1f em", k,
                                   before->stretch / (double)PAGE_SIZE_BODY);
    }
    return found == 1 ? NULL : g_strdup_printf("%zu lines hold the whole blank", found);
}

/* A run of 20 underscores (＿, or _) at every column of the first two lines of a paragraph
 * stays whole on a line, one rule of 20 cells; a lone _ in a word is no blank. */
static void
test_blanks(void)
{
    static const char *const marks[] = {"＿", "_"};
    for (size_t m = 0; m < G_N_ELEMENTS(marks); m++) {
        GString *run = g_string_new(NULL);
        for (int k = 0; k < 20; k++)
            g_string_append(run, marks[m]);
        GString *bad = g_string_new(NULL);
        size_t tried = 0;
        for (size_t col = 0; col <= 60; col++) {
            char *before = han_text(col), *after = han_text(30);
            char *text = g_strconcat(before, run->str, after, NULL);
            ParaLines *lines = break_body(text, PARA_ALIGN_JUSTIFY);
            char *why = lines != NULL ? blank_problem(lines, run->str, 20)
                                      : g_strdup("not set");
            if (why != NULL && bad->len < 400)
                g_string_append_printf(bad, " after %zu characters: %s;", col, why);
            tried++;
            g_free(why);
            para_lines_free(lines);
            g_free(text);
            g_free(before);
            g_free(after);
        }
        tap_ok(bad->len == 0, "20 × %s after 0 to 60 characters (%zu places): never split, one "
               "rule of 20 cells%s", marks[m], tried, bad->str);
        g_string_free(bad, TRUE);
        g_string_free(run, TRUE);
    }
    ParaLines *lines = break_body("文件名为file_name.txt，见附件。", PARA_ALIGN_JUSTIFY);
    tap_ok(lines != NULL && para_lines_get(lines, 0)->n_blanks == 0,
           "a lone _ in a word is no blank");
    para_lines_free(lines);
    lines = break_body("姓名：＿＿＿＿＿＿　电话：＿＿＿＿＿＿", PARA_ALIGN_LEFT);
    tap_ok(lines != NULL && para_lines_get(lines, 0)->n_blanks == 2,
           "two blanks on a line, two rules");
    para_lines_free(lines);
}

static void
test_compression(void)
{
    /* 先挤进: 20 + ， + 5 fill the indented first line; 。 may not start the next one, so it
     * is squeezed in by compressing ， and 。 to half a cell each. */
    char *a = han_text(20), *b = han_text(5), *c = han_text(30);
    char *text = g_strconcat(a, "，", b, "。", c, NULL);
    ParaLines *lines = break_body(text, PARA_ALIGN_JUSTIFY);
    char *first = lines != NULL ? line_text(lines, 0) : g_strdup("");
    tap_ok(lines != NULL && line_chars(lines, 0) == 27 && g_str_has_suffix(first, "。") &&
               ABS(para_lines_get(lines, 0)->squeeze - PAGE_CELL) <= 4 &&
               para_lines_get(lines, 0)->width == PAGE_AREA_WIDTH - 2 * PAGE_CELL,
           "a mark that may not start a line is squeezed into the line above (%s)", first);
    g_free(first);
    para_lines_free(lines);
    g_free(text);

    lines = break_body("甲》、乙", PARA_ALIGN_LEFT);
    tap_ok(lines != NULL && para_lines_get(lines, 0)->width == 3 * PAGE_CELL + PAGE_CELL / 2,
           "》、 together take one and a half cells");
    para_lines_free(lines);
    lines = break_body("甲（“乙", PARA_ALIGN_LEFT);
    tap_ok(lines != NULL && para_lines_get(lines, 0)->width == 3 * PAGE_CELL + PAGE_CELL / 2,
           "（“ together take one and a half cells");
    para_lines_free(lines);

    /* 孤字不成行: 26 + 28 + one character would leave it alone on the last line. */
    char *d = han_text(55);
    text = g_strconcat(d, "。", NULL);
    lines = break_body(text, PARA_ALIGN_JUSTIFY);
    size_t n = lines != NULL ? para_lines_count(lines) : 0;
    tap_ok(n == 3 && line_chars(lines, 2) >= 3 && line_chars(lines, 1) == 27 &&
               para_lines_get(lines, 1)->width == PAGE_AREA_WIDTH,
           "a last line never holds a single character: one is pulled down (%ld)",
           n == 3 ? line_chars(lines, 2) : -1L);
    para_lines_free(lines);
    g_free(text);
    g_free(a);
    g_free(b);
    g_free(c);
    g_free(d);
}

static int
natural_width(const char *text)
{
    ParaLines *lines = break_body(text, PARA_ALIGN_LEFT);
    int w = lines != NULL ? para_lines_get(lines, 0)->width : -1;
    para_lines_free(lines);
    return w;
}

static void
test_latin_gap(void)
{
    int with = natural_width("时限为 2017年"), without = natural_width("时限为2017年");
    int parts = natural_width("时限为") + natural_width("2017") + natural_width("年");
    tap_ok(without == parts + 2 * (PAGE_SIZE_BODY / 4),
           "Han and digits written together are set a quarter em apart (%d, want %d)",
           without - parts, 2 * (PAGE_SIZE_BODY / 4));
    tap_ok(with == without, "a space between Han and digits is that same gap (%d vs %d)", with,
           without);
    char *a = han_text(25);
    char *text = g_strconcat(a, "2017年", NULL);
    ParaLines *lines = break_body(text, PARA_ALIGN_LEFT);
    char *first = lines != NULL ? line_text(lines, 0) : g_strdup("");
    tap_ok(lines != NULL && line_chars(lines, 0) == 25 &&
               para_lines_get(lines, 0)->width == 25 * PAGE_CELL,
           "no gap is left at a line's end (%s)", first);
    g_free(first);
    para_lines_free(lines);
    g_free(text);
    g_free(a);
}

static ParaLines *
break_title(const char *text)
{
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = spec.body_role = FONT_ROLE_TITLE;
    spec.size = PAGE_SIZE_TITLE;
    spec.width = PAGE_AREA_WIDTH;
    spec.align = PARA_ALIGN_CENTER;
    spec.balance = TRUE;
    spec.latin_gap = TRUE;
    spec.origin_file = "test";
    return para_break_lines(fonts, &spec, NULL);
}

static void
test_title_sense(void)
{
    ParaLines *lines = break_title("中华人民共和国政府信息公开工作年度报告格式");
    char *first = lines != NULL ? line_text(lines, 0) : g_strdup("");
    tap_ok(g_str_equal(first, "中华人民共和国政府信息公开"),
           "a title breaks between words and keeps 政府信息公开 whole (%s)", first);
    g_free(first);
    para_lines_free(lines);

    lines = break_title("关于印发贵州省商务厅2017年政府信息公开工作要点和《政务公开工作考核办法》的通知");
    gboolean inside = FALSE;
    for (size_t n = 0; lines != NULL && n < para_lines_count(lines); n++) {
        char *t = line_text(lines, n);
        inside |= strstr(t, "《") != NULL && strstr(t, "》") == NULL;
        g_free(t);
    }
    tap_ok(lines != NULL && !inside, "a title never splits a 《》 name");
    para_lines_free(lines);

    lines = break_title("某某市人民政府关于进一步加强和规范政府信息公开申请办理工作推进法治政府建设的实施意见");
    gboolean three = lines != NULL && para_lines_count(lines) == 3;
    tap_ok(three && !(para_lines_get(lines, 1)->width < para_lines_get(lines, 0)->width &&
                      para_lines_get(lines, 1)->width < para_lines_get(lines, 2)->width),
           "a three-line title is a trapezoid or a diamond, never an hourglass");
    para_lines_free(lines);
}

static void
test_title_balance(void)
{
    ParaSpec spec = {0};
    spec.text = "贵州省商务厅2017年度政府信息公开情况统计表";
    spec.head_role = spec.body_role = FONT_ROLE_TITLE;
    spec.size = PAGE_SIZE_TITLE;
    spec.width = PAGE_AREA_WIDTH;
    spec.align = PARA_ALIGN_CENTER;
    spec.balance = TRUE;
    spec.origin_file = "test";
    ParaLines *lines = para_break_lines(fonts, &spec, NULL);
    gboolean two = lines != NULL && para_lines_count(lines) == 2;
    tap_ok(two, "a long title wraps into two lines");
    if (two) {
        int d = para_lines_get(lines, 0)->width - para_lines_get(lines, 1)->width;
        tap_ok(ABS(d) <= 2 * PAGE_SIZE_TITLE, "the title's lines are balanced (differ by %d)", d);
        tap_ok(para_lines_get(lines, 0)->x > 0, "title lines are centred");
    }
    para_lines_free(lines);
}

/* Where ICU's word break iterator (locale zh) puts word boundaries in `text`: a flag per
 * byte offset, TRUE where a word starts. Computed here, apart from layout/para.c. */
static gboolean *
icu_boundaries(const char *text)
{
    size_t len = strlen(text);
    gboolean *at = g_new0(gboolean, len + 1);
    glong n16 = 0;
    gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n16, NULL);
    size_t *byte_of = g_new0(size_t, (gsize)n16 + 1);
    glong k = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        byte_of[k++] = (size_t)(p - text);
        if (g_utf8_get_char(p) > 0xFFFF)
            byte_of[k++] = (size_t)(p - text);
    }
    byte_of[n16] = len;
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_WORD, "zh", u, (int32_t)n16, &status);
    if (U_SUCCESS(status)) {
        for (int32_t b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it))
            at[byte_of[b]] = TRUE;
    } else {
        tap_diag("ubrk_open: %s", u_errorName(status));
    }
    ubrk_close(it);
    g_free(byte_of);
    g_free(u);
    return at;
}

static gboolean
is_numeral_char(gunichar c)
{
    return g_unichar_isdigit(c) ||
           (c > 0x7F && g_utf8_strchr("〇零一二三四五六七八九十百千万亿两", -1, c) != NULL);
}

/* A break between `before` and `after` splits a number, or a number from its unit. */
static gboolean
splits_number(gunichar before, gunichar after)
{
    if (g_unichar_isdigit(before) && !g_unichar_ispunct(after) && !g_unichar_isspace(after))
        return TRUE;
    return is_numeral_char(before) &&
           (is_numeral_char(after) ||
            g_utf8_strchr("年月日号届次期批个项件条款章节类种名位元万亿倍份", -1, after) != NULL);
}

/* What is wrong with the line breaks of `lines` (set from `text`), "" when nothing: a break
 * off ICU's word boundaries or inside a number or between a number and its unit, or a line
 * holding a lone character. `shown` gets the lines, " / " between them. */
static char *
break_problems(const char *text, const ParaLines *lines, GString *shown)
{
    gboolean *word = icu_boundaries(text);
    GString *why = g_string_new(NULL);
    for (size_t n = 0; n < para_lines_count(lines); n++) {
        const ParaLine *line = para_lines_get(lines, n);
        g_string_append_printf(shown, "%s%.*s", n > 0 ? " / " : "",
                               (int)(line->end - line->start), lines->text + line->start);
        size_t letters = 0;
        for (const char *p = lines->text + line->start; p < lines->text + line->end;
             p = g_utf8_next_char(p))
            letters += !g_unichar_ispunct(g_utf8_get_char(p));
        if (letters < 2)
            g_string_append_printf(why, " line %zu holds a lone character;", n + 1);
        if (n == 0)
            continue;
        if (!word[line->start])
            g_string_append_printf(why, " line %zu starts inside a word;", n + 1);
        gunichar before = g_utf8_get_char(g_utf8_prev_char(lines->text + line->start));
        gunichar after = g_utf8_get_char(lines->text + line->start);
        if (splits_number(before, after))
            g_string_append_printf(why, " line %zu splits a number;", n + 1);
    }
    g_free(word);
    return g_string_free(why, FALSE);
}

/* Real titles (tests/fixtures/titles/titles.txt), each set as a document's title (二号 小标宋
 * on the 156 mm measure): every line break falls on one of ICU's word boundaries, never
 * inside a number or between a number and its unit, and no line holds a lone character. */
static void
test_title_fixture(void)
{
    char *path = g_build_filename(tap_srcdir(), "tests", "fixtures", "titles", "titles.txt", NULL);
    char *all = NULL;
    GError *error = NULL;
    if (!g_file_get_contents(path, &all, NULL, &error)) {
        tap_ok(FALSE, "read %s: %s", path, error->message);
        g_error_free(error);
        g_free(path);
        return;
    }
    char **rows = g_strsplit(all, "\n", -1);
    size_t titles = 0;
    for (char **row = rows; *row != NULL; row++) {
        if (**row == '\0' || **row == '#')
            continue;
        titles++;
        ParaLines *lines = break_title(*row);
        GString *shown = g_string_new(NULL);
        char *why = lines != NULL ? break_problems(*row, lines, shown) : g_strdup(" no lines");
        tap_ok(*why == '\0', "title %zu breaks between words: %s%s", titles, shown->str, why);
        g_free(why);
        g_string_free(shown, TRUE);
        para_lines_free(lines);
    }
    tap_ok(titles >= 20, "the title fixture holds at least 20 titles (%zu)", titles);
    g_strfreev(rows);
    g_free(all);
    g_free(path);
}

/* Table heads break between words too (spec.words, as layout/table.c sets it): their
 * narrowest width is their widest word, and a column that narrow breaks them between
 * words. */
static void
test_table_head_words(void)
{
    static const struct {
        const char *text;
        int widest; /* characters in the widest word (a figure counts half) */
    } heads[] = {
        {"对外公开总数量", 2},
        {"中华人民共和国政府信息公开条例", 3}, /* 共和国 */
        {"2023年度统计数量", 4},               /* 2023年度 */
        {"第十三届会议决定数量", 4},           /* 第十三届 */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(heads); i++) {
        ParaSpec spec = {0};
        spec.text = heads[i].text;
        spec.head_role = spec.body_role = FONT_ROLE_HEADING1;
        spec.size = spec.cell = 14 * PANGO_SCALE;
        spec.latin_gap = TRUE;
        spec.no_lone = TRUE;
        spec.align = PARA_ALIGN_CENTER;
        spec.words = TRUE;
        spec.origin_file = "test";
        ParaFit *fit = para_fit_new(fonts, &spec, NULL);
        int min = 0, natural = 0;
        if (fit != NULL)
            para_fit_widths(fit, &min, &natural);
        para_fit_free(fit);
        int want = heads[i].widest * spec.size;
        tap_ok(fit != NULL && min >= want - spec.size / 2 && min <= want + spec.size / 2,
               "a table head's narrowest width is its widest word: %s (%.1f ems, want %d)",
               heads[i].text, min / (double)spec.size, heads[i].widest);
        spec.width = MAX(min, 3 * spec.size); /* as narrow as its widest word allows */
        spec.balance = TRUE;
        ParaLines *lines = para_break_lines(fonts, &spec, NULL);
        GString *shown = g_string_new(NULL);
        char *why = lines != NULL ? break_problems(heads[i].text, lines, shown)
                                  : g_strdup(" no lines");
        tap_ok(*why == '\0', "a table head in a narrow column breaks between words: %s%s",
               shown->str, why);
        g_free(why);
        g_string_free(shown, TRUE);
        para_lines_free(lines);
    }
}

/* ---- pagination ---- */

static Doc *
parse(const char *text)
{
    GError *error = NULL;
    Doc *doc = source_parse("gen.txt", text, strlen(text), &error);
    if (doc == NULL) {
        tap_diag("%s", error->message);
        g_error_free(error);
    }
    return doc;
}

/* Lines (distinct baselines) of `block` on `page`. */
static int
block_lines_on_page(const Page *page, size_t block)
{
    int n = 0, y = -1;
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        if (item->block == block && item->y != y) {
            n++;
            y = item->y;
        }
    }
    return n;
}

/* No paragraph leaves a single line at the foot or head of a page. */
static gboolean
no_widows_or_orphans(const Doc *doc, const Pages *pages, GString *why)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        int parts = 0, single = 0;
        for (size_t p = 0; p < pages_count(pages); p++) {
            int n = block_lines_on_page(pages_get(pages, p), b);
            parts += n > 0;
            single += n == 1;
        }
        if (parts > 1 && single > 0) {
            g_string_append_printf(why, "block %zu (line %d) leaves one line alone", b,
                                   doc->blocks[b].loc.line);
            return FALSE;
        }
    }
    return TRUE;
}

/* The last text item of every page is never a whole-line heading. */
static gboolean
no_heading_at_foot(const Doc *doc, const Pages *pages)
{
    for (size_t p = 0; p + 1 < pages_count(pages); p++) {
        const Page *page = pages_get(pages, p);
        size_t last = SIZE_MAX;
        for (guint k = 0; k < page->items->len; k++) {
            size_t b = g_array_index(page->items, PageItem, k).block;
            if (b != SIZE_MAX)
                last = b;
        }
        if (last == SIZE_MAX)
            continue;
        const DocBlock *block = &doc->blocks[last];
        if (block->kind == DOC_BLOCK_HEADING && block->head_len >= strlen(block->text))
            return FALSE;
    }
    return TRUE;
}

static void
test_flagship(void)
{
    char *path = g_build_filename(tap_srcdir(), "reports", "guizhou-commerce-2017", NULL);
    GError *error = NULL;
    Report report;
    ReportOptions ro = {.shared_fonts = fonts, .lay_out = TRUE};
    gboolean ok = report_load(&report, path, &ro, &error);
    g_free(path);
    if (!ok) {
        tap_ok(FALSE, "the flagship lays out: %s", error->message);
        g_error_free(error);
        report_clear(&report);
        return;
    }
    const Doc *doc = report.doc;
    const Pages *pages = report.pages;
    size_t level1 = 0;
    for (guint k = 0; k < pages->outline->len; k++)
        level1 += g_array_index(pages->outline, PageOutline, k).level == 1;
    tap_ok(level1 == 6, "six level-1 outline entries (%zu)", level1);
    gboolean numbers = TRUE;
    for (size_t p = 0; p < pages_count(pages); p++)
        numbers &= pages_get(pages, p)->number == (int)p + 1 && pages_get(pages, p)->numbered;
    tap_ok(numbers, "pages are numbered 1..%zu", pages_count(pages));
    /* The page whose first item is the attachment's, and no attachment item before it. */
    size_t at = SIZE_MAX;
    for (size_t p = 0; p < pages_count(pages) && at == SIZE_MAX; p++) {
        const Page *page = pages_get(pages, p);
        for (guint k = 0; k < page->items->len && at == SIZE_MAX; k++) {
            size_t b = g_array_index(page->items, PageItem, k).block;
            if (b != SIZE_MAX && doc->blocks[b].kind == DOC_BLOCK_ATTACHMENT)
                at = k == 0 ? p : SIZE_MAX - 1;
        }
    }
    const PageItem *first_item =
        at < pages_count(pages) ? &g_array_index(pages_get(pages, at)->items, PageItem, 0) : NULL;
    tap_ok(first_item != NULL && first_item->y < PAGE_AREA_TOP + PAGE_PITCH,
           "the attachment starts on a new page, on its first line");
    GString *why = g_string_new(NULL);
    tap_ok(no_widows_or_orphans(doc, pages, why), "no widows or orphans %s", why->str);
    g_string_free(why, TRUE);
    tap_ok(no_heading_at_foot(doc, pages), "no heading ends a page");
    char *dump = pages_dump(pages);
    char *expected = g_build_filename(tap_srcdir(), "tests", "expected", "pages",
                                      "guizhou-commerce-2017.dump", NULL);
    tap_compare_file(dump, expected, "flagship pages dump");
    g_free(expected);
    g_free(dump);
    report_clear(&report);
}

/* A document of `k` paragraphs of varied length (the last one a single short line when
 * `short_end`), and a closing date when `date`. */
static char *
generated_doc(int k, gboolean date, gboolean short_end)
{
    GString *s = g_string_new("---\nissuer: 某某单位\n---\n测试文件标题\n");
    for (int i = 0; i < k; i++) {
        char *p = han_text((size_t)(20 + (i * 37) % 130));
        g_string_append_printf(s, "%s。\n", p);
        g_free(p);
        if (i % 7 == 3 && i + 1 < k)
            g_string_append_printf(s, "%s、小标题\n", i % 2 ? "二" : "一");
    }
    if (short_end)
        g_string_append(s, "以上为本年度工作情况。\n");
    if (date)
        g_string_append(s, "\n2018年2月22日\n");
    return g_string_free(s, FALSE);
}

/* The row of the last body line on the last page. */
static int
last_row(const Pages *pages)
{
    const Page *page = pages_get(pages, pages_count(pages) - 1);
    int y = 0;
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        if (item->block != SIZE_MAX && item->y > y)
            y = item->y;
    }
    return (y - PAGE_AREA_TOP) / PAGE_PITCH;
}

/* Body lines (paragraphs and headings) on the page that holds the date. */
static int
body_lines_with_date(const Doc *doc, const Pages *pages)
{
    for (size_t p = 0; p < pages_count(pages); p++) {
        const Page *page = pages_get(pages, p);
        gboolean has_date = FALSE;
        int body = 0;
        for (size_t b = 0; b < doc->n_blocks; b++) {
            int n = block_lines_on_page(page, b);
            has_date |= n > 0 && doc->blocks[b].kind == DOC_BLOCK_DATE;
            if (doc->blocks[b].kind == DOC_BLOCK_PARAGRAPH ||
                doc->blocks[b].kind == DOC_BLOCK_HEADING)
                body += n;
        }
        if (has_date)
            return body;
    }
    return -1;
}

static void
test_pagination_generated(void)
{
    int exact = 0, alone = 0, faults = 0;
    for (int n = 1; n <= 120; n++) {
        int k = (n + 1) / 2;
        gboolean short_end = n % 2 == 0;
        char *plain = generated_doc(k, FALSE, short_end);
        char *dated = generated_doc(k, TRUE, short_end);
        Doc *d1 = parse(plain), *d2 = parse(dated);
        Pages *p1 = d1 ? page_layout(d1, fonts, NULL) : NULL;
        Pages *p2 = d2 ? page_layout(d2, fonts, NULL) : NULL;
        if (p1 != NULL && p2 != NULL) {
            exact += last_row(p1) == PAGE_LINES - 1 && pages_count(p1) > 1;
            if (body_lines_with_date(d2, p2) < 2 && k > 1) {
                alone++;
                char *dump = pages_dump(p2);
                tap_diag("k=%d: the date page has %d body lines; %s", k,
                         body_lines_with_date(d2, p2), strstr(dump, "page ") ? dump : "");
                g_free(dump);
            }
            GString *why = g_string_new(NULL);
            if (!no_widows_or_orphans(d2, p2, why) || !no_heading_at_foot(d2, p2)) {
                faults++;
                tap_diag("k=%d: %s", k, why->str);
            }
            g_string_free(why, TRUE);
        } else {
            faults++;
        }
        pages_free(p1);
        pages_free(p2);
        doc_free(d1);
        doc_free(d2);
        g_free(plain);
        g_free(dated);
    }
    tap_ok(exact > 0, "some generated bodies fill their last page exactly (%d of 120)", exact);
    tap_ok(alone == 0, "the date always shares its page with two body lines (%d alone)", alone);
    tap_ok(faults == 0, "no widow, orphan or heading at a foot in 120 documents (%d)", faults);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* Every line-breaking fixture's `dump --stage=lines` against its expected file. */
static void
test_line_fixtures(void)
{
    char *dir = g_build_filename(tap_srcdir(), "tests", "fixtures", "lines", NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (const char *n = d ? g_dir_read_name(d) : NULL; n != NULL; n = g_dir_read_name(d)) {
        if (g_str_has_suffix(n, ".txt"))
            g_ptr_array_add(names, g_strndup(n, strlen(n) - 4));
    }
    if (d != NULL)
        g_dir_close(d);
    g_ptr_array_sort(names, compare_names);
    tap_ok(names->len >= 8, "line-breaking fixtures found (%u)", names->len);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        char *src = g_strdup_printf("%s/%s.txt", dir, name);
        char *expected = g_build_filename(tap_srcdir(), "tests", "expected", "lines", NULL);
        char *path = g_strdup_printf("%s/%s.dump", expected, name);
        GError *error = NULL;
        Doc *doc = source_load(src, &error);
        char *dump = doc != NULL ? page_dump_lines(doc, fonts, &error) : NULL;
        if (dump == NULL) {
            tap_ok(FALSE, "lines of %s: %s", name, error->message);
            g_error_free(error);
        } else {
            char *title = g_strdup_printf("lines of %s", name);
            tap_compare_file(dump, path, title);
            g_free(title);
        }
        g_free(dump);
        doc_free(doc);
        g_free(path);
        g_free(expected);
        g_free(src);
    }
    g_ptr_array_free(names, TRUE);
    g_free(dir);
}

static void
test_chart_numbers(void)
{
    double top = 0, step = chart_nice_step(54, 5, &top);
    tap_ok(step == 20 && top == 60, "nice axis for 54: step %g to %g", step, top);
    step = chart_nice_step(227, 5, &top);
    tap_ok(step == 50 && top == 250, "nice axis for 227: step %g to %g", step, top);
    step = chart_nice_step(0.7, 5, &top);
    tap_ok(fabs(step - 0.2) < 1e-9 && fabs(top - 0.8) < 1e-9, "nice axis for 0.7: %g to %g",
           step, top);
    double v1[] = {1, 54, 12}, v2[] = {1, 1, 1};
    int p1[3], p2[3];
    chart_percentages(v1, 3, p1);
    chart_percentages(v2, 3, p2);
    tap_ok(p1[0] + p1[1] + p1[2] == 100 && p1[1] == 81 && p1[2] == 18,
           "percentages of 1, 54, 12: %d %d %d", p1[0], p1[1], p1[2]);
    tap_ok(p2[0] + p2[1] + p2[2] == 100, "percentages of three equal values add up to 100");
}

static gboolean
boxes_overlap(const ChartLabel *a, const ChartLabel *b)
{
    return a->box_x < b->box_x + b->box_w && b->box_x < a->box_x + a->box_w &&
           a->box_y < b->box_y + b->box_h && b->box_y < a->box_y + a->box_h;
}

/* Every chart of the charts fixture: no two labels overlap; and the pages dump. */
static void
test_charts(void)
{
    char *path = g_build_filename(tap_srcdir(), "tests", "fixtures", "charts", NULL);
    GError *error = NULL;
    Doc *doc = source_load(path, &error);
    g_free(path);
    if (!tap_ok(doc != NULL, "the charts fixture loads")) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return;
    }
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->kind != DOC_BLOCK_CHART)
            continue;
        int rows = chart_rows(block->chart);
        ChartLayout *chart = chart_layout(fonts, block->chart, PAGE_AREA_WIDTH,
                                          rows * PAGE_PITCH, TRUE, block->loc, NULL);
        size_t overlaps = 0, outside = 0;
        for (guint i = 0; chart != NULL && i < chart->labels->len; i++) {
            const ChartLabel *a = &g_array_index(chart->labels, ChartLabel, i);
            outside += a->box_x < 0 || a->box_x + a->box_w > chart->width || a->box_y < 0 ||
                       a->box_y + a->box_h > chart->height;
            for (guint j = i + 1; j < chart->labels->len; j++)
                overlaps += boxes_overlap(a, &g_array_index(chart->labels, ChartLabel, j));
        }
        tap_ok(chart != NULL && overlaps == 0 && outside == 0,
               "chart %s (%s): %u labels, %zu overlapping pairs, %zu outside the box",
               block->text, doc_chart_kind_name(block->chart->kind),
               chart != NULL ? chart->labels->len : 0, overlaps, outside);
        chart_layout_free(chart);
    }
    Pages *pages = page_layout(doc, fonts, NULL);
    char *dump = pages != NULL ? pages_dump(pages) : g_strdup("");
    char *expected = g_build_filename(tap_srcdir(), "tests", "expected", "pages", "charts.dump",
                                      NULL);
    tap_compare_file(dump, expected, "charts pages dump (shapes and labels)");
    g_free(expected);
    g_free(dump);
    pages_free(pages);
    doc_free(doc);
}

/* Inputs the fuzzers found crashing, kept as regression tests (tests/fuzz/corpus). */
static void
test_fuzz_regressions(void)
{
    static const char *const names[] = {"crash-rtl-override.txt"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path = g_build_filename(tap_srcdir(), "tests", "fuzz", "corpus", "layout", names[i],
                                      NULL);
        char *data = NULL;
        gsize len = 0;
        g_file_get_contents(path, &data, &len, NULL);
        GError *error = NULL;
        Doc *doc = data != NULL ? source_parse("fuzz.txt", data, len, &error) : NULL;
        Pages *pages = doc != NULL ? page_layout(doc, fonts, &error) : NULL;
        /* laid out, or (bidi overrides being refused since) an error with its place */
        tap_ok((pages != NULL && pages_count(pages) >= 1) ||
                   (error != NULL && g_str_has_prefix(error->message, "fuzz.txt:")),
               "fuzz regression %s lays out or is refused with its place (%s)", names[i],
               error != NULL ? error->message : "laid out");
        g_clear_error(&error);
        pages_free(pages);
        doc_free(doc);
        g_free(data);
        g_free(path);
    }
    ParaLines *lines = break_body("中文עברית中文\u202e倒序\u202c中文", PARA_ALIGN_JUSTIFY);
    tap_ok(lines != NULL && para_lines_count(lines) == 1,
           "right-to-left text and bidi controls are set left to right");
    para_lines_free(lines);
}

/* Variation selectors (U+FE00, U+E0100): no “uncovered character” error; one the font has
 * no variant for is left out of the line, neither drawn nor in the text. */
/* Everything of a paragraph's lines the drawing reads: the lines' dump, and each run's
 * font, position and glyphs. */
static char *
lines_full_dump(const ParaLines *lines)
{
    GString *out = g_string_new(NULL);
    para_lines_dump(lines, out);
    for (size_t i = 0; i < lines->runs->len; i++) {
        const ParaRun *run = para_lines_run(lines, i);
        PangoFontDescription *d = pango_font_describe(run->glyph_item.item->analysis.font);
        char *font = pango_font_description_to_string(d);
        g_string_append_printf(out, "run %s x=%d w=%d at %d+%d:", font, run->x, run->width,
                               run->glyph_item.item->offset, run->glyph_item.item->length);
        g_free(font);
        pango_font_description_free(d);
        const PangoGlyphString *g = run->glyph_item.glyphs;
        for (int k = 0; k < g->num_glyphs; k++)
            g_string_append_printf(out, " %u/%d/%d", g->glyphs[k].glyph,
                                   g->glyphs[k].geometry.width, g->log_clusters[k]);
        g_string_append_c(out, '\n');
    }
    return g_string_free(out, FALSE);
}

/* para_break_lines keeps what it has set with the Fonts and gives a copy for the same spec:
 * the copy must be the lines set afresh, owned apart, and another spec or another font for
 * the role must not get it. */
static void
test_para_cache(void)
{
    const char *text = "（一）推进决策公开。将涉及改革、发展、扶贫的决策内容及时在各平台公开，"
                       "全年公开规划计划4份，会议取得良好效果。";
    GError *error = NULL;
    Fonts *fresh = fonts_new(NULL, &error);
    if (fresh == NULL) {
        tap_ok(FALSE, "fonts load: %s", error->message);
        g_error_free(error);
        return;
    }
    ParaLines *a = break_body(text, PARA_ALIGN_JUSTIFY);
    ParaLines *b = break_body(text, PARA_ALIGN_JUSTIFY);
    Fonts *shared = fonts;
    fonts = fresh; /* a Fonts that has set nothing yet: the lines set afresh */
    ParaLines *c = break_body(text, PARA_ALIGN_JUSTIFY);
    fonts = shared;
    char *da = a != NULL ? lines_full_dump(a) : g_strdup("");
    char *dc = c != NULL ? lines_full_dump(c) : g_strdup("-");
    para_lines_free(a); /* the copy is owned apart: b stays whole */
    char *db = b != NULL ? lines_full_dump(b) : g_strdup("");
    tap_ok(b != NULL && b != a, "a paragraph set again is a copy of its own");
    tap_is_str(db, dc, "the copy is the lines set afresh: runs, fonts, glyphs and widths");
    tap_is_str(da, dc, "... and so is the first");
    ParaLines *d = break_body(text, PARA_ALIGN_LEFT);
    char *dd = d != NULL ? lines_full_dump(d) : g_strdup("");
    tap_ok(d != NULL && !g_str_equal(dd, db), "another alignment is not the same paragraph");
    gboolean set = fonts_set_override(fresh, FONT_ROLE_BODY, "Noto Sans CJK SC", &error);
    if (!set) {
        tap_diag("%s", error->message);
        g_clear_error(&error);
    }
    fonts = fresh;
    ParaLines *e = break_body(text, PARA_ALIGN_JUSTIFY);
    fonts = shared;
    char *de = e != NULL ? lines_full_dump(e) : g_strdup("");
    tap_ok(set && e != NULL && strstr(de, "Noto Sans CJK SC") != NULL && !g_str_equal(de, dc),
           "after the body role's font changes, the paragraph is set in the new font");
    g_free(da);
    g_free(db);
    g_free(dc);
    g_free(dd);
    g_free(de);
    para_lines_free(b);
    para_lines_free(c);
    para_lines_free(d);
    para_lines_free(e);
    fonts_free(fresh);
}

static void
test_variation_selectors(void)
{
    const char *text = "标题\n诸葛\U000E0100亮与邻\uFE00居商量。\n";
    GError *error = NULL;
    Doc *doc = source_parse("vs.txt", text, strlen(text), &error);
    GPtrArray *diags = diag_list_new();
    gboolean ok = doc != NULL && page_check_fonts(doc, fonts, diags, &error);
    tap_ok(ok && diags->len == 0, "variation selectors are not uncovered characters (%s)",
           error != NULL ? error->message : "no diagnostic");
    g_clear_error(&error);
    g_ptr_array_free(diags, TRUE);
    doc_free(doc);
    ParaLines *lines = break_body("诸葛\U000E0100亮与邻\uFE00居商量。", PARA_ALIGN_JUSTIFY);
    const ParaLine *line = lines != NULL ? para_lines_get(lines, 0) : NULL;
    char *got = line != NULL ? g_strndup(lines->text + line->start, line->end - line->start)
                             : g_strdup("");
    tap_ok(g_str_equal(got, "诸葛亮与邻居商量。"), "selectors without a variant are left out of "
           "the line (%s)", got);
    g_free(got);
    para_lines_free(lines);
}

/* A landscape table in the middle of the text: the blocks after it are built while its
 * landscape pages are filled, yet every line of a portrait page stays in the portrait type
 * area. */
static void
test_landscape_middle(void)
{
    char *path = g_build_filename(tap_srcdir(), "tests", "fixtures", "gongwen-format",
                                  "landscape-middle.txt", NULL);
    GError *error = NULL;
    Doc *doc = source_load(path, &error);
    Pages *pages = doc != NULL ? page_layout(doc, fonts, &error) : NULL;
    if (!tap_ok(pages != NULL, "landscape-middle lays out")) {
        tap_diag("%s", error->message);
        g_error_free(error);
    }
    int worst = 0, landscape = 0, portrait_after = 0;
    for (size_t p = 0; pages != NULL && p < pages_count(pages); p++) {
        const Page *page = pages_get(pages, p);
        landscape += page->landscape;
        portrait_after += !page->landscape && landscape > 0;
        for (guint k = 0; !page->landscape && k < page->items->len; k++) {
            const PageItem *item = &g_array_index(page->items, PageItem, k);
            if (item->kind != PAGE_ITEM_GLYPHS)
                continue;
            int end = item->x + pango_glyph_string_get_width(item->run->glyphs);
            worst = MAX(worst, end - (PAGE_AREA_LEFT + PAGE_AREA_WIDTH));
        }
    }
    tap_ok(landscape > 0 && portrait_after > 1, "landscape pages (%d) with text pages after "
           "them (%d)", landscape, portrait_after);
    tap_ok(worst <= PAGE_PT(1.0), "no line on a portrait page passes the type area's right "
           "edge (worst by %.1f pt)", worst / (double)PANGO_SCALE);
    pages_free(pages);
    doc_free(doc);
    g_free(path);
}

/* The full 公文 format: the pages dumps of the 通知 (版头, seal, 版记 on an added page) and
 * the landscape table (turned page numbers); the tables of the 2019 sample and the table
 * fixtures (sizes, widths, merges, forms; blocks: a 2021 table 二 typed with / and blanks,
 * its short blocks kept whole); the 2021 sample; against their expected files. */
static void
test_format_dumps(void)
{
    static const char *const cases[][2] = {
        {"reports/notice-2024", "notice-2024.dump"},
        {"tests/fixtures/gongwen-format/landscape.txt", "landscape.dump"},
        {"tests/fixtures/gongwen-format/joint.txt", "joint.dump"},
        {"tests/fixtures/gongwen-format/joint-sealed.txt", "joint-sealed.dump"},
        {"tests/fixtures/gongwen-format/request.txt", "request.dump"},
        {"tests/fixtures/gongwen-format/measures.txt", "measures.dump"},
        {"reports/sample-2019-format", "sample-2019-format.dump"},
        {"tests/fixtures/tables/forms-2019", "tables-forms-2019.dump"},
        {"tests/fixtures/tables/form", "tables-form.dump"},
        {"tests/fixtures/tables/blocks", "tables-blocks.dump"},
        {"reports/sample-2021-format", "sample-2021-format.dump"},
        {"tests/fixtures/tables/merges", "tables-merges.dump"},
        {"tests/fixtures/tables/sizes", "tables-sizes.dump"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_build_filename(tap_srcdir(), cases[i][0], NULL);
        GError *error = NULL;
        Report report;
        ReportOptions ro = {.shared_fonts = fonts, .lay_out = TRUE};
        if (!report_load(&report, path, &ro, &error)) {
            tap_ok(FALSE, "%s lays out: %s", cases[i][0], error->message);
            g_error_free(error);
        } else {
            char *dump = pages_dump(report.pages);
            char *expected = g_build_filename(tap_srcdir(), "tests", "expected", "pages",
                                              cases[i][1], NULL);
            tap_compare_file(dump, expected, cases[i][1]);
            g_free(expected);
            g_free(dump);
        }
        report_clear(&report);
        g_free(path);
    }
}

/* A page as the PDF backend sees it: every item's place and size, every glyph id and the
 * PangoFont it is drawn with (the font subsets are keyed by those fonts). */
static void
digest_page(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    GString *out = data;
    g_string_append_printf(out, "page %zu %dx%d\n", page->index, page->width, page->height);
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        g_string_append_printf(out, "%d %d %d %d %d", item->kind, item->x, item->y, item->w,
                               item->h);
        if (item->kind == PAGE_ITEM_GLYPHS) {
            g_string_append_printf(out, " %p", (void *)item->run->item->analysis.font);
            for (int g = 0; g < item->run->glyphs->num_glyphs; g++)
                g_string_append_printf(out, " %u", item->run->glyphs->glyphs[g].glyph);
        }
        g_string_append_c(out, '\n');
    }
}

/* A render lays the document out twice, streaming: the first pass gathers the glyphs for
 * the font subsets (they must exist before page 1 is drawn, and pages are freed as they are
 * finished to keep memory flat), the second draws. The two must agree page by page, glyph
 * by glyph, down to the PangoFont objects the subsets are keyed by. */
static void
test_two_passes_agree(void)
{
    const char *const reports[] = {"reports/guizhou-commerce-2017", "reports/notice-2024",
                                   "reports/sample-2019-format", "reports/rules-2024"};
    for (size_t i = 0; i < G_N_ELEMENTS(reports); i++) {
        char *path = g_build_filename(tap_srcdir(), reports[i], NULL);
        GError *error = NULL;
        Report report;
        ReportOptions ro = {.shared_fonts = fonts};
        GString *first = g_string_new(NULL), *second = g_string_new(NULL);
        gboolean ok = report_load(&report, path, &ro, &error);
        Pages *a = ok ? page_layout_stream(report.doc, report.fonts, digest_page, first, &error)
                      : NULL;
        Pages *b = a != NULL ? page_layout_stream(report.doc, report.fonts, digest_page, second,
                                                  &error)
                             : NULL;
        tap_ok(b != NULL && first->len > 0 && g_str_equal(first->str, second->str),
               "%s: the glyph pass and the drawing pass agree (%zu pages, %zu bytes of digest)",
               reports[i], a != NULL ? pages_count(a) : 0, first->len);
        if (error != NULL)
            tap_diag("%s", error->message);
        g_clear_error(&error);
        pages_free(a);
        pages_free(b);
        g_string_free(first, TRUE);
        g_string_free(second, TRUE);
        report_clear(&report);
        g_free(path);
    }
}

/* The closest line pitch a laid-out document is set at (7.3.5.5 sets a page at most two
 * lines fuller, and says so), in points: 28.99 when no page is set closer. */
static double
closest_pitch(const Pages *pages)
{
    double closest = PAGE_PITCH / (double)PANGO_SCALE;
    for (guint k = 0; k < pages->warnings->len; k++) {
        const Diag *d = g_ptr_array_index(pages->warnings, k);
        const char *at = strstr(d->message, "line pitch of ");
        if (at != NULL)
            closest = MIN(closest, g_ascii_strtod(at + strlen("line pitch of "), NULL));
    }
    return closest;
}

/* No page is set closer than 26 pt (two lines fuller than 22): not the reports, not the
 * fixtures, not a block taller than a page (fifty signing organs, a caption of thousands
 * of characters), which runs on over pages instead. */
static void
test_no_overprint(void)
{
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    const char *const dirs[] = {"reports", "tests/fixtures/gongwen-format", "tests/fixtures/lines",
                                "tests/fixtures/tables", "tests/fixtures/charts",
                                "tests/fixtures/source"};
    for (size_t i = 0; i < G_N_ELEMENTS(dirs); i++) {
        char *dir = g_build_filename(tap_srcdir(), dirs[i], NULL);
        GDir *d = g_dir_open(dir, 0, NULL);
        for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;) {
            char *path = g_build_filename(dir, n, NULL);
            char *txt = g_build_filename(path, "report.txt", NULL);
            if (g_str_has_suffix(n, ".txt") || g_file_test(txt, G_FILE_TEST_IS_REGULAR))
                g_ptr_array_add(paths, g_strdup(path));
            g_free(txt);
            g_free(path);
        }
        if (d != NULL)
            g_dir_close(d);
        g_free(dir);
    }
    g_ptr_array_sort(paths, (GCompareFunc)g_strcmp0);
    double worst = 100;
    const char *worst_at = "";
    guint laid = 0;
    for (guint k = 0; k < paths->len; k++) {
        const char *path = g_ptr_array_index(paths, k);
        Report report;
        ReportOptions ro = {.shared_fonts = fonts, .lay_out = TRUE};
        if (report_load(&report, path, &ro, NULL)) {
            laid++;
            double p = closest_pitch(report.pages);
            if (p < worst) {
                worst = p;
                worst_at = path;
            }
        }
        report_clear(&report);
    }
    tap_ok(laid >= 20 && worst >= 26.0, "%u reports and fixtures: no page closer than 26 pt "
           "(closest %.2f pt, %s)", laid, worst, worst_at);
    GString *organs = g_string_new(NULL);
    for (int k = 0; k < 50; k++)
        g_string_append_printf(organs, "%s某某省第%d厅", k > 0 ? "；" : "", k + 1);
    GString *caption = g_string_new(NULL);
    for (int k = 0; k < 840; k++)
        g_string_append(caption, "图表说明文字");
    struct {
        const char *what;
        char *text;
    } cases[] = {
        {"fifty signing organs", g_strdup_printf("---\nissuer: %s\n---\n标题\n正文一段。\n"
                                                 "2024年1月1日\n", organs->str)},
        {"a chart with a 5,000-character caption",
         g_strdup_printf("标题\n正文一段。\n@chart pie pie.tsv %s\n2024年1月1日\n", caption->str)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Report report;
        ReportOptions ro = {.shared_fonts = fonts, .lay_out = TRUE};
        GError *error = NULL;
        /* as if written beside the charts fixture, whose pie.tsv the chart reads */
        char *path = g_build_filename(tap_srcdir(), "tests", "fixtures", "charts", "big.txt", NULL);
        gboolean ok = report_parse(&report, path, cases[i].text, strlen(cases[i].text), &ro,
                                   &error);
        g_free(path);
        double p = ok ? closest_pitch(report.pages) : 0;
        tap_ok(ok && p >= 26.0 && pages_count(report.pages) > 2,
               "%s: runs on over %zu pages, none closer than 26 pt (%.2f pt)%s%s", cases[i].what,
               ok ? pages_count(report.pages) : 0, p, error != NULL ? ": " : "",
               error != NULL ? error->message : "");
        g_clear_error(&error);
        report_clear(&report);
        g_free(cases[i].text);
    }
    g_string_free(organs, TRUE);
    g_string_free(caption, TRUE);
    g_ptr_array_free(paths, TRUE);
}

/* Diagnostics about a front-matter key name the line it was written on, not 1:1. */
static void
test_key_locations(void)
{
    GString *cc = g_string_new(NULL);
    for (int k = 0; k < 60; k++)
        g_string_append_printf(cc, "%s某某省第%d人民政府办公厅", k > 0 ? "，" : "", k + 1);
    GString *organs = g_string_new(NULL);
    for (int k = 0; k < 8; k++)
        g_string_append_printf(organs, "%s某某省第%d人民政府办公厅", k > 0 ? "；" : "", k + 1);
    struct {
        const char *what;
        char *text;
        const char *want; /* file:line:col: the key's value */
    } cases[] = {
        {"a 版记 longer than a page", g_strdup_printf("---\nissuer: 某单位\nprinter: 某办公室\n"
                                                    "cc: %s\n---\n标题\n正文。\n", cc->str),
         "keys.txt:4:5:"},
        {"a 版头 taller than a page", g_strdup_printf("---\nissuer: 某单位\nnumber: 某发〔2024〕1号\n"
                                                    "signer: 甲、乙、丙、丁、戊、己、庚、辛、壬、癸、"
                                                    "子、丑、寅、卯、辰、巳、午、未、申、酉\n"
                                                    "organ: %s\n---\n标题\n正文。\n",
                                                    organs->str),
         "keys.txt:4:9:"}, /* more 签发人 than organs: the signer line */
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GError *error = NULL;
        Doc *doc = source_parse("keys.txt", cases[i].text, strlen(cases[i].text), &error);
        Pages *pages = doc != NULL ? page_layout(doc, fonts, &error) : NULL;
        GString *all = g_string_new(error != NULL ? error->message : "");
        for (guint k = 0; pages != NULL && k < pages->warnings->len; k++) {
            char *line = diag_format(g_ptr_array_index(pages->warnings, k));
            g_string_append_printf(all, "\n%s", line);
            g_free(line);
        }
        tap_ok(strstr(all->str, cases[i].want) != NULL && strstr(all->str, ":1:1:") == NULL,
               "%s: reported at %s (got: %s)", cases[i].what, cases[i].want, all->str);
        g_string_free(all, TRUE);
        g_clear_error(&error);
        pages_free(pages);
        doc_free(doc);
        g_free(cases[i].text);
    }
    g_string_free(cc, TRUE);
    g_string_free(organs, TRUE);
}

int
main(void)
{
    tap_plan_no_plan();
    GError *error = NULL;
    fonts = fonts_new(NULL, &error);
    if (fonts == NULL) {
        tap_ok(FALSE, "fonts load: %s", error->message);
        g_error_free(error);
        return tap_done();
    }
    test_grid();
    test_clreq();
    test_blanks();
    test_compression();
    test_latin_gap();
    test_title_balance();
    test_title_sense();
    test_title_fixture();
    test_table_head_words();
    test_line_fixtures();
    test_chart_numbers();
    test_charts();
    test_fuzz_regressions();
    test_flagship();
    test_pagination_generated();
    test_format_dumps();
    test_landscape_middle();
    test_key_locations();
    test_two_passes_agree();
    test_no_overprint();
    test_variation_selectors();
    test_para_cache();
    fonts_free(fonts);
    return tap_done();
}
