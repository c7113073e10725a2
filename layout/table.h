/* gongwen: table layout. A DocTable -> a type size, column widths and (with landscape=auto)
 * an orientation chosen so that the table fits its type area; cell paragraphs through the
 * paragraph engine; row heights. Pagination (page.c) places the rows, splits a row taller
 * than a page and repeats the header rows. */
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

typedef struct TableLayout {
    const DocTable *table;
    int *col_x;        /* n_cols + 1 column edges from the table's left */
    int *row_h;        /* n_rows row heights */
    GArray *cells;     /* TableCellBox, one per anchor, row by row */
    size_t *row_cells; /* n_rows + 1: the first of `cells` whose anchor is in row r or below */
    size_t *reach;     /* n_rows: the first row of the cells that cover row r */
    int size;          /* type size: the one asked for, or smaller to fit */
    int pitch;         /* line pitch inside cells */
    int pad_x, pad_y;  /* cell padding */
    int width;         /* the table's width */
    gboolean landscape; /* set on landscape pages: asked for, or chosen by landscape=auto */
    gboolean repeat_header; /* the header rows begin each page the table continues on (not
                               in a table of blocks with headings of their own) */
} TableLayout;

/* The type sizes a table may be set in, largest first (四号 … 六号), in Pango units. */
#define TABLE_SIZE_DEFAULT (12 * PANGO_SCALE) /* 小四 */
#define TABLE_MIN_SIZE_DEFAULT (9 * PANGO_SCALE) /* 小五 */

/* Lay `table` out in `width` (the portrait type area) or, when the table asks for landscape
 * pages or may take them (landscape=auto) and portrait is too narrow, `landscape_width`.
 * When its columns do not fit at the size asked for, cells wrap, then the size steps down
 * to the table's floor. `latin_gap`: a quarter em between Han text and Latin letters or
 * digits in the cells (ParaSpec), as in the rest of the document. Returns an owned TableLayout, or NULL with an error naming
 * `origin` (the @table line): a table that does not fit even at its floor (with the width
 * it needs), or a cell with a character no font covers. */
TableLayout *table_layout(Fonts *fonts, const DocTable *table, int width, int landscape_width,
                          gboolean latin_gap, DocLoc origin, GError **error);
void table_layout_free(TableLayout *layout);

/* A column of text (row labels, names): set flush left, a row label with the indent of its
 * numbering. The first column is one unless it holds figures; a later column is one when
 * its cells are longer than a short unit (条, 件, 万元), which is centred. */
gboolean table_is_label_column(const DocTable *t, size_t col);

/* The first baseline of `lines` lines of a cell's text centred in a box of height `h`. */
int table_text_baseline(const TableLayout *layout, size_t lines, int h);

/* The name of a table size (“小五”) for messages. */
const char *table_size_name(int size);

#endif
