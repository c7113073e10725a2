/* gongwen: check --previous LASTDIR: last year's report read beside this year's, or found
 * beside it (layout/previous.h compares them). */
#include "cli.h"

#include "diag.h"
#include "error.h"
#include "previous.h"
#include "source.h"

#include <glib/gstdio.h>
#include <stdio.h>

/* Whether two paths name one file (by device and inode). */
static gboolean
same_file(const char *a, const char *b)
{
    GStatBuf sa, sb;
    return g_stat(a, &sa) == 0 && g_stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Last year's report at `path`, or NULL with an error that says why it is not one. */
static Doc *
load_last(const char *path, const Doc *doc, GError **error)
{
    DiagAt at = {path, 0, 0};
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, at,
                       "--previous: no such folder or file (last year's report)");
        return NULL;
    }
    char *source = g_file_test(path, G_FILE_TEST_IS_DIR)
                       ? g_build_filename(path, "report.txt", NULL)
                       : g_strdup(path);
    gboolean report = g_file_test(source, G_FILE_TEST_IS_REGULAR);
    gboolean itself = report && same_file(source, doc->path);
    g_free(source);
    if (!report) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, at,
                       "--previous: not a report: a report folder holds report.txt (last "
                       "year's report)");
        return NULL;
    }
    if (itself) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, at,
                       "--previous names this report itself; give last year's");
        return NULL;
    }
    GError *why = NULL;
    Doc *last = source_load(path, &why);
    if (last == NULL) {
        const Diag *d = diag_from_error(why);
        DiagAt where = d != NULL ? (DiagAt){d->file, d->line, d->col} : at;
        diag_set_error(error, GONGWEN_ERROR_INPUT, where, "last year's report (--previous): %s",
                       d != NULL ? d->message : why->message);
        g_error_free(why);
    }
    return last;
}

gboolean
check_previous(Job *job, const Options *o, GError **error)
{
    char *path = o->previous != NULL ? g_strdup(o->previous) : NULL;
    if (path == NULL && !o->no_previous) {
        path = previous_find_sibling(o->args[0]);
        if (path != NULL && !o->quiet)
            fprintf(stderr,
                    "%s: comparing with last year's report %s, the folder beside it "
                    "(--previous LASTDIR names another, --no-previous none)\n",
                    job->doc->path, path);
    }
    if (path == NULL)
        return TRUE;
    Doc *last = load_last(path, job->doc, error);
    gboolean ok = last != NULL;
    if (ok)
        previous_check(job->doc, last, job->diags);
    doc_free(last);
    g_free(path);
    return ok;
}
