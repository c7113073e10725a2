/* gongwen: the render, check, fonts and dump commands. */
#include "cli.h"

#include "diag.h"
#include "hygiene.h"
#include "render.h"
#include "rules.h"
#include "subset.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

char *
default_output(const char *report, const char *ext)
{
    char *path = g_strdup(report);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        path[--n] = '\0';
    char *base = g_path_get_basename(path);
    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
        /* "." or "..": the folder's name, not a hidden "..pdf" */
        if (g_str_equal(base, ".") || g_str_equal(base, "..")) {
            char *full = g_canonicalize_filename(path, NULL);
            g_free(base);
            base = g_path_get_basename(full);
            g_free(full);
        }
        if (g_str_equal(base, "/") || g_str_equal(base, ".") || g_str_equal(base, "..")) {
            g_free(base);
            base = g_strdup("report");
        }
    } else {
        char *dot = strrchr(base, '.');
        if (dot != NULL && dot != base)
            *dot = '\0';
    }
    char *out = g_strconcat(base, ext, NULL);
    g_free(base);
    g_free(path);
    return out;
}

/* The extension of outputs not named: .ofd with --format ofd, else .pdf. */
static const char *
out_ext(const Options *o)
{
    return o->format != NULL && g_str_equal(o->format, "ofd") ? ".ofd" : ".pdf";
}

static gboolean
output_is_ofd(const Options *o, const char *path)
{
    return o->format != NULL ? g_str_equal(o->format, "ofd") : backend_for(path) == &backend_ofd;
}

/* Lay the job's document out page by page into the output (PDF or OFD), each page written
 * as it is finished, so that memory stays flat however long the document; sets job->pages.
 * `page_ids`: for an OFD, filled with each page's ID (BackendParams.page_ids), or NULL. */
static gboolean
render_stream(Job *job, const Options *o, AtomicFile *output, GArray *page_ids,
              GError **error)
{
    const Backend *backend = output_is_ofd(o, output->path) ? &backend_ofd : &backend_pdf;
    BackendParams params = {0, output, page_ids};
    void *pdf = backend->begin(output->path, &params, error);
    gboolean ok = pdf != NULL;
    if (ok) {
        gboolean laid = report_layout_stream(job, backend->page, pdf, error);
        guint seen = laid ? job->pages->warnings->len : 0;
        /* ended without pages (a layout error), the backend writes nothing */
        ok = backend->end(pdf, laid ? job->pages : NULL, laid ? error : NULL) && laid;
        /* and the warnings the backend added (a PDF left without its update) */
        for (guint k = seen; laid && k < job->pages->warnings->len; k++) {
            const Diag *d = g_ptr_array_index(job->pages->warnings, k);
            diag_add(job->diags, d->severity, (DiagAt){d->file, d->line, d->col}, "%s",
                     d->message);
        }
    }
    return ok;
}

/* Render `report` to `output` (with `fonts` shared, or its own when NULL), and the seal
 * anchor when asked, printing the diagnostics. Once the report is read, every output is
 * checked not to be one of its inputs and opened (a temporary file beside it) before
 * anything is drawn; none is replaced unless all of them are complete. */
static gboolean
render_report(const Options *o, const char *report, const char *output, Fonts *fonts)
{
    Job job;
    GError *error = NULL;
    gint64 start = g_get_monotonic_time();
    AtomicFile pdf, anchor;
    AtomicFile *const files[] = {&pdf, &anchor};
    size_t n = o->seal_anchor != NULL ? 2 : 1, opened = 0;
    gboolean ok = job_load_report(&job, o, report, fonts, FALSE, &error);
    if (ok)
        rules_check(job.doc, job.diags); /* render reports the errors, check refuses */
    for (size_t i = 0; i < n && ok; i++) {
        const char *path = i == 0 ? output : o->seal_anchor;
        ok = check_output(&job, o, path, &error) && atomic_open(files[i], path, &error);
        opened += ok;
    }
    GArray *page_ids =
        n == 2 && output_is_ofd(o, output) ? g_array_new(FALSE, FALSE, sizeof(guint)) : NULL;
    ok = ok && render_stream(&job, o, &pdf, page_ids, &error);
    diag_print_all(job.diags, o);
    if (ok && n == 2) {
        if (job.pages->seals->len == 0 && !o->quiet)
            fprintf(stderr, "%s: warning: the document is not sealed (no seal: or sealed: yes); "
                            "%s lists no seal\n", job.doc->path, o->seal_anchor);
        seal_anchor_write(job.pages, output, page_ids, &anchor);
    }
    if (page_ids != NULL)
        g_array_free(page_ids, TRUE);
    if (ok)
        ok = atomic_commit_all(files, n, &error);
    else
        for (size_t i = 0; i < opened; i++)
            atomic_abort(files[i]);
    if (ok && (o->verbose || o->watch))
    {
        size_t pages = pages_count(job.pages);
        unsigned warnings = diag_count(job.diags, DIAG_WARNING);
        fprintf(stderr, "gongwen: rendered %s: %zu page%s, %u warning%s, %.2f s\n", output,
                pages, pages == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                (g_get_monotonic_time() - start) / 1e6);
    }
    job_clear(&job);
    if (!ok)
        report_error(error);
    return ok;
}

static int
render_once(const Options *o)
{
    char *output =
        o->output != NULL ? g_strdup(o->output) : default_output(o->args[0], out_ext(o));
    gboolean ok = render_report(o, o->args[0], output, NULL);
    g_free(output);
    return ok ? EXIT_OK : EXIT_INPUT;
}

/* The reports [first, n) stepping by `step`, with shared fonts; the number that failed. */
static int
render_share(const Options *o, char **outputs, int first, int step, Fonts *fonts)
{
    int failed = 0;
    for (int k = first; k < o->n_args && !atomic_worker_orphaned(); k += step)
        failed += !render_report(o, o->args[k], outputs[k], fonts);
    return failed;
}

/* render A B C … --out-dir DIR [-j N]: one process (or N, forked once the fonts are loaded)
 * renders every report into DIR/NAME.pdf, sharing the font map and its caches (and subset
 * data, render/subset.h): each PDF is the same bytes as the report rendered alone. A report
 * that fails does not stop the others; the exit status is 1 if any failed. */
static int
render_batch(const Options *o)
{
    if (o->output != NULL)
        return usage_error("-o names one output; for several reports give --out-dir DIR");
    if (o->watch || o->seal_anchor != NULL)
        return usage_error("--watch and --seal-anchor take one report, not a batch");
    const char *dir = o->out_dir != NULL ? o->out_dir : ".";
    char **outputs = g_new0(char *, (size_t)o->n_args + 1);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    int status = -1;
    for (int k = 0; k < o->n_args && status < 0; k++) {
        char *name = default_output(o->args[k], out_ext(o));
        outputs[k] = g_build_filename(dir, name, NULL);
        g_free(name);
        const char *other = g_hash_table_lookup(seen, outputs[k]);
        if (other != NULL)
            status = usage_error("%s and %s would both be written to %s", other, o->args[k],
                                 outputs[k]);
        g_hash_table_insert(seen, outputs[k], o->args[k]);
    }
    g_hash_table_destroy(seen);
    GError *error = NULL;
    if (status < 0 && !pdf_check_source_date(&error)) /* before anything is written */
        status = report_error(error);
    if (status < 0 && g_mkdir_with_parents(dir, 0777) != 0)
        status = report_error(g_error_new(GONGWEN_ERROR, GONGWEN_ERROR_IO,
                                          "%s: error: cannot make the folder: %s", dir,
                                          g_strerror(errno)));
    Fonts *fonts = status < 0 ? fonts_new(o->fonts_conf, &error) : NULL;
    if (status < 0 && fonts == NULL)
        status = report_error(error);
    int failed = 0, jobs = MAX(1, MIN(o->jobs, o->n_args));
    if (status < 0 && jobs == 1) {
        failed = render_share(o, outputs, 0, 1, fonts);
    } else if (status < 0) {
        /* the first report here, so that the fonts' caches and its subset data are made
         * once; then workers forked with them, each taking every jobs-th report after it. A
         * signal that ends this process ends the workers first (render/atomic.c), and a
         * worker ends when this process does. */
        failed = !render_report(o, o->args[0], outputs[0], fonts);
        fflush(NULL);
        GArray *pids = g_array_new(FALSE, FALSE, sizeof(pid_t));
        for (int w = 0; w < jobs; w++) {
            pid_t pid = atomic_fork_worker();
            if (pid == 0) {
                int n = render_share(o, outputs, 1 + w, jobs, fonts);
                fflush(NULL);
                _exit(MIN(n, 100));
            }
            if (pid < 0) { /* no more processes: this one does the rest */
                failed += render_share(o, outputs, 1 + w, jobs, fonts);
                continue;
            }
            g_array_append_val(pids, pid);
        }
        for (guint i = 0; i < pids->len; i++) {
            int st = atomic_wait_worker(g_array_index(pids, pid_t, i));
            failed += WIFEXITED(st) ? WEXITSTATUS(st) : 1;
        }
        g_array_free(pids, TRUE);
    }
    if (status < 0) {
        if (!o->quiet)
            fprintf(stderr, "gongwen: %d of %d reports rendered into %s%s\n",
                    o->n_args - MIN(failed, o->n_args), o->n_args, dir,
                    failed > 0 ? "; see the errors above" : "");
        status = failed > 0 ? EXIT_INPUT : EXIT_OK;
    }
    fonts_free(fonts);
    g_strfreev(outputs);
    return status;
}

int
cmd_render(const Options *o)
{
    if (o->n_args < 1)
        return usage_error("render takes a REPORT (see gongwen render --help)");
    if (o->n_args > 1 || o->out_dir != NULL)
        return render_batch(o);
    if (o->jobs > 1)
        return usage_error("-j runs a batch: give several reports and --out-dir DIR");
    if (o->seal_anchor != NULL) {
        char *output =
        o->output != NULL ? g_strdup(o->output) : default_output(o->args[0], out_ext(o));
        gboolean same = outputs_same(output, o->seal_anchor), ofd = output_is_ofd(o, output);
        g_free(output);
        if (same)
            return usage_error("the %s and --seal-anchor would both be written to %s; give the "
                               "seal anchor another file",
                               ofd ? "OFD" : "PDF", o->seal_anchor);
    }
    GError *error = NULL;
    if (!pdf_check_source_date(&error)) /* before anything is written */
        return report_error(error);
    return o->watch ? watch_run(o, render_once) : render_once(o);
}

/* profile --dump [PROFILE]: the defaults, or a profile's values, as a profile file. */
int
cmd_profile(const Options *o)
{
    if (!o->dump_profile || o->n_args > 1)
        return usage_error("profile takes --dump and at most one PROFILE (see gongwen profile "
                           "--help)");
    Profile *profile = NULL;
    GError *error = NULL;
    if (o->n_args == 1 && (profile = profile_load(o->args[0], &error)) == NULL)
        return report_error(error);
    char *text = profile_dump(profile);
    fputs(text, stdout);
    g_free(text);
    profile_free(profile);
    return EXIT_OK;
}

/* check: everything render checks, the table rules and the text's hygiene; nothing
 * written. Exit 1 on any error (and on any warning with --werror). */
int
cmd_check(const Options *o)
{
    if (o->n_args != 1)
        return usage_error("check takes one REPORT (see gongwen check --help)");
    if (o->previous != NULL && o->no_previous)
        return usage_error("check takes --previous LASTDIR or --no-previous, not both");
    Job job;
    GError *error = NULL;
    if (!pdf_check_source_date(&error)) /* render would refuse it */
        return report_error(error);
    gboolean ok = job_load(&job, o, TRUE, &error);
    if (ok) {
        rules_check(job.doc, job.diags);
        ok = hygiene_check(job.doc, o->words, job.diags, &error) &&
             check_previous(&job, o, &error);
    }
    /* the warnings, then the errors */
    for (int pass = 0; pass < 2; pass++)
        for (guint k = 0; k < job.diags->len; k++) {
            const Diag *d = g_ptr_array_index(job.diags, k);
            if ((d->severity == DIAG_WARNING) == (pass == 0) && (!o->quiet || pass == 1))
                diag_print(d);
        }
    guint errors = diag_count(job.diags, DIAG_ERROR);
    guint warnings = diag_count(job.diags, DIAG_WARNING);
    int status = EXIT_OK;
    if (!ok)
        status = report_error(error);
    else if (errors > 0 || (o->werror && warnings > 0))
        status = EXIT_INPUT;
    if (ok && !o->quiet)
    {
        size_t pages = pages_count(job.pages);
        fprintf(stderr, "%s: %zu page%s, %u error%s, %u warning%s\n", job.doc->path, pages,
                pages == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
                warnings == 1 ? "" : "s");
    }
    job_clear(&job);
    return status;
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

int
cmd_fonts(const Options *o)
{
    if (o->n_args > 1)
        return usage_error("fonts takes at most one REPORT (see gongwen fonts --help)");
    GError *error = NULL;
    Job job = {0};
    gboolean ok;
    if (o->n_args == 1) { /* the report's fonts, as render sets them; its characters listed */
        ReportOptions ro = {o->profile, o->fonts, o->fonts_conf, NULL, FALSE, TRUE};
        ok = report_load(&job, o->args[0], &ro, &error);
    } else {
        job.fonts = fonts_new(o->fonts_conf, &error);
        job.own_fonts = TRUE;
        ok = job.fonts != NULL && report_apply_fonts(job.fonts, NULL, o->fonts, &error);
    }
    int status = EXIT_OK;
    if (!ok) {
        status = report_error(error);
    } else {
        print_font_roles(job.fonts);
        if (job.doc != NULL)
            status = print_font_issues(job.fonts, job.doc);
    }
    job_clear(&job);
    return status;
}

int
cmd_dump(const Options *o)
{
    if (o->n_args != 1)
        return usage_error("dump takes one REPORT (see gongwen dump --help)");
    const char *stage = o->stage != NULL ? o->stage : "doc";
    if (!g_str_equal(stage, "doc") && !g_str_equal(stage, "lines") && !g_str_equal(stage, "pages"))
        return usage_error("unknown stage '%s' (doc, lines or pages)", stage);
    Job job;
    GError *error = NULL;
    char *text = NULL;
    gboolean ok = job_load(&job, o, g_str_equal(stage, "pages"), &error);
    if (ok && g_str_equal(stage, "doc"))
        text = doc_dump(job.doc);
    else if (ok && g_str_equal(stage, "lines"))
        ok = (text = page_dump_lines(job.doc, job.fonts, &error)) != NULL;
    else if (ok)
        text = pages_dump(job.pages);
    diag_print_all(job.diags, o);
    if (ok)
        fputs(text, stdout);
    g_free(text);
    job_clear(&job);
    return ok ? EXIT_OK : report_error(error);
}
