/* gongwen: the fonts of gongwen's own PDF writer. Each face a document draws with is one
 * Type0 font, cut down to the glyphs drawn (HarfBuzz's subsetter, a thread per face, once the
 * last page is written) and embedded: a CFF face as CIDFontType0C, a TrueType face as
 * CIDFontType2. Glyphs get their codes as they are first drawn (1, 2, 3 … per face), so a
 * page's content is written before the subsets exist; an embedded CMap (CFF) or
 * CIDToGIDMap (TrueType) maps the codes to the glyphs of the subset, and a ToUnicode CMap
 * maps them to the text they were drawn for.
 *
 * The codes and the glyph advances are those cairo 1.16's PDF surface used (advances in em,
 * the font's units over its em; on faces that are not CID-keyed CFF, cairo's
 * "latin subset" of the first glyph of each WinAnsi character), so that text is placed where
 * cairo placed it, to the same rounding. */
#ifndef GONGWEN_PDFFONT_H
#define GONGWEN_PDFFONT_H

#include "pdfout.h"

#include <pango/pango.h>

typedef struct PdfFonts PdfFonts;
typedef struct PdfFont PdfFont;

typedef struct {
    guint code;      /* the code written in the content stream (two bytes) */
    double advance;  /* in em, as cairo measured it */
    guint group;     /* 0: a glyph cairo drew from its latin subset, else 1 */
    guint subset;    /* the number of the subset cairo drew it from (its latin subset is 0,
                        then 1; a CID-keyed CFF face has one subset, 0) */
    gboolean mapped; /* its ToUnicode entry is this cluster's text (else ActualText) */
} PdfGlyph;

PdfFonts *pdf_fonts_new(void);
void pdf_fonts_free(PdfFonts *fonts);

/* The font of `font`'s face, made on first use (its object number reserved in `out`), or
 * NULL when the face has no file to embed; `*size`: the font's size in points. */
PdfFont *pdf_fonts_get(PdfFonts *fonts, PdfOut *out, PangoFont *font, double *size);
/* The font's number (the order of first use) and its Type0 object. */
guint pdf_font_id(const PdfFont *f);
guint pdf_font_object(const PdfFont *f);
/* Map `glyph`, drawn for the cluster text `utf8` (`len` bytes; NULL and -1 when the cluster
 * is not this glyph alone). */
void pdf_font_map(PdfFont *f, PangoGlyph glyph, const char *utf8, int len, PdfGlyph *out);

/* A glyph's outline at `size` (pixels per em, unhinted), as cairo's FreeType backend gives it
 * for a glyph path: in cairo's 24.8 fixed point, y down, relative to the glyph's origin.
 * Appended to `ops` as ints: an op (PDF_OUTLINE_MOVE, _LINE, _CURVE, _CLOSE) followed by
 * its points' coordinates (1, 1, 3, 0 points). FALSE when FreeType cannot give it. */
enum { PDF_OUTLINE_MOVE, PDF_OUTLINE_LINE, PDF_OUTLINE_CURVE, PDF_OUTLINE_CLOSE };
gboolean pdf_font_glyph_outline(PdfFont *f, PangoGlyph glyph, double size, GArray *ops);

/* Cut every face down and write the fonts' objects: FALSE when a face cannot be subset (its
 * font is then missing from the file: the caller reports it). */
gboolean pdf_fonts_write(PdfFonts *fonts, PdfOut *out, GError **error);

#endif
