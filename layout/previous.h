/* gongwen: year over year. An annual report is checked against last year's (`gongwen check
 * --previous LASTDIR`, or the folder beside it named for the previous year):
 *
 * - the carry-over: this year's 二、上年结转政府信息公开申请数量 equals last year's
 *   四、结转下年度继续办理, column by column (an error: the form's 勾稽 across years);
 * - table 二: this year's 现行有效件数 equals last year's plus 本年制发件数 less 本年废止件数,
 *   for 规章 and for 行政规范性文件 (a warning: documents that lapse at the end of their term
 *   are not always counted as 废止);
 * - copied paragraphs: a paragraph of this year's text (20 characters or more, not a heading
 *   alone, not the sentence that states the statistics period) that is 90 % the same as one
 *   of last year's, by characters (edit distance), is a warning naming both lines;
 * - figures that changed by more than a factor of 3 between the same cells of the two years'
 *   tables (both figures, neither 0, the larger 10 or more) are a warning.
 */
#ifndef GONGWEN_PREVIOUS_H
#define GONGWEN_PREVIOUS_H

#include "doc.h"

#include <glib.h>

/* Copied paragraphs: this share of characters the same, or more. */
#define PREVIOUS_SAME_PERCENT 90
/* Paragraphs shorter than this (in characters) are not compared. */
#define PREVIOUS_MIN_CHARS 20
/* Figures: a change by more than this factor is a warning ... */
#define PREVIOUS_FACTOR 3.0
/* ... when the larger of the two is at least this (and neither is 0). */
#define PREVIOUS_FACTOR_FLOOR 10.0
/* Copied paragraphs: the most paragraphs of each report compared, and the most steps (about
 * a second's work) spent on them; beyond either, a warning says where the comparison stops. */
#define PREVIOUS_MAX_PARAS 20000
#define PREVIOUS_MAX_WORK 500000000ull

/* Compare `doc`, this year's report, with `last`, last year's, and add what does not agree
 * to `diags` (Diag*): at this year's file, line and column, naming last year's. */
void previous_check(const Doc *doc, const Doc *last, GPtrArray *diags);

/* Last year's report beside the report at `report` (a folder, or a text file in one): when
 * the folder's name holds a year (a run of four digits, 1900–2099, the last such run), the
 * folder beside it with that year less one (reports/foo-2024 -> reports/foo-2023) if it
 * holds a report.txt. The folder's path (owned), or NULL. */
char *previous_find_sibling(const char *report);

#endif
