/* gongwen: font roles resolved through the project's own fontconfig file.
 *
 * layout/ asks for the font of a role (title 小标宋, body 仿宋, heading-1 黑体, heading-2 楷体,
 * page-number 宋体, …); this module answers with a PangoFontDescription whose family list
 * puts the official fonts first and the best free substitutes after them.
 */
#ifndef GONGWEN_FONTS_H
#define GONGWEN_FONTS_H

#include <glib.h>
#include <pango/pango.h>

typedef enum {
    FONT_ROLE_TITLE,
    FONT_ROLE_BODY,
    FONT_ROLE_HEADING1,
    FONT_ROLE_HEADING2,
    FONT_ROLE_HEADING3,
    FONT_ROLE_HEADING4,
    FONT_ROLE_PAGE_NUMBER,
    FONT_ROLE_TABLE,
    FONT_ROLE_CHART,
    FONT_ROLE_COUNT
} FontRole;

typedef struct Fonts Fonts;

/* Load the font configuration: `conf_path`, else $GONGWEN_FONTS_CONF, else the installed
 * or source copy of fonts/gongwen-fonts.conf. Returns an owned Fonts or NULL with an error. */
Fonts *fonts_new(const char *conf_path, GError **error);
void fonts_free(Fonts *fonts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Fonts, fonts_free)

/* The path of the configuration file in use (borrowed). */
const char *fonts_get_conf_path(const Fonts *fonts);

/* A Pango context at 72 dpi, language zh-cn, unhinted metrics (borrowed). */
PangoContext *fonts_get_context(Fonts *fonts);

/* The role's name ("body") and its family list ("仿宋_GB2312,…,FandolFang"), borrowed. */
const char *fonts_role_name(FontRole role);
const char *fonts_role_families(FontRole role);

/* An owned description for `role` at `size` (Pango units, 1/1024 pt). */
PangoFontDescription *fonts_role_description_new(FontRole role, int size);

/* The file of the font that serves `role` for CJK text, owned (for `gongwen fonts`). */
char *fonts_role_file(Fonts *fonts, FontRole role);

#endif
