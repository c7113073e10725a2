/* gongwen: tests of charts that take their figures from a table (layout/charttable.c):
 * tests/fixtures/charts/from-table (the application table of the 2021 form, the table of
 * blocks of 主动公开, a flat table with gaps, a small table of groups) read with rows=,
 * column= and labels=; the doc dump of its report against tests/expected/doc; and every
 * error at its place on the @chart line, naming what was not found and the closest labels;
 * and a chart's figures in words (chart_describe), the alternative text of a tagged PDF.
 */
#include "chartdata.h"
#include "error.h"
#include "source.h"
#include "tap.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#define FIXTURE "tests/fixtures/charts/from-table"
#define EXPECTED "tests/expected/doc/charts-from-table.dump"

/* The report `head` + `chart_line` (line 5 when head has four lines), parsed as if it lay
 * in the fixture's folder. Owned or NULL with *error. */
static Doc *
parse_chart(const char *head, const char *chart_line, GError **error)
{
    char *text = g_strdup_printf("%s%s\n", head, chart_line);
    Doc *doc = source_parse(FIXTURE "/mem.txt", text, strlen(text), error);
    g_free(text);
    return doc;
}

#define HEAD "标题\n正文。\n@table apply.tsv header=3\n@table gaps.tsv\n"

/* The last chart of a Doc, or NULL. */
static const DocTable *
last_chart(const Doc *doc)
{
    for (size_t b = doc->n_blocks; b-- > 0;)
        if (doc->blocks[b].kind == DOC_BLOCK_CHART)
            return doc->blocks[b].chart->table;
    return NULL;
}

/* The chart's categories and figures as "name=figure|…" (series separated by ";"). */
static char *
chart_figures(const DocTable *t)
{
    GString *out = g_string_new(NULL);
    for (size_t s = 1; t != NULL && s < t->n_cols; s++) {
        g_string_append_printf(out, "%s%s:", s > 1 ? ";" : "", doc_table_cell(t, 0, s)->text);
        for (size_t r = 1; r < t->n_rows; r++)
            g_string_append_printf(out, "%s%s=%s", r > 1 ? "|" : "", doc_table_cell(t, r, 0)->text,
                                   doc_table_cell(t, r, s)->text);
    }
    return g_string_free(out, FALSE);
}

/* `chart_line` after `head` parses, and its chart holds `want` (chart_figures). */
static void
expect_chart(const char *name, const char *head, const char *chart_line, const char *want)
{
    GError *error = NULL;
    Doc *doc = parse_chart(head, chart_line, &error);
    if (!tap_ok(doc != NULL, "%s: parses", name)) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return;
    }
    char *got = chart_figures(last_chart(doc));
    tap_is_str(got, want, "%s: %s", name, want);
    g_free(got);
    doc_free(doc);
}

/* `chart_line` after HEAD is an error whose message starts with
 * "tests/fixtures/charts/from-table/mem.txt:5:COL: " and holds each phrase. */
static void
expect_error(const char *name, const char *chart_line, int col, const char *phrase,
             const char *phrase2)
{
    GError *error = NULL;
    Doc *doc = parse_chart(HEAD, chart_line, &error);
    if (!tap_ok(doc == NULL && error != NULL, "%s: is an error", name)) {
        doc_free(doc);
        return;
    }
    char *prefix = g_strdup_printf(FIXTURE "/mem.txt:5:%d: error: ", col);
    gboolean ok = g_error_matches(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT) &&
                  g_str_has_prefix(error->message, prefix) && strstr(error->message, phrase) &&
                  (phrase2 == NULL || strstr(error->message, phrase2));
    if (!tap_ok(ok, "%s: “%s…%s”", name, prefix, phrase))
        tap_diag("message: %s", error->message);
    g_free(prefix);
    g_error_free(error);
}

/* `chart_line` after `head` is an error whose message holds `want`. */
static void
expect_message(const char *name, const char *head, const char *chart_line, const char *want)
{
    GError *error = NULL;
    Doc *doc = parse_chart(head, chart_line, &error);
    gboolean ok = doc == NULL && error != NULL && strstr(error->message, want) != NULL;
    if (!tap_ok(ok, "%s", name))
        tap_diag("message: %s", error != NULL ? error->message : "(none)");
    g_clear_error(&error);
    doc_free(doc);
}

/* The fixture's report against its doc dump; the application table read once, shared by
 * the @table and the four charts; the bar chart of 办理结果 adds up to （七）总计. */
static void
test_fixture(void)
{
    GError *error = NULL;
    Doc *doc = source_load(FIXTURE, &error);
    if (!tap_ok(doc != NULL, "the from-table fixture parses")) {
        tap_diag("%s", error->message);
        g_error_free(error);
        return;
    }
    char *dump = doc_dump(doc);
    tap_compare_file(dump, EXPECTED, "charts-from-table doc dump");
    g_free(dump);
    size_t parsed = 0, charts = 0;
    for (guint i = 0; i < doc->tables->len; i++) {
        const DocTable *t = g_ptr_array_index(doc->tables, i);
        parsed += g_str_has_suffix(t->file, "/apply.tsv") && t->n_cols == 10;
    }
    for (size_t b = 0; b < doc->n_blocks; b++)
        charts += doc->blocks[b].kind == DOC_BLOCK_CHART;
    tap_ok(parsed == 1 && charts == 4,
           "apply.tsv parsed once for the table and %zu charts "
           "(%zu times)",
           charts, parsed);
    const DocTable *bar = NULL;
    for (size_t b = 0; b < doc->n_blocks && bar == NULL; b++)
        if (doc->blocks[b].kind == DOC_BLOCK_CHART)
            bar = doc->blocks[b].chart->table;
    double sum = 0;
    for (size_t r = 1; bar != NULL && r < bar->n_rows; r++)
        sum += g_ascii_strtod(doc_table_cell(bar, r, 1)->text, NULL);
    tap_ok(bar != NULL && bar->n_rows == 7 && fabs(sum - 63) < 1e-9,
           "（一）..（六） add up to （七）总计 63 (%g)", sum);
    doc_free(doc);
}

/* Rows by label, range, path, with ASCII brackets or without the numbering; groups; the
 * only figure column; blocks with their own column heads; a chart before its table. */
static void
test_choosing(void)
{
    expect_chart("a range of group labels", HEAD,
                 "@chart bar apply.tsv rows=（一）..（六） column=总计",
                 "总计:予以公开=26|部分公开=6|不予公开=4|无法提供=17|不予处理=8|其他处理=2");
    expect_chart(
        "ASCII brackets, a path and a range", HEAD,
        "@chart bar apply.tsv rows=(四)/1..3 column=自然人,总计",
        "自然人:本机关不掌握相关政府信息=11|没有现成信息需要另行制作=2|补正后申请内容仍不明确=1;"
        "总计:本机关不掌握相关政府信息=14|没有现成信息需要另行制作=2|补正后申请内容仍不明确=1");
    expect_chart("labels without their numbering", HEAD,
                 "@chart bar apply.tsv rows=予以公开,不予处理 column=总计",
                 "总计:予以公开=26|不予处理=8");
    expect_chart("a whole label before a longer one", HEAD,
                 "@chart bar apply.tsv rows=其他 column=其他", "其他:其他=0");
    expect_chart("a group with a 总计 row takes it", HEAD,
                 "@chart hbar apply.tsv rows=一..四 column=总计",
                 "总计:本年新收政府信息公开申请数量=63|上年结转政府信息公开申请数量=3|"
                 "本年度办理结果=63|结转下年度继续办理=3");
    expect_chart("labels= names the categories", HEAD,
                 "@chart pie apply.tsv rows=（一）,（二） column=总计 labels=公开,部分",
                 "总计:公开=26|部分=6");
    expect_chart("a flat table: numbered rows under a label", HEAD,
                 "@chart bar gaps.tsv rows=（二）/1..2 column=上年",
                 "上年:按时办结数=49|延期办结数=1");
    expect_chart("the only figure column needs no column=", "标题\n@table groups.tsv\n",
                 "@chart bar groups.tsv rows=（二）,（三）", "数量:乙类=5|丙类=0");
    expect_chart("a group's sum", "标题\n@table groups.tsv\n",
                 "@chart bar groups.tsv rows=（一）/1,（二）", "数量:子项一=3|乙类=5");
    expect_chart("blocks: each row under its block's column heads", "标题\n@table active.tsv\n",
                 "@chart bar active.tsv rows=行政许可..行政强制 column=本年",
                 "本年处理决定数量:行政许可=1268|行政处罚=356|行政强制=42");
    expect_chart("blocks: a column of the first block", "标题\n@table active.tsv\n",
                 "@chart bar active.tsv rows=规章,行政规范性文件 column=本年制发,现行有效",
                 "本年制发件数:规章=0|行政规范性文件=4;现行有效件数:规章=0|行政规范性文件=17");
    expect_chart("a chart before its table, with header=", "标题\n",
                 "@chart bar apply.tsv header=3 rows=（七） column=总计", "总计:总计=63");
}

static void
test_label_errors(void)
{
    expect_error("an unknown label", "@chart bar apply.tsv rows=（一）,（八） column=总计", 31,
                 "apply.tsv: no row label begins with “（八）”; the closest are “（一）予以公开” "
                 "(row 6)",
                 NULL);
    expect_error("an unknown label under another", "@chart bar apply.tsv rows=（三）/9 column=总计",
                 31, "no row label under “（三）不予公开” (row 8) begins with “9”",
                 "the closest are “1.属于国家秘密” (row 8)");
    expect_error("a label of several rows", "@chart bar apply.tsv rows=1. column=总计", 27,
                 "“1.” begins 4 row labels: “1.属于国家秘密” (row 8), “1.本机关不掌握相关政府信息” "
                 "(row 16)",
                 "(（三）/1.)");
    expect_error("a full-width comma", "@chart bar gaps.tsv rows=（一），（二） column=上年", 26,
                 "no row label begins with “（一），（二）”", "ASCII comma");
    expect_error("a range upwards", "@chart bar gaps.tsv rows=（二）..（一） column=上年", 31,
                 "“（一）收到申请数” (row 2) comes before “（二）申请办结数” (row 7)", NULL);
    expect_error("a range across columns", "@chart bar apply.tsv rows=（一）..（三）/1 column=总计",
                 32, "“1.属于国家秘密” (row 8) is not a label like “（一）予以公开” (row 6)", NULL);
    expect_error("a row twice", "@chart bar gaps.tsv rows=（一）,（一） column=上年", 30,
                 "the row “（一）收到申请数” (row 2) is chosen twice", NULL);
    expect_error("an empty entry", "@chart bar gaps.tsv rows=（一）,,（二） column=上年", 30,
                 "an empty entry", NULL);
    expect_error("labels= of another count",
                 "@chart bar gaps.tsv rows=（一） column=上年 labels=a,b", 47,
                 "labels= gives 2 names for 1 row", NULL);
    expect_error("column= without rows=", "@chart bar gaps.tsv column=上年", 1,
                 "a chart from a table needs rows=", NULL);
    expect_error("an unknown option", "@chart bar gaps.tsv row=（一）", 21,
                 "unknown @chart option \"row=（一）\"", "rows=");
}

static void
test_column_errors(void)
{
    expect_error("an unknown column", "@chart bar apply.tsv rows=（一）..（六） column=总数", 43,
                 "apply.tsv: no figure column is headed “总数”; the figure columns are “自然人”, "
                 "“商业企业”, “科研机构”, “社会公益组织”, “法律服务机构”, “其他”, “总计”",
                 NULL);
    expect_error(
        "a heading over several columns", "@chart bar apply.tsv rows=（一） column=法人或其他组织",
        38, "“法人或其他组织” heads 5 figure columns: “商业企业”", "(法人或其他组织/商业企业)");
    expect_error("a column of labels", "@chart bar gaps.tsv rows=（一） column=单位", 37,
                 "“单位” heads a column of labels, not of figures", NULL);
    expect_error("several figure columns and no column=", "@chart bar apply.tsv rows=（一）", 1,
                 "write column=HEADER: the table has 7 figure columns", NULL);
    expect_error("a pie of two columns", "@chart pie gaps.tsv rows=（一） column=上年,统计数", 37,
                 "a pie or donut shows one column; column= names 2", NULL);
    expect_message(
        "a column its block does not have: names the block's columns",
        "标题\n正文。\n@table active.tsv\n正文。\n",
        "@chart bar active.tsv rows=行政许可 column=本年制发件数",
        "mem.txt:5:40: error: active.tsv: no figure column over the row “行政许可” "
        "(row 7) is headed “本年制发件数”; the figure column there is “本年处理决定数量”");
}

static void
test_cell_errors(void)
{
    expect_error("a blank cell", "@chart bar gaps.tsv rows=（一）/2 column=统计数", 26,
                 "gaps.tsv: row 4, column 3 (“2．传真申请数”, “统计数”) is blank", NULL);
    expect_error("a cell “—”", "@chart bar gaps.tsv rows=（一）/3 column=统计数", 26,
                 "row 5, column 3 (“3．网络申请数”, “统计数”) holds “—” (not stated)", NULL);
    expect_error("a word", "@chart bar gaps.tsv rows=（一）/1..4 column=统计数", 26,
                 "row 4, column 3 (“2．传真申请数”, “统计数”) is blank", NULL);
    expect_error("a word", "@chart bar gaps.tsv rows=（一）/4 column=统计数", 26,
                 "row 6, column 3 (“4．信函申请数”, “统计数”) holds “12件”, not a number", NULL);
    const char *groups = "标题\n正文。\n@table groups.tsv\n正文。\n";
    expect_message("a blank cell in a group: names the cell and the group", groups,
                   "@chart bar groups.tsv rows=（二）,（一）",
                   "mem.txt:5:32: error: groups.tsv: row 3, column 3 (“2.子项二”, “数量”), "
                   "counted in “（一）甲类”, is blank");
    expect_message("a negative figure in a pie", groups, "@chart pie groups.tsv rows=（二）,（四）",
                   "mem.txt:5:32: error: groups.tsv: row 6, column 3 (“（四）丁类”, “数量”) "
                   "holds -2: a pie cannot show a negative value");
    expect_message("a pie of zeros", groups, "@chart donut groups.tsv rows=（三） 图",
                   "mem.txt:5:30: error: groups.tsv: every figure chosen for this pie is 0");
}

/* A chart of `rows` × `cols` cells (one header row) given row by row. */
static const DocChart *
chart_of(Doc *doc, size_t rows, size_t cols, const char *const *cells, const char *unit)
{
    DocTable *t = doc_new_table(doc, rows, cols);
    t->header_rows = 1;
    for (size_t i = 0; i < rows * cols; i++)
        doc_table_cell(t, i / cols, i % cols)->text = doc_intern(doc, cells[i], -1);
    DocChart *c = doc_new_chart(doc);
    c->table = t;
    c->unit = unit != NULL ? doc_intern(doc, unit, -1) : NULL;
    return c;
}

static void
test_describe(void)
{
    Doc *doc = doc_new("mem.txt");
    const char *one[] = {"申请方式", "件数", "当面申请", "1", "网络申请", "54", "信函申请", "12.50"};
    char *words = chart_describe(chart_of(doc, 4, 2, one, "件"));
    tap_ok(g_str_equal(words, "当面申请1件，网络申请54件，信函申请12.5件"),
           "describe: one series, in the data's order, values as the chart writes them: %s",
           words);
    g_free(words);
    const char *two[] = {"结果", "2016年", "2017年", "同意公开", "20", "1,234",
                         "不同意公开", "—", "3"};
    words = chart_describe(chart_of(doc, 3, 3, two, NULL));
    tap_ok(g_str_equal(words, "同意公开：2016年20，2017年1234；不同意公开：2016年无数据，2017年3"),
           "describe: several series named, a value not stated 无数据, no unit: %s", words);
    g_free(words);
    doc_free(doc);
}

int
main(void)
{
    tap_plan_no_plan();
    if (!tap_chdir_srcdir())
        return tap_done();
    test_fixture();
    test_choosing();
    test_label_errors();
    test_column_errors();
    test_cell_errors();
    test_describe();
    return tap_done();
}
