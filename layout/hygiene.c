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

static void
check_text(const DocBlock *block, GPtrArray *warnings)
{
    const char *text = block->text;
    long n = g_utf8_strlen(text, -1);
    gunichar *cs = g_utf8_to_ucs4_fast(text, -1, NULL);
    for (long i = 0; i < n; i++) {
        gunichar prev = i > 0 ? cs[i - 1] : 0, next = i + 1 < n ? cs[i + 1] : 0;
        gunichar c = cs[i];
        gboolean han_before = is_han(prev), han_after = is_han(next);
        if ((c == '"' || c == '\'') && (han_before || han_after))
            warn_at(warnings, block, i, "straight quote %c in Chinese text; write %s", (char)c,
                    c == '"' ? "“ ” (U+201C, U+201D)" : "‘ ’ (U+2018, U+2019)");
        else if (c == ' ' && han_before && han_after)
            warn_at(warnings, block, i, "a space between two Han characters; remove it");
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
