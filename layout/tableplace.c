/* gongwen: a table's rows onto pages: whole rows, a row taller than a page split, the
 * header rows again on every page, merged cells cut by a page repeated or continued. */
#include "layout-imp.h"

static void
page_add_rect(Page *page, int x, int y, int w, int h, int line, size_t block)
{
    PageItem item = {.kind = PAGE_ITEM_RECT, .x = x, .y = y, .block = block, .w = w, .h = h,
                     .line = line};
    g_array_append_val(page->items, item);
}

#define TABLE_RULE PAGE_PT(0.5)  /* inner rules */
#define TABLE_FRAME PAGE_PT(1.0) /* the outer frame */

/* A row, or the part of a row taller than a page, as placed on one page: lines
 * [first, end) of its cells (end -1: to the last). */
typedef struct {
    size_t row;
    int first, end;
    int h;
} TablePiece;

static int
rows_height(const TableLayout *t, size_t from, size_t to)
{
    int h = 0;
    for (size_t r = from; r < to; r++)
        h += t->row_h[r];
    return h;
}

/* The lines a row holds: its height less padding, in lines (rounded up). */
static int
row_total_lines(const TableLayout *t, size_t r)
{
    return (t->row_h[r] - 2 * t->pad_y + t->pitch - 1) / t->pitch;
}

static gboolean
piece_whole(const TablePiece *p)
{
    return p->first == 0 && p->end < 0;
}

/* Draw one cell of the band of `pieces` stacked from `y`: its rectangle over the rows it
 * has in the band, and its text. A cell whole in the band has its text centred; in a row
 * split across pages it shows the lines of that part, from the top; a merged cell cut by
 * the page shows its text again where it fits, else continues it (`shown` lines so far). */
static void
table_emit_cell(Layout *L, const Flow *f, const TableCellBox *box, const GArray *pieces, int y,
                int x0, int *shown)
{
    const TableLayout *t = f->table;
    int top = -1, h = 0;
    gboolean whole = TRUE;
    int rows_in = 0;
    const TablePiece *only = NULL;
    int py = y;
    for (guint i = 0; i < pieces->len; i++) {
        const TablePiece *p = &g_array_index(pieces, TablePiece, i);
        if (p->row >= box->row && p->row < box->row + (size_t)box->row_span) {
            if (top < 0)
                top = py;
            h += p->h;
            whole = whole && piece_whole(p);
            rows_in++;
            only = p;
        }
        py += p->h;
    }
    if (top < 0)
        return;
    whole = whole && rows_in == box->row_span;
    int left = x0 + t->col_x[box->col];
    int w = t->col_x[box->col + (size_t)box->col_span] - t->col_x[box->col];
    guint first_item = L->page->items->len;
    page_add_rect(L->page, left, top, w, h, TABLE_RULE, f->block);
    int n = (int)para_lines_count(box->lines);
    int from = 0, count = n, baseline;
    if (whole) {
        baseline = top + table_text_baseline(t, (size_t)n, h);
    } else if (box->row_span == 1) { /* a row split across pages */
        from = MIN(only->first, n);
        count = MIN(only->end < 0 ? n : only->end, n) - from;
        baseline = top + table_text_baseline(t, 1, t->pitch + 2 * t->pad_y);
    } else {
        int fits = MAX(0, (h - 2 * t->pad_y) / t->pitch);
        if (n <= fits) {
            baseline = top + table_text_baseline(t, (size_t)n, h);
        } else {
            if (*shown >= n)
                *shown = 0;
            from = *shown;
            count = MIN(fits, n - from);
            *shown += count;
            baseline = top + table_text_baseline(t, 1, t->pitch + 2 * t->pad_y);
        }
    }
    for (int k = 0; k < count; k++)
        page_add_line(L->page, box->lines, (size_t)(from + k), left + box->text_x,
                      baseline + k * t->pitch, f->block);
    /* the cell's items name it, for the PDF's structure (TR, TH, TD) */
    size_t cell = (size_t)(box - &g_array_index(t->cells, TableCellBox, 0)) + 1;
    for (guint i = first_item; i < L->page->items->len; i++)
        g_array_index(L->page->items, PageItem, i).cell = cell;
}

static void
table_emit_band(Layout *L, const Flow *f, const GArray *pieces, int y, int *shown)
{
    const TableLayout *t = f->table;
    if (pieces->len == 0)
        return;
    int x0 = L->area_left + (L->area_w - t->width) / 2;
    /* the cells of the band's rows, and those reaching into them from above */
    size_t first = g_array_index(pieces, TablePiece, 0).row;
    size_t last = g_array_index(pieces, TablePiece, pieces->len - 1).row;
    for (size_t k = t->row_cells[t->reach[first]]; k < t->row_cells[last + 1]; k++)
        table_emit_cell(L, f, &g_array_index(t->cells, TableCellBox, k), pieces, y, x0,
                        &shown[k]);
}

/* The header rows as pieces. */
static void
table_header_pieces(const TableLayout *t, GArray *pieces)
{
    g_array_set_size(pieces, 0);
    for (size_t r = 0; r < t->table->header_rows; r++) {
        TablePiece p = {r, 0, -1, t->row_h[r]};
        g_array_append_val(pieces, p);
    }
}

size_t
table_block(const DocTable *t, size_t row, size_t *start, size_t *end)
{
    const gboolean *sub = t->subhead;
    size_t s = row, e, rows = 0;
    while (s > t->header_rows && !sub[s - 1] && !sub[s])
        s--;
    while (s > t->header_rows && sub[s - 1])
        s--;
    for (e = s; e < t->n_rows && sub[e]; e++)
        ;
    for (; e < t->n_rows && !sub[e]; e++)
        rows++;
    *start = s;
    *end = e;
    return rows;
}

/* A table's first body row as far as it must stay with the header: all of it, or three
 * lines of a row taller than that (a row taller than a page is split); in a table of
 * blocks, its whole first block when that is short (TABLE_KEEP_BLOCK_ROWS). */
int
table_first_row_lead(const TableLayout *t)
{
    const DocTable *table = t->table;
    size_t head = table->header_rows, n = table->n_rows;
    if (head >= n)
        return 0;
    int lead = MIN(t->row_h[head], 3 * t->pitch + 2 * t->pad_y);
    if (table->subhead == NULL)
        return lead;
    size_t start, end, rows = table_block(table, head, &start, &end);
    if (rows == 0 || rows > TABLE_KEEP_BLOCK_ROWS)
        return lead;
    return rows_height(t, start, end);
}

/* The body pieces that go on a page with `room` below the header, from row *r (its lines
 * from *line on): whole rows while they fit; a row taller than a page's room is split,
 * its cells continuing on the next page. */
static int
table_body_pieces(Layout *L, const Flow *f, int room, int full_room, size_t *r, int *line,
                  GArray *pieces)
{
    const TableLayout *t = f->table;
    const size_t n = t->table->n_rows;
    int h = 0;
    g_array_set_size(pieces, 0);
    while (*r < n) {
        int total = row_total_lines(t, *r);
        int rest = *line == 0 ? t->row_h[*r] : (total - *line) * t->pitch + 2 * t->pad_y;
        if (h + rest <= room) {
            TablePiece p = {*r, *line, -1, rest};
            g_array_append_val(pieces, p);
            h += rest;
            (*r)++;
            *line = 0;
            continue;
        }
        if (rest <= full_room && (pieces->len > 0 || room < full_room))
            break; /* whole on the next page */
        int fits = (room - h - 2 * t->pad_y) / t->pitch;
        if (fits < 2 && (pieces->len > 0 || room < full_room))
            break;
        fits = MAX(fits, 1);
        if (*line == 0)
            layout_warn(L, f, "row %zu of %s is taller than a page: it is split, its cells "
                              "continuing on the next page", *r + 1, t->table->file);
        TablePiece p = {*r, *line, *line + fits, fits * t->pitch + 2 * t->pad_y};
        g_array_append_val(pieces, p);
        h += p.h;
        *line += fits;
        break;
    }
    /* a block's headings (第二十条第（五）项, its column heads) go with its rows */
    const gboolean *subhead = t->table->subhead;
    while (*r < n && subhead != NULL && pieces->len > 1) {
        const TablePiece *last = &g_array_index(pieces, TablePiece, pieces->len - 1);
        if (!subhead[last->row] || !piece_whole(last) || last->row + 1 != *r || *line != 0)
            break;
        h -= last->h;
        *r = last->row;
        g_array_set_size(pieces, pieces->len - 1);
    }
    /* a short block (a 第二十条第（一）项 of two rows) is not split: it goes whole onto the
     * next page (the first block is kept with the header by table_first_row_lead) */
    if (subhead != NULL && *r < n && !subhead[*r] && *line == 0 && pieces->len > 0) {
        size_t start, end;
        size_t rows = table_block(t->table, *r, &start, &end);
        guint keep = 0;
        while (keep < pieces->len && g_array_index(pieces, TablePiece, keep).row < start)
            keep++;
        if (rows <= TABLE_KEEP_BLOCK_ROWS && keep > 0) {
            for (guint k = keep; k < pieces->len; k++)
                h -= g_array_index(pieces, TablePiece, k).h;
            g_array_set_size(pieces, keep);
            *r = start;
        }
    }
    return h;
}

/* The table's rows onto pages: a row goes whole onto a page unless it is taller than a
 * page, the header rows again at the top of every page the table continues on, a frame
 * around each page's part. */
void
layout_place_table(Layout *L, const Flow *f)
{
    const TableLayout *t = f->table;
    const size_t head = t->table->header_rows, n = t->table->n_rows;
    const int bottom = L->area_top + L->area_h;
    int head_h = rows_height(t, 0, head);
    const int x0 = L->area_left + (L->area_w - t->width) / 2;
    /* half a line above a table that follows other text (a title of its own is set on
     * the grid above it and keeps that space already) */
    int gap = at_top(L) || f->rows > 0 || f->space_before > 0 ? 0 : L->pitch / 2;
    int space = at_top(L) ? 0 : f->space_before;
    int need = (f->rows + space) * L->pitch + gap + head_h + table_first_row_lead(t);
    if (!at_top(L) && L->area_top + L->row * L->pitch + need > bottom) {
        layout_new_page(L);
        space = 0;
        gap = 0;
    }
    if (f->rows > 0)
        layout_emit(L, f, 0, f->rows, L->row + space);
    int y = L->area_top + (L->row + (f->rows > 0 ? 0 : space)) * L->pitch + gap;
    int *shown = g_new0(int, t->cells->len);
    GArray *head_pieces = g_array_new(FALSE, FALSE, sizeof(TablePiece));
    GArray *pieces = g_array_new(FALSE, FALSE, sizeof(TablePiece));
    table_header_pieces(t, head_pieces);
    size_t r = head;
    int line = 0;
    while (r < n) {
        int h = table_body_pieces(L, f, bottom - y - head_h, L->area_h - head_h, &r, &line,
                                  pieces);
        if (pieces->len > 0) {
            table_emit_band(L, f, head_pieces, y, shown);
            table_emit_band(L, f, pieces, y + head_h, shown);
            page_add_rect(L->page, x0, y, t->width, head_h + h, TABLE_FRAME, f->block);
            y += head_h + h;
            if (!t->repeat_header) { /* the header only above the first part */
                g_array_set_size(head_pieces, 0);
                head_h = 0;
            }
        }
        if (r < n) {
            layout_new_page(L);
            y = L->area_top;
        }
    }
    if (head == n) { /* a table of header rows only */
        table_emit_band(L, f, head_pieces, y, shown);
        page_add_rect(L->page, x0, y, t->width, head_h, TABLE_FRAME, f->block);
        y += head_h;
    }
    g_array_free(pieces, TRUE);
    g_array_free(head_pieces, TRUE);
    g_free(shown);
    L->row = MIN(L->lines, (y - L->area_top + L->pitch - 1) / L->pitch);
}
