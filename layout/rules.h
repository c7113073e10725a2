/* gongwen: the numbers must agree. Declarative rules say which rows or columns of a table sum
 * to which, and which sentences of the text state a figure of the table; `gongwen check`
 * reports what does not agree. The rules are those of the table's form (forms.h: the annual
 * report's prescribed tables, recognised or declared with form=) and those of a rules file
 * kept beside the table file (X.tsv -> X.rules). The format is documented in the README
 * (“check: the numbers must agree”); in short, one rule per line (# starts a comment):
 *
 *   （一）收到申请数 = 1．当面申请数 + 2．传真申请数 + 3．网络申请数 + 4．信函申请数
 *   column 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他
 *   column 行政复议/总计 = 行政复议/结果维持 + 行政复议/结果纠正 + …
 *   text "共受理政府信息公开申请(\d+)件" = （一）收到申请数
 *
 * A row is named by its label (the last label cell of the row, without leading spaces; a
 * label that ends a unique row label is enough) or by #N, its row in the file; a column by
 * its label (the deepest header cell over it), by the header cells over it joined by /, or
 * by #N. A row rule holds in every number column, a column rule in every body row. A blank
 * cell a rule (or the form) needs counts as 0 with a warning (an error with blank=error, and
 * always for a 总计); “—”, “/” or a word where a rule needs a figure is a warning that the
 * rule is not checked there. A text rule's pattern (a regular expression with one group
 * capturing the figure) is searched in every paragraph; the figure it finds must equal the
 * row's value in the table's last number column.
 */
#ifndef GONGWEN_RULES_H
#define GONGWEN_RULES_H

#include "doc.h"

#include <glib.h>

/* Check every table of `doc` that has rules: its form's labels and rules (DocTable.form) and
 * the rules beside it (read with the table: DocTable.rules). A label that differs from the
 * form's is a warning at the cell; a sum that does not hold is an error at the table's cell;
 * a sentence that disagrees with the table is a warning at the sentence; a malformed rule is
 * an error at the rules file's line; blank and unstated cells as above. They are added to
 * `diags` (Diag*). */
void rules_check(const Doc *doc, GPtrArray *diags);

#endif
