/* gongwen: reading a table file (TSV or CSV, RFC 4180) into a DocTable. */
#ifndef GONGWEN_TABLEFILE_H
#define GONGWEN_TABLEFILE_H

#include "doc.h"

/* The largest table file, and the most rows and columns, accepted. */
#define TABLE_MAX_BYTES (8u * 1024u * 1024u)
#define TABLE_MAX_ROWS 20000u
#define TABLE_MAX_COLS 64u

/* Parse `len` bytes of `data` read from `path` (named in messages) as TSV, or as CSV when
 * `csv`. The first `header_rows` rows are the header: there an empty cell extends the cell
 * on its left and `^` the cell above; in body rows `^` extends the cell above. Errors name
 * `path:row:column`. Returns a table owned by `doc`, or NULL. */
DocTable *table_parse(Doc *doc, const char *path, const char *data, size_t len, gboolean csv,
                      size_t header_rows, GError **error);

/* Read the table file `file` (relative to the folder of the report `doc->path`): it must
 * stay inside that folder (no absolute path, no `..`, no link that leads out). Errors about
 * the path are reported at `where`, the directive's location. */
DocTable *table_load(Doc *doc, const char *file, size_t header_rows, DocLoc where,
                     GError **error);

/* The path of a data file named in a directive (relative to the folder of `doc->path`),
 * checked to stay inside that folder: no absolute path, no `..`, no link leading out, a
 * regular file. Owned, or NULL with an error at `where`. */
char *data_file_path(const Doc *doc, const char *file, DocLoc where, GError **error);

/* The numbering level of a row label: 一、 0, （一） 1, 1．/1./1、 2, （1） 3; -1 when
 * unnumbered. */
int table_label_level(const char *text);

/* Does a cell's `text` say "no figure here": blank, or a dash or slash standing for one
 * (— —— - － – / ／)? */
gboolean table_is_no_figure(const char *text);

/* Whether `text` reads as a number: 1234, 1,234, -5, 80.4, 80.4%. */
gboolean table_is_number(const char *text);
/* The value of a text table_is_number() accepts (1234, 1,234, 80.4%). */
double table_number_value(const char *text);
/* A figure as a table writes it (%g), owned. */
char *table_format_number(double v);
/* Text without leading and trailing spaces (ASCII and U+3000), owned. */
char *table_trimmed(const char *text);

#endif
