/* bench/floor.c: the floor of gongwen's font stack, for bench/run.
 *
 * Sets the same text in the same fonts as gongwen, the plainest way Pango and cairo
 * allow: one PangoLayout per paragraph (width 156 mm, justified, language zh-cn), drawn
 * with pango_cairo_show_layout on a cairo PDF surface of A4 pages with gongwen's
 * margins. Pagination is simple: a paragraph that does not fit in what is left of the
 * page starts the next one. No grid, rules, tables, charts, page numbers or metadata.
 *
 * Usage: floor OUT.pdf IN.txt
 * IN.txt holds one paragraph a line: a Pango font description, a tab, the text.
 *
 * Built by bench/run with `cc -O2 floor.c $(pkg-config --cflags --libs pangocairo)`;
 * not part of the meson build.
 */
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define PAGE_W (210 * MM)
#define PAGE_H (297 * MM)
#define LEFT (28 * MM)
#define TOP (37 * MM)
#define BODY_W (156 * MM)
#define BODY_H (225 * MM)

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: floor OUT.pdf IN.txt\n");
        return 2;
    }
    FILE *in = fopen(argv[2], "r");
    if (!in) {
        perror(argv[2]);
        return 1;
    }
    cairo_surface_t *surface = cairo_pdf_surface_create(argv[1], PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surface);
    PangoContext *context = pango_cairo_create_context(cr);
    PangoLanguage *zh = pango_language_from_string("zh-cn");
    pango_context_set_language(context, zh);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    double y = 0;
    int pages = 1;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab || !tab[1])
            continue;
        *tab = '\0';
        PangoFontDescription *font = pango_font_description_from_string(line);
        PangoLayout *layout = pango_layout_new(context);
        pango_layout_set_font_description(layout, font);
        pango_layout_set_width(layout, (int)(BODY_W * PANGO_SCALE));
        pango_layout_set_justify(layout, TRUE);
        pango_layout_set_text(layout, tab + 1, -1);
        int w, h;
        pango_layout_get_size(layout, &w, &h);
        double height = (double)h / PANGO_SCALE;
        if (y > 0 && y + height > BODY_H) {
            cairo_show_page(cr);
            pages++;
            y = 0;
        }
        cairo_move_to(cr, LEFT, TOP + y);
        pango_cairo_show_layout(cr, layout);
        y += height;
        g_object_unref(layout);
        pango_font_description_free(font);
    }
    free(line);
    fclose(in);
    g_object_unref(context);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "floor: %s\n", cairo_status_to_string(status));
        return 1;
    }
    printf("%d pages\n", pages);
    return 0;
}
