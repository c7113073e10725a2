/* gongwen: the error domain shared by every stage (defined in diag.c: its errors carry a
 * Diag). */
#ifndef GONGWEN_ERROR_H
#define GONGWEN_ERROR_H

#include <glib.h>

#define GONGWEN_ERROR (gongwen_error_quark())

typedef enum {
    GONGWEN_ERROR_INPUT,   /* malformed or invalid report input: exit 1 */
    GONGWEN_ERROR_FONT,    /* a font or glyph that cannot be had: exit 1 */
    GONGWEN_ERROR_SECTION, /* an unknown section name: exit 1 */
    GONGWEN_ERROR_IO,      /* reading or writing a file failed: exit 1 */
    GONGWEN_ERROR_LIMIT,   /* input beyond a documented limit: exit 1 */
} GongwenError;

GQuark gongwen_error_quark(void);

#endif
