/* gongwen: a small TAP helper (see tap.h). */
#include "tap.h"

#include <glib/gstdio.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static size_t tests_run;
static size_t tests_failed;

void
tap_plan_no_plan(void)
{
    tests_run = 0;
    tests_failed = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
}

int
tap_done(void)
{
    printf("1..%zu\n", tests_run);
    if (tests_failed > 0)
        tap_diag("%zu of %zu tests failed", tests_failed, tests_run);
    fflush(stdout);
    return tests_failed > 0 ? 1 : 0;
}

static gboolean
report(gboolean cond, const char *format, va_list args)
{
    char *name = g_strdup_vprintf(format, args);
    tests_run++;
    if (!cond)
        tests_failed++;
    printf("%s %zu - %s\n", cond ? "ok" : "not ok", tests_run, name);
    g_free(name);
    return cond;
}

gboolean
tap_ok(gboolean cond, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    report(cond, format, args);
    va_end(args);
    return cond;
}

void
tap_diag(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *text = g_strdup_vprintf(format, args);
    va_end(args);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **line = lines; *line != NULL; line++)
        if (**line != '\0' || line[1] != NULL)
            printf("# %s\n", *line);
    g_strfreev(lines);
    g_free(text);
}

/* Print the first line where `got` and `expected` differ. */
static void
diag_first_difference(const char *got, const char *expected)
{
    if (got == NULL || expected == NULL) {
        tap_diag("got %s, expected %s", got ? "a string" : "NULL", expected ? "a string" : "NULL");
        return;
    }
    char **g = g_strsplit(got, "\n", -1);
    char **e = g_strsplit(expected, "\n", -1);
    size_t i = 0;
    while (g[i] != NULL && e[i] != NULL && strcmp(g[i], e[i]) == 0)
        i++;
    tap_diag("first difference on line %zu:", i + 1);
    tap_diag("     got: %s", g[i] != NULL ? g[i] : "(end)");
    tap_diag("expected: %s", e[i] != NULL ? e[i] : "(end)");
    g_strfreev(g);
    g_strfreev(e);
}

gboolean
tap_is_str(const char *got, const char *expected, const char *format, ...)
{
    gboolean same = got != NULL && expected != NULL && strcmp(got, expected) == 0;
    va_list args;
    va_start(args, format);
    report(same, format, args);
    va_end(args);
    if (!same)
        diag_first_difference(got, expected);
    return same;
}

void
tap_skip(size_t n, const char *reason)
{
    for (size_t i = 0; i < n; i++) {
        tests_run++;
        tests_failed++;
        printf("not ok %zu - could not run: %s\n", tests_run, reason);
    }
}

const char *
tap_srcdir(void)
{
    const char *dir = g_getenv("GONGWEN_SRCDIR");
    return dir != NULL && *dir != '\0' ? dir : ".";
}

gboolean
tap_chdir_srcdir(void)
{
    return tap_ok(g_chdir(tap_srcdir()) == 0, "chdir %s", tap_srcdir());
}

gboolean
tap_compare_file(const char *got, const char *expected_path, const char *name)
{
    if (g_strcmp0(g_getenv("GONGWEN_REGENERATE"), "1") == 0) {
        /* Never green: a regenerated file holds whatever the code does now. */
        GError *error = NULL;
        gboolean written = g_file_set_contents(expected_path, got, -1, &error);
        tap_ok(FALSE, "%s: %s", name, written ? "regenerated, review the diff" : "not regenerated");
        tap_diag("%s %s", written ? "wrote" : "could not write", expected_path);
        if (!written) {
            tap_diag("%s", error->message);
            g_error_free(error);
        }
        return FALSE;
    }
    char *expected = NULL;
    if (!g_file_get_contents(expected_path, &expected, NULL, NULL)) {
        tap_ok(FALSE, "%s", name);
        tap_diag("cannot read %s (run with GONGWEN_REGENERATE=1 to create it)", expected_path);
        return FALSE;
    }
    gboolean same = tap_is_str(got, expected, "%s", name);
    if (!same)
        tap_diag("expected file: %s (GONGWEN_REGENERATE=1 rewrites it)", expected_path);
    g_free(expected);
    return same;
}
