/* gongwen: font role names (see roles.h). */
#include "roles.h"

static const char *const role_names[FONT_ROLE_COUNT] = {
    [FONT_ROLE_TITLE] = "title",
    [FONT_ROLE_BODY] = "body",
    [FONT_ROLE_HEADING1] = "heading-1",
    [FONT_ROLE_HEADING2] = "heading-2",
    [FONT_ROLE_HEADING3] = "heading-3",
    [FONT_ROLE_HEADING4] = "heading-4",
    [FONT_ROLE_PAGE_NUMBER] = "page-number",
    [FONT_ROLE_TABLE] = "table",
    [FONT_ROLE_CHART] = "chart",
};

const char *
fonts_role_name(FontRole role)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT, NULL);
    return role_names[role];
}

FontRole
fonts_role_from_name(const char *name)
{
    for (int r = 0; r < FONT_ROLE_COUNT; r++) {
        if (g_strcmp0(name, role_names[r]) == 0)
            return (FontRole)r;
    }
    return FONT_ROLE_COUNT;
}

char *
fonts_role_names(void)
{
    GString *s = g_string_new(NULL);
    for (int r = 0; r < FONT_ROLE_COUNT; r++)
        g_string_append_printf(s, "%s%s", r > 0 ? ", " : "", role_names[r]);
    return g_string_free(s, FALSE);
}
