/* gongwen: `@issued [title]`, the documents a 印发 notice issues (see source-imp.h).
 *
 * A 印发 notice (关于印发《……办法》的通知) ends with its signature and date; the 办法 or 细则
 * it issues follows on a new page with its own centred title and no “附件” label: it is part
 * of the body, not an attachment. Its own 附件说明 and attachments follow it and are
 * numbered 附件1… among themselves. The title is given on the directive's line or on the
 * next line; a qualifier written on a line of its own right under it (（试行）, （2024年修订）)
 * belongs to the title and is set as a second centred line.
 */
#include "source-imp.h"

#include <string.h>

/* ---- the title -------------------------------------------------------------------------- */

#define QUALIFIER_MAX_CHARS 16

/* A qualifier on a line of its own under a title: one bracketed phrase of up to 16
 * characters that is not a numbering (（一）, （12）): （试行）, （暂行）, （2024年修订）. */
static gboolean
is_title_qualifier(const char *text)
{
    const char *inner;
    if (g_str_has_prefix(text, "（"))
        inner = text + strlen("（");
    else if (*text == '(')
        inner = text + 1;
    else
        return FALSE;
    const char *end = g_utf8_find_prev_char(text, text + strlen(text));
    if (end == NULL || (!g_str_equal(end, "）") && !g_str_equal(end, ")")) || end <= inner)
        return FALSE;
    if (g_utf8_strlen(inner, end - inner) > QUALIFIER_MAX_CHARS)
        return FALSE;
    gboolean words = FALSE;
    for (const char *s = inner; s < end; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (c == '(' || c == ')' || c == 0xFF08 || c == 0xFF09) /* one phrase: no （ ） */
            return FALSE;
        if (!g_unichar_isdigit(c) && g_utf8_strchr("一二三四五六七八九十〇零", -1, c) == NULL)
            words = TRUE;
    }
    return words;
}

/* Why `text`, the line after `@issued`, cannot be a title; NULL when it can. */
static const char *
not_a_title(const SrcLine *src)
{
    static const char *const ends[] = {"。", "；", "，", "：", "！", "？", ";", ",", ":"};
    HeadingMatch m;
    if (src->text[0] == '@' && g_ascii_isalpha(src->text[1]))
        return "a directive";
    if (match_heading(src->text, &m))
        return "a numbered heading";
    if (g_str_has_prefix(src->text, "第") && (strstr(src->text, "条") != NULL ||
                                              strstr(src->text, "章") != NULL)) {
        const char *s = src->text + strlen("第");
        while (*s != '\0' && g_utf8_strchr("一二三四五六七八九十百零〇", -1, g_utf8_get_char(s)))
            s = g_utf8_next_char(s);
        if (s > src->text + strlen("第") &&
            (g_str_has_prefix(s, "条") || g_str_has_prefix(s, "章") || g_str_has_prefix(s, "节")))
            return "an article or chapter (第X条, 第X章)";
    }
    for (size_t i = 0; i < G_N_ELEMENTS(ends); i++)
        if (g_str_has_suffix(src->text, ends[i]))
            return "a sentence, not a title";
    return NULL;
}

/* The issued document's block: the last @issued. */
static DocBlock *
issued_block(Parser *p)
{
    for (size_t i = p->doc->n_blocks; i-- > 0;)
        if (p->doc->blocks[i].kind == DOC_BLOCK_ISSUED)
            return &p->doc->blocks[i];
    g_assert_not_reached();
    return NULL;
}

/* Set the block's title lines: `title` (《》 around it dropped, with a warning), then the
 * qualifier when given. */
static void
set_title(Parser *p, DocBlock *block, const char *title, const char *qualifier)
{
    char *bare = NULL;
    if (g_str_has_prefix(title, "《") && g_str_has_suffix(title, "》") &&
        strlen(title) > 2 * strlen("《")) {
        bare = g_strndup(title + strlen("《"), strlen(title) - 2 * strlen("《"));
        if (strstr(bare, "《") == NULL && strstr(bare, "》") == NULL) {
            doc_warn(p->doc, block->loc, "the issued document's title is written without 《》 "
                     "(it is a title, not a name quoted in a text): set as “%s”", bare);
            title = bare;
        }
    }
    const char *lines[2] = {doc_intern(p->doc, title, -1), NULL};
    size_t n = 1;
    if (qualifier != NULL)
        lines[n++] = doc_intern(p->doc, qualifier, -1);
    char *whole = g_strconcat(title, qualifier != NULL ? qualifier : "", NULL);
    block->text = doc_intern(p->doc, whole, -1);
    block->items = doc_intern_items(p->doc, lines, n);
    block->n_items = n;
    g_free(whole);
    g_free(bare);
}

/* The notice's date: a date line before the first @issued, or the front matter's. */
static gboolean
notice_has_date(const Parser *p)
{
    if (p->date_year != 0)
        return TRUE;
    for (size_t i = 0; i < p->doc->n_blocks; i++)
        if (p->doc->blocks[i].kind == DOC_BLOCK_DATE)
            return TRUE;
    return FALSE;
}

gboolean
parse_issued(Parser *p, const SrcLine *src, const char *args)
{
    if (p->n_issued == 0 && !notice_has_date(p))
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "@issued starts the issued document after the notice's signature and date; "
                    "the notice has no date before it: write the date (成文日期) on a line "
                    "before @issued, or date: in the front matter");
    if (p->issued_wants == ISSUED_WANTS_TITLE)
        return fail(p, GONGWEN_ERROR_INPUT, src->line, src->col,
                    "the @issued before this line has no title: write it after @issued or on "
                    "the line below it");
    DocBlock block = {0};
    block.kind = DOC_BLOCK_ISSUED;
    block.loc = loc_at(p, src->line, src->col);
    block.text = "";
    block.level = ++p->n_issued;
    DocBlock *stored = doc_append(p->doc, &block);
    if (*args != '\0') {
        set_title(p, stored, args, NULL);
        p->issued_wants = ISSUED_WANTS_QUALIFIER;
    } else {
        p->issued_wants = ISSUED_WANTS_TITLE;
    }
    /* a new part: its own 附件说明, attachments numbered from 1, numbering from 一、 */
    p->in_attachment = FALSE;
    p->n_attachments = 0;
    p->note_index = -1;
    memset(p->last, 0, sizeof p->last);
    articles_reset(p); /* and its own 第一条 */
    return TRUE;
}

gboolean
issued_title_line(Parser *p, const SrcLine *src, gboolean *used)
{
    *used = FALSE;
    if (p->issued_wants == ISSUED_WANTS_NOTHING)
        return TRUE;
    DocBlock *block = issued_block(p);
    if (p->issued_wants == ISSUED_WANTS_QUALIFIER) {
        p->issued_wants = ISSUED_WANTS_NOTHING;
        if (!is_title_qualifier(src->text) || block->n_items != 1)
            return TRUE;
        set_title(p, block, block->items[0], src->text);
        *used = TRUE;
        return TRUE;
    }
    const char *why = not_a_title(src);
    if (why != NULL)
        return fail(p, GONGWEN_ERROR_INPUT, block->loc.line, block->loc.col,
                    "@issued needs the issued document's title: write it after @issued or on "
                    "the line below it (line %d is %s)", src->line, why);
    set_title(p, block, src->text, NULL);
    p->issued_wants = ISSUED_WANTS_QUALIFIER;
    *used = TRUE;
    return TRUE;
}

gboolean
issued_finish(Parser *p)
{
    if (p->issued_wants != ISSUED_WANTS_TITLE)
        return TRUE;
    const DocBlock *block = issued_block(p);
    return fail(p, GONGWEN_ERROR_INPUT, block->loc.line, block->loc.col,
                "@issued needs the issued document's title: write it after @issued or on the "
                "line below it (the text ends here)");
}

/* ---- checks ----------------------------------------------------------------------------- */

/* The names in 《》 after “印发” in the notice's title (关于印发《甲》《乙》的通知), owned. */
static GPtrArray *
issued_names_in_title(const char *title)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *s = title != NULL ? strstr(title, "印发") : NULL;
    if (s == NULL)
        return names;
    s += strlen("印发");
    for (;;) {
        for (;;) {
            if (g_str_has_prefix(s, "、"))
                s += strlen("、");
            else if (g_str_has_prefix(s, "和"))
                s += strlen("和");
            else if (space_len(s) > 0)
                s += space_len(s);
            else
                break;
        }
        if (!g_str_has_prefix(s, "《"))
            break;
        /* the matching 》: names may quote other names (《〈……〉实施细则》) */
        const char *open = s + strlen("《"), *q = open;
        int depth = 1;
        while (*q != '\0' && depth > 0) {
            if (g_str_has_prefix(q, "《"))
                depth++;
            else if (g_str_has_prefix(q, "》") && --depth == 0)
                break;
            q = g_utf8_next_char(q);
        }
        if (*q == '\0')
            break;
        g_ptr_array_add(names, g_strndup(open, (size_t)(q - open)));
        s = q + strlen("》");
    }
    return names;
}

static gboolean
names_contain(GPtrArray *names, const char *name)
{
    for (guint k = 0; k < names->len; k++)
        if (g_str_equal(g_ptr_array_index(names, k), name))
            return TRUE;
    return FALSE;
}

void
check_issued(Parser *p)
{
    const Doc *doc = p->doc;
    GPtrArray *named = issued_names_in_title(doc->title);
    GString *list = g_string_new(NULL);
    for (guint k = 0; k < named->len; k++)
        g_string_append_printf(list, "《%s》", (const char *)g_ptr_array_index(named, k));
    GPtrArray *issued = g_ptr_array_new();
    for (size_t i = 0; i < doc->n_blocks; i++) {
        const DocBlock *b = &doc->blocks[i];
        if (b->kind != DOC_BLOCK_ISSUED)
            continue;
        g_ptr_array_add(issued, (gpointer)b->text);
        /* the notice's title may leave out the qualifier (《乙办法》 for 乙办法（2024年修订）) */
        if (named->len > 0 && !names_contain(named, b->text) &&
            (b->n_items == 0 || !names_contain(named, b->items[0])))
            doc_warn(p->doc, b->loc, "the issued document is titled “%s”, but the notice's "
                     "title issues %s: write the same name in both", b->text, list->str);
    }
    /* the notice's 附件说明 (before the first @issued) lists attachments only */
    for (size_t i = 0; i < doc->n_blocks && doc->blocks[i].kind != DOC_BLOCK_ISSUED; i++) {
        const DocBlock *b = &doc->blocks[i];
        if (b->kind != DOC_BLOCK_ATTACHMENT_NOTE)
            continue;
        for (size_t k = 0; k < b->n_items; k++) {
            char *bare = g_str_has_prefix(b->items[k], "《") && g_str_has_suffix(b->items[k], "》")
                             ? g_strndup(b->items[k] + strlen("《"),
                                         strlen(b->items[k]) - 2 * strlen("《"))
                             : g_strdup(b->items[k]);
            if (names_contain(issued, bare))
                doc_warn(p->doc, b->loc, "the 附件说明 lists “%s”, the issued document (@issued): "
                         "it is part of the notice's body, not an attachment; remove its line",
                         bare);
            g_free(bare);
        }
    }
    g_ptr_array_unref(issued);
    g_ptr_array_unref(named);
    g_string_free(list, TRUE);
}
