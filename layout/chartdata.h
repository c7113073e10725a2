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

#endif
