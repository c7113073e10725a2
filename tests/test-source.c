/* gongwen: tests of the source reader (layout/source.c) and the Doc (layout/doc.c).
 *
 * Each tests/fixtures/source/NAME.txt is parsed and its doc dump compared with
 * tests/expected/doc/NAME.dump (GONGWEN_REGENERATE=1 rewrites them); error cases are built
 * in memory; the flagship report is checked block by block.
 */
#include "error.h"
#include "hygiene.h"
#include "numeral.h"
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
    {
        /* a line starting with # is a comment, a key's line after it counts as before */
        const char *text = "---\n# 发文机关署名\n#issuer: 乙\nissuer: 甲\n---\n标题\n";
        GError *error = NULL;
        g_autoptr(Doc) doc = source_parse("mem.txt", text, strlen(text), &error);
        tap_ok(doc != NULL && doc->issuer != NULL && g_str_equal(doc->issuer, "甲") &&
                   doc_key_loc(doc, "issuer").line == 4,
               "front matter: # comment lines are skipped");
        g_clear_error(&error);
    }
    expect_error("a comment does not end the front matter", "---\n# 说明\ntitle 甲\n---\n标题\n",
                 "mem.txt:3:1: ", "not \"key: value\"");
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
    expect_hygiene("a space before 《", "标题\n根据 《条例》规定。\n",
                   "mem.txt:2:3: warning: a space beside the full-width “《”", NULL);
    expect_hygiene("a space after ”", "标题\n所谓“有关” 事项。\n",
                   "mem.txt:2:7: warning: a space beside the full-width “””", NULL);
    expect_hygiene("a letter-spaced title", "政 府 工 作 报 告\n正文。\n", NULL, "space");
    expect_hygiene("a letter-spaced chapter", "办法\n第一章 总 则\n第一条　为了规范。\n", NULL,
                   "space");
    expect_hygiene("a title not letter-spaced throughout", "政 府 工作报告\n正文。\n",
                   "mem.txt:1:2: warning: a space between two Han characters", NULL);
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

/* ---- @issued: the documents a 印发 notice issues ---------------------------------------- */

#define ISSUED_FIXTURE "tests/fixtures/gongwen-format/issued.txt"


/* The kinds of a Doc's blocks, space-separated (owned). */
static char *
block_kinds(const Doc *doc)
{
    GString *out = g_string_new(NULL);
    for (size_t i = 0; i < doc->n_blocks; i++)
        g_string_append_printf(out, "%s%s", i > 0 ? " " : "",
                               doc_block_kind_name(doc->blocks[i].kind));
    return g_string_free(out, FALSE);
}

/* Parse `text` (it must parse, with no warning) and compare its block kinds with `kinds`;
 * the Doc, owned, or NULL. */
static Doc *
expect_kinds(const char *name, const char *text, const char *kinds)
{
    GError *error = NULL;
    Doc *doc = source_parse("mem.txt", text, strlen(text), &error);
    if (!tap_ok(doc != NULL, "%s: parses", name)) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return NULL;
    }
    char *got = block_kinds(doc);
    tap_is_str(got, kinds, "%s: blocks", name);
    g_free(got);
    if (!tap_ok(doc->warnings->len == 0, "%s: no warning", name))
        for (guint k = 0; k < doc->warnings->len; k++) {
            char *line = diag_format(g_ptr_array_index(doc->warnings, k));
            tap_diag("%s", line);
            g_free(line);
        }
    return doc;
}

/* The block of `kind` number `nth` (from 0), or NULL. */
static const DocBlock *
nth_block(const Doc *doc, DocBlockKind kind, int nth)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == kind && nth-- == 0)
            return &doc->blocks[i];
    return NULL;
}

static void
test_issued_titles(void)
{
    g_autoptr(Doc) doc = expect_kinds(
        "@issued with the title and （试行）",
        "标题\n正文。\n2024年1月5日\n@issued 某某管理办法\n（试行）\n一、总则\n第一条　为规范管理，"
        "制定本办法。\n附件：1．甲表\n2．乙表\n@attachment\n表。\n@attachment\n表。\n",
        "title paragraph date issued heading article attachment-note attachment paragraph "
        "attachment paragraph");
    const DocBlock *b = doc != NULL ? nth_block(doc, DOC_BLOCK_ISSUED, 0) : NULL;
    tap_ok(b != NULL && b->level == 1 && b->loc.line == 4 && b->n_items == 2 &&
               g_str_equal(b->items[0], "某某管理办法") && g_str_equal(b->items[1], "（试行）") &&
               g_str_equal(b->text, "某某管理办法（试行）"),
           "the issued document's title is two lines, its text the whole title");
    const DocBlock *a2 = doc != NULL ? nth_block(doc, DOC_BLOCK_ATTACHMENT, 1) : NULL;
    tap_ok(a2 != NULL && a2->level == 2 && g_str_equal(a2->text, "乙表"),
           "its attachments take their names from its own 附件说明");
    tap_ok(doc != NULL && doc->year == 2024 && doc->month == 1 && doc->day == 5,
           "the 成文日期 is the notice's");

    g_autoptr(Doc) next = expect_kinds("@issued, the title on the next line",
                                       "标题\n正文。\n2024年1月5日\n@issued\n\n某某实施细则\n"
                                       "（2024年修订）\n正文。\n2024年3月1日\n",
                                       "title paragraph date issued paragraph paragraph");
    b = next != NULL ? nth_block(next, DOC_BLOCK_ISSUED, 0) : NULL;
    tap_ok(b != NULL && b->n_items == 2 && g_str_equal(b->items[0], "某某实施细则") &&
               g_str_equal(b->items[1], "（2024年修订）"),
           "a title on the line after @issued, with its （2024年修订）");
    tap_ok(next != NULL && next->day == 5, "a date alone in the issued document is a paragraph");

    g_autoptr(Doc) plain = expect_kinds("a numbering under the title is no qualifier",
                                        "标题\n正文。\n2024年1月5日\n@issued 某某办法\n"
                                        "（一）总则。\n",
                                        "title paragraph date issued heading");
    b = plain != NULL ? nth_block(plain, DOC_BLOCK_ISSUED, 0) : NULL;
    tap_ok(b != NULL && b->n_items == 1, "（一）总则。 is not part of the title");

    g_autoptr(Doc) front = expect_kinds("the front matter's date closes the notice",
                                        "---\nissuer: 某某局\ndate: 2024-01-05\n---\n标题\n正文。\n"
                                        "@issued 某某办法\n正文。\n",
                                        "title paragraph signature date issued paragraph");
}

static void
test_issued_parts(void)
{
    g_autoptr(Doc) doc = expect_kinds(
        "the notice's attachments and the issued document's, each numbered from 1",
        "标题\n正文。\n附件：通知附表\n2024年1月5日\n@attachment\n表。\n"
        "@issued 甲办法\n一、总则\n正文。\n附件：办法附表\n@attachment\n表。\n"
        "@issued 乙办法\n一、总则\n二、附则\n",
        "title paragraph attachment-note date attachment paragraph issued heading paragraph "
        "attachment-note attachment paragraph issued heading heading");
    const DocBlock *a1 = doc != NULL ? nth_block(doc, DOC_BLOCK_ATTACHMENT, 0) : NULL;
    const DocBlock *a2 = doc != NULL ? nth_block(doc, DOC_BLOCK_ATTACHMENT, 1) : NULL;
    tap_ok(a1 != NULL && a2 != NULL && a1->level == 1 && a2->level == 1 &&
               g_str_equal(a1->text, "通知附表") && g_str_equal(a2->text, "办法附表"),
           "each part's attachment is its 附件 1, named by its own note");
    const DocBlock *i2 = doc != NULL ? nth_block(doc, DOC_BLOCK_ISSUED, 1) : NULL;
    tap_ok(i2 != NULL && i2->level == 2, "the second issued document is number 2");
    DocSection section;
    tap_ok(doc != NULL && doc_find_section(doc, "issued2", &section, NULL) &&
               doc->blocks[section.first].kind == DOC_BLOCK_ISSUED &&
               section.last == doc->n_blocks,
           "section issued2: the second issued document to the end");
    GError *error = NULL;
    tap_ok(doc != NULL && doc_find_section(doc, "issued1-attachment", &section, &error) &&
               doc->blocks[section.first].kind == DOC_BLOCK_ATTACHMENT &&
               doc->blocks[section.first].loc.line == 11,
           "section issued1-attachment: the first issued document's attachment");
    g_clear_error(&error);
    tap_ok(doc != NULL && doc_find_section(doc, "乙办法", &section, NULL) &&
               doc->blocks[section.first].level == 2,
           "an issued document's section by its title");
}

static void
test_issued_checks(void)
{
    const char *none[] = {NULL};
    expect_warnings("the issued document as its notice's title names it",
                    "关于印发《甲办法（试行）》的通知\n正文。\n2024年1月5日\n@issued 甲办法\n"
                    "（试行）\n正文。\n",
                    none);
    expect_warnings("the issued document named otherwise in the notice's title",
                    "关于印发《甲办法》《丙规定》的通知\n正文。\n2024年1月5日\n@issued 乙办法\n"
                    "正文。\n@issued 丙规定\n",
                    (const char *[]){"4:the issued document is titled “乙办法”, but the notice's "
                                     "title issues 《甲办法》《丙规定》", NULL});
    expect_warnings("the notice's 附件说明 lists the issued document",
                    "标题\n正文。\n附件：《甲办法》\n2024年1月5日\n@issued 甲办法\n正文。\n",
                    (const char *[]){"3:the 附件说明 lists “甲办法”, the issued document", NULL});
    expect_warnings("a title in 《》", "标题\n正文。\n2024年1月5日\n@issued 《甲办法》\n正文。\n",
                    (const char *[]){"4:the issued document's title is written without 《》", NULL});
    expect_warnings("numbering restarts in the issued document",
                    "标题\n一、甲\n二、乙\n2024年1月5日\n@issued 甲办法\n一、总则\n二、附则\n",
                    none);
}

static void
test_issued_errors(void)
{
    expect_error("@issued before the notice's date", "标题\n正文。\n@issued 甲办法\n正文。\n",
                 "mem.txt:3:1: ", "@issued starts the issued document after the notice's "
                 "signature and date");
    expect_error("@issued, then the date", "标题\n正文。\n@issued 甲办法\n正文。\n2024年1月5日\n",
                 "mem.txt:3:1: ", "the notice has no date before it");
    expect_error("@issued with no title at the end", "标题\n正文。\n2024年1月5日\n  @issued\n",
                 "mem.txt:4:3: ", "@issued needs the issued document's title");
    expect_error("@issued before a directive", "标题\n正文。\n2024年1月5日\n@issued\n@attachment\n",
                 "mem.txt:4:1: ", "(line 5 is a directive)");
    expect_error("@issued before an article",
                 "标题\n正文。\n2024年1月5日\n@issued\n\n第一条　为规范管理，制定本办法。\n",
                 "mem.txt:4:1: ", "(line 6 is an article or chapter");
    expect_error("@issued before a heading", "标题\n正文。\n2024年1月5日\n@issued\n一、总则\n",
                 "mem.txt:4:1: ", "(line 5 is a numbered heading)");
    expect_error("@issued before a sentence",
                 "标题\n正文。\n2024年1月5日\n@issued\n为规范管理，制定本办法。\n",
                 "mem.txt:4:1: ", "(line 5 is a sentence, not a title)");
}

static void
test_issued(void)
{
    compare_dump(ISSUED_FIXTURE, EXPECTED "/issued.dump", "issued");
    test_issued_titles();
    test_issued_parts();
    test_issued_checks();
    test_issued_errors();
}

/* ---- articles (规章-style text: 第X章, 第X节, 第X条 and their items) ------------------------ */

/* Parse `text` and expect exactly the diagnostics of `want` (NULL-terminated), in order:
 * each the start of one formatted diagnostic ("mem.txt:3:1: error: article 第三条 …"). */
static void
expect_diags(const char *name, const char *text, const char *const *want)
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
        char *line = diag_format(g_ptr_array_index(doc->warnings, k));
        ok = g_str_has_prefix(line, want[k]);
        g_free(line);
    }
    if (!tap_ok(ok, "%s: %u diagnostic%s as expected", name, n, n == 1 ? "" : "s"))
        for (guint k = 0; k < doc->warnings->len; k++) {
            char *line = diag_format(g_ptr_array_index(doc->warnings, k));
            tap_diag("%s", line);
            g_free(line);
        }
}

/* The kinds of the blocks after the title, as "kind kind …" (a heading as heading-N, an item
 * as item-N). */
static char *
article_kinds(const char *text)
{
    g_autoptr(Doc) doc = source_parse("mem.txt", text, strlen(text), NULL);
    if (doc == NULL)
        return g_strdup("(no doc)");
    GString *out = g_string_new(NULL);
    for (size_t i = 1; i < doc->n_blocks; i++) {
        const DocBlock *b = &doc->blocks[i];
        g_string_append_printf(out, "%s%s", out->len > 0 ? " " : "", doc_block_kind_name(b->kind));
        if (b->kind == DOC_BLOCK_HEADING || b->kind == DOC_BLOCK_ITEM)
            g_string_append_printf(out, "-%d", b->level);
    }
    return g_string_free(out, FALSE);
}

static void
expect_article_kinds(const char *name, const char *text, const char *want)
{
    char *got = article_kinds(text);
    tap_is_str(got, want, "%s: %s", name, want);
    g_free(got);
}

static void
test_article_recognition(void)
{
    expect_article_kinds("a chapter, articles and their items",
                 "标题\n第一章　总　则\n第一条　为了规范管理，制定本办法。\n第二条 有下列情形之一的：\n"
                 "（一）甲；\n1.子项；\n（1）细目；\n一、乙。\n本条所称情形，由市局认定。\n",
                 "chapter article article item-2 item-3 item-4 item-1 paragraph");
    expect_article_kinds("an article without a chapter enters the structure",
                 "标题\n第一条 适用范围。\n（一）甲；\n（二）乙。\n",
                 "article item-2 item-2");
    expect_article_kinds("numbered lines before the first article stay headings",
                 "标题\n一、总体要求\n（一）加强领导。\n第一条 为了规范。\n（一）甲。\n",
                 "heading-1 heading-2 article item-2");
    expect_article_kinds("第十条 inside a sentence is no article",
                 "标题\n现将办法印发给你们，第十条所列情形请对照执行。\n（一）加强领导。\n"
                 "（二）抓好落实。\n",
                 "paragraph heading-2 heading-2");
    expect_article_kinds("a notice paragraph that begins with a reference to an article",
                 "标题\n第一条规定的时限自印发之日起执行。\n第十条所称单位，包括直属单位。\n"
                 "第三条至第五条暂不执行。\n（一）加强领导。\n",
                 "paragraph paragraph paragraph heading-2");
    expect_article_kinds("without a space: 第一条, then higher numbers, are articles",
                 "标题\n第一条为了规范管理。\n第二条本办法适用于本市。\n第二条第一款所称单位。\n"
                 "第三条规定的情形。\n第三条县级以上档案馆。\n",
                 "article article paragraph paragraph article");
    expect_article_kinds("without a space and before any article: not an article",
                 "标题\n第五条为本办法的核心内容。\n（一）加强领导。\n",
                 "paragraph heading-2");
    expect_article_kinds("第X节 outside a 规章-style text is a paragraph",
                 "标题\n第一节 概述\n第一章 总则\n第一节 概述\n", "paragraph chapter section");
    expect_article_kinds("a sentence that begins with 第X章 is no chapter",
                 "标题\n第三章规定了审查程序，请遵照执行。\n第二章 审查\n", "paragraph chapter");
    expect_article_kinds("an attachment starts again",
                 "标题\n第一条 甲。\n（一）乙。\n@attachment 表\n（一）丙。\n第一条 丁。\n",
                 "article item-2 attachment heading-2 article");
    expect_article_kinds("a chapter closes the article", "标题\n第一条 甲。\n第二章 乙\n（一）丙。\n",
                 "article chapter heading-2");
}

/* How the space after 第X条 is written does not matter: one full-width space is set. */
static void
test_article_normalised(void)
{
    const char *const sources[] = {"第一条　为了规范。", "第一条 为了规范。", "第一条为了规范。",
                                   "第一条  为了规范。", "第一条\t为了规范。", "第一条 \u3000为了规范。"};
    for (size_t i = 0; i < G_N_ELEMENTS(sources); i++) {
        char *text = g_strdup_printf("标题\n%s\n", sources[i]);
        g_autoptr(Doc) doc = source_parse("mem.txt", text, strlen(text), NULL);
        const DocBlock *b = doc != NULL && doc->n_blocks == 2 ? &doc->blocks[1] : NULL;
        tap_ok(b != NULL && b->kind == DOC_BLOCK_ARTICLE &&
                   g_strcmp0(b->text, "第一条\u3000为了规范。") == 0 &&
                   b->head_len == strlen("第一条") && g_strcmp0(b->number, "第一条") == 0 &&
                   b->number_value == 1,
               "“%s” is article 1 “第一条　为了规范。”, 第一条 its head", sources[i]);
        g_free(text);
    }
    const char *const chapters[] = {"第二章　总　则", "第二章 总　则", "第二章总　则"};
    for (size_t i = 0; i < G_N_ELEMENTS(chapters); i++) {
        char *text = g_strdup_printf("标题\n第一章 甲\n%s\n", chapters[i]);
        g_autoptr(Doc) doc = source_parse("mem.txt", text, strlen(text), NULL);
        const DocBlock *b = doc != NULL && doc->n_blocks == 3 ? &doc->blocks[2] : NULL;
        tap_ok(b != NULL && b->kind == DOC_BLOCK_CHAPTER &&
                   g_strcmp0(b->text, "第二章\u3000总\u3000则") == 0 && b->number_value == 2,
               "“%s” is chapter 2 “第二章　总　则”", chapters[i]);
        g_free(text);
    }
}

/* A Chinese numeral, written independently of the reader: 1..9999 as numbers are written
 * (十二, 一百零二, 一百一十, 一千零一). */
static char *
numeral(int value)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int thousands = value / 1000, hundreds = value / 100 % 10, tens = value / 10 % 10,
        units = value % 10;
    GString *s = g_string_new(NULL);
    if (thousands > 0)
        g_string_append_printf(s, "%s千", digits[thousands]);
    if (hundreds > 0)
        g_string_append_printf(s, "%s百", digits[hundreds]);
    else if (thousands > 0 && (tens > 0 || units > 0))
        g_string_append(s, "零");
    if (tens > 0)
        g_string_append_printf(s, "%s十", value < 20 ? "" : digits[tens]);
    else if (value >= 100 && hundreds > 0 && units > 0)
        g_string_append(s, "零");
    if (units > 0)
        g_string_append(s, digits[units]);
    return g_string_free(s, FALSE);
}

static void
test_article_numerals(void)
{
    const char *const written[] = {"十", "十一", "二十", "九十九", "一百", "一百零一", "一百零二",
                                   "一百一十", "一百一十一", "二百", "九百九十九", "一千",
                                   "一千零一", "一千零二十"};
    const int values[] = {10, 11, 20, 99, 100, 101, 102, 110, 111, 200, 999, 1000, 1001, 1020};
    for (size_t i = 0; i < G_N_ELEMENTS(written); i++) {
        char *text = g_strdup_printf("标题\n第%s条 文字。\n", written[i]);
        g_autoptr(Doc) doc = source_parse("mem.txt", text, strlen(text), NULL);
        tap_ok(doc != NULL && doc->n_blocks == 2 && doc->blocks[1].kind == DOC_BLOCK_ARTICLE &&
                   doc->blocks[1].number_value == values[i],
               "第%s条 is article %d", written[i], values[i]);
        g_free(text);
    }
    /* 1,200 articles in a row, 第一条 to 第一千二百条: every one an article, no diagnostic */
    GString *text = g_string_new("标题\n");
    for (int k = 1; k <= 1200; k++) {
        char *n = numeral(k);
        g_string_append_printf(text, "第%s条 文字。\n（一）甲；\n（二）乙。\n", n);
        g_free(n);
    }
    g_autoptr(Doc) doc = source_parse("mem.txt", text->str, text->len, NULL);
    gboolean ok = doc != NULL && doc->n_blocks == 1 + 3 * 1200 && doc->warnings->len == 0;
    for (int k = 1; ok && k <= 1200; k++)
        ok = doc->blocks[1 + 3 * (k - 1)].kind == DOC_BLOCK_ARTICLE &&
             doc->blocks[1 + 3 * (k - 1)].number_value == k;
    tap_ok(ok, "第一条 to 第一千二百条, each with items （一）（二）: all articles, no diagnostic");
    g_string_free(text, TRUE);
}

/* Items restart in every article (no warning); articles, chapters and sections out of
 * sequence are errors at their line and column. */
static void
test_article_numbering(void)
{
    const char *none[] = {NULL};
    expect_diags("items restart in every article",
                 "标题\n第一章 总则\n第一条 甲：\n（一）子；\n（二）丑；\n（三）寅；\n（四）卯；\n"
                 "（五）辰。\n第二条 乙：\n（一）子；\n1.甲；\n2.乙；\n（二）丑。\n1.丙。\n"
                 "第三条 丙：\n（一）子。\n第二章 附则\n第四条 丁。\n",
                 none);
    expect_diags("a skipped article", "标题\n第一条 甲。\n  第三条 乙。\n",
                 (const char *[]){"mem.txt:3:3: error: article 第三条 follows 第一条 (line 2); "
                                  "expected 第二条",
                                  NULL});
    expect_diags("a repeated article (once: the next one follows it)",
                 "标题\n第一条 甲。\n第二条 乙。\n第二条 丙。\n第三条 丁。\n",
                 (const char *[]){"mem.txt:4:1: error: article 第二条 follows 第二条 (line 3); "
                                  "expected 第三条",
                                  NULL});
    expect_diags("a skip without a space", "标题\n第一条为了规范。\n第三条本办法。\n",
                 (const char *[]){"mem.txt:3:1: error: article 第三条 follows 第一条", NULL});
    expect_diags("the first article", "标题\n第一章 总则\n第二条 甲。\n",
                 (const char *[]){"mem.txt:3:1: error: article 第二条 is the first article; "
                                  "expected 第一条",
                                  NULL});
    expect_diags("articles run on through chapters",
                 "标题\n第一章 总则\n第一条 甲。\n第二章 分则\n第一条 乙。\n",
                 (const char *[]){"mem.txt:5:1: error: article 第一条 follows 第一条 (line 3); "
                                  "expected 第二条",
                                  NULL});
    expect_diags("a skipped chapter",
                 "标题\n第一章 总则\n第一条 甲。\n第三章 附则\n第二条 乙。\n",
                 (const char *[]){"mem.txt:4:1: error: chapter 第三章 follows 第一章 (line 2); "
                                  "expected 第二章",
                                  NULL});
    expect_diags("sections restart in every chapter",
                 "标题\n第一章 甲\n第一节 子\n第一条 甲。\n第二节 丑\n第二条 乙。\n第二章 乙\n"
                 "第一节 寅\n第三条 丙。\n第三节 卯\n第四条 丁。\n",
                 (const char *[]){"mem.txt:10:1: error: section 第三节 follows 第一节 (line 8); "
                                  "expected 第二节",
                                  NULL});
    expect_diags("an item skipped inside an article",
                 "标题\n第一条 甲：\n（一）子；\n（三）丑。\n第二条 乙：\n（二）寅。\n",
                 (const char *[]){"mem.txt:4:1: warning: numbering （三） follows （一） (line 3) in "
                                  "the same article; expected （二）",
                                  "mem.txt:6:1: warning: numbering （二） begins the items of its "
                                  "level in this article; expected （一）",
                                  NULL});
    expect_diags("every document numbers its own articles",
                 "标题\n第一条 甲。\n第二条 乙。\n@attachment 细则\n第一章 总则\n第一条 丙。\n",
                 (const char *[]){"mem.txt:4:1: warning: 附件 “细则” has no 附件说明", NULL});
    expect_diags("headings around a 规章-style text keep their own numbering",
                 "标题\n一、甲\n（一）子。\n第一条 甲：\n（一）丑；\n（二）寅。\n",
                 none);
}


/* The numeral reader and writer that headings and articles share (layout/numeral.c). */
static void
test_numerals(void)
{
    static const struct {
        const char *text;
        int value;
        const char *rest;
    } reads[] = {
        {"一、", 1, "、"},          {"十、", 10, "、"},           {"十二条", 12, "条"},
        {"二十、", 20, "、"},        {"九十九、", 99, "、"},       {"一百零二条", 102, "条"},
        {"一百一十条", 110, "条"},   {"一千零一条", 1001, "条"},   {"一二", 1, "二"},
        {"百花", 0, "百花"},         {"零、", 0, "零、"},          {"两、", 0, "两、"},
        {"九千九百九十九条", 9999, "条"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(reads); i++) {
        const char *s = reads[i].text;
        int value = numeral_take(&s);
        tap_ok(value == reads[i].value && g_str_equal(s, reads[i].rest),
               "numeral_take(%s) = %d, rest %s (got %d, rest %s)", reads[i].text,
               reads[i].value, reads[i].rest, value, s);
    }
    static const struct {
        int value;
        const char *text;
    } writes[] = {{1, "一"},       {10, "十"},         {12, "十二"},     {20, "二十"},
                  {100, "一百"},   {102, "一百零二"},  {110, "一百一十"}, {1001, "一千零一"},
                  {9999, "九千九百九十九"}, {0, "0"}, {10000, "10000"}};
    for (size_t i = 0; i < G_N_ELEMENTS(writes); i++) {
        GString *out = g_string_new(NULL);
        numeral_append(out, writes[i].value);
        tap_is_str(out->str, writes[i].text, "numeral_append(%d)", writes[i].value);
        const char *s = out->str;
        if (writes[i].value >= 1 && writes[i].value <= 9999)
            tap_ok(numeral_take(&s) == writes[i].value && *s == '\0', "%s reads back as %d",
                   out->str, writes[i].value);
        g_string_free(out, TRUE);
    }
}

int
main(void)
{
    tap_plan_no_plan();
    if (!tap_chdir_srcdir())
        return tap_done();
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
    test_issued();
    test_article_recognition();
    test_article_normalised();
    test_article_numerals();
    test_numerals();
    test_article_numbering();
    return tap_done();
}
