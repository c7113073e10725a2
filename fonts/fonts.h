/* gongwen: font roles resolved through the project's own fontconfig file.
 *
 * layout/ asks for the font of a role (title 小标宋, body 仿宋, heading-1 黑体, heading-2 楷体,
 * page-number 宋体, …); this module answers with a PangoFontDescription whose family list
 * puts the official fonts first and the best free substitutes after them. It also answers
 * which characters of a text the role's font does not cover.
 */
#ifndef GONGWEN_FONTS_H
#define GONGWEN_FONTS_H

#include "roles.h"

#include <glib.h>
#include <pango/pango.h>

typedef struct Fonts Fonts;

/* Load the font configuration: `conf_path`, else $GONGWEN_FONTS_CONF, else the installed
 * or source copy of fonts/gongwen-fonts.conf. Returns an owned Fonts or NULL with an error. */
Fonts *fonts_new(const char *conf_path, GError **error);
void fonts_free(Fonts *fonts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Fonts, fonts_free)

/* A cache kept with the fonts, whose entries hold for these fonts only (layout/para.c
 * keeps the paragraphs it has set there): borrowed, or NULL; set takes `data`, freed with
 * `free_data` when replaced or with the Fonts. */
gpointer fonts_get_cache(const Fonts *fonts);
void fonts_set_cache(Fonts *fonts, gpointer data, GDestroyNotify free_data);

/* The path of the configuration file in use (borrowed). */
const char *fonts_get_conf_path(const Fonts *fonts);

/* A Pango context at 72 dpi, language zh-cn, unhinted metrics (borrowed). */
PangoContext *fonts_get_context(Fonts *fonts);

/* The families a role asks for, in order: an override first, then the official names,
 * then the free substitutes (borrowed, comma-separated). */
const char *fonts_role_families(const Fonts *fonts, FontRole role);

/* Ask for `family` first for `role`. Fails, listing the installed Chinese families, when no
 * installed font has that family name. */
gboolean fonts_set_override(Fonts *fonts, FontRole role, const char *family, GError **error);

/* Whether some installed font has the family name `family`. */
gboolean fonts_family_installed(Fonts *fonts, const char *family);

/* Drop every override: each role asks for its built-in families again (a batch of
 * reports shares one Fonts). */
void fonts_reset_overrides(Fonts *fonts);

/* An owned description for `role` at `size` (Pango units, 1/1024 pt). */
PangoFontDescription *fonts_role_description_new(const Fonts *fonts, FontRole role, int size);

/* The face that serves a role's Han text. */
typedef struct {
    char *family;      /* owned */
    char *file;        /* owned */
    int index;         /* face index in a collection */
    gboolean official; /* one of the official GB/T 9704 fonts, not a substitute */
} FontFace;

gboolean fonts_role_face(Fonts *fonts, FontRole role, FontFace *out);
void font_face_clear(FontFace *face);

typedef enum {
    FONT_COVER_ROLE,     /* the role's own font has it */
    FONT_COVER_FALLBACK, /* only another installed font has it */
    FONT_COVER_NONE,     /* no installed font has it */
} FontCover;

/* Which font covers `c` in `role`; for FONT_COVER_FALLBACK `*family` (if not NULL) gets the
 * fallback's family name, owned. Spaces and format characters count as covered. */
FontCover fonts_cover(Fonts *fonts, FontRole role, gunichar c, char **family);

#endif
