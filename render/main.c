/* gongwen: the command line. The only place that prints. */
#include "doc.h"
#include "error.h"
#include "fonts.h"
#include "gongwen-config.h"
#include "page.h"
#include "render.h"
#include "source.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: gongwen COMMAND [OPTION…] REPORT …\n"
    "\n"
    "Typeset a Chinese official document (GB/T 9704-2012) from plain text into PDF.\n"
    "REPORT is a report folder (holding report.txt) or a report text file.\n"
    "\n"
    "Commands:\n"
    "  render REPORT [-o OUT.pdf]       the whole report as PDF (default: NAME.pdf here)\n"
    "  preview REPORT SECTION [-o OUT]  one section, with the page numbers and line breaks\n"
    "                                   of the full document; OUT.pdf, OUT.png or OUT.svg\n"
    "                                   (PNG and SVG: one image, the pages stacked); with\n"
    "                                   no -o, its typeset lines on the terminal\n"
    "  check REPORT                     read and lay out, print warnings, write nothing\n"
    "  fonts [REPORT]                   the font that serves each role, and the report's\n"
    "                                   characters that fall back or are in no font\n"
    "  dump --stage=doc|lines|pages REPORT   the pipeline's stages as text\n"
    "\n"
    "SECTION is title, attachment, a number (3 or 三) or a level-1 heading's text or a\n"
    "unique prefix of it.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      where to write\n"
    "  --dpi N                resolution of PNG previews (default 96)\n"
    "  --font ROLE=FAMILY     set ROLE in FAMILY before its official and free fonts\n"
    "                         (roles: title, body, heading-1 … heading-4, page-number,\n"
    "                         table, chart; also front matter `font.ROLE: FAMILY`)\n"
    "  --fonts-conf FILE      a fontconfig file instead of gongwen's own\n"
    "                         (also $GONGWEN_FONTS_CONF)\n"
    "  -h, --help             this help\n"
    "  --version              the version\n"
    "\n"
    "Exit status: 0 success, 1 bad input or failed output, 2 usage error.\n"
    "Dates in the PDF come from the report's date, else SOURCE_DATE_EPOCH.\n";

typedef struct {
    const char *command;
    const char *output;
    const char *stage;
    const char *fonts_conf;
    const char *font_overrides[FONT_ROLE_COUNT * 2]; /* ROLE=FAMILY, as given */
    int n_font_overrides;
    double dpi;
    const char *args[3];
    int n_args;
} Options;

static int
usage_error(const char *format, const char *arg)
{
    fprintf(stderr, "gongwen: ");
    fprintf(stderr, format, arg);
    fprintf(stderr, "\nTry 'gongwen --help'.\n");
    return EXIT_USAGE;
}

static int
report_error(GError *error)
{
    fprintf(stderr, "%s\n", error->message);
    g_error_free(error);
    return EXIT_INPUT;
}

static const char *
option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (*i + 1 < argc) {
        *i += 1;
        return argv[*i];
    }
    return NULL;
}

/* Parse argv into `o`; returns -1 to go on, or an exit status. */
static int
parse_options(int argc, char **argv, Options *o)
{
    memset(o, 0, sizeof *o);
    o->dpi = 96;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage_text, stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("gongwen %s\n", GONGWEN_VERSION);
            return EXIT_OK;
        } else if (strcmp(a, "-o") == 0 || g_str_has_prefix(a, "--output")) {
            if ((o->output = option_value(argc, argv, &i, "--output")) == NULL)
                return usage_error("%s needs a file", a);
        } else if (g_str_has_prefix(a, "--stage")) {
            if ((o->stage = option_value(argc, argv, &i, "--stage")) == NULL)
                return usage_error("%s needs doc, lines or pages", a);
        } else if (g_str_has_prefix(a, "--fonts-conf")) {
            if ((o->fonts_conf = option_value(argc, argv, &i, "--fonts-conf")) == NULL)
                return usage_error("%s needs a file", a);
        } else if (strcmp(a, "--font") == 0 || g_str_has_prefix(a, "--font=")) {
            const char *v = option_value(argc, argv, &i, "--font");
            if (v == NULL || strchr(v, '=') == NULL)
                return usage_error("--font needs ROLE=FAMILY, e.g. --font body=仿宋_GB2312%s", "");
            if (o->n_font_overrides == (int)G_N_ELEMENTS(o->font_overrides))
                return usage_error("too many --font options%s", "");
            o->font_overrides[o->n_font_overrides++] = v;
        } else if (g_str_has_prefix(a, "--dpi")) {
            const char *v = option_value(argc, argv, &i, "--dpi");
            char *end = NULL;
            o->dpi = v != NULL ? g_ascii_strtod(v, &end) : 0;
            if (v == NULL || *end != '\0' || o->dpi < 10 || o->dpi > 1200)
                return usage_error("--dpi needs a number from 10 to 1200, not '%s'", v ? v : "");
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->command == NULL) {
            o->command = a;
        } else if (o->n_args < 3) {
            o->args[o->n_args++] = a;
        } else {
            return usage_error("too many arguments at '%s'", a);
        }
    }
    if (o->command == NULL) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

/* The report's source file, for the output-equals-input check and the default name. */
static char *
default_output(const char *report, const char *ext)
{
    char *path = g_strdup(report);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    char *base = g_path_get_basename(path);
    if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
        char *dot = strrchr(base, '.');
        if (dot != NULL && dot != base)
            *dot = '\0';
    }
    char *out = g_strconcat(base, ext, NULL);
    g_free(base);
    g_free(path);
    return out;
}

static gboolean
same_file(const char *a, const char *b)
{
    GStatBuf sa, sb;
    if (g_stat(a, &sa) != 0 || g_stat(b, &sb) != 0)
        return FALSE;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static gboolean
check_output(const Doc *doc, const char *output, GError **error)
{
    if (same_file(doc->path, output)) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_IO,
                    "%s: error: the output would overwrite the report's source", output);
        return FALSE;
    }
    return TRUE;
}

static void
print_warnings(const Doc *doc)
{
    for (guint k = 0; k < doc->warnings->len; k++)
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(doc->warnings, k));
}

typedef struct {
    Doc *doc;
    Fonts *fonts;
    Pages *pages;
} Job;

static void
job_clear(Job *job)
{
    pages_free(job->pages);
    fonts_free(job->fonts);
    doc_free(job->doc);
}

/* Font overrides: the report's front matter, then the command line's --font. */
static gboolean
apply_font_overrides(Fonts *fonts, const Doc *doc, const Options *o, GError **error)
{
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
    for (int i = 0; i < o->n_font_overrides; i++) {
        char **kv = g_strsplit(o->font_overrides[i], "=", 2);
        FontRole role = fonts_role_from_name(kv[0]);
        gboolean ok = role != FONT_ROLE_COUNT;
        if (!ok) {
            char *roles = fonts_role_names();
            g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                        "gongwen: error: --font %s: unknown role \"%s\"; the roles are %s",
                        o->font_overrides[i], kv[0], roles);
            g_free(roles);
        } else {
            GError *e = NULL;
            ok = fonts_set_override(fonts, role, kv[1], &e);
            if (!ok) {
                g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                            "gongwen: error: --font %s: %s", o->font_overrides[i], e->message);
                g_error_free(e);
            }
        }
        g_strfreev(kv);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

static void
print_strings(GPtrArray *lines)
{
    for (guint k = 0; k < lines->len; k++)
        fprintf(stderr, "%s\n", (const char *)g_ptr_array_index(lines, k));
}

static gboolean
job_load(Job *job, const Options *o, gboolean lay_out, GError **error)
{
    memset(job, 0, sizeof *job);
    job->doc = source_load(o->args[0], error);
    if (job->doc == NULL)
        return FALSE;
    print_warnings(job->doc);
    job->fonts = fonts_new(o->fonts_conf, error);
    if (job->fonts == NULL || !apply_font_overrides(job->fonts, job->doc, o, error))
        return FALSE;
    GPtrArray *warnings = g_ptr_array_new_with_free_func(g_free);
    gboolean ok = page_check_fonts(job->doc, job->fonts, warnings, error);
    print_strings(warnings);
    g_ptr_array_free(warnings, TRUE);
    if (!ok || !lay_out)
        return ok;
    job->pages = page_layout(job->doc, job->fonts, error);
    return job->pages != NULL;
}

static int
cmd_render(const Options *o)
{
    if (o->n_args != 1)
        return usage_error("render takes one REPORT%s", "");
    Job job;
    GError *error = NULL;
    char *output = o->output != NULL ? g_strdup(o->output) : default_output(o->args[0], ".pdf");
    gboolean ok = job_load(&job, o, TRUE, &error) && check_output(job.doc, output, &error) &&
                  pdf_write(job.doc, job.pages, 0, pages_count(job.pages), output, &error);
    g_free(output);
    job_clear(&job);
    return ok ? EXIT_OK : report_error(error);
}

/* The section's printed lines: page, line on the page, text. */
static void
print_section(const Pages *pages, size_t first, size_t last)
{
    for (size_t p = first; p < last; p++) {
        const Page *page = pages_get(pages, p);
        int y = -1, line = 0;
        for (guint k = 0; k < page->items->len; k++) {
            const PageItem *item = &g_array_index(page->items, PageItem, k);
            if (item->block == SIZE_MAX || item->kind != PAGE_ITEM_GLYPHS)
                continue;
            if (item->y != y) {
                int row = (item->y - PAGE_AREA_TOP) / PAGE_PITCH;
                printf("%s%3d %2d  ", y < 0 ? "" : "\n", page->number, row + 1);
                (void)line;
                y = item->y;
            }
            const PangoItem *pi = item->run->item;
            printf("%.*s", pi->length, item->text + pi->offset);
        }
        if (y >= 0)
            printf("\n");
    }
}

static int
cmd_preview(const Options *o)
{
    if (o->n_args != 2)
        return usage_error("preview takes REPORT and SECTION%s", "");
    Job job;
    GError *error = NULL;
    DocSection section;
    size_t first = 0, last = 0;
    gboolean ok = job_load(&job, o, TRUE, &error) &&
                  doc_find_section(job.doc, o->args[1], &section, &error);
    if (ok) {
        pages_find_section(job.pages, section, &first, &last);
        if (first == last) {
            g_set_error(&error, GONGWEN_ERROR, GONGWEN_ERROR_SECTION,
                        "section '%s' has nothing to print", o->args[1]);
            ok = FALSE;
        }
    }
    if (ok && o->output == NULL)
        print_section(job.pages, first, last);
    else if (ok && g_str_has_suffix(o->output, ".pdf"))
        ok = check_output(job.doc, o->output, &error) &&
             pdf_write(job.doc, job.pages, first, last, o->output, &error);
    else if (ok)
        ok = check_output(job.doc, o->output, &error) &&
             raster_write(job.pages, first, last, o->dpi, o->output, &error);
    job_clear(&job);
    return ok ? EXIT_OK : report_error(error);
}

static int
cmd_check(const Options *o)
{
    if (o->n_args != 1)
        return usage_error("check takes one REPORT%s", "");
    Job job;
    GError *error = NULL;
    gboolean ok = job_load(&job, o, TRUE, &error);
    if (ok)
        printf("%s: %zu pages, %u warnings\n", job.doc->path, pages_count(job.pages),
               job.doc->warnings->len);
    job_clear(&job);
    return ok ? EXIT_OK : report_error(error);
}

/* The role table: role, family, file and face, official or substitute. */
static void
print_font_roles(Fonts *fonts)
{
    printf("configuration: %s\n", fonts_get_conf_path(fonts));
    printf("%-12s %-26s %-11s %s\n", "role", "family", "kind", "file");
    for (int r = 0; r < FONT_ROLE_COUNT; r++) {
        FontFace face;
        if (fonts_role_face(fonts, (FontRole)r, &face)) {
            printf("%-12s %-26s %-11s %s", fonts_role_name((FontRole)r), face.family,
                   face.official ? "official" : "substitute", face.file);
            if (face.index > 0)
                printf(" (face %d)", face.index);
            printf("\n");
        } else {
            printf("%-12s (no font)\n", fonts_role_name((FontRole)r));
        }
        font_face_clear(&face);
    }
}

/* For a report: every character that falls back to another font or is in none. */
static int
print_font_issues(Fonts *fonts, const Doc *doc)
{
    GArray *issues = page_font_issues(doc, fonts);
    int missing = 0;
    printf("\n%s: %u characters outside their role's font\n", doc->path, issues->len);
    for (guint i = 0; i < issues->len; i++) {
        const PageFontIssue *is = &g_array_index(issues, PageFontIssue, i);
        char ch[8] = {0};
        g_unichar_to_utf8(is->c, ch);
        missing += is->cover == FONT_COVER_NONE;
        printf("%s:%d:%d: %s “%s” U+%04X (%s, %d time%s)%s%s\n", is->loc.file, is->loc.line,
               is->loc.col, is->cover == FONT_COVER_NONE ? "missing" : "fallback", ch,
               (unsigned)is->c, fonts_role_name(is->role), is->count, is->count == 1 ? "" : "s",
               is->family != NULL ? " -> " : "", is->family != NULL ? is->family : "");
    }
    page_font_issues_free(issues);
    return missing > 0 ? EXIT_INPUT : EXIT_OK;
}

static int
cmd_fonts(const Options *o)
{
    if (o->n_args > 1)
        return usage_error("fonts takes at most one REPORT%s", "");
    GError *error = NULL;
    Doc *doc = o->n_args == 1 ? source_load(o->args[0], &error) : NULL;
    Fonts *fonts = o->n_args == 0 || doc != NULL ? fonts_new(o->fonts_conf, &error) : NULL;
    int status = EXIT_OK;
    if (fonts == NULL || !apply_font_overrides(fonts, doc, o, &error)) {
        status = report_error(error);
    } else {
        print_font_roles(fonts);
        if (doc != NULL)
            status = print_font_issues(fonts, doc);
    }
    fonts_free(fonts);
    doc_free(doc);
    return status;
}

static int
cmd_dump(const Options *o)
{
    if (o->n_args != 1)
        return usage_error("dump takes one REPORT%s", "");
    const char *stage = o->stage != NULL ? o->stage : "doc";
    if (strcmp(stage, "doc") != 0 && strcmp(stage, "lines") != 0 && strcmp(stage, "pages") != 0)
        return usage_error("unknown stage '%s' (doc, lines or pages)", stage);
    Job job;
    GError *error = NULL;
    char *text = NULL;
    gboolean ok = job_load(&job, o, strcmp(stage, "pages") == 0, &error);
    if (ok && strcmp(stage, "doc") == 0)
        text = doc_dump(job.doc);
    else if (ok && strcmp(stage, "lines") == 0)
        ok = (text = page_dump_lines(job.doc, job.fonts, &error)) != NULL;
    else if (ok)
        text = pages_dump(job.pages);
    if (ok)
        fputs(text, stdout);
    g_free(text);
    job_clear(&job);
    return ok ? EXIT_OK : report_error(error);
}

int
main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    Options o;
    int status = parse_options(argc, argv, &o);
    if (status >= 0)
        return status;
    if (strcmp(o.command, "render") == 0)
        return cmd_render(&o);
    if (strcmp(o.command, "preview") == 0)
        return cmd_preview(&o);
    if (strcmp(o.command, "check") == 0)
        return cmd_check(&o);
    if (strcmp(o.command, "fonts") == 0)
        return cmd_fonts(&o);
    if (strcmp(o.command, "dump") == 0)
        return cmd_dump(&o);
    return usage_error("unknown command '%s'", o.command);
}
