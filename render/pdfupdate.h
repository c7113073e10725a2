/* gongwen: an incremental update (PDF 32000-1 7.5.6) appended to a PDF that cairo 1.16
 * wrote: new versions of the catalog (with entries cairo does not write: /Lang) and of the
 * Figure structure elements (with /Alt), a cross-reference section for them and a trailer
 * with /Prev. The bytes cairo wrote are left as they are.
 *
 * The file is read as a PDF reader reads it, never searched: the trailer from `startxref`,
 * every object's offset from the cross-reference table, the catalog from the trailer's
 * /Root, and the structure elements by walking from the catalog's /StructTreeRoot through
 * each element's /K in document order. */
#ifndef GONGWEN_PDFUPDATE_H
#define GONGWEN_PDFUPDATE_H

#include <glib.h>

/* The PDF as written: `size` bytes that `read` gives, `len` bytes at `offset` into `buf`
 * (FALSE when they cannot be read). */
typedef struct {
    gboolean (*read)(void *source, guint64 offset, gsize len, char *buf);
    void *source;
    guint64 size;
} PdfSource;

/* What the update adds. */
typedef struct {
    /* dictionary entries for the catalog, e.g. "/Lang (zh-CN) /MarkInfo << /Marked true >>":
     * each added unless the catalog has an entry of that key already */
    const char *catalog;
    /* the alternative text (UTF-8) of each Figure element in the order of the structure tree
     * (the order their tags were begun), NULL for one without; n_alts must be the number of
     * Figure elements in the tree, else nothing is written */
    const char *const *alts;
    size_t n_alts;
    /* the structure type drawn around page furniture (cairo 1.16 writes no artifact): its
     * elements are taken out of the tree (new versions of their parents and of the parent
     * tree's arrays) and their marked content, "/TYPE << /MCID n >> BDC" as cairo writes
     * it, made "/Artifact BMC" (new versions of the pages' content streams); NULL: none */
    const char *artifact;
} PdfUpdate;

/* Append the update to `out` (whose first byte goes at offset pdf->size). FALSE, with
 * nothing appended and `error` saying why, when the PDF is not one this can update (not a
 * cross-reference table and trailer at the end, a broken object, a structure tree whose
 * Figure elements are not n_alts). */
gboolean pdf_update_write(const PdfSource *pdf, const PdfUpdate *update, GString *out,
                          GError **error);

/* A PdfSource over bytes in memory (for tests): source is a GString. */
gboolean pdf_source_read_string(void *source, guint64 offset, gsize len, char *buf);

#endif
