/* gongwen: font roles -> families through a private fontconfig configuration. */
#include "fonts.h"

#include "diag.h"
#include "files.h"
#include "gongwen-config.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>

struct Fonts {
    char *conf_path;
    FcConfig *config;
    PangoFontMap *font_map;
    PangoContext *context;
    char *families[FONT_ROLE_COUNT];       /* the family list each role asks for */
    PangoFontset *fontsets[FONT_ROLE_COUNT]; /* loaded on first use */
    PangoFont *primary[FONT_ROLE_COUNT];     /* the fontset's font for Han text */
    gpointer cache;                          /* fonts_set_cache */
    GDestroyNotify free_cache;
};

/* Official families first (GB/T 9704 names and their usual spellings), then the free
 * substitutes of spec/official-format.md §4. */
#define FANGSONG "仿宋_GB2312,FangSong_GB2312,仿宋,FangSong"
#define FANGSONG_FREE "FandolFang,Noto Serif CJK SC"
static const struct {
    const char *official;
    const char *substitutes;
} roles[FONT_ROLE_COUNT] = {
    [FONT_ROLE_TITLE] = {"方正小标宋简体,FZXiaoBiaoSong-B05S,方正小标宋_GBK",
                         "Noto Serif CJK SC Black,Noto Serif CJK SC"},
    [FONT_ROLE_BODY] = {FANGSONG, FANGSONG_FREE},
    [FONT_ROLE_HEADING1] = {"黑体,SimHei", "Noto Sans CJK SC"},
    [FONT_ROLE_HEADING2] = {"楷体_GB2312,KaiTi_GB2312,楷体,KaiTi",
                            "AR PL KaitiM GB,FandolKai,Noto Serif CJK SC"},
    [FONT_ROLE_HEADING3] = {FANGSONG, FANGSONG_FREE},
    [FONT_ROLE_HEADING4] = {FANGSONG, FANGSONG_FREE},
    [FONT_ROLE_PAGE_NUMBER] = {"宋体,SimSun", "Noto Serif CJK SC"},
    [FONT_ROLE_TABLE] = {FANGSONG, FANGSONG_FREE},
    [FONT_ROLE_CHART] = {"黑体,SimHei", "Noto Sans CJK SC"},
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

/* The configuration at `path` (absolute): read through the one opener like every input,
 * and handed to fontconfig from memory, so that what was checked is what is parsed. */
static FcConfig *
fonts_load_config(const char *path, GError **error)
{
    GError *why = NULL;
    char *data = files_read(NULL, path, FILES_MAX_FONTS_CONF, "a font configuration", NULL, &why);
    if (data == NULL) {
        diag_set_error(error, GONGWEN_ERROR_FONT, (DiagAt){path, 0, 0},
                       "cannot read the font configuration: %s (set GONGWEN_FONTS_CONF or "
                       "--fonts-conf to gongwen-fonts.conf)",
                       why->message);
        g_error_free(why);
        return NULL;
    }
    FcConfig *config = FcConfigCreate();
    gboolean ok = FcConfigParseAndLoadFromMemory(config, (const FcChar8 *)data, FcTrue) &&
                  FcConfigBuildFonts(config);
    g_free(data);
    if (!ok) {
        FcConfigDestroy(config);
        diag_set_error(error, GONGWEN_ERROR_FONT, (DiagAt){path, 0, 0},
                       "cannot load this font configuration");
        return NULL;
    }
    return config;
}

static PangoContext *
fonts_context_new(PangoFontMap *font_map)
{
    PangoContext *context = pango_font_map_create_context(font_map);
    pango_context_set_language(context, pango_language_from_string("zh-cn"));
    pango_context_set_base_dir(context, PANGO_DIRECTION_LTR);
    pango_context_set_round_glyph_positions(context, FALSE);
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    pango_cairo_context_set_resolution(context, 72.0);
    return context;
}

Fonts *
fonts_new(const char *conf_path, GError **error)
{
    char *given = conf_path != NULL ? g_strdup(conf_path) : fonts_default_conf_path();
    /* fontconfig takes a relative name as one in its own configuration folder: the user
     * means the current directory */
    char *path = g_canonicalize_filename(given, NULL);
    g_free(given);
    FcConfig *config = fonts_load_config(path, error);
    if (config == NULL) {
        g_free(path);
        return NULL;
    }
    Fonts *fonts = g_new0(Fonts, 1);
    fonts->conf_path = path;
    fonts->config = config;
    /* Pango's font map loads fontconfig's default configuration in a thread of its own
     * (FcInit: the system's XML files parsed again, its font list built), which gongwen
     * never uses: made the default first, this configuration spares it. */
    FcConfigSetCurrent(config);
    fonts->font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    /* The resolution first: changing it after the configuration clears Pango's caches, and
     * Pango 1.50 then loses the font list it had made (a leak LeakSanitizer reports). */
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fonts->font_map), 72.0);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fonts->font_map), config);
    fonts->context = fonts_context_new(fonts->font_map);
    for (int r = 0; r < FONT_ROLE_COUNT; r++)
        fonts->families[r] = g_strconcat(roles[r].official, ",", roles[r].substitutes, NULL);
    return fonts;
}

static void
fonts_forget_role(Fonts *fonts, FontRole role)
{
    g_clear_object(&fonts->primary[role]);
    g_clear_object(&fonts->fontsets[role]);
}

void
fonts_reset_overrides(Fonts *fonts)
{
    for (int r = 0; r < FONT_ROLE_COUNT; r++) {
        char *def = g_strconcat(roles[r].official, ",", roles[r].substitutes, NULL);
        if (g_str_equal(def, fonts->families[r])) {
            g_free(def);
            continue;
        }
        g_free(fonts->families[r]);
        fonts->families[r] = def;
        fonts_forget_role(fonts, (FontRole)r);
    }
}

void
fonts_free(Fonts *fonts)
{
    if (fonts == NULL)
        return;
    for (int r = 0; r < FONT_ROLE_COUNT; r++) {
        fonts_forget_role(fonts, (FontRole)r);
        g_free(fonts->families[r]);
    }
    fonts_set_cache(fonts, NULL, NULL);
    g_clear_object(&fonts->context);
    g_clear_object(&fonts->font_map);
    if (fonts->config != NULL)
        FcConfigDestroy(fonts->config);
    g_free(fonts->conf_path);
    g_free(fonts);
}

gpointer
fonts_get_cache(const Fonts *fonts)
{
    return fonts->cache;
}

void
fonts_set_cache(Fonts *fonts, gpointer data, GDestroyNotify free_data)
{
    if (fonts->cache != NULL && fonts->free_cache != NULL)
        fonts->free_cache(fonts->cache);
    fonts->cache = data;
    fonts->free_cache = free_data;
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
fonts_role_families(const Fonts *fonts, FontRole role)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT, NULL);
    return fonts->families[role];
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct first family names of the installed fonts matching `pattern`, sorted. */
static GPtrArray *
fonts_list_families(Fonts *fonts, FcPattern *pattern)
{
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
    FcFontSet *set = FcFontList(fonts->config, pattern, os);
    FcObjectSetDestroy(os);
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; set != NULL && i < set->nfont; i++) {
        FcChar8 *family = NULL;
        if (FcPatternGetString(set->fonts[i], FC_FAMILY, 0, &family) != FcResultMatch)
            continue;
        gboolean seen = FALSE;
        for (guint k = 0; k < names->len && !seen; k++)
            seen = g_str_equal(g_ptr_array_index(names, k), (const char *)family);
        if (!seen)
            g_ptr_array_add(names, g_strdup((const char *)family));
    }
    if (set != NULL)
        FcFontSetDestroy(set);
    g_ptr_array_sort(names, compare_names);
    return names;
}

static char *
fonts_installed_chinese(Fonts *fonts)
{
    FcPattern *pattern = FcPatternCreate();
    FcLangSet *langs = FcLangSetCreate();
    FcLangSetAdd(langs, (const FcChar8 *)"zh-cn");
    FcPatternAddLangSet(pattern, FC_LANG, langs);
    FcLangSetDestroy(langs);
    GPtrArray *names = fonts_list_families(fonts, pattern);
    FcPatternDestroy(pattern);
    g_ptr_array_add(names, NULL);
    char *list = g_strjoinv(", ", (char **)names->pdata);
    g_ptr_array_free(names, TRUE);
    return list;
}

gboolean
fonts_family_installed(Fonts *fonts, const char *family)
{
    g_return_val_if_fail(family != NULL, FALSE);
    FcPattern *pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)family);
    GPtrArray *found = fonts_list_families(fonts, pattern);
    FcPatternDestroy(pattern);
    gboolean installed = found->len > 0;
    g_ptr_array_free(found, TRUE);
    return installed;
}

gboolean
fonts_set_override(Fonts *fonts, FontRole role, const char *family, GError **error)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT && family != NULL, FALSE);
    if (strchr(family, ',') != NULL || !fonts_family_installed(fonts, family)) {
        char *list = fonts_installed_chinese(fonts);
        g_set_error(error, GONGWEN_ERROR, GONGWEN_ERROR_FONT,
                    "the font \"%s\" asked for %s is not installed; the installed Chinese "
                    "families are: %s",
                    family, fonts_role_name(role), *list != '\0' ? list : "none");
        g_free(list);
        return FALSE;
    }
    g_free(fonts->families[role]);
    fonts->families[role] =
        g_strconcat(family, ",", roles[role].official, ",", roles[role].substitutes, NULL);
    fonts_forget_role(fonts, role);
    return TRUE;
}

PangoFontDescription *
fonts_role_description_new(const Fonts *fonts, FontRole role, int size)
{
    g_return_val_if_fail(role < FONT_ROLE_COUNT, NULL);
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, fonts->families[role]);
    pango_font_description_set_weight(desc, PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(desc, PANGO_STYLE_NORMAL);
    pango_font_description_set_absolute_size(desc, size);
    return desc;
}

/* The role's fontset and its font for Han text, loaded once. */
static PangoFontset *
fonts_role_fontset(Fonts *fonts, FontRole role)
{
    if (fonts->fontsets[role] != NULL)
        return fonts->fontsets[role];
    PangoFontDescription *desc = fonts_role_description_new(fonts, role, 16 * PANGO_SCALE);
    fonts->fontsets[role] = pango_font_map_load_fontset(
        fonts->font_map, fonts->context, desc, pango_language_from_string("zh-cn"));
    pango_font_description_free(desc);
    if (fonts->fontsets[role] != NULL)
        fonts->primary[role] = pango_fontset_get_font(fonts->fontsets[role], 0x6C38 /* 永 */);
    return fonts->fontsets[role];
}

static char *
font_family(PangoFont *font)
{
    PangoFontDescription *desc = pango_font_describe(font);
    char *family = g_strdup(pango_font_description_get_family(desc));
    pango_font_description_free(desc);
    return family;
}

static gboolean
is_official(FontRole role, const char *family)
{
    char **names = g_strsplit(roles[role].official, ",", -1);
    gboolean found = family != NULL && g_strv_contains((const char *const *)names, family);
    g_strfreev(names);
    return found;
}

gboolean
fonts_role_face(Fonts *fonts, FontRole role, FontFace *out)
{
    memset(out, 0, sizeof *out);
    if (fonts_role_fontset(fonts, role) == NULL || fonts->primary[role] == NULL ||
        !PANGO_IS_FC_FONT(fonts->primary[role]))
        return FALSE;
    FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(fonts->primary[role]));
    FcChar8 *file = NULL, *family = NULL;
    if (FcPatternGetString(pattern, FC_FILE, 0, &file) == FcResultMatch)
        out->file = g_strdup((const char *)file);
    FcChar8 *style = NULL;
    if (FcPatternGetString(pattern, FC_FAMILY, 0, &family) == FcResultMatch)
        out->family = g_strdup((const char *)family);
    if (out->family != NULL && FcPatternGetString(pattern, FC_STYLE, 0, &style) == FcResultMatch &&
        g_ascii_strcasecmp((const char *)style, "Regular") != 0) {
        char *named = g_strconcat(out->family, " ", (const char *)style, NULL);
        g_free(out->family);
        out->family = named;
    }
    FcPatternGetInteger(pattern, FC_INDEX, 0, &out->index);
    out->official = is_official(role, out->family);
    return out->file != NULL;
}

void
font_face_clear(FontFace *face)
{
    g_free(face->family);
    g_free(face->file);
    memset(face, 0, sizeof *face);
}

FontCover
fonts_cover(Fonts *fonts, FontRole role, gunichar c, char **family)
{
    if (family != NULL)
        *family = NULL;
    GUnicodeType type = g_unichar_type(c);
    if (g_unichar_isspace(c) || type == G_UNICODE_FORMAT || type == G_UNICODE_CONTROL)
        return FONT_COVER_ROLE;
    PangoFontset *set = fonts_role_fontset(fonts, role);
    if (set == NULL)
        return FONT_COVER_NONE;
    PangoFont *font = pango_fontset_get_font(set, c);
    FontCover cover = FONT_COVER_ROLE;
    if (font == NULL || !pango_font_has_char(font, c))
        cover = FONT_COVER_NONE;
    else if (font != fonts->primary[role] && !pango_font_has_char(fonts->primary[role], c))
        cover = FONT_COVER_FALLBACK;
    if (cover == FONT_COVER_FALLBACK && family != NULL)
        *family = font_family(font);
    g_clear_object(&font);
    return cover;
}
