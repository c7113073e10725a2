/* gongwen: Doc blocks -> Flows. Each block becomes one or more paragraphs' lines stacked on
 * grid rows, with blank rows before it and keep rules (a heading with what follows, the
 * closing with the text before it). See layout-imp.h for the files of pagination. */
#include "layout-imp.h"

#include <stdarg.h>
#include <string.h>

/* ---- building flows ---- */

ParaLines *
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

ParaSpec
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
    spec.latin_gap = L->doc->profile->latin_gap;
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

/* Full-width spaces exactly `width` wide, in the body's font: round(width / em) of them (at
 * least one), each on an equal cell. They stand in the blank between two pieces of text
 * placed apart on one line (the 发文字号 and the last 签发人, organs side by side under
 * their seals), so that the PDF's text reads the pieces apart, as a typist's spaces would.
 * NULL with an error. */
ParaLines *
layout_spaces(Layout *L, int width, GError **error)
{
    const int n = MAX(1, (width + PAGE_SIZE_BODY / 2) / PAGE_SIZE_BODY);
    GString *text = g_string_new(NULL);
    for (int k = 0; k < n; k++)
        g_string_append(text, "　");
    ParaSpec spec = {0};
    spec.text = text->str;
    spec.head_role = spec.body_role = FONT_ROLE_BODY;
    spec.size = PAGE_SIZE_BODY;
    spec.width = 2 * MAX(width, PAGE_SIZE_BODY);
    spec.cell = MAX(1, width / n);
    spec.align = PARA_ALIGN_LEFT;
    spec.origin_file = L->doc->path;
    spec.origin_line = spec.origin_col = 1;
    ParaLines *lines = layout_para(L, &spec, error);
    g_string_free(text, TRUE);
    return lines;
}

/* The natural width of a short text in a role, for alignments that depend on it. */
int
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
    if (block->kind == DOC_BLOCK_TITLE || block->kind == DOC_BLOCK_ATTACHMENT ||
        block->kind == DOC_BLOCK_ISSUED) {
        *head = *body = FONT_ROLE_TITLE;
    } else if (block->kind == DOC_BLOCK_HEADING && block->level >= 1 && block->level <= 4) {
        *head = heading_roles[block->level - 1];
        *head_len = block->head_len;
    } else if (block->kind == DOC_BLOCK_CHAPTER) {
        *head = *body = FONT_ROLE_HEADING1;
    } else if (block->kind == DOC_BLOCK_SECTION) {
        *head = *body = FONT_ROLE_HEADING2;
    } else if (block->kind == DOC_BLOCK_ARTICLE) {
        *head = FONT_ROLE_HEADING1; /* “第X条” in 黑体, the rest in the body's font */
        *head_len = block->head_len;
    } else if (block->kind == DOC_BLOCK_SUBTITLE || block->kind == DOC_BLOCK_AUTHOR) {
        *head = *body = FONT_ROLE_HEADING2; /* 楷体 */
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

/* A 第X章 (黑体, a blank line before it) or 第X节 (楷体) line of a 规章-style text: centred,
 * kept with what follows. */
static gboolean
flow_division(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    ParaSpec spec = body_spec(L, block, block->text);
    page_block_roles(block, &spec.head_role, &spec.body_role, &spec.head_len);
    spec.first_indent = 0;
    spec.align = PARA_ALIGN_CENTER;
    Flow *flow = flow_add(L, i);
    flow->keep_with_next = TRUE;
    flow->space_before = block->kind == DOC_BLOCK_CHAPTER ? 1 : 0;
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
    return layout_para(L, &spec, error);
}


static void
flow_add_seal(Layout *L, Flow *flow, int centre_x, int row)
{
    /* the seal presses on the signature (and the date), which lie a little below its
     * centre; its top comes within a line of the text above (7.3.5.1) */
    if (flow->seals == NULL)
        flow->seals = g_array_new(FALSE, FALSE, sizeof(SealSpot));
    SealSpot spot = {centre_x - L->seal_w / 2,
                     row * L->pitch + L->pitch * 55 / 100 - L->seal_h / 2};
    g_array_append_val(flow->seals, spot);
    /* the rows its box reaches down to are the flow's, as its lines are: the seal ends
     * inside the type area, never over the page number or the 版记 */
    flow->rows = MAX(flow->rows, (spot.dy + L->seal_h + L->pitch - 1) / L->pitch);
}

#define SEALS_PER_ROW 3

/* Several organs sealing together (7.3.5.1): their signatures side by side, up to three a
 * row, each centred under its own seal; the date under the last one, which its seal
 * covers too. Rows of seals are five lines apart, so that 42 mm seals neither touch nor
 * overlap. Full-width spaces fill the blank between two names of a row, so that the text
 * reads them apart. */
static gboolean
flow_joint_sealed(Layout *L, Flow *flow, ParaLines **sl, size_t n, ParaLines *dl,
                  size_t date_block, GError **error)
{
    const size_t per_row = MIN(n, (size_t)SEALS_PER_ROW);
    const int slot = L->area_w / (int)per_row;
    int row = 0, end = 0;
    for (size_t k = 0; k < n; k++) {
        size_t col = k % per_row;
        row = (int)(k / per_row) * 5;
        int centre = slot * (int)col + slot / 2;
        int x = centre - line_width(sl[k]) / 2;
        if (col > 0 && x > end) {
            ParaLines *blank = layout_spaces(L, x - end, error);
            if (blank == NULL)
                return FALSE;
            flow_add_part_of(flow, flow->block + k, blank, row, end, PAGE_SIZE_BODY);
        }
        flow_add_part_of(flow, flow->block + k, sl[k], row, x, PAGE_SIZE_BODY);
        end = x + line_width(sl[k]);
        flow_add_seal(L, flow, centre, row);
        if (k + 1 == n && dl != NULL)
            flow_add_part_of(flow, date_block, dl, row + 1, centre - line_width(dl) / 2,
                             PAGE_SIZE_BODY);
    }
    return TRUE;
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
        gboolean ok = flow_joint_sealed(L, flow, sl, n, dl, date_block, error);
        g_free(sl);
        return ok;
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
    /* numbered among the attachments of its part: the notice's, or an issued document's */
    size_t count = doc_part_attachments(L->doc, i);
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

/* An issued document (@issued): a new page, its title on the first line, centred in the
 * title's font and balanced over lines like the document's title, a qualifier written on a
 * line of its own (（试行）) centred under it in the same font; no “附件” label. A blank line
 * under it (layout_link_pair). */
static gboolean
flow_issued(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    Flow *flow = flow_add(L, i);
    flow->new_page = TRUE;
    flow->keep_with_next = TRUE;
    for (size_t k = 0; k < block->n_items; k++)
        if (!flow_title(L, i, block->items[k], flow->rows, flow, error))
            return FALSE;
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
                                          PAGE_AREA_HEIGHT, L->doc->profile->latin_gap,
                                          block->loc, error);
        if (table == NULL)
            return NULL;
        g_ptr_array_add(L->pages->tables, table);
        L->table_of[i] = table;
        L->pages->blocks[i].table = table;
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
        diag_set_error(error, GONGWEN_ERROR_INPUT, block->loc,
                       "%s: the header rows (header=%zu) are %.1f mm tall and "
                       "leave no room for a row below them on a page; fewer header rows or "
                       "shorter header text",
                       block->table->file, block->table->header_rows,
                       head_h * 25.4 / 72 / PANGO_SCALE);
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
    ChartLayout *chart = chart_layout(L->fonts, block->chart, L->area_w, rows * L->pitch,
                                      L->doc->profile->latin_gap, block->loc, error);
    if (chart == NULL)
        return FALSE;
    g_ptr_array_add(L->pages->charts, chart);
    Flow *flow = flow_add(L, i);
    flow->chart = chart;
    flow->rows = rows;
    flow->space_before = 1;
    if (chart->thinned)
        layout_warn(L, flow, "the chart has %zu categories, more than its labels have room for: "
                             "some category or value labels are left out (a table shows them all)",
                    block->chart->table->n_rows - block->chart->table->header_rows);
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
    /* the alternative text of its Figure element: the caption, a chart's figures after it */
    char *words = block->kind == DOC_BLOCK_CHART ? chart_describe(block->chart) : NULL;
    char *alt = words != NULL && *words != '\0' ? g_strdup_printf("%s：%s", caption, words)
                                                 : g_strdup(caption);
    L->pages->blocks[i].alt = g_string_chunk_insert(L->pages->strings, alt);
    g_free(alt);
    g_free(words);
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

/* The lines under a speech's title and lines set apart: a subtitle or an author line
 * centred in 3号 楷体 (the heading-2 role), wrapped lines balanced; a salutation flush left
 * as the 主送机关; a @right line flush right, `level` characters from the edge. Each keeps
 * with what follows but a @right line, which keeps only with another (“（盖章）” over
 * “年　月　日”). */
static gboolean
flow_set_apart(Layout *L, size_t i, GError **error)
{
    const DocBlock *block = &L->doc->blocks[i];
    ParaSpec spec = body_spec(L, block, block->text);
    spec.first_indent = 0;
    Flow *flow = flow_add(L, i);
    flow->keep_with_next = TRUE;
    page_block_roles(block, &spec.head_role, &spec.body_role, &spec.head_len);
    if (block->kind == DOC_BLOCK_SUBTITLE || block->kind == DOC_BLOCK_AUTHOR) {
        spec.align = PARA_ALIGN_CENTER;
        spec.balance = TRUE;
    } else if (block->kind == DOC_BLOCK_RIGHT) {
        spec.width = MAX(L->cell, L->area_w - block->level * L->cell);
        spec.align = PARA_ALIGN_RIGHT;
        flow->keep_with_next = i + 1 < L->doc->n_blocks &&
                               L->doc->blocks[i + 1].kind == DOC_BLOCK_RIGHT;
    }
    return flow_add_para(L, flow, &spec, 0, error);
}

/* Whether a block is a line of the title's group: set under the title with no blank line
 * between them, and a blank line after the last. */
static gboolean
is_title_line(DocBlockKind kind)
{
    return kind == DOC_BLOCK_SUBTITLE || kind == DOC_BLOCK_AUTHOR;
}

/* Build the flow of the next block(s): FALSE with `error` set on a failure. */

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
        case DOC_BLOCK_ARTICLE:
        case DOC_BLOCK_ITEM:
            ok = flow_text_block(L, i, error);
            break;
        case DOC_BLOCK_CHAPTER:
        case DOC_BLOCK_SECTION:
            ok = flow_division(L, i, error);
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
        case DOC_BLOCK_ISSUED:
            ok = flow_issued(L, i, error);
            break;
        case DOC_BLOCK_SUBTITLE:
        case DOC_BLOCK_AUTHOR:
        case DOC_BLOCK_SALUTATION:
        case DOC_BLOCK_RIGHT:
            ok = flow_set_apart(L, i, error);
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
        /* a blank line under a title, and under an attachment's title whatever follows it,
         * a table too: the table's top rule never touches the title's ink */
        if ((kind == DOC_BLOCK_TITLE || kind == DOC_BLOCK_ATTACHMENT ||
             kind == DOC_BLOCK_ISSUED) && !next->new_page &&
            next->space_before < 1 && !is_title_line(next_kind))
            next->space_before = 1;
        /* the subtitle and author lines stand under the title; the blank line follows them */
        if (is_title_line(kind) && !is_title_line(next_kind) && !next->new_page &&
            next->space_before < 1)
            next->space_before = 1;
        if (is_closing(next_kind) && !is_closing(kind))
            layout_keep_before_closing(L, k);
        if (f->rows > L->lines)
            f->splittable = f->parts->len == 1;
    }
}

/* Flows look ahead this far: keeps (flow_lead, closing_rows) and the closing's links. */
#define FLOW_WINDOW 16
#define LINK_AHEAD 5

/* Make sure flows [0, upto] are built (as far as there are blocks) and linked with what
 * follows them: a document is built as it is placed, so that a long one never holds all
 * its lines at once when pages are handed on as they are finished. */
gboolean
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

void
layout_warn(Layout *L, const Flow *f, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    diag_add(L->pages->warnings, DIAG_WARNING, L->doc->blocks[f->block].loc, "%s", message);
    g_free(message);
}
