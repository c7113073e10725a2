/* gongwen: the text of gongwen's PDF writer (pdftext.h). */
#include "pdftext.h"

#include "pdfpaint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_TOLERANCE 0.001    /* a glyph this close to its natural place needs no shift */


/* cairo's matrix as it prints it: six numbers, tiny ones zero */
void
pdf_put_matrix(GString *s, const cairo_matrix_t *m0)
{
    cairo_matrix_t m = *m0;
    double big = MAX(MAX(fabs(m.xx), fabs(m.xy)), MAX(fabs(m.yx), fabs(m.yy))), e = big * 1e-12;
    double *v[6] = {&m.xx, &m.yx, &m.xy, &m.yy, &m.x0, &m.y0};
    for (int i = 0; i < 6; i++) {
        if (fabs(*v[i]) < e)
            *v[i] = 0;
        if (i > 0)
            g_string_append_c(s, ' ');
        pdf_num(s, *v[i]);
    }
}

/* A glyph's code as four hex digits (printf is most of the writing's time otherwise). */
static void
put_code(GString *s, guint code)
{
    static const char hex[] = "0123456789abcdef";
    char b[4] = {hex[(code >> 12) & 0xF], hex[(code >> 8) & 0xF], hex[(code >> 4) & 0xF],
                 hex[code & 0xF]};
    g_string_append_len(s, b, 4);
}

/* A shift in a TJ array: >n< */
static void
put_shift(GString *s, int v)
{
    char b[16];
    int i = (int)sizeof b;
    unsigned u = v < 0 ? -(unsigned)v : (unsigned)v;
    b[--i] = '<';
    do {
        b[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (v < 0)
        b[--i] = '-';
    b[--i] = '>';
    g_string_append_len(s, b + i, (gssize)sizeof b - i);
}

static void
text_flush(PdfText *t)
{
    if (t->n == 0)
        return;
    GString *s = t->s;
    double x = t->cur_x;
    int i;
    for (i = 0; i < t->n; i++) {
        if (fabs(t->glyphs[i].x - x) > TEXT_TOLERANCE)
            break;
        x += t->glyphs[i].advance;
    }
    if (i == t->n) { /* every glyph at its natural place */
        g_string_append_c(s, '<');
        for (i = 0; i < t->n; i++) {
            put_code(s, t->glyphs[i].code);
            t->cur_x += t->glyphs[i].advance;
        }
        g_string_append(s, ">Tj\n");
    } else {
        /* shifts in thousandths of an em, rounded, the rounding carried on: what a reader
         * adds up is where the glyphs are; shifts under 3 are left out */
        g_string_append(s, "[<");
        for (i = 0; i < t->n; i++) {
            if (t->glyphs[i].x != t->cur_x) {
                double delta = -1000.0 * (t->glyphs[i].x - t->cur_x);
                int rounded = (int)floor(delta + 0.5);
                if (abs(rounded) < 3)
                    rounded = 0;
                if (rounded != 0)
                    put_shift(s, rounded);
                t->cur_x += rounded / -1000.0;
            }
            put_code(s, t->glyphs[i].code);
            t->cur_x += t->glyphs[i].advance;
        }
        g_string_append(s, ">]TJ\n");
    }
    t->n = 0;
    t->buf_x = t->cur_x;
}

/* End the text object, if one is open (before any other operator but text). */
void
pdf_text_end(PdfText *t)
{
    if (!t->in_text)
        return;
    text_flush(t);
    g_string_append(t->s, "ET\n");
    t->in_text = FALSE;
}

static void
text_set_position(PdfText *t, double x, double y)
{
    cairo_matrix_t inverse = t->tm, translate;
    cairo_matrix_invert(&inverse);
    t->tm.x0 = x;
    t->tm.y0 = y;
    cairo_matrix_multiply(&translate, &t->tm, &inverse);
    if (fabs(translate.x0) < 1e-6)
        translate.x0 = 0.0;
    if (fabs(translate.y0) < 1e-6)
        translate.y0 = 0.0;
    pdf_num(t->s, translate.x0);
    g_string_append_c(t->s, ' ');
    pdf_num(t->s, translate.y0);
    g_string_append(t->s, " Td\n");
    t->cur_x = t->cur_y = t->buf_x = 0;
    t->to_text = t->tm;
    cairo_matrix_invert(&t->to_text);
}

static void
text_glyph(PdfText *t, PdfFont *font, const PdfGlyph *g, double gx, double gy)
{
    if (t->new_object || t->font != font || t->group != g->group) {
        text_flush(t);
        /* cairo's font names: its font number, then the subset (its latin subset is 0) */
        g_string_append_printf(t->s, "/f-%u-%u 1 Tf\n", pdf_font_id(font), g->subset);
        t->font = font;
        t->group = g->group;
        t->new_object = FALSE;
    }
    double x = gx, y = gy;
    cairo_matrix_transform_point(&t->to_text, &x, &y);
    if (fabs(x - t->buf_x) > 10 || fabs(y - t->cur_y) > TEXT_TOLERANCE) {
        text_flush(t);
        text_set_position(t, gx, gy);
        x = 0.0;
    }
    t->glyphs[t->n].x = x;
    t->glyphs[t->n].code = g->code;
    t->glyphs[t->n].advance = g->advance;
    t->buf_x += g->advance;
    if (++t->n == PDF_TEXT_BUFFER)
        text_flush(t);
}

/* The glyphs of one cluster: written plainly when the font's ToUnicode gives the cluster's
 * text, else in a Span with that ActualText. */
static void
text_cluster(PdfText *t, PdfFont *font, const char *utf8, int len, const PangoGlyph *ids,
             const double *xs, const double *ys, int n)
{
    PdfGlyph g;
    if (n == 1 && len != 0) {
        pdf_font_map(font, ids[0], utf8, len, &g);
        if (g.mapped || len < 0) {
            text_glyph(t, font, &g, xs[0], ys[0]);
            return;
        }
    }
    text_flush(t);
    g_string_append(t->s, "/Span << /ActualText <feff");
    glong n16 = 0;
    gunichar2 *u = len > 0 ? g_utf8_to_utf16(utf8, len, NULL, &n16, NULL) : NULL;
    for (glong k = 0; k < n16; k++)
        g_string_append_printf(t->s, "%04x", u[k]);
    g_free(u);
    g_string_append(t->s, "> >> BDC\n");
    for (int i = 0; i < n; i++) {
        pdf_font_map(font, ids[i], NULL, -1, &g);
        text_glyph(t, font, &g, xs[i], ys[i]);
    }
    text_flush(t);
    g_string_append(t->s, "EMC\n");
}

void
pdf_text_start(PdfText *t, GString *s)
{
    memset(t, 0, sizeof *t);
    t->s = s;
}

void
pdf_text_run(PdfText *t, const cairo_matrix_t *text_matrix, const PdfTextRun *run)
{
    if (!t->in_text) {
        g_string_append(t->s, "BT\n");
        t->in_text = TRUE;
        t->n = 0;
        t->buf_x = 0;
        t->new_object = TRUE;
    } else {
        t->new_object = FALSE;
    }
    if (run->count == 0)
        return;
    if (t->new_object || t->tm.xx != text_matrix->xx || t->tm.xy != text_matrix->xy ||
        t->tm.yx != text_matrix->yx || t->tm.yy != text_matrix->yy) {
        /* the text matrix, at the run's first glyph */
        text_flush(t);
        t->tm = *text_matrix;
        t->tm.x0 = run->xs[0];
        t->tm.y0 = run->ys[0];
        pdf_put_matrix(t->s, &t->tm);
        g_string_append(t->s, " Tm\n");
        t->cur_x = t->cur_y = t->buf_x = 0;
        t->to_text = t->tm;
        cairo_matrix_invert(&t->to_text);
    }
    const int *cl = run->clusters;
    for (int c = 0, g = 0; c < run->n_clusters; g += cl[3 * c + 2], c++)
        text_cluster(t, run->font, run->text + cl[3 * c], cl[3 * c + 1], run->ids + g,
                     run->xs + g, run->ys + g, cl[3 * c + 2]);
}
