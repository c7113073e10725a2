/* gongwen: the annual report's prescribed tables and how a report's table stands to them
 * (see forms.h).
 *
 * The labels are those of 国办公开办函〔2021〕30号 (from 2021) and 国办公开办函〔2019〕60号 (2019
 * and 2020), as the notice and the reports written to it print them: an ASCII point after
 * the items' numbers (“1.属于国家秘密”), full-width brackets, and the tables' merged cells as
 * published — written here as the table files `gongwen new` gives (`<` extends the cell on
 * the left, `^` the cell above; in the header an empty cell extends the one on its left). */
#include "forms.h"

#include "tablefile.h"

#include <string.h>

/* ---- the forms --------------------------------------------------------------------------- */

#define Z3 "\t0\t0\t0"
#define Z7 "\t0\t0\t0\t0\t0\t0\t0"
#define NOTE "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
#define APPLY_HEAD                                                                           \
    NOTE "\t\t\t申请人情况\t\t\t\t\t\t\n"                                                     \
         "^\t^\t^\t自然人\t法人或其他组织\t\t\t\t\t总计\n"                                   \
         "^\t^\t^\t^\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t^\n"             \
         "一、本年新收政府信息公开申请数量\t<\t<" Z7 "\n"                                     \
         "二、上年结转政府信息公开申请数量\t<\t<" Z7 "\n"                                     \
         "三、本年度办理结果\t（一）予以公开\t<" Z7 "\n"                                        \
         "^\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t<" Z7 "\n"             \
         "^\t（三）不予公开\t1.属于国家秘密" Z7 "\n"                                          \
         "^\t^\t2.其他法律行政法规禁止公开" Z7 "\n"                                            \
         "^\t^\t3.危及“三安全一稳定”" Z7 "\n"                                                  \
         "^\t^\t4.保护第三方合法权益" Z7 "\n"                                                  \
         "^\t^\t5.属于三类内部事务信息" Z7 "\n"                                                \
         "^\t^\t6.属于四类过程性信息" Z7 "\n"                                                  \
         "^\t^\t7.属于行政执法案卷" Z7 "\n"                                                    \
         "^\t^\t8.属于行政查询事项" Z7 "\n"                                                    \
         "^\t（四）无法提供\t1.本机关不掌握相关政府信息" Z7 "\n"                              \
         "^\t^\t2.没有现成信息需要另行制作" Z7 "\n"                                            \
         "^\t^\t3.补正后申请内容仍不明确" Z7 "\n"                                              \
         "^\t（五）不予处理\t1.信访举报投诉类申请" Z7 "\n"                                    \
         "^\t^\t2.重复申请" Z7 "\n"                                                            \
         "^\t^\t3.要求提供公开出版物" Z7 "\n"                                                  \
         "^\t^\t4.无正当理由大量反复申请" Z7 "\n"                                              \
         "^\t^\t5.要求行政机关确认或重新出具已获取信息" Z7 "\n"
#define APPLY_TAIL                                                                           \
    "^\t（七）总计\t<" Z7 "\n"                                                                  \
    "四、结转下年度继续办理\t<\t<" Z7 "\n"

static const char apply_2021[] =
    APPLY_HEAD
    "^\t（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" Z7 "\n"
    "^\t^\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" Z7 "\n"
    "^\t^\t3.其他" Z7 "\n" APPLY_TAIL;

static const char apply_2019[] = APPLY_HEAD "^\t（六）其他处理\t<" Z7 "\n" APPLY_TAIL;

#define RESULTS_HEAD                                                                         \
    "（七）总计 = （一）予以公开 + （二）部分公开（区分处理的，只计这一情形，不计其他情形）"    \
    " + 1.属于国家秘密 + 2.其他法律行政法规禁止公开 + 3.危及“三安全一稳定”"                    \
    " + 4.保护第三方合法权益 + 5.属于三类内部事务信息 + 6.属于四类过程性信息"                  \
    " + 7.属于行政执法案卷 + 8.属于行政查询事项"                                             \
    " + 1.本机关不掌握相关政府信息 + 2.没有现成信息需要另行制作 + 3.补正后申请内容仍不明确"   \
    " + 1.信访举报投诉类申请 + 2.重复申请 + 3.要求提供公开出版物"                              \
    " + 4.无正当理由大量反复申请 + 5.要求行政机关确认或重新出具已获取信息"
#define APPLY_RULES_HEAD                                                                     \
    "# 第一项加第二项之和，等于第三项加第四项之和, in every column\n"                         \
    "一、本年新收政府信息公开申请数量 + 二、上年结转政府信息公开申请数量"                      \
    " = （七）总计 + 四、结转下年度继续办理\n"                                                 \
    "# the results add up to their total\n"
#define APPLY_RULES_TAIL                                                                     \
    "# the total column is the sum of the applicants' columns, in every row\n"                \
    "column 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他\n"

static const char apply_2021_rules[] =
    APPLY_RULES_HEAD RESULTS_HEAD
    " + 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    " + 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    " + 3.其他\n" APPLY_RULES_TAIL;

static const char apply_2019_rules[] =
    APPLY_RULES_HEAD RESULTS_HEAD " + （六）其他处理\n" APPLY_RULES_TAIL;

static const char active_2021[] =
    "第二十条第（一）项\t<\t<\t<\n"
    "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    "规章" Z3 "\n"
    "行政规范性文件" Z3 "\n"
    "第二十条第（五）项\t<\t<\t<\n"
    "信息内容\t本年处理决定数量\t<\t<\n"
    "行政许可\t0\t<\t<\n"
    "第二十条第（六）项\t<\t<\t<\n"
    "信息内容\t本年处理决定数量\t<\t<\n"
    "行政处罚\t0\t<\t<\n"
    "行政强制\t0\t<\t<\n"
    "第二十条第（八）项\t<\t<\t<\n"
    "信息内容\t本年收费金额（单位：万元）\t<\t<\n"
    "行政事业性收费\t0\t<\t<\n";

static const char active_2019[] =
    "第二十条第（一）项\t<\t<\t<\n"
    "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
    "规章" Z3 "\n"
    "规范性文件" Z3 "\n"
    "第二十条第（五）项\t<\t<\t<\n"
    "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
    "行政许可" Z3 "\n"
    "其他对外管理服务事项" Z3 "\n"
    "第二十条第（六）项\t<\t<\t<\n"
    "信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
    "行政处罚" Z3 "\n"
    "行政强制" Z3 "\n"
    "第二十条第（八）项\t<\t<\t<\n"
    "信息内容\t上一年项目数量\t本年增/减\t<\n"
    "行政事业性收费\t0\t0\t<\n"
    "第二十条第（九）项\t<\t<\t<\n"
    "信息内容\t采购项目数量\t采购总金额\t<\n"
    "政府集中采购\t0\t0\t<\n";

#define RESULTS5 "结果维持\t结果纠正\t其他结果\t尚未审结\t总计"
static const char review[] =
    "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"
    RESULTS5 "\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
    "^\t^\t^\t^\t^\t" RESULTS5 "\t" RESULTS5 "\n"
    "0" Z7 Z7 "\n";

static const char review_rules[] =
    "# in each group, 总计 is the sum of the four results\n"
    "column 行政复议/总计 = 行政复议/结果维持 + 行政复议/结果纠正 + 行政复议/其他结果"
    " + 行政复议/尚未审结\n"
    "column 未经复议直接起诉/总计 = 未经复议直接起诉/结果维持 + 未经复议直接起诉/结果纠正"
    " + 未经复议直接起诉/其他结果 + 未经复议直接起诉/尚未审结\n"
    "column 复议后起诉/总计 = 复议后起诉/结果维持 + 复议后起诉/结果纠正"
    " + 复议后起诉/其他结果 + 复议后起诉/尚未审结\n";

#define ACTIVE "主动公开政府信息情况"
#define APPLY "收到和处理政府信息公开申请情况"
#define REVIEW "政府信息公开行政复议、行政诉讼情况"

static const Form forms[] = {
    {"2021-active", 2021, "二", ACTIVE, "table 二 of the 2021 form", 1, active_2021, NULL},
    {"2021-apply", 2021, "三", APPLY, "table 三 of the 2021 form", 3, apply_2021,
     apply_2021_rules},
    {"2021-review", 2021, "四", REVIEW, "table 四 of the 2021 form", 3, review, review_rules},
    {"2019-active", 2019, "二", ACTIVE, "table 二 of the 2019 form", 1, active_2019, NULL},
    {"2019-apply", 2019, "三", APPLY, "table 三 of the 2019 form", 3, apply_2019,
     apply_2019_rules},
    /* the same table as 2021's: declared only, never recognised as such */
    {"2019-review", 2019, "四", REVIEW, "table 四 of the 2019 form", 3, review, review_rules},
};

const Form *
forms_find(const char *id)
{
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++)
        if (g_str_equal(id, forms[i].id))
            return &forms[i];
    return NULL;
}

const char *
forms_ids(void)
{
    return "2021-active, 2021-apply, 2021-review, 2019-active, 2019-apply and 2019-review";
}

const Form *
forms_for_part(int format, const char *part)
{
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++)
        if (forms[i].format == format && g_str_equal(forms[i].part, part))
            return &forms[i];
    return NULL;
}

/* ---- labels ------------------------------------------------------------------------------ */

char *
forms_normalise(const char *text)
{
    GString *out = g_string_sized_new(strlen(text));
    gunichar last = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_isspace(c) || c == 0x3000 || c == 0xA0)
            continue;
        switch (c) {
        case '(': c = 0xFF08; break;
        case ')': c = 0xFF09; break;
        case ':': c = 0xFF1A; break;
        case ',': c = 0xFF0C; break;
        case ';': c = 0xFF1B; break;
        case 0x201C: /* quotes straight or curly alike */
        case 0x201D: c = '"'; break;
        case 0xFF0F: c = '/'; break;
        case 0xFF0E: /* 1．and 1、 as 1. */
        case 0x3001: c = g_ascii_isdigit(last) ? '.' : c; break;
        default: break;
        }
        g_string_append_unichar(out, c);
        last = c;
    }
    return g_string_free(out, FALSE);
}

/* A cell's text that is a figure, or stands where one goes: a number, blank, “—”, “/”. */
static gboolean
is_figure_text(const char *text)
{
    return table_is_no_figure(text) || table_is_number(text);
}

/* A row's labels: the texts of the cells that cover it, left to right, once each (a cell
 * merged over several columns or rows is one label of every row it covers). A body row's
 * empty cell in a column of labels stands for the label above it (a merged cell pasted as
 * text and blanks); in a row of figures, a word in a column of figures is not a label (a
 * slip, reported by the table reader). */
typedef struct {
    GArray *anchors; /* size_t: the cells, in order */
    GPtrArray *norm; /* char*: their normalised texts */
    char *key;       /* the normalised texts joined by "|" */
} RowLabels;

static void
row_labels_clear(RowLabels *rows, size_t n)
{
    for (size_t r = 0; r < n; r++) {
        g_array_unref(rows[r].anchors);
        g_ptr_array_unref(rows[r].norm);
        g_free(rows[r].key);
    }
    g_free(rows);
}

static gboolean
row_has_figure(const DocTable *t, size_t row)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        const DocCell *cell = doc_table_cell(t, row, c);
        if (cell->row_span > 0 && t->numeric[c] && table_is_number(cell->text))
            return TRUE;
    }
    return FALSE;
}

static RowLabels *
table_row_labels(const DocTable *t)
{
    RowLabels *rows = g_new0(RowLabels, t->n_rows);
    size_t *covering = g_new0(size_t, t->n_rows * t->n_cols);
    for (size_t r = 0; r < t->n_rows; r++) {
        rows[r].anchors = g_array_new(FALSE, FALSE, sizeof(size_t));
        rows[r].norm = g_ptr_array_new_with_free_func(g_free);
        gboolean figures = r >= t->header_rows && row_has_figure(t, r);
        GString *key = g_string_new(NULL);
        for (size_t c = 0; c < t->n_cols; c++) {
            size_t a = doc_table_cell(t, r, c)->anchor;
            const char *text = t->cells[a].text;
            if (*text == '\0' && r > t->header_rows && !t->numeric[c])
                a = covering[(r - 1) * t->n_cols + c], text = t->cells[a].text;
            covering[r * t->n_cols + c] = a;
            gboolean seen = rows[r].anchors->len > 0 &&
                            g_array_index(rows[r].anchors, size_t, rows[r].anchors->len - 1) == a;
            if (seen || is_figure_text(text) || (figures && t->numeric[c]))
                continue;
            char *norm = forms_normalise(text);
            g_array_append_val(rows[r].anchors, a);
            g_string_append_printf(key, "%s%s", key->len > 0 ? "|" : "", norm);
            g_ptr_array_add(rows[r].norm, norm);
        }
        rows[r].key = g_string_free(key, FALSE);
    }
    g_free(covering);
    return rows;
}

/* Each label once (a merged cell counts once), as normalised text -> count. */
static GHashTable *
label_counts(const DocTable *t, const RowLabels *rows, size_t *total)
{
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    *total = 0;
    for (size_t r = 0; r < t->n_rows; r++)
        for (guint i = 0; i < rows[r].anchors->len; i++) {
            size_t a = g_array_index(rows[r].anchors, size_t, i);
            if (!g_hash_table_add(seen, GSIZE_TO_POINTER(a + 1)))
                continue;
            const char *norm = g_ptr_array_index(rows[r].norm, i);
            gpointer n = g_hash_table_lookup(counts, norm);
            g_hash_table_replace(counts, g_strdup(norm), GSIZE_TO_POINTER(GPOINTER_TO_SIZE(n) + 1));
            (*total)++;
        }
    g_hash_table_unref(seen);
    return counts;
}

/* The form's table, parsed into `*scratch` (owned by the caller). */
static const DocTable *
form_table(const Form *form, Doc **scratch)
{
    GError *error = NULL;
    *scratch = doc_new(form->id);
    const DocTable *t = table_parse(*scratch, form->id, form->tsv, strlen(form->tsv), FALSE,
                                    form->header_rows, &error);
    if (t == NULL)
        g_error("the form %s does not read: %s", form->id, error->message); /* a bug */
    return t;
}

/* A table is a form when this share of the labels of both is the same (label_likeness), or
 * when FORM_WITHIN of its own labels, FORM_WITHIN_MIN at least, are the form's: a form typed
 * only in part. */
#define FORM_LIKENESS 0.6
#define FORM_WITHIN 0.9
#define FORM_WITHIN_MIN 8
/* The most missing rows in a run named one warning each. */
#define MISSING_NAMED 3

/* How much of the labels of `a` and `b` are the same: shared / the larger count; and in
 * *within, how much of `a`'s labels are `b`'s (shared / `a`'s count), 0 when `a` has fewer
 * than FORM_WITHIN_MIN labels. */
static double
label_likeness(const DocTable *a, const RowLabels *ra, const DocTable *b, const RowLabels *rb,
               double *within)
{
    size_t na = 0, nb = 0, shared = 0;
    GHashTable *ca = label_counts(a, ra, &na), *cb = label_counts(b, rb, &nb);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, ca);
    while (g_hash_table_iter_next(&it, &key, &value))
        shared += MIN(GPOINTER_TO_SIZE(value), GPOINTER_TO_SIZE(g_hash_table_lookup(cb, key)));
    g_hash_table_unref(ca);
    g_hash_table_unref(cb);
    *within = na < FORM_WITHIN_MIN ? 0 : (double)shared / (double)na;
    return MAX(na, nb) == 0 ? 0 : (double)shared / (double)MAX(na, nb);
}

const Form *
forms_recognise(const DocTable *t)
{
    RowLabels *rows = table_row_labels(t);
    const Form *best = NULL, *cut = NULL;
    double best_score = FORM_LIKENESS, cut_within = FORM_WITHIN - 1e-9;
    for (size_t i = 0; i < G_N_ELEMENTS(forms); i++) {
        if (forms[i].format == 2019 && forms[i].tsv == review)
            continue; /* 2021's table 四 */
        Doc *scratch = NULL;
        const DocTable *f = form_table(&forms[i], &scratch);
        RowLabels *frows = table_row_labels(f);
        double within = 0, score = label_likeness(t, rows, f, frows, &within);
        if (score > best_score + 1e-9) /* the first of equals */
            best = &forms[i], best_score = score;
        if (within > cut_within + 1e-9)
            cut = &forms[i], cut_within = within;
        row_labels_clear(frows, f->n_rows);
        doc_free(scratch);
    }
    row_labels_clear(rows, t->n_rows);
    /* else a form cut short: its header and first rows, as typed so far */
    return best != NULL ? best : cut;
}

/* ---- matching rows ----------------------------------------------------------------------- */

/* The longest common subsequence of two lists of keys: pairs in `a_to_b` (-1 unmatched). */
static void
common_rows(const RowLabels *a, size_t na, const RowLabels *b, size_t nb, long *a_to_b,
            long *b_to_a)
{
    guint32 *len = g_new0(guint32, (na + 1) * (nb + 1));
#define L(i, j) len[(i) * (nb + 1) + (j)]
    for (size_t i = na; i-- > 0;)
        for (size_t j = nb; j-- > 0;)
            L(i, j) = g_str_equal(a[i].key, b[j].key) ? L(i + 1, j + 1) + 1
                                                       : MAX(L(i + 1, j), L(i, j + 1));
    for (size_t i = 0; i < na; i++)
        a_to_b[i] = -1;
    for (size_t j = 0; j < nb; j++)
        b_to_a[j] = -1;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (g_str_equal(a[i].key, b[j].key)) {
            a_to_b[i] = (long)j, b_to_a[j] = (long)i;
            i++, j++;
        } else if (L(i + 1, j) >= L(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef L
    g_free(len);
}

typedef struct {
    const DocTable *t, *f;       /* the report's table, the form's */
    RowLabels *tr, *fr;
    const Form *form;
    GPtrArray *diags;
    GHashTable *reported;        /* anchors of t already warned about */
} Matcher;

/* A warning at the cell `anchor` of t; with `once`, none when one was given there already
 * (a merged label is one cell of several rows). */
static void
warn_at(Matcher *m, size_t anchor, gboolean once, const char *format, ...) G_GNUC_PRINTF(4, 5);

static void
warn_at(Matcher *m, size_t anchor, gboolean once, const char *format, ...)
{
    if (m->diags == NULL ||
        (!g_hash_table_add(m->reported, GSIZE_TO_POINTER(anchor + 1)) && once))
        return;
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    DiagAt at = {m->t->file, (int)(anchor / m->t->n_cols) + 1, (int)(anchor % m->t->n_cols) + 1};
    diag_add(m->diags, DIAG_WARNING, at, "%s", message);
    g_free(message);
}

/* A row's labels as printed, joined by " / ". Owned. */
static char *
row_text(const DocTable *t, const RowLabels *row)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < row->anchors->len; i++) {
        char *one = g_strdup(t->cells[g_array_index(row->anchors, size_t, i)].text);
        g_strdelimit(one, "\n", ' ');
        g_string_append_printf(out, "%s%s", i > 0 ? " / " : "", g_strstrip(one));
        g_free(one);
    }
    return g_string_free(out, FALSE);
}

/* Where a warning about row `r` of t goes: its last label that starts in the row, else its
 * first cell. */
static size_t
row_anchor(const Matcher *m, size_t r)
{
    const RowLabels *row = &m->tr[r];
    for (guint i = row->anchors->len; i-- > 0;) {
        size_t a = g_array_index(row->anchors, size_t, i);
        if (a / m->t->n_cols == r)
            return a;
    }
    return r * m->t->n_cols;
}

static const char *
label_raw(const DocTable *t, const RowLabels *row, guint i)
{
    return t->cells[g_array_index(row->anchors, size_t, i)].text;
}

/* Row `r` of t stands for row `fr` of the form but reads otherwise: the labels that differ. */
static void
compare_labels(Matcher *m, size_t r, size_t fr)
{
    const RowLabels *a = &m->tr[r], *b = &m->fr[fr];
    if (a->anchors->len == b->anchors->len) {
        for (guint i = 0; i < a->anchors->len; i++)
            if (!g_str_equal(g_ptr_array_index(a->norm, i), g_ptr_array_index(b->norm, i)))
                warn_at(m, g_array_index(a->anchors, size_t, i), TRUE,
                        "“%s” is not the form's label: %s has “%s” here", label_raw(m->t, a, i),
                        m->form->name, label_raw(m->f, b, i));
        return;
    }
    char *got = row_text(m->t, a), *want = row_text(m->f, b);
    warn_at(m, row_anchor(m, r), FALSE, "this row reads “%s”; %s has “%s” here", got, m->form->name,
            want);
    g_free(got);
    g_free(want);
}

/* The label of the form's row before `fr` that a message can name, or NULL. */
static char *
form_row_before(const Matcher *m, size_t fr)
{
    while (fr-- > 0)
        if (m->fr[fr].anchors->len > 0)
            return row_text(m->f, &m->fr[fr]);
    return NULL;
}

/* Rows of t in a gap between rows matched exactly stand for the form's rows of the same gap,
 * in order; rows left over are extra, and rows of the form left over are missing. */
static void
match_gaps(Matcher *m, long *to_form, long *from_form, const long *exact)
{
    size_t nt = m->t->n_rows, nf = m->f->n_rows;
    for (size_t r = 0; r < nt; r++) {
        if (to_form[r] >= 0)
            continue;
        long lo = -1, hi = (long)nf;
        for (size_t k = r; k-- > 0;)
            if (exact[k] >= 0) {
                lo = exact[k];
                break;
            }
        for (size_t k = r + 1; k < nt; k++)
            if (exact[k] >= 0) {
                hi = exact[k];
                break;
            }
        long fr = lo + 1;
        while (fr < hi && from_form[fr] >= 0)
            fr++;
        if (fr < hi) {
            to_form[r] = fr, from_form[fr] = (long)r;
            compare_labels(m, r, (size_t)fr);
        } else if (m->tr[r].anchors->len > 0) {
            char *got = row_text(m->t, &m->tr[r]);
            warn_at(m, row_anchor(m, r), FALSE, "the row “%s” is not in %s", got,
                    m->form->name);
            g_free(got);
        } else {
            warn_at(m, row_anchor(m, r), FALSE, "this row of figures is not in %s",
                    m->form->name);
        }
    }
    /* the form's rows missing, one warning each, or one for a run of more than
     * MISSING_NAMED before the same row (or at the end) */
    for (size_t fr = 0; fr < nf;) {
        if (from_form[fr] >= 0) {
            fr++;
            continue;
        }
        size_t end = fr;
        while (end < nf && from_form[end] < 0)
            end++;
        long at = end < nf ? from_form[end] : -1; /* the row of t standing for the next */
        size_t cell = at >= 0 ? row_anchor(m, (size_t)at) : (nt - 1) * m->t->n_cols;
        if (end - fr <= MISSING_NAMED) {
            for (size_t k = fr; k < end; k++) {
                char *want = row_text(m->f, &m->fr[k]);
                if (at >= 0)
                    warn_at(m, cell, FALSE, "%s has the row “%s” before this one; it is missing",
                            m->form->name, want);
                else
                    warn_at(m, cell, FALSE, "%s ends with the row “%s”; it is missing",
                            m->form->name, want);
                g_free(want);
            }
        } else {
            GString *rows = g_string_new(NULL);
            for (size_t k = fr; k < fr + MISSING_NAMED; k++) {
                char *want = row_text(m->f, &m->fr[k]);
                g_string_append_printf(rows, "%s“%s”", k > fr ? ", " : "", want);
                g_free(want);
            }
            char *last = row_text(m->f, &m->fr[end - 1]);
            warn_at(m, cell, FALSE, "%s has %zu rows %s that are missing: %s, … “%s”",
                    m->form->name, end - fr, at >= 0 ? "before this one" : "after this one",
                    rows->str, last);
            g_free(last);
            g_string_free(rows, TRUE);
        }
        fr = end;
    }
}

static void
match_columns(FormMatch *fm, const DocTable *t)
{
    const DocTable *f = fm->table;
    fm->columns = g_new(long, f->n_cols);
    for (size_t c = 0; c < f->n_cols; c++)
        fm->columns[c] = t->n_cols == f->n_cols ? (long)c : -1;
    if (t->n_cols == f->n_cols || t->header_rows == 0)
        return;
    /* another number of columns: each of the form's by the label over it */
    for (size_t c = 0; c < f->n_cols; c++) {
        const DocCell *fc = doc_table_cell(f, f->header_rows - 1, c);
        char *want = forms_normalise(f->cells[fc->anchor].text);
        for (size_t k = 0; k < t->n_cols && fm->columns[c] < 0; k++) {
            const DocCell *tc = doc_table_cell(t, t->header_rows - 1, k);
            char *got = forms_normalise(t->cells[tc->anchor].text);
            gboolean taken = FALSE;
            for (size_t j = 0; j < c; j++)
                taken = taken || fm->columns[j] == (long)k;
            if (g_str_equal(got, want) && !taken)
                fm->columns[c] = (long)k;
            g_free(got);
        }
        g_free(want);
    }
}

FormMatch *
forms_match(const DocTable *t, const Form *form, GPtrArray *diags)
{
    FormMatch *fm = g_new0(FormMatch, 1);
    fm->form = form;
    fm->table = form_table(form, &fm->scratch);
    const DocTable *f = fm->table;
    Matcher m = {t, f, table_row_labels(t), table_row_labels(f), form, diags,
                 g_hash_table_new(g_direct_hash, g_direct_equal)};
    fm->to_form = g_new(long, t->n_rows);
    fm->from_form = g_new(long, f->n_rows);
    common_rows(m.tr, t->n_rows, m.fr, f->n_rows, fm->to_form, fm->from_form);
    long *exact = g_memdup2(fm->to_form, t->n_rows * sizeof(long));
    /* a row of the form found elsewhere than where the form has it: out of order */
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t fr = 0; fm->to_form[r] < 0 && fr < f->n_rows; fr++) {
            if (fm->from_form[fr] >= 0 || m.tr[r].anchors->len == 0 ||
                !g_str_equal(m.tr[r].key, m.fr[fr].key))
                continue;
            fm->to_form[r] = (long)fr, fm->from_form[fr] = (long)r;
            char *got = row_text(t, &m.tr[r]), *before = form_row_before(&m, fr);
            if (before != NULL)
                warn_at(&m, row_anchor(&m, r), FALSE, "the row “%s” is out of order: %s has it after "
                        "“%s”", got, form->name, before);
            else
                warn_at(&m, row_anchor(&m, r), FALSE, "the row “%s” is out of order: %s has it first",
                        got, form->name);
            g_free(got);
            g_free(before);
        }
    }
    match_gaps(&m, fm->to_form, fm->from_form, exact);
    match_columns(fm, t);
    g_free(exact);
    g_hash_table_unref(m.reported);
    row_labels_clear(m.tr, t->n_rows);
    row_labels_clear(m.fr, f->n_rows);
    return fm;
}

void
forms_match_free(FormMatch *m)
{
    if (m == NULL)
        return;
    g_free(m->to_form);
    g_free(m->from_form);
    g_free(m->columns);
    doc_free(m->scratch);
    g_free(m);
}

long
forms_row(const FormMatch *m, const char *label)
{
    const DocTable *f = m->table;
    char *want = forms_normalise(label);
    long found = -1;
    for (size_t r = f->header_rows; r < f->n_rows && found < 0; r++) {
        const char *last = NULL;
        for (size_t c = 0; c < f->n_cols; c++) {
            const DocCell *cell = doc_table_cell(f, r, c);
            if (cell->row_span > 0 && !f->numeric[c] && *cell->text != '\0')
                last = cell->text;
        }
        char *norm = last != NULL ? forms_normalise(last) : NULL;
        if (norm != NULL && g_str_equal(norm, want))
            found = (long)r;
        g_free(norm);
    }
    g_free(want);
    return found;
}
