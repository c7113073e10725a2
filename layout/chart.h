/* gongwen: chart geometry. A chart's data (a DocTable: categories in the first column, one
 * series per further column) -> shapes and labels in a box, in Pango units, with “nice”
 * axis ticks, value labels, percentages that add up to 100, and labels wrapped by the
 * paragraph engine so that they never overlap. Nothing here draws. */
#ifndef GONGWEN_CHART_H
#define GONGWEN_CHART_H

#include "chartdata.h"
#include "doc.h"
#include "fonts.h"
#include "page.h"
#include "para.h"

/* A label: lines set by the paragraph engine, placed with their first baseline at (x, y)
 * relative to the chart's top left; box is the area they cover (for overlap checks). */
typedef struct {
    ParaLines *lines; /* owned */
    int x, y;
    int box_x, box_y, box_w, box_h;
} ChartLabel;

typedef struct {
    int width, height;
    GPtrArray *shapes; /* PageShape*, owned */
    GArray *labels;    /* ChartLabel */
    int size;          /* label type size */
    int pitch;         /* line pitch of labels */
    gboolean thinned;  /* some labels were left out: too many categories for their room */
} ChartLayout;

/* Lay a chart of `kind` out in a `width` × `height` box, its labels with a quarter em between
 * Han text and Latin letters or digits when `latin_gap`. Returns NULL with an error naming
 * `where` when the chart cannot be laid out. */
ChartLayout *chart_layout(Fonts *fonts, const DocChart *chart, int width, int height,
                          gboolean latin_gap, DocLoc where, GError **error);
void chart_layout_free(ChartLayout *layout);

/* The grid rows a chart of this kind asks for (its caption not included). */
int chart_rows(const DocChart *chart);

/* “Nice” axis: the smallest tick step of 1, 2 or 5 × 10ⁿ that covers `max` in at most
 * `ticks` steps; returns the step and sets *top to the axis maximum. */
double chart_nice_step(double max, int ticks, double *top);

/* Whole-number percentages of `values` that add up to 100 (largest remainders). */
void chart_percentages(const double *values, size_t n, int *percent);

#endif
