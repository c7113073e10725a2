/* gongwen: tests of the source reader (layout/source.c) and the Doc (layout/doc.c).
 *
 * Each tests/fixtures/source/NAME.txt is parsed and its doc dump compared with
 * tests/expected/doc/NAME.dump (GONGWEN_REGENERATE=1 rewrites them); error cases are built
 * in memory; the flagship report is checked block by block.
 */
#include "error.h"
#include "hygiene.h"
#include "source.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <string.h>

#define FIXTURES "tests/fixtures/source"
#define EXPECTED "tests/expected/doc"
#define FLAGSHIP "reports/guizhou-commerce-2017"

static void
compare_dump(const char *source_path, const char *expected_path, const char *name)
{
    GError *error = NULL;
    g_autoptr(Doc) doc = source_load(source_path, &error);
    if (!tap_ok(doc != NULL, "%s parses", name)) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return;
    }
    char *dump = doc_dump(doc);
    tap_compare_file(dump, expected_path, name);
    g_free(dump);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_fixtures(void)
{
    GDir *dir = g_dir_open(FIXTURES, 0, NULL);
    if (!tap_ok(dir != NULL, "fixture folder %s", FIXTURES))
        return;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *entry;
    while ((entry = g_dir_read_name(dir)) != NULL)
        if (g_str_has_suffix(entry, ".txt"))
            g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(".txt")));
    g_dir_close(dir);
    g_ptr_array_sort(names, compare_names);
    tap_ok(names->len >= 15, "%u fixtures", names->len);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        char *source = g_strdup_printf(FIXTURES "/%s.txt", name);
        char *expected = g_strdup_printf(EXPECTED "/%s.dump", name);
        compare_dump(source, expected, name);
        g_free(source);
        g_free(expected);
    }
    g_ptr_array_unref(names);
}

/* Parse `len` bytes and expect an error of `code` starting with `prefix` and holding
 * `phrase`. */
static void
expect_error_len(const char *name, const char *text, size_t len, GongwenError code,
                 const char *prefix, const char *phrase)
{
    GError *error = NULL;
    Doc *doc = source_parse("mem.txt", text, len, &error);
    if (!tap_ok(doc == NULL && error != NULL, "%s: is an error", name)) {
        doc_free(doc);
        return;
    }
    tap_ok(g_error_matches(error, GONGWEN_ERROR, (gint)code), "%s: error code %d", name, code);
    gboolean ok = g_str_has_prefix(error->message, prefix) && strstr(error->message, phrase);
    if (!tap_ok(ok, "%s: message \"%s…%s…\"", name, prefix, phrase))
        tap_diag("message: %s", error->message);
    g_error_free(error);
}

static void
expect_error(const char *name, const char *text, const char *prefix, const char *phrase)
{
    expect_error_len(name, text, strlen(text), GONGWEN_ERROR_INPUT, prefix, phrase);
}

static void
test_encoding_errors(void)
{
    expect_error("invalid UTF-8 on line 3", "标题\n正文\nab\xE4\xB8",
                 "mem.txt:3:3: ", "invalid UTF-8");
    expect_error("truncated sequence", "标题\n正\xE4\xB8文", "mem.txt:2:2: ", "invalid UTF-8");
    expect_error("overlong sequence", "标题\n\xC0\xAF", "mem.txt:2:1: ", "invalid UTF-8");
    expect_error("surrogate", "标题\nx\xED\xA0\x80", "mem.txt:2:2: ", "invalid UTF-8");
    expect_error("invalid after CRLF and CR", "标题\r\nb\rc\n\xFF",
                 "mem.txt:4:1: ", "invalid UTF-8");
    expect_error_len("NUL byte", "标题\n正\0文", strlen("标题\n正") + 4, GONGWEN_ERROR_INPUT,
                     "mem.txt:2:2: ", "NUL byte");
    expect_error("control character", "标题\n正文\x07",
                 "mem.txt:2:3: ", "control character U+0007");
    expect_error("DEL", "标题\n\x7F", "mem.txt:2:1: ", "control character U+007F");
    expect_error("C1 control", "标题\n正文\xC2\x85", "mem.txt:2:3: ", "control character U+0085");
    expect_error("column after a BOM", "\xEF\xBB\xBF标题\x01",
                 "mem.txt:1:3: ", "control character U+0001");
}

static void
test_front_matter_errors(void)
{
    expect_error("unknown key", "---\nauthor: 某人\n---\n标题\n",
                 "mem.txt:2:1: ", "unknown front matter key \"author\"");
    expect_error("duplicate key", "---\ntitle: 甲\ntitle: 乙\n---\n正文\n",
                 "mem.txt:3:1: ", "duplicate front matter key \"title\" (first on line 2)");
    expect_error("empty value", "---\nissuer:\n---\n标题\n", "mem.txt:2:8: ", "empty value");
    expect_error("line without colon", "---\ntitle 甲\n---\n标题\n",
                 "mem.txt:2:1: ", "not \"key: value\"");
    expect_error("bad date", "---\ndate: 2018-02-30\n---\n标题\n", "mem.txt:2:7: ", "no such day");
    expect_error("malformed date", "---\ndate:  昨天\n---\n标题\n", "mem.txt:2:8: ", "bad date");
    expect_error("bad sealed", "---\nsealed: maybe\n---\n标题\n",
                 "mem.txt:2:9: ", "write yes or no");
    expect_error("unclosed front matter", "---\ntitle: 甲\n标题\n", "mem.txt:1:1: ", "not closed");
    expect_error("empty file", "", "mem.txt:1:1: ", "no text");
    expect_error("only blank lines", "\n \n\t\xE3\x80\x80\n", "mem.txt:1:1: ", "no text");
    expect_error("only front matter", "---\ntitle: 甲\n---\n\n", "mem.txt:4:1: ", "no text");
    /* the 版头 and 版记 keys */
    expect_error("发文字号 in []", "---\nnumber: 某商发[2024]5号\n---\n标题\n",
                 "mem.txt:2:12: ", "六角括号");
    expect_error("发文字号 short year", "---\nnumber: 某商发〔24〕5号\n---\n标题\n",
                 "mem.txt:2:13: ", "full year");
    expect_error("发文字号 leading zero", "---\nnumber: 某商发〔2024〕005号\n---\n标题\n",
                 "mem.txt:2:18: ", "leading zero");
    expect_error("发文字号 with 第", "---\nnumber: 某商发〔2024〕第5号\n---\n标题\n",
                 "mem.txt:2:18: ", "no 第");
    expect_error("发文字号 without 号", "---\nnumber: 某商发〔2024〕5\n---\n标题\n",
                 "mem.txt:2:19: ", "followed by 号");
    expect_error("发文字号 without 机关代字", "---\nnumber: 〔2024〕5号\n---\n标题\n",
                 "mem.txt:2:9: ", "no 机关代字");
    expect_error("份号 not digits", "---\ncopy: 第一份\n---\n标题\n", "mem.txt:2:7: ",
                 "not Arabic digits");
    expect_error("份号 too long", "---\ncopy: 1234567\n---\n标题\n", "mem.txt:2:7: ",
                 "more than 6 digits");
    expect_error("密级", "---\nsecrecy: 内部\n---\n标题\n", "mem.txt:2:10: ",
                 "密级 \"内部\" is not one of 绝密、机密、秘密");
    expect_error("密级★ without a period", "---\nsecrecy: 秘密★\n---\n标题\n", "mem.txt:2:13: ",
                 "保密期限 \"\" is not a period");
    expect_error("密级★ a negative period", "---\nsecrecy: 秘密★-1年\n---\n标题\n",
                 "mem.txt:2:13: ", "保密期限 \"-1年\" is not a period");
    expect_error("密级 twice", "---\nsecrecy: 秘密秘密\n---\n标题\n", "mem.txt:2:12: ",
                 "write ★ and the 保密期限");
    expect_error("紧急程度", "---\nurgency: 急\n---\n标题\n", "mem.txt:2:10: ", "紧急程度");
    expect_error("紧急程度 twice", "---\nurgency: 特急特急\n---\n标题\n", "mem.txt:2:10: ",
                 "紧急程度 \"特急特急\"");
    expect_error("letterhead", "---\nletterhead: blue\n---\n标题\n", "mem.txt:2:13: ",
                 "write red or preprinted");
    expect_error("印发日期", "---\nprinted: 下周\n---\n标题\n", "mem.txt:2:10: ", "bad 印发日期");
    expect_error("empty organ", "---\norgan: 甲厅；；乙厅\n---\n标题\n", "mem.txt:2:8: ",
                 "an empty name");
    expect_error("seal file", "---\nseal: seal.png\n---\n标题\n", "mem.txt:2:7: ",
                 "seal.png: no such file");
    expect_error("seal outside", "---\nseal: ../seal.png\n---\n标题\n", "mem.txt:2:7: ",
                 "leaves the report's folder");
    expect_error("profile file", "---\nprofile: house.ini\n---\n标题\n", "mem.txt:2:10: ",
                 "house.ini: no such file");
}

static void
test_text_errors(void)
{
    expect_error("unknown directive", "标题\n@foo bar", "mem.txt:2:1: ",
                 "unknown directive `@foo`; the directives are @attachment, @pagebreak, "
                 "@table, @chart, @figure");
    expect_error("@table", "标题\n  @table stats.tsv 统计表",
                 "mem.txt:2:3: ", "stats.tsv: no such file");
    expect_error("@chart", "标题\n@chart pie a.tsv",
                 "mem.txt:2:1: ", "a.tsv: no such file");
    expect_error("@chart without a kind", "标题\n@chart a.tsv",
                 "mem.txt:2:1: ", "@chart needs a kind and a file");
    expect_error("@chart of an unknown kind", "标题\n@chart radar a.tsv",
                 "mem.txt:2:1: ", "@chart needs a kind and a file");
    expect_error("@figure", "标题\n@figure a.png",
                 "mem.txt:2:1: ", "a.png: no such file");
    expect_error("@figure without a file", "标题\n@figure",
                 "mem.txt:2:1: ", "@figure needs a file");
    expect_error("@pagebreak with an argument", "标题\n@pagebreak now",
                 "mem.txt:2:12: ", "@pagebreak takes no argument");
    expect_error("impossible date line", "标题\n  2018年2月30日",
                 "mem.txt:2:3: ", "not a real day");
    expect_error("empty attachment note", "标题\n附件：", "mem.txt:2:4: ", "names no attachment");
    expect_error("directive instead of a title", "@pagebreak\n正文",
                 "mem.txt:1:1: ", "the first line must be the title");
    size_t big = SOURCE_MAX_BYTES + 1;
    char *data = g_malloc0(big);
    expect_error_len("too large", data, big, GONGWEN_ERROR_LIMIT, "mem.txt:", "limit");
    g_free(data);
}

/* @subtitle, @author and @right need their text; @right takes 0 to 4 characters of space. */
static void
test_line_directive_errors(void)
{
    expect_error("@subtitle without text", "标题\n@subtitle", "mem.txt:2:1: ",
                 "@subtitle needs its text");
    expect_error("@author without text", "标题\n  @author\u3000", "mem.txt:2:3: ",
                 "@author needs its text");
    expect_error("@right without text", "标题\n@right", "mem.txt:2:1: ", "@right needs its text");
    expect_error("@right2 without text", "标题\n@right2 ", "mem.txt:2:1: ",
                 "@right2 needs its text");
    expect_error("@right9", "标题\n@right9 （盖章）", "mem.txt:2:1: ",
                 "@right9: a line is set flush right with 0 to 4 characters");
    expect_error("@right12", "标题\n@right12 （盖章）", "mem.txt:2:1: ",
                 "unknown directive `@right12`");
}

/* The hygiene warnings of `text` (owned, one per line), or NULL when it does not parse. */
static char *
hygiene_of(const char *text)
{
    Doc *doc = source_parse("mem.txt", text, strlen(text), NULL);
    if (doc == NULL)
        return NULL;
    GPtrArray *warnings = diag_list_new();
    GString *out = g_string_new(NULL);
    if (hygiene_check(doc, NULL, warnings, NULL)) {
        for (guint k = 0; k < warnings->len; k++) {
            char *line = diag_format(g_ptr_array_index(warnings, k));
            g_string_append_printf(out, "%s\n", line);
            g_free(line);
        }
    }
    g_ptr_array_unref(warnings);
    doc_free(doc);
    return g_string_free(out, FALSE);
}

static void
expect_hygiene(const char *name, const char *text, const char *want, const char *unwanted)
{
    char *got = hygiene_of(text);
    gboolean ok = got != NULL && (want == NULL || strstr(got, want) != NULL) &&
                  (unwanted == NULL || strstr(got, unwanted) == NULL);
    if (!tap_ok(ok, "hygiene: %s", name))
        tap_diag("warnings: %s", got != NULL ? got : "(does not parse)");
    g_free(got);
}

/* A space between two organs' names in a title or signature is how joint organs are
 * written; < > inside 《》 should be 〈〉. */
static void
test_hygiene(void)
{
    expect_hygiene("a space between organs in a title",
                   "重庆市粮食局 重庆市财政局关于做好粮食收购工作的通知\n正文。\n", NULL,
                   "space between two Han");
    expect_hygiene("a space between organs in a signature",
                   "标题\n正文。\n重庆市粮食局 重庆市财政局\n2024年1月2日\n", NULL,
                   "space between two Han");
    expect_hygiene("a space in the body is still a slip", "标题\n重庆市粮食局 重庆市财政局。\n",
                   "mem.txt:2:7: warning: a space between two Han characters", NULL);
    expect_hygiene("a space in a title not after an organ", "关于做好 粮食收购工作的通知\n正文。\n",
                   "mem.txt:1:5: warning: a space between two Han characters", NULL);
    expect_hygiene("a full-width space between organs in a title",
                   "重庆市粮食局\u3000重庆市财政局关于做好粮食收购工作的通知\n正文。\n", NULL,
                   "space");
    expect_hygiene("< > inside 《》", "标题\n印发《关于<某某>的通知》。\n",
                   "mem.txt:2:6: warning: half-width “<…>” inside 《》", NULL);
    expect_hygiene("＜ ＞ inside 《》 in a title", "关于印发《办法＜试行＞》的通知\n正文。\n",
                   "mem.txt:1:8: warning: full-width “＜…＞” inside 《》", NULL);
    expect_hygiene("< > outside 《》", "标题\n当a<b且b>c时成立。\n", NULL, "inside 《》");
    expect_hygiene("〈〉 inside 《》", "标题\n印发《关于〈某某〉的通知》。\n", NULL, "inside 《》");
}

static void
test_load_errors(void)
{
    GError *error = NULL;
    Doc *doc = source_load("tests/fixtures/no-such-report", &error);
    tap_ok(doc == NULL && g_error_matches(error, GONGWEN_ERROR, GONGWEN_ERROR_IO),
           "missing file: GONGWEN_ERROR_IO");
    tap_ok(error != NULL && g_str_has_prefix(error->message, "tests/fixtures/no-such-report"),
           "missing file: message names the path");
    g_clear_error(&error);
    doc = source_load("tests/fixtures", &error);
    tap_ok(doc == NULL && error != NULL &&
               g_str_has_prefix(error->message, "tests/fixtures/report.txt"),
           "a folder means its report.txt");
    g_clear_error(&error);
}

static size_t
count_blocks(const Doc *doc, DocBlockKind kind, int level)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks; i++)
        n += doc->blocks[i].kind == kind && (level == 0 || doc->blocks[i].level == level);
    return n;
}

static const DocBlock *
find_block(const Doc *doc, DocBlockKind kind)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == kind)
            return &doc->blocks[i];
    return NULL;
}

static void
check_flagship_blocks(const Doc *doc)
{
    tap_ok(count_blocks(doc, DOC_BLOCK_HEADING, 1) == 6, "flagship: 6 level-1 headings");
    tap_ok(doc->blocks[0].kind == DOC_BLOCK_TITLE, "flagship: the first block is the title");
    tap_is_str(doc->blocks[0].text, "省商务厅2017政府信息公开工作年度报告", "flagship: title");
    tap_ok(find_block(doc, DOC_BLOCK_ATTACHMENT_NOTE) != NULL, "flagship: an attachment note");
    const DocBlock *signature = find_block(doc, DOC_BLOCK_SIGNATURE);
    tap_is_str(signature ? signature->text : NULL, "贵州省商务厅", "flagship: signature");
    const DocBlock *date = find_block(doc, DOC_BLOCK_DATE);
    tap_ok(date != NULL && date->year == 2018 && date->month == 2 && date->day == 22,
           "flagship: date 2018-2-22");
    tap_ok(doc->year == 2018 && doc->month == 2 && doc->day == 22, "flagship: doc date");
    tap_ok(count_blocks(doc, DOC_BLOCK_ATTACHMENT, 0) == 1, "flagship: one attachment");
    const DocBlock *attachment = find_block(doc, DOC_BLOCK_ATTACHMENT);
    tap_is_str(attachment ? attachment->text : NULL, "贵州省商务厅2017年度政府信息公开情况统计表",
               "flagship: attachment title");
    tap_ok(doc->warnings->len == 0, "flagship: no warnings");
}

/* `name` finds the section that starts with the block whose text starts with `start`. */
static void
check_section(const Doc *doc, const char *name, const char *start, DocBlockKind last_kind)
{
    DocSection section = {0, 0};
    GError *error = NULL;
    gboolean found = doc_find_section(doc, name, &section, &error);
    if (!tap_ok(found, "section \"%s\" found", name)) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return;
    }
    const DocBlock *first = &doc->blocks[section.first];
    const DocBlock *last = &doc->blocks[section.last - 1];
    tap_ok(section.first < section.last && g_str_has_prefix(first->text, start) &&
               last->kind == last_kind,
           "section \"%s\" starts at %s and ends with a %s", name, start,
           doc_block_kind_name(last_kind));
}

static void
check_section_error(const Doc *doc, const char *name, const char *phrase)
{
    DocSection section;
    GError *error = NULL;
    gboolean found = doc_find_section(doc, name, &section, &error);
    tap_ok(!found && g_error_matches(error, GONGWEN_ERROR, GONGWEN_ERROR_SECTION),
           "section \"%s\": GONGWEN_ERROR_SECTION", name);
    gboolean listed = error != NULL && strstr(error->message, phrase) != NULL &&
                      strstr(error->message, "\n  title        省商务厅") != NULL &&
                      strstr(error->message, "\n  3            三、政务公开互动参与情况") &&
                      strstr(error->message, "\n  attachment   贵州省商务厅");
    if (!tap_ok(listed, "section \"%s\": \"%s\" and the list of sections", name, phrase))
        tap_diag("%s", error != NULL ? error->message : "(no error)");
    g_clear_error(&error);
}

static void
check_flagship_sections(const Doc *doc)
{
    check_section(doc, "三", "三、", DOC_BLOCK_HEADING);
    check_section(doc, "三、", "三、", DOC_BLOCK_HEADING);
    check_section(doc, "3", "三、", DOC_BLOCK_HEADING);
    check_section(doc, "政务公开互动参与情况", "三、", DOC_BLOCK_HEADING);
    check_section(doc, "三、政务公开互动参与情况", "三、", DOC_BLOCK_HEADING);
    check_section(doc, "政务公开平台", "四、", DOC_BLOCK_HEADING);
    check_section(doc, "title", "省商务厅", DOC_BLOCK_PARAGRAPH);
    check_section(doc, "6", "六、", DOC_BLOCK_DATE);
    check_section(doc, "attachment", "贵州省商务厅2017年度", DOC_BLOCK_CHART);
    check_section(doc, "attachment1", "贵州省商务厅2017年度", DOC_BLOCK_CHART);
    check_section_error(doc, "七", "no section \"七\"");
    check_section_error(doc, "政务公开", "ambiguous section \"政务公开\"");
    check_section_error(doc, "", "no section");
    char *list = doc_list_sections(doc);
    char **lines = g_strsplit(list, "\n", -1);
    tap_ok(g_strv_length(lines) == 9 && g_str_equal(lines[8], ""),
           "doc_list_sections: 8 sections, one per line");
    g_strfreev(lines);
    g_free(list);
}

static void
test_flagship(void)
{
    compare_dump(FLAGSHIP, EXPECTED "/guizhou-commerce-2017.dump", "guizhou-commerce-2017");
    GError *error = NULL;
    g_autoptr(Doc) doc = source_load(FLAGSHIP, &error);
    if (doc == NULL) {
        tap_ok(FALSE, "flagship loads: %s", error->message);
        g_error_free(error);
        return;
    }
    check_flagship_blocks(doc);
    check_flagship_sections(doc);
}

static void
test_several_attachments(void)
{
    GError *error = NULL;
    g_autoptr(Doc) doc = source_load(FIXTURES "/attachment-numbered.txt", &error);
    if (!tap_ok(doc != NULL, "attachment-numbered loads")) {
        g_error_free(error);
        return;
    }
    DocSection section;
    gboolean found = doc_find_section(doc, "attachment2", &section, NULL);
    tap_ok(found && doc->blocks[section.first].kind == DOC_BLOCK_ATTACHMENT &&
               doc->blocks[section.first].level == 2 && section.last == section.first + 1,
           "attachment2 is one block");
    found = doc_find_section(doc, "attachment", &section, &error);
    tap_ok(!found && error != NULL && strstr(error->message, "attachment4"),
           "\"attachment\" with several attachments lists attachment1..4");
    g_clear_error(&error);
    found = doc_find_section(doc, "title", &section, NULL);
    tap_ok(found && section.first == 0 && doc->blocks[section.last - 1].kind == DOC_BLOCK_DATE,
           "without level-1 headings the title section holds the main text");
}

/* Parse `text` and expect exactly the warnings of `want` (NULL-terminated "line:phrase"
 * pairs: a warning at that line whose message holds the phrase), in order. */
static void
expect_warnings(const char *name, const char *text, const char *const *want)
{
    GError *error = NULL;
    g_autoptr(Doc) doc = source_parse("mem.txt", text, strlen(text), &error);
    if (!tap_ok(doc != NULL, "%s: parses", name)) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return;
    }
    guint n = 0;
    while (want[n] != NULL)
        n++;
    gboolean ok = doc->warnings->len == n;
    for (guint k = 0; ok && k < n; k++) {
        const Diag *d = g_ptr_array_index(doc->warnings, k);
        char *at = g_strdup_printf("%d:", d->line);
        ok = g_str_has_prefix(want[k], at) && strstr(d->message, strchr(want[k], ':') + 1);
        g_free(at);
    }
    if (!tap_ok(ok, "%s: %u warning%s as expected", name, n, n == 1 ? "" : "s"))
        for (guint k = 0; k < doc->warnings->len; k++) {
            char *line = diag_format(g_ptr_array_index(doc->warnings, k));
            tap_diag("%s", line);
            g_free(line);
        }
}

/* GB/T 9704 7.3.4: every attachment has its line in the 附件说明, under its own name. */
static void
test_attachment_note(void)
{
    const char *none[] = {NULL};
    expect_warnings("note names the attachment",
                    "标题\n正文。\n附件：统计表\n2024年1月5日\n@attachment\n@attachment 统计表\n",
                    (const char *[]){"6:附件2 “统计表” is not in the 附件说明 (line 3)", NULL});
    expect_warnings("numbered note, both named",
                    "标题\n正文。\n附件：1.甲表\n2.乙表\n@attachment 甲表\n@attachment\n", none);
    expect_warnings("no 附件说明",
                    "标题\n正文。\n2024年1月5日\n@attachment 年度报告编制进度安排表\n表。\n",
                    (const char *[]){"4:附件 “年度报告编制进度安排表” has no 附件说明: write "
                                     "“附件：年度报告编制进度安排表” after the body", NULL});
    expect_warnings("no 附件说明, no title", "标题\n正文。\n@attachment\n",
                    (const char *[]){"3:附件 has no title and no 附件说明", NULL});
    expect_warnings("two attachments, no 附件说明", "标题\n正文。\n@attachment 甲\n@attachment 乙\n",
                    (const char *[]){"3:附件1 “甲” has no 附件说明", "4:附件2 “乙” has no 附件说明",
                                     NULL});
    expect_warnings("a name that differs",
                    "标题\n正文。\n附件：1.甲表\n2.乙表\n@attachment 甲表\n@attachment 丙表\n",
                    (const char *[]){"6:附件2 is titled “丙表”, but the 附件说明 (line 3) names it "
                                     "“乙表”", NULL});
}

int
main(void)
{
    tap_plan_no_plan();
    if (g_chdir(tap_srcdir()) != 0) {
        tap_ok(FALSE, "chdir %s", tap_srcdir());
        return tap_done();
    }
    test_fixtures();
    test_encoding_errors();
    test_front_matter_errors();
    test_text_errors();
    test_line_directive_errors();
    test_hygiene();
    test_load_errors();
    test_flagship();
    test_several_attachments();
    test_attachment_note();
    return tap_done();
}
