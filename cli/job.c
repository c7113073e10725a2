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
diag_print(const char *line)
{
    const char *err = strstr(line, ": error:"), *warn = strstr(line, ": warning:");
    const char *at = err != NULL ? err : warn;
    if (at == NULL || !use_colour()) {
        fprintf(stderr, "%s\n", line);
        return;
    }
    const char *word = err != NULL ? "error" : "warning", *colour = err ? "31" : "33";
    fprintf(stderr, "\033[1m%.*s\033[0m: \033[1;%sm%s\033[0m:%s\n", (int)(at - line), line,
            colour, word, at + strlen(word) + 3);
}

void
diag_print_all(const GPtrArray *lines, const Options *o)
{
    for (guint k = 0; lines != NULL && k < lines->len; k++) {
        const char *line = g_ptr_array_index(lines, k);
        if (!o->quiet || strstr(line, ": error:") != NULL)
            diag_print(line);
    }
}

int
report_error(GError *error)
{
    diag_print(error->message);
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
