/* gongwen: one paragraph -> lines.
 *
 * Pango itemizes (a font per run, language zh-cn) and shapes (HarfBuzz); gongwen breaks the
 * lines, puts full-width characters on the character grid and justifies. The rest of the
 * engine sees only what this header gives: lines with their positions and shaped runs.
 */
#ifndef GONGWEN_PARA_H
#define GONGWEN_PARA_H

#include "fonts.h"

#include <glib.h>
#include <pango/pango.h>

typedef enum {
    PARA_ALIGN_JUSTIFY, /* justified; the last line flush left */
    PARA_ALIGN_LEFT,
    PARA_ALIGN_CENTER,
    PARA_ALIGN_RIGHT,
} ParaAlign;

typedef struct {
    const char *text;     /* UTF-8, validated */
    size_t head_len;      /* bytes of text set in head_role (a heading); the rest in body_role */
    FontRole head_role;
    FontRole body_role;
    int size;             /* type size, Pango units */
    int width;            /* the measure, Pango units */
    int first_indent;     /* indent of the first line */
    int indent;           /* indent of the other lines (a hanging indent when larger) */
    int cell;             /* grid cell: full-width characters advance exactly this; 0 = natural */
    ParaAlign align;
    gboolean balance;     /* make the lines about equally long (titles); implies words */
    gboolean words;       /* break only between words (ICU's dictionary), never inside one
                             or inside a number and its unit (titles, table heads) */
    gboolean latin_gap;   /* a quarter em between Han and Latin letters or digits */
    gboolean tabular;     /* digits of one width (tnum), for columns of figures */
    gboolean head_bold;   /* the head in bold: its role's face, emboldened when drawn */
    gboolean no_lone;     /* the last line keeps two characters, whatever the alignment
                             (justified text always does) */
    const char *latin_family; /* ASCII letters and digits in this family, or NULL */
    const char *origin_file; /* where the text comes from, for messages */
    int origin_line;
    int origin_col;
} ParaSpec;

/* A shaped run on a line. `glyph_item.item` offsets index into ParaLines.text. */
typedef struct {
    PangoGlyphItem glyph_item; /* owned item and glyphs */
    int x;                     /* origin, from the start of the line */
    int width;
    gboolean embolden;         /* asked for bold, set in a face without it: drawn emboldened */
    gboolean blank;            /* the underscores of a fill-in blank (ParaBlank): drawn only
                                  inside its rule, which they would otherwise show in pieces */
} ParaRun;

typedef struct {
    int x;            /* start of the line from the left edge of the measure */
    int width;        /* the set width of the line */
    size_t first_run; /* runs [first_run, first_run + n_runs) of ParaLines.runs */
    size_t n_runs;
    size_t start;     /* the text on the line: bytes [start, end) */
    size_t end;
    int squeeze;      /* taken from a mark at the line's end so the line fits (先挤进) */
    int stretch;      /* spread over the line's gaps by justification */
    size_t first_blank; /* blanks [first_blank, first_blank + n_blanks) of ParaLines.blanks */
    size_t n_blanks;
} ParaLine;

/* A fill-in blank on a line (a run of ＿ or _): the rule drawn over its cells, where the
 * underscores' ink would show in pieces. The underscores stay in the text (runs of their
 * own, ParaRun.blank). */
typedef struct {
    int x;      /* from the start of the line */
    int width;  /* one cell per underscore */
    int y;      /* the rule's top from the baseline (positive: below it) */
    int height; /* its thickness: the underscore's own */
} ParaBlank;

typedef struct {
    char *text;    /* owned copy of the paragraph's text */
    size_t text_len;
    GArray *runs;  /* ParaRun */
    GArray *lines; /* ParaLine */
    int cell;      /* the grid cell the lines were set on, 0 for natural widths */
    GArray *blanks; /* ParaBlank, of every line */
} ParaLines;

/* Break `spec->text` into lines. Returns an owned ParaLines, or NULL with a GONGWEN_ERROR
 * (a character that no installed font covers). */
ParaLines *para_break_lines(Fonts *fonts, const ParaSpec *spec, GError **error);
void para_lines_free(ParaLines *lines);

/* A paragraph shaped once and broken at many measures, to choose table column widths. */
typedef struct ParaFit ParaFit;

/* Shape `spec->text` (copied) with `spec`'s fonts, size, grid and indents. NULL with an
 * error as para_break_lines. */
ParaFit *para_fit_new(Fonts *fonts, const ParaSpec *spec, GError **error);
void para_fit_free(ParaFit *fit);
/* The widest unbreakable piece of the text (the narrowest measure it can be set in without
 * breaking a word) and its natural width: its widest line when broken only where the text
 * has line breaks. Indents are not included. */
void para_fit_widths(const ParaFit *fit, int *min_width, int *natural_width);
/* The number of lines at measure `width`, and the fewest letters (not punctuation) on one
 * of them. */
size_t para_fit_lines(ParaFit *fit, int width, size_t *fewest_letters);
/* The narrowest measure that sets the text in as few lines as `width` does: lines about
 * equally long (to a quarter point). */
int para_fit_balanced(ParaFit *fit, int width);

size_t para_lines_count(const ParaLines *lines);
const ParaLine *para_lines_get(const ParaLines *lines, size_t index);
const ParaRun *para_lines_run(const ParaLines *lines, size_t index);
const ParaBlank *para_lines_blank(const ParaLines *lines, size_t index);

/* Append the `dump --stage=lines` text of these lines: one row per line. */
void para_lines_dump(const ParaLines *lines, GString *out);

#endif
