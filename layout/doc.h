/* gongwen: the document model (Doc), the output of layout/source.c.
 *
 * A Doc is a flat list of blocks in reading order plus the report's metadata. All strings
 * live in the Doc's string arena and all blocks in one array: doc_free() releases it all.
 * Nothing here measures or lays out text.
 */
#ifndef GONGWEN_DOC_H
#define GONGWEN_DOC_H

#include "diag.h"
#include "profile.h"

#include <glib.h>
#include <stdio.h>

typedef enum {
    DOC_BLOCK_TITLE,           /* the document title (one per Doc, first) */
    DOC_BLOCK_HEADING,         /* a numbered heading; run-in when head_len < strlen(text) */
    DOC_BLOCK_PARAGRAPH,       /* a body paragraph */
    DOC_BLOCK_ATTACHMENT_NOTE, /* 附件说明: "附件：" + one or more names (items) */
    DOC_BLOCK_SIGNATURE,       /* 发文机关署名 */
    DOC_BLOCK_DATE,            /* 成文日期 */
    DOC_BLOCK_ATTACHMENT,      /* @attachment: new page, "附件N" on line 1, title on line 3 */
    DOC_BLOCK_PAGE_BREAK,      /* @pagebreak */
    DOC_BLOCK_TABLE,           /* @table: text is its title (may be ""), table its data */
    DOC_BLOCK_CHART,           /* @chart: text is its caption, chart its data */
    DOC_BLOCK_CAPTION,         /* a caption line on its own (of a picture not supplied) */
    DOC_BLOCK_FIGURE,          /* @figure: text is its caption, file the image */
    DOC_BLOCK_ADDRESSEE,       /* 主送机关 (7.3.2): flush left under the title */
    DOC_BLOCK_ISSUED,          /* @issued: the document a 印发 notice issues (its 办法, 细则)
                                  starts: a new page, its title centred, no “附件” label */
    /* 规章-style structure (办法, 细则, 规定, 条例), layout/articles.c: number and number_value
     * are the numbering as written and its value */
    DOC_BLOCK_CHAPTER,         /* 第X章 title: centred, 黑体, a blank line before */
    DOC_BLOCK_SECTION,         /* 第X节 title: centred, 楷体 */
    DOC_BLOCK_ARTICLE,         /* 第X条: a paragraph, its head_len bytes (“第X条”) in 黑体 */
    DOC_BLOCK_ITEM,            /* （一）/1./（1） inside an article: a body paragraph; level
                                  1..4 as the heading its numbering would make */
    DOC_BLOCK_SUBTITLE,        /* a subtitle under the title (——…, or @subtitle): centred 楷体 */
    DOC_BLOCK_AUTHOR,          /* an author line (国务院总理　李克强, or @author): centred 楷体 */
    DOC_BLOCK_SALUTATION,      /* a speech's salutation (各位代表：): flush left, as the 主送机关 */
    DOC_BLOCK_RIGHT,           /* @right: a line flush right, `level` characters from the edge */
} DocBlockKind;

/* Where a block (or a problem) comes from: 1-based line, 1-based column in characters; the
 * file borrowed from the Doc's arena. */
typedef DiagAt DocLoc;

/* A table cell. A merged cell is stored on its top-left cell (the anchor) with its spans;
 * the cells it covers have row_span = col_span = 0 and anchor pointing at it. */
typedef struct {
    const char *text; /* "" when empty */
    int row_span;
    int col_span;
    size_t anchor; /* index of the anchor cell in DocTable.cells */
} DocCell;

/* A column's width asked for with `widths=`: millimetres, or a share of what is left. */
typedef struct {
    int fixed;    /* Pango units, or 0 */
    double share; /* when fixed is 0: this column's share of the width left */
} DocWidth;

/* A table read from a TSV or CSV file (layout/tablefile.c). */
typedef struct {
    const char *file;   /* the data file's path, for messages */
    size_t n_rows;      /* all rows, the header rows first */
    size_t n_cols;
    size_t header_rows; /* 0 for a form without a header */
    DocCell *cells;     /* n_rows * n_cols, row by row */
    gboolean *numeric;  /* per column: every body cell is a number (or empty, or —) */
    int size;           /* type size asked for, Pango units */
    int min_size;       /* the smallest size it may be set in to fit (0: the default) */
    DocWidth *widths;   /* n_cols widths asked for (widths=), or NULL: automatic */
    DocLoc widths_loc;  /* where widths= was written */
    int *min_lines;     /* n_rows: the fewest lines a row holds (height=), or NULL */
    gboolean *subhead;  /* n_rows: a body row of headings (a block's title, its column
                           heads), set like the header but not repeated; NULL when none */
    gboolean landscape; /* set on landscape pages (GB/T 9704 clause 8) */
    gboolean landscape_auto; /* landscape=auto: turned only when portrait is too narrow */
    const char *rules_file;  /* the rules beside it (X.rules, rules.h): the path, or NULL */
    const char *rules;       /* and the text, read with the table */
    const char *form;        /* the prescribed form it is (forms.h, "2021-apply"), declared
                                with form= or recognised by its labels; NULL when none */
    gboolean blank_error;    /* blank=error: a blank figure a rule needs is an error, not a
                                warning counting it as 0 */
} DocTable;

typedef enum {
    CHART_BAR,
    CHART_HBAR,
    CHART_STACKED,
    CHART_PIE,
    CHART_DONUT,
    CHART_LINE,
} DocChartKind;

/* A chart: its kind and data (categories in column 1, one series per further column). */
typedef struct {
    DocChartKind kind;
    const DocTable *table; /* owned by the Doc */
    const char *unit;      /* unit=件, or NULL */
    gboolean color;        /* palette=color; grey steps otherwise */
} DocChart;

typedef struct {
    DocBlockKind kind;
    DocLoc loc;
    /* The text as printed, UTF-8, trimmed; for an ATTACHMENT the title (may be ""); for
     * ISSUED the whole title, its qualifier line included (“……细则（试行）”). */
    const char *text;
    /* HEADING, ITEM: 1..4. ATTACHMENT: its number, 1-based, among the attachments of its
     * part (the notice, or the issued document it follows). ISSUED: its number, 1-based.
     * RIGHT: the characters left blank at the right (右空一字: 1). Otherwise 0. */
    int level;
    /* HEADING: the bytes of text set in the heading's font (the heading sentence);
     * the rest, if any, is body text run in after it. ARTICLE: the bytes of “第X条”.
     * Otherwise 0. */
    size_t head_len;
    /* HEADING, ITEM: the numbering as written ("一、", "（一）", "1.", "（1）") and its value;
     * CHAPTER, SECTION, ARTICLE: "第一章", "第一节", "第一条" and its value. */
    const char *number;
    int number_value;
    /* ATTACHMENT_NOTE: the attachment names without "附件：" or their numbers. ISSUED: the
     * title's lines as written: the title, then a qualifier line of its own (（试行）,
     * （2024年修订）) if any. */
    const char **items;
    size_t n_items;
    /* DATE: the date's parts. */
    int year, month, day;
    /* TABLE: the data, owned by the Doc. */
    const DocTable *table;
    /* CHART: the chart, owned by the Doc. */
    const DocChart *chart;
    /* FIGURE: the image file's path, checked to lie in the report's folder. */
    const char *file;
} DocBlock;

/* A per-role font override from the front matter (`font.body: 仿宋_GB2312`). */
typedef struct {
    const char *role;   /* a fonts/ role name: "body", "heading-1", … */
    const char *family; /* the family asked for */
    DocLoc loc;         /* where the value was written */
} DocFont;

/* Where a front-matter key was written (its value's first character). */
typedef struct {
    const char *key; /* "organ", "cc", … */
    DocLoc loc;
} DocKey;

typedef struct {
    const char *path;     /* the source file as given */
    const char *title;    /* front matter `title` or the first paragraph */
    const char *issuer;   /* front matter `issuer`, or NULL */
    const char *subject;  /* NULL when absent */
    const char *keywords; /* NULL when absent */
    gboolean sealed;      /* front matter `sealed` */
    int year, month, day; /* 成文日期 from front matter or the date line; 0 when unknown */
    DocFont fonts[16];    /* font overrides, n_fonts of them */
    size_t n_fonts;
    Profile *profile;     /* the house style (owned; the GB/T 9704 defaults unless given) */

    /* 版头 (GB/T 9704 7.2), from the front matter; NULL or 0 when absent. */
    const char *copy_number; /* 份号 */
    const char *secrecy;     /* 密级和保密期限 */
    const char *urgency;     /* 紧急程度 */
    const char **organs;     /* 发文机关标志: one name per organ, n_organs of them */
    size_t n_organs;
    const char *organ_suffix; /* “文件” set against several organs, or NULL */
    const char *doc_number;  /* 发文字号 */
    const char **signers;    /* 签发人 (上行文), n_signers of them */
    size_t n_signers;
    gboolean preprinted;     /* letterhead: preprinted — the 版头 zone is left blank */
    /* 版记 (7.4). */
    const char *cc;          /* 抄送 (the organs, without “抄送：”) */
    const char *printer;     /* 印发机关 */
    const char *printed;     /* 印发日期, as printed (“2024年3月1日”) */
    /* The seal images (7.3.5.1), checked paths: one per signing organ, in order. */
    const char **seals;
    size_t n_seals;
    DocLoc seal_loc;

    DocBlock *blocks; /* n_blocks blocks, in reading order */
    size_t n_blocks;

    /* Where each front-matter key was written, in order (font.ROLE keys: in fonts). */
    GArray *keys; /* DocKey */

    /* Problems found while reading that do not stop it: Diag* (diag.h), warnings, and
     * errors that `check` refuses and `render` reports (an article out of sequence). */
    GPtrArray *warnings;

    /* The arena: every string above points into it. */
    GStringChunk *strings;
    GArray *block_array;
    GPtrArray *item_lists;
    GPtrArray *tables; /* DocTable*, owned */
    GPtrArray *charts; /* DocChart*, owned */
} Doc;

/* An empty Doc for `path`. */
Doc *doc_new(const char *path);
void doc_free(Doc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Doc, doc_free)

/* Copy `text` (len bytes, or -1 for NUL-terminated) into the Doc's arena. */
const char *doc_intern(Doc *doc, const char *text, gssize len);
/* Append a block (copied) and return the stored one; its pointers must be interned. */
DocBlock *doc_append(Doc *doc, const DocBlock *block);
/* Where the front-matter key `key` was written, or the file's first line when it was not. */
DocLoc doc_key_loc(const Doc *doc, const char *key);
/* Add a warning at `loc`. */
void doc_warn(Doc *doc, DocLoc loc, const char *format, ...) G_GNUC_PRINTF(3, 4);
/* Store an array of interned strings as a block's items. */
const char **doc_intern_items(Doc *doc, const char *const *items, size_t n);

const char *doc_block_kind_name(DocBlockKind kind);

/* A new empty table of n_rows × n_cols owned by the Doc (cells "" and 1 × 1). */
DocTable *doc_new_table(Doc *doc, size_t n_rows, size_t n_cols);
DocCell *doc_table_cell(const DocTable *table, size_t row, size_t col);
/* A new chart owned by the Doc. */
DocChart *doc_new_chart(Doc *doc);
const char *doc_chart_kind_name(DocChartKind kind);

/* Parts of a 印发 notice: the notice (from block 0) and each issued document (from its
 * ISSUED block), each with its own 附件说明 and attachments numbered from 1. */
/* The first block of the part block `index` lies in. */
size_t doc_part_first(const Doc *doc, size_t index);
/* The end of that part: the next ISSUED block, or n_blocks. */
size_t doc_part_end(const Doc *doc, size_t index);
/* The attachments of that part. */
size_t doc_part_attachments(const Doc *doc, size_t index);
/* Its 附件说明 (the last one), or NULL. */
const DocBlock *doc_part_note(const Doc *doc, size_t index);

/* The `dump --stage=doc` text: one line per block, stable, diffable. */
char *doc_dump(const Doc *doc);

/* A section of the document for previews: the blocks [first, last). */
typedef struct {
    size_t first;
    size_t last;
} DocSection;

/* Find a section by name: "title", "attachment" (or "attachmentN"), a level-1 number
 * ("3" or "三"), or a level-1 heading's text or a unique prefix of it. On failure sets
 * GONGWEN_ERROR_SECTION with the list of sections. */
gboolean doc_find_section(const Doc *doc, const char *name, DocSection *out, GError **error);
/* A human list of the sections, one per line, for errors and --help. */
char *doc_list_sections(const Doc *doc);

#endif
