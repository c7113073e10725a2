/* gongwen: the objects of a PDF file written in order: numbers reserved ahead, each object's
 * offset kept for the cross-reference table. The file is written as it goes (pages as they
 * are finished), so nothing but the offsets stays in memory.
 *
 * The writing is done by a thread of its own: the caller formats objects and hands them on
 * with the streams still to deflate; the thread deflates and writes them in order. Deflating
 * the content streams was a fifth of a long document's time, and on two cores it now runs
 * beside the layout of the next pages. */
#ifndef GONGWEN_PDFOUT_H
#define GONGWEN_PDFOUT_H

#include "render.h"

#include <glib.h>

typedef struct PdfWriterThread PdfWriterThread;

typedef struct {
    AtomicFile *out;   /* borrowed */
    guint next;        /* the next object number */
    GString *buf;      /* formatted, not yet handed to the thread */
    GArray *marks;     /* (object, offset in buf) of the objects begun in buf */
    PdfWriterThread *thread;
} PdfOut;

void pdf_out_init(PdfOut *o, AtomicFile *out);
/* Let the thread write what it was given and end (pdf_out_finish does, too): before the
 * output is committed or aborted. */
void pdf_out_stop(PdfOut *o);
/* Stop the thread and free the rest. */
void pdf_out_free(PdfOut *o);

/* A new object number, its object written later. */
guint pdf_out_reserve(PdfOut *o);
/* Begin object `n` ("n 0 obj\n"): what follows is its body until pdf_out_end. */
GString *pdf_out_begin(PdfOut *o, guint n);
void pdf_out_end(PdfOut *o);
/* Object `n` as a stream of `data` (`len` bytes, taken: freed with g_free when written):
 * the dictionary's entries `dict` (without << >>, /Length and /Filter), deflated at `level`
 * (0: stored as is) by the writing thread. */
void pdf_out_stream_take(PdfOut *o, guint n, const char *dict, void *data, gsize len,
                         int level);
/* The same of data the caller keeps (copied). */
void pdf_out_stream(PdfOut *o, guint n, const char *dict, const void *data, gsize len,
                    int level);
/* `data` deflated at `level` (zlib), or NULL when zlib fails; safe in any thread. */
GBytes *pdf_deflate(const void *data, gsize len, int level);
/* Object `n` as a stream of data deflated already (pdf_deflate). */
void pdf_out_stream_deflated(PdfOut *o, guint n, const char *dict, GBytes *packed);
/* The cross-reference table and the trailer: FALSE when a write failed (the AtomicFile
 * keeps why) or an object reserved was never written. */
gboolean pdf_out_finish(PdfOut *o, guint root, guint info, const char *id_hex);

/* A PDF text string of UTF-8 text: (…) with escapes when it is ASCII, else <FEFF…> in
 * UTF-16BE. */
void pdf_out_text_string(GString *s, const char *utf8);

#endif
