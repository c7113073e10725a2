/* gongwen: loading a report for a command, its input files, and printing diagnostics. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include "diag.h"
#include "error.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* ---- the report's inputs, which no output may be ---- */

static void
add_input(GPtrArray *inputs, const char *path, const char *what, const char *name)
{
    if (path == NULL)
        return;
    InputFile *in = g_new(InputFile, 1);
    in->path = g_strdup(path);
    in->what = name != NULL ? g_strdup_printf("%s %s", what, name) : g_strdup(what);
    g_ptr_array_add(inputs, in);
}

static void
input_free(gpointer data)
{
    InputFile *in = data;
    g_free(in->path);
    g_free(in->what);
    g_free(in);
}

GPtrArray *
report_inputs(const Doc *doc, const Options *o, const Fonts *fonts)
{
    GPtrArray *inputs = g_ptr_array_new_with_free_func(input_free);
    if (doc != NULL)
        add_input(inputs, doc->path, "the report's source", NULL);
    for (size_t b = 0; doc != NULL && b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->kind == DOC_BLOCK_TABLE && block->table != NULL) {
            const char *file = block->table->file;
            add_input(inputs, file, "the report's data file", file);
            /* the rules read beside it (NULL when it has none) */
            add_input(inputs, block->table->rules_file, "the report's rules file",
                      block->table->rules_file);
        } else if (block->kind == DOC_BLOCK_CHART && block->chart != NULL) {
            add_input(inputs, block->chart->table->file, "the report's data file",
                      block->chart->table->file);
        } else if (block->kind == DOC_BLOCK_FIGURE) {
            add_input(inputs, block->file, "the report's image", block->file);
        }
    }
    for (size_t k = 0; doc != NULL && k < doc->n_seals; k++)
        add_input(inputs, doc->seals[k], "the report's seal image", doc->seals[k]);
    if (doc != NULL && doc->profile != NULL)
        add_input(inputs, doc->profile->path, "the report's profile", doc->profile->path);
    add_input(inputs, o->profile, "the report's profile", o->profile);
    add_input(inputs, o->words, "the word list", o->words);
    add_input(inputs, o->fonts_conf, "the fonts configuration", o->fonts_conf);
    if (fonts != NULL)
        add_input(inputs, fonts_get_conf_path(fonts), "the fonts configuration",
                  fonts_get_conf_path(fonts));
    return inputs;
}

gboolean
check_output(const Job *job, const Options *o, const char *output, GError **error)
{
    GStatBuf out, in;
    if (g_str_equal(output, "-") || g_stat(output, &out) != 0)
        return TRUE; /* a new file is nobody's input */
    GPtrArray *inputs = report_inputs(job->doc, o, job->fonts);
    gboolean ok = TRUE;
    for (guint k = 0; k < inputs->len && ok; k++) {
        const InputFile *f = g_ptr_array_index(inputs, k);
        /* the same file by device and inode: through links and hard links too */
        if (g_stat(f->path, &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){output, 0, 0},
                           "the output would overwrite %s", f->what);
            ok = FALSE;
        }
    }
    g_ptr_array_free(inputs, TRUE);
    return ok;
}

/* A path's identity as an output: the file it names when there is one (standard output's
 * for "-"), else its folder's real path and its name. */
static char *
output_identity(const char *path)
{
    GStatBuf st;
    if (g_str_equal(path, "-") ? fstat(1, &st) == 0 : g_stat(path, &st) == 0)
        return g_strdup_printf("%ju:%ju", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino);
    char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    char *real = realpath(dir, NULL);
    char *id = g_strdup_printf("%s/%s", real != NULL ? real : dir, base);
    free(real);
    g_free(dir);
    g_free(base);
    return id;
}

gboolean
outputs_same(const char *a, const char *b)
{
    char *ia = output_identity(a), *ib = output_identity(b);
    gboolean same = g_str_equal(ia, ib);
    g_free(ia);
    g_free(ib);
    return same;
}
