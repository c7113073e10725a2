/* gongwen: font subsets made before cairo sees the fonts.
 *
 * cairo 1.16 reads a whole CFF table each time it prepares a font for a PDF, and the Noto
 * CJK collections carry 16–20 MB of it per face: most of a render's time went there. For a
 * PDF, gongwen first cuts every face down to the glyphs the document uses (HarfBuzz's
 * subsetter, glyphs renumbered) and draws with those small faces; cairo then subsets them as
 * before. Text stays extractable: runs are drawn with their clusters. */
#ifndef GONGWEN_SUBSET_H
#define GONGWEN_SUBSET_H

#include "page.h"

#include <cairo.h>

typedef struct FontSubsets FontSubsets;

/* Subsets are made in three steps: begin; collect the glyphs of every page to be drawn
 * (a PageSink: pass the FontSubsets as data); finish, which cuts the faces down. Fonts that
 * cannot be subset are left out, and drawn with their full face. Owned; NULL when FreeType
 * cannot start (then every font is drawn with its full face). */
FontSubsets *font_subsets_begin(void);
void font_subsets_collect(const Pages *pages, const Page *page, void *data);
void font_subsets_finish(FontSubsets *subsets);
/* A FontSubsets serves one document: its PDF holds exactly the glyphs it uses, the same
 * bytes whether it is rendered alone or in a batch. Within a process the subset data of a
 * face is reused for a later document that uses the same glyphs of it. */
void font_subsets_free(FontSubsets *subsets);

/* The subset scaled font standing for `font`, or NULL (borrowed). */
cairo_scaled_font_t *font_subsets_lookup(FontSubsets *subsets, PangoFont *font);
/* The id in `subset` (from font_subsets_lookup) of the original font's glyph `glyph`: the
 * subsets renumber their glyphs. */
unsigned long font_subsets_glyph(cairo_scaled_font_t *subset, PangoGlyph glyph);

#endif
