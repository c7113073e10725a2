/* gongwen new: a report folder to fill in, that renders and passes `check` as written — the
 * 政府信息公开工作年度报告 (its six parts, the three tables of the form as data files, the
 * charts reports show) or a 通知 (版头, body, attachment, 版记, the front matter explained).
 * The texts are compiled in (templates.c); the tables are the forms of layout/forms.c. The
 * files are written each through a temporary file and renamed together when all are
 * complete, into a new or empty folder only. */
#include "cli.h"

#include "diag.h"
#include "forms.h"
#include "render.h"
#include "source.h"
#include "templates.h"

#include <errno.h>
#include <stdarg.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char summary[] =
    "Write a new report folder to fill in. KIND is\n"
    "  annual-report  the 政府信息公开工作年度报告 of --year for --organ: report.txt with the\n"
    "                 six parts and the usual opening (basis, statistics period), the three\n"
    "                 tables of the form as data files with every label of the form and\n"
    "                 figures 0 (active.tsv 二, apply.tsv 三, review.tsv 四), two charts\n"
    "                 (applicants.tsv; the results' from apply.tsv) and apply.rules, which checks the\n"
    "                 figures of the text against the table. --form 2021 (the default from\n"
    "                 the 2021 reports on, 国办公开办函〔2021〕30号) or 2019 (国办公开办函〔2019〕\n"
    "                 60号, the 2019 and 2020 reports). --previous LASTDIR carries last year's\n"
    "                 结转下年度继续办理 over to 上年结转 (and to 结转下年度, until this year's\n"
    "                 results are entered) and its 现行有效件数 of table 二.\n"
    "  notice         a 通知 with its 版头 (organ, 发文字号), 主送机关, body, an attachment with a\n"
    "                 table, signature and date and its 版记, every front matter key explained\n"
    "                 in comments; --organ and --date (default: today, or SOURCE_DATE_EPOCH).\n"
    "DIR must not exist or be empty: nothing is overwritten.";

static const char examples[] =
    "Examples:\n"
    "  gongwen new annual-report 2025 --year 2025 --organ 某某县商务局\n"
    "  gongwen new annual-report 2025 --year 2025 --organ 某某县商务局 --previous 2024\n"
    "  gongwen new notice notice --organ 某某县商务局 --date 2025-03-01\n"
    "\nThen edit the text and the tables, and run gongwen check DIR and gongwen render DIR.\n"
    "The tables' labels are the form's: check warns at a label that differs, adds up every\n"
    "rule of the form, and reports each blank cell (write 0 when there is none).";

typedef struct {
    char *year_arg, *organ, *form_arg, *previous, *date;
    gboolean quiet;
    int year, format;
} NewOptions;

/* -q: warnings are not printed */
static gboolean quiet_warnings;

static void new_warn(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* A warning about the inputs of `new`, on standard error unless -q. */
static void
new_warn(const char *format, ...)
{
    if (quiet_warnings)
        return;
    va_list args;
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
}

/* ---- filling in ---------------------------------------------------------------------------- */

/* `text` with each {key} of `pairs` (key, value, …, NULL) replaced. Owned. */
static char *
fill(const char *text, const char *const *pairs)
{
    GString *out = g_string_new(text);
    for (size_t i = 0; pairs[i] != NULL; i += 2) {
        char *key = g_strdup_printf("{%s}", pairs[i]);
        g_string_replace(out, key, pairs[i + 1], 0);
        g_free(key);
    }
    return g_string_free(out, FALSE);
}

/* A table file's text with the cells from `col` of the row labelled `label` (its first
 * cell) set to `values` (NULL-terminated). Owned. */
static char *
set_row(const char *tsv, const char *label, size_t col, char **values)
{
    char **rows = g_strsplit(tsv, "\n", -1);
    for (char **r = rows; *r != NULL; r++) {
        char **cells = g_strsplit(*r, "\t", -1);
        if (cells[0] != NULL && g_str_equal(cells[0], label)) {
            for (size_t k = 0; values[k] != NULL && cells[col + k] != NULL; k++) {
                g_free(cells[col + k]);
                cells[col + k] = g_strdup(values[k]);
            }
            g_free(*r);
            *r = g_strjoinv("\t", cells);
        }
        g_strfreev(cells);
    }
    char *out = g_strjoinv("\n", rows);
    g_strfreev(rows);
    return out;
}

/* ---- last year's figures ------------------------------------------------------------------ */

typedef struct {
    char **carried;     /* 结转下年度继续办理: the 7 figures, or NULL */
    char *rules_now;    /* 现行有效件数 of 规章 and of 行政规范性文件, or NULL */
    char *norms_now;
    char *note;         /* what was carried, for report.txt's comments */
} Previous;

static void
previous_clear(Previous *p)
{
    g_strfreev(p->carried);
    g_free(p->rules_now);
    g_free(p->norms_now);
    g_free(p->note);
}

/* The figure in the cell of `t` where `m`'s form has (row, col): its text when a number,
 * else "0" with a warning naming the cell. Owned. */
static char *
carried_figure(const DocTable *t, const FormMatch *m, long frow, size_t fcol, const char *what)
{
    long row = m->from_form[frow], col = m->columns[fcol];
    const char *text = row >= 0 && col >= 0
                           ? t->cells[doc_table_cell(t, (size_t)row, (size_t)col)->anchor].text
                           : "";
    char *clean = g_strdup(text);
    if (!g_regex_match_simple("^[0-9][0-9,]*(\\.[0-9]+)?$", clean, 0, 0)) {
        new_warn("%s:%ld:%ld: warning: %s is “%s”, not a figure; this year's table "
                "starts from 0 there\n", t->file, row + 1, col + 1, what, text);
        g_free(clean);
        return g_strdup("0");
    }
    g_strdelimit(clean, ",", '\0');
    return clean;
}

/* Read last year's report `dir` and take what carries over; FALSE with `error` set when it
 * cannot be read or has no table 三 of a form. */
static gboolean
previous_read(const char *dir, int year, Previous *p, GError **error)
{
    Doc *doc = source_load(dir, error);
    if (doc == NULL)
        return FALSE;
    /* a title that names a year names last year's */
    GMatchInfo *match = NULL;
    if (doc->title != NULL &&
        g_regex_match_simple("[12][0-9]{3}年", doc->title, 0, 0)) {
        GRegex *re = g_regex_new("([12][0-9]{3})年", 0, 0, NULL);
        g_regex_match(re, doc->title, 0, &match);
        char *named = g_match_info_fetch(match, 1);
        if (named != NULL && g_ascii_strtoll(named, NULL, 10) != year - 1)
            new_warn("%s: warning: its title names %s, not %d: is it last year's "
                    "report?\n", doc->path, named, year - 1);
        g_free(named);
        g_match_info_free(match);
        g_regex_unref(re);
    }
    const DocTable *apply = NULL, *active = NULL;
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocTable *t = doc->blocks[b].kind == DOC_BLOCK_TABLE ? doc->blocks[b].table : NULL;
        const Form *form = t != NULL && t->form != NULL ? forms_find(t->form) : NULL;
        if (form != NULL && g_str_equal(form->part, "三") && apply == NULL)
            apply = t;
        if (form != NULL && g_str_equal(form->id, "2021-active") && active == NULL)
            active = t;
    }
    if (apply == NULL) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){doc->path, 0, 0},
                       "no table of last year's report is table 三 of the 2021 or 2019 form "
                       "(收到和处理政府信息公开申请情况), to carry 结转下年度继续办理 over from");
        doc_free(doc);
        return FALSE;
    }
    FormMatch *m = forms_match(apply, forms_find(apply->form), NULL);
    long row = forms_row(m, "四、结转下年度继续办理");
    p->carried = g_new0(char *, 8);
    for (size_t k = 0; k < 7; k++)
        p->carried[k] = carried_figure(apply, m, row, 3 + k, "结转下年度继续办理");
    forms_match_free(m);
    GString *note = g_string_new(NULL);
    g_string_append_printf(note, "# 上年结转取自上年报告 %s 的“四、结转下年度继续办理”，同样填在本年的\n"
                           "# “四、结转下年度继续办理”，使表格在填入本年办理结果前也能相加。\n",
                           apply->file);
    if (active != NULL) {
        m = forms_match(active, forms_find(active->form), NULL);
        p->rules_now = carried_figure(active, m, forms_row(m, "规章"), 3, "现行有效件数");
        p->norms_now = carried_figure(active, m, forms_row(m, "行政规范性文件"), 3, "现行有效件数");
        forms_match_free(m);
        g_string_append_printf(note, "# 表二的现行有效件数取自 %s，本年有制发或废止的，相应加减。\n",
                               active->file);
    } else {
        new_warn("%s: warning: last year's report has no table 二 of the 2021 form; "
                "enter 现行有效件数 by hand\n", doc->path);
    }
    p->note = g_string_free(note, FALSE);
    doc_free(doc);
    return TRUE;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    char *text; /* owned */
} NewFile;

/* Whether `dir` can take the new report: it does not exist (made now, *made set) or is an
 * empty folder. FALSE with a message printed otherwise. */
static gboolean
prepare_dir(const char *dir, gboolean *made)
{
    *made = FALSE;
    GStatBuf st;
    if (g_lstat(dir, &st) != 0) {
        if (g_mkdir_with_parents(dir, 0755) != 0) {
            fprintf(stderr, "gongwen: %s: cannot make the folder: %s\n", dir, g_strerror(errno));
            return FALSE;
        }
        *made = TRUE;
        return TRUE;
    }
    if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "gongwen: %s exists and is not a folder; give a new folder's name\n", dir);
        return FALSE;
    }
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *entry = d != NULL ? g_dir_read_name(d) : NULL;
    if (d == NULL || entry != NULL) {
        fprintf(stderr, "gongwen: %s is not empty%s%s%s; gongwen new writes only into a new or "
                "empty folder, and overwrites nothing\n", dir, entry != NULL ? " (it holds " : "",
                entry != NULL ? entry : "", entry != NULL ? ")" : "");
        if (d != NULL)
            g_dir_close(d);
        return FALSE;
    }
    g_dir_close(d);
    return TRUE;
}

/* Write every file into `dir`: each through a temporary file beside it, all renamed when
 * all are complete. Exit status. */
static int
write_files(const char *dir, NewFile *files, size_t n, gboolean quiet)
{
    gboolean made;
    if (!prepare_dir(dir, &made))
        return EXIT_INPUT;
    AtomicFile out[8];
    AtomicFile *list[8];
    g_assert(n <= G_N_ELEMENTS(out));
    GError *error = NULL;
    size_t opened = 0;
    gboolean ok = TRUE;
    for (size_t i = 0; i < n && ok; i++) {
        char *path = g_build_filename(dir, files[i].name, NULL);
        ok = atomic_open(&out[i], path, &error);
        g_free(path);
        if (ok) {
            list[opened++] = &out[i];
            size_t len = strlen(files[i].text);
            ok = fwrite(files[i].text, 1, len, out[i].file) == len;
            if (!ok)
                diag_set_error(&error, GONGWEN_ERROR_IO, (DiagAt){out[i].path, 0, 0},
                               "write failed: %s", g_strerror(errno));
        }
    }
    if (ok)
        ok = atomic_commit_all(list, opened, &error);
    else
        for (size_t i = 0; i < opened; i++)
            atomic_abort(list[i]);
    if (!ok) {
        if (made)
            g_rmdir(dir);
        return report_error(error);
    }
    if (!quiet) {
        fprintf(stderr, "gongwen: wrote %s:", dir);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " %s", files[i].name);
        fprintf(stderr, "\nNext: edit %s/report.txt and the tables, then run gongwen check %s "
                "and gongwen render %s\n", dir, dir, dir);
    }
    return EXIT_OK;
}

/* ---- the annual report -------------------------------------------------------------------- */

static int
new_annual_report(const char *dir, const NewOptions *o)
{
    Previous prev = {0};
    GError *error = NULL;
    if (o->previous != NULL && !previous_read(o->previous, o->year, &prev, &error)) {
        previous_clear(&prev);
        return report_error(error);
    }
    const Form *active = forms_for_part(o->format, "二");
    const Form *apply = forms_for_part(o->format, "三");
    const Form *review = forms_for_part(o->format, "四");
    char *year = g_strdup_printf("%d", o->year), *next = g_strdup_printf("%d", o->year + 1);
    char *active_tsv = g_strdup(active->tsv), *apply_tsv = g_strdup(apply->tsv);
    const char *carried = "0";
    if (prev.carried != NULL) {
        char *a = set_row(apply_tsv, "二、上年结转政府信息公开申请数量", 3, prev.carried);
        g_free(apply_tsv);
        apply_tsv = set_row(a, "四、结转下年度继续办理", 3, prev.carried);
        g_free(a);
        carried = prev.carried[6];
    }
    if (prev.rules_now != NULL && o->format == 2021) {
        char *rules[] = {prev.rules_now, NULL}, *norms[] = {prev.norms_now, NULL};
        char *a = set_row(active_tsv, "规章", 3, rules);
        g_free(active_tsv);
        active_tsv = set_row(a, "行政规范性文件", 3, norms);
        g_free(a);
    }
    const char *basis = o->format == 2021
                            ? "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
                            : "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项"
                              "的通知》（国办公开办函〔2019〕60号）";
    const char *pairs[] = {"organ", o->organ, "year", year, "next", next, "basis", basis,
                           "basis_short", o->format == 2021 ? "国办公开办函〔2021〕30号"
                                                            : "国办公开办函〔2019〕60号",
                           "received", "0", "carried", carried, "pending", carried,
                           "other", o->format == 2021 ? template_other_2021 : template_other_2019,
                           "previous_note", prev.note != NULL ? prev.note : "",
                           "form_name", apply->name, NULL};
    NewFile files[] = {
        {"report.txt", fill(template_annual, pairs)},
        {"active.tsv", active_tsv},
        {"apply.tsv", apply_tsv},
        {"apply.rules", fill(template_apply_rules, pairs)},
        {"review.tsv", g_strdup(review->tsv)},
        {"applicants.tsv", g_strdup(template_applicants)},
    };
    int status = write_files(dir, files, G_N_ELEMENTS(files), o->quiet);
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
        g_free(files[i].text);
    g_free(year);
    g_free(next);
    previous_clear(&prev);
    return status;
}

/* ---- the notice --------------------------------------------------------------------------- */

/* The date of --date (2024-03-01 or 2024年3月1日), else of SOURCE_DATE_EPOCH, else today
 * (China Standard Time); FALSE when --date is not a date. */
static gboolean
notice_date(const NewOptions *o, int *y, int *m, int *d)
{
    if (o->date != NULL) {
        GDateTime *parsed = NULL;
        int n = sscanf(o->date, "%d-%d-%d", y, m, d);
        if (n != 3)
            n = sscanf(o->date, "%d年%d月%d日", y, m, d);
        if (n == 3 && *y >= 1900 && *y <= 9999 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31)
            parsed = g_date_time_new_utc(*y, *m, *d, 0, 0, 0);
        if (parsed == NULL)
            return FALSE;
        g_date_time_unref(parsed);
        return TRUE;
    }
    const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
    gint64 seconds = epoch != NULL && *epoch != '\0' ? g_ascii_strtoll(epoch, NULL, 10)
                                                     : (gint64)time(NULL);
    GDateTime *utc = g_date_time_new_from_unix_utc(seconds);
    GDateTime *cst = utc != NULL ? g_date_time_add_hours(utc, 8) : NULL;
    if (cst == NULL)
        cst = g_date_time_new_utc(2000, 1, 1, 0, 0, 0);
    g_date_time_get_ymd(cst, y, m, d);
    g_date_time_unref(cst);
    if (utc != NULL)
        g_date_time_unref(utc);
    return TRUE;
}

static int
new_notice(const char *dir, const NewOptions *o)
{
    int y, m, d;
    if (!notice_date(o, &y, &m, &d))
        return usage_error("--date needs a date, 2025-03-01 or 2025年3月1日, not '%s'", o->date);
    char *year = g_strdup_printf("%d", y), *date = g_strdup_printf("%d-%02d-%02d", y, m, d);
    const char *organ = o->organ != NULL ? o->organ : "某某单位";
    const char *pairs[] = {"organ", organ, "code", "某发", "year", year, "date", date, NULL};
    NewFile files[] = {
        {"report.txt", fill(template_notice, pairs)},
        {"schedule.tsv", g_strdup(template_schedule)},
    };
    int status = write_files(dir, files, G_N_ELEMENTS(files), o->quiet);
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
        g_free(files[i].text);
    g_free(year);
    g_free(date);
    return status;
}

/* ---- the command -------------------------------------------------------------------------- */

/* --organ: one line of text, no control characters, at most 40 characters. */
static gboolean
organ_ok(const char *organ)
{
    if (organ == NULL || *organ == '\0' || !g_utf8_validate(organ, -1, NULL) ||
        g_utf8_strlen(organ, -1) > 40)
        return FALSE;
    for (const char *p = organ; *p != '\0'; p = g_utf8_next_char(p)) {
        char *why = source_forbidden(g_utf8_get_char(p), FALSE);
        gboolean bad = why != NULL || *p == '{' || *p == '\n';
        g_free(why);
        if (bad)
            return FALSE;
    }
    return TRUE;
}

/* Check the options of `kind`; -1 to go on, or an exit status. */
static int
check_options(const char *kind, NewOptions *o)
{
    gboolean annual = g_str_equal(kind, "annual-report");
    if (!annual && !g_str_equal(kind, "notice"))
        return usage_error("new makes an annual-report or a notice, not '%s' (see gongwen new "
                           "--help)", kind);
    if (o->organ != NULL && !organ_ok(o->organ))
        return usage_error("--organ needs the organ's name on one line, at most 40 characters");
    if (!annual) {
        if (o->year_arg != NULL || o->form_arg != NULL || o->previous != NULL)
            return usage_error("--year, --form and --previous are for new annual-report");
        return -1;
    }
    gint64 year = 0;
    if (o->year_arg == NULL || !g_ascii_string_to_signed(o->year_arg, 10, 2019, 9998, &year,
                                                          NULL))
        return usage_error("new annual-report needs --year YYYY, the year reported on (2019 or "
                           "later: the forms are those of 2019 and 2021)");
    if (o->organ == NULL)
        return usage_error("new annual-report needs --organ NAME, the agency reporting");
    o->year = (int)year;
    o->format = o->year >= 2021 ? 2021 : 2019;
    if (o->form_arg != NULL && !g_str_equal(o->form_arg, "2021") && !g_str_equal(o->form_arg, "2019"))
        return usage_error("--form is 2021 (国办公开办函〔2021〕30号) or 2019 (〔2019〕60号), not '%s'",
                           o->form_arg);
    if (o->form_arg != NULL)
        o->format = g_str_equal(o->form_arg, "2021") ? 2021 : 2019;
    return -1;
}

int
cmd_new(int argc, char **argv)
{
    NewOptions o = {0};
    const GOptionEntry entries[] = {
        {"year", 0, 0, G_OPTION_ARG_STRING, &o.year_arg, "The year reported on (annual-report)",
         "YYYY"},
        {"organ", 0, 0, G_OPTION_ARG_STRING, &o.organ, "The agency's name", "NAME"},
        {"form", 0, 0, G_OPTION_ARG_STRING, &o.form_arg, "The format: 2021 (from the 2021 "
         "reports) or 2019", "2021|2019"},
        {"previous", 0, 0, G_OPTION_ARG_FILENAME, &o.previous, "Last year's report, to carry "
         "its figures over", "LASTDIR"},
        {"date", 0, 0, G_OPTION_ARG_STRING, &o.date, "The notice's date (default today)",
         "YYYY-MM-DD"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "Print errors only", NULL},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *context = g_option_context_new("annual-report|notice DIR");
    /* "Usage: gongwen new [OPTION…] annual-report|notice DIR" */
    g_option_context_set_summary(context, summary);
    g_option_context_set_description(context, examples);
    g_option_context_add_main_entries(context, entries, NULL);
    char **args = g_new0(char *, (size_t)argc + 1);
    for (int i = 0; i < argc; i++)
        args[i] = g_strdup(i == 0 ? "gongwen new" : argv[i]);
    GError *error = NULL;
    int status = -1;
    if (!g_option_context_parse_strv(context, &args, &error)) {
        status = usage_error("%s", error->message);
        g_error_free(error);
    } else if (g_strv_length(args) != 3) {
        status = usage_error("new takes a KIND and a DIR: gongwen new annual-report DIR --year "
                             "YYYY --organ NAME, or gongwen new notice DIR");
    } else {
        status = check_options(args[1], &o);
    }
    quiet_warnings = o.quiet;
    if (status < 0)
        status = g_str_equal(args[1], "notice") ? new_notice(args[2], &o)
                                                : new_annual_report(args[2], &o);
    g_option_context_free(context);
    g_strfreev(args);
    g_free(o.year_arg);
    g_free(o.organ);
    g_free(o.form_arg);
    g_free(o.previous);
    g_free(o.date);
    return status;
}
