/* gongwen: input hygiene. Slips that pasting from Word or typing on a Latin keyboard leave
 * in Chinese text, each a warning with a suggested fix; and a user word list of wrong forms
 * (with their right form) or banned words. It reports and never rewrites the text. */
#ifndef GONGWEN_HYGIENE_H
#define GONGWEN_HYGIENE_H

#include "doc.h"

#include <glib.h>

/* Check the text of `doc`: straight quotes in Chinese text, half-width punctuation between
 * Han characters, spaces between Han characters (but one between two organs' names in a
 * title or signature), < > for 〈〉 inside 《》, 1. and 1． both used for headings; and,
 * when `words_file` is not NULL, the words it lists, one per line as “wrong → right”
 * (or “wrong -> right”) or a banned word alone. Warnings are appended as
 * "file:line:col: warning: …". FALSE with an error when the word list cannot be read. */
gboolean hygiene_check(const Doc *doc, const char *words_file, GPtrArray *warnings,
                       GError **error);

#endif
