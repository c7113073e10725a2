/* gongwen: 规章-style structure (办法, 细则, 规定, 条例; see source-imp.h): 第X章 chapters,
 * 第X节 sections, 第X条 articles and the items （一）/1./（1） inside an article.
 *
 * A document enters this structure at its first 第X章 line or its first article, and stays
 * in it until it ends or the next document starts (articles_reset: an attachment, an issued
 * document). Inside an article, numbered lines are its list items, never headings: their
 * numbering restarts in every article. Chapters, sections (within their chapter) and
 * articles are numbered consecutively; a number out of sequence is an error at its line
 * that does not stop the reading (`check` refuses it, `render` reports it).
 *
 * What starts an article: a line that begins with 第X条 (X a Chinese numeral, 第一百零二条)
 * followed by white space or nothing; or followed directly by text when it is 第一条 or an
 * article number above the last one and the text does not read as a reference to it
 * (第十条规定的…, 第十条第二款…, 第十条至第十二条…). 第X条 inside a line is never an article.
 * The space after 第X条 is set as one full-width space whatever was written (an ASCII
 * space, several, or none).
 */
#include "source-imp.h"
#include "numeral.h"

#include <stdarg.h>
#include <string.h>

/* A chapter's or section's title is short: longer lines are text. */
#define DIVISION_TITLE_MAX_CHARS 30

/* ---- recognition ------------------------------------------------------------------------- */

/* Does `text` begin with 第 + a numeral + `unit` (章, 节, 条)? Its value, *end after it. */
static int
match_ordinal(const char *text, const char *unit, const char **end)
{
    if (!g_str_has_prefix(text, "第"))
        return 0;
    const char *s = text + strlen("第");
    int value = numeral_take(&s);
    if (value == 0 || !g_str_has_prefix(s, unit))
        return 0;
    *end = s + strlen(unit);
    return value;
}

/* A chapter's or section's title after 第X章: nothing, or a short name without the
 * punctuation of a sentence (“总　则”, “申请、受理和审查”). */
static gboolean
is_division_title(const char *title)
{
    static const char *const stops[] = {"。", "，", "；", "：", "！", "？",
                                        ",",  ";",  ":",  "!",  "?"};
    if (g_utf8_strlen(title, -1) > DIVISION_TITLE_MAX_CHARS)
        return FALSE;
    for (size_t i = 0; i < G_N_ELEMENTS(stops); i++)
        if (strstr(title, stops[i]) != NULL)
            return FALSE;
    return TRUE;
}

/* Text right after 第X条 that makes the line a sentence about that article, not the article
 * itself: 第十条规定的…, 第十条所称…, 第十条第二款…, 第十条至第十二条…, 第十条、第十一条…. */
static gboolean
reads_as_reference(const char *rest)
{
    static const char *const starts[] = {"规定", "所", "第", "至", "到", "、", "，", ",", "。",
                                         "；",   "的", "之", "及", "或", "和", "款", "项"};
    for (size_t i = 0; i < G_N_ELEMENTS(starts); i++)
        if (g_str_has_prefix(rest, starts[i]))
            return TRUE;
    return FALSE;
}

/* ---- numbering --------------------------------------------------------------------------- */

static void numbering_error(Parser *p, DocLoc loc, const char *format, ...) G_GNUC_PRINTF(3, 4);

static void
numbering_error(Parser *p, DocLoc loc, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    diag_add(p->doc->warnings, DIAG_ERROR, loc, "%s", message);
    g_free(message);
}

/* 第X<unit> must follow the last one of its kind (`last`) by one: an error otherwise.
 * `scope` says where the numbering runs (“through the document”). */
static void
check_ordinal(Parser *p, LastNumber *last, const DocBlock *block, const char *unit,
              const char *what, const char *scope)
{
    if (block->number_value != last->value + 1) {
        GString *want = g_string_new(NULL);
        numeral_append(want, last->value + 1);
        if (last->value == 0)
            numbering_error(p, block->loc, "%s %s is the first %s%s; expected 第一%s", what,
                            block->number, what,
                            last == &p->articles.section ? " of its chapter" : "", unit);
        else
            numbering_error(p, block->loc,
                            "%s %s follows %s (line %d); expected 第%s%s (%ss "
                            "are numbered without gaps or repeats %s)",
                            what, block->number, last->number, last->line, want->str, unit, what,
                            scope);
        g_string_free(want, TRUE);
    }
    *last = (LastNumber){block->number_value, block->loc.line, block->number};
}

/* An item's numbering follows the last item of its level in the same article; lower levels
 * restart after it. A gap or a repeat is a warning, as with headings. */
static void
check_item(Parser *p, const DocBlock *block)
{
    LastNumber *last = &p->articles.items[block->level];
    if (block->number_value != last->value + 1) {
        char *want = format_number(block->level, last->value + 1, block->number);
        if (last->value == 0)
            doc_warn(p->doc, block->loc,
                     "numbering %s begins the items of its level in this "
                     "article; expected %s",
                     block->number, want);
        else
            doc_warn(p->doc, block->loc,
                     "numbering %s follows %s (line %d) in the same "
                     "article; expected %s",
                     block->number, last->number, last->line, want);
        g_free(want);
    }
    *last = (LastNumber){block->number_value, block->loc.line, block->number};
    for (int level = block->level + 1; level <= 4; level++)
        p->articles.items[level].value = 0;
}

/* ---- blocks ------------------------------------------------------------------------------ */

/* A block of `kind` for “第X<unit>” (`head`, its bytes `head_len`) and what follows it,
 * `rest` (may be ""), joined by one full-width space. */
static DocBlock *
add_ordinal_block(Parser *p, const SrcLine *src, DocBlockKind kind, const char *rest,
                  size_t head_len, int value)
{
    char *text = *rest != '\0' ? g_strdup_printf("%.*s\u3000%s", (int)head_len, src->text, rest)
                               : g_strndup(src->text, head_len);
    DocBlock *block = add_text_block(p, kind, text, loc_at(p, src->line, src->col));
    g_free(text);
    block->number = doc_intern(p->doc, src->text, (gssize)head_len);
    block->number_value = value;
    return block;
}

/* 第X章 or 第X节 with its title: a chapter or section line. */
static gboolean
parse_division(Parser *p, const SrcLine *src, gboolean chapter)
{
    const char *end = NULL;
    int value = match_ordinal(src->text, chapter ? "章" : "节", &end);
    if (value == 0)
        return FALSE;
    const char *title = skip_space(end);
    if (!is_division_title(title) || (title == end && reads_as_reference(title)))
        return FALSE;
    DocBlock *block = add_ordinal_block(p, src, chapter ? DOC_BLOCK_CHAPTER : DOC_BLOCK_SECTION,
                                        title, (size_t)(end - src->text), value);
    ArticleState *a = &p->articles;
    if (chapter) {
        check_ordinal(p, &a->chapter, block, "章", "chapter", "through the document");
        a->section = (LastNumber){0};
        memset(p->last, 0, sizeof p->last); /* headings restart in every chapter */
    } else {
        check_ordinal(p, &a->section, block, "节", "section", "in every chapter");
    }
    a->active = TRUE;
    a->in_article = FALSE;
    return TRUE;
}

/* 第X条 and its text: an article (see the rule at the top of this file). */
static gboolean
parse_article(Parser *p, const SrcLine *src)
{
    const char *end = NULL;
    int value = match_ordinal(src->text, "条", &end);
    if (value == 0)
        return FALSE;
    ArticleState *a = &p->articles;
    const char *rest = skip_space(end);
    if (rest == end && *rest != '\0' &&
        (reads_as_reference(rest) || (value != 1 && !(a->active && value > a->article.value))))
        return FALSE;
    DocBlock *block =
        add_ordinal_block(p, src, DOC_BLOCK_ARTICLE, rest, (size_t)(end - src->text), value);
    block->head_len = (size_t)(end - src->text);
    check_ordinal(p, &a->article, block, "条", "article", "through the document");
    a->active = TRUE;
    a->in_article = TRUE;
    memset(a->items, 0, sizeof a->items);
    return TRUE;
}

/* A numbered line inside an article: an item, set as a body paragraph. */
static gboolean
parse_item(Parser *p, const SrcLine *src)
{
    HeadingMatch m;
    if (!p->articles.in_article || !match_heading(src->text, &m))
        return FALSE;
    DocBlock block = {0};
    block.kind = DOC_BLOCK_ITEM;
    block.loc = loc_at(p, src->line, src->col);
    block.text = doc_intern(p->doc, src->text, (gssize)src->len);
    block.level = m.level;
    block.number = doc_intern(p->doc, src->text, (gssize)m.number_len);
    block.number_value = m.value;
    check_item(p, doc_append(p->doc, &block));
    return TRUE;
}

gboolean
articles_parse_line(Parser *p, const SrcLine *src)
{
    if (parse_division(p, src, TRUE) || parse_article(p, src))
        return TRUE;
    if (p->articles.active && parse_division(p, src, FALSE))
        return TRUE;
    return parse_item(p, src);
}

void
articles_reset(Parser *p)
{
    memset(&p->articles, 0, sizeof p->articles);
}
