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

char *
chart_format_value(double value, const char *unit)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    if (fabs(value - round(value)) < 1e-9)
        g_snprintf(buf, sizeof buf, "%.0f", value);
    else
        g_ascii_formatd(buf, sizeof buf, "%.2f", value);
    char *end = buf + strlen(buf) - 1;
    while (strchr(buf, '.') != NULL && (*end == '0' || *end == '.'))
        *end-- = '\0';
    return g_strdup_printf("%s%s", buf, unit != NULL ? unit : "");
}

/* One value in words: as the chart writes it with the unit, or 无数据. */
static void
describe_value(GString *out, const DocChart *chart, const char *text)
{
    double v;
    if (!chart_parse_value(text, &v) || isnan(v)) {
        g_string_append(out, "无数据");
        return;
    }
    char *value = chart_format_value(v, chart->unit);
    g_string_append(out, value);
    g_free(value);
}

char *
chart_describe(const DocChart *chart)
{
    const DocTable *t = chart->table;
    GString *out = g_string_new(NULL);
    gboolean several = t->n_cols > 2;
    for (size_t r = t->header_rows; r < t->n_rows; r++) {
        if (r > t->header_rows)
            g_string_append(out, several ? "；" : "，");
        g_string_append(out, doc_table_cell(t, r, 0)->text);
        if (several)
            g_string_append(out, "：");
        for (size_t c = 1; c < t->n_cols; c++) {
            if (c > 1)
                g_string_append(out, "，");
            if (several && t->header_rows > 0)
                g_string_append(out, doc_table_cell(t, t->header_rows - 1, c)->text);
            describe_value(out, chart, doc_table_cell(t, r, c)->text);
        }
    }
    return g_string_free(out, FALSE);
}
