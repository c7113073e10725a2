/* gongwen: the private pieces of the PDF painter, shared by its two files (not a public
 * header).
 *
 * render/pdfpath.c   numbers as cairo prints them, its 24.8 fixed point and boxes, the path
 *                    as cairo keeps it, writing a path, and the clip
 * render/pdfpaint.c  the painter: state, transformation, building the path, arcs, painting
 */
#ifndef GONGWEN_PDFPATH_IMP_H
#define GONGWEN_PDFPATH_IMP_H

#include "pdfpaint.h"

/* ---- fixed point ------------------------------------------------------------------------ */

typedef gint32 Fixed; /* 24.8 */

typedef struct {
    Fixed x, y;
} Pt;

typedef struct {
    Pt p1, p2;
} Box;

typedef struct {
    int x, y, w, h;
} IRect;

/* A double to the nearest 1/256, rounded and wrapped as cairo does. */
Fixed fixed_from_double(double d);
/* A fixed-point value as a double. */
double fixed_to_double(Fixed f);
/* The smallest whole rectangle holding the box. */
IRect box_round_out(const Box *b);
/* Intersect a with b; FALSE (and a emptied) when nothing is left. */
gboolean rect_intersect(IRect *a, const IRect *b);
/* Whether a holds all of b. */
gboolean rect_contains(const IRect *a, const IRect *b);
/* Grow the box to hold p. */
void box_add(Box *b, Pt p);

/* ---- the path --------------------------------------------------------------------------- */

enum { OP_MOVE, OP_LINE, OP_CURVE, OP_CLOSE };

/* A path in device space, with cairo's simplifications applied as segments are added. */
typedef struct {
    GArray *ops; /* guint8 */
    GArray *pts; /* Pt: one for a move or a line, three for a curve */
    Pt cur, last_move;
    gboolean has_cur, needs_move, has_extents;
    gboolean stroke_rectilinear, fill_rectilinear, fill_empty, has_curve;
    Box extents;
} Path;

/* The path's arrays allocated; path_reset then makes it empty. */
void path_init(Path *path);
/* Empty the path, keeping its arrays. */
void path_reset(Path *path);
/* Free the path's arrays. */
void path_clear(Path *path);
/* dst (not initialised) a copy of src with arrays of its own. */
void path_copy(Path *dst, const Path *src);
/* The path's calls as cairo's: the segments simplified and the extents kept as cairo does. */
void path_new_sub_path(Path *path);
void path_move_to(Path *path, Pt p);
void path_line_to(Path *path, Pt p);
void path_curve_to(Path *path, Pt a, Pt b, Pt c);
void path_close(Path *path);
/* Whether cairo takes the path for an axis-aligned box, and which. */
gboolean path_is_box(const Path *path, Box *box);
/* Whether two paths have the same segments, extents and curves. */
gboolean path_equal(const Path *a, const Path *b);
/* The path's extents rounded out to whole points, empty when it encloses no area. */
IRect fill_extents(const Path *path);

/* Append the path to `out` through `m`, wrapped as cairo's stream wraps it; a subpath of one
 * degenerate segment is left out unless `keep_degenerate`. */
void write_path(GString *out, const Path *path, const cairo_matrix_t *m, gboolean keep_degenerate);

/* ---- the clip --------------------------------------------------------------------------- */

/* A clip path: shared between the saved states and the clip written, compared by identity
 * (as cairo decides whether a clip only adds to the one written). */
typedef struct ClipPath ClipPath;
struct ClipPath {
    int refs;
    Path path;
    ClipPath *prev;
};

/* No clip (`on` FALSE), all clipped away, or the intersection of an optional box (`boxed`)
 * and the paths, within `extents`. */
typedef struct {
    gboolean on, all_clipped, boxed;
    Box box;
    IRect extents;
    ClipPath *path;
} Clip;

/* A copy sharing c's paths (one more reference). */
Clip clip_copy(const Clip *c);
/* Release the clip's paths and set it to no clip. */
void clip_drop(Clip *c);
/* Intersect the clip with a whole rectangle. */
void clip_intersect_rect(Clip *c, const IRect *r);
/* Intersect the clip with a path: as a box when cairo takes it for one, else kept. */
void clip_intersect_path(Clip *c, const Path *path);
/* Whether the clip holds all of r. */
gboolean clip_contains(const Clip *c, const IRect *r);
/* Whether two clips clip the same (the same box and the same paths). */
gboolean clip_equal(const Clip *a, const Clip *b);

#endif
