/* gongwen: pagination. Doc -> Pages, a display list per page in Pango units.
 *
 * GB/T 9704-2012 geometry: A4, type area 156 × 225 mm at 28 mm from the left and 37 mm from
 * the top, 22 lines of 28 characters, page numbers “— N —” 7 mm below the type area.
 * Every line of text sits on the 22-line grid; pagination counts grid lines.
 */
#ifndef GONGWEN_PAGE_H
#define GONGWEN_PAGE_H

#include "doc.h"
#include "fonts.h"
#include "para.h"

#include <glib.h>

#define PAGE_MM(mm) ((int)((mm) * (72.0 / 25.4) * PANGO_SCALE + 0.5))
#define PAGE_PT(pt) ((int)((pt) * PANGO_SCALE + 0.5))

#define PAGE_WIDTH PAGE_MM(210.0)
#define PAGE_HEIGHT PAGE_MM(297.0)
#define PAGE_AREA_LEFT PAGE_MM(28.0)
#define PAGE_AREA_TOP PAGE_MM(37.0)
#define PAGE_AREA_WIDTH PAGE_MM(156.0)
#define PAGE_AREA_HEIGHT PAGE_MM(225.0)
#define PAGE_LINES 22
#define PAGE_CHARS 28
/* The grid: a character cell of 156 mm / 28 and a line pitch of 225 mm / 22. */
#define PAGE_CELL (PAGE_AREA_WIDTH / PAGE_CHARS)
#define PAGE_PITCH (PAGE_AREA_HEIGHT / PAGE_LINES)
#define PAGE_SIZE_TITLE PAGE_PT(22.0)       /* 二号 */
#define PAGE_SIZE_BODY PAGE_PT(16.0)        /* 三号 */
#define PAGE_SIZE_PAGE_NUMBER PAGE_PT(14.0) /* 四号 */
#define PAGE_SIZE_ORGAN PAGE_PT(42.0)       /* 初号: the 发文机关标志 (a choice; 7.2.3 leaves it
                                               to the issuer) */
#define PAGE_RULE_RED PAGE_MM(0.35)         /* the 版头's red rule (7.2.6 gives no width) */
#define PAGE_RULE_THICK PAGE_MM(0.35)       /* the 版记's first and last rules (7.4.1) */
#define PAGE_RULE_THIN PAGE_MM(0.25)        /* the 版记's inner rules */
#define PAGE_SEAL_SIZE PAGE_MM(42.0)        /* the usual diameter of an organ's seal */

typedef enum {
    PAGE_ITEM_GLYPHS, /* a shaped run: draw run at (x, y), y the baseline */
    PAGE_ITEM_RECT,   /* a rectangle's outline: (x, y) its top left, w × h, line width */
    PAGE_ITEM_SHAPE,  /* a chart shape, its coordinates relative to (x, y) */
    PAGE_ITEM_IMAGE,  /* an image scaled into the box (x, y) w × h */
    PAGE_ITEM_FILL,   /* a filled rectangle: (x, y) its top left, w × h, in `color` */
} PageItemKind;

typedef enum {
    SHAPE_RECT,     /* points: x, y, w, h */
    SHAPE_POLYLINE, /* points: x0, y0, x1, y1, … (open) */
    SHAPE_POLYGON,  /* points: x0, y0, x1, y1, … (closed) */
    SHAPE_WEDGE,    /* points: cx, cy, r, inner r, start, end (angles in millidegrees,
                       clockwise from 12 o'clock) */
    SHAPE_DOT,      /* points: cx, cy, r: a filled circle */
} ShapeKind;

#define SHAPE_NONE 0xFFFFFFFFu /* no fill or no stroke */

/* A filled and/or stroked shape in Pango units. */
typedef struct {
    ShapeKind kind;
    int *points;
    size_t n_points;
    guint32 fill;   /* 0xRRGGBB or SHAPE_NONE */
    guint32 stroke; /* 0xRRGGBB or SHAPE_NONE */
    int line;       /* stroke width */
    gboolean hatch; /* diagonal hatching over the fill, for grey-scale printing */
} PageShape;

typedef struct {
    PageItemKind kind;
    int x; /* from the page's left edge, Pango units */
    int y; /* from the page's top edge */
    const PangoGlyphItem *run; /* GLYPHS: borrowed from the Pages' paragraph lines */
    const char *text;          /* GLYPHS: the text the run's offsets index */
    size_t block;              /* the Doc block it comes from; SIZE_MAX for page furniture */
    size_t cell;               /* in a table: 1 + the index of its cell in the TableLayout's
                                  cells (its rectangle and text); 0 otherwise */
    int w, h, line;            /* RECT: size and line width */
    const PageShape *shape;    /* SHAPE: borrowed from its chart layout */
    const void *image;         /* IMAGE: a FigureImage (layout/figure.h), owned by the Pages */
    guint32 color;             /* GLYPHS, FILL: 0xRRGGBB (0: black) */
    double scale_x;            /* GLYPHS: horizontal scale about (x, y), 0 meaning 1 (a
                                  condensed 发文机关标志) */
    int quarter_turns;         /* GLYPHS: turned counter-clockwise about (x, y) by this many
                                  quarter turns (a landscape page's page number) */
    gboolean embolden;         /* GLYPHS: outlines stroked too (bold asked of a regular face) */
    int clip_x, clip_y, clip_w, clip_h; /* GLYPHS: when clip_w > 0, drawn clipped to a
                                  hairline along this box's diagonal: their ink hidden under
                                  a rule over the box, their text kept (a blank's underscores) */
} PageItem;

typedef struct {
    size_t index;     /* its place in the document, from 0 */
    int number;       /* the printed page number */
    gboolean numbered; /* whether “— N —” is printed */
    gboolean landscape; /* a landscape page (clause 8): width and height swapped */
    int width, height; /* the page's size, Pango units */
    int area_x, area_y, area_w, area_h; /* its type area (版心), from the page's top left */
    GArray *items;    /* PageItem */
    size_t continues; /* the block whose text (or table) goes on at the top of the next
                         page: its last item here is not its last; SIZE_MAX when none */
} Page;

/* Where a seal goes (7.3.5.1): its box on a page, for e-seal systems and the seal image. */
typedef struct {
    size_t page;      /* 0-based index into pages */
    int x, y, w, h;   /* from the page's top left, Pango units */
} PageSeal;

typedef struct {
    const char *text; /* the heading sentence (an issued document's title), in the Pages'
                         string arena */
    int level;        /* 1..4; an issued document's entry is 1, the headings after it
                         nest under it (2..5) */
    size_t page;      /* 0-based index into pages */
    int y;            /* top of the heading's first line */
    size_t block;
} PageOutline;

/* The document as its outputs describe it (PDF metadata, OFD DocInfo); strings in the
 * Pages' arena, NULL when absent. */
typedef struct {
    const char *title;
    const char *author;   /* the issuer */
    const char *subject;
    const char *keywords;
    int year, month, day; /* the 成文日期; 0 when unknown */
} PagesMeta;

struct TableLayout;

/* What an output knows of a Doc block (page items name theirs by index): enough to tag a
 * line or show a table, chart or figure without the Doc. */
typedef struct {
    DocBlockKind kind;
    int level;                       /* HEADING: 1..4; ATTACHMENT: its number */
    const char *text;                /* TABLE: its title; CHART, FIGURE: the caption ("") */
    const char *chart;               /* CHART: its kind ("bar", "pie", …), else NULL */
    const struct TableLayout *table; /* TABLE: as laid out (owned by the Pages), else NULL */
    const char *alt;                 /* CHART, FIGURE: its alternative text, the caption as
                                        set (“图1　…”) and a chart's figures in words
                                        (chart_describe), else NULL */
} PageBlock;

typedef struct {
    int width, height;
    int pitch, cell;    /* the grid's line pitch and character cell (from the profile) */
    PagesMeta meta;
    PageBlock *blocks;  /* n_blocks: one per Doc block */
    size_t n_blocks;
    GPtrArray *pages;   /* Page* */
    GArray *outline;    /* PageOutline */
    GPtrArray *paras;   /* ParaLines*, owned: the runs every item points into */
    GStringChunk *strings;
    GPtrArray *tables;  /* TableLayout*, owned: their cells' lines are drawn */
    GPtrArray *charts;  /* ChartLayout*, owned: their shapes and labels are drawn */
    GPtrArray *images;  /* FigureImage*, owned */
    GPtrArray *warnings; /* Diag*: what layout could not avoid (warnings) */
    GArray *seals;      /* PageSeal: where the seal of a sealed document goes */
} Pages;

/* The font roles of a block's text: bytes [0, *head_len) in *head, the rest in *body. */
void page_block_roles(const DocBlock *block, FontRole *head, FontRole *body, size_t *head_len);

/* One character that the fonts of its role do not cover, with where it first occurs. */
typedef struct {
    gunichar c;
    FontRole role;
    FontCover cover;  /* FONT_COVER_FALLBACK or FONT_COVER_NONE */
    char *family;     /* the fallback's family (owned), or NULL */
    DocLoc loc;       /* its first occurrence */
    int count;        /* how often it occurs */
} PageFontIssue;

/* Every character of the document checked against the fonts of its role: an array of
 * PageFontIssue, one per character and role, in order of first occurrence (owned; free
 * with page_font_issues_free). */
GArray *page_font_issues(const Doc *doc, Fonts *fonts);
void page_font_issues_free(GArray *issues);

/* The check run before layout: a warning (a Diag appended to `diags`, which may be NULL) for
 * each character set in a fallback font, and an error naming file:line:col and the code
 * point when some character is in no installed font. */
gboolean page_check_fonts(const Doc *doc, Fonts *fonts, GPtrArray *diags, GError **error);

/* Lay the whole document out. Returns owned Pages or NULL with an error. */
Pages *page_layout(const Doc *doc, Fonts *fonts, GError **error);

/* Where page_layout_stream hands each finished page, with its page number. */
typedef void (*PageSink)(const Pages *pages, const Page *page, void *data);

/* Lay the document out a few blocks ahead of the page being filled, handing each page to
 * `sink` as soon as it is finished and then freeing its display list and the lines no
 * later page shows: memory stays flat however long the document. The returned Pages keep
 * every page's number and size (their items are gone), the outline, the seals and the
 * warnings. */
Pages *page_layout_stream(const Doc *doc, Fonts *fonts, PageSink sink, void *data,
                          GError **error);
void pages_free(Pages *pages);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pages, pages_free)

size_t pages_count(const Pages *pages);
const Page *pages_get(const Pages *pages, size_t index);

/* The pages [first, last) on which blocks [section.first, section.last) appear. */
void pages_find_section(const Pages *pages, DocSection section, size_t *first, size_t *last);

/* `dump --stage=lines`: every block's lines. `dump --stage=pages`: every page's lines. */
char *page_dump_lines(const Doc *doc, Fonts *fonts, GError **error);
char *pages_dump(const Pages *pages);

#endif
