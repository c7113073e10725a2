/* gongwen: the prescribed tables of the 政府信息公开工作年度报告 (国办公开办函〔2021〕30号, and
 * the 2019 format of 国办公开办函〔2019〕60号): every row and column label, the figures'
 * 勾稽 rules, and how a table of a report stands to one of them.
 *
 * Each form is kept once, as the table file `gongwen new` writes (every label as the form
 * has it, figures 0) and its rules in the .rules format (rules.h). A table is one of the
 * forms when it is declared so (`@table apply.tsv form=2021-apply`) or when its labels are
 * mostly the form's (forms_recognise); its rows are then matched to the form's row by row
 * (forms_match), so that a label that differs, a row missing, added or out of order is a
 * warning naming the form's label, and the form's rules find their rows.
 *
 * Labels are compared without white space, with half-width brackets, colons and commas as
 * their full-width forms, 1．and 1、as 1. and straight quotes as curly ones: “第二十条 第（一）
 * 项”, “商业\n企业” and “(一)予以公开” are the form's labels, “规范性文件” in the 2021 form is
 * not (it is 行政规范性文件). */
#ifndef GONGWEN_FORMS_H
#define GONGWEN_FORMS_H

#include "doc.h"

#include <glib.h>

typedef struct {
    const char *id;       /* form=ID: "2021-apply" */
    int format;           /* 2021 or 2019 */
    const char *part;     /* the report's part it belongs to: "二", "三", "四" */
    const char *title;    /* 收到和处理政府信息公开申请情况 */
    const char *name;     /* for messages: "table 三 of the 2021 form" */
    size_t header_rows;   /* @table header=N */
    const char *tsv;      /* the table file: every label, figures 0 */
    const char *rules;    /* its 勾稽 rules in the .rules format, or NULL */
} Form;

/* The form `id` ("2021-apply", "2019-review", …), or NULL. */
const Form *forms_find(const char *id);
/* The ids, for messages: "2021-active, 2021-apply, …". */
const char *forms_ids(void);
/* The form of `format` (2021 or 2019) for the report's part `part` ("二", "三", "四"). */
const Form *forms_for_part(int format, const char *part);

/* The form whose labels `t` mostly has (at least 60 % of the labels of either, counted
 * once per cell), the closest when several; NULL when none. */
const Form *forms_recognise(const DocTable *t);

/* How the rows of a table stand to its form's. */
typedef struct {
    const Form *form;
    const DocTable *table;   /* the form's table (owned by `scratch`) */
    Doc *scratch;
    long *to_form;           /* per row of the report's table: the form's row, or -1 */
    long *from_form;         /* per row of the form: the report's table's row, or -1 */
    long *columns;           /* per column of the form: the table's column, or -1 */
} FormMatch;

/* Match the rows of `t` to those of `form`; with `diags` (Diag*, may be NULL) add a warning
 * for each label that differs from the form's, each row of the form missing, each row the
 * form does not have and each row out of order, at the table file's cell. */
FormMatch *forms_match(const DocTable *t, const Form *form, GPtrArray *diags);
void forms_match_free(FormMatch *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FormMatch, forms_match_free)

/* The row of the form's table labelled `label` (its last label, as rules name rows), or -1. */
long forms_row(const FormMatch *m, const char *label);

/* A label as it is compared: see above. Owned. */
char *forms_normalise(const char *text);

#endif
