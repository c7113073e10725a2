/* gongwen: the preview command: one section, as laid out in the whole document, on the
 * terminal (its printed lines with page and line numbers) or into a PDF, PNG or SVG. */
#include "cli.h"

#include "error.h"
#include "render.h"

#include <stdio.h>
#include <string.h>

/* Columns a string takes on a terminal: a wide character two, others one. */
static long
display_width(const char *text)
{
    long w = 0;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        w += g_unichar_iswide(g_utf8_get_char(p)) ? 2 : 1;
    return w;
}

/* `text` cut to `width` columns (with … when cut) and padded with spaces. Owned. */
static char *
fit(const char *text, long width)
{
    GString *s = g_string_new(NULL);
    long w = 0;
    gboolean cut = display_width(text) > width;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        long cw = g_unichar_iswide(c) ? 2 : 1;
        if (cut && w + cw > width - 1)
            break;
        g_string_append_unichar(s, c == '\n' ? ' ' : c);
        w += cw;
    }
    if (cut) {
        g_string_append(s, "…");
        w++;
    }
    for (; w < width; w++)
        g_string_append_c(s, ' ');
    return g_string_free(s, FALSE);
}

static void
print_rule(const long *widths, size_t n, const char *left, const char *mid, const char *right)
{
    printf("        %s", left);
    for (size_t c = 0; c < n; c++) {
        for (long i = 0; i < widths[c] + 2; i++)
            printf("─");
        printf("%s", c + 1 < n ? mid : right);
    }
    printf("\n");
}

/* A table in box-drawing characters: merged cells show their text once. */
static void
print_table(const DocTable *t)
{
    long *widths = g_new0(long, t->n_cols);
    for (size_t i = 0; i < t->n_rows * t->n_cols; i++) {
        const DocCell *cell = &t->cells[i];
        if (cell->col_span == 1 && cell->row_span > 0)
            widths[i % t->n_cols] = MAX(widths[i % t->n_cols], MIN(display_width(cell->text), 28));
    }
    for (size_t c = 0; c < t->n_cols; c++)
        widths[c] = MAX(widths[c], 2);
    print_rule(widths, t->n_cols, "┌", "┬", "┐");
    for (size_t r = 0; r < t->n_rows; r++) {
        printf("        │");
        for (size_t c = 0; c < t->n_cols;) {
            /* a cell merged over columns (or their part in this row) prints across them */
            const DocCell *cell = doc_table_cell(t, r, c);
            const DocCell *anchor = &t->cells[cell->anchor];
            size_t span = 1;
            long w = widths[c];
            while (c + span < t->n_cols && doc_table_cell(t, r, c + span)->anchor ==
                                               cell->anchor && anchor->col_span > 1) {
                w += widths[c + span] + 3;
                span++;
            }
            char *text = fit(cell->row_span > 0 ? cell->text : "", w);
            printf(" %s │", text);
            g_free(text);
            c += span;
        }
        printf("\n");
        if (r + 1 == t->header_rows)
            print_rule(widths, t->n_cols, "├", "┼", "┤");
    }
    print_rule(widths, t->n_cols, "└", "┴", "┘");
    g_free(widths);
}

static const char *
line_tag(const DocBlock *block)
{
    static const char *const headings[] = {"H1", "H2", "H3", "H4"};
    switch (block->kind) {
    case DOC_BLOCK_TITLE:
        return "T ";
    case DOC_BLOCK_HEADING:
        return block->level >= 1 && block->level <= 4 ? headings[block->level - 1] : "H ";
    case DOC_BLOCK_ATTACHMENT:
        return "A ";
    case DOC_BLOCK_CAPTION:
        return "C ";
    default:
        return "  ";
    }
}

/* One printed line: page, line on the grid, a tag (T title, H1–H4 headings, A attachment,
 * C caption), then the text with its indent as full-width spaces so that columns line up. */
static void
print_line_start(const Pages *pages, const Page *page, const PageItem *item,
                 const DocBlock *block)
{
    int left = page->landscape ? page->width - PAGE_AREA_TOP - PAGE_AREA_HEIGHT : PAGE_AREA_LEFT;
    int top = page->landscape ? PAGE_AREA_LEFT : PAGE_AREA_TOP;
    int row = (item->y - top) / pages->pitch;
    int cells = (item->x - left + pages->cell / 2) / pages->cell;
    printf("%3d %2d %s│", page->number, row + 1, line_tag(block));
    for (int i = 0; i < cells && i < 2 * PAGE_CHARS; i++)
        printf("\u3000");
}

static void
print_section(const Doc *doc, const Pages *pages, size_t first, size_t last, DocSection section)
{
    size_t shown = SIZE_MAX;
    for (size_t p = first; p < last; p++) {
        const Page *page = pages_get(pages, p);
        int y = -1;
        for (guint k = 0; k < page->items->len; k++) {
            const PageItem *item = &g_array_index(page->items, PageItem, k);
            if (item->block == SIZE_MAX || item->block < section.first ||
                item->block >= section.last)
                continue;
            const DocBlock *block = &doc->blocks[item->block];
            if (block->kind == DOC_BLOCK_TABLE || block->kind == DOC_BLOCK_CHART ||
                block->kind == DOC_BLOCK_FIGURE) {
                if (shown != item->block) {
                    printf("%s", y >= 0 ? "\n" : "");
                    y = -1;
                    if (block->kind == DOC_BLOCK_TABLE)
                        print_table(block->table);
                    else
                        printf("%3d    图│〔%s%s%s〕\n", page->number,
                               block->kind == DOC_BLOCK_CHART
                                   ? doc_chart_kind_name(block->chart->kind) : "figure",
                               *block->text != '\0' ? "：" : "", block->text);
                    shown = item->block;
                }
                continue;
            }
            if (item->kind != PAGE_ITEM_GLYPHS)
                continue;
            if (item->y != y) {
                if (y >= 0)
                    printf("\n");
                print_line_start(pages, page, item, block);
                y = item->y;
            }
            const PangoItem *pi = item->run->item;
            printf("%.*s", pi->length, item->text + pi->offset);
        }
        if (y >= 0)
            printf("\n");
    }
}

static int
preview_once(const Options *o)
{
    Job job;
    GError *error = NULL;
    DocSection section;
    size_t first = 0, last = 0;
    gboolean ok = job_load(&job, o, TRUE, &error) &&
                  doc_find_section(job.doc, o->args[1], &section, &error);
    if (ok) {
        pages_find_section(job.pages, section, &first, &last);
        if (first == last) {
            g_set_error(&error, GONGWEN_ERROR, GONGWEN_ERROR_SECTION,
                        "gongwen: error: section '%s' has nothing to print", o->args[1]);
            ok = FALSE;
        }
    }
    diag_print_all(job.warnings, o);
    if (ok && o->output == NULL)
        print_section(job.doc, job.pages, first, last, section);
    else if (ok && (g_str_has_suffix(o->output, ".pdf") || g_str_equal(o->output, "-")))
        ok = check_output(job.doc, o->output, &error) &&
             pdf_write(job.doc, job.pages, first, last, o->output, &error);
    else if (ok)
        ok = check_output(job.doc, o->output, &error) &&
             raster_write(job.pages, first, last, o->dpi, o->output, &error);
    if (ok && o->output != NULL && (o->verbose || o->watch))
        fprintf(stderr, "gongwen: previewed section %s into %s (pages %zu–%zu)\n", o->args[1],
                o->output, first + 1, last);
    job_clear(&job);
    return ok ? EXIT_OK : report_error(error);
}

int
cmd_preview(const Options *o)
{
    if (o->n_args != 2)
        return usage_error("preview takes REPORT and SECTION (see gongwen preview --help)");
    if (o->watch && o->output == NULL)
        return usage_error("preview --watch needs -o FILE");
    return o->watch ? watch_run(o, preview_once) : preview_once(o);
}
