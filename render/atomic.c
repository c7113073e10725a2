/* gongwen: never a half-written output file. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "render.h"

#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* The temporary files being written and the worker processes running, for the signal
 * handler: a killed render leaves no temporary file behind and no worker running. Fixed
 * arrays: the handler may only call async-signal-safe code. */
#define ATOMIC_SLOTS 8
#define ATOMIC_WORKERS 256
static char tracked[ATOMIC_SLOTS][4096];
static volatile sig_atomic_t tracking[ATOMIC_SLOTS];
static pid_t workers[ATOMIC_WORKERS];
static volatile sig_atomic_t n_workers;
static pid_t worker_parent; /* in a worker: the process that forked it */
static const int fatal_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};

/* The standard descriptors closed when gongwen started hold a pipe instead (so that no file
 * opened later takes their number): an output leading to it (/dev/stdout) is refused. */
static gboolean closed_std;
static dev_t closed_dev;
static ino_t closed_ino;

static void
atomic_track(AtomicFile *out, const char *tmp)
{
    for (int i = 0; i < ATOMIC_SLOTS && tmp != NULL && strlen(tmp) < sizeof tracked[i]; i++)
        if (!tracking[i]) {
            memcpy(tracked[i], tmp, strlen(tmp) + 1);
            tracking[i] = 1;
            out->slot = i + 1;
            return;
        }
}

static void
atomic_untrack(AtomicFile *out)
{
    if (out->slot > 0)
        tracking[out->slot - 1] = 0;
    out->slot = 0;
}

static void
on_fatal_signal(int sig)
{
    /* the workers first: each removes its own temporary file and ends */
    for (int i = 0; i < n_workers; i++)
        kill(workers[i], sig);
    for (int i = 0; i < n_workers; i++)
        while (waitpid(workers[i], NULL, 0) < 0 && errno == EINTR)
            ;
    for (int i = 0; i < ATOMIC_SLOTS; i++)
        if (tracking[i])
            unlink(tracked[i]);
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
    for (size_t i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
        sigaddset(&sa.sa_mask, fatal_signals[i]);
    for (size_t i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
        sigaction(fatal_signals[i], &sa, NULL);
}

static void
block_fatal_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < G_N_ELEMENTS(fatal_signals); i++)
        sigaddset(&set, fatal_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

pid_t
atomic_fork_worker(void)
{
    sigset_t old;
    pid_t parent = getpid();
    block_fatal_signals(&old); /* none lost between the fork and the worker's registration */
    if (n_workers >= ATOMIC_WORKERS) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        errno = EAGAIN;
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) { /* the parent's temporary files and workers are not this one's */
        n_workers = 0;
        for (int i = 0; i < ATOMIC_SLOTS; i++)
            tracking[i] = 0;
        worker_parent = parent;
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* the parent gone (even by SIGKILL): end too */
#endif
        if (getppid() != parent) /* it went before prctl took effect */
            raise(SIGTERM);
    } else if (pid > 0) {
        workers[n_workers] = pid;
        n_workers = n_workers + 1;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return pid;
}

gboolean
atomic_worker_orphaned(void)
{
    return worker_parent != 0 && getppid() != worker_parent;
}

int
atomic_wait_worker(pid_t pid)
{
    /* wait without reaping, so that the handler never signals a number already reused */
    siginfo_t info;
    while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR)
        ;
    sigset_t old;
    block_fatal_signals(&old);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    for (int i = 0; i < n_workers; i++)
        if (workers[i] == pid) {
            workers[i] = workers[n_workers - 1];
            n_workers = n_workers - 1;
            break;
        }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return status;
}

void
atomic_guard_standard_fds(void)
{
    gboolean closed[3];
    gboolean any = FALSE;
    for (int fd = 0; fd < 3; fd++) {
        closed[fd] = fcntl(fd, F_GETFD) < 0 && errno == EBADF;
        any = any || closed[fd];
    }
    int p[2];
    if (!any || pipe(p) != 0)
        return;
    /* both ends above 2, then each closed descriptor a copy: standard output and error the
     * read end, standard input the write end, so that reading or writing them fails as
     * when they were closed */
    int r = fcntl(p[0], F_DUPFD_CLOEXEC, 3), w = fcntl(p[1], F_DUPFD_CLOEXEC, 3);
    close(p[0]);
    close(p[1]);
    for (int fd = 0; fd < 3; fd++)
        if (closed[fd])
            dup2(fd == 0 ? w : r, fd);
    GStatBuf st;
    if (r >= 0 && fstat(r, &st) == 0) {
        closed_std = TRUE;
        closed_dev = st.st_dev;
        closed_ino = st.st_ino;
    }
    close(r);
    close(w);
}

/* What writing to `path` means: a new or regular file replaced through a temporary file
 * beside it (*target: the file renamed onto, where a link leads), or a device or pipe
 * written in place (*in_place). FALSE with `error` set when it cannot be an output. */
static gboolean
atomic_resolve(const char *path, gboolean *in_place, char **target, GError **error)
{
    *in_place = FALSE;
    *target = NULL;
    GStatBuf lst, st;
    gboolean exists = g_lstat(path, &lst) == 0;
    gboolean link = exists && S_ISLNK(lst.st_mode);
    int e = 0;
    if (exists && g_stat(path, &st) != 0) {
        e = errno;
        exists = FALSE;
    }
    if (link && !exists) {
        char *to = g_file_read_link(path, NULL);
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0},
                       "cannot write: it is a link to %s, which cannot be opened (%s)",
                       to != NULL ? to : "?", g_strerror(e != 0 ? e : ENOENT));
        g_free(to);
        return FALSE;
    }
    if (exists && closed_std && st.st_dev == closed_dev && st.st_ino == closed_ino) {
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0},
                       "cannot write: it leads to standard output or error, which is closed");
        return FALSE;
    }
    if (exists && S_ISDIR(st.st_mode)) {
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0},
                       "this is a folder; give a file name");
        return FALSE;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        *in_place = TRUE; /* a device or a pipe (/dev/stdout, /dev/full): never replaced */
        return TRUE;
    }
    /* a link to a file: that file is replaced, the link stays */
    char *real = link ? realpath(path, NULL) : NULL;
    *target = real != NULL ? g_strdup(real) : g_strdup(path);
    free(real);
    return TRUE;
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
    gboolean in_place;
    char *target;
    if (!atomic_resolve(path, &in_place, &target, error))
        return FALSE;
    if (in_place) {
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
    char *dir = g_path_get_dirname(target);
    char *base = g_path_get_basename(target);
    char *tmpl = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    g_free(dir);
    g_free(base);
    /* a signal between creating the file and tracking it would leave it behind */
    sigset_t old;
    block_fatal_signals(&old);
    int fd = g_mkstemp_full(tmpl, O_WRONLY | O_CREAT | O_EXCL, 0644);
    int e = errno;
    if (fd >= 0)
        atomic_track(out, tmpl);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (fd < 0) {
        char *folder = g_path_get_dirname(target);
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0}, "cannot write here: %s: %s",
                       folder, g_strerror(e));
        g_free(folder);
        g_free(tmpl);
        g_free(target);
        return FALSE;
    }
    out->file = fdopen(fd, "wb");
    if (out->file == NULL) {
        close(fd);
        g_unlink(tmpl);
        atomic_untrack(out);
        g_free(tmpl);
        g_free(target);
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){path, 0, 0}, "cannot write");
        return FALSE;
    }
    out->path = g_strdup(path);
    out->target = target;
    out->tmp_path = tmpl;
    return TRUE;
}

gboolean
atomic_check(const char *path, GError **error)
{
    if (g_str_equal(path, "-"))
        return TRUE;
    gboolean in_place;
    char *target;
    if (!atomic_resolve(path, &in_place, &target, error))
        return FALSE;
    g_free(target);
    if (in_place)
        return TRUE;
    AtomicFile probe; /* a temporary file made and removed: the folder takes new files */
    gboolean ok = atomic_open(&probe, path, error);
    if (ok)
        atomic_abort(&probe);
    return ok;
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

static void
atomic_free(AtomicFile *out)
{
    atomic_untrack(out);
    g_free(out->tmp_path);
    g_free(out->target);
    g_free(out->path);
    memset(out, 0, sizeof *out);
}

void
atomic_abort(AtomicFile *out)
{
    if (out->file != NULL && out->file != stdout)
        fclose(out->file);
    if (out->tmp_path != NULL)
        g_unlink(out->tmp_path);
    atomic_free(out);
}

/* Flush (and sync a temporary file), then close: FALSE with `error` set on a failure. */
static gboolean
atomic_finish(AtomicFile *out, GError **error)
{
    gboolean ok = !out->failed && fflush(out->file) == 0;
    int e = out->failed ? out->write_errno : errno;
    if (ok && out->tmp_path != NULL && fsync(fileno(out->file)) != 0) {
        e = errno;
        ok = FALSE;
    }
    if (out->file != stdout) {
        if (fclose(out->file) != 0 && ok) {
            e = errno;
            ok = FALSE;
        }
        out->file = NULL;
    }
    if (!ok)
        diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){out->path, 0, 0}, "write failed: %s",
                       g_strerror(e != 0 ? e : EIO));
    return ok;
}

gboolean
atomic_commit_all(AtomicFile *const *files, size_t n, GError **error)
{
    gboolean ok = TRUE;
    for (size_t i = 0; i < n && ok; i++)
        ok = atomic_finish(files[i], error);
    for (size_t i = 0; i < n && ok; i++)
        if (files[i]->tmp_path != NULL && g_rename(files[i]->tmp_path, files[i]->target) != 0) {
            int e = errno;
            diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){files[i]->path, 0, 0},
                           "write failed: %s", g_strerror(e));
            ok = FALSE;
            g_unlink(files[i]->tmp_path);
        }
    for (size_t i = 0; i < n; i++) {
        if (!ok && files[i]->tmp_path != NULL)
            g_unlink(files[i]->tmp_path); /* those renamed are gone already */
        if (files[i]->file != NULL && files[i]->file != stdout)
            fclose(files[i]->file);
        atomic_free(files[i]);
    }
    return ok;
}

gboolean
atomic_commit(AtomicFile *out, GError **error)
{
    return atomic_commit_all(&out, 1, error);
}
