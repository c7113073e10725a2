/* gongwen: font subsets for the PDF (render/pdffont.c).
 *
 * cairo 1.16, which wrote gongwen's PDFs before, read a whole CFF table (16–20 MB per Noto
 * CJK face) to embed a font; gongwen now writes its PDFs itself and embeds each face cut down
 * to the glyphs the document draws, by HarfBuzz's subsetter, glyphs renumbered from 0 in the
 * order of their original ids. */
#ifndef GONGWEN_SUBSET_H
#define GONGWEN_SUBSET_H

#include <hb.h>

/* The face `key` ("file#index") cut down to `glyphs`, as font data (a new reference) with
 * its glyph ids by the original ids in `*map` (a new reference); NULL when it cannot be
 * made. Safe to call from several threads at once. Subsets made in this process are kept
 * by face and glyph set, so that a batch whose reports use the same glyphs of a face (copies
 * of one report, the reports of one agency) cuts it once; each document still gets exactly
 * its own glyphs, so a report's PDF is the same bytes alone or in a batch. */
hb_blob_t *font_subset_data(const char *key, const hb_set_t *glyphs, hb_map_t **map);

/* The face `key` cut down to the glyphs of the characters `unicodes`, keeping its cmap for
 * them (an OFD, whose readers find each character's glyph by the cmap); not kept across
 * documents. NULL when it cannot be made. */
hb_blob_t *font_subset_text(const char *key, const hb_set_t *unicodes);

/* "file#index" of a Pango font's face (owned), or NULL when it has no file. */
#include <pango/pango.h>
char *font_face_key(PangoFont *font);

#endif
