/* gongwen: a chart whose figures come from a table file that @table sets, chosen by their
 * row labels and column headers, so that they are never typed twice:
 *
 *   @chart bar apply.tsv rows=（一）..（六） column=总计 unit=件 办理结果
 *
 * The source reader's (directives.c); GLib only. The matching rules are in README.md
 * (“Charts from a table”). */
#ifndef GONGWEN_CHARTTABLE_H
#define GONGWEN_CHARTTABLE_H

#include "doc.h"

/* What a @chart line chose, each value as written and where it starts on the line (its
 * first character), so that an error points at the label or header it is about. */
typedef struct {
    const char *rows;    /* rows=: labels, ranges A..B and paths A/B, separated by commas */
    const char *columns; /* column=: one header (or path) per series; NULL: the only figure
                            column */
    const char *labels;  /* labels=: the categories' names; NULL: the rows' labels */
    DocLoc rows_at, columns_at, labels_at;
    DocLoc line_at; /* the @chart line */
} ChartPick;

/* The chart's data as a chart file would hold it (categories in column 1, one series per
 * further column, one header row), taken from `table` (read from the file `name` as the
 * @chart line writes it) as `pick` says. A label or header that names nothing (with the
 * closest ones), or names several rows or columns, a cell that is not a figure (with its
 * row and column in the file), a negative or all-zero pie: an error at the place in `pick`
 * it comes from. The table returned is owned by `doc`; NULL on error. */
DocTable *chart_table_pick(Doc *doc, const DocTable *table, const char *name, const ChartPick *pick,
                           DocChartKind kind, GError **error);

#endif
