/* gongwen: the source reader. Plain report text (spec/source-format.md) -> Doc. */
#ifndef GONGWEN_SOURCE_H
#define GONGWEN_SOURCE_H

#include "doc.h"

/* The largest report source accepted, in bytes. */
#define SOURCE_MAX_BYTES (16u * 1024u * 1024u)

/* Read a report: `path` is a report folder (its report.txt is read) or a text file.
 * Returns an owned Doc, or NULL with a GONGWEN_ERROR whose message starts "file:line:col: ". */
Doc *source_load(const char *path, GError **error);

/* Why the character `c` may not stand in a report's text (or with `in_cell` in a table
 * cell), as a message: a control character (but a tab, and in a cell LF and CR), or a
 * bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069). Owned; NULL when it
 * may. */
char *source_forbidden(gunichar c, gboolean in_cell);

/* Parse `len` bytes of report text; `path` names it in messages. */
Doc *source_parse(const char *path, const char *data, size_t len, GError **error);

#endif
