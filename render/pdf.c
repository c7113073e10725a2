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

static gboolean subsetting = TRUE;

void
pdf_set_subsetting(gboolean on)
{
    subsetting = on;
}

gboolean
pdf_write(const Doc *doc, const Pages *pages, size_t first, size_t last, const char *path,
          GError **error)
{
    g_return_val_if_fail(first < last && last <= pages_count(pages), FALSE);
    AtomicFile out;
    if (!atomic_open(&out, path, error))
        return FALSE;
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
        atomic_write_cb, &out, pages->width / (double)PANGO_SCALE,
        pages->height / (double)PANGO_SCALE);
    pdf_metadata(surface, doc);
    cairo_t *cr = cairo_create(surface);
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    gboolean labels = need_labels(pages, first, last);
    FontSubsets *subsets = !subsetting || g_getenv("GONGWEN_NO_SUBSET") != NULL
                               ? NULL
                               : font_subsets_new(pages, first, last);
    for (size_t p = first; p < last && status == CAIRO_STATUS_SUCCESS; p++) {
        const Page *page = pages_get(pages, p);
        cairo_pdf_surface_set_size(surface, page->width / (double)PANGO_SCALE,
                                   page->height / (double)PANGO_SCALE);
        draw_page(cr, page, subsets);
        if (labels) {
            char *label = g_strdup_printf("%d", page->number);
            cairo_pdf_surface_set_page_label(surface, label);
            g_free(label);
        }
        cairo_show_page(cr);
        status = cairo_status(cr);
    }
    pdf_outline(surface, pages, first, last);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    font_subsets_free(subsets);
    if (status != CAIRO_STATUS_SUCCESS) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "%s: error: cannot write the PDF: %s", path,
                    out.write_errno != 0 ? g_strerror(out.write_errno)
                                                        : cairo_status_to_string(status));
        atomic_abort(&out);
        return FALSE;
    }
    return atomic_commit(&out, error);
}
