/* gongwen: the numbers must agree. Declarative rules kept beside a table file (X.tsv ->
 * X.rules) say which rows or columns sum to which, and which sentences of the text state a
 * figure of the table; `gongwen check` reports what does not agree.
 *
 * A rules file has one rule per line (# starts a comment):
 *
 *   （一）收到申请数 = 1．当面申请数 + 2．传真申请数 + 3．网络申请数 + 4．信函申请数
 *   column 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他
 *   text "共受理政府信息公开申请(\d+)件" = （一）收到申请数
 *
 * A row is named by its label (the last label cell of the row, without leading spaces; a
 * label that ends a unique row label is enough) or by #N, its row in the file. A row rule
 * holds in every number column where all its cells are figures; a column rule in every
 * body row where all its cells are figures. A text rule's pattern (a regular expression
 * with one group capturing the figure) is searched in every paragraph; the figure it finds
 * must equal the row's value in the table's last number column.
 */
#ifndef GONGWEN_RULES_H
#define GONGWEN_RULES_H

#include "doc.h"

#include <glib.h>

/* Check the rules beside every table of `doc` (read with the table: DocTable.rules). A sum
 * that does not hold is an error at the table's cell; a sentence that disagrees with the
 * table is a warning at the sentence; a malformed rule is an error at the rules file's line.
 * They are added to `diags` (Diag*). */
void rules_check(const Doc *doc, GPtrArray *diags);

#endif
