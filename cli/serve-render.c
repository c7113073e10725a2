/* gongwen serve: renders in a worker process.
 *
 * Each render is a fork of the server, which loaded the fonts once: the worker reads the
 * report with the editor's text standing in for the files being edited (files_set_overlay),
 * lays it out and writes back, on a pipe, the pages' text with the source line of each run
 * (JSON) and the SVG of each page the server does not have yet (pages are named by a digest
 * of their display list, so a keystroke redraws only the pages it changed). A worker that
 * takes longer than the timeout is killed; the server is never blocked by a layout, and a
 * crash in one costs only that render. One worker at a time; a render waiting for its turn
 * is replaced by a newer one of the same report (the latest text wins).
 */
#define _GNU_SOURCE /* pipe2 */
#include "serve.h"

#include "cli.h"
#include "diag.h"
#include "files.h"
#include "hygiene.h"
#include "figure.h"
#include "render.h"
#include "rules.h"

#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define KEEP_GENERATIONS 3 /* a page's SVG is kept while one of the last renders shows it */

struct Renderer {
    Fonts *fonts;
    double timeout;
    GQueue waiting;    /* ServeJob*, in order */
    ServeJob *running;
    pid_t pid;
    int fd;            /* the worker's pipe, read end */
    guint fd_watch, timer;
    GByteArray *out;   /* what the worker wrote */
    char *tmpdir;      /* EXPORT: where the worker writes the file */
    GHashTable *pages; /* digest -> GBytes: SVG */
    GHashTable *used;  /* digest -> the generation that last showed it (GUINT_TO_POINTER) */
    guint generation;
};

void
serve_job_free(ServeJob *job)
{
    if (job == NULL)
        return;
    g_free(job->report);
    if (job->overlay != NULL)
        g_hash_table_unref(job->overlay);
    g_free(job->format);
    if (job->msg != NULL)
        g_object_unref(job->msg);
    g_free(job);
}

/* ---- JSON --------------------------------------------------------------------------------- */

void
json_append_string(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const char *p = s != NULL ? s : ""; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", c);
        else if (c == '\n')
            g_string_append(out, "\\n");
        else if (c < 0x20 || c == 0x7F)
            g_string_append_printf(out, "\\u%04x", c);
        else if (c == '<') /* never "</script>" or "<!--" in anything shown */
            g_string_append(out, "\\u003c");
        else
            g_string_append_c(out, (char)c);
    }
    g_string_append_c(out, '"');
}

/* The name a file of the report is shown by: relative to the report's folder when inside. */
static char *
shown_name(const char *report, const char *file)
{
    if (file == NULL)
        return g_strdup("");
    char *abs = g_canonicalize_filename(file, NULL);
    char *name = NULL;
    size_t n = strlen(report);
    if (strncmp(abs, report, n) == 0 && abs[n] == '/')
        name = g_strdup(abs + n + 1);
    g_free(abs);
    return name != NULL ? name : g_strdup(file);
}

static void
append_diag(GString *out, const char *report, const Diag *d)
{
    char *name = shown_name(report, d->file), *text = diag_format(d);
    /* the report's own files by their names, as the editor's tabs show them */
    char *folder = g_strconcat(report, "/", NULL);
    GString *message = g_string_new(d->message);
    g_string_replace(message, folder, "", 0);
    GString *line = g_string_new(text);
    g_string_replace(line, folder, "", 0);
    g_free(folder);
    g_string_append(out, "{\"severity\":");
    json_append_string(out, d->severity == DIAG_ERROR ? "error" : "warning");
    g_string_append(out, ",\"file\":");
    json_append_string(out, name);
    g_string_append_printf(out, ",\"line\":%d,\"col\":%d,\"message\":", d->line, d->col);
    json_append_string(out, message->str);
    g_string_append(out, ",\"text\":");
    json_append_string(out, line->str);
    g_string_append_c(out, '}');
    g_string_free(line, TRUE);
    g_string_free(message, TRUE);
    g_free(name);
    g_free(text);
}

/* ---- the worker --------------------------------------------------------------------------- */

static void
checksum_int(GChecksum *sum, gint64 v)
{
    g_checksum_update(sum, (const guchar *)&v, sizeof v);
}

static void
digest_glyphs(GChecksum *sum, const PageItem *item)
{
    const PangoGlyphItem *run = item->run;
    PangoFontDescription *desc = pango_font_describe(run->item->analysis.font);
    char *font = pango_font_description_to_string(desc);
    g_checksum_update(sum, (const guchar *)font, (gssize)strlen(font) + 1);
    g_free(font);
    pango_font_description_free(desc);
    checksum_int(sum, run->glyphs->num_glyphs);
    for (int g = 0; g < run->glyphs->num_glyphs; g++) {
        const PangoGlyphInfo *info = &run->glyphs->glyphs[g];
        checksum_int(sum, info->glyph);
        checksum_int(sum, info->geometry.width);
        checksum_int(sum, info->geometry.x_offset);
        checksum_int(sum, info->geometry.y_offset);
    }
    g_checksum_update(sum, (const guchar *)item->text + run->item->offset, run->item->length);
    checksum_int(sum, (gint64)(item->scale_x * 1000));
    checksum_int(sum, item->quarter_turns);
    checksum_int(sum, item->embolden);
    gint64 clip[] = {item->clip_x, item->clip_y, item->clip_w, item->clip_h};
    for (size_t k = 0; k < G_N_ELEMENTS(clip); k++)
        checksum_int(sum, clip[k]);
}

/* What a page looks like, in 40 hex digits: everything draw_page reads of it. */
static char *
page_digest(const Page *page)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
    gint64 head[] = {page->width, page->height, page->landscape, page->number, page->numbered};
    for (size_t k = 0; k < G_N_ELEMENTS(head); k++)
        checksum_int(sum, head[k]);
    for (guint i = 0; i < page->items->len; i++) {
        const PageItem *item = &g_array_index(page->items, PageItem, i);
        gint64 v[] = {item->kind, item->x, item->y, item->w, item->h, item->line, item->color};
        for (size_t k = 0; k < G_N_ELEMENTS(v); k++)
            checksum_int(sum, v[k]);
        if (item->kind == PAGE_ITEM_GLYPHS && item->run != NULL) {
            digest_glyphs(sum, item);
        } else if (item->kind == PAGE_ITEM_SHAPE && item->shape != NULL) {
            const PageShape *s = item->shape;
            gint64 w[] = {s->kind, s->fill, s->stroke, s->line, s->hatch, (gint64)s->n_points};
            for (size_t k = 0; k < G_N_ELEMENTS(w); k++)
                checksum_int(sum, w[k]);
            for (size_t k = 0; k < s->n_points; k++)
                checksum_int(sum, s->points[k]);
        } else if (item->kind == PAGE_ITEM_IMAGE && item->image != NULL) {
            gsize n = 0;
            const guchar *data = g_bytes_get_data(((const FigureImage *)item->image)->data, &n);
            if (data != NULL)
                g_checksum_update(sum, data, (gssize)n);
        }
    }
    char *digest = g_strdup(g_checksum_get_string(sum));
    g_checksum_free(sum);
    return digest;
}

static cairo_status_t
append_bytes(void *closure, const unsigned char *data, unsigned int length)
{
    g_byte_array_append(closure, data, length);
    return CAIRO_STATUS_SUCCESS;
}

/* The page drawn on white as SVG (points). */
static GByteArray *
page_svg(const Page *page)
{
    GByteArray *svg = g_byte_array_new();
    double w = page->width / (double)PANGO_SCALE, h = page->height / (double)PANGO_SCALE;
    cairo_surface_t *surface = cairo_svg_surface_create_for_stream(append_bytes, svg, w, h);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    draw_page(cr, page);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    return svg;
}

/* One run of text: [x, top, width, size, file, line, text, quarter turns], in points from
 * the page's top left; `file` an index into the result's files. */
static void
append_run(GString *out, const PageItem *item, int file, int line)
{
    const PangoGlyphItem *run = item->run;
    PangoFontDescription *desc = pango_font_describe_with_absolute_size(run->item->analysis.font);
    double size = pango_font_description_get_size(desc) / (double)PANGO_SCALE;
    pango_font_description_free(desc);
    double scale = item->scale_x > 0 ? item->scale_x : 1.0;
    double width = pango_glyph_string_get_width(run->glyphs) / (double)PANGO_SCALE * scale;
    double x = item->x / (double)PANGO_SCALE, top = item->y / (double)PANGO_SCALE - size * 0.88;
    char *text = g_strndup(item->text + run->item->offset, (gsize)run->item->length);
    g_string_append_printf(out, "[%.2f,%.2f,%.2f,%.2f,%d,%d,", x, top, width, size, file, line);
    json_append_string(out, text);
    g_string_append_printf(out, ",%d]", item->quarter_turns);
    g_free(text);
}

/* The index of `name` in `files` (added when new). */
static int
file_index(GPtrArray *files, const char *name)
{
    for (guint k = 0; k < files->len; k++)
        if (g_str_equal(g_ptr_array_index(files, k), name))
            return (int)k;
    g_ptr_array_add(files, g_strdup(name));
    return (int)files->len - 1;
}

static void
append_page(GString *out, const char *report, const Doc *doc, const Page *page,
            const char *digest, GPtrArray *files)
{
    g_string_append_printf(out, "{\"w\":%.2f,\"h\":%.2f,\"number\":%d,\"numbered\":%s,\"svg\":",
                           page->width / (double)PANGO_SCALE, page->height / (double)PANGO_SCALE,
                           page->number, page->numbered ? "true" : "false");
    json_append_string(out, digest);
    g_string_append(out, ",\"runs\":[");
    gboolean first = TRUE;
    for (guint i = 0; i < page->items->len; i++) {
        const PageItem *item = &g_array_index(page->items, PageItem, i);
        if (item->kind != PAGE_ITEM_GLYPHS || item->run == NULL)
            continue;
        int file = -1, line = 0;
        if (item->block < doc->n_blocks) {
            const DocLoc *loc = &doc->blocks[item->block].loc;
            char *name = shown_name(report, loc->file);
            file = file_index(files, name);
            line = loc->line;
            g_free(name);
        }
        if (!first)
            g_string_append_c(out, ',');
        first = FALSE;
        append_run(out, item, file, line);
    }
    g_string_append(out, "]}");
}

static gboolean
write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FALSE;
        p += n;
        len -= (size_t)n;
    }
    return TRUE;
}

/* A frame on the pipe: "NAME LENGTH\n" and the bytes. */
static gboolean
write_frame(int fd, const char *name, const void *data, size_t len)
{
    char head[128];
    int n = snprintf(head, sizeof head, "%s %zu\n", name, len);
    return write_all(fd, head, (size_t)n) && write_all(fd, data, len);
}

static void
worker_render(Renderer *r, const ServeJob *job, int fd)
{
    gint64 start = g_get_monotonic_time();
    Report rep;
    GError *error = NULL;
    ReportOptions ro = {NULL, NULL, NULL, r->fonts, TRUE, FALSE};
    gboolean ok = report_load(&rep, job->report, &ro, &error);
    if (ok) {
        rules_check(rep.doc, rep.diags);
        GError *hygiene = NULL;
        if (!hygiene_check(rep.doc, NULL, rep.diags, &hygiene))
            g_clear_error(&hygiene);
    }
    GString *meta = g_string_new("{\"ok\":");
    g_string_append(meta, ok ? "true" : "false");
    GString *digests = g_string_new(NULL);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    gboolean wrote = TRUE;
    if (ok) {
        g_string_append(meta, ",\"pages\":[");
        for (size_t p = 0; p < pages_count(rep.pages) && wrote; p++) {
            const Page *page = pages_get(rep.pages, p);
            char *digest = page_digest(page);
            if (!g_hash_table_contains(r->pages, digest)) {
                GByteArray *svg = page_svg(page);
                wrote = write_frame(fd, digest, svg->data, svg->len);
                g_byte_array_unref(svg);
            }
            g_string_append_printf(digests, "%s\n", digest);
            if (p > 0)
                g_string_append_c(meta, ',');
            append_page(meta, job->report, rep.doc, page, digest, files);
            g_free(digest);
        }
        g_string_append(meta, "]");
    } else {
        const Diag *d = diag_from_error(error);
        g_string_append(meta, ",\"error\":");
        if (d != NULL) {
            append_diag(meta, job->report, d);
        } else {
            g_string_append(meta, "{\"severity\":\"error\",\"message\":");
            json_append_string(meta, error->message);
            g_string_append(meta, ",\"text\":");
            json_append_string(meta, error->message);
            g_string_append(meta, "}");
        }
        g_error_free(error);
    }
    g_string_append(meta, ",\"files\":[");
    for (guint k = 0; k < files->len; k++) {
        if (k > 0)
            g_string_append_c(meta, ',');
        json_append_string(meta, g_ptr_array_index(files, k));
    }
    g_string_append(meta, "],\"diags\":[");
    for (guint k = 0; k < rep.diags->len; k++) {
        if (k > 0)
            g_string_append_c(meta, ',');
        append_diag(meta, job->report, g_ptr_array_index(rep.diags, k));
    }
    g_string_append_printf(meta, "],\"ms\":%" G_GINT64_FORMAT "}",
                           (g_get_monotonic_time() - start) / 1000);
    if (wrote && write_frame(fd, "pages", digests->str, digests->len))
        write_frame(fd, "meta", meta->str, meta->len);
    g_ptr_array_free(files, TRUE);
    g_string_free(digests, TRUE);
    g_string_free(meta, TRUE);
    report_clear(&rep);
}

/* The PDF or OFD, as `gongwen render` writes it; its messages go to the pipe. */
static int
worker_export(const Renderer *r, const ServeJob *job, int fd)
{
    dup2(fd, STDERR_FILENO);
    char *args[] = {job->report, NULL};
    char *output = g_build_filename(r->tmpdir, g_str_equal(job->format, "ofd") ? "out.ofd"
                                                                               : "out.pdf", NULL);
    Options o = {0};
    o.command = "render";
    o.args = args;
    o.n_args = 1;
    o.output = output;
    o.format = job->format;
    o.quiet = TRUE;
    o.dpi = 96;
    o.jobs = 1;
    return cmd_render(&o);
}

static void G_GNUC_NORETURN
worker_main(Renderer *r, const ServeJob *job, int fd, pid_t parent)
{
    /* the server's handlers are not ours: a signal ends the worker */
    const int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE};
    for (size_t k = 0; k < G_N_ELEMENTS(signals); k++)
        signal(signals[k], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    files_set_overlay(job->overlay);
    int status = 0;
    if (job->kind == SERVE_JOB_RENDER)
        worker_render(r, job, fd);
    else
        status = worker_export(r, job, fd);
    _exit(status);
}

/* ---- the server's side -------------------------------------------------------------------- */

static void start_next(Renderer *r);

static void
reply_bytes(SoupServerMessage *msg, const char *type, GBytes *bytes, const char *filename)
{
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    if (filename != NULL) {
        char *escaped = g_uri_escape_string(filename, NULL, FALSE);
        char *value = g_strdup_printf("attachment; filename=\"report%s\"; filename*=UTF-8''%s",
                                      strrchr(filename, '.'), escaped);
        soup_message_headers_replace(h, "Content-Disposition", value);
        g_free(value);
        g_free(escaped);
    }
    soup_server_message_set_status(msg, 200, NULL);
    soup_server_message_set_response(msg, type, SOUP_MEMORY_COPY, g_bytes_get_data(bytes, NULL),
                                     g_bytes_get_size(bytes));
}

/* Read the worker's frames into the page cache; the meta JSON (owned), or NULL when what it
 * wrote is not complete. */
static char *
take_frames(Renderer *r, GPtrArray *shown)
{
    const char *p = (const char *)r->out->data, *end = p + r->out->len;
    char *meta = NULL;
    while (p < end && meta == NULL) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *space = nl != NULL ? memchr(p, ' ', (size_t)(nl - p)) : NULL;
        if (space == NULL)
            return NULL;
        char *name = g_strndup(p, (gsize)(space - p));
        guint64 len = g_ascii_strtoull(space + 1, NULL, 10);
        p = nl + 1;
        if (len > (guint64)(end - p)) {
            g_free(name);
            return NULL;
        }
        if (g_str_equal(name, "meta")) {
            meta = g_strndup(p, (gsize)len);
        } else if (g_str_equal(name, "pages")) {
            char *list = g_strndup(p, (gsize)len);
            char **lines = g_strsplit(list, "\n", -1);
            for (char **l = lines; *l != NULL; l++)
                if (**l != '\0')
                    g_ptr_array_add(shown, g_strdup(*l));
            g_strfreev(lines);
            g_free(list);
        } else {
            g_hash_table_replace(r->pages, g_strdup(name), g_bytes_new(p, (gsize)len));
        }
        g_free(name);
        p += len;
    }
    return meta;
}

/* Forget the pages no recent render showed. */
static void
prune_pages(Renderer *r, GPtrArray *shown)
{
    r->generation++;
    for (guint k = 0; k < shown->len; k++)
        g_hash_table_replace(r->used, g_strdup(g_ptr_array_index(shown, k)),
                             GUINT_TO_POINTER(r->generation));
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, r->pages);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        guint last = GPOINTER_TO_UINT(g_hash_table_lookup(r->used, key));
        if (last + KEEP_GENERATIONS < r->generation) {
            g_hash_table_remove(r->used, key);
            g_hash_table_iter_remove(&it);
        }
    }
}

static void
finish_render(Renderer *r, ServeJob *job, gboolean timed_out, int status)
{
    if (timed_out) {
        GString *json = g_string_new(NULL);
        g_string_append_printf(json, "{\"ok\":false,\"timeout\":true,\"error\":{\"severity\":"
                               "\"error\",\"message\":\"排版超过 %g 秒，已取消\",\"text\":"
                               "\"排版超过 %g 秒，已取消\"},\"diags\":[]}", r->timeout, r->timeout);
        serve_reply_json(job->msg, 200, json);
        return;
    }
    GPtrArray *shown = g_ptr_array_new_with_free_func(g_free);
    char *meta = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? take_frames(r, shown) : NULL;
    if (meta == NULL) {
        serve_reply_error(job->msg, 500, "排版进程意外结束（gongwen 的错误，请报告）");
    } else {
        prune_pages(r, shown);
        serve_reply_json(job->msg, 200, g_string_new(meta));
        g_free(meta);
    }
    g_ptr_array_free(shown, TRUE);
}

static void
finish_export(Renderer *r, ServeJob *job, gboolean timed_out, int status)
{
    gboolean ofd = g_str_equal(job->format, "ofd");
    char *path = g_build_filename(r->tmpdir, ofd ? "out.ofd" : "out.pdf", NULL);
    char *data = NULL;
    gsize len = 0;
    if (timed_out) {
        char *message = g_strdup_printf("导出超过 %g 秒，已取消", r->timeout);
        serve_reply_error(job->msg, 503, message);
        g_free(message);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
               g_file_get_contents(path, &data, &len, NULL)) {
        GBytes *bytes = g_bytes_new_take(data, len);
        char *base = g_path_get_basename(job->report);
        char *name = g_strconcat(base, ofd ? ".ofd" : ".pdf", NULL);
        reply_bytes(job->msg, ofd ? "application/ofd" : "application/pdf", bytes, name);
        g_free(name);
        g_free(base);
        g_bytes_unref(bytes);
    } else {
        char *text = g_strndup((const char *)r->out->data, r->out->len);
        serve_reply_error(job->msg, 422, *text != '\0' ? text : "导出失败");
        g_free(text);
    }
    g_unlink(path);
    g_free(path);
}

/* The worker is done (or `timed_out`): answer its message and start the next. */
static void
finish(Renderer *r, gboolean timed_out)
{
    if (r->fd_watch != 0)
        g_source_remove(r->fd_watch);
    if (r->timer != 0)
        g_source_remove(r->timer);
    r->fd_watch = r->timer = 0;
    close(r->fd);
    r->fd = -1;
    if (timed_out)
        kill(r->pid, SIGKILL);
    int status = 0;
    while (waitpid(r->pid, &status, 0) < 0 && errno == EINTR)
        ;
    r->pid = 0;
    ServeJob *job = r->running;
    r->running = NULL;
    if (job->kind == SERVE_JOB_RENDER)
        finish_render(r, job, timed_out, status);
    else
        finish_export(r, job, timed_out, status);
    soup_server_message_unpause(job->msg);
    if (r->tmpdir != NULL) { /* ours alone: what a killed worker left is removed too */
        GDir *dir = g_dir_open(r->tmpdir, 0, NULL);
        for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;) {
            char *path = g_build_filename(r->tmpdir, name, NULL);
            g_unlink(path);
            g_free(path);
        }
        if (dir != NULL)
            g_dir_close(dir);
        g_rmdir(r->tmpdir);
        g_clear_pointer(&r->tmpdir, g_free);
    }
    g_byte_array_set_size(r->out, 0);
    serve_job_free(job);
    start_next(r);
}

static gboolean
on_output(int fd, GIOCondition condition, gpointer data)
{
    Renderer *r = data;
    (void)condition;
    guint8 buffer[65536];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n > 0) {
            g_byte_array_append(r->out, buffer, (guint)n);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return G_SOURCE_CONTINUE;
        break; /* the end, or an error: the worker is done */
    }
    r->fd_watch = 0;
    finish(r, FALSE);
    return G_SOURCE_REMOVE;
}

static gboolean
on_timeout(gpointer data)
{
    Renderer *r = data;
    r->timer = 0;
    finish(r, TRUE);
    return G_SOURCE_REMOVE;
}

static void
start_next(Renderer *r)
{
    if (r->running != NULL || g_queue_is_empty(&r->waiting))
        return;
    ServeJob *job = g_queue_pop_head(&r->waiting);
    int fds[2];
    GError *error = NULL;
    if (job->kind == SERVE_JOB_EXPORT)
        r->tmpdir = g_dir_make_tmp("gongwen-serve-XXXXXX", &error);
    if (error != NULL || pipe2(fds, O_CLOEXEC) != 0) {
        serve_reply_error(job->msg, 500, error != NULL ? error->message : g_strerror(errno));
        soup_server_message_unpause(job->msg);
        g_clear_error(&error);
        if (r->tmpdir != NULL)
            g_rmdir(r->tmpdir);
        g_clear_pointer(&r->tmpdir, g_free);
        serve_job_free(job);
        start_next(r);
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        worker_main(r, job, fds[1], parent);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        serve_reply_error(job->msg, 500, g_strerror(errno));
        soup_server_message_unpause(job->msg);
        serve_job_free(job);
        if (r->tmpdir != NULL)
            g_rmdir(r->tmpdir);
        g_clear_pointer(&r->tmpdir, g_free);
        start_next(r);
        return;
    }
    job->started = g_get_monotonic_time();
    r->running = job;
    r->pid = pid;
    r->fd = fds[0];
    g_unix_set_fd_nonblocking(r->fd, TRUE, NULL);
    r->fd_watch = g_unix_fd_add(r->fd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_output, r);
    r->timer = g_timeout_add((guint)(r->timeout * 1000), on_timeout, r);
}

Renderer *
renderer_new(Fonts *fonts, double timeout)
{
    Renderer *r = g_new0(Renderer, 1);
    r->fonts = fonts;
    r->timeout = timeout;
    g_queue_init(&r->waiting);
    r->fd = -1;
    r->out = g_byte_array_new();
    r->pages = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)g_bytes_unref);
    r->used = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return r;
}

static void
supersede(ServeJob *job)
{
    GString *json = g_string_new("{\"superseded\":true}");
    serve_reply_json(job->msg, 200, json);
    soup_server_message_unpause(job->msg);
    serve_job_free(job);
}

void
renderer_submit(Renderer *r, ServeJob *job)
{
    if (job->kind == SERVE_JOB_RENDER) {
        for (GList *l = r->waiting.head; l != NULL;) {
            GList *next = l->next;
            ServeJob *old = l->data;
            if (old->kind == SERVE_JOB_RENDER && g_str_equal(old->report, job->report)) {
                g_queue_delete_link(&r->waiting, l);
                supersede(old);
            }
            l = next;
        }
    }
    soup_server_message_pause(job->msg);
    g_queue_push_tail(&r->waiting, job);
    start_next(r);
}

GBytes *
renderer_lookup_page(Renderer *r, const char *digest)
{
    return g_hash_table_lookup(r->pages, digest);
}

void
renderer_free(Renderer *r)
{
    if (r == NULL)
        return;
    if (r->running != NULL) {
        g_queue_clear_full(&r->waiting, (GDestroyNotify)supersede);
        finish(r, TRUE);
    }
    g_queue_clear_full(&r->waiting, (GDestroyNotify)supersede);
    g_byte_array_unref(r->out);
    g_hash_table_destroy(r->pages);
    g_hash_table_destroy(r->used);
    g_free(r);
}
