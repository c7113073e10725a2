/* Tests of fonts/: roles, the official names first, overrides, coverage, zh-cn forms, fwid. */
#include "page.h"
#include "para.h"
#include "source.h"
#include "tap.h"

#include <fontconfig/fontconfig.h>
#include <glib/gstdio.h>
#include <string.h>

static Fonts *fonts;

/* The face fontconfig matches for `family` (language zh-cn) under the configuration file
 * gongwen loaded, read into a configuration of the test's own: its file (owned) and index.
 * FALSE when fontconfig has no font of that family and would substitute another. */
static gboolean
fontconfig_face(const char *family, char **file, int *index)
{
    FcConfig *config = FcConfigCreate();
    gboolean ok = FcConfigParseAndLoad(config, (const FcChar8 *)fonts_get_conf_path(fonts),
                                       FcTrue) &&
                  FcConfigBuildFonts(config);
    FcPattern *pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddString(pattern, FC_LANG, (const FcChar8 *)"zh-cn");
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern *match = ok ? FcFontMatch(config, pattern, &result) : NULL;
    gboolean named = FALSE;
    FcChar8 *s;
    for (int i = 0; match != NULL && FcPatternGetString(match, FC_FAMILY, i, &s) == FcResultMatch;
         i++)
        named = named || g_str_equal((const char *)s, family);
    *file = NULL;
    if (named && FcPatternGetString(match, FC_FILE, 0, &s) == FcResultMatch &&
        FcPatternGetInteger(match, FC_INDEX, 0, index) == FcResultMatch)
        *file = g_strdup((const char *)s);
    if (match != NULL)
        FcPatternDestroy(match);
    FcPatternDestroy(pattern);
    FcConfigDestroy(config);
    return *file != NULL;
}

/* `role` is served by `family`, in the very face fontconfig gives for that family: no file
 * name is assumed, so this holds wherever a distribution puts the fonts. */
static void
expect_face(FontRole role, const char *family)
{
    char *file = NULL;
    int index = -1;
    gboolean known = fontconfig_face(family, &file, &index);
    FontFace face;
    gboolean ok = fonts_role_face(fonts, role, &face);
    tap_ok(known && ok && g_strcmp0(face.family, family) == 0 && g_strcmp0(face.file, file) == 0 &&
               face.index == index,
           "%s is served by %s, the face fontconfig gives for it (%s, %s #%d; fontconfig: %s #%d)",
           fonts_role_name(role), family, ok ? face.family : "none", ok ? face.file : "",
           ok ? face.index : -1, known ? file : "no such family", index);
    font_face_clear(&face);
    g_free(file);
}

static void
test_roles(void)
{
    expect_face(FONT_ROLE_TITLE, "Noto Serif CJK SC Black");
    expect_face(FONT_ROLE_BODY, "FandolFang");
    expect_face(FONT_ROLE_HEADING1, "Noto Sans CJK SC");
    expect_face(FONT_ROLE_HEADING2, "AR PL KaitiM GB");
    expect_face(FONT_ROLE_PAGE_NUMBER, "Noto Serif CJK SC");
    tap_ok(fonts_role_from_name("heading-2") == FONT_ROLE_HEADING2 &&
               fonts_role_from_name("nope") == FONT_ROLE_COUNT,
           "role names map to roles");
}

/* A configuration that aliases 仿宋_GB2312 to another installed family: the body follows it
 * with no change to any report, which proves the official names are asked for first. */
static void
test_official_first(void)
{
    char *dir = g_dir_make_tmp("gongwen-fonts-XXXXXX", NULL);
    char *conf = g_build_filename(dir, "alias.conf", NULL);
    char *base = g_build_filename(tap_srcdir(), "fonts", "gongwen-fonts.conf", NULL);
    char *text = g_strdup_printf(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
        "<fontconfig>\n  <include>%s</include>\n"
        "  <alias binding=\"same\"><family>仿宋_GB2312</family>"
        "<accept><family>AR PL KaitiM GB</family></accept></alias>\n</fontconfig>\n",
        base);
    g_file_set_contents(conf, text, -1, NULL);
    Fonts *aliased = fonts_new(conf, NULL);
    FontFace face = {0};
    gboolean ok = aliased != NULL && fonts_role_face(aliased, FONT_ROLE_BODY, &face);
    tap_ok(ok && g_str_equal(face.family, "AR PL KaitiM GB"),
           "with 仿宋_GB2312 aliased to AR PL KaitiM GB the body uses it (%s)",
           ok ? face.family : "none");
    font_face_clear(&face);
    fonts_free(aliased);
    g_unlink(conf);
    g_rmdir(dir);
    g_free(text);
    g_free(base);
    g_free(conf);
    g_free(dir);
}

static void
test_overrides(void)
{
    Fonts *f = fonts_new(NULL, NULL);
    GError *error = NULL;
    tap_ok(fonts_set_override(f, FONT_ROLE_BODY, "Noto Sans CJK SC", &error),
           "an installed family can be set for a role");
    FontFace face;
    fonts_role_face(f, FONT_ROLE_BODY, &face);
    tap_ok(g_strcmp0(face.family, "Noto Sans CJK SC") == 0, "the override serves the role (%s)",
           face.family);
    font_face_clear(&face);
    tap_ok(!fonts_set_override(f, FONT_ROLE_BODY, "方正仿宋不存在", &error) && error != NULL &&
               strstr(error->message, "not installed") != NULL &&
               strstr(error->message, "FandolFang") != NULL,
           "a family that is not installed is an error listing the installed ones");
    g_clear_error(&error);
    fonts_free(f);
}

static void
test_coverage(void)
{
    tap_ok(fonts_cover(fonts, FONT_ROLE_BODY, 0x6C38, NULL) == FONT_COVER_ROLE,
           "永 is in the body font");
    tap_ok(fonts_cover(fonts, FONT_ROLE_BODY, 0x30000, NULL) == FONT_COVER_NONE,
           "U+30000 (CJK Extension G) is in no installed font");
    char *family = NULL;
    FontCover cover = fonts_cover(fonts, FONT_ROLE_BODY, 0x4E02, &family);
    tap_ok(cover == FONT_COVER_FALLBACK && family != NULL,
           "丂 (outside GB2312) falls back to %s", family != NULL ? family : "nothing");
    g_free(family);

    const char *text = "标题\n正文\n第三行有\xf0\xb0\x80\x80字\n";
    Doc *doc = source_parse("ext-g.txt", text, strlen(text), NULL);
    GError *error = NULL;
    GPtrArray *warnings = diag_list_new();
    gboolean ok = doc != NULL && page_check_fonts(doc, fonts, warnings, &error);
    tap_ok(!ok && error != NULL && g_str_has_prefix(error->message, "ext-g.txt:3:5: error:") &&
               strstr(error->message, "U+30000") != NULL,
           "an uncovered character is an error naming line, column and code point (%s)",
           error != NULL ? error->message : "no error");
    g_clear_error(&error);
    g_ptr_array_free(warnings, TRUE);
    doc_free(doc);
}

/* The glyphs of `text` shaped in `role`'s font with `lang` (Han script from the first
 * character, as in running text). Owned. */
static PangoGlyphString *
shape(FontRole role, const char *text, const char *lang)
{
    PangoAttrList *attrs = pango_attr_list_new();
    PangoFontDescription *desc = fonts_role_description_new(fonts, role, 16 * PANGO_SCALE);
    pango_attr_list_insert(attrs, pango_attr_font_desc_new(desc));
    pango_attr_list_insert(attrs, pango_attr_language_new(pango_language_from_string(lang)));
    pango_font_description_free(desc);
    int len = (int)strlen(text);
    GList *items = pango_itemize(fonts_get_context(fonts), text, 0, len, attrs, NULL);
    PangoItem *item = items->data;
    PangoGlyphString *glyphs = pango_glyph_string_new();
    pango_shape_full(text, item->length, text, len, &item->analysis, glyphs);
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    pango_attr_list_unref(attrs);
    return glyphs;
}

/* One short line of `text` in `role` through the paragraph engine, natural widths. */
static ParaLines *
set_line(const char *text, FontRole role, int size)
{
    ParaSpec spec = {0};
    spec.text = text;
    spec.head_role = spec.body_role = role;
    spec.size = size;
    spec.width = 400 * PANGO_SCALE;
    spec.align = PARA_ALIGN_LEFT;
    spec.origin_file = "test";
    return para_break_lines(fonts, &spec, NULL);
}

/* Noto CJK is a collection of regional forms chosen by language (locl): the pipeline must
 * get the Simplified Chinese ones. Measured on Noto Sans/Serif CJK SC 20220127: 。，、 have
 * the same glyph for zh-cn and ja, while ：“ and 骨 differ, so those are what is checked. */
static void
test_simplified_forms(void)
{
    const char *text = "中：“骨";
    ParaLines *lines = set_line(text, FONT_ROLE_HEADING1, 16 * PANGO_SCALE);
    PangoGlyphString *zh = shape(FONT_ROLE_HEADING1, text, "zh-cn");
    PangoGlyphString *ja = shape(FONT_ROLE_HEADING1, text, "ja");
    const PangoGlyphString *got = lines != NULL ? para_lines_run(lines, 0)->glyph_item.glyphs
                                                : NULL;
    const char *names[] = {"：", "“", "骨"};
    for (int i = 1; i <= 3; i++) {
        PangoGlyph g = got != NULL && got->num_glyphs > i ? got->glyphs[i].glyph : 0;
        tap_ok(zh->glyphs[i].glyph != ja->glyphs[i].glyph && g == zh->glyphs[i].glyph,
               "%s is set in its Simplified Chinese form (glyph %u; zh-cn %u, ja %u)",
               names[i - 1], g, zh->glyphs[i].glyph, ja->glyphs[i].glyph);
    }
    pango_glyph_string_free(zh);
    pango_glyph_string_free(ja);
    para_lines_free(lines);
}

static void
test_dash_width(void)
{
    const int size = 14 * PANGO_SCALE;
    ParaLines *lines = set_line("——", FONT_ROLE_PAGE_NUMBER, size);
    int width = lines != NULL ? para_lines_get(lines, 0)->width : 0;
    tap_ok(width == 2 * size, "—— in Noto Serif CJK SC is exactly 2 em with fwid (%d, want %d)",
           width, 2 * size);
    para_lines_free(lines);
}

int
main(void)
{
    tap_plan_no_plan();
    GError *error = NULL;
    fonts = fonts_new(NULL, &error);
    if (fonts == NULL) {
        tap_ok(FALSE, "fonts load: %s", error->message);
        g_error_free(error);
        return tap_done();
    }
    test_roles();
    test_official_first();
    test_overrides();
    test_coverage();
    test_simplified_forms();
    test_dash_width();
    fonts_free(fonts);
    return tap_done();
}
