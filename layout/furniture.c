/* gongwen: the 公文's furniture: the 版头 (GB/T 9704 7.2), the 版记 (7.4) and the page
 * numbers (7.5). */
#include "layout-imp.h"

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
    spec.latin_gap = L->doc->profile->latin_gap; /* as in all text (印发日期) */
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
        if (scale < 0.6) {
            diag_add(L->pages->warnings, DIAG_WARNING, doc_key_loc(doc, "organ"),
                     "the organ name \"%s\" is condensed to %.0f%% of its width to fit the "
                     "type area", doc->organs[i], scale * 100);
        }
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
gboolean
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
    /* 签发人: “签发人：” in 仿宋 and the names in 楷体, two names a line, 右空一字; the
     * last line is drawn after the 发文字号 that shares it */
    int number_row = next, names_x = 0, last_x = 0;
    ParaLines *last = NULL;
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
        if (k + 2 < doc->n_signers)
            page_add_line(L->page, lines, 0, x, row_baseline(L, number_row, PAGE_SIZE_BODY),
                          SIZE_MAX);
        last = lines;
        last_x = x;
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
        /* full-width spaces between it and the last 签发人, so that the text reads them
         * apart (“某府〔2024〕3号　…　王某某”), as a typist's spaces would */
        int end = x + line_width(lines);
        if (last != NULL && last_x > end) {
            ParaLines *blank = layout_spaces(L, last_x - end, error);
            if (blank == NULL)
                return FALSE;
            page_add_line(L->page, blank, 0, end, baseline, SIZE_MAX);
        }
    } else if (doc->n_signers > 0) {
        rule_top = row_baseline(L, number_row, PAGE_SIZE_BODY) + PAGE_SIZE_BODY * 12 / 100 +
                   PAGE_MM(4.0);
    }
    if (last != NULL)
        page_add_line(L->page, last, 0, last_x, row_baseline(L, number_row, PAGE_SIZE_BODY),
                      SIZE_MAX);
    if (doc->n_organs > 0 || doc->doc_number != NULL || doc->n_signers > 0) {
        if (!doc->preprinted)
            page_add_fill(L->page, L->area_left, rule_top, L->area_w, PAGE_RULE_RED,
                          doc->profile->red);
        row = (rule_top + PAGE_RULE_RED - L->area_top + L->pitch - 1) / L->pitch + 2;
    } else {
        row++;
    }
    if (row > L->lines - 4) {
        DocLoc at = doc_key_loc(doc, doc->n_signers > doc->n_organs ? "signer" : "organ");
        diag_set_error(error, GONGWEN_ERROR_INPUT, at,
                       "the 版头 takes %d of the page's %d lines, leaving no room "
                       "for the title and text (fewer 签发人 or organs?)",
                       row, L->lines);
        return FALSE;
    }
    L->row = L->top_row = row;
    return TRUE;
}

/* The 版记 (7.4) at the foot of the last page, which must be an even page: 抄送 (4号, 左右各空
 * 一字, wrapped lines under the first organ) above 印发机关 (左空一字) and 印发日期 (右空一字),
 * between a thick rule at the top and the bottom and thin rules inside. A page added for it
 * is numbered, unless a blank page comes before it: then neither is (7.5, “公文的版记页前有
 * 空白页的，空白页和版记页均可不编排页码”); imprint_page=unnumbered numbers no added page. */
gboolean
layout_imprint(Layout *L, GError **error)
{
    const Doc *doc = L->doc;
    if (doc->cc == NULL && doc->printer == NULL && doc->printed == NULL)
        return TRUE;
    const int size = PAGE_SIZE_PAGE_NUMBER, em = size;
    ParaLines *cc = NULL, *printer = NULL, *printed = NULL;
    const DocLoc at = doc_key_loc(doc, doc->cc != NULL       ? "cc"
                                       : doc->printer != NULL ? "printer"
                                                              : "printed");
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
        diag_set_error(error, GONGWEN_ERROR_INPUT, at,
                       "the 版记 takes %d lines, more than a page's %d", rows, L->lines);
        return FALSE;
    }
    gboolean room = !L->page->landscape && L->row + rows <= L->lines;
    if (L->landscape)
        layout_orient(L, FALSE);
    if (!room || L->pages->pages->len % 2 == 1) {
        /* after an even page, a blank page and the 版记's; after an odd one, the 版记's */
        const gboolean blank = L->pages->pages->len % 2 == 0;
        const gboolean unnumbered =
            blank || doc->profile->imprint_page == PROFILE_IMPRINT_PAGE_UNNUMBERED;
        do {
            layout_new_page(L);
            if (unnumbered)
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
gboolean
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
