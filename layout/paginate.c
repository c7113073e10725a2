/* gongwen: Flows -> Pages on the GB/T 9704 grid: a paragraph leaves at least two lines at
 * the foot and the head of a page (but one, rather than a page of the title and the 主送机关
 * alone), an attachment starts a page, the 成文日期 never stands alone (7.3.5.5), and each
 * finished page goes to the sink. */
#include "layout-imp.h"

#include <string.h>

/* ---- placing flows on pages ---- */

/* A page takes the orientation pages are being made in: its size and type area. */
static void
page_orient(const Layout *L, Page *page)
{
    page->landscape = L->landscape;
    page->width = L->landscape ? PAGE_HEIGHT : PAGE_WIDTH;
    page->height = L->landscape ? PAGE_WIDTH : PAGE_HEIGHT;
    page->area_x = L->area_left;
    page->area_y = L->area_top;
    page->area_w = L->area_w;
    page->area_h = L->area_h;
}

static void layout_fit_page(Layout *L);
static void layout_finish_page(Layout *L);

/* The block of the flow being placed, when the page's last item (page furniture aside) is
 * one of its: the flow goes on at the top of the next page. Else SIZE_MAX. */
static size_t
page_continues(const Layout *L)
{
    if (L->placing >= L->flows->len)
        return SIZE_MAX;
    size_t b = g_array_index(L->flows, Flow, L->placing).block;
    for (guint i = L->page->items->len; i-- > 0;) {
        const PageItem *item = &g_array_index(L->page->items, PageItem, i);
        if (item->block != SIZE_MAX)
            return item->block == b ? b : SIZE_MAX;
    }
    return SIZE_MAX;
}

Page *
layout_new_page(Layout *L)
{
    if (L->page != NULL) {
        L->page->continues = page_continues(L);
        layout_fit_page(L);
        layout_finish_page(L);
    }
    Page *page = g_new0(Page, 1);
    page->items = g_array_new(FALSE, TRUE, sizeof(PageItem));
    page->index = L->pages->pages->len;
    page->continues = SIZE_MAX;
    page->number = (int)L->pages->pages->len + 1;
    page->numbered = L->doc->profile->page_number != PROFILE_PAGE_NUMBER_NONE;
    page_orient(L, page);
    g_ptr_array_add(L->pages->pages, page);
    L->page = page;
    L->row = 0;
    L->top_row = 0;
    return page;
}

/* Whether an item is the image of a seal. */
static gboolean
is_seal_image(const Layout *L, const PageItem *item)
{
    return item->kind == PAGE_ITEM_IMAGE && L->seals != NULL &&
           g_ptr_array_find(L->seals, item->image, NULL);
}

/* A page that took more rows than it has (the closing kept with the text, 7.3.5.5): its
 * lines drawn closer, so that they end on the type area's last line. A seal, which keeps
 * its size, follows the signature it presses on: its centre moves as the lines do. */
static void
layout_fit_page(Layout *L)
{
    if (L->row <= L->lines)
        return;
    const int top = L->area_top;
    const double k = (double)L->lines / L->row;
    for (guint i = 0; i < L->page->items->len; i++) {
        PageItem *item = &g_array_index(L->page->items, PageItem, i);
        int half = is_seal_image(L, item) ? item->h / 2 : 0;
        if (item->y > top + L->top_row * L->pitch)
            item->y = top + (int)((item->y + half - top) * k) - half;
    }
    for (guint i = 0; i < L->pages->seals->len; i++) {
        PageSeal *seal = &g_array_index(L->pages->seals, PageSeal, i);
        if (seal->page + 1 == L->pages->pages->len)
            seal->y = top + (int)((seal->y + seal->h / 2 - top) * k) - seal->h / 2;
    }
    char *pitch = g_strdup_printf("%.2f", L->pitch * k / PANGO_SCALE);
    /* the warning is the date's: its line, or the front matter's date: */
    DocLoc at = doc_key_loc(L->doc, "date");
    for (size_t b = L->doc->n_blocks; b-- > 0;)
        if (L->doc->blocks[b].kind == DOC_BLOCK_DATE ||
            L->doc->blocks[b].kind == DOC_BLOCK_SIGNATURE) {
            at = L->doc->blocks[b].loc;
            break;
        }
    diag_add(L->pages->warnings, DIAG_WARNING, at,
             "page %d is set at a line pitch of %s pt to keep the date with the text (GB/T 9704 "
             "7.3.5.5)", L->page->number, pitch);
    g_free(pitch);
    L->row = L->lines;
}

static gboolean is_signature_flow(const Layout *L, const Flow *f);
static int space_at_top(const Flow *f);

/* When flow k and those it keeps with lead to the 发文机关署名 and 成文日期: the fewest
 * rows they take from the current row through the date (the blank line above an unsealed
 * signature may give way), or -1 when they do not lead there, or take rows whose height
 * a closer pitch does not change (a table). */
static int
closing_rows(const Layout *L, guint k)
{
    int rows = 0;
    for (guint j = k, end = k + FLOW_WINDOW - 2; j < L->flows->len && j < end; j++) {
        const Flow *f = &g_array_index(L->flows, Flow, j);
        if ((j > k && f->new_page) || f->table != NULL || f->landscape)
            return -1;
        if (j == k && at_top(L))
            rows += space_at_top(f);
        else if (!is_signature_flow(L, f))
            rows += f->space_before;
        rows += f->rows;
        DocBlockKind kind = L->doc->blocks[f->block].kind;
        if (kind == DOC_BLOCK_SIGNATURE || kind == DOC_BLOCK_DATE)
            return rows;
        if (!f->keep_with_next)
            return -1;
    }
    return -1;
}

/* Nothing has been placed on the current page yet (the 版头 aside). */
gboolean
at_top(const Layout *L)
{
    return L->row <= L->top_row;
}

static void
layout_break_page(Layout *L)
{
    if (L->row > 0 || L->page->items->len > 0)
        layout_new_page(L);
}

int
row_baseline(const Layout *L, int row, int size)
{
    return L->area_top + row * L->pitch + (L->pitch - size) / 2 + size * 88 / 100;
}

/* A blank's underscores are drawn clipped to a hairline across their rule (PageItem.clip_x):
 * the text keeps them, and only the rule shows — their glyphs leave gaps, would darken the
 * rule where they overlap it and may be set a pixel off it on a screen. */
static void
blank_clip(PageItem *item, const ParaLines *lines, const ParaLine *line, int x0,
           const ParaRun *run)
{
    for (size_t k = line->first_blank; k < line->first_blank + line->n_blanks; k++) {
        const ParaBlank *blank = para_lines_blank(lines, k);
        if (run->x >= blank->x && run->x < blank->x + blank->width) {
            item->clip_x = x0 + line->x + run->x;
            item->clip_y = item->y + blank->y;
            item->clip_w = MAX(1, run->width);
            item->clip_h = blank->height;
            return;
        }
    }
}

/* The rules of a line's fill-in blanks (ParaBlank), drawn under their underscores. */
static void
page_add_blanks(Page *page, const ParaLines *lines, const ParaLine *line, int x0, int baseline,
                size_t block)
{
    for (size_t k = line->first_blank; k < line->first_blank + line->n_blanks; k++) {
        const ParaBlank *blank = para_lines_blank(lines, k);
        PageItem item = {.kind = PAGE_ITEM_FILL, .x = x0 + line->x + blank->x,
                         .y = baseline + blank->y, .w = blank->width, .h = blank->height,
                         .block = block};
        g_array_append_val(page->items, item);
    }
}

void
page_add_line(Page *page, const ParaLines *lines, size_t n, int x0, int baseline, size_t block)
{
    const ParaLine *line = para_lines_get(lines, n);
    for (size_t k = line->first_run; k < line->first_run + line->n_runs; k++) {
        const ParaRun *run = para_lines_run(lines, k);
        PageItem item = {.kind = PAGE_ITEM_GLYPHS, .x = x0 + line->x + run->x, .y = baseline,
                         .run = &run->glyph_item, .text = lines->text, .block = block,
                         .embolden = run->embolden};
        if (run->blank)
            blank_clip(&item, lines, line, x0, run);
        g_array_append_val(page->items, item);
    }
    page_add_blanks(page, lines, line, x0, baseline, block);
}

/* An issued document's entry in the outline: its whole title, at the top level; the
 * headings after it nest under it. */
static void
layout_add_issued_outline(Layout *L, const Flow *f, int row)
{
    const DocBlock *block = &L->doc->blocks[f->block];
    PageOutline entry = {g_string_chunk_insert(L->pages->strings, block->text), 1,
                         L->pages->pages->len - 1, L->area_top + row * L->pitch, f->block};
    g_array_append_val(L->pages->outline, entry);
    L->outline_issued = TRUE;
}

/* The outline level of a block: a heading's level, 1 for a 第X章 chapter and 2 for a 第X节
 * section; 0 for a block the outline leaves out. */
static int
outline_level(const DocBlock *block)
{
    if (block->kind == DOC_BLOCK_HEADING)
        return block->level;
    if (block->kind == DOC_BLOCK_CHAPTER)
        return 1;
    if (block->kind == DOC_BLOCK_SECTION)
        return 2;
    return 0;
}

static void
layout_add_outline(Layout *L, const Flow *f, int row)
{
    const DocBlock *block = &L->doc->blocks[f->block];
    if (block->kind == DOC_BLOCK_ISSUED)
        layout_add_issued_outline(L, f, row);
    int level = outline_level(block);
    if (level == 0)
        return;
    size_t len = block->head_len > 0 ? block->head_len : strlen(block->text);
    char *text = g_strndup(block->text, len);
    if (g_str_has_suffix(text, "。"))
        text[strlen(text) - strlen("。")] = '\0';
    /* under an issued document's entry, one level down */
    PageOutline entry = {g_string_chunk_insert(L->pages->strings, text),
                         level + (L->outline_issued ? 1 : 0), L->pages->pages->len - 1,
                         L->area_top + row * L->pitch, f->block};
    g_free(text);
    g_array_append_val(L->pages->outline, entry);
}

/* Put rows [from, to) of flow f on the current page starting at row `at`. */
/* A chart's shapes and labels with its top left at (x, y). */
static void
page_add_chart(Page *page, const ChartLayout *chart, int x, int y, size_t block)
{
    for (guint k = 0; k < chart->shapes->len; k++) {
        PageItem item = {.kind = PAGE_ITEM_SHAPE, .x = x, .y = y, .block = block,
                         .shape = g_ptr_array_index(chart->shapes, k)};
        g_array_append_val(page->items, item);
    }
    for (guint k = 0; k < chart->labels->len; k++) {
        const ChartLabel *label = &g_array_index(chart->labels, ChartLabel, k);
        for (size_t n = 0; n < para_lines_count(label->lines); n++)
            page_add_line(page, label->lines, n, x + label->x,
                          y + label->y + (int)n * chart->pitch, block);
    }
}

void
layout_emit(Layout *L, const Flow *f, int from, int to, int at)
{
    ((Flow *)f)->last_page = L->pages->pages->len - 1;
    if (from == 0)
        layout_add_outline(L, f, at);
    if (from == 0 && f->chart != NULL)
        page_add_chart(L->page, f->chart, L->area_left, L->area_top + at * L->pitch,
                       f->block);
    if (from == 0 && f->image != NULL) {
        PageItem item = {.kind = PAGE_ITEM_IMAGE,
                         .x = L->area_left + (L->area_w - f->image_w) / 2,
                         .y = L->area_top + at * L->pitch, .block = f->block, .w = f->image_w,
                         .h = f->image_h, .image = f->image};
        g_array_append_val(L->page->items, item);
    }
    for (guint k = 0; f->seals != NULL && k < f->seals->len; k++) {
        /* the seal goes under the text: its image is drawn first; it goes on the page of
         * the signature it presses on */
        const SealSpot *spot = &g_array_index(f->seals, SealSpot, k);
        int row = (spot->dy + L->seal_h / 2) / L->pitch;
        if (row < from || row >= to)
            continue;
        PageSeal seal = {L->pages->pages->len - 1, L->area_left + spot->x,
                         L->area_top + (at - from) * L->pitch + spot->dy, L->seal_w, L->seal_h};
        g_array_append_val(L->pages->seals, seal);
        if (L->seals_placed < L->seals->len) {
            /* the image fitted into the seal's box, centred */
            const FigureImage *image = g_ptr_array_index(L->seals, L->seals_placed);
            double k = MIN((double)seal.w / image->width_px, (double)seal.h / image->height_px);
            int w = (int)(image->width_px * k), h = (int)(image->height_px * k);
            PageItem item = {.kind = PAGE_ITEM_IMAGE, .x = seal.x + (seal.w - w) / 2,
                             .y = seal.y + (seal.h - h) / 2, .block = f->block, .w = w, .h = h,
                             .image = image};
            g_array_append_val(L->page->items, item);
        }
        L->seals_placed++;
    }
    for (guint p = 0; p < f->parts->len; p++) {
        const FlowPart *part = &g_array_index(f->parts, FlowPart, p);
        for (size_t n = 0; n < para_lines_count(part->lines); n++) {
            int r = part->row + (int)n;
            if (r < from || r >= to)
                continue;
            int baseline = row_baseline(L, at + r - from, part->size);
            page_add_line(L->page, part->lines, n, L->area_left + part->x, baseline,
                          part->block);
        }
    }
    L->row = at + (to - from);
}

/* The grid rows a table's header and first body row take below its title, with the half
 * line above a table that has no title nor space of its own (layout_place_table). */
static int
table_lead_rows(const Layout *L, const Flow *f)
{
    const TableLayout *t = f->table;
    int h = table_first_row_lead(t) + (f->rows > 0 || f->space_before > 0 ? 0 : L->pitch / 2);
    for (size_t r = 0; r < t->table->header_rows; r++)
        h += t->row_h[r];
    return (h + L->pitch - 1) / L->pitch;
}

/* Rows of flow k that must share a page with the flow before it (keep-with-next). */
/* The flow of the 发文机关署名 and 成文日期 of an unsealed document: the blank line above
 * it may give way (7.3.5.5). A sealed one keeps its two: the seal needs them. */
static gboolean
is_signature_flow(const Layout *L, const Flow *f)
{
    DocBlockKind kind = L->doc->blocks[f->block].kind;
    return (kind == DOC_BLOCK_SIGNATURE || kind == DOC_BLOCK_DATE) && f->seals == NULL;
}

static int
flow_lead(const Layout *L, guint k, int depth)
{
    if (k >= L->flows->len || depth > 8)
        return 0;
    const Flow *f = &g_array_index(L->flows, Flow, k);
    if (f->new_page)
        return 0;
    if (f->table != NULL)
        return f->space_before + f->rows + table_lead_rows(L, f);
    if (f->splittable && f->rows >= 4)
        return f->space_before + 2;
    /* the blank lines above the signature give way before the date leaves the text */
    int lead = (is_signature_flow(L, f) ? 0 : f->space_before) + f->rows;
    if (f->keep_with_next)
        lead += flow_lead(L, k + 1, depth + 1);
    return lead;
}

/* A page that would hold only the title and the 主送机关 above its foot, all the text on the
 * next page, is wrong to any reader; 7.3.5.5 asks only that the page of the signature hold
 * body text too, and has no rule of two lines. On such a page the keeps give way: one line
 * of a paragraph may stand at the page's foot or go alone with the signature to the next
 * page's head, a paragraph may leave the one after it to go with the signature. */

/* Whether the current page holds, below the 版头, the title or the 主送机关 and nothing else
 * yet (flow k is the one being placed). */
static gboolean
page_holds_heads_only(const Layout *L, guint k)
{
    const size_t page = L->pages->pages->len - 1;
    gboolean heads = FALSE;
    for (guint j = k; j-- > 0;) {
        const Flow *f = &g_array_index(L->flows, Flow, j);
        if (f->last_page != page || f->rows == 0)
            break;
        DocBlockKind kind = L->doc->blocks[f->block].kind;
        if (kind != DOC_BLOCK_TITLE && kind != DOC_BLOCK_ADDRESSEE)
            return FALSE;
        heads = TRUE;
    }
    return heads;
}

static gboolean
is_body_flow(const Layout *L, guint k)
{
    return k < L->flows->len &&
           L->doc->blocks[g_array_index(L->flows, Flow, k).block].kind == DOC_BLOCK_PARAGRAPH;
}

/* On a page of heads only: the rows flow k needs on it so that the page holds a line of
 * body text after what comes before it — a paragraph's first line (then the rest may go
 * on), a whole paragraph that no more than another paragraph keeps with, the title or the
 * 主送机关 with that; -1 when the keeps do not give way so (a paragraph of one line the
 * signature keeps with, a table, a heading). */
static int
flow_lead_relaxed(const Layout *L, guint k, int depth)
{
    if (k >= L->flows->len || depth > 8)
        return -1;
    const Flow *f = &g_array_index(L->flows, Flow, k);
    DocBlockKind kind = L->doc->blocks[f->block].kind;
    if (f->new_page || f->table != NULL || f->landscape)
        return -1;
    if (kind == DOC_BLOCK_PARAGRAPH) {
        if (f->splittable && f->rows >= 2)
            return f->space_before + 1;
        return !f->keep_with_next || is_body_flow(L, k + 1) ? f->space_before + f->rows : -1;
    }
    if ((kind != DOC_BLOCK_TITLE && kind != DOC_BLOCK_ADDRESSEE) || !f->keep_with_next)
        return -1;
    int lead = flow_lead_relaxed(L, k + 1, depth + 1);
    return lead < 0 ? -1 : f->space_before + f->rows + lead;
}

/* The rows the current page may fill: its lines, or two more on the page they were granted
 * on (7.3.5.5) — never on the pages a long block runs on to. */
static int
page_cap(const Layout *L)
{
    return L->cap_page == L->page ? L->cap : L->lines;
}

/* Where a flow too tall for a page breaks, at `end` or before it (after `first`): between
 * two rows of seals, no seal cut by the page's foot or head; `end` when there is no such
 * place. */
static int
seal_break(const Layout *L, const Flow *f, int first, int end)
{
    for (int b = end; f->seals != NULL && b > first; b--) {
        gboolean cuts = FALSE;
        for (guint k = 0; !cuts && k < f->seals->len; k++) {
            const SealSpot *spot = &g_array_index(f->seals, SealSpot, k);
            cuts = spot->dy < b * L->pitch && spot->dy + L->seal_h > b * L->pitch;
        }
        if (!cuts)
            return b;
    }
    return end;
}

/* The blank rows a flow keeps above it at the top of a page: none, but those a seal
 * reaches up into. */
static int
space_at_top(const Flow *f)
{
    return f->seals != NULL ? f->space_before : 0;
}

static void
layout_place_whole(Layout *L, const Flow *f, int need_next)
{
    int space = at_top(L) ? space_at_top(f) : f->space_before;
    int room = page_cap(L) - L->row - f->rows - need_next;
    if (!at_top(L) && space > room && room >= 0 && is_signature_flow(L, f)) {
        /* 7.3.5.5: rather than the date alone on a page, fewer blank lines above it */
        layout_warn(L, f, "%d blank line%s above the signature instead of %d, to keep the date "
                          "on the page of the text (GB/T 9704 7.3.5.5)",
                    room, room == 1 ? "" : "s", space);
        space = room;
    }
    if (!at_top(L) && L->row + space + f->rows + need_next > page_cap(L)) {
        layout_new_page(L);
        space = space_at_top(f);
    }
    if (L->row + space + f->rows > page_cap(L)) {
        /* taller than a page can hold even two lines fuller (a caption of thousands of
         * characters, fifty signing organs): it runs on over the pages, a full page at a
         * time, rather than be drawn closer and closer until its lines overprint */
        layout_warn(L, f, "this block takes %d lines, more than a page holds: it continues on "
                          "the next page", f->rows);
        for (int first = 0; first < f->rows; space = 0) {
            int end = MIN(f->rows, first + MAX(1, L->lines - L->row - space));
            if (end < f->rows)
                end = seal_break(L, f, first, end);
            layout_emit(L, f, first, end, L->row + space);
            first = end;
            if (first < f->rows)
                layout_new_page(L);
        }
        return;
    }
    layout_emit(L, f, 0, f->rows, L->row + space);
}

/* A splittable flow: at least two lines at the foot of a page (no orphan) and two at the head
 * of the next (no widow), and the last lines together with what must keep with them. With
 * `relax` (a page of heads only), one line at the foot or the head rather than none of the
 * paragraph on this page. */
static void
layout_place_split(Layout *L, const Flow *f, int need_next, gboolean relax)
{
    int first = 0, n = f->rows;
    while (first < n) {
        int space = at_top(L) || first > 0 ? 0 : f->space_before;
        int room = page_cap(L) - L->row - space, rest = n - first;
        int k;
        if (rest + need_next <= room) {
            layout_emit(L, f, first, n, L->row + space);
            return;
        }
        k = rest <= room ? rest - 2 : MIN(room, rest - 2);
        if (2 + need_next > L->lines && rest <= room)
            k = rest;
        if (relax && first == 0 && k < 2 && !at_top(L) && room >= 1 && rest >= 2) {
            /* the page would hold the title or the 主送机关 alone: as many lines as it
             * takes, the last one (at least) going on with what keeps with it */
            k = rest <= room ? rest - 1 : MIN(room, rest - 1);
            if (rest - k == 1)
                layout_warn(L, f, "the last line of this paragraph stands alone at the head of "
                                  "page %d, so that page %d holds body text after its title",
                            L->page->number + 1, L->page->number);
            else
                layout_warn(L, f, "the first line of this paragraph stands alone at the foot "
                                  "of page %d, so that it holds body text after its title",
                            L->page->number);
            layout_emit(L, f, 0, k, L->row + space);
            first = k;
            layout_new_page(L);
            continue;
        }
        if (k < (first == 0 ? 2 : 1)) {
            if (at_top(L)) {
                layout_emit(L, f, first, MIN(n, first + room), 0);
                first += room;
                if (first + 1 == n)
                    layout_warn(L, f, "one line of this paragraph could not be kept from "
                                      "standing alone at the top of page %d",
                                L->page->number + 1);
                if (first < n)
                    layout_new_page(L);
                continue;
            }
            layout_new_page(L);
            continue;
        }
        layout_emit(L, f, first, first + k, L->row + space);
        first += k;
        layout_new_page(L);
    }
}

/* Whether flow k is a head (an attachment's, a heading, a caption) that keeps with a table
 * set on landscape pages, perhaps through other heads. */
static gboolean
heads_landscape(const Layout *L, guint k)
{
    for (guint j = k; j + 1 < L->flows->len && j < k + 4; j++) {
        const Flow *f = &g_array_index(L->flows, Flow, j);
        DocBlockKind kind = L->doc->blocks[f->block].kind;
        if (!f->keep_with_next || (kind != DOC_BLOCK_ATTACHMENT && kind != DOC_BLOCK_HEADING &&
                                   kind != DOC_BLOCK_CAPTION))
            return FALSE;
        const Flow *next = &g_array_index(L->flows, Flow, j + 1);
        if (next->landscape)
            return TRUE;
        if (next->new_page)
            return FALSE;
    }
    return FALSE;
}

gboolean
layout_paginate(Layout *L, GError **error)
{
    layout_new_page(L);
    if (!layout_letterhead(L, error))
        return FALSE;
    for (guint k = 0;; k++) {
        if (!layout_ensure_flows(L, k + FLOW_WINDOW, error))
            return FALSE;
        if (k >= L->flows->len)
            break;
        L->placing = k;
        const Flow *f = &g_array_index(L->flows, Flow, k);
        /* an attachment's head, a heading or a caption goes on the landscape page of the
         * table it announces */
        gboolean want = f->landscape || heads_landscape(L, k);
        if (want != L->landscape) {
            gboolean empty = L->row == 0 && L->page->items->len == 0;
            layout_orient(L, want);
            if (empty) {
                page_orient(L, L->page);
            } else {
                layout_new_page(L);
            }
        }
        if (f->new_page)
            layout_break_page(L);
        int need_next = f->keep_with_next ? flow_lead(L, k + 1, 0) : 0;
        if (need_next + 2 > L->lines)
            need_next = 0;
        /* a page that would otherwise hold a title or a few lines alone may take two more
         * rows, drawn closer, to keep the text with its date (7.3.5.5) — only when with
         * them the date does stay on this page: else the page keeps its pitch and the
         * normal rules move the last lines over with the date */
        gboolean in_chain = k > 0 && g_array_index(L->flows, Flow, k - 1).keep_with_next &&
                            L->cap > L->lines && L->cap_page == L->page;
        if (!in_chain) {
            L->cap = L->lines;
            int closing = !L->page->landscape && L->row - L->top_row <= 4 ? closing_rows(L, k)
                                                                            : -1;
            if (closing >= 0 && L->row + closing <= L->lines + 2) {
                L->cap = L->lines + 2;
                L->cap_page = L->page;
            }
        }
        if (f->table != NULL) {
            layout_place_table(L, f);
            continue;
        }
        if (f->rows == 0)
            continue;
        /* a page of the title and the 主送机关 alone: when what keeps with flow k would take
         * it to the next page, the keeps give way as far as a line of body text can stay */
        gboolean relax = page_holds_heads_only(L, k);
        int fits = page_cap(L) - L->row - f->space_before - f->rows;
        if (relax && !at_top(L) && need_next > fits) {
            int lead = is_body_flow(L, k) ? (is_body_flow(L, k + 1) ? 0 : -1)
                                          : flow_lead_relaxed(L, k + 1, 0);
            if (lead >= 0 && lead <= fits)
                need_next = lead;
        }
        if (f->splittable)
            layout_place_split(L, f, need_next, relax);
        else
            layout_place_whole(L, f, need_next);
    }
    L->placing = L->flows->len;
    layout_fit_page(L);
    L->building = TRUE; /* the 版记's lines may go on a page made after them */
    gboolean ok = layout_imprint(L, error);
    L->building = FALSE;
    if (!ok)
        return FALSE;
    layout_finish_page(L);
    if (L->error != NULL) {
        g_propagate_error(error, L->error);
        L->error = NULL;
        return FALSE;
    }
    return TRUE;
}

static void
free_para(Layout *L, size_t index)
{
    para_lines_free(g_ptr_array_index(L->pages->paras, index));
    g_ptr_array_index(L->pages->paras, index) = NULL;
}

/* The current page is finished: its number, then to the sink; after the sink its display
 * list goes, with the lines made for it and those of the flows no later page shows. */
static void
layout_finish_page(Layout *L)
{
    Page *page = L->page;
    const size_t p = L->pages->pages->len - 1;
    if (L->error == NULL)
        layout_page_number(L, page, &L->error);
    L->finished = (guint)p + 1;
    if (L->sink == NULL)
        return;
    L->sink(L->pages, page, L->sink_data);
    g_array_set_size(page->items, 0);
    for (guint k = 0; k < L->loose->len; k++)
        free_para(L, g_array_index(L->loose, guint, k));
    g_array_set_size(L->loose, 0);
    while (L->freed_flows < L->placing) {
        const Flow *f = &g_array_index(L->flows, Flow, L->freed_flows);
        if (f->last_page > p)
            break;
        for (size_t i = f->para_first; i < f->para_end; i++)
            free_para(L, i);
        L->freed_flows++;
    }
}
