/* gongwen: is every character of the document in the fonts of its role? */
#include "diag.h"
#include "page.h"

#include <string.h>

typedef struct {
    Fonts *fonts;
    GArray *issues;    /* PageFontIssue */
    GHashTable *index; /* (c << 4 | role) -> 1 + index into issues */
} Checker;

/* A variation selector (VS1–VS16, VS17–VS256): it picks a form of the character before it
 * where the font has one, and is otherwise ignored; it is never a character of its own. */
static gboolean
is_variation_selector(gunichar c)
{
    return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

static void
check_char(Checker *k, gunichar c, FontRole role, DocLoc loc)
{
    if (is_variation_selector(c))
        return;
    if (c == 0x2015) /* ― is set with the glyph of — (layout/para.c) */
        c = 0x2014;
    gpointer key = GUINT_TO_POINTER(((guint)c << 4) | (guint)role);
    guint at = GPOINTER_TO_UINT(g_hash_table_lookup(k->index, key));
    if (at == G_MAXUINT) /* covered by the role's font */
        return;
    if (at > 0) {
        g_array_index(k->issues, PageFontIssue, at - 1).count++;
        return;
    }
    char *family = NULL;
    FontCover cover = fonts_cover(k->fonts, role, c, &family);
    if (cover == FONT_COVER_ROLE) {
        g_hash_table_insert(k->index, key, GUINT_TO_POINTER(G_MAXUINT));
        return;
    }
    PageFontIssue issue = {c, role, cover, family, loc, 1};
    g_array_append_val(k->issues, issue);
    g_hash_table_insert(k->index, key, GUINT_TO_POINTER(k->issues->len));
}

/* Check `text`, whose first character is at `loc`: bytes [0, head_len) in `head`. */
static void
check_text(Checker *k, const char *text, size_t head_len, FontRole head, FontRole body,
           DocLoc loc)
{
    DocLoc at = loc;
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p), at.col++) {
        FontRole role = (size_t)(p - text) < head_len ? head : body;
        check_char(k, g_utf8_get_char(p), role, at);
    }
}

static void
issue_clear(gpointer data)
{
    PageFontIssue *issue = data;
    g_free(issue->family);
}

GArray *
page_font_issues(const Doc *doc, Fonts *fonts)
{
    Checker k = {fonts, g_array_new(FALSE, TRUE, sizeof(PageFontIssue)),
                 g_hash_table_new(g_direct_hash, g_direct_equal)};
    g_array_set_clear_func(k.issues, issue_clear);
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        FontRole head, body;
        size_t head_len;
        page_block_roles(block, &head, &body, &head_len);
        if (block->text != NULL)
            check_text(&k, block->text, head_len, head, body, block->loc);
        for (size_t i = 0; i < block->n_items; i++)
            check_text(&k, block->items[i], 0, body, body, block->loc);
    }
    g_hash_table_destroy(k.index);
    return k.issues;
}

void
page_font_issues_free(GArray *issues)
{
    if (issues != NULL)
        g_array_free(issues, TRUE);
}

static char *
char_utf8(gunichar c)
{
    char buf[8] = {0};
    g_unichar_to_utf8(c, buf);
    return g_strdup(buf);
}

gboolean
page_check_fonts(const Doc *doc, Fonts *fonts, GPtrArray *diags, GError **error)
{
    GArray *issues = page_font_issues(doc, fonts);
    const PageFontIssue *missing = NULL;
    size_t n_missing = 0;
    for (guint i = 0; i < issues->len; i++) {
        const PageFontIssue *issue = &g_array_index(issues, PageFontIssue, i);
        char *ch = char_utf8(issue->c);
        if (issue->cover == FONT_COVER_NONE) {
            missing = missing != NULL ? missing : issue;
            n_missing++;
        } else if (diags != NULL) {
            FontFace face;
            fonts_role_face(fonts, issue->role, &face);
            diag_add(diags, DIAG_WARNING, issue->loc,
                     "“%s” (U+%04X) is not in %s, the %s font; set in %s (%d time%s)", ch,
                     (unsigned)issue->c, face.family != NULL ? face.family : "the font",
                     fonts_role_name(issue->role), issue->family, issue->count,
                     issue->count == 1 ? "" : "s");
            font_face_clear(&face);
        }
        g_free(ch);
    }
    if (missing != NULL) {
        char *ch = char_utf8(missing->c);
        diag_set_error(error, GONGWEN_ERROR_FONT, missing->loc,
                       "no installed font has the character “%s” (U+%04X); "
                       "install a font that covers it%s",
                       ch, (unsigned)missing->c,
                       n_missing > 1 ? " (and other characters: see `gongwen fonts REPORT`)" : "");
        g_free(ch);
    }
    page_font_issues_free(issues);
    return missing == NULL;
}
