/* gongwen: laid-out pages -> files. Nothing here measures or breaks text. */
#ifndef GONGWEN_RENDER_H
#define GONGWEN_RENDER_H

#include "page.h"

#include <cairo.h>
#include <glib.h>
#include <stdio.h>
#include <sys/types.h>

/* Draw one page's display list on `cr` (user units: points, origin at the page's top left):
 * the PNG and SVG outputs. The PDF is written by gongwen itself (render/pdf.c). */
void draw_page(cairo_t *cr, const Page *page);

/* The seam between laid-out pages and the files made of them. A backend reads Pages only
 * (never the Doc, never layout constants): begin opens the output, page draws each page as
 * it is finished (a PageSink: pass the state begin returned as its data), end completes the
 * file from what the Pages know (metadata, outline, the pages it was given), or, with pages
 * NULL (the layout failed), removes it so that nothing is written. Outputs are written
 * atomically. A new output is one file here with one Backend; nothing in layout/ changes. */
typedef struct AtomicFile AtomicFile;

typedef struct {
    double dpi;           /* PNG: pixels per inch */
    AtomicFile *file;     /* PDF, OFD: an output the caller opened (atomic_open) and commits
                             or aborts itself, with other outputs (atomic_commit_all); or
                             NULL: begin opens the path, end commits it */
    GArray *page_ids;     /* OFD: when not NULL, each page's ID (guint) appended as it is
                             written (for the seal anchor's page_id), else NULL */
} BackendParams;

typedef struct {
    const char *name;     /* "pdf", "png", "svg" */
    gboolean whole;       /* it keeps the pages it is given until end (an image of stacked
                             pages): give it Pages laid out whole (page_layout), not streamed */
    void *(*begin)(const char *path, const BackendParams *params, GError **error);
    void (*page)(const Pages *pages, const Page *page, void *state);
    gboolean (*end)(void *state, const Pages *pages, GError **error);
} Backend;

extern const Backend backend_pdf;
extern const Backend backend_png;
extern const Backend backend_svg;
extern const Backend backend_ofd;

/* The backend a path asks for by its extension: .png, .svg, .ofd, else (.pdf, "-") the PDF. */
const Backend *backend_for(const char *path);

/* Write pages [first, last) of laid-out Pages through `backend`. */
gboolean backend_write(const Backend *backend, const Pages *pages, size_t first, size_t last,
                       const char *path, double dpi, GError **error);

/* Whether SOURCE_DATE_EPOCH, when set and not empty, is a date (a whole number of seconds
 * since 1970 up to the end of year 9999); FALSE with `error` naming it and its value. The
 * commands that write a PDF call it before they write anything. */
gboolean pdf_check_source_date(GError **error);

/* SOURCE_DATE_EPOCH's seconds into *seconds (-1 when unset or empty); FALSE when it is not a
 * date (pdf_check_source_date). */
gboolean source_date_epoch(gint64 *seconds);

/* Write where the seals go (Pages.seals) as JSON, for e-seal systems, into `file` (opened
 * with atomic_open; the caller commits it); `output` names the PDF they belong to, or with
 * `ofd_page_ids` (each page's ID, BackendParams.page_ids) the OFD: then each seal's box is
 * given as the OFD's Boundary on the page of that ID instead of a PDF rectangle. */
void seal_anchor_write(const Pages *pages, const char *output, const GArray *ofd_page_ids,
                       AtomicFile *file);

/* Atomic output: a temporary file beside the target, then rename. A link to a file replaces
 * that file (the link stays); a device or a pipe, or a link to one, is written in place and
 * never replaced; a link to nothing, a folder or a standard descriptor that was closed when
 * gongwen started is refused. */
struct AtomicFile {
    char *path;   /* as given, for messages */
    char *target; /* the file renamed onto: path, or the file a link leads to */
    char *tmp_path;
    FILE *file;
    gboolean failed;
    gboolean special; /* a device or pipe written in place */
    int write_errno;  /* why a write failed */
    int slot;         /* 1 + its place in the signal handler's list, or 0 */
};

/* Remove the temporary files of writes under way when SIGTERM, SIGINT, SIGHUP or SIGQUIT
 * ends the process, after passing the signal on to the workers (atomic_fork_worker) and
 * waiting for them. */
void atomic_cleanup_on_signals(void);
/* Give each of the standard descriptors that is closed a stand-in (a pipe, read end for
 * output), so that no file opened later takes its number; an output that leads to it
 * (/dev/stdout) is then refused. Call first thing in main. */
void atomic_guard_standard_fds(void);

/* fork() a worker process: the signals above are passed on to it until atomic_wait_worker
 * has reaped it, and (on Linux) it gets SIGTERM when its parent ends, even by SIGKILL. */
pid_t atomic_fork_worker(void);
/* In a worker: whether the process that forked it has gone. */
gboolean atomic_worker_orphaned(void);
/* Wait for a worker to end; its wait status. */
int atomic_wait_worker(pid_t pid);

/* Open an output: FALSE with `error` set (naming `path`) when it cannot be written. */
gboolean atomic_open(AtomicFile *out, const char *path, GError **error);
/* Whether `path` can be an output (atomic_open would succeed; a temporary file is made and
 * removed), without opening a device or a pipe. */
gboolean atomic_check(const char *path, GError **error);
/* cairo write callback writing to an AtomicFile. */
cairo_status_t atomic_write_cb(void *closure, const unsigned char *data, unsigned int length);
/* Flush, sync and rename; on any earlier failure remove the temporary file instead. */
gboolean atomic_commit(AtomicFile *out, GError **error);
/* The same for several outputs together: every one is flushed and synced before any is
 * renamed, and on a failure none is renamed (unless a rename itself fails midway). */
gboolean atomic_commit_all(AtomicFile *const *files, size_t n, GError **error);
void atomic_abort(AtomicFile *out);

#endif
