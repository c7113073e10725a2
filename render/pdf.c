/* gongwen: the PDF: pages, metadata, outline, page labels, atomic write. */
#include "render.h"

#include "error.h"
#include "gongwen-config.h"
#include "subset.h"

#include <cairo-pdf.h>
#include <stdlib.h>

/* The document date: the report's 成文日期 (China Standard Time), else SOURCE_DATE_EPOCH;
 * never the clock, so the same input gives the same bytes. NULL when neither is known. */
static char *
pdf_date(const Doc *doc)
{
    if (doc->year > 0)
        return g_strdup_printf("%04d-%02d-%02dT00:00:00+08:00", doc->year, doc->month,
                               doc->day);
    const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
    if (epoch == NULL || *epoch == '\0')
        return NULL;
    char *end = NULL;
    gint64 seconds = g_ascii_strtoll(epoch, &end, 10);
    if (end == NULL || *end != '\0' || seconds < 0)
        return NULL;
    GDateTime *dt = g_date_time_new_from_unix_utc(seconds);
    if (dt == NULL)
        return NULL;
    char *text = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
    g_date_time_unref(dt);
    return text;
}

static void
pdf_metadata(cairo_surface_t *surface, const Doc *doc)
{
    if (doc->title != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc->title);
    if (doc->issuer != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, doc->issuer);
    if (doc->subject != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, doc->subject);
    if (doc->keywords != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, doc->keywords);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "gongwen " GONGWEN_VERSION);
    char *date = pdf_date(doc);
    if (date != NULL) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    g_free(date);
}

/* One outline entry per heading on pages [first, last), nested by level. */
static void
pdf_outline(cairo_surface_t *surface, const Pages *pages, size_t first, size_t last)
{
    int parents[5] = {CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT,
                      CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT};
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *o = &g_array_index(pages->outline, PageOutline, k);
        if (o->page < first || o->page >= last || o->level < 1 || o->level > 4)
            continue;
        char y[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(y, sizeof y, "%.2f", o->y / (double)PANGO_SCALE);
        char *link = g_strdup_printf("page=%zu pos=[0 %s]", o->page - first + 1, y);
        int id = cairo_pdf_surface_add_outline(surface, parents[o->level - 1], o->text, link,
                                               o->level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        g_free(link);
        for (int l = o->level; l < 5; l++)
            parents[l] = id;
    }
}

/* Page labels are needed when the printed numbers differ from the PDF's own page order (a
 * preview starting at page 4). When they agree, cairo 1.16 would write an empty /Nums
 * tree, which the PDF specification does not allow, so none is written. */
static gboolean
need_labels(const Pages *pages, size_t first, size_t last)
{
    for (size_t p = first; p < last; p++) {
        if (pages_get(pages, p)->number != (int)(p - first + 1))
            return TRUE;
    }
    return FALSE;
}

/* A PDF being written: the surface, its context and the atomic file under it. */
struct PdfStream {
    AtomicFile out;
    cairo_surface_t *surface;
    cairo_t *cr;
    FontSubsets *subsets; /* borrowed, or NULL */
    gboolean labels;      /* set page labels (the printed numbers) */
    cairo_status_t status;
};

PdfStream *
pdf_stream_open(const Doc *doc, const char *path, FontSubsets *subsets, GError **error)
{
    PdfStream *s = g_new0(PdfStream, 1);
    if (!atomic_open(&s->out, path, error)) {
        g_free(s);
        return NULL;
    }
    s->surface = cairo_pdf_surface_create_for_stream(atomic_write_cb, &s->out,
                                                     PAGE_WIDTH / (double)PANGO_SCALE,
                                                     PAGE_HEIGHT / (double)PANGO_SCALE);
    pdf_metadata(s->surface, doc);
    s->cr = cairo_create(s->surface);
    s->subsets = subsets;
    return s;
}

void
pdf_stream_page(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    PdfStream *s = data;
    if (s->status != CAIRO_STATUS_SUCCESS)
        return;
    cairo_pdf_surface_set_size(s->surface, page->width / (double)PANGO_SCALE,
                               page->height / (double)PANGO_SCALE);
    draw_page(s->cr, page, s->subsets);
    if (s->labels) {
        char *label = g_strdup_printf("%d", page->number);
        cairo_pdf_surface_set_page_label(s->surface, label);
        g_free(label);
    }
    cairo_show_page(s->cr);
    s->status = cairo_status(s->cr);
}

gboolean
pdf_stream_close(PdfStream *s, const Pages *pages, size_t first, size_t last, GError **error)
{
    if (pages != NULL)
        pdf_outline(s->surface, pages, first, last);
    cairo_destroy(s->cr);
    cairo_surface_finish(s->surface);
    cairo_status_t status = s->status;
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(s->surface);
    cairo_surface_destroy(s->surface);
    gboolean ok = FALSE;
    if (pages == NULL) {
        atomic_abort(&s->out);
    } else if (status != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "%s: error: cannot write the PDF: %s",
                    s->out.path, s->out.write_errno != 0 ? g_strerror(s->out.write_errno)
                                                         : cairo_status_to_string(status));
        atomic_abort(&s->out);
    } else {
        ok = atomic_commit(&s->out, error);
    }
    g_free(s);
    return ok;
}

gboolean
pdf_write(const Doc *doc, const Pages *pages, size_t first, size_t last, const char *path,
          GError **error)
{
    g_return_val_if_fail(first < last && last <= pages_count(pages), FALSE);
    FontSubsets *subsets = NULL;
    if (pdf_subsetting()) {
        subsets = font_subsets_begin();
        for (size_t p = first; p < last; p++)
            font_subsets_collect(pages, pages_get(pages, p), subsets);
        font_subsets_finish(subsets);
    }
    PdfStream *s = pdf_stream_open(doc, path, subsets, error);
    gboolean ok = s != NULL;
    if (ok) {
        s->labels = need_labels(pages, first, last);
        for (size_t p = first; p < last; p++)
            pdf_stream_page(pages, pages_get(pages, p), s);
        ok = pdf_stream_close(s, pages, first, last, error);
    }
    font_subsets_free(subsets);
    return ok;
}

gboolean
pdf_subsetting(void)
{
    return g_getenv("GONGWEN_NO_SUBSET") == NULL;
}
