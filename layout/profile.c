/* gongwen: house-style profiles (see profile.h). */
#include "profile.h"

#include "diag.h"
#include "files.h"

#include <pango/pango.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_MAX_BYTES (64u * 1024u)
#define PT(pt) ((int)((pt) * PANGO_SCALE + 0.5))

Profile *
profile_new(void)
{
    Profile *p = g_new0(Profile, 1);
    p->lines = 22;
    p->chars = 28;
    p->grid = TRUE;
    p->page_number = PROFILE_PAGE_NUMBER_DASH;
    p->latin_gap = TRUE;
    p->red = 0xE60012;
    return p;
}

void
profile_free(Profile *profile)
{
    if (profile == NULL)
        return;
    g_free(profile->path);
    g_free(profile->latin_family);
    for (int r = 0; r < FONT_ROLE_COUNT; r++)
        g_free(profile->fonts[r]);
    g_free(profile);
}

/* The 1-based line of `key` in `group` of the INI text, or of the group, or 1. */
static int
key_line(const char *data, const char *group, const char *key)
{
    char **lines = g_strsplit(data, "\n", -1);
    int found = 1, group_line = 0;
    gboolean in_group = FALSE;
    for (int i = 0; lines[i] != NULL; i++) {
        char *s = g_strstrip(lines[i]);
        if (*s == '[') {
            char *want = g_strdup_printf("[%s]", group);
            in_group = g_str_equal(s, want);
            if (in_group && group_line == 0)
                group_line = i + 1;
            g_free(want);
            continue;
        }
        size_t n = strlen(key);
        if (in_group && key != NULL && strncmp(s, key, n) == 0 &&
            (s[n] == '=' || s[n] == ' ' || s[n] == '\t')) {
            found = i + 1;
            break;
        }
    }
    if (found == 1 && group_line > 0)
        found = group_line;
    g_strfreev(lines);
    return found;
}

typedef struct {
    const char *path;
    const char *data;
    GKeyFile *kf;
    GError **error;
    gboolean lines_set; /* [page] lines was given */
} Reader;

static gboolean G_GNUC_PRINTF(4, 5)
    bad(Reader *r, const char *group, const char *key, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    diag_set_error(r->error, GONGWEN_ERROR_INPUT,
                   (DiagAt){r->path, key_line(r->data, group, key), 1}, "[%s] %s: %s", group, key,
                   message);
    g_free(message);
    return FALSE;
}

/* A length: "28pt", "10.2mm", or a bare number of points. */
static gboolean
parse_length(const char *text, int *out)
{
    char *end = NULL;
    double v = g_ascii_strtod(text, &end);
    if (end == text || !(v > 0 && v < 1000))
        return FALSE;
    while (*end == ' ')
        end++;
    if (*end == '\0' || g_ascii_strcasecmp(end, "pt") == 0)
        *out = PT(v);
    else if (g_ascii_strcasecmp(end, "mm") == 0)
        *out = PT(v * 72.0 / 25.4);
    else
        return FALSE;
    return TRUE;
}

static gboolean
parse_bool(const char *text, gboolean *out)
{
    static const char *const yes[] = {"on", "yes", "true", "1"}, *const no[] = {"off", "no", "false", "0"};
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
        if (g_ascii_strcasecmp(text, yes[i]) == 0) {
            *out = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp(text, no[i]) == 0) {
            *out = FALSE;
            return TRUE;
        }
    }
    return FALSE;
}

/* One key of a group: FALSE with the error set. */
typedef gboolean (*KeyReader)(Reader *r, Profile *p, const char *key, const char *value);

/* Every key of `group` through `one`, the value trimmed. */
static gboolean
read_group(Reader *r, Profile *p, const char *group, KeyReader one)
{
    char **keys = g_key_file_get_keys(r->kf, group, NULL, NULL);
    gboolean ok = TRUE;
    for (char **k = keys; ok && k != NULL && *k != NULL; k++) {
        char *v = g_strstrip(g_key_file_get_value(r->kf, group, *k, NULL));
        ok = one(r, p, *k, v);
        g_free(v);
    }
    g_strfreev(keys);
    return ok;
}

static gboolean
page_key(Reader *r, Profile *p, const char *k, const char *v)
{
    if (g_str_equal(k, "line_pitch")) {
        if (g_str_equal(v, "grid"))
            p->line_pitch = 0;
        else if (!parse_length(v, &p->line_pitch) || p->line_pitch < PT(12) ||
                 p->line_pitch > PT(48))
            return bad(r, "page", k, "\"%s\" is not a line pitch from 12pt to 48pt (or grid)", v);
    } else if (g_str_equal(k, "grid")) {
        if (!parse_bool(v, &p->grid))
            return bad(r, "page", k, "\"%s\": write on or off", v);
    } else if (g_str_equal(k, "lines") || g_str_equal(k, "chars")) {
        char *end = NULL;
        long n = strtol(v, &end, 10);
        gboolean is_lines = g_str_equal(k, "lines");
        if (end == v || *end != '\0' || n < (is_lines ? 10 : 16) || n > (is_lines ? 30 : 40))
            return bad(r, "page", k, "\"%s\" is not a whole number from %d to %d", v,
                       is_lines ? 10 : 16, is_lines ? 30 : 40);
        if (is_lines)
            p->lines = (int)n, r->lines_set = TRUE;
        else
            p->chars = (int)n;
    } else if (g_str_equal(k, "page_number")) {
        if (g_str_equal(v, "dash"))
            p->page_number = PROFILE_PAGE_NUMBER_DASH;
        else if (g_str_equal(v, "plain"))
            p->page_number = PROFILE_PAGE_NUMBER_PLAIN;
        else if (g_str_equal(v, "none"))
            p->page_number = PROFILE_PAGE_NUMBER_NONE;
        else
            return bad(r, "page", k, "\"%s\": write dash, plain or none", v);
    } else if (g_str_equal(k, "imprint_page")) {
        if (g_str_equal(v, "letter"))
            p->imprint_page = PROFILE_IMPRINT_PAGE_LETTER;
        else if (g_str_equal(v, "unnumbered"))
            p->imprint_page = PROFILE_IMPRINT_PAGE_UNNUMBERED;
        else
            return bad(r, "page", k, "\"%s\": write letter or unnumbered", v);
    } else {
        return bad(r, "page", k, "unknown key; the keys of [page] are line_pitch, grid, lines, "
                                 "chars, page_number and imprint_page");
    }
    return TRUE;
}

static gboolean
fonts_key(Reader *r, Profile *p, const char *k, const char *v)
{
    FontRole role = fonts_role_from_name(k);
    if (role == FONT_ROLE_COUNT) {
        char *roles = fonts_role_names();
        gboolean ok = bad(r, "fonts", k, "unknown font role; the roles are %s", roles);
        g_free(roles);
        return ok;
    }
    if (*v != '\0') {
        g_free(p->fonts[role]);
        p->fonts[role] = g_strdup(v);
        p->font_lines[role] = key_line(r->data, "fonts", k);
    }
    return TRUE;
}

static gboolean
style_key(Reader *r, Profile *p, const char *k, const char *v)
{
    if (g_str_equal(k, "heading3_bold")) {
        if (!parse_bool(v, &p->heading3_bold))
            return bad(r, "style", k, "\"%s\": write on or off", v);
    } else if (g_str_equal(k, "latin_gap")) {
        if (!parse_bool(v, &p->latin_gap))
            return bad(r, "style", k, "\"%s\": write on or off", v);
    } else if (g_str_equal(k, "latin_font")) {
        g_free(p->latin_family);
        p->latin_family = *v != '\0' ? g_strdup(v) : NULL;
        p->latin_line = key_line(r->data, "style", k);
    } else if (g_str_equal(k, "red")) {
        /* six hex digits and nothing else: strtoul alone takes “-00001” (as 0xFFFFFFFF) and
         * “ +FFFF” */
        gboolean ok = v[0] == '#' && strlen(v) == 7;
        for (int i = 1; ok && i < 7; i++)
            ok = g_ascii_isxdigit(v[i]);
        if (!ok)
            return bad(r, "style", k, "\"%s\": write a colour as #RRGGBB", v);
        p->red = (guint32)strtoul(v + 1, NULL, 16);
    } else {
        return bad(r, "style", k, "unknown key; the keys of [style] are heading3_bold, "
                                  "latin_gap, latin_font and red");
    }
    return TRUE;
}

/* A pitch of its own: as many lines as fit in 225 mm, within the 1 mm GB/T 9704 5.2.1
 * allows (22 lines at 29 pt take 225.1 mm). */
static gboolean
fit_lines(Reader *r, Profile *p)
{
    const double area = (225.0 + 1.0) * 72.0 / 25.4 * PANGO_SCALE;
    if (p->line_pitch == 0)
        return TRUE;
    int fit = (int)(area / p->line_pitch);
    if (!r->lines_set)
        p->lines = MIN(p->lines, fit);
    else if (p->lines > fit)
        return bad(r, "page", "lines", "%d lines at a pitch of %.2f pt do not fit in 225 mm (%d do)",
                   p->lines, p->line_pitch / (double)PANGO_SCALE, fit);
    return TRUE;
}

/* GKeyFile tells neither where a line it cannot read is, nor of a key given twice (the last
 * wins) or a localized key (body[zh_CN], which no one reads): so every line is looked at
 * first, and such a line is an error at its place. */
static gboolean
check_lines(Reader *r)
{
    char **lines = g_strsplit(r->data, "\n", -1);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *group = NULL, *message = NULL;
    int at = 0;
    for (int i = 0; lines[i] != NULL && message == NULL; i++) {
        char *s = g_strstrip(lines[i]);
        const char *eq = strchr(s, '=');
        at = i + 1;
        if (*s == '\0' || *s == '#')
            continue;
        if (*s == '[' && s[strlen(s) - 1] == ']') {
            g_free(group);
            group = g_strndup(s + 1, strlen(s) - 2);
            continue;
        }
        if (eq == NULL) {
            message = g_strdup_printf("“%s” is neither key=value, a [group] nor a # comment", s);
            continue;
        }
        char *key = g_strstrip(g_strndup(s, (gsize)(eq - s)));
        char *name = group != NULL ? g_strdup_printf("%s\n%s", group, key) : NULL;
        gpointer first = NULL;
        if (group == NULL)
            message = g_strdup_printf("%s: a key before any group; start with [page], [fonts] "
                                      "or [style]",
                                      key);
        else if (*key == '\0')
            message = g_strdup_printf("[%s]: no key before “=”", group);
        else if (strchr(key, '[') != NULL)
            message = g_strdup_printf("[%s] %s: a localized key, which gongwen does not "
                                      "read; write %.*s=",
                                      group, key, (int)strcspn(key, "["), key);
        else if (g_hash_table_lookup_extended(seen, name, NULL, &first))
            message = g_strdup_printf("[%s] %s: given twice (first on line %d); keep one", group,
                                      key, GPOINTER_TO_INT(first));
        else
            g_hash_table_insert(seen, g_steal_pointer(&name), GINT_TO_POINTER(at));
        g_free(name);
        g_free(key);
    }
    if (message != NULL)
        diag_set_error(r->error, GONGWEN_ERROR_INPUT, (DiagAt){r->path, at, 1}, "%s", message);
    g_free(message);
    g_free(group);
    g_hash_table_unref(seen);
    g_strfreev(lines);
    return message == NULL;
}

Profile *
profile_load(const char *path, GError **error)
{
    return profile_load_in(NULL, path, error);
}

Profile *
profile_load_in(const char *folder, const char *path, GError **error)
{
    g_return_val_if_fail(path != NULL, NULL);
    gsize len = 0;
    GError *e = NULL;
    char *data = files_read(folder, path, PROFILE_MAX_BYTES, "a profile", &len, &e);
    if (data == NULL) {
        diag_set_error(error, (GongwenError)e->code, (DiagAt){path, 0, 0},
                       "cannot read the profile: %s", e->message);
        g_error_free(e);
        return NULL;
    }
    Profile *p = profile_new();
    p->path = g_strdup(path);
    GKeyFile *kf = g_key_file_new();
    Reader r = {path, data, kf, error, FALSE};
    gboolean ok = FALSE;
    if (!g_utf8_validate(data, (gssize)len, NULL) || memchr(data, '\0', len) != NULL) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){path, 1, 1},
                       "the profile is not UTF-8 text");
    } else if (!check_lines(&r)) {
        /* the error is set */
    } else if (!g_key_file_load_from_data(kf, data, len, G_KEY_FILE_NONE, &e)) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){path, 0, 0}, "%s", e->message);
        g_error_free(e);
    } else {
        ok = TRUE;
        char **groups = g_key_file_get_groups(kf, NULL);
        for (char **g = groups; ok && *g != NULL; g++) {
            if (!g_str_equal(*g, "page") && !g_str_equal(*g, "fonts") && !g_str_equal(*g, "style"))
                ok = bad(&r, *g, "", "unknown group; the groups are [page], [fonts] and [style]");
        }
        g_strfreev(groups);
        ok = ok && read_group(&r, p, "page", page_key) && fit_lines(&r, p) &&
             read_group(&r, p, "fonts", fonts_key) && read_group(&r, p, "style", style_key);
    }
    g_key_file_free(kf);
    g_free(data);
    if (!ok) {
        profile_free(p);
        return NULL;
    }
    return p;
}

char *
profile_dump(const Profile *profile)
{
    Profile *defaults = NULL;
    if (profile == NULL)
        profile = defaults = profile_new();
    static const char *const numbers[] = {"dash", "plain", "none"};
    static const char *const imprint_pages[] = {"letter", "unnumbered"};
    GString *out = g_string_new(NULL);
    g_string_append(out, "# gongwen house-style profile. Use it with `gongwen render --profile FILE`\n"
                         "# or `profile: FILE` in a report's front matter. The values below are\n"
                         "# the GB/T 9704-2012 defaults; delete what you do not change.\n\n"
                         "[page]\n"
                         "# Line pitch: grid (225 mm / lines = 28.99 pt for 22 lines), or a length\n"
                         "# such as 28pt, 29pt, 30pt or 10.2mm. With a pitch of its own a page\n"
                         "# holds as many lines as fit in 225 mm.\n");
    if (profile->line_pitch == 0)
        g_string_append(out, "line_pitch=grid\n");
    else {
        char v[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(v, sizeof v, "%.2f", profile->line_pitch / (double)PANGO_SCALE);
        g_string_append_printf(out, "line_pitch=%spt\n", v);
    }
    g_string_append_printf(out,
                           "# on: every full-width character takes 156 mm / chars (Word's\n"
                           "# 指定行和字符网格); off: characters keep their own widths.\n"
                           "grid=%s\nlines=%d\nchars=%d\n"
                           "# dash: “— 1 —” at alternate sides (7.5); plain: “1”; none.\n"
                           "page_number=%s\n"
                           "# A page added for the 版记 (the text ends on an odd page, or fills\n"
                           "# its even one): letter numbers it, unless a blank page comes\n"
                           "# before it, when neither is numbered (7.5); unnumbered: no page\n"
                           "# added for the 版记 is numbered.\n"
                           "imprint_page=%s\n\n"
                           "[fonts]\n"
                           "# A family asked for first for a role; empty: the built-in list\n"
                           "# (`gongwen fonts` shows what each role resolves to).\n",
                           profile->grid ? "on" : "off", profile->lines, profile->chars,
                           numbers[profile->page_number], imprint_pages[profile->imprint_page]);
    for (int r = 0; r < FONT_ROLE_COUNT; r++)
        g_string_append_printf(out, "%s=%s\n", fonts_role_name((FontRole)r),
                               profile->fonts[r] != NULL ? profile->fonts[r] : "");
    g_string_append_printf(out,
                           "\n[style]\n"
                           "# Level-3 headings (1.) in bold: a local rule, not GB/T 9704.\n"
                           "heading3_bold=%s\n"
                           "# on: a quarter em between Han characters and Latin letters or\n"
                           "# digits (2024 年 1 月), in all the text: body, tables, charts, the\n"
                           "# 版头, 成文日期 and 版记 alike (Word's zh-CN default); off: none\n"
                           "# anywhere (2024年1月).\n"
                           "latin_gap=%s\n"
                           "# Digits and Latin letters of body text in this family, e.g.\n"
                           "# Times New Roman (Liberation Serif is its free metric twin).\n"
                           "latin_font=%s\n"
                           "# The red of the 版头 (发文机关标志 and rule).\n"
                           "red=#%06X\n",
                           profile->heading3_bold ? "on" : "off", profile->latin_gap ? "on" : "off",
                           profile->latin_family != NULL ? profile->latin_family : "",
                           (unsigned)profile->red);
    profile_free(defaults);
    return g_string_free(out, FALSE);
}
