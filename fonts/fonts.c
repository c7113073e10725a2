/* gongwen: font roles -> families through a private fontconfig configuration. */
#include "fonts.h"

#include "error.h"
#include "gongwen-config.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pango/pangofc-font.h>

struct Fonts {
    char *conf_path;
    FcConfig *config;
    PangoFontMap *font_map;
    PangoContext *context;
};

/* Official families first (GB/T 9704 names and their usual spellings), then the free
 * substitutes of spec/official-format.md §4. */
static const struct {
    const char *name;
    const char *families;
} roles[FONT_ROLE_COUNT] = {
    [FONT_ROLE_TITLE] = {"title", "方正小标宋简体,FZXiaoBiaoSong-B05S,方正小标宋_GBK,"
                                  "Noto Serif CJK SC Black,Noto Serif CJK SC"},
    [FONT_ROLE_BODY] = {"body", "仿宋_GB2312,FangSong_GB2312,仿宋,FangSong,FandolFang,"
                                "Noto Serif CJK SC"},
    [FONT_ROLE_HEADING1] = {"heading-1", "黑体,SimHei,Noto Sans CJK SC"},
    [FONT_ROLE_HEADING2] = {"heading-2", "楷体_GB2312,KaiTi_GB2312,楷体,KaiTi,AR PL KaitiM GB,"
                                         "FandolKai,Noto Serif CJK SC"},
    [FONT_ROLE_HEADING3] = {"heading-3", "仿宋_GB2312,FangSong_GB2312,仿宋,FangSong,FandolFang,"
                                         "Noto Serif CJK SC"},
    [FONT_ROLE_HEADING4] = {"heading-4", "仿宋_GB2312,FangSong_GB2312,仿宋,FangSong,FandolFang,"
                                         "Noto Serif CJK SC"},
    [FONT_ROLE_PAGE_NUMBER] = {"page-number", "宋体,SimSun,Noto Serif CJK SC"},
    [FONT_ROLE_TABLE] = {"table", "仿宋_GB2312,FangSong_GB2312,仿宋,FangSong,FandolFang,"
                                  "Noto Serif CJK SC"},
    [FONT_ROLE_CHART] = {"chart", "黑体,SimHei,Noto Sans CJK SC"},
};

static char *
fonts_default_conf_path(void)
{
    const char *env = g_getenv("GONGWEN_FONTS_CONF");
    if (env != NULL && *env != '\0')
        return g_strdup(env);
    if (g_file_test(GONGWEN_FONTS_CONF_INSTALLED, G_FILE_TEST_IS_REGULAR))
        return g_strdup(GONGWEN_FONTS_CONF_INSTALLED);
    return g_strdup(GONGWEN_FONTS_CONF_SRC);
}

static FcConfig *
fonts_load_config(const char *path, GError **error)
{
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                    "%s: error: font configuration file not found (set GONGWEN_FONTS_CONF or "
                    "--fonts-conf to gongwen-fonts.conf)",
                    path);
        return NULL;
    }
    FcConfig *config = FcConfigCreate();
    if (!FcConfigParseAndLoad(config, (const FcChar8 *)path, FcTrue) ||
        !FcConfigBuildFonts(config)) {
        FcConfigDestroy(config);
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                    "%s: error: cannot load this font configuration", path);
        return NULL;
    }
    return config;
}

Fonts *
fonts_new(const char *conf_path, GError **error)
{
    char *path = conf_path != NULL ? g_strdup(conf_path) : fonts_default_conf_path();
    FcConfig *config = fonts_load_config(path, error);
    if (config == NULL) {
        g_free(path);
        return NULL;
    }
    Fonts *fonts = g_new0(Fonts, 1);
    fonts->conf_path = path;
    fonts->config = config;
    fonts->font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts->font_map), config);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fonts->font_map), 72.0);

    fonts->context = pango_font_map_create_context(fonts->font_map);
    pango_context_set_language(fonts->context, pango_language_from_string("zh-cn"));
    pango_context_set_base_dir(fonts->context, PANGO_DIRECTION_LTR);
    pango_context_set_round_glyph_positions(fonts->context, FALSE);
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(fonts->context, options);
    cairo_font_options_destroy(options);
    pango_cairo_context_set_resolution(fonts->context, 72.0);
    return fonts;
}

void
fonts_free(Fonts *fonts)
{
    if (fonts == NULL)
        return;
    g_clear_object(&fonts->context);
    g_clear_object(&fonts->font_map);
    if (fonts->config != NULL)
        FcConfigDestroy(fonts->config);
    g_free(fonts->conf_path);
    g_free(fonts);
}

const char *
fonts_get_conf_path(const Fonts *fonts)
{
    return fonts->conf_path;
}

PangoContext *
fonts_get_context(Fonts *fonts)
{
    return fonts->context;
}

const char *
fonts_role_name(FontRole role)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT, NULL);
    return roles[role].name;
}

const char *
fonts_role_families(FontRole role)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT, NULL);
    return roles[role].families;
}

PangoFontDescription *
fonts_role_description_new(FontRole role, int size)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT, NULL);
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, roles[role].families);
    pango_font_description_set_weight(desc, PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(desc, PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(desc, size);
    return desc;
}

char *
fonts_role_file(Fonts *fonts, FontRole role)
{
    PangoFontDescription *desc = fonts_role_description_new(role, 16 * PANGO_SCALE);
    PangoFontset *set = pango_font_map_load_fontset(fonts->font_map, fonts->context, desc,
                                                    pango_language_from_string("zh-cn"));
    pango_font_description_free(desc);
    if (set == NULL)
        return NULL;
    PangoFont *font = pango_fontset_get_font(set, 0x6C38 /* 永 */);
    char *file = NULL;
    if (font != NULL && PANGO_IS_FC_FONT(font)) {
        FcChar8 *name = NULL;
        FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        if (FcPatternGetString(pattern, FC_FILE, 0, &name) == FcResultMatch)
            file = g_strdup((const char *)name);
    }
    g_clear_object(&font);
    g_object_unref(set);
    return file;
}
