/* gongwen serve: the workbench's pieces shared by cli/serve.c (the HTTP server, its checks
 * and its files) and cli/serve-render.c (renders in a worker process). */
#ifndef GONGWEN_SERVE_H
#define GONGWEN_SERVE_H

#include "fonts.h"

#include <glib.h>
#include <libsoup/soup.h>
#include <sys/types.h>

#define SERVE_MAX_BODY (16u * 1024u * 1024u) /* a request's body */
#define SERVE_MAX_FILE (16u * 1024u * 1024u) /* a file shown in the editor */

typedef struct Renderer Renderer;

/* What a worker is asked to do. */
typedef enum {
    SERVE_JOB_RENDER, /* lay out and draw the pages (SVG) and their text, as JSON */
    SERVE_JOB_EXPORT, /* write the PDF or OFD */
} ServeJobKind;

typedef struct {
    ServeJobKind kind;
    char *report;        /* the report's folder, absolute, checked */
    GHashTable *overlay; /* absolute path -> GBytes: the editor's text of its files */
    char *format;        /* EXPORT: "pdf" or "ofd" */
    SoupServerMessage *msg; /* paused until the job is done (a reference) */
    gint64 started;      /* g_get_monotonic_time() when it was started */
} ServeJob;

/* The workers: one at a time, the latest render of a report wins over one still waiting,
 * each stopped after `timeout` seconds. `fonts` (borrowed) are loaded once, before any
 * worker is forked, and shared with every one. */
Renderer *renderer_new(Fonts *fonts, double timeout);
/* Queue `job` (taken): its message is answered when it is done or superseded. */
void renderer_submit(Renderer *r, ServeJob *job);
/* The SVG of a page drawn by a render, by its digest; NULL when unknown. */
GBytes *renderer_lookup_page(Renderer *r, const char *digest);
/* Stop the worker running (if any) and answer every waiting message. */
void renderer_free(Renderer *r);

void serve_job_free(ServeJob *job);

/* `s` as a JSON string, quotes included, appended to `out`. */
void json_append_string(GString *out, const char *s);
/* Answer `msg` with `status` and the JSON object `{"error": message}`. */
void serve_reply_error(SoupServerMessage *msg, guint status, const char *message);
/* Answer with a JSON body (taken). */
void serve_reply_json(SoupServerMessage *msg, guint status, GString *json);

#endif
