/* gongwen: a chart's data as the source reader checks it: no Pango, no layout (chart.h lays
 * charts out). */
#ifndef GONGWEN_CHARTDATA_H
#define GONGWEN_CHARTDATA_H

#include "doc.h"

#define CHART_MAX_CATEGORIES 100u
#define CHART_MAX_SERIES 12u

/* Check a chart's data: numbers only (finite), no negative value in a pie or donut, and not
 * all zero there. Errors name the data file, row and column. */
gboolean chart_check_data(const DocChart *chart, GError **error);

/* A cell's value: a number (1,234 and 80.4% read as numbers), or NaN for a missing one
 * (empty or —); FALSE when it is not a number. */
gboolean chart_parse_value(const char *text, double *value);

/* A value as the chart writes it: a whole number without decimals, else at most two
 * decimals with trailing zeros dropped, then the unit (may be NULL). Owned. */
char *chart_format_value(double value, const char *unit);

/* The chart's figures in words, for its alternative text in a tagged PDF: each category
 * with its value and unit, “当面申请1件，网络申请54件，信函申请12件”; with several series each
 * category's values named by their series, “2016年：同意公开20件，不同意公开1件；2017年：…”;
 * a value not stated (empty or —) “无数据”. In the data's order, the order the chart draws
 * them. Owned. */
char *chart_describe(const DocChart *chart);

#endif
