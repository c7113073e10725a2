/* gongwen: the private pieces of pagination, shared by its files (not a public header).
 *
 * layout/flow.c       Doc blocks -> Flows: lines stacked on grid rows, with keep rules
 * layout/paginate.c   Flows -> Pages: whole or split, keeps, 7.3.5.5, finishing a page
 * layout/tableplace.c a table's rows onto pages, split rows, repeated headers
 * layout/furniture.c  the 版头 (7.2), the 版记 (7.4) and page numbers (7.5)
 * layout/page.c       the public calls of page.h
 * layout/dump.c       the stage dumps
 */
#ifndef GONGWEN_LAYOUT_IMP_H
#define GONGWEN_LAYOUT_IMP_H

#include "page.h"

#include "chart.h"
#include "error.h"
#include "figure.h"
#include "table.h"

/* Flows look ahead this far: keeps (flow_lead, closing_rows) and the closing's links. */
#define FLOW_WINDOW 16
#define LINK_AHEAD 5

typedef struct {
    ParaLines *lines; /* borrowed from Pages->paras */
    int row;          /* first row of these lines within the flow */
    int x;            /* added to each line's x, from the type area's left edge */
    int size;         /* type size: places the baseline in the row */
    size_t block;     /* the Doc block these lines come from */
} FlowPart;

typedef struct {
    size_t block;
    GArray *parts;    /* FlowPart */
    int rows;         /* rows the flow takes (without space_before) */
    int space_before; /* blank rows before it, dropped at the top of a page */
    gboolean keep_with_next;
    gboolean splittable; /* one part whose lines may be split across pages */
    gboolean new_page;
    const TableLayout *table; /* a table below the parts (its title), or NULL */
    const ChartLayout *chart; /* a chart on the flow's first rows, or NULL */
    const FigureImage *image; /* an image on the flow's first rows, or NULL */
    int image_w, image_h;     /* its size on the page */
    gboolean landscape;       /* set on landscape pages (a landscape table) */
    GArray *seals;            /* SealSpot: where seals go in this flow (7.3.5.1), or NULL */
    size_t para_first, para_end; /* its lines: Pages->paras [para_first, para_end) */
    size_t last_page;         /* the last page it was placed on */
} Flow;

typedef struct {
    const Doc *doc;
    Fonts *fonts;
    Pages *pages;
    GArray *flows; /* Flow */
    Page *page;    /* the current page */
    int row;       /* the next free row on it */
    int figures;   /* charts and figures numbered so far (图1, 图2, …) */
    /* The grid, from the profile: the character cell (the body size when the grid is off,
     * for indents), the cell text is set on (0 when off), the line pitch, lines a page. */
    int cell, set_cell, pitch, lines, portrait_lines;
    gboolean landscape; /* pages are being made landscape */
    /* The current page's type area. */
    int area_left, area_top, area_w, area_h;
    int top_row;   /* the first row of the current page that text may take (below the 版头) */
    int cap;       /* rows the flow being placed may fill: lines, or two more (7.3.5.5) */
    const Page *cap_page; /* the page the two more rows were granted on */
    size_t next_block;        /* the next Doc block to build a flow of */
    guint linked;             /* flows [0, linked) are linked with their successor */
    gboolean building;        /* lines made now belong to the flow being built */
    GError *error;            /* the first error while finishing a page */
    PageSink sink;            /* where finished pages go (page_layout_stream), or NULL */
    void *sink_data;
    guint finished;           /* pages [0, finished) have been finished */
    guint freed_flows;        /* flows [0, freed_flows) have had their lines freed */
    guint placing;            /* the flow being placed: those before it are done */
    GArray *loose;            /* guint: paras indices made for the current page (版头, 版记,
                                 page number), freed with it */
    GPtrArray *seals;         /* FigureImage*: the seal images, borrowed from the Pages */
    int seal_w, seal_h;       /* a seal's box */
    const TableLayout **table_of; /* per block: its table's layout, once made */
    guint seals_placed;       /* seals placed so far: the next one takes image k */
    gboolean outline_issued;  /* an issued document's entry is in the outline: the headings
                                 after it nest one level under it */
} Layout;

/* A seal's place in a flow: its box's left from the type area's, its top from row 0's. */
typedef struct {
    int x, dy;
} SealSpot;

/* flow.c: building flows */
/* Break a paragraph for the flow being built (or, outside one, for the current page). */
ParaLines *layout_para(Layout *L, const ParaSpec *spec, GError **error);
/* The spec of body text of `block` in the type area. */
ParaSpec body_spec(const Layout *L, const DocBlock *block, const char *text);
/* Full-width spaces exactly `width` wide: the blank between two pieces set apart on one
 * line, as text. */
ParaLines *layout_spaces(Layout *L, int width, GError **error);
/* The width of a one-line paragraph. */
int line_width(const ParaLines *lines);
/* Build flows [0, upto] (as far as there are blocks) and link them with what follows. */
gboolean layout_ensure_flows(Layout *L, size_t upto, GError **error);
/* A warning at flow f's block. */
void layout_warn(Layout *L, const Flow *f, const char *format, ...) G_GNUC_PRINTF(3, 4);

/* paginate.c: placing flows on pages */
/* Finish the current page (if any) and start the next. */
Page *layout_new_page(Layout *L);
/* Nothing has been placed on the current page yet (the 版头 aside). */
gboolean at_top(const Layout *L);
/* The baseline of grid row `row` for text of `size`. */
int row_baseline(const Layout *L, int row, int size);
/* A line of a paragraph onto a page at (x0, baseline). */
void page_add_line(Page *page, const ParaLines *lines, size_t n, int x0, int baseline, size_t block);
/* Rows [from, to) of flow f onto the current page from row `at`. */
void layout_emit(Layout *L, const Flow *f, int from, int to, int at);
/* The most body rows of a table's block (its rows under one 第二十条第（X）项) kept on one
 * page. */
#define TABLE_KEEP_BLOCK_ROWS 6
/* The block of a table of blocks (its subhead rows, 第二十条第（X）项 and the column heads,
 * and the body rows under them) that holds `row`: its rows [*start, *end) and how many body
 * rows it has. */
size_t table_block(const DocTable *t, size_t row, size_t *start, size_t *end);
/* How much of a table's first body rows must stay with its header. */
int table_first_row_lead(const TableLayout *t);
/* Place every flow on pages, the 版头 on the first and the 版记 on the last. */
gboolean layout_paginate(Layout *L, GError **error);

/* tableplace.c: tables on pages */
/* A table flow's rows onto pages (tableplace.c). */
void layout_place_table(Layout *L, const Flow *f);

/* furniture.c: the 版头, the 版记 and page numbers */
/* The 版头 (7.2) on the first page. */
gboolean layout_letterhead(Layout *L, GError **error);
/* The 版记 (7.4) at the foot of the last, even page. */
gboolean layout_imprint(Layout *L, GError **error);
/* “— N —” on a finished page (7.5). */
gboolean layout_page_number(Layout *L, Page *page, GError **error);

/* page.c: the Layout */
/* Make the pages from here on portrait or landscape. */
void layout_orient(Layout *L, gboolean landscape);
/* A Layout of `doc` (its Pages made). */
gboolean layout_init(Layout *L, const Doc *doc, Fonts *fonts, GError **error);
/* Free what the Layout owns (not its Pages). */
void layout_clear(Layout *L);

#endif
