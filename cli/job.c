/* gongwen: loading a report for a command, and printing diagnostics. */
#include "cli.h"

#include "error.h"
#include "source.h"

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
job_apply_fonts(Fonts *fonts, const Doc *doc, const Options *o, GError **error)
{
    for (int r = 0; doc != NULL && r < FONT_ROLE_COUNT; r++) {
        const char *family = doc->profile->fonts[r];
        GError *e = NULL;
        if (family != NULL && !fonts_set_override(fonts, (FontRole)r, family, &e)) {
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT, "%s: error: [fonts] %s: %s",
                        doc->profile->path, fonts_role_name((FontRole)r), e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    if (doc != NULL && doc->profile->latin_family != NULL) {
        char **families = g_strsplit(doc->profile->latin_family, ",", -1);
        gboolean any = FALSE;
        for (char **f = families; *f != NULL && !any; f++)
            any = fonts_family_installed(fonts, g_strstrip(*f));
        g_strfreev(families);
        if (!any) {
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                        "%s: error: [style] latin_font: no font of \"%s\" is installed (Liberation "
                        "Serif, Debian fonts-liberation2, has the metrics of Times New Roman)",
                        doc->profile->path, doc->profile->latin_family);
            return FALSE;
        }
    }
    for (size_t i = 0; doc != NULL && i < doc->n_fonts; i++) {
        const DocFont *f = &doc->fonts[i];
        GError *e = NULL;
        if (!fonts_set_override(fonts, fonts_role_from_name(f->role), f->family, &e)) {
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT, "%s:%d:%d: error: %s",
                        f->loc.file, f->loc.line, f->loc.col, e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    for (char **f = o->fonts; f != NULL && *f != NULL; f++) {
        char **kv = g_strsplit(*f, "=", 2);
        FontRole role = fonts_role_from_name(kv[0]);
        GError *e = NULL;
        gboolean ok = FALSE;
        if (kv[1] == NULL || role == FONT_ROLE_COUNT) {
            char *roles = fonts_role_names();
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                        "gongwen: error: --font %s: give ROLE=FAMILY; the roles are %s", *f,
                        roles);
            g_free(roles);
        } else if (!(ok = fonts_set_override(fonts, role, kv[1], &e))) {
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT, "gongwen: error: --font %s: %s",
                        *f, e->message);
            g_error_free(e);
        }
        g_strfreev(kv);
        if (!ok)
            return FALSE;
    }
    return TRUE;
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
    memset(job, 0, sizeof *job);
    job->errors = g_ptr_array_new_with_free_func(g_free);
    job->warnings = g_ptr_array_new_with_free_func(g_free);
    job->doc = source_load(report, error);
    if (job->doc == NULL)
        return FALSE;
    if (o->profile != NULL) {
        Profile *profile = profile_load(o->profile, error);
        if (profile == NULL)
            return FALSE;
        profile_free(job->doc->profile);
        job->doc->profile = profile;
    }
    for (guint k = 0; k < job->doc->warnings->len; k++)
        g_ptr_array_add(job->warnings, g_strdup(g_ptr_array_index(job->doc->warnings, k)));
    if (fonts != NULL) {
        fonts_reset_overrides(fonts);
        job->fonts = fonts;
    } else {
        job->fonts = fonts_new(o->fonts_conf, error);
        job->own_fonts = TRUE;
    }
    if (job->fonts == NULL || !job_apply_fonts(job->fonts, job->doc, o, error))
        return FALSE;
    if (!page_check_fonts(job->doc, job->fonts, job->warnings, error))
        return FALSE;
    if (!lay_out)
        return TRUE;
    job->pages = page_layout(job->doc, job->fonts, error);
    for (guint k = 0; job->pages != NULL && k < job->pages->warnings->len; k++)
        g_ptr_array_add(job->warnings, g_strdup(g_ptr_array_index(job->pages->warnings, k)));
    return job->pages != NULL;
}

void
job_clear(Job *job)
{
    pages_free(job->pages);
    if (job->own_fonts)
        fonts_free(job->fonts);
    doc_free(job->doc);
    if (job->errors != NULL)
        g_ptr_array_free(job->errors, TRUE);
    if (job->warnings != NULL)
        g_ptr_array_free(job->warnings, TRUE);
    memset(job, 0, sizeof *job);
}
