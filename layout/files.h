/* gongwen: the one way every file is read on behalf of a report — report.txt, table and
 * chart data, rules, images and seals, profiles, the word list, the font configuration.
 *
 * A report comes from people nobody checked, and so may its folder: a FIFO hangs a reader
 * that waits for a writer, /dev/zero never ends, a link can lead to any file the user can
 * read, and a file can be swapped between a check and the read. So a file is opened once
 * (non-blocking, no controlling terminal), and everything is checked on the opened
 * descriptor: that it is a regular file, its size against the limit before a byte is read,
 * that it lies inside the report's folder; then exactly that file is read, never more than
 * the limit.
 */
#ifndef GONGWEN_FILES_H
#define GONGWEN_FILES_H

#include <glib.h>

/* The limits of the README's table for the inputs that have no header of their own. */
#define FILES_MAX_RULES (1u * 1024u * 1024u)      /* an X.rules file beside a table */
#define FILES_MAX_WORDS (1u * 1024u * 1024u)      /* a --words list */
#define FILES_MAX_FONTS_CONF (1u * 1024u * 1024u) /* a --fonts-conf file */

/* Read the file at `path` whole: a regular file of at most `limit` bytes (`what`, “a table
 * file”, names it in the message about the limit). With `folder` not NULL the file opened
 * must lie inside that folder, links resolved (a link that stays inside is fine). Returns the
 * bytes, NUL-terminated, and their number in `len` (may be NULL); or NULL with `error` set
 * (GONGWEN_ERROR; the message says why but not which file: the caller names it, at the
 * place it belongs). A file that does not exist is GONGWEN_ERROR_IO with the message “no
 * such file”. */
char *files_read(const char *folder, const char *path, gsize limit, const char *what, gsize *len,
                 GError **error);

/* Whether the file at `path` can be read as files_read would (regular, inside `folder` when
 * not NULL): opened and closed, nothing read. */
gboolean files_check(const char *folder, const char *path, GError **error);

/* Whether `name`, a data file named in a report, keeps to the report's folder on its face:
 * not absolute, no “..” (links are checked when it is opened). FALSE with `error` set. */
gboolean files_check_name(const char *name, GError **error);

/* Text that stands in for files on disk: the files a workbench (gongwen serve) is editing, read
 * from its editor instead of from the disk. `overlay` maps absolute paths, as
 * g_canonicalize_filename gives them, to GBytes; files_read returns their bytes (within its
 * limit) for those paths instead of opening them, and files_check passes them. Process-wide:
 * set it in a process that does nothing else (the workbench's render worker); NULL clears
 * it. The table is borrowed and must outlive its use. */
void files_set_overlay(GHashTable *overlay);

#endif
