/* gongwen: a small TAP (Test Anything Protocol) helper for the test executables. */
#ifndef GONGWEN_TAP_H
#define GONGWEN_TAP_H

#include <glib.h>
#include <stddef.h>

/* Tests are counted as they run; tap_done() prints the plan "1..N". */
void tap_plan_no_plan(void);
/* Print the plan; the exit status for main(): 0 when every test passed. */
int tap_done(void);

/* One test: "ok N - name" or "not ok N - name". Returns cond. */
gboolean tap_ok(gboolean cond, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Compare strings; on a mismatch print the first differing line as a diagnostic. */
gboolean tap_is_str(const char *got, const char *expected, const char *format, ...)
    G_GNUC_PRINTF(3, 4);
/* A "# ..." diagnostic line (each line of a multi-line message prefixed). */
void tap_diag(const char *format, ...) G_GNUC_PRINTF(1, 2);
/* `n` tests that could not run, with the reason: failures, never skips. */
void tap_skip(size_t n, const char *reason);

/* The source tree: $GONGWEN_SRCDIR, else ".". */
const char *tap_srcdir(void);
/* Change to the source tree: one test, failed when it cannot. */
gboolean tap_chdir_srcdir(void);
/* Compare `got` with the file at `expected_path`; with GONGWEN_REGENERATE=1 write `got`
 * there instead and report `not ok` ("regenerated, review the diff"), so that a
 * regenerating run can never pass. */
gboolean tap_compare_file(const char *got, const char *expected_path, const char *name);

#endif
