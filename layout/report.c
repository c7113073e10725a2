/* gongwen: the library's entry (see report.h). */
#include "report.h"

#include "diag.h"
#include "profile.h"
#include "source.h"

#include <string.h>

gboolean
report_apply_fonts(Fonts *fonts, const Doc *doc, char **overrides, GError **error)
{
    for (int r = 0; doc != NULL && r < FONT_ROLE_COUNT; r++) {
        const char *family = doc->profile->fonts[r];
        GError *e = NULL;
        if (family != NULL && !fonts_set_override(fonts, (FontRole)r, family, &e)) {
            diag_set_error(error, GONGWEN_ERROR_FONT,
                           (DiagAt){doc->profile->path, doc->profile->font_lines[r], 1},
                           "[fonts] %s: %s", fonts_role_name((FontRole)r), e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    if (doc != NULL && doc->profile->latin_family != NULL) {
        char **families = g_strsplit(doc->profile->latin_family, ",", -1);
        gboolean any = FALSE;
        for (char **f = families; *f != NULL && !any; f++)
            any = fonts_family_installed(fonts, g_strstrip(*f));
        g_strfreev(families);
        if (!any) {
            diag_set_error(error, GONGWEN_ERROR_FONT,
                           (DiagAt){doc->profile->path, doc->profile->latin_line, 1},
                           "[style] latin_font: no font of \"%s\" is installed (Liberation "
                           "Serif, Debian fonts-liberation2, has the metrics of Times New Roman)",
                           doc->profile->latin_family);
            return FALSE;
        }
    }
    for (size_t i = 0; doc != NULL && i < doc->n_fonts; i++) {
        const DocFont *f = &doc->fonts[i];
        GError *e = NULL;
        if (!fonts_set_override(fonts, fonts_role_from_name(f->role), f->family, &e)) {
            diag_set_error(error, GONGWEN_ERROR_FONT, f->loc, "%s", e->message);
            g_error_free(e);
            return FALSE;
        }
    }
    for (char **f = overrides; f != NULL && *f != NULL; f++) {
        char **kv = g_strsplit(*f, "=", 2);
        FontRole role = fonts_role_from_name(kv[0]);
        GError *e = NULL;
        gboolean ok = FALSE;
        if (kv[1] == NULL || role == FONT_ROLE_COUNT) {
            char *roles = fonts_role_names();
            diag_set_error(error, GONGWEN_ERROR_FONT, (DiagAt){NULL, 0, 0},
                           "--font %s: give ROLE=FAMILY; the roles are %s", *f, roles);
            g_free(roles);
        } else if (!(ok = fonts_set_override(fonts, role, kv[1], &e))) {
            diag_set_error(error, GONGWEN_ERROR_FONT, (DiagAt){NULL, 0, 0}, "--font %s: %s", *f,
                           e->message);
            g_error_free(e);
        }
        g_strfreev(kv);
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

static gboolean
report_start(Report *r, const ReportOptions *o, GError **error)
{
    if (o->profile != NULL) {
        Profile *profile = profile_load(o->profile, error);
        if (profile == NULL)
            return FALSE;
        profile_free(r->doc->profile);
        r->doc->profile = profile;
    }
    diag_add_all(r->diags, r->doc->warnings);
    if (o->shared_fonts != NULL) {
        fonts_reset_overrides(o->shared_fonts);
        r->fonts = o->shared_fonts;
    } else {
        r->fonts = fonts_new(o->fonts_conf, error);
        r->own_fonts = TRUE;
    }
    if (r->fonts == NULL || !report_apply_fonts(r->fonts, r->doc, o->fonts, error))
        return FALSE;
    if (!o->keep_uncovered && !page_check_fonts(r->doc, r->fonts, r->diags, error))
        return FALSE;
    if (!o->lay_out)
        return TRUE;
    r->pages = page_layout(r->doc, r->fonts, error);
    if (r->pages != NULL)
        diag_add_all(r->diags, r->pages->warnings);
    return r->pages != NULL;
}

static void
report_init(Report *r)
{
    memset(r, 0, sizeof *r);
    r->diags = diag_list_new();
}

gboolean
report_load(Report *r, const char *path, const ReportOptions *o, GError **error)
{
    report_init(r);
    r->doc = source_load(path, error);
    return r->doc != NULL && report_start(r, o, error);
}

gboolean
report_parse(Report *r, const char *path, const char *data, size_t len, const ReportOptions *o,
             GError **error)
{
    report_init(r);
    r->doc = source_parse(path, data, len, error);
    return r->doc != NULL && report_start(r, o, error);
}

gboolean
report_layout_stream(Report *r, PageSink sink, void *data, GError **error)
{
    pages_free(r->pages);
    r->pages = page_layout_stream(r->doc, r->fonts, sink, data, error);
    if (r->pages != NULL)
        diag_add_all(r->diags, r->pages->warnings);
    return r->pages != NULL;
}

void
report_clear(Report *r)
{
    pages_free(r->pages);
    if (r->own_fonts)
        fonts_free(r->fonts);
    doc_free(r->doc);
    if (r->diags != NULL)
        g_ptr_array_free(r->diags, TRUE);
    memset(r, 0, sizeof *r);
}
