/* gongwen: what gongwen's PDF writer writes besides the pages: the outline and the
 * document information (its dates from the report, SOURCE_DATE_EPOCH or the clock). */
#ifndef GONGWEN_PDFMETA_H
#define GONGWEN_PDFMETA_H

#include "pdfout.h"

/* One outline entry per heading (and issued document) on the pages written (`page_objs`,
 * guint, the pages from `first` on; `page_heights`, double, their heights in points), nested
 * by level, entries of level 1 open: the outline's object, 0 when there is none. */
guint pdf_write_outline(PdfOut *o, const Pages *pages, size_t first, const GArray *page_objs,
                        const GArray *page_heights);
/* The document information dictionary: its object. */
guint pdf_write_info(PdfOut *o, const PagesMeta *meta);

#endif
