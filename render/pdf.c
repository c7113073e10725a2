/* gongwen: the PDF: pages, metadata, outline, page labels, atomic write. */
#include "render.h"

#include "diag.h"
#include "gongwen-config.h"
#include "pdfupdate.h"
#include "subset.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest SOURCE_DATE_EPOCH: 9999-12-31T23:59:59Z, the last second a PDF date holds. */
#define SOURCE_DATE_MAX G_GINT64_CONSTANT(253402300799)

/* SOURCE_DATE_EPOCH's seconds into *seconds (-1 when unset or empty); FALSE when it is set to
 * anything but a whole number of seconds from 0 to SOURCE_DATE_MAX. */
gboolean
source_date_epoch(gint64 *seconds)
{
    *seconds = -1;
    const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
    if (epoch == NULL || *epoch == '\0')
        return TRUE;
    guint64 v = 0;
    for (const char *p = epoch; *p != '\0'; p++) {
        if (!g_ascii_isdigit(*p) || v > (guint64)SOURCE_DATE_MAX)
            return FALSE;
        v = v * 10 + (guint64)(*p - '0');
    }
    if (v > (guint64)SOURCE_DATE_MAX)
        return FALSE;
    *seconds = (gint64)v;
    return TRUE;
}

gboolean
pdf_check_source_date(GError **error)
{
    gint64 seconds;
    if (source_date_epoch(&seconds))
        return TRUE;
    diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){NULL, 0, 0},
                   "SOURCE_DATE_EPOCH='%s' is not a date: give whole seconds since "
                   "1970-01-01 UTC, from 0 to %" G_GINT64_FORMAT ", or leave it empty",
                   g_getenv("SOURCE_DATE_EPOCH"), SOURCE_DATE_MAX);
    return FALSE;
}

/* The document date: the report's 成文日期 (China Standard Time), else SOURCE_DATE_EPOCH
 * (checked by pdf_check_source_date before anything is written). NULL when neither is
 * known: cairo then writes the current time as the creation date. */
static char *
pdf_date(const PagesMeta *meta)
{
    if (meta->year > 0)
        return g_strdup_printf("%04d-%02d-%02dT00:00:00+08:00", meta->year, meta->month,
                               meta->day);
    gint64 seconds;
    if (!source_date_epoch(&seconds) || seconds < 0)
        return NULL;
    GDateTime *dt = g_date_time_new_from_unix_utc(seconds);
    if (dt == NULL)
        return NULL;
    char *text = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
    g_date_time_unref(dt);
    return text;
}

static void
pdf_metadata(cairo_surface_t *surface, const PagesMeta *meta)
{
    if (meta->title != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, meta->title);
    if (meta->author != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, meta->author);
    if (meta->subject != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, meta->subject);
    if (meta->keywords != NULL)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, meta->keywords);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   "gongwen " GONGWEN_VERSION);
    char *date = pdf_date(meta);
    if (date != NULL) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date);
    }
    g_free(date);
}

/* One outline entry per heading (and issued document) on pages [first, last), nested by
 * level. */
static void
pdf_outline(cairo_surface_t *surface, const Pages *pages, size_t first, size_t last)
{
    int parents[6] = {CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT,
                      CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT, CAIRO_PDF_OUTLINE_ROOT};
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *o = &g_array_index(pages->outline, PageOutline, k);
        if (o->page < first || o->page >= last || o->level < 1 || o->level > 5)
            continue;
        char y[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(y, sizeof y, "%.2f", o->y / (double)PANGO_SCALE);
        char *link = g_strdup_printf("page=%zu pos=[0 %s]", o->page - first + 1, y);
        int id = cairo_pdf_surface_add_outline(surface, parents[o->level - 1], o->text, link,
                                               o->level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        g_free(link);
        for (int l = o->level; l < 6; l++)
            parents[l] = id;
    }
}

/* A PDF being written: the surface, its context and the atomic file under it. */
typedef struct {
    AtomicFile own;  /* the output when begin opened it */
    AtomicFile *out; /* &own, or the caller's (BackendParams.file) */
    cairo_surface_t *surface;
    cairo_t *cr;
    FontSubsets *subsets; /* borrowed, or NULL */
    size_t first, count;  /* the pages drawn: [first, first + count) of the document */
    gboolean labels;      /* set page labels (the printed numbers) */
    gboolean tagged;      /* a structure tree (GONGWEN_PDF_UNTAGGED unset) */
    GPtrArray *alts;      /* tagged: the Figure elements' alternative texts, in order */
    DrawTags tags;        /* tagged: the elements open from page to page */
    FILE *spool;          /* tagged, to an output that cannot be read back (standard output,
                             a pipe, a device): what cairo writes, copied there at the end */
    char *unspooled;      /* why there is no spool for such an output, or NULL */
    guint64 total;        /* the bytes cairo wrote */
    cairo_status_t status;
} PdfOut;

/* The catalog entries cairo 1.16 leaves out: the language (cairo writes /MarkInfo itself
 * when the tree's root is a Document; the update adds it when cairo did not). */
#define PDF_CATALOG_EXTRA "/Lang (zh-CN) /MarkInfo << /Marked true >>"

static cairo_status_t
pdf_write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    PdfOut *s = closure;
    s->total += length;
    if (s->spool == NULL)
        return atomic_write_cb(s->out, data, length);
    if (fwrite(data, 1, length, s->spool) != length) {
        s->out->write_errno = errno;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

static void *
pdf_begin(const char *path, const BackendParams *params, GError **error)
{
    PdfOut *s = g_new0(PdfOut, 1);
    s->out = params != NULL && params->file != NULL ? params->file : &s->own;
    if (s->out == &s->own && !atomic_open(&s->own, path, error)) {
        g_free(s);
        return NULL;
    }
    /* the structure tree: one Document element over every page */
    s->tagged = g_getenv("GONGWEN_PDF_UNTAGGED") == NULL;
    if (s->tagged) {
        s->alts = g_ptr_array_new();
        draw_tags_init(&s->tags, s->alts);
        /* the update reads the file back: an output written in place (no temporary file)
         * gets it through a spool */
        if (s->out->tmp_path == NULL && (s->spool = tmpfile()) == NULL)
            s->unspooled = g_strdup_printf("no temporary file: %s", g_strerror(errno));
    }
    /* A4 until the first page sets its own size */
    s->surface = cairo_pdf_surface_create_for_stream(pdf_write_cb, s, 595.28, 841.89);
    s->cr = cairo_create(s->surface);
    s->subsets = params != NULL ? params->subsets : NULL;
    return s;
}

static void
pdf_page(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    PdfOut *s = data;
    if (s->status != CAIRO_STATUS_SUCCESS)
        return;
    if (s->count++ == 0) {
        s->first = page->index;
        /* page labels when the printed numbers are not the PDF's own (a preview from page 4);
         * with them equal cairo 1.16 would write an empty /Nums tree, which is not allowed */
        s->labels = page->number != 1;
    }
    cairo_pdf_surface_set_size(s->surface, page->width / (double)PANGO_SCALE,
                               page->height / (double)PANGO_SCALE);
    if (s->tagged && s->count == 1) /* one Document element over every page */
        cairo_tag_begin(s->cr, "Document", NULL);
    if (s->tagged)
        draw_page_tagged(s->cr, pages, page, s->subsets, &s->tags);
    else
        draw_page(s->cr, page, s->subsets);
    if (s->labels) {
        char *label = g_strdup_printf("%d", page->number);
        cairo_pdf_surface_set_page_label(s->surface, label);
        g_free(label);
    }
    cairo_show_page(s->cr);
    s->status = cairo_status(s->cr);
}

static gboolean
pdf_read_fd(void *source, guint64 offset, gsize len, char *buf)
{
    int fd = *(const int *)source;
    while (len > 0) {
        ssize_t n = pread(fd, buf, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        buf += n;
        len -= (gsize)n;
        offset += (guint64)n;
    }
    return TRUE;
}

/* Copy the spool to the output. */
static gboolean
pdf_unspool(PdfOut *s)
{
    char chunk[65536];
    size_t n;
    rewind(s->spool);
    while ((n = fread(chunk, 1, sizeof chunk, s->spool)) > 0)
        if (atomic_write_cb(s->out, (const unsigned char *)chunk, (unsigned int)n) !=
            CAIRO_STATUS_SUCCESS)
            return FALSE;
    return !ferror(s->spool);
}

/* The incremental update (render/pdfupdate.h) of the file cairo wrote, read back from the
 * temporary file or the spool, into `update`; FALSE with `error` saying why not. */
static gboolean
pdf_make_update(PdfOut *s, GString *update, GError **error)
{
    if (s->unspooled != NULL) {
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, s->unspooled);
        return FALSE;
    }
    FILE *written = s->spool != NULL ? s->spool : s->out->file;
    int fd = -1;
    if (fflush(written) == 0)
        fd = s->spool != NULL ? dup(fileno(s->spool))
                              : open(s->out->tmp_path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || (guint64)st.st_size != s->total) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "cannot read the PDF back: %s",
                       fd < 0 ? g_strerror(errno) : "its size is not what was written");
        if (fd >= 0)
            close(fd);
        return FALSE;
    }
    PdfSource src = {pdf_read_fd, &fd, s->total};
    PdfUpdate what = {PDF_CATALOG_EXTRA, (const char *const *)s->alts->pdata, s->alts->len,
                      DRAW_FURNITURE};
    gboolean ok = pdf_update_write(&src, &what, update, error);
    close(fd);
    return ok;
}

/* Complete a tagged PDF: the spool copied to the output, then the update appended; when the
 * update cannot be made, a warning (on the Pages' list) and the PDF as cairo wrote it. */
static cairo_status_t
pdf_finish_tagged(PdfOut *s, const Pages *pages)
{
    GString *update = g_string_new(NULL);
    GError *why = NULL;
    if (!pdf_make_update(s, update, &why)) {
        diag_add(pages->warnings, DIAG_WARNING, (DiagAt){s->out->path, 0, 0},
                 "the PDF is written without its language (/Lang), the figures' "
                 "alternative text and its artifacts: %s", why->message);
        g_error_free(why);
        g_string_truncate(update, 0);
    }
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    if (s->spool != NULL && !pdf_unspool(s))
        status = CAIRO_STATUS_WRITE_ERROR;
    if (status == CAIRO_STATUS_SUCCESS && update->len > 0)
        status = atomic_write_cb(s->out, (const unsigned char *)update->str,
                                 (unsigned int)update->len);
    g_string_free(update, TRUE);
    return status;
}

static gboolean
pdf_end(void *data, const Pages *pages, GError **error)
{
    PdfOut *s = data;
    if (pages != NULL) {
        pdf_metadata(s->surface, &pages->meta);
        pdf_outline(s->surface, pages, s->first, s->first + s->count);
    }
    if (s->tagged && s->count > 0) {
        draw_tags_end(s->cr, &s->tags);
        cairo_tag_end(s->cr, "Document");
    }
    cairo_destroy(s->cr);
    cairo_surface_finish(s->surface);
    cairo_status_t status = s->status;
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status(s->surface);
    cairo_surface_destroy(s->surface);
    if (s->tagged && status == CAIRO_STATUS_SUCCESS && pages != NULL)
        status = pdf_finish_tagged(s, pages);
    if (s->spool != NULL)
        fclose(s->spool);
    if (s->alts != NULL)
        g_ptr_array_free(s->alts, TRUE);
    g_free(s->unspooled);
    gboolean ok = FALSE;
    if (pages != NULL && status != CAIRO_STATUS_SUCCESS)
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){s->out->path, 0, 0},
                       "cannot write the PDF: %s",
                       s->out->write_errno != 0 ? g_strerror(s->out->write_errno)
                                                : cairo_status_to_string(status));
    if (s->out != &s->own) /* the caller's: it commits or aborts */
        ok = pages != NULL && status == CAIRO_STATUS_SUCCESS;
    else if (pages == NULL || status != CAIRO_STATUS_SUCCESS)
        atomic_abort(&s->own);
    else
        ok = atomic_commit(&s->own, error);
    g_free(s);
    return ok;
}

const Backend backend_pdf = {"pdf", TRUE, FALSE, pdf_begin, pdf_page, pdf_end};

gboolean
pdf_subsetting(void)
{
    return g_getenv("GONGWEN_NO_SUBSET") == NULL;
}

const Backend *
backend_for(const char *path)
{
    if (g_str_has_suffix(path, ".png") || g_str_has_suffix(path, ".PNG"))
        return &backend_png;
    if (g_str_has_suffix(path, ".svg") || g_str_has_suffix(path, ".SVG"))
        return &backend_svg;
    if (g_str_has_suffix(path, ".ofd") || g_str_has_suffix(path, ".OFD"))
        return &backend_ofd;
    return &backend_pdf;
}

gboolean
backend_write(const Backend *backend, const Pages *pages, size_t first, size_t last,
              const char *path, double dpi, GError **error)
{
    g_return_val_if_fail(first < last && last <= pages_count(pages), FALSE);
    BackendParams params = {NULL, dpi, NULL, NULL};
    if (backend->subsets && pdf_subsetting()) {
        params.subsets = font_subsets_begin();
        for (size_t p = first; p < last; p++)
            font_subsets_collect(pages, pages_get(pages, p), params.subsets);
        font_subsets_finish(params.subsets);
    }
    void *out = backend->begin(path, &params, error);
    gboolean ok = out != NULL;
    if (ok) {
        for (size_t p = first; p < last; p++)
            backend->page(pages, pages_get(pages, p), out);
        ok = backend->end(out, pages, error);
    }
    font_subsets_free(params.subsets);
    return ok;
}
