/* gongwen: house-style profiles.
 *
 * GB/T 9704 fixes most of a 公文's format, and local rules vary the rest: the line pitch
 * (28, 29 or 30 pt), whether characters sit on a 28-per-line grid, the fonts, the page-number
 * style, bold level-3 headings, Times New Roman for digits. A profile is an INI file (read
 * with GKeyFile) that overrides these defaults; `gongwen profile --dump` prints the defaults
 * as a profile to start from.
 */
#ifndef GONGWEN_PROFILE_H
#define GONGWEN_PROFILE_H

#include "roles.h"

#include <glib.h>

typedef enum {
    PROFILE_PAGE_NUMBER_DASH,  /* “— 1 —”, GB/T 9704 7.5 */
    PROFILE_PAGE_NUMBER_PLAIN, /* “1” */
    PROFILE_PAGE_NUMBER_NONE,  /* none */
} ProfilePageNumber;

/* The page the 版记 is given when the text leaves no room for it on an even page (7.5). */
typedef enum {
    PROFILE_IMPRINT_PAGE_LETTER,     /* numbered, unless a blank page comes before it: then
                                        neither is (“版记页前有空白页的，…均可不编排页码”) */
    PROFILE_IMPRINT_PAGE_UNNUMBERED, /* every page added for the 版记 unnumbered */
} ProfileImprintPage;

typedef struct {
    char *path;            /* the file it was read from, or NULL for the defaults (owned) */
    int line_pitch;        /* Pango units; 0: the grid's, 225 mm / lines */
    int lines;             /* lines per page, 22 */
    int chars;             /* characters per line on the grid, 28 */
    gboolean grid;         /* characters advance by 156 mm / chars; FALSE: natural widths */
    ProfilePageNumber page_number;
    ProfileImprintPage imprint_page;
    gboolean heading3_bold; /* level-3 headings (“1.”) in bold, a local rule */
    gboolean latin_gap;    /* a quarter em between Han and Latin letters or digits, in all the
                              document's text (Word's zh-CN default) */
    char *latin_family;    /* digits and Latin letters in this family (Times New Roman), or NULL */
    guint32 red;           /* the 版头's red, 0xRRGGBB */
    char *fonts[FONT_ROLE_COUNT]; /* per-role family overrides, NULL when not set (owned) */
    int font_lines[FONT_ROLE_COUNT]; /* the line of each override in the file, for messages */
    int latin_line;                  /* the line of latin_font */
} Profile;

/* The GB/T 9704 defaults. */
Profile *profile_new(void);
void profile_free(Profile *profile);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Profile, profile_free)

/* Read a profile file over the defaults. Errors name the file, the line, the group and
 * the key. */
Profile *profile_load(const char *path, GError **error);
/* The same for a profile that must lie inside `folder` (a report's, for `profile:` in its
 * front matter), checked on the file opened. */
Profile *profile_load_in(const char *folder, const char *path, GError **error);

/* The defaults (or `profile`) as a commented profile file (owned). */
char *profile_dump(const Profile *profile);

#endif
