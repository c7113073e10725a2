/* gongwen: the library's entry. One call reads a report (its source, profile and data
 * files), sets its fonts (the profile's, the front matter's, the caller's overrides), checks
 * every character against the font of its role, and lays it out; the command line, the
 * tests and the fuzz targets all go through it. */
#ifndef GONGWEN_REPORT_H
#define GONGWEN_REPORT_H

#include "doc.h"
#include "fonts.h"
#include "page.h"

typedef struct {
    const char *profile;    /* a house-style profile that wins over the report's own, or NULL */
    char **fonts;           /* "ROLE=FAMILY" overrides applied last (--font), NULL-terminated,
                               or NULL */
    const char *fonts_conf; /* the fontconfig file, or NULL: $GONGWEN_FONTS_CONF, else the
                               installed or source copy of fonts/gongwen-fonts.conf */
    Fonts *shared_fonts;    /* fonts a batch shares (their overrides are reset first), or NULL
                               for the report's own */
    gboolean lay_out;       /* lay the document out into `pages` */
    gboolean keep_uncovered; /* a character in no installed font is left for the caller to
                               list (gongwen fonts), not an error */
} ReportOptions;

/* A report as read and laid out. Every field is owned, but `fonts` when shared. */
typedef struct {
    Doc *doc;
    Fonts *fonts;
    gboolean own_fonts;
    Pages *pages;        /* with lay_out, or after report_layout_stream; else NULL */
    GPtrArray *diags;    /* Diag* (diag.h): the reader's, the font check's and the layout's
                            warnings, then what later checks add (rules, hygiene) */
} Report;

/* Read the report at `path` (a folder holding report.txt, or a text file) into `r`. FALSE
 * with `error` set when the input is bad; the diagnostics found until then are in `r`,
 * which report_clear frees either way. */
gboolean report_load(Report *r, const char *path, const ReportOptions *o, GError **error);
/* The same for `len` bytes of report text in memory; `path` names it in messages and its
 * folder holds the data files. */
gboolean report_parse(Report *r, const char *path, const char *data, size_t len,
                      const ReportOptions *o, GError **error);
/* Lay the report out page by page, handing each finished page to `sink` (page.h); sets
 * r->pages (their display lists gone) and adds the layout's diagnostics. */
gboolean report_layout_stream(Report *r, PageSink sink, void *data, GError **error);
void report_clear(Report *r);

/* Set font overrides on `fonts`: the profile's [fonts] and latin_font and the front
 * matter's font.ROLE of `doc` (may be NULL), then `overrides` ("ROLE=FAMILY", may be NULL). */
gboolean report_apply_fonts(Fonts *fonts, const Doc *doc, char **overrides, GError **error);

#endif
