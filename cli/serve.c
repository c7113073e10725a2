/* gongwen serve [DIR] [--port N]: the workbench, a web page served on this machine only.
 *
 * The page (cli/web/, compiled in as GResources) edits a report's report.txt and data files
 * and shows its pages as gongwen draws them; renders run in worker processes
 * (cli/serve-render.c). What a local server must refuse, it refuses here, before anything
 * is read or written:
 *   - a Host other than this server's own address (127.0.0.1, localhost, [::1], or the
 *     --host given, with its port): a page elsewhere that renames itself to 127.0.0.1 by
 *     DNS (rebinding) is refused;
 *   - a POST (every request that renders, writes or creates) without an Origin of the page
 *     itself and the token made for this run, which only the page served here knows;
 *   - a body over 16 MiB, or one of unknown length;
 *   - any report or file outside the served folder: names of one component, no “..”, and
 *     every file opened through the opener every other input uses (layout/files.c: regular
 *     files only, links resolved and checked to stay inside).
 */
#define _GNU_SOURCE /* realpath, getrandom */
#include "serve.h"

#include "cli.h"
#include "error.h"
#include "files.h"
#include "gongwen-config.h"
#include "render.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESOURCE_PREFIX "/org/gongwen/web/"
#define DEFAULT_TIMEOUT 30.0 /* seconds a render may take */

typedef struct {
    char *root;        /* the served folder, absolute, links resolved */
    gboolean single;   /* the folder is itself a report: only it is served */
    char *host;        /* the address listened on */
    guint port;
    char *token;       /* per run: every POST carries it */
    char **hosts;      /* the Host values accepted ("127.0.0.1:PORT", …) */
    SoupServer *server;
    GMainLoop *loop;
    Fonts *fonts;
    Renderer *renderer;
} Serve;

/* ---- answers ------------------------------------------------------------------------------ */

void
serve_reply_json(SoupServerMessage *msg, guint status, GString *json)
{
    soup_server_message_set_status(msg, status, NULL);
    gsize len = json->len;
    char *body = g_string_free(json, FALSE);
    soup_server_message_set_response(msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                     body, len);
}

void
serve_reply_error(SoupServerMessage *msg, guint status, const char *message)
{
    GString *json = g_string_new("{\"error\":");
    json_append_string(json, message);
    g_string_append_c(json, '}');
    serve_reply_json(msg, status, json);
}

/* A connection refused: what the client still sends is read and dropped for a moment (so
 * that closing at once does not reset the connection before the answer is read), never
 * more than a second or 16 MiB of it, then it is closed. */
typedef struct {
    GIOStream *stream;
    GCancellable *cancel;
    guint timer;
    gsize dropped;
    guint8 buffer[65536];
} Drain;

static void
drain_end(Drain *d)
{
    if (d->timer != 0)
        g_source_remove(d->timer);
    g_io_stream_close(d->stream, NULL, NULL);
    g_object_unref(d->stream);
    g_object_unref(d->cancel);
    g_free(d);
}

static void
drain_read(GObject *source, GAsyncResult *result, gpointer data)
{
    Drain *d = data;
    gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, NULL);
    if (n <= 0 || g_cancellable_is_cancelled(d->cancel) || (d->dropped += (gsize)n) > SERVE_MAX_BODY) {
        drain_end(d);
        return;
    }
    g_input_stream_read_async(G_INPUT_STREAM(source), d->buffer, sizeof d->buffer,
                              G_PRIORITY_DEFAULT, d->cancel, drain_read, d);
}

static gboolean
drain_timeout(gpointer data)
{
    Drain *d = data;
    d->timer = 0;
    g_cancellable_cancel(d->cancel);
    return G_SOURCE_REMOVE;
}

/* Refused before its body is read: the answer is written on the connection taken from
 * libsoup, which would otherwise read the whole body first, and the connection closed. */
static void
refuse(SoupServerMessage *msg, guint status, const char *message)
{
    GString *json = g_string_new("{\"error\":");
    json_append_string(json, message);
    g_string_append_c(json, '}');
    char *head = g_strdup_printf("HTTP/1.1 %u %s\r\nServer: gongwen\r\nConnection: close\r\n"
                                 "Content-Type: application/json; charset=utf-8\r\n"
                                 "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n"
                                 "Content-Length: %zu\r\n\r\n",
                                 status, soup_status_get_phrase(status), json->len);
    GIOStream *stream = soup_server_message_steal_connection(msg);
    GOutputStream *out = g_io_stream_get_output_stream(stream);
    gboolean ok = g_output_stream_write_all(out, head, strlen(head), NULL, NULL, NULL) &&
                  g_output_stream_write_all(out, json->str, json->len, NULL, NULL, NULL) &&
                  g_output_stream_flush(out, NULL, NULL);
    g_free(head);
    g_string_free(json, TRUE);
    if (ok && G_IS_SOCKET_CONNECTION(stream))
        g_socket_shutdown(g_socket_connection_get_socket(G_SOCKET_CONNECTION(stream)), FALSE,
                          TRUE, NULL);
    SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
    if (soup_message_headers_get_encoding(h) == SOUP_ENCODING_NONE ||
        (soup_message_headers_get_encoding(h) == SOUP_ENCODING_CONTENT_LENGTH &&
         soup_message_headers_get_content_length(h) == 0)) {
        g_io_stream_close(stream, NULL, NULL); /* nothing more is coming */
        g_object_unref(stream);
        return;
    }
    Drain *d = g_new0(Drain, 1);
    d->stream = stream;
    d->cancel = g_cancellable_new();
    d->timer = g_timeout_add(1000, drain_timeout, d);
    g_input_stream_read_async(g_io_stream_get_input_stream(stream), d->buffer, sizeof d->buffer,
                              G_PRIORITY_DEFAULT, d->cancel, drain_read, d);
}

/* ---- the checks of every request ---------------------------------------------------------- */

static gboolean
host_ok(const Serve *s, SoupServerMessage *msg)
{
    const char *host =
        soup_message_headers_get_one(soup_server_message_get_request_headers(msg), "Host");
    for (char **h = s->hosts; host != NULL && *h != NULL; h++)
        if (g_ascii_strcasecmp(host, *h) == 0)
            return TRUE;
    return FALSE;
}

/* The same bytes, compared in a time that does not depend on where they differ. */
static gboolean
same_secret(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (b == NULL || strlen(b) != n)
        return FALSE;
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* A write: from the page itself (its Origin is this server's address as the Host names it)
 * and with this run's token. NULL when fine, else why not. */
static const char *
write_refused(const Serve *s, SoupServerMessage *msg)
{
    SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
    const char *origin = soup_message_headers_get_one(h, "Origin");
    const char *host = soup_message_headers_get_one(h, "Host");
    char *expected = g_strdup_printf("http://%s", host != NULL ? host : "");
    gboolean origin_ok = origin != NULL && g_ascii_strcasecmp(origin, expected) == 0;
    g_free(expected);
    if (!origin_ok)
        return "请求不是来自本工作台的页面（Origin 不符）";
    if (!same_secret(s->token, soup_message_headers_get_one(h, "X-Gongwen-Token")))
        return "请求没有本次运行的令牌（X-Gongwen-Token）";
    return NULL;
}

/* After the headers, before the body: the Host, then for a POST its origin, token and
 * length. */
static void
early_handler(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer data)
{
    Serve *s = data;
    (void)server, (void)path, (void)query;
    if (!host_ok(s, msg)) {
        refuse(msg, 403, "Host 不是本机地址（防 DNS 重绑定）");
        return;
    }
    const char *method = soup_server_message_get_method(msg);
    gboolean read = g_str_equal(method, "GET") || g_str_equal(method, "HEAD");
    if (!read && !g_str_equal(method, "POST")) {
        refuse(msg, 405, "只接受 GET 和 POST");
        return;
    }
    const char *why = read ? NULL : write_refused(s, msg);
    if (why != NULL) {
        refuse(msg, 403, why);
        return;
    }
    SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
    SoupEncoding encoding = soup_message_headers_get_encoding(h);
    if (encoding == SOUP_ENCODING_NONE && read)
        return;
    if (encoding != SOUP_ENCODING_CONTENT_LENGTH)
        refuse(msg, 411, "请求需要 Content-Length");
    else if (soup_message_headers_get_content_length(h) > SERVE_MAX_BODY)
        refuse(msg, 413, "请求超过 16 MiB");
}

/* ---- names inside the served folder ------------------------------------------------------- */

/* A report's folder named relative to the served one ("" for the folder itself): checked
 * on its face, then resolved (links too) and checked to lie inside, with a report.txt that
 * the opener of every input accepts. Absolute, owned; NULL with `error` set. */
static char *
resolve_report(const Serve *s, const char *rel, GError **error)
{
    if (rel == NULL)
        rel = "";
    if (!g_utf8_validate(rel, -1, NULL) || !files_check_name(rel, error)) {
        g_clear_error(error);
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT, "报告路径不在所服务的文件夹内");
        return NULL;
    }
    if (s->single && *rel != '\0') {
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT, "只服务一个报告");
        return NULL;
    }
    char *full = g_build_filename(s->root, rel, NULL);
    char *real = realpath(full, NULL);
    g_free(full);
    size_t n = strlen(s->root);
    if (real == NULL || strncmp(real, s->root, n) != 0 ||
        (real[n] != '\0' && real[n] != '/')) {
        free(real);
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT, "报告路径不在所服务的文件夹内");
        return NULL;
    }
    char *report = g_strdup(real);
    free(real);
    char *text = g_build_filename(report, "report.txt", NULL);
    GError *why = NULL;
    gboolean ok = files_check(s->root, text, &why);
    g_free(text);
    if (!ok) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT, "没有可读的 report.txt：%s",
                    why->message);
        g_error_free(why);
        g_free(report);
        return NULL;
    }
    return report;
}

/* Whether `name` is a file of a report the editor may show and save: one name, not hidden,
 * a text, table or rules file. */
static gboolean
editable_name(const char *name)
{
    if (name == NULL || *name == '\0' || *name == '.' || strchr(name, '/') != NULL ||
        strchr(name, '\\') != NULL || !g_utf8_validate(name, -1, NULL) || strlen(name) > 200)
        return FALSE;
    return g_str_has_suffix(name, ".txt") || g_str_has_suffix(name, ".tsv") ||
           g_str_has_suffix(name, ".csv") || g_str_has_suffix(name, ".rules");
}

static char *
mtime_text(const char *path)
{
    GStatBuf st;
    if (g_stat(path, &st) != 0)
        return g_strdup("");
    return g_strdup_printf("%lld.%09ld", (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

/* ---- GET: the page and what it reads ----------------------------------------------------- */

static void
set_common_headers(SoupServerMessage *msg)
{
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    soup_message_headers_replace(h, "X-Content-Type-Options", "nosniff");
    soup_message_headers_replace(h, "X-Frame-Options", "DENY");
    soup_message_headers_replace(h, "Referrer-Policy", "no-referrer");
    soup_message_headers_replace(h, "Cache-Control", "no-store");
}

static void
serve_resource(const Serve *s, SoupServerMessage *msg, const char *name, const char *type)
{
    char *path = g_strconcat(RESOURCE_PREFIX, name, NULL);
    GBytes *bytes = g_resources_lookup_data(path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
    g_free(path);
    if (bytes == NULL) {
        serve_reply_error(msg, 404, "没有这个页面");
        return;
    }
    soup_server_message_set_status(msg, 200, NULL);
    if (g_str_equal(name, "index.html")) {
        /* the token goes into the page, which only this origin can read */
        GString *page = g_string_new_len(g_bytes_get_data(bytes, NULL), (gssize)g_bytes_get_size(bytes));
        g_string_replace(page, "@TOKEN@", s->token, 1);
        soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                     "Content-Security-Policy",
                                     "default-src 'none'; script-src 'self'; style-src 'self'; "
                                     "img-src 'self' blob:; connect-src 'self'; "
                                     "form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
        gsize len = page->len;
        soup_server_message_set_response(msg, type, SOUP_MEMORY_TAKE, g_string_free(page, FALSE),
                                         len);
    } else {
        soup_server_message_set_response(msg, type, SOUP_MEMORY_COPY,
                                         g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
    }
    g_bytes_unref(bytes);
}

static void
append_file(GString *json, const char *report, const char *name, const Serve *s)
{
    char *path = g_build_filename(report, name, NULL);
    GError *error = NULL;
    gsize len = 0;
    char *text = files_read(s->root, path, SERVE_MAX_FILE, "a file shown in the editor", &len,
                            &error);
    char *mtime = mtime_text(path);
    g_string_append(json, "{\"name\":");
    json_append_string(json, name);
    g_string_append(json, ",\"mtime\":");
    json_append_string(json, mtime);
    if (text != NULL && (memchr(text, '\0', len) != NULL || !g_utf8_validate(text, (gssize)len, NULL))) {
        g_string_append(json, ",\"error\":");
        json_append_string(json, "不是 UTF-8 文本，不能在这里编辑");
    } else if (text == NULL) {
        g_string_append(json, ",\"error\":");
        json_append_string(json, error->message);
    } else {
        g_string_append(json, ",\"text\":");
        json_append_string(json, text);
    }
    g_string_append_c(json, '}');
    g_clear_error(&error);
    g_free(mtime);
    g_free(text);
    g_free(path);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* report.txt, then the folder's tables and rules, by name. */
static void
get_files(const Serve *s, SoupServerMessage *msg, GHashTable *query)
{
    GError *error = NULL;
    const char *rel = query != NULL ? g_hash_table_lookup(query, "report") : NULL;
    char *report = resolve_report(s, rel, &error);
    if (report == NULL) {
        serve_reply_error(msg, 403, error->message);
        g_error_free(error);
        return;
    }
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GDir *dir = g_dir_open(report, 0, NULL);
    for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;)
        if (editable_name(name) && !g_str_has_suffix(name, ".txt"))
            g_ptr_array_add(names, g_strdup(name));
    if (dir != NULL)
        g_dir_close(dir);
    g_ptr_array_sort(names, compare_names);
    g_ptr_array_insert(names, 0, g_strdup("report.txt"));
    GString *json = g_string_new("{\"report\":");
    json_append_string(json, rel != NULL ? rel : "");
    char *base = g_path_get_basename(report);
    g_string_append(json, ",\"name\":");
    json_append_string(json, base);
    g_free(base);
    g_string_append(json, ",\"files\":[");
    for (guint k = 0; k < names->len; k++) {
        if (k > 0)
            g_string_append_c(json, ',');
        append_file(json, report, g_ptr_array_index(names, k), s);
    }
    g_string_append(json, "]}");
    serve_reply_json(msg, 200, json);
    g_ptr_array_free(names, TRUE);
    g_free(report);
}

static gboolean
is_report(const char *dir)
{
    char *text = g_build_filename(dir, "report.txt", NULL);
    gboolean yes = g_file_test(text, G_FILE_TEST_IS_REGULAR);
    g_free(text);
    return yes;
}

/* The report folders under `dir` (`rel` from the root), two levels deep, by name. */
static void
find_reports(const char *dir, const char *rel, int depth, GPtrArray *found)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d == NULL)
        return;
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (const char *name; (name = g_dir_read_name(d)) != NULL;)
        if (*name != '.' && g_utf8_validate(name, -1, NULL))
            g_ptr_array_add(names, g_strdup(name));
    g_dir_close(d);
    g_ptr_array_sort(names, compare_names);
    for (guint k = 0; k < names->len; k++) {
        const char *name = g_ptr_array_index(names, k);
        char *path = g_build_filename(dir, name, NULL);
        char *sub = *rel != '\0' ? g_strconcat(rel, "/", name, NULL) : g_strdup(name);
        GStatBuf st;
        if (g_lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (is_report(path))
                g_ptr_array_add(found, g_strdup(sub));
            else if (depth > 1)
                find_reports(path, sub, depth - 1, found);
        }
        g_free(sub);
        g_free(path);
    }
    g_ptr_array_free(names, TRUE);
}

static void
get_info(const Serve *s, SoupServerMessage *msg)
{
    GString *json = g_string_new("{\"single\":");
    g_string_append(json, s->single ? "true" : "false");
    char *base = g_path_get_basename(s->root);
    g_string_append(json, ",\"folder\":");
    json_append_string(json, base);
    g_free(base);
    g_string_append(json, ",\"version\":");
    json_append_string(json, GONGWEN_VERSION);
    g_string_append(json, ",\"reports\":[");
    GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
    if (!s->single)
        find_reports(s->root, "", 2, found);
    for (guint k = 0; k < found->len; k++) {
        if (k > 0)
            g_string_append_c(json, ',');
        json_append_string(json, g_ptr_array_index(found, k));
    }
    g_ptr_array_free(found, TRUE);
    g_string_append(json, "]}");
    serve_reply_json(msg, 200, json);
}

static void
get_page(Serve *s, SoupServerMessage *msg, const char *path)
{
    const char *name = path + strlen("/api/page/");
    GBytes *svg = NULL;
    if (strlen(name) == 44 && g_str_has_suffix(name, ".svg")) {
        char *digest = g_strndup(name, 40);
        svg = renderer_lookup_page(s->renderer, digest);
        g_free(digest);
    }
    if (svg == NULL) {
        serve_reply_error(msg, 404, "没有这一页（已过期），请重新排版");
        return;
    }
    soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Cache-Control",
                                 "private, max-age=86400, immutable");
    soup_server_message_set_status(msg, 200, NULL);
    soup_server_message_set_response(msg, "image/svg+xml", SOUP_MEMORY_COPY,
                                     g_bytes_get_data(svg, NULL), g_bytes_get_size(svg));
}

/* ---- POST: render, export, save, new ----------------------------------------------------- */

/* The form of a POST body (application/x-www-form-urlencoded), or NULL. */
static GHashTable *
read_form(SoupServerMessage *msg)
{
    SoupMessageBody *body = soup_server_message_get_request_body(msg);
    GBytes *bytes = soup_message_body_flatten(body);
    gsize len = 0;
    const char *data = g_bytes_get_data(bytes, &len);
    GHashTable *form = NULL;
    if (len <= SERVE_MAX_BODY) {
        char *text = g_strndup(data != NULL ? data : "", len);
        form = soup_form_decode(text);
        g_free(text);
    }
    g_bytes_unref(bytes);
    return form;
}

/* The editor's text of the report's files: "f:NAME" fields. NULL with `error` set when a
 * name is not one of the report's files or a text is not UTF-8. */
static GHashTable *
read_overlay(GHashTable *form, const char *report, GError **error)
{
    GHashTable *overlay = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify)g_bytes_unref);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, form);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        const char *field = key, *text = value;
        if (!g_str_has_prefix(field, "f:"))
            continue;
        if (!editable_name(field + 2) || !g_utf8_validate(text, -1, NULL)) {
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT, "不能编辑的文件名：%s",
                        g_utf8_validate(field, -1, NULL) ? field + 2 : "?");
            g_hash_table_unref(overlay);
            return NULL;
        }
        char *path = g_build_filename(report, field + 2, NULL);
        g_hash_table_replace(overlay, g_canonicalize_filename(path, NULL),
                             g_bytes_new(text, strlen(text)));
        g_free(path);
    }
    return overlay;
}

static void
post_job(Serve *s, SoupServerMessage *msg, GHashTable *form, ServeJobKind kind)
{
    GError *error = NULL;
    char *report = resolve_report(s, g_hash_table_lookup(form, "report"), &error);
    GHashTable *overlay = report != NULL ? read_overlay(form, report, &error) : NULL;
    const char *format = g_hash_table_lookup(form, "format");
    if (overlay == NULL) {
        serve_reply_error(msg, 403, error->message);
        g_error_free(error);
        g_free(report);
        return;
    }
    if (kind == SERVE_JOB_EXPORT && (format == NULL || (!g_str_equal(format, "pdf") &&
                                                        !g_str_equal(format, "ofd")))) {
        serve_reply_error(msg, 400, "format 只能是 pdf 或 ofd");
        g_hash_table_unref(overlay);
        g_free(report);
        return;
    }
    ServeJob *job = g_new0(ServeJob, 1);
    job->kind = kind;
    job->report = report;
    job->overlay = overlay;
    job->format = g_strdup(format);
    job->msg = g_object_ref(msg);
    renderer_submit(s->renderer, job);
}

static gboolean
write_file(const char *path, const char *text, GError **error)
{
    AtomicFile out;
    if (!atomic_open(&out, path, error))
        return FALSE;
    size_t len = strlen(text);
    if (fwrite(text, 1, len, out.file) != len) {
        out.failed = TRUE;
        out.write_errno = errno;
    }
    return atomic_commit(&out, error);
}

static void
post_save(Serve *s, SoupServerMessage *msg, GHashTable *form)
{
    GError *error = NULL;
    char *report = resolve_report(s, g_hash_table_lookup(form, "report"), &error);
    const char *name = g_hash_table_lookup(form, "file");
    const char *text = g_hash_table_lookup(form, "text");
    const char *mtime = g_hash_table_lookup(form, "mtime");
    const char *force = g_hash_table_lookup(form, "force");
    if (report == NULL) {
        serve_reply_error(msg, 403, error->message);
        g_error_free(error);
        return;
    }
    char *path = editable_name(name) ? g_build_filename(report, name, NULL) : NULL;
    char *now = path != NULL ? mtime_text(path) : NULL;
    if (path == NULL) {
        serve_reply_error(msg, 403, "只能保存报告文件夹里的 .txt .tsv .csv .rules 文件");
    } else if (!files_check(s->root, path, &error)) {
        serve_reply_error(msg, error->code == GONGWEN_ERROR_IO ? 404 : 403, error->message);
    } else if (text == NULL || !g_utf8_validate(text, -1, NULL)) {
        serve_reply_error(msg, 400, "内容不是 UTF-8 文本");
    } else if ((force == NULL || !g_str_equal(force, "1")) &&
               (mtime == NULL || !g_str_equal(mtime, now))) {
        GString *json = g_string_new("{\"conflict\":true,\"error\":");
        json_append_string(json, "文件在打开之后被其他程序修改过");
        g_string_append(json, ",\"mtime\":");
        json_append_string(json, now);
        g_string_append_c(json, '}');
        serve_reply_json(msg, 409, json);
    } else if (!write_file(path, text, &error)) {
        serve_reply_error(msg, 500, error->message);
    } else {
        char *saved = mtime_text(path);
        GString *json = g_string_new("{\"ok\":true,\"mtime\":");
        json_append_string(json, saved);
        g_string_append_c(json, '}');
        serve_reply_json(msg, 200, json);
        g_free(saved);
    }
    g_clear_error(&error);
    g_free(now);
    g_free(path);
    g_free(report);
}

static void
on_new_done(GObject *source, GAsyncResult *result, gpointer data)
{
    SoupServerMessage *msg = data;
    GSubprocess *process = G_SUBPROCESS(source);
    char *out = NULL, *err = NULL;
    GError *error = NULL;
    if (!g_subprocess_communicate_utf8_finish(process, result, &out, &err, &error)) {
        serve_reply_error(msg, 500, error->message);
        g_error_free(error);
    } else if (!g_subprocess_get_successful(process)) {
        serve_reply_error(msg, 422, err != NULL && *err != '\0' ? err : "新建失败");
    } else {
        serve_reply_json(msg, 200, g_string_new("{\"ok\":true}"));
    }
    g_free(out);
    g_free(err);
    soup_server_message_unpause(msg);
    g_object_unref(msg);
}

/* A new report folder from the templates of `gongwen new`, run as its own process. */
static void
post_new(Serve *s, SoupServerMessage *msg, GHashTable *form)
{
    const char *kind = g_hash_table_lookup(form, "kind"), *dir = g_hash_table_lookup(form, "dir");
    const char *year = g_hash_table_lookup(form, "year"), *organ = g_hash_table_lookup(form, "organ");
    gboolean annual = kind != NULL && g_str_equal(kind, "annual-report");
    if (s->single) {
        serve_reply_error(msg, 403, "只服务一个报告时不能新建");
        return;
    }
    if (kind == NULL || (!annual && !g_str_equal(kind, "notice"))) {
        serve_reply_error(msg, 400, "类型只能是 annual-report 或 notice");
        return;
    }
    if (dir == NULL || *dir == '\0' || *dir == '.' || *dir == '-' || strchr(dir, '/') != NULL ||
        strchr(dir, '\\') != NULL || strlen(dir) > 120 || !g_utf8_validate(dir, -1, NULL)) {
        serve_reply_error(msg, 403, "文件夹名只能是一层名字（不含 / 、不以 . 或 - 开头）");
        return;
    }
    if (annual && (year == NULL || organ == NULL || !g_utf8_validate(organ, -1, NULL))) {
        serve_reply_error(msg, 400, "年度报告需要年份和机关名称");
        return;
    }
    char *self = g_file_read_link("/proc/self/exe", NULL);
    const char *argv[] = {self, "new", "-q", annual ? "--year" : NULL, year, "--organ", organ,
                          NULL};
    GPtrArray *args = g_ptr_array_new();
    for (size_t k = 0; k < 3; k++)
        g_ptr_array_add(args, (gpointer)argv[k]);
    if (annual)
        for (size_t k = 3; k < 7; k++)
            g_ptr_array_add(args, (gpointer)argv[k]);
    g_ptr_array_add(args, "--");
    g_ptr_array_add(args, (gpointer)kind);
    g_ptr_array_add(args, (gpointer)dir);
    g_ptr_array_add(args, NULL);
    GSubprocessLauncher *launcher =
        g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_set_cwd(launcher, s->root);
    GError *error = NULL;
    GSubprocess *process =
        self != NULL ? g_subprocess_launcher_spawnv(launcher, (const char *const *)args->pdata,
                                                    &error)
                     : NULL;
    if (process == NULL) {
        serve_reply_error(msg, 500, error != NULL ? error->message : "找不到 gongwen 程序");
        g_clear_error(&error);
    } else {
        soup_server_message_pause(msg);
        g_subprocess_communicate_utf8_async(process, NULL, NULL, on_new_done, g_object_ref(msg));
        g_object_unref(process);
    }
    g_object_unref(launcher);
    g_ptr_array_free(args, TRUE);
    g_free(self);
}

/* ---- dispatch ----------------------------------------------------------------------------- */

static void
handler(SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
    Serve *s = data;
    (void)server;
    set_common_headers(msg);
    const char *method = soup_server_message_get_method(msg);
    if (g_str_equal(method, "GET") || g_str_equal(method, "HEAD")) {
        if (g_str_equal(path, "/"))
            serve_resource(s, msg, "index.html", "text/html; charset=utf-8");
        else if (g_str_equal(path, "/app.js"))
            serve_resource(s, msg, "app.js", "text/javascript; charset=utf-8");
        else if (g_str_equal(path, "/app.css"))
            serve_resource(s, msg, "app.css", "text/css; charset=utf-8");
        else if (g_str_equal(path, "/api/info"))
            get_info(s, msg);
        else if (g_str_equal(path, "/api/files"))
            get_files(s, msg, query);
        else if (g_str_has_prefix(path, "/api/page/"))
            get_page(s, msg, path);
        else
            serve_reply_error(msg, 404, "没有这个地址");
        return;
    }
    /* a POST that passed the early checks */
    GHashTable *form = read_form(msg);
    if (form == NULL) {
        serve_reply_error(msg, 413, "请求超过 16 MiB");
        return;
    }
    if (g_str_equal(path, "/api/render"))
        post_job(s, msg, form, SERVE_JOB_RENDER);
    else if (g_str_equal(path, "/api/export"))
        post_job(s, msg, form, SERVE_JOB_EXPORT);
    else if (g_str_equal(path, "/api/save"))
        post_save(s, msg, form);
    else if (g_str_equal(path, "/api/new"))
        post_new(s, msg, form);
    else
        serve_reply_error(msg, 404, "没有这个地址");
    g_hash_table_unref(form);
}

/* ---- the command -------------------------------------------------------------------------- */

static gboolean
on_signal(gpointer data)
{
    g_main_loop_quit(((Serve *)data)->loop);
    return G_SOURCE_CONTINUE;
}

static char *
new_token(void)
{
    guint8 bytes[16];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            g_error("no random bytes for the token: %s", g_strerror(errno));
        got += (size_t)n;
    }
    GString *hex = g_string_new(NULL);
    for (size_t i = 0; i < sizeof bytes; i++)
        g_string_append_printf(hex, "%02x", bytes[i]);
    return g_string_free(hex, FALSE);
}

static gboolean
listen_on(Serve *s, gint64 port, GError **error)
{
    GInetAddress *address = g_inet_address_new_from_string(s->host);
    if (address == NULL) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                    "--host needs an IP address (127.0.0.1), not '%s'", s->host);
        return FALSE;
    }
    GSocketAddress *socket = g_inet_socket_address_new(address, (guint16)port);
    g_object_unref(address);
    gboolean ok = soup_server_listen(s->server, socket, 0, error);
    g_object_unref(socket);
    if (!ok)
        return FALSE;
    GSList *uris = soup_server_get_uris(s->server);
    s->port = uris != NULL ? (guint)g_uri_get_port(uris->data) : (guint)port;
    g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    gboolean v6 = strchr(s->host, ':') != NULL;
    char *self = g_strdup_printf(v6 ? "[%s]:%u" : "%s:%u", s->host, s->port);
    char *hosts[] = {g_strdup_printf("127.0.0.1:%u", s->port),
                     g_strdup_printf("localhost:%u", s->port),
                     g_strdup_printf("[::1]:%u", s->port), self, NULL, NULL, NULL, NULL, NULL};
    if (s->port == 80) /* the default port: browsers leave it out */
        for (size_t k = 0; k < 4; k++)
            hosts[4 + k] = g_strndup(hosts[k], strlen(hosts[k]) - strlen(":80"));
    s->hosts = g_strdupv(hosts);
    for (char **h = hosts; *h != NULL; h++)
        g_free(*h);
    return TRUE;
}

static int
serve_run(const char *dir, gint64 port, const char *host, double timeout)
{
    Serve s = {0};
    char *real = realpath(dir, NULL);
    if (real == NULL || !g_file_test(real, G_FILE_TEST_IS_DIR)) {
        free(real);
        return usage_error("serve needs a folder, not '%s'", dir);
    }
    s.root = g_strdup(real);
    free(real);
    s.single = is_report(s.root);
    s.host = g_strdup(host);
    s.token = new_token();
    GError *error = NULL;
    s.fonts = fonts_new(NULL, &error); /* once, before any worker: each one shares them */
    if (s.fonts == NULL) {
        g_free(s.root);
        g_free(s.host);
        g_free(s.token);
        return report_error(error);
    }
    s.server = soup_server_new("server-header", "gongwen", NULL);
    soup_server_add_early_handler(s.server, NULL, early_handler, &s, NULL);
    soup_server_add_handler(s.server, NULL, handler, &s, NULL);
    int status = EXIT_OK;
    if (!listen_on(&s, port, &error)) {
        fprintf(stderr, "gongwen: cannot listen on %s port %" G_GINT64_FORMAT ": %s\n", host,
                port, error->message);
        g_error_free(error);
        status = EXIT_INPUT;
    } else {
        s.renderer = renderer_new(s.fonts, timeout);
        s.loop = g_main_loop_new(NULL, FALSE);
        guint sigint = g_unix_signal_add(SIGINT, on_signal, &s);
        guint sigterm = g_unix_signal_add(SIGTERM, on_signal, &s);
        gboolean v6 = strchr(host, ':') != NULL;
        if (!g_str_equal(host, "127.0.0.1") && !g_str_equal(host, "::1"))
            fprintf(stderr, "gongwen: 警告：监听 %s，其他机器上的人也能打开这个工作台，读取并修改 "
                    "%s 里的报告文件。\n", host, s.root);
        printf(v6 ? "http://[%s]:%u/\n" : "http://%s:%u/\n",
               g_str_equal(host, "0.0.0.0") ? "127.0.0.1" : host, s.port);
        fflush(stdout);
        fprintf(stderr, "gongwen: 公文工作台：在浏览器中打开上面的地址；服务 %s；Ctrl-C 停止\n",
                s.root);
        g_main_loop_run(s.loop);
        g_source_remove(sigint);
        g_source_remove(sigterm);
        renderer_free(s.renderer);
        g_main_loop_unref(s.loop);
        fprintf(stderr, "gongwen: 工作台已停止\n");
    }
    soup_server_disconnect(s.server);
    g_object_unref(s.server);
    fonts_free(s.fonts);
    g_strfreev(s.hosts);
    g_free(s.root);
    g_free(s.host);
    g_free(s.token);
    return status;
}

static const char serve_summary[] =
    "A workbench in the browser: report.txt and its tables on the left, the pages as gongwen\n"
    "lays them out on the right, redrawn as you type; save, download the PDF or OFD.\n"
    "DIR is a report folder, or a folder of report folders (default: here) to choose from\n"
    "and to make new ones in. Only this machine can connect (127.0.0.1).";

static const char serve_examples[] =
    "Examples:\n"
    "  gongwen serve reports/guizhou-commerce-2017     # then open the address it prints\n"
    "  gongwen serve --port 8080\n"
    "\nEvery request must name this server as its Host; every change carries a token made\n"
    "for this run and the page's own Origin. --host 0.0.0.0 lets other machines in: anyone\n"
    "who can reach the port can then read and change the reports.";

int
cmd_serve(int argc, char **argv)
{
    char *port_arg = NULL, *host = NULL, *timeout_arg = NULL;
    const GOptionEntry entries[] = {
        {"port", 'p', 0, G_OPTION_ARG_STRING, &port_arg, "The port (default 8421; 0: any free "
         "port)", "N"},
        {"host", 0, 0, G_OPTION_ARG_STRING, &host, "The address to listen on (default "
         "127.0.0.1; any other exposes the files)", "ADDR"},
        {"timeout", 0, 0, G_OPTION_ARG_STRING, &timeout_arg, "Seconds a render may take "
         "before it is cancelled (default 30)", "S"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *context = g_option_context_new("[DIR]");
    g_option_context_set_summary(context, serve_summary);
    g_option_context_set_description(context, serve_examples);
    g_option_context_add_main_entries(context, entries, NULL);
    char **args = g_new0(char *, (size_t)argc + 1);
    for (int i = 0; i < argc; i++)
        args[i] = g_strdup(i == 0 ? "gongwen serve" : argv[i]);
    GError *error = NULL;
    int status = -1;
    gint64 port = 8421;
    double timeout = DEFAULT_TIMEOUT;
    char *end = NULL;
    if (!g_option_context_parse_strv(context, &args, &error)) {
        status = usage_error("%s", error->message);
        g_error_free(error);
    } else if (g_strv_length(args) > 2) {
        status = usage_error("serve takes one DIR at most");
    } else if (port_arg != NULL &&
               !g_ascii_string_to_signed(port_arg, 10, 0, 65535, &port, NULL)) {
        status = usage_error("--port needs a number from 0 to 65535, not '%s'", port_arg);
    } else if (timeout_arg != NULL &&
               ((timeout = g_ascii_strtod(timeout_arg, &end)), end == timeout_arg ||
                *end != '\0' || !(timeout >= 0.01) || timeout > 3600)) {
        status = usage_error("--timeout needs seconds from 0.01 to 3600, not '%s'", timeout_arg);
    }
    if (status < 0)
        status = serve_run(args[1] != NULL ? args[1] : ".", port,
                           host != NULL ? host : "127.0.0.1", timeout);
    g_option_context_free(context);
    g_strfreev(args);
    g_free(port_arg);
    g_free(host);
    g_free(timeout_arg);
    return status;
}
