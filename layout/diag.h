/* gongwen: diagnostics. Every problem a stage finds is a Diag — severity, file, line, column
 * and message — added through one call; the command line formats and colours them. An error
 * that stops a stage is a GError of GONGWEN_ERROR whose message is the Diag formatted, and
 * which carries the Diag itself (diag_from_error). */
#ifndef GONGWEN_DIAG_H
#define GONGWEN_DIAG_H

#include "error.h"

#include <glib.h>

typedef enum {
    DIAG_ERROR,
    DIAG_WARNING,
} DiagSeverity;

typedef struct {
    DiagSeverity severity;
    char *file;    /* the file it is about, or NULL (a command-line option) */
    int line, col; /* 1-based; 0 when not known */
    char *message;
} Diag;

/* Where a diagnostic points: file (NULL for none), line and column (0 when not known). */
typedef struct {
    const char *file;
    int line;
    int col;
} DiagAt;

/* A list of diagnostics, each owned by it. */
GPtrArray *diag_list_new(void);
/* Add a diagnostic at `at` to `list`. */
void diag_add(GPtrArray *list, DiagSeverity severity, DiagAt at, const char *format, ...)
    G_GNUC_PRINTF(4, 5);
/* Add copies of every diagnostic of `from` (may be NULL) to `list`. */
void diag_add_all(GPtrArray *list, const GPtrArray *from);
/* How many diagnostics of `severity` the list holds. */
guint diag_count(const GPtrArray *list, DiagSeverity severity);
/* "file:line:col: warning: message" (the parts not known left out). Owned. */
char *diag_format(const Diag *diag);

/* Set `error` (GONGWEN_ERROR, `code`) to an error at `at`: its message the formatted Diag. */
void diag_set_error(GError **error, GongwenError code, DiagAt at, const char *format, ...)
    G_GNUC_PRINTF(4, 5);
/* The Diag an error carries, or NULL (an error not made by diag_set_error). */
const Diag *diag_from_error(const GError *error);

#endif
