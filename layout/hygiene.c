/* gongwen: input hygiene (see hygiene.h). */
#include "hygiene.h"

#include "diag.h"
#include "files.h"

#include <string.h>

static gboolean
is_han(gunichar c)
{
    return g_unichar_iswide(c) && !g_unichar_ispunct(c) && !g_unichar_isspace(c);
}

/* A full-width punctuation mark (《 ， 。, and the quotes “ ” ‘ ’ Chinese text sets so). */
static gboolean
is_wide_mark(gunichar c)
{
    return (g_unichar_iswide(c) && g_unichar_ispunct(c)) || (c >= 0x2018 && c <= 0x201D);
}

static void
warn_at(GPtrArray *warnings, const DocBlock *block, long offset, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

static void
warn_at(GPtrArray *warnings, const DocBlock *block, long offset, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    DocLoc at = block->loc;
    at.col += (int)offset;
    diag_add(warnings, DIAG_WARNING, at, "%s", message);
    g_free(message);
}

/* The Chinese form of a half-width mark between Han characters, or NULL. */
static const char *
full_width_of(gunichar c)
{
    switch (c) {
    case ',': return "，";
    case '.': return "。";
    case ';': return "；";
    case ':': return "：";
    case '?': return "？";
    case '!': return "！";
    case '(': return "（";
    case ')': return "）";
    default: return NULL;
    }
}

/* Whether characters [0, i) of `cs` end an organ's name (重庆市粮食局, 某某市人民政府,
 * 某某有限公司): the last words of the names of 机关 and other bodies. */
static gboolean
ends_organ_name(const gunichar *cs, long i)
{
    static const char *const ends[] = {
        "局", "厅", "委", "部", "署", "院", "会", "办", "室", "处", "所", "站", "社", "馆",
        "行", "中心", "政府", "公司", "集团", "学校", "大学", "法院", "委员会", "办公室",
        "办公厅"};
    for (size_t k = 0; k < G_N_ELEMENTS(ends); k++) {
        glong n = 0;
        gunichar *end = g_utf8_to_ucs4_fast(ends[k], -1, &n);
        gboolean match = n <= i;
        for (glong j = 0; match && j < n; j++)
            match = cs[i - n + j] == end[j];
        g_free(end);
        if (match)
            return TRUE;
    }
    return FALSE;
}

/* A space between two organs' names in a title or a signature (“重庆市粮食局 重庆市财政局”)
 * sets the names apart, as the 发文机关 of a joint document are written: no slip. */
static gboolean
is_organ_gap(const DocBlock *block, const gunichar *cs, long i, long n)
{
    if (block->kind != DOC_BLOCK_TITLE && block->kind != DOC_BLOCK_SIGNATURE)
        return FALSE;
    gboolean single = (i < 2 || cs[i - 2] != ' ') && (i + 2 >= n || cs[i + 2] != ' ');
    return single && ends_organ_name(cs, i);
}

/* A short line set letter-spaced on purpose — a title 政 府 工 作 报 告, a chapter 第一章 总 则,
 * an author's name 栗 俊 昌: after an optional 第X章/节 and its space, single Han characters
 * each one space apart (ASCII or U+3000), two at least. Its spaces are no slip. */
static gboolean
is_letter_spaced(const DocBlock *block, const gunichar *cs, long n)
{
    if (block->kind != DOC_BLOCK_TITLE && block->kind != DOC_BLOCK_CHAPTER &&
        block->kind != DOC_BLOCK_SECTION && block->kind != DOC_BLOCK_AUTHOR &&
        block->kind != DOC_BLOCK_SUBTITLE)
        return FALSE;
    long i = 0;
    if (block->kind == DOC_BLOCK_CHAPTER || block->kind == DOC_BLOCK_SECTION) {
        while (i < n && cs[i] != 0x7AE0 /* 章 */ && cs[i] != 0x8282 /* 节 */)
            i++;
        for (i++; i < n && (cs[i] == ' ' || cs[i] == 0x3000);)
            i++;
    }
    long letters = 0;
    for (; i < n; i++) {
        gboolean space = cs[i] == ' ' || cs[i] == 0x3000;
        if (space) {
            if (i == 0 || !is_han(cs[i - 1]) || i + 1 >= n || !is_han(cs[i + 1]))
                return FALSE;
        } else if (!is_han(cs[i]) || (i + 1 < n && cs[i + 1] != ' ' && cs[i + 1] != 0x3000)) {
            return FALSE;
        } else {
            letters++;
        }
    }
    return letters >= 2;
}

/* Inside 《》 (`depth` open before character i), a < at i (or ＜) with its > (＞) before the
 * 》: the inner marks of a name within a title's name, which GB/T 15834 4.15 writes 〈〉.
 * The index of the closing mark, or -1. */
static long
inner_title_close(const gunichar *cs, long n, long i, int depth)
{
    if (depth == 0 || (cs[i] != '<' && cs[i] != 0xFF1C))
        return -1;
    gunichar close = cs[i] == '<' ? '>' : 0xFF1E;
    long j = i + 1;
    while (j < n && cs[j] != close && cs[j] != 0x300B && cs[j] != cs[i])
        j++;
    return j < n && cs[j] == close ? j : -1;
}

static void
check_text(const DocBlock *block, GPtrArray *warnings)
{
    const char *text = block->text;
    long n = g_utf8_strlen(text, -1);
    gunichar *cs = g_utf8_to_ucs4_fast(text, -1, NULL);
    int depth = 0; /* 《 open */
    const gboolean spaced = is_letter_spaced(block, cs, n);
    for (long i = 0; i < n; i++) {
        depth += cs[i] == 0x300A;
        depth -= depth > 0 && cs[i] == 0x300B;
        long close = inner_title_close(cs, n, i, depth);
        if (close > 0) {
            gboolean half = cs[i] == '<';
            warn_at(warnings, block, i, "%s “%s…%s” inside 《》: a name within a title's "
                    "name is marked 〈〉; write “〈…〉” (U+3008, U+3009)",
                    half ? "half-width" : "full-width", half ? "<" : "＜", half ? ">" : "＞");
            continue;
        }
        gunichar prev = i > 0 ? cs[i - 1] : 0, next = i + 1 < n ? cs[i + 1] : 0;
        gunichar c = cs[i];
        gboolean han_before = is_han(prev), han_after = is_han(next);
        if ((c == '"' || c == '\'') && (han_before || han_after))
            warn_at(warnings, block, i, "straight quote %c in Chinese text; write %s", (char)c,
                    c == '"' ? "“ ” (U+201C, U+201D)" : "‘ ’ (U+2018, U+2019)");
        else if (c == ' ' && han_before && han_after && !spaced &&
                 !is_organ_gap(block, cs, i, n))
            warn_at(warnings, block, i, "a space between two Han characters; remove it");
        else if (c == ' ' &&
                 ((han_before && is_wide_mark(next)) || (is_wide_mark(prev) && han_after))) {
            char mark[8] = {0};
            g_unichar_to_utf8(han_before ? next : prev, mark);
            warn_at(warnings, block, i, "a space beside the full-width “%s”; remove it (the mark "
                    "carries its own room)", mark);
        }
        else if (full_width_of(c) != NULL && han_before && (han_after || next == 0))
            warn_at(warnings, block, i, "half-width “%c” in Chinese text; write “%s”", (char)c,
                    full_width_of(c));
    }
    g_free(cs);
}

/* Level-3 headings numbered both 1. and 1．: the less used form is the slip. */
static void
check_numbering_forms(const Doc *doc, GPtrArray *warnings)
{
    size_t ascii = 0, wide = 0;
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->kind != DOC_BLOCK_HEADING || block->level != 3 || block->number == NULL)
            continue;
        ascii += g_str_has_suffix(block->number, ".");
        wide += g_str_has_suffix(block->number, "．");
    }
    if (ascii == 0 || wide == 0)
        return;
    const char *odd = ascii < wide ? "." : "．", *usual = ascii < wide ? "．" : ".";
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->kind == DOC_BLOCK_HEADING && block->level == 3 && block->number != NULL &&
            g_str_has_suffix(block->number, odd))
            warn_at(warnings, block, 0, "numbering “%s” mixes “%s” with the “%s” used elsewhere; "
                    "write “%.*s%s”", block->number, odd, usual,
                    (int)(strlen(block->number) - strlen(odd)), block->number, usual);
    }
}

typedef struct {
    char *wrong;
    char *right; /* NULL: banned */
} Word;

static gboolean
load_words(const char *path, GArray *words, GError **error)
{
    GError *why = NULL;
    gsize len = 0;
    char *data = files_read(NULL, path, FILES_MAX_WORDS, "a word list", &len, &why);
    if (data == NULL) {
        diag_set_error(error, (GongwenError)why->code, (DiagAt){path, 0, 0},
                       "cannot read the word list: %s", why->message);
        g_error_free(why);
        return FALSE;
    }
    if (!g_utf8_validate(data, (gssize)len, NULL)) {
        diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){path, 0, 0},
                       "the word list is not UTF-8");
        g_free(data);
        return FALSE;
    }
    char **lines = g_strsplit(data, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
        char *line = g_strstrip(*l);
        if (*line == '\0' || *line == '#')
            continue;
        const char *arrow = strstr(line, "→") ? "→" : strstr(line, "->") ? "->" : NULL;
        char **parts = arrow != NULL ? g_strsplit(line, arrow, 2) : NULL;
        Word w = {g_strstrip(g_strdup(parts != NULL ? parts[0] : line)),
                  parts != NULL ? g_strstrip(g_strdup(parts[1])) : NULL};
        g_strfreev(parts);
        if (*w.wrong == '\0') {
            g_free(w.wrong);
            g_free(w.right);
            continue;
        }
        g_array_append_val(words, w);
    }
    g_strfreev(lines);
    g_free(data);
    return TRUE;
}

static void
word_clear(gpointer data)
{
    Word *w = data;
    g_free(w->wrong);
    g_free(w->right);
}

static void
check_words(const Doc *doc, const GArray *words, GPtrArray *warnings)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->text == NULL)
            continue;
        for (guint k = 0; k < words->len; k++) {
            const Word *w = &g_array_index(words, Word, k);
            for (const char *at = strstr(block->text, w->wrong); at != NULL;
                 at = strstr(at + strlen(w->wrong), w->wrong)) {
                long offset = g_utf8_pointer_to_offset(block->text, at);
                if (w->right != NULL)
                    warn_at(warnings, block, offset, "“%s” should be “%s” (word list)", w->wrong,
                            w->right);
                else
                    warn_at(warnings, block, offset, "“%s” is on the word list of words not to "
                            "use", w->wrong);
            }
        }
    }
}

gboolean
hygiene_check(const Doc *doc, const char *words_file, GPtrArray *warnings, GError **error)
{
    for (size_t b = 0; b < doc->n_blocks; b++) {
        const DocBlock *block = &doc->blocks[b];
        if (block->text != NULL && block->kind != DOC_BLOCK_TABLE &&
            block->kind != DOC_BLOCK_CHART && block->kind != DOC_BLOCK_FIGURE)
            check_text(block, warnings);
    }
    check_numbering_forms(doc, warnings);
    if (words_file == NULL)
        return TRUE;
    GArray *words = g_array_new(FALSE, TRUE, sizeof(Word));
    g_array_set_clear_func(words, word_clear);
    gboolean ok = load_words(words_file, words, error);
    if (ok)
        check_words(doc, words, warnings);
    g_array_free(words, TRUE);
    return ok;
}
