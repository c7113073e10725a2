/* gongwen: the command line: GOptionContext parsing and dispatch. The only place, with the
 * cmd_ files it calls, that prints. */
#include "cli.h"

#include "gongwen-config.h"
#include "render.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

static const char overview[] =
    "Usage: gongwen COMMAND [OPTION…] REPORT …\n"
    "\n"
    "Typeset a Chinese official document (GB/T 9704-2012) from plain text into PDF.\n"
    "REPORT is a report folder (holding report.txt) or a report text file.\n"
    "\n"
    "Commands:\n"
    "  render REPORT [-o OUT.pdf]       the whole report as PDF (default: NAME.pdf here), or\n"
    "                                   as OFD with -o OUT.ofd or --format ofd;\n"
    "  render REPORT… --out-dir DIR [-j N]   several reports in one process\n"
    "  preview REPORT SECTION [-o OUT]  one section as laid out in the whole document: its\n"
    "                                   lines on the terminal, or OUT.pdf, OUT.png, OUT.svg\n"
    "  check REPORT                     everything render checks, the table rules, the text's\n"
    "                                   hygiene and last year's report beside it (or\n"
    "                                   --previous LASTDIR); writes nothing, exit 1 on an error\n"
    "  fonts [REPORT]                   the font of each role; REPORT's uncovered characters\n"
    "  dump --stage=doc|lines|pages REPORT   the pipeline's stages as text\n"
    "  profile --dump [PROFILE]         the house-style defaults (or PROFILE's values) as a\n"
    "                                   profile file to start from\n"
    "  new annual-report DIR --year YYYY --organ NAME   a new annual report to fill in\n"
    "  new notice DIR                   a new 通知 to fill in\n"
    "  serve [DIR] [--port N]           the workbench: edit and see the pages in a browser\n"
    "                                   on this machine (DIR: a report, or a folder of them)\n"
    "\n"
    "Run 'gongwen COMMAND --help' for a command's options and examples.\n"
    "Exit status: 0 success, 1 bad input or failed output (nothing is written), 2 usage.\n"
    "Diagnostics read file:line:col: error|warning: message. NO_COLOR turns colours off.\n";

typedef struct {
    const char *name;
    const char *params;
    const char *summary;
    const char *examples;
    gboolean output, stage, watch, werror, words, dpi, anchor, dump;
} Command;

static const Command commands[] = {
    {"render", "REPORT…", "Render the whole report to PDF; several reports (with --out-dir DIR)\n"
     "in one process that loads the fonts once, -j N of them at a time.",
     "Examples:\n"
     "  gongwen render reports/guizhou-commerce-2017 -o guizhou-commerce-2017.pdf\n"
     "  gongwen render report.txt --font body=仿宋_GB2312\n"
     "  gongwen render report.txt -o - > out.pdf\n"
     "  gongwen render reports/x --watch        # render again on every save\n"
     "  gongwen render reports/* --out-dir pdf -j 2   # a batch, two at a time\n"
     "\nThe PDF is written beside OUT under a temporary name and renamed when complete.\n"
     "Dates in the PDF come from the report's date, else SOURCE_DATE_EPOCH (whole seconds;\n"
     "anything else is an error), else the current time.\n"
     "--profile FILE overrides the report's own profile: line; --seal-anchor FILE writes\n"
     "where the seal of a sealed document goes (page, box in mm, PDF rectangle; for an OFD\n"
     "its page's ID and Boundary) as JSON.",
     TRUE, FALSE, TRUE, FALSE, FALSE, FALSE, TRUE, FALSE},
    {"preview", "REPORT SECTION",
     "Typeset one section exactly as in the whole document (same page numbers and line\n"
     "breaks). SECTION is title, attachment, issued (an issued document; issuedN when\n"
     "there are several), a number (3 or 三) or a level-1 heading's text or a unique prefix\n"
     "of it. With no -o its lines are printed, one row per printed line:\n"
     "page, line, a tag (T title, H1–H4 headings, A attachment, C caption), the text.\n"
     "PNG and SVG output is one image with the section's pages stacked top to bottom.",
     "Examples:\n"
     "  gongwen preview reports/guizhou-commerce-2017 三\n"
     "  gongwen preview reports/guizhou-commerce-2017 三 -o s.png --dpi 72\n"
     "  gongwen preview report.txt attachment -o a.pdf --watch",
     TRUE, FALSE, TRUE, FALSE, FALSE, TRUE, FALSE, FALSE},
    {"check", "REPORT",
     "Check a report without writing anything: the text, the front matter, fonts, numbering,\n"
     "tables and charts, the rules beside tables (X.tsv -> X.rules: sums, and sentences that\n"
     "state a table's figure), and the text's hygiene (straight quotes, half-width marks or\n"
     "spaces between Han characters, 1. mixed with 1．). Against last year's report (the\n"
     "folder beside it, or --previous LASTDIR): the applications carried over (an error when\n"
     "they differ), 现行有效件数, paragraphs 90 % the same as last year's, and figures that\n"
     "changed by more than a factor of 3.",
     "Examples:\n"
     "  gongwen check reports/guizhou-commerce-2017\n"
     "  gongwen check report.txt --werror --words names.txt\n"
     "  gongwen check reports/x-2024 --previous reports/x-2023\n"
     "\nA word list has one entry per line: 'wrong → right', or a word not to use.\n"
     "Without --previous, a report whose folder's name holds a year (reports/x-2024) is\n"
     "compared with the folder beside it named for the year before (reports/x-2023) when\n"
     "there is one, and check says so; --no-previous compares with none.",
     FALSE, FALSE, FALSE, TRUE, TRUE, FALSE, FALSE, FALSE},
    {"fonts", "[REPORT]",
     "Show which font serves each role (title, body, heading-1 … heading-4, page-number,\n"
     "table, chart), whether it is an official font or a substitute, and for a report the\n"
     "characters that fall back to another font or are in none.",
     "Examples:\n  gongwen fonts\n  gongwen fonts reports/guizhou-commerce-2017",
     FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE},
    {"dump", "REPORT",
     "Print a stage of the pipeline: doc (the document model), lines (each block's lines\n"
     "with their widths in cells, squeeze and stretch) or pages (every page's lines, boxes\n"
     "and chart shapes with their positions in points).",
     "Examples:\n  gongwen dump --stage=lines reports/guizhou-commerce-2017",
     FALSE, TRUE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE},
    {"profile", "--dump [PROFILE]",
     "Print a house-style profile: the GB/T 9704 defaults, or with PROFILE the values it\n"
     "sets over them (after checking it). A profile is an INI file with groups [page]\n"
     "(line_pitch, grid, lines, chars, page_number, imprint_page), [fonts] (a family per\n"
     "role) and [style] (heading3_bold, latin_gap, latin_font, red). Use one with render\n"
     "--profile FILE or with profile: FILE in a report's front matter.",
     "Examples:\n"
     "  gongwen profile --dump > house.ini\n"
     "  gongwen profile --dump house.ini      # check it and show its values\n"
     "  gongwen render reports/x --profile house.ini",
     FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE},
};

static const Command *
find_command(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
        if (g_str_equal(name, commands[i].name))
            return &commands[i];
    return NULL;
}

static GOptionContext *
command_context(const Command *c, Options *o)
{
    const GOptionEntry all[] = {
        {"output", 'o', 0, G_OPTION_ARG_FILENAME, &o->output, "Where to write (- for standard "
         "output)", "FILE"},
        {"stage", 0, 0, G_OPTION_ARG_STRING, &o->stage, "doc, lines or pages", "STAGE"},
        {"watch", 'w', 0, G_OPTION_ARG_NONE, &o->watch, "Run again whenever the report or a "
         "data file changes", NULL},
        {"werror", 0, 0, G_OPTION_ARG_NONE, &o->werror, "Treat warnings as errors", NULL},
        {"words", 0, 0, G_OPTION_ARG_FILENAME, &o->words, "A word list to check the text "
         "against", "FILE"},
        {"previous", 0, 0, G_OPTION_ARG_FILENAME, &o->previous, "Last year's report, to "
         "compare with (default: the folder beside it of the year before)", "LASTDIR"},
        {"no-previous", 0, 0, G_OPTION_ARG_NONE, &o->no_previous, "Compare with no earlier "
         "report", NULL},
        {"dpi", 0, 0, G_OPTION_ARG_STRING, &o->dpi_arg, "Resolution of PNG previews (default "
         "96)", "N"},
        {"font", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->fonts, "Ask for FAMILY first for ROLE "
         "(repeatable)", "ROLE=FAMILY"},
        {"fonts-conf", 0, 0, G_OPTION_ARG_FILENAME, &o->fonts_conf, "A fontconfig file instead "
         "of gongwen's own (also $GONGWEN_FONTS_CONF)", "FILE"},
        {"seal-anchor", 0, 0, G_OPTION_ARG_FILENAME, &o->seal_anchor, "Write where the seal "
         "goes as JSON", "FILE"},
        {"out-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->out_dir, "Render several reports into "
         "DIR/NAME.pdf (or .ofd) in one process", "DIR"},
        {"jobs", 'j', 0, G_OPTION_ARG_STRING, &o->jobs_arg, "Worker processes for several "
         "reports (default 1)", "N"},
        {"format", 0, 0, G_OPTION_ARG_STRING, &o->format, "pdf or ofd (default: by the "
         "output's extension, .ofd an OFD, else a PDF)", "FORMAT"},
        {"dump", 0, 0, G_OPTION_ARG_NONE, &o->dump_profile, "Print the profile", NULL},
        {"profile", 0, 0, G_OPTION_ARG_FILENAME, &o->profile, "A house-style profile (INI) "
         "over the GB/T 9704 defaults", "FILE"},
        {"quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet, "Print errors only", NULL},
        {"verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose, "Say what was written and how fast",
         NULL},
    };
    /* --previous and --no-previous are check's, as --words is */
    const gboolean wanted[] = {c->output, c->stage,  c->watch, c->werror,  c->words,
                               c->words,  c->words,  c->dpi,   TRUE,       TRUE,
                               c->anchor, c->anchor, c->anchor, c->anchor, c->dump, !c->dump,
                               TRUE,      TRUE};
    G_STATIC_ASSERT(G_N_ELEMENTS(wanted) == G_N_ELEMENTS(all));
    GOptionEntry entries[G_N_ELEMENTS(all) + 1];
    size_t n = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
        if (wanted[i])
            entries[n++] = all[i];
    memset(&entries[n], 0, sizeof entries[n]);
    /* "Usage: gongwen render [OPTION…] REPORT…": the program's name is argv[0] (below) */
    GOptionContext *context = g_option_context_new(c->params);
    g_option_context_set_summary(context, c->summary);
    g_option_context_set_description(context, c->examples);
    g_option_context_add_main_entries(context, entries, NULL);
    return context;
}

static void
options_clear(Options *o)
{
    g_free(o->output);
    g_free(o->stage);
    g_free(o->fonts_conf);
    g_free(o->words);
    g_free(o->previous);
    g_strfreev(o->fonts);
    g_free(o->profile);
    g_free(o->format);
    g_free(o->seal_anchor);
    g_free(o->out_dir);
    g_free(o->dpi_arg);
    g_free(o->jobs_arg);
    g_strfreev(o->args);
}

/* Parse the command's options; returns -1 to go on, or an exit status. */
static int
parse_command(const Command *c, int argc, char **argv, Options *o)
{
    GOptionContext *context = command_context(c, o);
    char **args = g_new0(char *, (size_t)argc + 1);
    for (int i = 0; i < argc; i++)
        args[i] = i == 0 ? g_strdup_printf("gongwen %s", c->name) : g_strdup(argv[i]);
    GError *error = NULL;
    gboolean ok = g_option_context_parse_strv(context, &args, &error);
    g_option_context_free(context);
    if (!ok) {
        g_strfreev(args);
        int status = usage_error("%s", error->message);
        g_error_free(error);
        return status;
    }
    o->args = g_strdupv(args + 1); /* after the command's name */
    g_strfreev(args);
    o->n_args = (int)g_strv_length(o->args);
    /* given, they must be in range: 0 is no default */
    char *end = NULL;
    o->dpi = o->dpi_arg != NULL ? g_ascii_strtod(o->dpi_arg, &end) : 96;
    if (o->dpi_arg != NULL &&
        (end == o->dpi_arg || *end != '\0' || !(o->dpi >= 10) || o->dpi > 1200))
        return usage_error("--dpi needs a number from 10 to 1200, not '%s'", o->dpi_arg);
    if (o->format != NULL && !g_str_equal(o->format, "pdf") && !g_str_equal(o->format, "ofd"))
        return usage_error("--format needs pdf or ofd, not '%s'", o->format);
    gint64 jobs = 1;
    if (o->jobs_arg != NULL && !g_ascii_string_to_signed(o->jobs_arg, 10, 1, 256, &jobs, NULL))
        return usage_error("-j needs a number from 1 to 256, not '%s'", o->jobs_arg);
    o->jobs = (int)jobs;
    return -1;
}

int
main(int argc, char **argv)
{
    atomic_guard_standard_fds(); /* before any file is opened */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    if (argc < 2) {
        fputs(overview, stderr);
        return EXIT_USAGE;
    }
    if (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h") ||
        g_str_equal(argv[1], "help")) {
        fputs(overview, stdout);
        return EXIT_OK;
    }
    if (g_str_equal(argv[1], "--version")) {
        printf("gongwen %s\n", GONGWEN_VERSION);
        return EXIT_OK;
    }
    if (g_str_equal(argv[1], "new")) { /* its own options: cli/new.c */
        atomic_cleanup_on_signals();
        return cmd_new(argc - 1, argv + 1);
    }
    if (g_str_equal(argv[1], "serve")) /* its own options and signals: cli/serve.c */
        return cmd_serve(argc - 1, argv + 1);
    const Command *c = find_command(argv[1]);
    if (c == NULL)
        return usage_error(argv[1][0] == '-' ? "unknown option '%s'" : "unknown command '%s'",
                           argv[1]);
    Options o = {0};
    o.command = c->name;
    int status = parse_command(c, argc - 1, argv + 1, &o);
    if (status < 0 && !o.watch) /* --watch handles SIGINT and SIGTERM itself */
        atomic_cleanup_on_signals();
    if (status < 0) {
        if (g_str_equal(c->name, "render"))
            status = cmd_render(&o);
        else if (g_str_equal(c->name, "preview"))
            status = cmd_preview(&o);
        else if (g_str_equal(c->name, "check"))
            status = cmd_check(&o);
        else if (g_str_equal(c->name, "fonts"))
            status = cmd_fonts(&o);
        else if (g_str_equal(c->name, "profile"))
            status = cmd_profile(&o);
        else
            status = cmd_dump(&o);
    }
    options_clear(&o);
    return status;
}
