/* gongwen: the command line's shared pieces (render/main.c parses, the cmd_ files act). */
#ifndef GONGWEN_CLI_H
#define GONGWEN_CLI_H

#include "doc.h"
#include "fonts.h"
#include "page.h"
#include "report.h"

#include <glib.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *command;
    char *output;     /* -o FILE, "-" for standard output */
    char *stage;      /* dump --stage */
    char *fonts_conf; /* --fonts-conf */
    char *words;      /* check --words */
    char *previous;   /* check --previous LASTDIR: last year's report */
    gboolean no_previous; /* check --no-previous: not even the folder beside it */
    char **fonts;     /* --font ROLE=FAMILY, repeated */
    char *profile;    /* --profile FILE */
    char *seal_anchor; /* render --seal-anchor FILE */
    char *format;     /* render --format pdf|ofd; NULL: by the output's extension */
    gboolean dump_profile; /* profile --dump */
    char *out_dir;    /* render --out-dir DIR: several reports in one process */
    int jobs;         /* render -j N: worker processes for a batch, 1 unless given */
    double dpi;       /* preview --dpi, 96 unless given */
    char *jobs_arg, *dpi_arg; /* as given, checked by the parser */
    gboolean watch, werror, quiet, verbose;
    char **args;      /* the positional arguments after the command */
    int n_args;
} Options;

/* One run over a report: the library's Report (report.h). */
typedef Report Job;

/* Read, check fonts and (when `lay_out`) lay out the report args[0], with the options'
 * profile and fonts; the warnings found on the way are collected in the job. FALSE with
 * `error` set when the input is bad. */
gboolean job_load(Job *job, const Options *o, gboolean lay_out, GError **error);
/* The same for the report `report` with `fonts` shared (their overrides reset first), or
 * fonts of its own when `fonts` is NULL. */
gboolean job_load_report(Job *job, const Options *o, const char *report, Fonts *fonts,
                         gboolean lay_out, GError **error);
#define job_clear report_clear

/* A file the report reads: its path and what it is, for messages ("the report's data file
 * t.tsv"). */
typedef struct {
    char *path;
    char *what;
} InputFile;

/* Every file read for the report (InputFile*, owned): its source, data files (tables,
 * charts) and the rules beside tables, images, seal images, the profile, and the options'
 * --profile, --words and fonts configuration (the one `fonts` uses when not NULL). `doc`
 * may be NULL (the options' files only). */
GPtrArray *report_inputs(const Doc *doc, const Options *o, const Fonts *fonts);
/* That `output` is none of the job's input files (compared by device and inode, so also
 * through links); FALSE with `error` naming the output and the input otherwise. */
gboolean check_output(const Job *job, const Options *o, const char *output, GError **error);
/* Whether two outputs name one file ("-" is standard output). */
gboolean outputs_same(const char *a, const char *b);
/* The default output for `report`: NAME`ext` here, NAME the folder's name (for "." or ".."
 * too) or the text file's name without its extension. Owned. */
char *default_output(const char *report, const char *ext);

/* Print diagnostics to standard error (coloured on a terminal unless NO_COLOR is set). */
void diag_print(const Diag *diag);
/* Every diagnostic of the list (with -q, the errors only). */
void diag_print_all(const GPtrArray *diags, const Options *o);
int report_error(GError *error);
int usage_error(const char *format, ...) G_GNUC_PRINTF(1, 2);

/* check: compare the job's report with last year's (o->previous, else the folder beside it
 * named for the previous year, said on standard error, unless o->no_previous); what does
 * not agree is added to the job's diagnostics. FALSE with `error` set when last year's
 * report is missing or cannot be read. */
gboolean check_previous(Job *job, const Options *o, GError **error);

int cmd_render(const Options *o);
int cmd_preview(const Options *o);
int cmd_check(const Options *o);
int cmd_fonts(const Options *o);
int cmd_dump(const Options *o);
int cmd_profile(const Options *o);
/* gongwen new KIND DIR [options]: argv[0] is "new"; parses its own options (cli/new.c). */
int cmd_new(int argc, char **argv);
/* gongwen serve [DIR] [--port N]: the workbench in the browser (cli/serve.c). */
int cmd_serve(int argc, char **argv);

/* Run `once` now and again whenever the report or one of its data files changes, until
 * SIGINT or SIGTERM; an error leaves the last good output in place. */
int watch_run(const Options *o, int (*once)(const Options *));

#endif
