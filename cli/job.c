/* gongwen: loading a report for a command, and printing diagnostics. */
#include "cli.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gboolean
use_colour(void)
{
    const char *no = g_getenv("NO_COLOR");
    return isatty(fileno(stderr)) && (no == NULL || *no == '\0');
}

void
diag_print(const Diag *d)
{
    char *line = diag_format(d);
    if (!use_colour()) {
        fprintf(stderr, "%s\n", line);
    } else {
        /* the place in bold, the severity in red or yellow, the message plain */
        const char *word = d->severity == DIAG_ERROR ? "error" : "warning";
        const char *colour = d->severity == DIAG_ERROR ? "31" : "33";
        size_t place = strlen(line) - strlen(d->message) - strlen(word) - 4;
        fprintf(stderr, "\033[1m%.*s\033[0m: \033[1;%sm%s\033[0m: %s\n", (int)place, line,
                colour, word, d->message);
    }
    g_free(line);
}

void
diag_print_all(const GPtrArray *diags, const Options *o)
{
    for (guint k = 0; diags != NULL && k < diags->len; k++) {
        const Diag *d = g_ptr_array_index(diags, k);
        if (!o->quiet || d->severity == DIAG_ERROR)
            diag_print(d);
    }
}

int
report_error(GError *error)
{
    const Diag *d = diag_from_error(error);
    if (d != NULL)
        diag_print(d);
    else
        fprintf(stderr, "%s\n", error->message);
    g_error_free(error);
    return EXIT_INPUT;
}

int
usage_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    fprintf(stderr, "gongwen: %s\nTry 'gongwen --help'.\n", message);
    g_free(message);
    return EXIT_USAGE;
}

gboolean
job_load(Job *job, const Options *o, gboolean lay_out, GError **error)
{
    return job_load_report(job, o, o->args[0], NULL, lay_out, error);
}

gboolean
job_load_report(Job *job, const Options *o, const char *report, Fonts *fonts,
                gboolean lay_out, GError **error)
{
    ReportOptions ro = {o->profile, o->fonts, o->fonts_conf, fonts, lay_out, FALSE};
    return report_load(job, report, &ro, error);
}
