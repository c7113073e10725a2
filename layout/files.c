/* gongwen: reading a report's files (see files.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "files.h"

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular file is, for the message. */
static const char *
kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "a special file";
}

static void
not_regular(GError **error, mode_t mode)
{
    g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT, "not a regular file (%s)",
                kind_of(mode));
}

/* A limit as people write it: “8 MiB”, “64 KiB”, else in bytes. */
static char *
size_text(guint64 n)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT " MiB", n / (1024 * 1024));
    if (n >= 1024 && n % 1024 == 0)
        return g_strdup_printf("%" G_GUINT64_FORMAT " KiB", n / 1024);
    return g_strdup_printf("%" G_GUINT64_FORMAT " bytes", n);
}

static void
too_large(GError **error, guint64 size, gsize limit, const char *what, const char *how)
{
    char *text = size_text(limit);
    g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_LIMIT,
                "%" G_GUINT64_FORMAT " bytes%s, more than the %s limit for %s", size, how, text,
                what);
    g_free(text);
}

static void
io_error(GError **error, int err)
{
    if (err == ENOENT)
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, "no such file");
    else
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_IO, g_strerror(err));
}

/* Whether the opened file `st` is the file `path` names inside `folder`. The descriptor has
 * no name to check, so the path is resolved after the open and must lead, inside the folder,
 * to the very file opened (device and inode): a link swapped before the open leads out,
 * one swapped back after it leads to another file. */
static gboolean
inside(const char *folder, const char *path, const struct stat *st, GError **error)
{
    char *real_dir = realpath(folder, NULL), *real = realpath(path, NULL);
    struct stat now;
    gboolean ok = FALSE;
    if (real_dir == NULL || real == NULL)
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_IO,
                            "the file was moved while it was opened");
    else if (!g_str_has_prefix(real, real_dir) ||
             (real[strlen(real_dir)] != '/' && strcmp(real_dir, "/") != 0))
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                            "the path leads out of the report's folder");
    else if (stat(real, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino)
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_IO,
                            "the file was replaced while it was opened");
    else
        ok = TRUE;
    free(real);
    free(real_dir);
    return ok;
}

/* Open `path` for reading: a regular file (inside `folder` when not NULL), described in
 * `st`. The descriptor, or -1 with `error` set. */
static int
open_regular(const char *folder, const char *path, struct stat *st, GError **error)
{
    /* A look first, so that a device or a FIFO is not even opened (opening one can have
     * effects: a tape rewinds, a FIFO's writer wakes); the open is what counts. */
    struct stat look;
    if (stat(path, &look) == 0 && !S_ISREG(look.st_mode)) {
        not_regular(error, look.st_mode);
        return -1;
    }
    /* O_NONBLOCK: a FIFO swapped in after the look opens at once instead of waiting for a
     * writer; it is then refused by the fstat below. */
    int fd;
    do
        fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int err = errno;
        if (stat(path, &look) == 0 && !S_ISREG(look.st_mode))
            not_regular(error, look.st_mode); /* a socket: ENXIO */
        else
            io_error(error, err);
        return -1;
    }
    if (fstat(fd, st) != 0) {
        io_error(error, errno);
    } else if (!S_ISREG(st->st_mode)) {
        not_regular(error, st->st_mode);
    } else if (folder == NULL || inside(folder, path, st, error)) {
        return fd;
    }
    close(fd);
    return -1;
}

/* Read at most `limit` bytes of the regular file `fd` of `st`: the size was checked before,
 * and a file that grows past the limit meanwhile is an error, not a longer read. */
static char *
read_regular(int fd, const struct stat *st, gsize limit, const char *what, gsize *len,
             GError **error)
{
    if ((guint64)st->st_size > limit) {
        too_large(error, (guint64)st->st_size, limit, what, "");
        return NULL;
    }
    gsize cap = (gsize)st->st_size + 1, n = 0; /* one more: a file that grew is seen */
    char *data = g_malloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap > limit)
                break;
            cap = MIN(cap * 2, (gsize)limit + 1);
            data = g_realloc(data, cap + 1);
        }
        ssize_t got = read(fd, data + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            io_error(error, errno);
            g_free(data);
            return NULL;
        }
        if (got == 0)
            break;
        n += (gsize)got;
    }
    if (n > limit) {
        too_large(error, n, limit, what, " (it grew while it was read)");
        g_free(data);
        return NULL;
    }
    data[n] = '\0';
    if (len != NULL)
        *len = n;
    return data;
}

static GHashTable *overlay; /* files_set_overlay */

void
files_set_overlay(GHashTable *table)
{
    overlay = table;
}

/* The overlay's text for `path`, or NULL. */
static GBytes *
overlay_lookup(const char *path)
{
    if (overlay == NULL)
        return NULL;
    char *key = g_canonicalize_filename(path, NULL);
    GBytes *bytes = g_hash_table_lookup(overlay, key);
    g_free(key);
    return bytes;
}

static char *
overlay_read(GBytes *bytes, gsize limit, const char *what, gsize *len, GError **error)
{
    gsize n = 0;
    const char *data = g_bytes_get_data(bytes, &n);
    if (n > limit) {
        too_large(error, n, limit, what, "");
        return NULL;
    }
    char *copy = g_malloc(n + 1);
    if (n > 0)
        memcpy(copy, data, n);
    copy[n] = '\0';
    if (len != NULL)
        *len = n;
    return copy;
}

char *
files_read(const char *folder, const char *path, gsize limit, const char *what, gsize *len,
           GError **error)
{
    g_return_val_if_fail(path != NULL && what != NULL, NULL);
    GBytes *edited = overlay_lookup(path);
    if (edited != NULL)
        return overlay_read(edited, limit, what, len, error);
    struct stat st;
    int fd = open_regular(folder, path, &st, error);
    if (fd < 0)
        return NULL;
    char *data = read_regular(fd, &st, limit, what, len, error);
    close(fd);
    return data;
}

gboolean
files_check(const char *folder, const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, FALSE);
    if (overlay_lookup(path) != NULL)
        return TRUE;
    struct stat st;
    int fd = open_regular(folder, path, &st, error);
    if (fd < 0)
        return FALSE;
    close(fd);
    return TRUE;
}

gboolean
files_check_name(const char *name, GError **error)
{
    g_return_val_if_fail(name != NULL, FALSE);
    if (g_path_is_absolute(name)) {
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                            "an absolute path; give the file's name relative to the report's "
                            "folder");
        return FALSE;
    }
    char **parts = g_strsplit(name, "/", -1);
    gboolean up = g_strv_contains((const char *const *)parts, "..");
    g_strfreev(parts);
    if (up) {
        g_set_error_literal(error, GONGWEN_ERROR, GONGWEN_ERROR_INPUT,
                            "the path leaves the report's folder (“..”)");
        return FALSE;
    }
    return TRUE;
}
