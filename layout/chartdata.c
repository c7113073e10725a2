/* gongwen: a chart's data checked when the source is read (see chartdata.h). */
#include "chartdata.h"

#include "diag.h"
#include "tablefile.h"

#include <math.h>
#include <string.h>

gboolean
chart_parse_value(const char *text, double *value)
{
    if (table_is_no_figure(text)) {
        *value = NAN; /* a missing value */
        return TRUE;
    }
    char *clean = g_strdup(text), *end = NULL;
    char *w = clean;
    for (const char *p = text; *p != '\0'; p++)
        if (*p != ',')
            *w++ = *p;
    *w = '\0';
    *value = g_ascii_strtod(clean, &end);
    gboolean ok = end != clean && *end == '\0' && isfinite(*value) &&
                  table_is_number(text);
    g_free(clean);
    return ok;
}

static gboolean
chart_fail(GError **error, const DocTable *t, size_t row, size_t col, const char *message)
{
    diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){t->file, (int)row + 1, (int)col + 1}, "%s",
                   message);
    return FALSE;
}

gboolean
chart_check_data(const DocChart *chart, GError **error)
{
    const DocTable *t = chart->table;
    gboolean pie = chart->kind == CHART_PIE || chart->kind == CHART_DONUT;
    if (t->n_cols < 2)
        return chart_fail(error, t, 0, 0, "a chart needs a column of labels and a column of "
                                          "values");
    if (pie && t->n_cols != 2)
        return chart_fail(error, t, 0, 2, "a pie or donut takes one series (two columns)");
    if (t->n_rows - t->header_rows > CHART_MAX_CATEGORIES || t->n_cols - 1 > CHART_MAX_SERIES)
        return chart_fail(error, t, t->header_rows + CHART_MAX_CATEGORIES, 0,
                          "a chart shows at most 100 categories and 12 series; use a table");
    double total = 0;
    for (size_t r = t->header_rows; r < t->n_rows; r++) {
        for (size_t c = 1; c < t->n_cols; c++) {
            const char *text = doc_table_cell(t, r, c)->text;
            double v;
            char *why = NULL;
            if (!chart_parse_value(text, &v))
                why = g_strdup_printf("“%s” is not a number", text);
            else if (pie && v < 0)
                why = g_strdup_printf("a pie cannot show the negative value %s", text);
            if (why != NULL) {
                chart_fail(error, t, r, c, why);
                g_free(why);
                return FALSE;
            }
            total += isnan(v) ? 0 : v;
        }
    }
    if (pie && total <= 0)
        return chart_fail(error, t, t->header_rows, 1, "every value of this pie is zero");
    return TRUE;
}
