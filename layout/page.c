/* gongwen: pagination's public calls (page.h): lay a Doc out into Pages, at once or page by
 * page, and find sections. The work is in flow.c, paginate.c, tableplace.c, furniture.c. */
#include "layout-imp.h"

#include <string.h>

/* ---- public ---- */

static void
flow_clear(gpointer data)
{
    Flow *f = data;
    g_array_free(f->parts, TRUE);
    if (f->seals != NULL)
        g_array_free(f->seals, TRUE);
}

static Pages *
pages_new(void)
{
    Pages *pages = g_new0(Pages, 1);
    pages->width = PAGE_WIDTH;
    pages->height = PAGE_HEIGHT;
    pages->pages = g_ptr_array_new();
    pages->outline = g_array_new(FALSE, TRUE, sizeof(PageOutline));
    pages->paras = g_ptr_array_new_with_free_func((GDestroyNotify)para_lines_free);
    pages->strings = g_string_chunk_new(1024);
    pages->tables = g_ptr_array_new_with_free_func((GDestroyNotify)table_layout_free);
    pages->charts = g_ptr_array_new_with_free_func((GDestroyNotify)chart_layout_free);
    pages->images = g_ptr_array_new_with_free_func((GDestroyNotify)figure_free);
    pages->warnings = diag_list_new();
    pages->seals = g_array_new(FALSE, TRUE, sizeof(PageSeal));
    return pages;
}

static const char *
pages_intern(Pages *pages, const char *text)
{
    return text != NULL ? g_string_chunk_insert(pages->strings, text) : NULL;
}

/* What the outputs know of the document: its metadata and its blocks' kinds. */
static void
pages_describe(Pages *pages, const Doc *doc)
{
    PagesMeta *m = &pages->meta;
    m->title = pages_intern(pages, doc->title);
    m->author = pages_intern(pages, doc->issuer);
    m->subject = pages_intern(pages, doc->subject);
    m->keywords = pages_intern(pages, doc->keywords);
    m->year = doc->year;
    m->month = doc->month;
    m->day = doc->day;
    pages->n_blocks = doc->n_blocks;
    pages->blocks = g_new0(PageBlock, doc->n_blocks + 1);
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const DocBlock *b = &doc->blocks[i];
        PageBlock *pb = &pages->blocks[i];
        pb->kind = b->kind;
        pb->level = b->level;
        if (b->kind == DOC_BLOCK_TABLE || b->kind == DOC_BLOCK_CHART ||
            b->kind == DOC_BLOCK_FIGURE)
            pb->text = pages_intern(pages, b->text);
        if (b->kind == DOC_BLOCK_CHART)
            pb->chart = doc_chart_kind_name(b->chart->kind);
    }
}

/* The type area of a portrait page, or of a landscape one (the portrait area turned: its
 * top edge at the binding side, 28 mm from the top). */
static void
layout_set_area(Layout *L, gboolean landscape)
{
    if (landscape) {
        L->area_left = PAGE_HEIGHT - PAGE_AREA_TOP - PAGE_AREA_HEIGHT;
        L->area_top = PAGE_AREA_LEFT;
        L->area_w = PAGE_AREA_HEIGHT;
        L->area_h = PAGE_AREA_WIDTH;
    } else {
        L->area_left = PAGE_AREA_LEFT;
        L->area_top = PAGE_AREA_TOP;
        L->area_w = PAGE_AREA_WIDTH;
        L->area_h = PAGE_AREA_HEIGHT;
    }
}

/* Make the pages from here on portrait or landscape: the type area and the lines a page
 * holds follow. */
void
layout_orient(Layout *L, gboolean landscape)
{
    L->landscape = landscape;
    layout_set_area(L, landscape);
    L->lines = landscape ? MAX(1, L->area_h / L->pitch) : L->portrait_lines;
}

gboolean
layout_init(Layout *L, const Doc *doc, Fonts *fonts, GError **error)
{
    memset(L, 0, sizeof *L);
    L->doc = doc;
    L->fonts = fonts;
    L->pages = pages_new();
    L->flows = g_array_new(FALSE, TRUE, sizeof(Flow));
    g_array_set_clear_func(L->flows, flow_clear);
    L->seals = g_ptr_array_new();
    const Profile *pr = doc->profile;
    layout_set_area(L, FALSE);
    L->lines = L->portrait_lines = pr->lines;
    L->pitch = pr->line_pitch > 0 ? pr->line_pitch : PAGE_AREA_HEIGHT / pr->lines;
    L->cell = pr->grid ? PAGE_AREA_WIDTH / pr->chars : PAGE_SIZE_BODY;
    L->set_cell = pr->grid ? L->cell : 0;
    L->seal_w = L->seal_h = PAGE_SEAL_SIZE;
    for (size_t k = 0; k < doc->n_seals; k++) {
        DocBlock block = {0};
        block.kind = DOC_BLOCK_FIGURE;
        block.loc = doc->seal_loc;
        block.file = doc->seals[k];
        FigureImage *image = figure_load(&block, error);
        if (image == NULL)
            return FALSE;
        g_ptr_array_add(L->pages->images, image);
        g_ptr_array_add(L->seals, image);
    }
    L->pages->pitch = L->pitch;
    L->pages->cell = L->cell;
    pages_describe(L->pages, doc);
    L->loose = g_array_new(FALSE, FALSE, sizeof(guint));
    L->table_of = g_new0(const TableLayout *, doc->n_blocks + 1);
    return TRUE;
}

/* Free what the Layout owns (not its Pages). */
void
layout_clear(Layout *L)
{
    if (L->flows != NULL)
        g_array_free(L->flows, TRUE);
    if (L->seals != NULL)
        g_ptr_array_free(L->seals, TRUE);
    if (L->loose != NULL)
        g_array_free(L->loose, TRUE);
    g_free(L->table_of);
    g_clear_error(&L->error);
}

Pages *
page_layout(const Doc *doc, Fonts *fonts, GError **error)
{
    g_return_val_if_fail(doc != NULL && fonts != NULL, NULL);
    Layout L;
    gboolean ok = layout_init(&L, doc, fonts, error) && layout_paginate(&L, error);
    layout_clear(&L);
    if (!ok) {
        pages_free(L.pages);
        return NULL;
    }
    return L.pages;
}

Pages *
page_layout_stream(const Doc *doc, Fonts *fonts, PageSink sink, void *data, GError **error)
{
    g_return_val_if_fail(doc != NULL && fonts != NULL && sink != NULL, NULL);
    Layout L;
    gboolean ok = layout_init(&L, doc, fonts, error);
    if (ok) {
        L.sink = sink;
        L.sink_data = data;
        ok = layout_paginate(&L, error);
    }
    layout_clear(&L);
    if (!ok) {
        pages_free(L.pages);
        return NULL;
    }
    return L.pages;
}

void
pages_free(Pages *pages)
{
    if (pages == NULL)
        return;
    g_free(pages->blocks);
    for (guint p = 0; p < pages->pages->len; p++) {
        Page *page = g_ptr_array_index(pages->pages, p);
        g_array_free(page->items, TRUE);
        g_free(page);
    }
    g_ptr_array_free(pages->pages, TRUE);
    g_array_free(pages->outline, TRUE);
    g_ptr_array_free(pages->paras, TRUE);
    g_ptr_array_free(pages->tables, TRUE);
    g_ptr_array_free(pages->charts, TRUE);
    g_ptr_array_free(pages->images, TRUE);
    g_ptr_array_free(pages->warnings, TRUE);
    g_array_free(pages->seals, TRUE);
    g_string_chunk_free(pages->strings);
    g_free(pages);
}

size_t
pages_count(const Pages *pages)
{
    return pages->pages->len;
}

const Page *
pages_get(const Pages *pages, size_t index)
{
    g_return_val_if_fail(index < pages->pages->len, NULL);
    return g_ptr_array_index(pages->pages, index);
}

void
pages_find_section(const Pages *pages, DocSection section, size_t *first, size_t *last)
{
    *first = SIZE_MAX;
    *last = 0;
    for (size_t p = 0; p < pages_count(pages); p++) {
        const Page *page = pages_get(pages, p);
        for (guint k = 0; k < page->items->len; k++) {
            size_t block = g_array_index(page->items, PageItem, k).block;
            if (block >= section.first && block < section.last) {
                *first = MIN(*first, p);
                *last = p + 1;
                break;
            }
        }
    }
    if (*first == SIZE_MAX)
        *first = *last = 0;
}
