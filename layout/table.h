/* gongwen: table layout. A DocTable -> column widths (two passes: each cell's narrowest and
 * natural width, then fit the measure), cell paragraphs through the paragraph engine, and
 * row heights. Pagination (page.c) places the rows and repeats the header rows. */
#ifndef GONGWEN_TABLE_H
#define GONGWEN_TABLE_H

#include "doc.h"
#include "fonts.h"
#include "para.h"

typedef struct {
    size_t row, col;   /* the anchor */
    int row_span, col_span;
    ParaLines *lines;  /* the cell's text, owned by the TableLayout */
    int text_x;        /* where its lines start, from the cell's left edge */
    gboolean header;
} TableCellBox;

typedef struct {
    const DocTable *table;
    int *col_x;        /* n_cols + 1 column edges from the table's left */
    int *row_h;        /* n_rows row heights */
    GArray *cells;     /* TableCellBox, one per anchor, row by row */
    int size;          /* type size */
    int pitch;         /* line pitch inside cells */
    int pad_x, pad_y;  /* cell padding */
    int width;         /* the table's width */
} TableLayout;

/* Lay `table` out in `width`. Returns an owned TableLayout or NULL with an error (a cell
 * with a character no font covers). `origin` names the directive for messages. */
TableLayout *table_layout(Fonts *fonts, const DocTable *table, int width, DocLoc origin,
                          GError **error);
void table_layout_free(TableLayout *layout);

/* A column of row labels (text, neither figures nor short units): set flush left with the
 * indent of its numbering. */
gboolean table_is_label_column(const DocTable *t, size_t col);

/* The first baseline of a cell's text inside a box of height `h`, centred vertically. */
int table_cell_baseline(const TableLayout *layout, const TableCellBox *cell, int h);

#endif
