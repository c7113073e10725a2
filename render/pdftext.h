/* gongwen: the text of gongwen's PDF writer, placed as cairo 1.16's PDF operators placed it:
 * the same text matrices (Tm at a run's first glyph when a text object begins or the font's
 * matrix changes), the same moves (Td when a glyph is off the line or more than 10 units
 * from where the buffered glyphs end), the same 200-glyph buffer written as a Tj when every
 * glyph is at its natural place, else as a TJ whose shifts are rounded to thousandths of an
 * em with the rounding carried on (and shifts under 3 left out), the same ActualText spans
 * for clusters whose text the ToUnicode cannot give. A reader adds up the same numbers, so
 * the glyphs land where cairo put them, to the bit. */
#ifndef GONGWEN_PDFTEXT_H
#define GONGWEN_PDFTEXT_H

#include "pdffont.h"

#include <cairo.h>
#include <glib.h>

#define PDF_TEXT_BUFFER 200 /* glyphs written at a time (cairo's buffer) */

typedef struct {
    double x;     /* its place on the line, text space */
    guint code;
    double advance;
} PdfTextGlyph;

typedef struct {
    GString *s;
    gboolean in_text;     /* BT written, ET not yet */
    gboolean new_object;  /* a text object begun: Tm and Tf to write */
    cairo_matrix_t tm;    /* the text matrix written */
    cairo_matrix_t to_text; /* the page's space -> text space */
    double cur_x, cur_y;  /* the current point in text space, as a reader has it */
    double buf_x;         /* where the glyphs buffered end, text space */
    PdfFont *font;        /* the font written with Tf, and its subset (cairo's) */
    guint group;
    PdfTextGlyph glyphs[PDF_TEXT_BUFFER];
    int n;
} PdfText;

/* A run's glyphs (those the font has) at their places on the page (y down), by cluster:
 * clusters[3k], [3k+1], [3k+2] are cluster k's first byte in `text`, its bytes, and its
 * glyphs (in order). */
typedef struct {
    PdfFont *font;
    const char *text;
    const PangoGlyph *ids;
    const double *xs, *ys;
    int count;
    const int *clusters;
    int n_clusters;
} PdfTextRun;

/* Text into `s` for a page. */
void pdf_text_start(PdfText *t, GString *s);
/* Write a run in the font's `text_matrix` (the font's size and the transformation, y
 * flipped), in the open text object or a new one (BT). */
void pdf_text_run(PdfText *t, const cairo_matrix_t *text_matrix, const PdfTextRun *run);
/* End the text object, if one is open (before any other operator but text). */
void pdf_text_end(PdfText *t);

/* A matrix as cairo prints it: six numbers, tiny ones zero. */
void pdf_put_matrix(GString *s, const cairo_matrix_t *m);

#endif
