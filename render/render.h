/* gongwen: laid-out pages -> files. Nothing here measures or breaks text. */
#ifndef GONGWEN_RENDER_H
#define GONGWEN_RENDER_H

#include "doc.h"
#include "page.h"

#include <cairo.h>
#include <glib.h>
#include <stdio.h>

typedef struct FontSubsets FontSubsets;

/* Draw one page's display list on `cr` (user units: points, origin at the page's top left).
 * With `subsets`, glyph runs are drawn in the subset fonts (render/subset.h). */
void draw_page(cairo_t *cr, const Page *page, FontSubsets *subsets);

/* Write pages [first, last) as a PDF with metadata, outline and page labels. The file is
 * written beside `path` under a temporary name and renamed when complete. */
gboolean pdf_write(const Doc *doc, const Pages *pages, size_t first, size_t last,
                   const char *path, GError **error);

/* A PDF written page by page: open, pdf_stream_page for each page (a PageSink: pass the
 * stream as data), close with the Pages for the outline, pages [first, last) of them. A
 * close with pages NULL, or after a failure, removes the temporary file: nothing is
 * written. `subsets` (borrowed, may be NULL) must outlive the stream. */
typedef struct PdfStream PdfStream;
PdfStream *pdf_stream_open(const Doc *doc, const char *path, FontSubsets *subsets,
                           GError **error);
void pdf_stream_page(const Pages *pages, const Page *page, void *stream);
gboolean pdf_stream_close(PdfStream *stream, const Pages *pages, size_t first, size_t last,
                          GError **error);
/* Whether PDFs are drawn with font subsets (render/subset.h): unless GONGWEN_NO_SUBSET is
 * set, for comparison. */
gboolean pdf_subsetting(void);

/* Write pages [first, last) as one image, the pages stacked top to bottom: PNG at `dpi`,
 * or SVG when `path` ends in .svg. Written atomically like the PDF. */
gboolean raster_write(const Pages *pages, size_t first, size_t last, double dpi,
                      const char *path, GError **error);

/* Write where the seals go (Pages.seals) as JSON, for e-seal systems; `pdf` names the PDF
 * they belong to. Written atomically. */
gboolean seal_anchor_write(const Pages *pages, const char *pdf, const char *path,
                           GError **error);

/* Atomic output: a temporary file beside `path`, then rename. */
typedef struct {
    char *path;
    char *tmp_path;
    FILE *file;
    gboolean failed;
    gboolean special; /* a device or pipe written in place */
    int write_errno;  /* why a write failed */
} AtomicFile;

/* Remove the temporary file of a write under way when SIGTERM, SIGINT, SIGHUP or SIGQUIT
 * ends the process. */
void atomic_cleanup_on_signals(void);

gboolean atomic_open(AtomicFile *out, const char *path, GError **error);
/* cairo write callback writing to an AtomicFile. */
cairo_status_t atomic_write_cb(void *closure, const unsigned char *data, unsigned int length);
/* Flush, sync and rename; on any earlier failure remove the temporary file instead. */
gboolean atomic_commit(AtomicFile *out, GError **error);
void atomic_abort(AtomicFile *out);

#endif
