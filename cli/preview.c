/* gongwen: the preview command: one section, as laid out in the whole document, on the
 * terminal (its printed lines with page and line numbers) or into a PDF, PNG or SVG. */
#include "cli.h"

#include "diag.h"
#include "render.h"
#include "table.h"

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

/* The box of the laid-out table covering row r, column c. */
static const TableCellBox *
box_at(const TableLayout *t, size_t r, size_t c, guint *index)
{
    for (size_t k = t->row_cells[t->reach[r]]; k < t->row_cells[r + 1]; k++) {
        const TableCellBox *b = &g_array_index(t->cells, TableCellBox, k);
        if (b->row <= r && r < b->row + (size_t)b->row_span && b->col <= c &&
            c < b->col + (size_t)b->col_span) {
            *index = (guint)k;
            return b;
        }
    }
    return NULL;
}

/* A cell's next line as laid out (a label with its indent as full-width spaces), or ""
 * when its lines are all shown. Owned. */
static char *
next_cell_line(const TableLayout *t, const TableCellBox *b, int *shown)
{
    if (b == NULL || (size_t)*shown >= para_lines_count(b->lines))
        return g_strdup("");
    const ParaLine *l = para_lines_get(b->lines, (size_t)(*shown)++);
    GString *out = g_string_new(NULL);
    for (int x = l->x; !b->header && table_is_label_column(t->table, b->col) && x >= t->size;
         x -= t->size)
        g_string_append(out, "\u3000");
    g_string_append_len(out, b->lines->text + l->start, (gssize)(l->end - l->start));
    return g_string_free(out, FALSE);
}

/* The table as laid out, in box-drawing characters: its columns as wide as on the page (two
 * terminal columns an em), each cell's lines as they were broken, merged cells across their
 * columns and down their rows. */
static void
print_table(const TableLayout *t)
{
    const DocTable *dt = t->table;
    long *widths = g_new0(long, dt->n_cols);
    for (size_t c = 0; c < dt->n_cols; c++)
        widths[c] = MAX(2, 2 * (t->col_x[c + 1] - t->col_x[c] - 2 * t->pad_x) / t->size + 1);
    int *shown = g_new0(int, t->cells->len);
    print_rule(widths, dt->n_cols, "┌", "┬", "┐");
    for (size_t r = 0; r < dt->n_rows; r++) {
        /* this row's terminal lines: its one-row cells', and what merged cells ending here
         * still have to show */
        size_t lines = 1;
        for (size_t c = 0; c < dt->n_cols; c++) {
            guint k = 0;
            const TableCellBox *b = box_at(t, r, c, &k);
            if (b != NULL && b->row + (size_t)b->row_span == r + 1)
                lines = MAX(lines, para_lines_count(b->lines) - (size_t)shown[k]);
        }
        for (size_t n = 0; n < lines; n++) {
            printf("        │");
            for (size_t c = 0; c < dt->n_cols;) {
                guint k = 0;
                const TableCellBox *b = box_at(t, r, c, &k);
                size_t span = b != NULL ? (size_t)b->col_span - (c - b->col) : 1;
                long w = widths[c];
                for (size_t s = 1; s < span && c + s < dt->n_cols; s++)
                    w += widths[c + s] + 3;
                char *line = next_cell_line(t, b, b != NULL ? &shown[k] : &(int){0});
                char *text = fit(line, w);
                printf(" %s │", text);
                g_free(text);
                g_free(line);
                c += MAX(span, 1);
            }
            printf("\n");
        }
        if (r + 1 == dt->header_rows)
            print_rule(widths, dt->n_cols, "├", "┼", "┤");
    }
    print_rule(widths, dt->n_cols, "└", "┴", "┘");
    g_free(shown);
    g_free(widths);
}

static const char *
line_tag(const PageBlock *block)
{
    static const char *const headings[] = {"H1", "H2", "H3", "H4"};
    switch (block->kind) {
    case DOC_BLOCK_TITLE:
    case DOC_BLOCK_ISSUED:
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
                 const PageBlock *block)
{
    int row = (item->y - page->area_y) / pages->pitch;
    int cells = (item->x - page->area_x + pages->cell / 2) / pages->cell;
    printf("%3d %2d %s│", page->number, row + 1, line_tag(block));
    for (int i = 0; i < cells && i < 2 * page->area_w / pages->cell; i++)
        printf("\u3000");
}

static void
print_section(const Pages *pages, size_t first, size_t last, DocSection section)
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
            const PageBlock *block = &pages->blocks[item->block];
            if ((block->kind == DOC_BLOCK_TABLE && block->table != NULL) ||
                block->kind == DOC_BLOCK_CHART || block->kind == DOC_BLOCK_FIGURE) {
                if (shown != item->block) {
                    printf("%s", y >= 0 ? "\n" : "");
                    y = -1;
                    if (block->kind == DOC_BLOCK_TABLE)
                        print_table(block->table);
                    else
                        printf("%3d    图│〔%s%s%s〕\n", page->number,
                               block->chart != NULL ? block->chart : "figure",
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
    /* the output can be written before the report is laid out */
    if (o->output != NULL && !atomic_check(o->output, &error))
        return report_error(error);
    gboolean ok = job_load(&job, o, TRUE, &error) &&
                  doc_find_section(job.doc, o->args[1], &section, &error);
    if (ok) {
        pages_find_section(job.pages, section, &first, &last);
        if (first == last) {
            diag_set_error(&error, GONGWEN_ERROR_SECTION, (DiagAt){NULL, 0, 0},
                           "section '%s' has nothing to print", o->args[1]);
            ok = FALSE;
        }
    }
    guint seen = job.pages != NULL ? job.pages->warnings->len : 0;
    if (ok && o->output != NULL)
        ok = check_output(&job, o, o->output, &error) &&
             backend_write(backend_for(o->output), job.pages, first, last, o->output, o->dpi,
                           &error);
    /* the warnings the backend added (a PDF left without its update) */
    for (guint k = seen; job.pages != NULL && k < job.pages->warnings->len; k++) {
        const Diag *d = g_ptr_array_index(job.pages->warnings, k);
        diag_add(job.diags, d->severity, (DiagAt){d->file, d->line, d->col}, "%s", d->message);
    }
    diag_print_all(job.diags, o);
    if (ok && o->output == NULL)
        print_section(job.pages, first, last, section);
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
    GError *error = NULL;
    if (o->output != NULL && backend_for(o->output) == &backend_pdf &&
        !pdf_check_source_date(&error))
        return report_error(error);
    return o->watch ? watch_run(o, preview_once) : preview_once(o);
}
