/* gongwen: the font roles by name (title 小标宋, body 仿宋, heading-1 黑体, …), without fonts
 * loaded: what the source reader and profiles need (fonts.h resolves the roles to fonts). */
#ifndef GONGWEN_ROLES_H
#define GONGWEN_ROLES_H

#include <glib.h>

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

/* Role names ("body", "heading-1", …): the name of a role, the role of a name
 * (FONT_ROLE_COUNT when unknown), and all names as "title, body, …" (owned). */
const char *fonts_role_name(FontRole role);
FontRole fonts_role_from_name(const char *name);
char *fonts_role_names(void);

#endif
