/* gongwen: pagination on the GB/T 9704 grid.
 *
 * Each Doc block becomes a Flow: one or more paragraphs' lines stacked on grid rows, with
 * blank rows before it and keep rules. Flows are then placed on pages of 22 rows: a heading
 * keeps with what follows, a paragraph leaves at least two lines at the foot and the head of
 * a page, an attachment starts a page, and the 成文日期 never stands alone on a page.
 */
#include "page.h"

#include "error.h"
#include "table.h"
#include "chart.h"
#include "figure.h"

#include <stdarg.h>
#include <string.h>

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
    gboolean tight;           /* a table right below an attachment's title (7.3.7) */
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
} Layout;

static void layout_warn(Layout *L, const Flow *f, const char *format, ...) G_GNUC_PRINTF(3, 4);

/* ---- building flows ---- */

static ParaLines *
layout_para(Layout *L, const ParaSpec *spec, GError **error)
{
    ParaLines *lines = para_break_lines(L->fonts, spec, error);
    if (lines == NULL)
        return NULL;
    if (!L->building && L->loose != NULL) {
        guint index = L->pages->paras->len;
        g_array_append_val(L->loose, index);
    }
    g_ptr_array_add(L->pages->paras, lines);
    return lines;
}

static ParaSpec
body_spec(const Layout *L, const DocBlock *block, const char *text)
{
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = FONT_ROLE_BODY;
    spec.body_role = FONT_ROLE_BODY;
    spec.size = PAGE_SIZE_BODY;
    spec.width = L->area_w;
    spec.first_indent = 2 * L->cell;
    spec.cell = L->set_cell;
    spec.latin_gap = TRUE;
    spec.latin_family = L->doc->profile->latin_family;
    spec.align = PARA_ALIGN_JUSTIFY;
    spec.origin_file = block->loc.file;
    spec.origin_line = block->loc.line;
    spec.origin_col = block->loc.col;
    return spec;
}

static Flow *
flow_add(Layout *L, size_t block)
{
    Flow flow = {0};
    flow.block = block;
    flow.parts = g_array_new(FALSE, TRUE, sizeof(FlowPart));
    g_array_append_val(L->flows, flow);
    return &g_array_index(L->flows, Flow, L->flows->len - 1);
}

static void
flow_add_part_of(Flow *flow, size_t block, ParaLines *lines, int row, int x, int size)
{
    FlowPart part = {lines, row, x, size, block};
    g_array_append_val(flow->parts, part);
    int end = row + (int)para_lines_count(lines);
    if (end > flow->rows)
        flow->rows = end;
}

static void
flow_add_part(Flow *flow, ParaLines *lines, int row, int x, int size)
{
    flow_add_part_of(flow, flow->block, lines, row, x, size);
}

/* Set `spec` and stack its lines in `flow` from `row`. */
static gboolean
flow_add_para(Layout *L, Flow *flow, const ParaSpec *spec, int row, GError **error)
{
    ParaLines *lines = layout_para(L, spec, error);
    if (lines == NULL)
        return FALSE;
    flow_add_part(flow, lines, row, 0, spec->size);
    return TRUE;
}

/* The natural width of a short text in a role, for alignments that depend on it. */
static int
line_width(const ParaLines *lines)
{
    return para_lines_count(lines) > 0 ? para_lines_get(lines, 0)->width : 0;
}

static gboolean
flow_title(Layout *L, size_t i, const char *text, int row, Flow *flow, GError **error)
{
    ParaSpec spec = body_spec(L, &L->doc->blocks[i], text);
    spec.head_role = spec.body_role = FONT_ROLE_TITLE;
    spec.size = PAGE_SIZE_TITLE;
    spec.first_indent = 0;
    spec.cell = 0;
    spec.align = PARA_ALIGN_CENTER;
    spec.balance = TRUE;
    spec.latin_family = NULL; /* a title's figures stay in 小标宋 */
    return flow_add_para(L, flow, &spec, row, error);
}

void
page_block_roles(const DocBlock *block, FontRole *head, FontRole *body, size_t *head_len)
{
    static const FontRole heading_roles[] = {FONT_ROLE_HEADING1, FONT_ROLE_HEADING2,
                                             FONT_ROLE_HEADING3, FONT_ROLE_HEADING4};
    *head = *body = FONT_ROLE_BODY;
    *head_len = 0;
    if (block->kind == DOC_BLOCK_TITLE || block->kind == DOC_BLOCK_ATTACHMENT) {
        *head = *body = FONT_ROLE_TITLE;
    } else if (block->kind == DOC_BLOCK_HEADING && block->level >= 1 && block->level <= 4) {
        *head = heading_roles[block->level - 1];
        *head_len = block->head_len;
    }
}

static gboolean
ends_sentence(const char *text)
{
    return g_str_has_suffix(text, "。") || g_str_has_suffix(text, "！") ||
           g_str_has_suffix(text, "？") || g_str_has_suffix(text, "；");
}

static gboolean
flow_text_block(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    ParaSpec spec = body_spec(L, block, block->text);
    Flow *flow = flow_add(L, i);
    flow->splittable = TRUE;
    page_block_roles(block, &spec.head_role, &spec.body_role, &spec.head_len);
    spec.head_bold = block->kind == DOC_BLOCK_HEADING && block->level == 3 &&
                     L->doc->profile->heading3_bold;
    if (block->kind == DOC_BLOCK_HEADING) {
        /* A heading that is a line of its own keeps with what follows; a numbered line
         * that is a whole sentence (“（1）……。”) is a paragraph in all but name. */
        flow->keep_with_next = block->head_len >= strlen(block->text) &&
                               !ends_sentence(block->text);
    }
    return flow_add_para(L, flow, &spec, 0, error);
}

/* 附件说明 (7.3.4): “附件：” indented two characters; a wrapped name aligns with the first
 * character of the name; several names are numbered and aligned under each other. */
static gboolean
flow_attachment_note(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    Flow *flow = flow_add(L, i);
    flow->space_before = 1;
    const int lead = 2 * L->cell + 3 * L->cell; /* indent + “附件：” */
    int row = 0;
    for (size_t k = 0; k < block->n_items; k++) {
        char *number = block->n_items > 1 ? g_strdup_printf("%zu．", k + 1) : g_strdup("");
        char *text = g_strdup_printf("%s%s%s", k == 0 ? "附件：" : "", number, block->items[k]);
        ParaSpec spec = body_spec(L, block, text);
        spec.first_indent = k == 0 ? 2 * L->cell : lead;
        ParaSpec nspec = body_spec(L, block, number);
        nspec.first_indent = 0;
        nspec.align = PARA_ALIGN_LEFT;
        int number_width = 0;
        if (*number != '\0') {
            ParaLines *n = layout_para(L, &nspec, error);
            if (n == NULL) {
                g_free(number);
                g_free(text);
                return FALSE;
            }
            number_width = line_width(n);
        }
        spec.indent = lead + number_width;
        ParaLines *lines = layout_para(L, &spec, error);
        g_free(number);
        g_free(text);
        if (lines == NULL)
            return FALSE;
        flow_add_part(flow, lines, row, 0, spec.size);
        row += (int)para_lines_count(lines);
    }
    return TRUE;
}

static ParaLines *
layout_plain_line(Layout *L, const DocBlock *block, GError **error)
{
    ParaSpec spec = body_spec(L, block, block->text);
    spec.first_indent = 0;
    spec.align = PARA_ALIGN_LEFT;
    spec.latin_gap = FALSE; /* 2018年2月22日 stays together, as GB/T 9704 prints it */
    return layout_para(L, &spec, error);
}

/* A seal's place in a flow: its box's left from the type area's, its top from row 0's. */
typedef struct {
    int x, dy;
} SealSpot;

static void
flow_add_seal(Layout *L, Flow *flow, int centre_x, int row)
{
    /* the seal presses on the signature (and the date), which lie a little below its
     * centre; its top comes within a line of the text above (7.3.5.1) */
    if (flow->seals == NULL)
        flow->seals = g_array_new(FALSE, FALSE, sizeof(SealSpot));
    SealSpot spot = {centre_x - L->seal_w / 2, row * L->pitch + L->pitch * 55 / 100 - L->seal_h / 2};
    g_array_append_val(flow->seals, spot);
}

#define SEALS_PER_ROW 3

/* Several organs sealing together (7.3.5.1): their signatures side by side, up to three a
 * row, each centred under its own seal; the date under the last one, which its seal
 * covers too. Rows of seals are five lines apart, so that 42 mm seals neither touch nor
 * overlap. */
static void
flow_joint_sealed(Layout *L, Flow *flow, ParaLines **sl, size_t n, ParaLines *dl,
                  size_t date_block)
{
    const size_t per_row = MIN(n, (size_t)SEALS_PER_ROW);
    const int slot = L->area_w / (int)per_row;
    int row = 0;
    for (size_t k = 0; k < n; k++) {
        size_t col = k % per_row;
        row = (int)(k / per_row) * 5;
        int centre = slot * (int)col + slot / 2;
        flow_add_part_of(flow, flow->block + k, sl[k], row, centre - line_width(sl[k]) / 2,
                         PAGE_SIZE_BODY);
        flow_add_seal(L, flow, centre, row);
        if (k + 1 == n && dl != NULL)
            flow_add_part_of(flow, date_block, dl, row + 1, centre - line_width(dl) / 2,
                             PAGE_SIZE_BODY);
    }
}

/* 发文机关署名 and 成文日期 (7.3.5): unsealed, the signature 右空二字 and the date below it
 * two characters further right (the date 右空二字 when it is the longer), several
 * signatures one under another, lined up at their left; sealed, the date 右空四字 with the
 * signature centred over it, several organs side by side under their seals; a date alone
 * 右空四字. */
static gboolean
flow_signature_date(Layout *L, size_t i, size_t *consumed, GError **error)
{
    const Doc *doc = L->doc;
    size_t n = 0;
    while (i + n < doc->n_blocks && doc->blocks[i + n].kind == DOC_BLOCK_SIGNATURE)
        n++;
    const DocBlock *date = i + n < doc->n_blocks && doc->blocks[i + n].kind == DOC_BLOCK_DATE
                               ? &doc->blocks[i + n]
                               : NULL;
    *consumed = n + (date != NULL ? 1 : 0);
    ParaLines **sl = g_new0(ParaLines *, n > 0 ? n : 1);
    int sw = 0;
    for (size_t k = 0; k < n; k++) {
        if ((sl[k] = layout_plain_line(L, &doc->blocks[i + k], error)) == NULL) {
            g_free(sl);
            return FALSE;
        }
        sw = MAX(sw, line_width(sl[k]));
    }
    ParaLines *dl = date != NULL ? layout_plain_line(L, date, error) : NULL;
    if (date != NULL && dl == NULL) {
        g_free(sl);
        return FALSE;
    }
    size_t date_block = date != NULL ? (size_t)(date - doc->blocks) : 0;
    Flow *flow = flow_add(L, i);
    flow->space_before = doc->sealed && n > 0 ? 2 : 1;
    if (doc->sealed && n > 1) {
        flow_joint_sealed(L, flow, sl, n, dl, date_block);
        g_free(sl);
        return TRUE;
    }
    int dw = dl != NULL ? line_width(dl) : 0;
    const int W = L->area_w, C = L->cell;
    int sx = W - 2 * C - sw, dx = W - 4 * C - dw;
    if (doc->sealed && n > 0 && dl != NULL) {
        sx = dx + (dw - sw) / 2;
    } else if (n > 0 && dl != NULL) {
        dx = sx + 2 * C;
        if (dx + dw > W - 2 * C) {
            dx = W - 2 * C - dw;
            sx = dx - 2 * C;
        }
    }
    if (doc->sealed)
        flow_add_seal(L, flow, dl != NULL ? dx + dw / 2 : sx + sw / 2, 0);
    for (size_t k = 0; k < n; k++)
        flow_add_part_of(flow, i + k, sl[k], (int)k, sx, PAGE_SIZE_BODY);
    if (dl != NULL)
        flow_add_part_of(flow, date_block, dl, (int)n, dx, PAGE_SIZE_BODY);
    g_free(sl);
    return TRUE;
}

/* An attachment (7.3.7): a new page, “附件” (with its number when there are several) in
 * 黑体 on line 1, the title centred on line 3. */
static gboolean
flow_attachment(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    size_t count = 0;
    for (size_t k = 0; k < L->doc->n_blocks; k++)
        count += L->doc->blocks[k].kind == DOC_BLOCK_ATTACHMENT;
    char *label = count > 1 ? g_strdup_printf("附件%d", block->level) : g_strdup("附件");
    ParaSpec spec = body_spec(L, block, label);
    spec.head_role = spec.body_role = FONT_ROLE_HEADING1;
    spec.first_indent = 0;
    spec.align = PARA_ALIGN_LEFT;
    ParaLines *lines = layout_para(L, &spec, error);
    g_free(label);
    if (lines == NULL)
        return FALSE;
    Flow *flow = flow_add(L, i);
    flow->new_page = TRUE;
    flow->keep_with_next = TRUE;
    flow_add_part(flow, lines, 0, 0, spec.size);
    if (block->text != NULL && *block->text != '\0')
        return flow_title(L, i, block->text, 2, flow, error);
    return TRUE;
}

/* The layout of table block i: its size, widths and orientation chosen to fit (made once,
 * owned by the Pages). NULL with an error when it cannot fit. */
static const TableLayout *
layout_table(Layout *L, size_t i, GError **error)
{
    if (L->table_of[i] == NULL) {
        const DocBlock *block = &L->doc->blocks[i];
        TableLayout *table = table_layout(L->fonts, block->table, PAGE_AREA_WIDTH,
                                          PAGE_AREA_HEIGHT, block->loc, error);
        if (table == NULL)
            return NULL;
        g_ptr_array_add(L->pages->tables, table);
        L->table_of[i] = table;
    }
    return L->table_of[i];
}

/* A table: its title (if any) centred in 黑体 above it, then the table itself. */
static gboolean
flow_table(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    const TableLayout *table = layout_table(L, i, error);
    if (table == NULL)
        return FALSE;
    int head_h = 0, area_h = table->landscape ? PAGE_AREA_WIDTH : PAGE_AREA_HEIGHT;
    for (size_t r = 0; r < block->table->header_rows; r++)
        head_h += table->row_h[r];
    if (head_h + table->pitch + 2 * table->pad_y > area_h) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                    "%s:%d:%d: error: %s: the header rows (header=%zu) are %.1f mm tall and "
                    "leave no room for a row below them on a page; fewer header rows or "
                    "shorter header text",
                    block->loc.file, block->loc.line, block->loc.col, block->table->file,
                    block->table->header_rows, head_h * 25.4 / 72 / PANGO_SCALE);
        return FALSE;
    }
    Flow *flow = flow_add(L, i);
    flow->table = table;
    flow->landscape = table->landscape;
    if (*block->text == '\0')
        return TRUE;
    ParaSpec spec = body_spec(L, block, block->text);
    spec.head_role = spec.body_role = FONT_ROLE_HEADING1;
    spec.first_indent = 0;
    spec.align = PARA_ALIGN_CENTER;
    return flow_add_para(L, flow, &spec, 0, error);
}

/* A caption line: centred, 四号, in the body's font. */
static gboolean
flow_caption(Layout *L, size_t i, const char *text, int row, Flow *flow, GError **error)
{
    ParaSpec spec = body_spec(L, &L->doc->blocks[i], text);
    spec.size = PAGE_SIZE_PAGE_NUMBER;
    spec.cell = spec.size;
    spec.first_indent = 0;
    spec.align = PARA_ALIGN_CENTER;
    return flow_add_para(L, flow, &spec, row, error);
}

static gboolean flow_figure_caption(Layout *L, size_t i, Flow *flow, int row, GError **error);

/* A chart over its rows with “图N caption” under it; never split from its caption. */
static gboolean
flow_chart(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    int rows = chart_rows(block->chart);
    ChartLayout *chart = chart_layout(L->fonts, block->chart, L->area_w,
                                      rows * L->pitch, block->loc, error);
    if (chart == NULL)
        return FALSE;
    g_ptr_array_add(L->pages->charts, chart);
    Flow *flow = flow_add(L, i);
    flow->chart = chart;
    flow->rows = rows;
    flow->space_before = 1;
    return flow_figure_caption(L, i, flow, rows, error);
}

static gboolean
flow_figure_caption(Layout *L, size_t i, Flow *flow, int row, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    ++L->figures;
    char *caption = *block->text != '\0' ? g_strdup_printf("图%d　%s", L->figures, block->text)
                                          : g_strdup_printf("图%d", L->figures);
    gboolean ok = flow_caption(L, i, caption, row, flow, error);
    g_free(caption);
    return ok;
}

/* A figure at 96 dpi, scaled down to the text width and to 16 rows at most, centred, with
 * its caption under it; never split. */
static gboolean
flow_figure(Layout *L, size_t i, GError **error)
{
    FigureImage *image = figure_load(&L->doc->blocks[i], error);
    if (image == NULL)
        return FALSE;
    g_ptr_array_add(L->pages->images, image);
    double w = image->width_px * 72.0 / 96 * PANGO_SCALE, h = image->height_px * 72.0 / 96 * PANGO_SCALE;
    double scale = MIN(1.0, MIN(L->area_w / w, 16.0 * L->pitch / h));
    Flow *flow = flow_add(L, i);
    flow->image = image;
    flow->image_w = (int)(w * scale);
    flow->image_h = (int)(h * scale);
    flow->rows = (flow->image_h + L->pitch - 1) / L->pitch;
    flow->space_before = 1;
    return flow_figure_caption(L, i, flow, flow->rows, error);
}

/* Build the flow of the next block(s): FALSE with `error` set on a failure. */
static void layout_orient(Layout *L, gboolean landscape);

/* Whether block i is set on landscape pages: a table that takes them (asked for, or too
 * wide for portrait with landscape=auto), or the attachment head announcing one. FALSE
 * with an error when the table cannot be laid out. */
static gboolean
block_landscape(Layout *L, size_t i, gboolean *landscape, GError **error)
{
    const Doc *doc = L->doc;
    if (doc->blocks[i].kind == DOC_BLOCK_ATTACHMENT && i + 1 < doc->n_blocks)
        i++;
    *landscape = FALSE;
    if (doc->blocks[i].kind != DOC_BLOCK_TABLE)
        return TRUE;
    const TableLayout *table = layout_table(L, i, error);
    if (table != NULL)
        *landscape = table->landscape;
    return table != NULL;
}

static gboolean
layout_build_step(Layout *L, GError **error)
{
    const Doc *doc = L->doc;
    {
        size_t i = L->next_block;
        const DocBlock *block = &doc->blocks[i];
        size_t consumed = 1;
        gboolean ok = TRUE, landscape = FALSE;
        if (!block_landscape(L, i, &landscape, error))
            return FALSE;
        size_t para_first = L->pages->paras->len;
        L->building = TRUE;
        /* measured in the type area of its own pages, whatever pages are being filled (a
         * block is built while pages are placed, perhaps on a landscape page) */
        const gboolean placing_landscape = L->landscape;
        layout_orient(L, landscape);
        switch (block->kind) {
        case DOC_BLOCK_TITLE: {
            Flow *flow = flow_add(L, i);
            flow->keep_with_next = TRUE;
            ok = flow_title(L, i, block->text, 0, flow, error);
            break;
        }
        case DOC_BLOCK_HEADING:
        case DOC_BLOCK_PARAGRAPH:
            ok = flow_text_block(L, i, error);
            break;
        case DOC_BLOCK_ATTACHMENT_NOTE:
            ok = flow_attachment_note(L, i, error);
            break;
        case DOC_BLOCK_SIGNATURE:
        case DOC_BLOCK_DATE:
            ok = flow_signature_date(L, i, &consumed, error);
            break;
        case DOC_BLOCK_ATTACHMENT:
            ok = flow_attachment(L, i, error);
            break;
        case DOC_BLOCK_PAGE_BREAK:
            flow_add(L, i)->new_page = TRUE;
            break;
        case DOC_BLOCK_TABLE:
            ok = flow_table(L, i, error);
            break;
        case DOC_BLOCK_CHART:
            ok = flow_chart(L, i, error);
            break;
        case DOC_BLOCK_FIGURE:
            ok = flow_figure(L, i, error);
            break;
        case DOC_BLOCK_CAPTION:
            ok = flow_caption(L, i, block->text, 0, flow_add(L, i), error);
            break;
        case DOC_BLOCK_ADDRESSEE: {
            /* 主送机关 (7.3.2): flush left, wrapped lines flush left too */
            ParaSpec spec = body_spec(L, block, block->text);
            spec.first_indent = 0;
            Flow *flow = flow_add(L, i);
            flow->keep_with_next = TRUE;
            ok = flow_add_para(L, flow, &spec, 0, error);
            break;
        }
        }
        L->building = FALSE;
        layout_orient(L, placing_landscape);
        if (!ok)
            return FALSE;
        /* the lines made for this block belong to its flow: freed once it is drawn */
        Flow *flow = &g_array_index(L->flows, Flow, L->flows->len - 1);
        flow->para_first = para_first;
        flow->para_end = L->pages->paras->len;
        L->next_block = i + consumed;
    }
    return TRUE;
}

static gboolean
is_closing(DocBlockKind kind)
{
    return kind == DOC_BLOCK_ATTACHMENT_NOTE || kind == DOC_BLOCK_SIGNATURE ||
           kind == DOC_BLOCK_DATE;
}

/* The 成文日期 never stands alone on a page: the closing blocks keep with each other and
 * with at least two lines of body text before them (flows k, k-1, … until two rows). */
static void
layout_keep_before_closing(Layout *L, guint k)
{
    int rows = 0;
    for (guint j = k + 1; j-- > 0 && rows < 2;) {
        Flow *f = &g_array_index(L->flows, Flow, j);
        if (f->new_page)
            break;
        f->keep_with_next = TRUE;
        rows += f->rows;
    }
    for (guint j = k + 1; j + 1 < L->flows->len; j++) {
        Flow *f = &g_array_index(L->flows, Flow, j);
        Flow *next = &g_array_index(L->flows, Flow, j + 1);
        if (!is_closing(L->doc->blocks[next->block].kind))
            break;
        f->keep_with_next = TRUE;
    }
}

/* Blank rows after titles; the closing blocks keep with what precedes them: flow k with
 * flow k + 1. */
static void
layout_link_pair(Layout *L, guint k)
{
    {
        Flow *f = &g_array_index(L->flows, Flow, k);
        Flow *next = &g_array_index(L->flows, Flow, k + 1);
        DocBlockKind kind = L->doc->blocks[f->block].kind;
        DocBlockKind next_kind = L->doc->blocks[next->block].kind;
        if ((kind == DOC_BLOCK_TITLE || kind == DOC_BLOCK_ATTACHMENT) && !next->new_page &&
            next->space_before < 1)
            next->space_before = 1;
        /* A table under an attachment's title starts right below it (7.3.7). */
        if (kind == DOC_BLOCK_ATTACHMENT && next->table != NULL && f->rows > 1) {
            next->space_before = 0;
            next->tight = TRUE;
        }
        if (is_closing(next_kind) && !is_closing(kind))
            layout_keep_before_closing(L, k);
        if (f->rows > L->lines)
            f->splittable = f->parts->len == 1;
    }
}

/* Flows look ahead this far: keeps (flow_lead, reaches_closing) and the closing's links. */
#define FLOW_WINDOW 16
#define LINK_AHEAD 5

/* Make sure flows [0, upto] are built (as far as there are blocks) and linked with what
 * follows them: a document is built as it is placed, so that a long one never holds all
 * its lines at once when pages are handed on as they are finished. */
static gboolean
layout_ensure_flows(Layout *L, size_t upto, GError **error)
{
    while (L->next_block < L->doc->n_blocks && L->flows->len <= upto)
        if (!layout_build_step(L, error))
            return FALSE;
    gboolean all = L->next_block >= L->doc->n_blocks;
    while (L->linked + 1 < L->flows->len && (all || L->linked + LINK_AHEAD < L->flows->len))
        layout_link_pair(L, L->linked++);
    return TRUE;
}

static void
layout_warn(Layout *L, const Flow *f, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
layout_warn(Layout *L, const Flow *f, const char *format, ...)
{
    const DocLoc *loc = &L->doc->blocks[f->block].loc;
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    g_ptr_array_add(L->pages->warnings, g_strdup_printf("%s:%d:%d: warning: %s", loc->file,
                                                        loc->line, loc->col, message));
    g_free(message);
}

/* ---- placing flows on pages ---- */

static void layout_fit_page(Layout *L);
static void layout_finish_page(Layout *L);

static Page *
layout_new_page(Layout *L)
{
    if (L->page != NULL) {
        layout_fit_page(L);
        layout_finish_page(L);
    }
    Page *page = g_new0(Page, 1);
    page->items = g_array_new(FALSE, TRUE, sizeof(PageItem));
    page->number = (int)L->pages->pages->len + 1;
    page->numbered = L->doc->profile->page_number != PROFILE_PAGE_NUMBER_NONE;
    page->landscape = L->landscape;
    page->width = L->landscape ? PAGE_HEIGHT : PAGE_WIDTH;
    page->height = L->landscape ? PAGE_WIDTH : PAGE_HEIGHT;
    g_ptr_array_add(L->pages->pages, page);
    L->page = page;
    L->row = 0;
    L->top_row = 0;
    return page;
}

/* A page that took more rows than it has (the closing kept with the text, 7.3.5.5): its
 * lines drawn closer, so that they end on the type area's last line. */
static void
layout_fit_page(Layout *L)
{
    if (L->row <= L->lines)
        return;
    const int top = L->area_top;
    const double k = (double)L->lines / L->row;
    for (guint i = 0; i < L->page->items->len; i++) {
        PageItem *item = &g_array_index(L->page->items, PageItem, i);
        if (item->y > top + L->top_row * L->pitch)
            item->y = top + (int)((item->y - top) * k);
    }
    for (guint i = 0; i < L->pages->seals->len; i++) {
        PageSeal *seal = &g_array_index(L->pages->seals, PageSeal, i);
        if (seal->page + 1 == L->pages->pages->len)
            seal->y = top + (int)((seal->y - top) * k);
    }
    char *pitch = g_strdup_printf("%.2f", L->pitch * k / PANGO_SCALE);
    g_ptr_array_add(L->pages->warnings,
                    g_strdup_printf("%s:1:1: warning: page %d is set at a line pitch of %s pt "
                                    "to keep the date with the text (GB/T 9704 7.3.5.5)",
                                    L->doc->path, L->page->number, pitch));
    g_free(pitch);
    L->row = L->lines;
}

/* Whether flow k and those it keeps with lead to the 发文机关署名 and 成文日期. */
static gboolean
reaches_closing(const Layout *L, guint k)
{
    for (guint end = k + FLOW_WINDOW - 2; k < L->flows->len && k < end; k++) {
        const Flow *f = &g_array_index(L->flows, Flow, k);
        DocBlockKind kind = L->doc->blocks[f->block].kind;
        if (kind == DOC_BLOCK_SIGNATURE || kind == DOC_BLOCK_DATE)
            return TRUE;
        if (!f->keep_with_next)
            return FALSE;
    }
    return FALSE;
}

/* Nothing has been placed on the current page yet (the 版头 aside). */
static gboolean
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

static int
row_baseline(const Layout *L, int row, int size)
{
    return L->area_top + row * L->pitch + (L->pitch - size) / 2 + size * 88 / 100;
}

static void
page_add_line(Page *page, const ParaLines *lines, size_t n, int x0, int baseline, size_t block)
{
    const ParaLine *line = para_lines_get(lines, n);
    for (size_t k = line->first_run; k < line->first_run + line->n_runs; k++) {
        const ParaRun *run = para_lines_run(lines, k);
        PageItem item = {.kind = PAGE_ITEM_GLYPHS, .x = x0 + line->x + run->x, .y = baseline,
                         .run = &run->glyph_item, .text = lines->text, .block = block,
                         .embolden = run->embolden};
        g_array_append_val(page->items, item);
    }
}

static void
layout_add_outline(Layout *L, const Flow *f, int row)
{
    const DocBlock *block = &L->doc->blocks[f->block];
    if (block->kind != DOC_BLOCK_HEADING)
        return;
    size_t len = block->head_len > 0 ? block->head_len : strlen(block->text);
    char *text = g_strndup(block->text, len);
    if (g_str_has_suffix(text, "。"))
        text[strlen(text) - strlen("。")] = '\0';
    PageOutline entry = {g_string_chunk_insert(L->pages->strings, text), block->level,
                         L->pages->pages->len - 1, L->area_top + row * L->pitch, f->block};
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

static void
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
    for (guint k = 0; from == 0 && f->seals != NULL && k < f->seals->len; k++) {
        /* the seal goes under the text: its image is drawn first */
        const SealSpot *spot = &g_array_index(f->seals, SealSpot, k);
        PageSeal seal = {L->pages->pages->len - 1, L->area_left + spot->x,
                         L->area_top + at * L->pitch + spot->dy, L->seal_w, L->seal_h};
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

/* A table's first body row as far as it must stay with the header: all of it, or three
 * lines of a row taller than that (a row taller than a page is split). */
static int
table_first_row_lead(const TableLayout *t)
{
    size_t head = t->table->header_rows;
    if (head >= t->table->n_rows)
        return 0;
    return MIN(t->row_h[head], 3 * t->pitch + 2 * t->pad_y);
}

/* The grid rows a table's header and first body row take. */
static int
table_lead_rows(const Layout *L, const TableLayout *t)
{
    int h = table_first_row_lead(t);
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
        return f->space_before + f->rows + table_lead_rows(L, f->table);
    if (f->splittable && f->rows >= 4)
        return f->space_before + 2;
    /* the blank lines above the signature give way before the date leaves the text */
    int lead = (is_signature_flow(L, f) ? 0 : f->space_before) + f->rows;
    if (f->keep_with_next)
        lead += flow_lead(L, k + 1, depth + 1);
    return lead;
}

static void
layout_place_whole(Layout *L, const Flow *f, int need_next)
{
    int space = at_top(L) ? 0 : f->space_before;
    int room = L->cap - L->row - f->rows - need_next;
    if (!at_top(L) && space > room && room >= 0 && is_signature_flow(L, f)) {
        /* 7.3.5.5: rather than the date alone on a page, fewer blank lines above it */
        layout_warn(L, f, "%d blank line%s above the signature instead of %d, to keep the date "
                          "on the page of the text (GB/T 9704 7.3.5.5)",
                    room, room == 1 ? "" : "s", space);
        space = room;
    }
    if (!at_top(L) && L->row + space + f->rows + need_next > L->cap) {
        layout_new_page(L);
        space = 0;
    }
    layout_emit(L, f, 0, f->rows, L->row + space);
}

/* A splittable flow: at least two lines at the foot of a page (no orphan) and two at the head
 * of the next (no widow), and the last lines together with what must keep with them. */
static void
layout_place_split(Layout *L, const Flow *f, int need_next)
{
    int first = 0, n = f->rows;
    while (first < n) {
        int space = at_top(L) || first > 0 ? 0 : f->space_before;
        int room = L->cap - L->row - space, rest = n - first;
        int k;
        if (rest + need_next <= room) {
            layout_emit(L, f, first, n, L->row + space);
            return;
        }
        k = rest <= room ? rest - 2 : MIN(room, rest - 2);
        if (2 + need_next > L->lines && rest <= room)
            k = rest;
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
    return h;
}

/* The table's rows onto pages: a row goes whole onto a page unless it is taller than a
 * page, the header rows again at the top of every page the table continues on, a frame
 * around each page's part. */
static void
layout_place_table(Layout *L, const Flow *f)
{
    const TableLayout *t = f->table;
    const size_t head = t->table->header_rows, n = t->table->n_rows;
    const int bottom = L->area_top + L->area_h;
    int head_h = rows_height(t, 0, head);
    const int x0 = L->area_left + (L->area_w - t->width) / 2;
    /* half a line above a table that follows other text (a title of its own is set on
     * the grid above it and keeps that space already) */
    int gap = at_top(L) || f->rows > 0 || f->space_before > 0 || f->tight ? 0 : L->pitch / 2;
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

/* ---- the 版头 (7.2) and the 版记 (7.4) ---- */

/* One unbroken line of `text` in `role` at `size` (head_len bytes of it in `head_role`). */
static ParaLines *
layout_line(Layout *L, const char *text, FontRole head_role, size_t head_len, FontRole role,
            int size, GError **error)
{
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = head_role;
    spec.head_len = head_len;
    spec.body_role = role;
    spec.size = size;
    spec.width = 40 * L->area_w;
    spec.align = PARA_ALIGN_LEFT;
    spec.origin_file = L->doc->path;
    spec.origin_line = 1;
    spec.origin_col = 1;
    return layout_para(L, &spec, error);
}

/* Give the items added to `page` since `from` a colour and a horizontal scale. */
static void
page_tint(Page *page, guint from, guint32 color, double scale_x)
{
    for (guint k = from; k < page->items->len; k++) {
        PageItem *item = &g_array_index(page->items, PageItem, k);
        item->color = color;
        item->scale_x = scale_x;
    }
}

static void
page_add_fill(Page *page, int x, int y, int w, int h, guint32 color)
{
    PageItem item = {.kind = PAGE_ITEM_FILL, .x = x, .y = y, .w = w, .h = h, .color = color,
                     .block = SIZE_MAX};
    g_array_append_val(page->items, item);
}

/* 发文机关标志 (7.2.3): red 小标宋, centred, its top 35 mm below the type area's; a name wider
 * than the type area is condensed, not wrapped; several organs stand one above the other
 * with “文件” centred against them. Returns the mark's bottom, or -1 with an error. */
static int
letterhead_organs(Layout *L, int top, GError **error)
{
    const Doc *doc = L->doc;
    const size_t n = doc->n_organs;
    int size = n == 1 ? PAGE_SIZE_ORGAN : n <= 3 ? PAGE_PT(36.0) : PAGE_PT(28.0);
    /* a name so long that it would be condensed below 60 % is set smaller instead, down to
     * 三号, and condensed to 60 % */
    for (int pass = 0; pass < 2; pass++) {
        int widest = 0;
        for (size_t i = 0; i < n; i++) {
            ParaLines *l = layout_line(L, doc->organs[i], FONT_ROLE_TITLE, 0, FONT_ROLE_TITLE,
                                       size, error);
            if (l == NULL)
                return -1;
            widest = MAX(widest, line_width(l));
        }
        double room = L->area_w - (doc->organ_suffix != NULL ? 3.0 * size : 0.0);
        if (pass == 1 || widest <= 0 || room / widest >= 0.6)
            break;
        size = MAX(PAGE_SIZE_BODY, (int)(size * room / widest / 0.6));
    }
    const int advance = size * 115 / 100, gap = size;
    ParaLines *suffix = NULL;
    if (doc->organ_suffix != NULL &&
        (suffix = layout_line(L, doc->organ_suffix, FONT_ROLE_TITLE, 0, FONT_ROLE_TITLE, size,
                              error)) == NULL)
        return -1;
    int suffix_w = suffix != NULL ? line_width(suffix) + gap : 0;
    int avail = L->area_w - suffix_w, block_w = 0;
    ParaLines **lines = g_new0(ParaLines *, n);
    for (size_t i = 0; i < n; i++) {
        lines[i] = layout_line(L, doc->organs[i], FONT_ROLE_TITLE, 0, FONT_ROLE_TITLE, size,
                               error);
        if (lines[i] == NULL) {
            g_free(lines);
            return -1;
        }
        block_w = MAX(block_w, MIN(line_width(lines[i]), avail));
    }
    /* several organs line up at both ends: a shorter name is spread over the width (分散
     * 对齐), its characters on a wider cell */
    for (size_t i = 0; n > 1 && i < n; i++) {
        long chars = g_utf8_strlen(doc->organs[i], -1);
        if (line_width(lines[i]) >= block_w || chars < 2)
            continue;
        ParaSpec spec = {0};
        spec.text = doc->organs[i];
        spec.head_role = spec.body_role = FONT_ROLE_TITLE;
        spec.size = size;
        spec.width = 2 * block_w;
        spec.cell = (block_w - size) / (int)(chars - 1);
        spec.align = PARA_ALIGN_LEFT;
        spec.origin_file = doc->path;
        spec.origin_line = spec.origin_col = 1;
        ParaLines *spread = layout_para(L, &spec, error);
        if (spread == NULL) {
            g_free(lines);
            return -1;
        }
        if (para_lines_count(spread) == 1)
            lines[i] = spread;
    }
    int left = L->area_left + (L->area_w - block_w - suffix_w) / 2;
    const int ascent = size * 88 / 100;
    for (size_t i = 0; i < n && !doc->preprinted; i++) {
        int w = MIN(line_width(lines[i]), lines[i]->cell > 0 ? block_w : line_width(lines[i]));
        double scale = w > block_w ? block_w / (double)w : 1.0;
        if (scale < 0.6)
            g_ptr_array_add(L->pages->warnings,
                            g_strdup_printf("%s:1:1: warning: the organ name \"%s\" is condensed "
                                            "to %.0f%% of its width to fit the type area",
                                            doc->path, doc->organs[i], scale * 100));
        guint from = L->page->items->len;
        /* a spread name's glyphs sit in the middle of their cells */
        int inset = lines[i]->cell > size ? (lines[i]->cell - size) / 2 : 0;
        page_add_line(L->page, lines[i], 0, left + (block_w - (int)(w * scale)) / 2 - inset,
                      top + (int)i * advance + ascent, SIZE_MAX);
        page_tint(L->page, from, doc->profile->red, scale);
    }
    int bottom = top + (int)(n - 1) * advance + size;
    if (suffix != NULL && !doc->preprinted) {
        guint from = L->page->items->len;
        page_add_line(L->page, suffix, 0, left + block_w + gap, (top + bottom) / 2 - size / 2 + ascent,
                      SIZE_MAX);
        page_tint(L->page, from, doc->profile->red, 1.0);
    }
    g_free(lines);
    return bottom;
}

/* The 版头 on the first page: 份号, 密级, 紧急程度 top left (7.2.1–7.2.3); the 发文机关标志;
 * two lines under it the 发文字号, centred, or with 签发人 on the right for 上行文 (7.2.4,
 * 7.2.5); 4 mm under that the red rule (7.2.6); the title two lines under the rule. */
static gboolean
layout_letterhead(Layout *L, GError **error)
{
    const Doc *doc = L->doc;
    if (doc->n_organs == 0 && doc->doc_number == NULL && doc->copy_number == NULL &&
        doc->secrecy == NULL && doc->urgency == NULL && doc->n_signers == 0)
        return TRUE;
    const char *marks[] = {doc->copy_number, doc->secrecy, doc->urgency};
    const FontRole roles[] = {FONT_ROLE_HEADING1, FONT_ROLE_HEADING1, FONT_ROLE_HEADING1};
    int row = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(marks); i++) {
        if (marks[i] == NULL)
            continue;
        ParaLines *lines = layout_line(L, marks[i], roles[i], 0, roles[i], PAGE_SIZE_BODY, error);
        if (lines == NULL)
            return FALSE;
        page_add_line(L->page, lines, 0, L->area_left, row_baseline(L, row, PAGE_SIZE_BODY),
                      SIZE_MAX);
        row++;
    }
    int next = row;
    if (doc->n_organs > 0) {
        int top = MAX(L->area_top + PAGE_MM(35.0), L->area_top + row * L->pitch);
        int bottom = letterhead_organs(L, top, error);
        if (bottom < 0)
            return FALSE;
        next = (bottom - L->area_top + L->pitch - 1) / L->pitch + 2;
    }
    /* 签发人: “签发人：” in 仿宋 and the names in 楷体, two names a line, 右空一字 */
    int number_row = next, names_x = 0;
    for (size_t k = 0; k < doc->n_signers; k += 2) {
        GString *text = g_string_new(k == 0 ? "签发人：" : "");
        size_t head = text->len;
        g_string_append(text, doc->signers[k]);
        if (k + 1 < doc->n_signers)
            g_string_append_printf(text, "　%s", doc->signers[k + 1]);
        ParaLines *lines = layout_line(L, text->str, FONT_ROLE_BODY, head, FONT_ROLE_HEADING2,
                                       PAGE_SIZE_BODY, error);
        g_string_free(text, TRUE);
        if (lines == NULL)
            return FALSE;
        number_row = next + (int)(k / 2);
        /* the first line 右空一字; the others under its first name */
        int x = k == 0 ? L->area_left + L->area_w - L->cell - line_width(lines) : names_x;
        if (k == 0) {
            ParaLines *label = layout_line(L, "签发人：", FONT_ROLE_BODY, 0, FONT_ROLE_BODY,
                                           PAGE_SIZE_BODY, error);
            if (label == NULL)
                return FALSE;
            names_x = x + line_width(label);
        }
        page_add_line(L->page, lines, 0, x, row_baseline(L, number_row, PAGE_SIZE_BODY), SIZE_MAX);
    }
    int rule_top = L->area_top + next * L->pitch - L->pitch / 2;
    if (doc->doc_number != NULL) {
        ParaLines *lines = layout_line(L, doc->doc_number, FONT_ROLE_BODY, 0, FONT_ROLE_BODY,
                                       PAGE_SIZE_BODY, error);
        if (lines == NULL)
            return FALSE;
        int x = doc->n_signers > 0 ? L->area_left + L->cell
                                   : L->area_left + (L->area_w - line_width(lines)) / 2;
        int baseline = row_baseline(L, number_row, PAGE_SIZE_BODY);
        page_add_line(L->page, lines, 0, x, baseline, SIZE_MAX);
        rule_top = baseline + PAGE_SIZE_BODY * 12 / 100 + PAGE_MM(4.0);
    } else if (doc->n_signers > 0) {
        rule_top = row_baseline(L, number_row, PAGE_SIZE_BODY) + PAGE_SIZE_BODY * 12 / 100 +
                   PAGE_MM(4.0);
    }
    if (doc->n_organs > 0 || doc->doc_number != NULL || doc->n_signers > 0) {
        if (!doc->preprinted)
            page_add_fill(L->page, L->area_left, rule_top, L->area_w, PAGE_RULE_RED,
                          doc->profile->red);
        row = (rule_top + PAGE_RULE_RED - L->area_top + L->pitch - 1) / L->pitch + 2;
    } else {
        row++;
    }
    if (row > L->lines - 4) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                    "%s:1:1: error: the 版头 takes %d of the page's %d lines, leaving no room "
                    "for the title and text (fewer 签发人 or organs?)",
                    doc->path, row, L->lines);
        return FALSE;
    }
    L->row = L->top_row = row;
    return TRUE;
}

/* The 版记 (7.4) at the foot of the last page, which must be an even page: 抄送 (4号, 左右各空
 * 一字, wrapped lines under the first organ) above 印发机关 (左空一字) and 印发日期 (右空一字),
 * between a thick rule at the top and the bottom and thin rules inside. A page added for it
 * (and a blank page before it) carries no page number (7.5). */
static gboolean
layout_imprint(Layout *L, GError **error)
{
    const Doc *doc = L->doc;
    if (doc->cc == NULL && doc->printer == NULL && doc->printed == NULL)
        return TRUE;
    const int size = PAGE_SIZE_PAGE_NUMBER, em = size;
    ParaLines *cc = NULL, *printer = NULL, *printed = NULL;
    const DocLoc at = {doc->path, 1, 1};
    if (doc->cc != NULL) {
        char *text = g_strconcat("抄送：", doc->cc, NULL);
        DocBlock block = {.loc = at};
        ParaSpec spec = body_spec(L, &block, text);
        spec.size = size;
        spec.cell = 0;
        spec.width = L->area_w - 2 * em;
        spec.first_indent = 0;
        spec.indent = 3 * em;
        cc = layout_para(L, &spec, error);
        g_free(text);
        if (cc == NULL)
            return FALSE;
    }
    if (doc->printer != NULL &&
        (printer = layout_line(L, doc->printer, FONT_ROLE_BODY, 0, FONT_ROLE_BODY, size, error)) == NULL)
        return FALSE;
    if (doc->printed != NULL) {
        char *text = g_strconcat(doc->printed, "印发", NULL);
        printed = layout_line(L, text, FONT_ROLE_BODY, 0, FONT_ROLE_BODY, size, error);
        g_free(text);
        if (printed == NULL)
            return FALSE;
    }
    int cc_rows = cc != NULL ? (int)para_lines_count(cc) : 0;
    int rows = cc_rows + (printer != NULL || printed != NULL ? 1 : 0);
    if (rows > L->lines) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                    "%s:1:1: error: the 版记 takes %d lines, more than a page's %d", doc->path,
                    rows, L->lines);
        return FALSE;
    }
    gboolean room = !L->page->landscape && L->row + rows <= L->lines;
    if (L->landscape)
        layout_orient(L, FALSE);
    if (!room || L->pages->pages->len % 2 == 1) {
        do {
            layout_new_page(L);
            L->page->numbered = FALSE;
        } while (L->pages->pages->len % 2 == 1);
    }
    const int first = L->lines - rows, bottom = L->area_top + L->lines * L->pitch;
    const int x = L->area_left + em;
    for (int k = 0; k < cc_rows; k++)
        page_add_line(L->page, cc, (size_t)k, x, row_baseline(L, first + k, size), SIZE_MAX);
    int last = L->lines - 1;
    if (printer != NULL)
        page_add_line(L->page, printer, 0, x, row_baseline(L, last, size), SIZE_MAX);
    if (printed != NULL)
        page_add_line(L->page, printed, 0, L->area_left + L->area_w - em - line_width(printed),
                      row_baseline(L, last, size), SIZE_MAX);
    const int top = L->area_top + first * L->pitch;
    page_add_fill(L->page, L->area_left, top - PAGE_RULE_THICK / 2, L->area_w, PAGE_RULE_THICK, 0);
    if (cc_rows > 0 && rows > cc_rows) {
        int y = L->area_top + last * L->pitch;
        page_add_fill(L->page, L->area_left, y - PAGE_RULE_THIN / 2, L->area_w, PAGE_RULE_THIN, 0);
    }
    page_add_fill(L->page, L->area_left, bottom - PAGE_RULE_THICK / 2, L->area_w, PAGE_RULE_THICK, 0);
    L->row = L->lines;
    return TRUE;
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

static gboolean
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
                L->page->landscape = want;
                L->page->width = want ? PAGE_HEIGHT : PAGE_WIDTH;
                L->page->height = want ? PAGE_WIDTH : PAGE_HEIGHT;
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
         * rows, drawn closer, to keep the text with its date (7.3.5.5) */
        gboolean in_chain = k > 0 && g_array_index(L->flows, Flow, k - 1).keep_with_next &&
                            L->cap > L->lines && L->cap_page == L->page;
        if (!in_chain) {
            L->cap = L->lines;
            if (!L->page->landscape && L->row - L->top_row <= 4 && reaches_closing(L, k)) {
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
        if (f->splittable)
            layout_place_split(L, f, need_next);
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

/* ---- page numbers ---- */

/* The vertical centre of the first dash glyph of a line, relative to the baseline. */
static int
dash_centre(const ParaLines *lines)
{
    for (size_t k = 0; k < lines->runs->len; k++) {
        const PangoGlyphItem *gi = &para_lines_run(lines, k)->glyph_item;
        for (int g = 0; g < gi->glyphs->num_glyphs; g++) {
            const char *p = lines->text + gi->item->offset + gi->glyphs->log_clusters[g];
            if (g_utf8_get_char(p) != 0x2014)
                continue;
            PangoRectangle ink;
            pango_font_get_glyph_extents(gi->item->analysis.font, gi->glyphs->glyphs[g].glyph,
                                         &ink, NULL);
            return ink.y + ink.height / 2;
        }
    }
    return -PAGE_SIZE_PAGE_NUMBER * 3 / 10;
}

/* “— N —” in 四号 宋体, its dashes 7 mm below the type area; odd pages at the right and even
 * pages at the left, one character in from the edge of the type area (7.5). */
static gboolean
layout_page_number(Layout *L, Page *page, GError **error)
{
    if (!page->numbered)
        return TRUE;
    char *text = L->doc->profile->page_number == PROFILE_PAGE_NUMBER_PLAIN
                     ? g_strdup_printf("%d", page->number)
                     : g_strdup_printf("— %d —", page->number);
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = spec.body_role = FONT_ROLE_PAGE_NUMBER;
    spec.size = PAGE_SIZE_PAGE_NUMBER;
    spec.width = PAGE_AREA_WIDTH;
    spec.align = PARA_ALIGN_LEFT;
    spec.origin_file = L->doc->path;
    ParaLines *lines = layout_para(L, &spec, error);
    g_free(text);
    if (lines == NULL)
        return FALSE;
    int w = line_width(lines);
    int x = page->number % 2 == 1 ? PAGE_AREA_LEFT + PAGE_AREA_WIDTH - PAGE_SIZE_PAGE_NUMBER - w
                                  : PAGE_AREA_LEFT + PAGE_SIZE_PAGE_NUMBER;
    int y = PAGE_AREA_TOP + PAGE_AREA_HEIGHT + PAGE_MM(7.0) - dash_centre(lines);
    guint from = page->items->len;
    page_add_line(page, lines, 0, x, y, SIZE_MAX);
    /* clause 8: a landscape page keeps the number where a portrait page has it; the portrait
     * page turned a quarter clockwise is the landscape page, its left edge (the binding side
     * of an odd page) at the top */
    for (guint k = from; page->landscape && k < page->items->len; k++) {
        PageItem *item = &g_array_index(page->items, PageItem, k);
        int px = item->x, py = item->y;
        item->x = PAGE_HEIGHT - py;
        item->y = px;
        item->quarter_turns = 3;
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
    pages->warnings = g_ptr_array_new_with_free_func(g_free);
    pages->seals = g_array_new(FALSE, TRUE, sizeof(PageSeal));
    return pages;
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
static void
layout_orient(Layout *L, gboolean landscape)
{
    L->landscape = landscape;
    layout_set_area(L, landscape);
    L->lines = landscape ? MAX(1, L->area_h / L->pitch) : L->portrait_lines;
}

static gboolean
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
    L->loose = g_array_new(FALSE, FALSE, sizeof(guint));
    L->table_of = g_new0(const TableLayout *, doc->n_blocks + 1);
    return TRUE;
}

/* Free what the Layout owns (not its Pages). */
static void
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

char *
page_dump_lines(const Doc *doc, Fonts *fonts, GError **error)
{
    Layout L;
    GString *out = g_string_new(NULL);
    gboolean ok = layout_init(&L, doc, fonts, error) && layout_ensure_flows(&L, SIZE_MAX, error);
    for (guint k = 0; ok && k < L.flows->len; k++) {
        const Flow *f = &g_array_index(L.flows, Flow, k);
        const DocBlock *block = &doc->blocks[f->block];
        g_string_append_printf(out, "%s %d:%d rows=%d space=%d%s%s%s\n",
                               doc_block_kind_name(block->kind), block->loc.line, block->loc.col,
                               f->rows, f->space_before, f->keep_with_next ? " keep" : "",
                               f->splittable ? " split" : "", f->new_page ? " new-page" : "");
        for (guint p = 0; p < f->parts->len; p++)
            para_lines_dump(g_array_index(f->parts, FlowPart, p).lines, out);
    }
    layout_clear(&L);
    pages_free(L.pages);
    if (!ok) {
        g_string_free(out, TRUE);
        return NULL;
    }
    return g_string_free(out, FALSE);
}

static char *
item_text(const PageItem *item)
{
    const PangoItem *pi = item->run->item;
    return g_strndup(item->text + pi->offset, (gsize)pi->length);
}

static void
dump_rect(GString *out, const PageItem *item, gboolean close_line)
{
    char v[4][G_ASCII_DTOSTR_BUF_SIZE];
    const int values[4] = {item->x, item->y, item->w, item->h};
    for (int i = 0; i < 4; i++)
        g_ascii_formatd(v[i], sizeof v[i], "%.2f", values[i] / (double)PANGO_SCALE);
    const char *kind = item->kind == PAGE_ITEM_IMAGE ? "image"
                       : item->kind == PAGE_ITEM_FILL ? "rule"
                                                      : "box";
    g_string_append_printf(out, "%s  %s x=%s y=%s w=%s h=%s%s", close_line ? "|\n" : "", kind,
                           v[0], v[1], v[2], v[3],
                           item->kind == PAGE_ITEM_RECT && item->line > PAGE_PT(0.5) ? " frame" : "");
    if (item->color != 0)
        g_string_append_printf(out, " #%06X", (unsigned)item->color);
    g_string_append_c(out, '\n');
}

static void
dump_shape(GString *out, const PageItem *item, gboolean close_line)
{
    static const char *const kinds[] = {"rect", "polyline", "polygon", "wedge", "dot"};
    const PageShape *s = item->shape;
    g_string_append_printf(out, "%s  %s", close_line ? "|\n" : "", kinds[s->kind]);
    for (size_t i = 0; i < s->n_points; i++) {
        /* coordinates on the page; wedge radii and angles as they are */
        int offset = s->kind == SHAPE_WEDGE && i >= 2  ? 0
                     : s->kind == SHAPE_DOT && i == 2  ? 0
                     : s->kind == SHAPE_RECT && i >= 2 ? 0
                     : i % 2 == 0                      ? item->x
                                                       : item->y;
        char v[G_ASCII_DTOSTR_BUF_SIZE];
        if (s->kind == SHAPE_WEDGE && i >= 4)
            g_snprintf(v, sizeof v, "%.1f°", s->points[i] / 1000.0);
        else
            g_ascii_formatd(v, sizeof v, "%.2f", (s->points[i] + offset) / (double)PANGO_SCALE);
        g_string_append_printf(out, " %s", v);
    }
    if (s->fill != SHAPE_NONE)
        g_string_append_printf(out, " fill=#%06X", (unsigned)s->fill);
    if (s->hatch)
        g_string_append(out, " hatched");
    g_string_append_c(out, '\n');
}

char *
pages_dump(const Pages *pages)
{
    GString *out = g_string_new(NULL);
    for (size_t p = 0; p < pages_count(pages); p++) {
        const Page *page = pages_get(pages, p);
        g_string_append_printf(out, "page %zu number=%d%s%s\n", p + 1, page->number,
                               page->numbered ? "" : " unnumbered",
                               page->landscape ? " landscape" : "");
        int last_y = -1;
        for (guint k = 0; k < page->items->len; k++) {
            const PageItem *item = &g_array_index(page->items, PageItem, k);
            if (item->kind == PAGE_ITEM_RECT) {
                dump_rect(out, item, last_y >= 0);
                last_y = -1;
                continue;
            }
            if (item->kind == PAGE_ITEM_IMAGE || item->kind == PAGE_ITEM_FILL) {
                dump_rect(out, item, last_y >= 0);
                last_y = -1;
                continue;
            }
            if (item->kind == PAGE_ITEM_SHAPE) {
                dump_shape(out, item, last_y >= 0);
                last_y = -1;
                continue;
            }
            char *text = item_text(item);
            if (item->y != last_y) {
                char y[G_ASCII_DTOSTR_BUF_SIZE], x[G_ASCII_DTOSTR_BUF_SIZE];
                g_ascii_formatd(y, sizeof y, "%.2f", item->y / (double)PANGO_SCALE);
                g_ascii_formatd(x, sizeof x, "%.2f", item->x / (double)PANGO_SCALE);
                g_string_append_printf(out, "%s  y=%s x=%s", last_y < 0 ? "" : "|\n", y, x);
                if (item->color != 0)
                    g_string_append_printf(out, " #%06X", (unsigned)item->color);
                if (item->scale_x != 0 && item->scale_x != 1.0) {
                    char sx[G_ASCII_DTOSTR_BUF_SIZE];
                    g_string_append_printf(out, " scale=%s",
                                           g_ascii_formatd(sx, sizeof sx, "%.3f", item->scale_x));
                }
                if (item->quarter_turns != 0)
                    g_string_append_printf(out, " turns=%d", item->quarter_turns);
                g_string_append(out, " |");
            }
            g_string_append(out, text);
            last_y = item->y;
            g_free(text);
        }
        if (last_y >= 0)
            g_string_append(out, "|\n");
    }
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *o = &g_array_index(pages->outline, PageOutline, k);
        g_string_append_printf(out, "outline level=%d page=%zu %s\n", o->level, o->page + 1,
                               o->text);
    }
    return g_string_free(out, FALSE);
}
