/* gongwen: the private pieces of the source reader, shared by its files (not a public
 * header).
 *
 * layout/source.c       lines, headings, blocks, the signature and date; source_load
 * layout/frontmatter.c  the front matter (--- key: value ---)
 * layout/directives.c   @table, @chart, @figure, @attachment, @pagebreak and their options
 * layout/issued.c       @issued: the documents a 印发 notice issues, their titles
 * layout/articles.c     第X章, 第X节, 第X条 and the items inside an article (规章-style text)
 * layout/opening.c      the lines under a speech's title (subtitle, author, salutation);
 *                       @subtitle, @author, @right
 */
#ifndef GONGWEN_SOURCE_IMP_H
#define GONGWEN_SOURCE_IMP_H

#include "source.h"

#include "error.h"

#define UTF8_BOM "\xEF\xBB\xBF"
#define SIGNATURE_MAX_CHARS 20

/* One physical line of the file, NUL-terminated in the parser's buffer and trimmed. */
typedef struct {
    const char *raw;  /* the line as read (for columns) */
    const char *text; /* trimmed; "" for a blank line */
    size_t len;       /* bytes of text */
    int line;         /* 1-based */
    int col;          /* 1-based column of text's first character */
} SrcLine;

typedef struct {
    int value; /* 0: none yet at this level */
    int line;
    const char *number;
} LastNumber;

/* Where a 规章-style text (办法, 细则, 规定, 条例) is: its chapters, sections and articles are
 * numbered through one document, the items of an article restart in every article. */
typedef struct {
    gboolean active;     /* a 第X章 line or an article has been read */
    gboolean in_article; /* an article is open: numbered lines are its items */
    LastNumber chapter, section, article;
    LastNumber items[5]; /* the last item of each level (1..4) of the open article */
} ArticleState;

typedef enum {
    KEY_TITLE,
    KEY_ISSUER,
    KEY_DATE,
    KEY_SUBJECT,
    KEY_KEYWORDS,
    KEY_SEALED,
    KEY_COPY,
    KEY_SECRECY,
    KEY_URGENCY,
    KEY_ORGAN,
    KEY_NUMBER,
    KEY_SIGNER,
    KEY_TO,
    KEY_LETTERHEAD,
    KEY_CC,
    KEY_PRINTER,
    KEY_PRINTED,
    KEY_SEAL,
    KEY_PROFILE,
    N_KEYS
} FrontKey;

typedef struct {
    Doc *doc;
    GError **error;
    char *buffer;  /* owned copy of the text, one NUL-terminated string per line */
    GArray *lines; /* SrcLine */
    size_t body_start;
    int key_line[N_KEYS]; /* where each front matter key was given; 0 when absent */
    DocLoc title_loc, date_loc, to_loc;
    const char *to; /* front matter 主送机关, interned */
    int date_year, date_month, date_day; /* front matter date, 0 when absent */
    gboolean have_title;
    gboolean in_attachment;
    int n_attachments;
    gssize note_index; /* the attachment note block, -1 when none */
    LastNumber last[5];
    /* @issued (issued.c): issued documents so far; what the lines after the last @issued
     * line give its title */
    int n_issued;
    int issued_wants; /* ISSUED_WANTS_* */
    ArticleState articles;
} Parser;

enum {
    ISSUED_WANTS_NOTHING,
    ISSUED_WANTS_TITLE,     /* `@issued` alone: the next line is the title */
    ISSUED_WANTS_QUALIFIER, /* the next line may be the title's （试行） */
};

typedef struct {
    int level; /* 1..4 */
    int value;
    size_t number_len; /* bytes of the numbering */
} HeadingMatch;

/* Set the parser's error at line:col of the source; FALSE. */
gboolean fail(Parser *p, GongwenError code, int line, int col, const char *format, ...)
    G_GNUC_PRINTF(5, 6);
/* A location in the source. */
DocLoc loc_at(const Parser *p, int line, int col);
/* 1-based column of byte `at` in the line that starts at `raw`. */
int column_of(const char *raw, const char *at);
/* Bytes of white space (ASCII space, tab, U+3000) at `s`, or 0. */
size_t space_len(const char *s);
/* `s` past its white space. */
const char *skip_space(const char *s);
/* The source line at `index`. */
const SrcLine *line_at(const Parser *p, size_t index);
/* How a date was written: 2018年2月22日, 2018年02月22日, 2018 年 2 月 22 日, 二〇一八年二月二十二日. */
typedef enum { DATE_PLAIN, DATE_PADDED, DATE_SPACED, DATE_HAN } DateForm;
/* A date written 2018年2月22日 or one of the other ways *form tells. */
gboolean parse_chinese_date(const char *s, int *year, int *month, int *day, DateForm *form);
/* A date written 2018-02-22. */
gboolean parse_iso_date(const char *s, int *year, int *month, int *day);
/* Whether the date exists. */
gboolean is_calendar_date(int year, int month, int day);
/* 2018年2月22日, owned. */
char *date_text(int year, int month, int day);
/* Is `text` a numbered heading: 一、 / （一） / 1. 1． 1、 / （1）? */
gboolean match_heading(const char *text, HeadingMatch *m);
/* Append a block of `kind` with `text` at `loc`. */
DocBlock *add_text_block(Parser *p, DocBlockKind kind, const char *text, DocLoc loc);
/* Is `text` a numbered heading: 一、 / （一） / 1. 1． 1、 / （1）? */
gboolean match_heading(const char *text, HeadingMatch *m);
/* The numbering `value` written in the style of `written` at heading level `level`. Owned. */
char *format_number(int level, int value, const char *written);
/* A chapter, section, article or item line (articles.c): its block added, TRUE; FALSE
 * when the line is none of them. */
gboolean articles_parse_line(Parser *p, const SrcLine *src);
/* Start a new document's articles: call where a document starts (an attachment, an issued
 * document), so that its chapters and articles are numbered from 第一. */
void articles_reset(Parser *p);
/* The front matter between the first two "---" lines, if any (frontmatter.c). */
gboolean parse_front_matter(Parser *p);
/* An @ directive line: @table, @chart, @figure, @attachment, @pagebreak (directives.c). */
gboolean parse_directive(Parser *p, const SrcLine *src);
/* A line of the opening under the title (a subtitle, an author line, a salutation): TRUE
 * when the line was taken as one, FALSE to read it as usual (opening.c). */
gboolean parse_opening_line(Parser *p, const SrcLine *src);
/* Whether `name` is @subtitle, @author, @right[N] or @heading[N], which add_line_directive
 * reads. */
gboolean is_line_directive(const char *name);
gboolean add_line_directive(Parser *p, const SrcLine *src, const char *name);

/* issued.c: `@issued [title]` (`args` the text after the word). */
gboolean parse_issued(Parser *p, const SrcLine *src, const char *args);
/* A line after @issued that completes its title (the title itself, a （试行） line): *used
 * when it was taken. FALSE with an error when the title is missing. */
gboolean issued_title_line(Parser *p, const SrcLine *src, gboolean *used);
/* At the end of the text: an @issued still waiting for its title is an error. */
gboolean issued_finish(Parser *p);
/* Warnings: the notice's title names (印发《…》) other documents than those issued; the
 * notice's 附件说明 lists an issued document. */
void check_issued(Parser *p);

#endif
