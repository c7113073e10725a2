/* gongwen: never a half-written output file. */
#include "render.h"

#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* The temporary file being written, for the signal handler: a killed render leaves no
 * temporary file behind. A fixed buffer: the handler may only call async-signal-safe code. */
static char tracked[4096];
static volatile sig_atomic_t tracking;

static void
atomic_track(const char *tmp)
{
    tracking = 0;
    if (tmp != NULL && strlen(tmp) < sizeof tracked) {
        memcpy(tracked, tmp, strlen(tmp) + 1);
        tracking = 1;
    }
}

static void
on_fatal_signal(int sig)
{
    if (tracking)
        unlink(tracked);
    signal(sig, SIG_DFL);
    raise(sig);
}

void
atomic_cleanup_on_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    const int signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < G_N_ELEMENTS(signals); i++)
        sigaction(signals[i], &sa, NULL);
}

gboolean
atomic_open(AtomicFile *out, const char *path, GError **error)
{
    memset(out, 0, sizeof *out);
    if (g_str_equal(path, "-")) { /* standard output: nothing to rename */
        out->file = stdout;
        out->path = g_strdup(path);
        return TRUE;
    }
    GStatBuf st;
    if (g_stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0},
                       "this is a folder; give "
                       "a file name");
        return FALSE;
    }
    if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a pipe (/dev/stdout, /dev/full): written in place, never replaced */
        out->file = fopen(path, "wb");
        if (out->file == NULL) {
            int e = errno;
            diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0}, "cannot write: %s",
                           g_strerror(e));
            return FALSE;
        }
        out->path = g_strdup(path);
        out->special = TRUE;
        return TRUE;
    }
    char *dir = g_path_get_dirname(path);
    char *base = g_path_get_basename(path);
    char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    g_free(dir);
    g_free(base);
    int fd = g_mkstemp_full(tmpl, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        int e = errno;
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0}, "cannot write here: %s",
                       g_strerror(e));
        g_free(tmpl);
        return FALSE;
    }
    out->file = fdopen(fd, "wb");
    if (out->file == NULL) {
        close(fd);
        g_unlink(tmpl);
        g_free(tmpl);
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0}, "cannot write");
        return FALSE;
    }
    out->path = g_strdup(path);
    out->tmp_path = tmpl;
    atomic_track(tmpl);
    return TRUE;
}

cairo_status_t
atomic_write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    AtomicFile *out = closure;
    if (out->failed || fwrite(data, 1, length, out->file) != length) {
        if (!out->failed)
            out->write_errno = errno;
        out->failed = TRUE;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

void
atomic_abort(AtomicFile *out)
{
    if (out->file != NULL && out->file != stdout)
        fclose(out->file);
    if (out->tmp_path != NULL)
        g_unlink(out->tmp_path);
    atomic_track(NULL);
    g_free(out->tmp_path);
    g_free(out->path);
    memset(out, 0, sizeof *out);
}

gboolean
atomic_commit(AtomicFile *out, GError **error)
{
    if (out->file == stdout || out->special) {
        gboolean ok = !out->failed && fflush(out->file) == 0;
        int e = errno;
        if (out->special)
            ok = fclose(out->file) == 0 && ok;
        if (!ok)
            diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){out->path, 0, 0}, "write failed: %s",
                           g_strerror(e != 0 ? e : EIO));
        g_free(out->path);
        memset(out, 0, sizeof *out);
        return ok;
    }
    gboolean ok = !out->failed && fflush(out->file) == 0 && fsync(fileno(out->file)) == 0;
    int e = errno;
    ok = fclose(out->file) == 0 && ok;
    out->file = NULL;
    if (ok && g_rename(out->tmp_path, out->path) != 0) {
        e = errno;
        ok = FALSE;
    }
    if (!ok) {
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){out->path, 0, 0}, "write failed: %s",
                       g_strerror(e != 0 ? e : EIO));
        atomic_abort(out);
        return FALSE;
    }
    atomic_track(NULL);
    g_free(out->tmp_path);
    g_free(out->path);
    memset(out, 0, sizeof *out);
    return TRUE;
}
