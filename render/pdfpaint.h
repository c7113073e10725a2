/* gongwen: paths and their painting in a PDF content stream, written the way cairo 1.16's PDF
 * surface writes them: the same numbers (paths in the page's space, y down, quantised to
 * cairo's 24.8 fixed point and printed with three decimals; line widths and matrices with
 * six; arcs cut into the same Bézier segments), so that a page written by gongwen's own PDF
 * writer renders pixel for pixel like the page drawn through cairo before it.
 *
 * The calls mirror cairo's (a current path, a transformation, save and restore with the clip)
 * because render/draw.c draws the same display list through cairo for PNG and SVG. */
#ifndef GONGWEN_PDFPAINT_H
#define GONGWEN_PDFPAINT_H

#include <cairo.h>
#include <glib.h>

typedef struct PdfPaint PdfPaint;

/* A painter writing into `out` (borrowed), whose user space starts as the page's space
 * (points, origin top left, y down: the content stream begins with the flip). */
PdfPaint *pdf_paint_new(GString *out);
void pdf_paint_free(PdfPaint *p);
/* The page's size in points (the surface's extents for cairo: what lies wholly outside is
 * not written, and a clip box is cut to the page). Without it the page is unbounded. */
void pdf_paint_set_page_size(PdfPaint *p, double width, double height);
/* Called (repeatedly) before PdfPaint writes anything into `out`: where cairo ends a text
 * object (ET) first. cairo writes nothing at all for a painting it leaves out (outside the
 * page or the clip, no area, no width) nor for a text's unchanged clip and colour, and
 * then keeps the text object open; this hook is called exactly when something is written. */
void pdf_paint_set_before_write(PdfPaint *p, void (*before_write)(void *data), void *data);

/* Every painting sets its colour with the ExtGState PDF_PAINT_ALPHA (`/a0 gs`, opaque), as
 * cairo does: the page's /ExtGState resources must hold PDF_PAINT_EXTGSTATE. */
#define PDF_PAINT_ALPHA "a0"
#define PDF_PAINT_EXTGSTATE "/a0 << /CA 1 /ca 1 >>"

/* Numbers as cairo prints them: `pdf_num` is cairo's "%f" (six decimals, trailing zeros
 * trimmed; more decimals below 0.1), `pdf_num3` its "%g" (three decimals, trimmed). */
void pdf_num(GString *s, double v);
void pdf_num3(GString *s, double v);

/* The transformation and the clip: save and restore as cairo_save and cairo_restore. */
void pdf_paint_save(PdfPaint *p);
void pdf_paint_restore(PdfPaint *p);
void pdf_paint_translate(PdfPaint *p, double tx, double ty);
void pdf_paint_scale(PdfPaint *p, double sx, double sy);
void pdf_paint_rotate(PdfPaint *p, double radians);
/* The current transformation (user space -> the page's space, y down). */
void pdf_paint_get_matrix(const PdfPaint *p, cairo_matrix_t *m);

/* The current path, in user coordinates, as cairo's calls of the same names. */
void pdf_paint_new_path(PdfPaint *p);
void pdf_paint_new_sub_path(PdfPaint *p);
void pdf_paint_move_to(PdfPaint *p, double x, double y);
void pdf_paint_line_to(PdfPaint *p, double x, double y);
void pdf_paint_curve_to(PdfPaint *p, double x1, double y1, double x2, double y2, double x3,
                        double y3);
void pdf_paint_close_path(PdfPaint *p);
void pdf_paint_rectangle(PdfPaint *p, double x, double y, double w, double h);
void pdf_paint_arc(PdfPaint *p, double xc, double yc, double r, double a1, double a2);
void pdf_paint_arc_negative(PdfPaint *p, double xc, double yc, double r, double a1, double a2);
/* A copy of the current path (cairo_copy_path), and the copy appended to the current path
 * (cairo_append_path): hatching keeps the shape's path across save and restore. */
typedef struct PdfPaintPath PdfPaintPath;
PdfPaintPath *pdf_paint_copy_path(PdfPaint *p);
void pdf_paint_append_path(PdfPaint *p, const PdfPaintPath *path);
void pdf_paint_path_free(PdfPaintPath *path);
/* The path's extents in user space (cairo_path_extents). */
void pdf_paint_path_extents(PdfPaint *p, double *x0, double *y0, double *x1, double *y1);

/* Paint the current path: filled (nonzero winding) in 0xRRGGBB, or stroked in 0xRRGGBB
 * with `width` (user space) and `join` (CAIRO_LINE_JOIN_*; butt caps, miter limit 10);
 * the path is kept with `preserve`. */
void pdf_paint_fill(PdfPaint *p, guint32 rgb, gboolean preserve);
void pdf_paint_stroke(PdfPaint *p, guint32 rgb, double width, cairo_line_join_t join,
                      gboolean preserve);
/* A fill is written when the next painting shows it is not cairo's fill-and-stroke `B`
 * (a stroke of the same path under the same clip): call this before writing anything else
 * into `out` (text, an image, marked content, the end of the page). */
void pdf_paint_flush(PdfPaint *p);
/* Intersect the clip with the current path (cairo_clip / cairo_clip_preserve). */
void pdf_paint_clip(PdfPaint *p, gboolean preserve);

/* Before text or an image is written: bring the clip written in the stream up to date (as
 * cairo does before any drawing operation) and set the fill colour to `rgb`. Taken as an
 * operation over the whole page: a clip box is then not cut to the text as cairo cut it to
 * a run's ink (the same pixels, other bytes). */
void pdf_paint_prepare_fill(PdfPaint *p, guint32 rgb);

#endif
