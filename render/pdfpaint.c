/* TEMPORARY stand-in for the painter (pdfpaint.h): replaced by the exact one. */
#include "pdfpaint.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    cairo_matrix_t ctm;
} State;

struct PdfPaint {
    GString *out;
    GArray *stack; /* State */
    State st;
    GString *path;
    double cx, cy, sx, sy;
    gint64 fill;
    gboolean alpha;
};

void
pdf_num(GString *s, double v)
{
    char b[64];
    if (v == 0.0)
        v = 0.0;
    if (fabs(v) >= 0.1) {
        snprintf(b, sizeof b, "%f", v);
    } else {
        snprintf(b, sizeof b, "%.18f", v);
        const char *q = strchr(b, '.') + 1;
        int zeros = 0;
        while (*q++ == '0')
            zeros++;
        if (zeros + 6 < 18)
            snprintf(b, sizeof b, "%.*f", zeros + 6, v);
    }
    char *p = b + strlen(b) - 1;
    if (strchr(b, '.') != NULL) {
        while (*p == '0')
            *p-- = '\0';
        if (*p == '.')
            *p = '\0';
    }
    if (g_str_equal(b, "-0"))
        g_strlcpy(b, "0", sizeof b);
    g_string_append(s, b);
}

void
pdf_num3(GString *s, double v)
{
    char b[64];
    snprintf(b, sizeof b, "%.3f", v);
    char *p = b + strlen(b) - 1;
    while (*p == '0')
        *p-- = '\0';
    if (*p == '.')
        *p = '\0';
    if (g_str_equal(b, "-0"))
        g_strlcpy(b, "0", sizeof b);
    g_string_append(s, b);
}

PdfPaint *
pdf_paint_new(GString *out)
{
    PdfPaint *p = g_new0(PdfPaint, 1);
    p->out = out;
    p->stack = g_array_new(FALSE, FALSE, sizeof(State));
    cairo_matrix_init_identity(&p->st.ctm);
    p->path = g_string_new(NULL);
    p->fill = -1;
    return p;
}

void
pdf_paint_free(PdfPaint *p)
{
    g_array_free(p->stack, TRUE);
    g_string_free(p->path, TRUE);
    g_free(p);
}

void
pdf_paint_save(PdfPaint *p)
{
    g_array_append_val(p->stack, p->st);
    g_string_append(p->out, "q\n");
}

void
pdf_paint_restore(PdfPaint *p)
{
    if (p->stack->len == 0)
        return;
    p->st = g_array_index(p->stack, State, p->stack->len - 1);
    g_array_set_size(p->stack, p->stack->len - 1);
    g_string_append(p->out, "Q\n");
    p->fill = -1;
}

void
pdf_paint_translate(PdfPaint *p, double tx, double ty)
{
    cairo_matrix_translate(&p->st.ctm, tx, ty);
}

void
pdf_paint_scale(PdfPaint *p, double sx, double sy)
{
    cairo_matrix_scale(&p->st.ctm, sx, sy);
}

void
pdf_paint_rotate(PdfPaint *p, double r)
{
    cairo_matrix_rotate(&p->st.ctm, r);
}

void
pdf_paint_get_matrix(const PdfPaint *p, cairo_matrix_t *m)
{
    *m = p->st.ctm;
}

static void
pt(PdfPaint *p, double x, double y)
{
    cairo_matrix_transform_point(&p->st.ctm, &x, &y);
    pdf_num3(p->path, x);
    g_string_append_c(p->path, ' ');
    pdf_num3(p->path, y);
    g_string_append_c(p->path, ' ');
}

void
pdf_paint_new_path(PdfPaint *p)
{
    g_string_truncate(p->path, 0);
}

void
pdf_paint_new_sub_path(PdfPaint *p)
{
    (void)p;
}

void
pdf_paint_move_to(PdfPaint *p, double x, double y)
{
    pt(p, x, y);
    g_string_append(p->path, "m ");
    p->cx = p->sx = x;
    p->cy = p->sy = y;
}

void
pdf_paint_line_to(PdfPaint *p, double x, double y)
{
    pt(p, x, y);
    g_string_append(p->path, "l ");
    p->cx = x;
    p->cy = y;
}

void
pdf_paint_close_path(PdfPaint *p)
{
    g_string_append(p->path, "h ");
}

void
pdf_paint_rectangle(PdfPaint *p, double x, double y, double w, double h)
{
    pdf_paint_move_to(p, x, y);
    pdf_paint_line_to(p, x + w, y);
    pdf_paint_line_to(p, x + w, y + h);
    pdf_paint_line_to(p, x, y + h);
    pdf_paint_close_path(p);
}

static void
arc(PdfPaint *p, double xc, double yc, double r, double a1, double a2, int dir)
{
    int n = (int)ceil(fabs(a2 - a1) / (G_PI / 2));
    if (n < 1)
        n = 1;
    double step = (a2 - a1) / n;
    double x = xc + r * cos(a1), y = yc + r * sin(a1);
    if (p->path->len == 0)
        pdf_paint_move_to(p, x, y);
    else
        pdf_paint_line_to(p, x, y);
    for (int i = 0; i < n; i++) {
        double b0 = a1 + i * step, b1 = b0 + step, k = 4.0 / 3 * tan(step / 4);
        pt(p, xc + r * (cos(b0) - k * sin(b0)), yc + r * (sin(b0) + k * cos(b0)));
        pt(p, xc + r * (cos(b1) + k * sin(b1)), yc + r * (sin(b1) - k * cos(b1)));
        pt(p, xc + r * cos(b1), yc + r * sin(b1));
        g_string_append(p->path, "c ");
    }
    (void)dir;
}

void
pdf_paint_arc(PdfPaint *p, double xc, double yc, double r, double a1, double a2)
{
    while (a2 < a1)
        a2 += 2 * G_PI;
    arc(p, xc, yc, r, a1, a2, 1);
}

void
pdf_paint_arc_negative(PdfPaint *p, double xc, double yc, double r, double a1, double a2)
{
    while (a2 > a1)
        a2 -= 2 * G_PI;
    arc(p, xc, yc, r, a1, a2, -1);
}

void
pdf_paint_path_extents(PdfPaint *p, double *x0, double *y0, double *x1, double *y1)
{
    (void)p;
    *x0 = *y0 = 0;
    *x1 = *y1 = 10;
}

static void
rgb(GString *s, guint32 c, const char *op)
{
    pdf_num(s, ((c >> 16) & 0xFF) / 255.0);
    g_string_append_c(s, ' ');
    pdf_num(s, ((c >> 8) & 0xFF) / 255.0);
    g_string_append_c(s, ' ');
    pdf_num(s, (c & 0xFF) / 255.0);
    g_string_append_printf(s, " %s ", op);
}

void
pdf_paint_fill(PdfPaint *p, guint32 c, gboolean preserve)
{
    rgb(p->out, c, "rg");
    g_string_append_len(p->out, p->path->str, p->path->len);
    g_string_append(p->out, "f\n");
    p->fill = -1;
    if (!preserve)
        pdf_paint_new_path(p);
}

void
pdf_paint_stroke(PdfPaint *p, guint32 c, double width, cairo_line_join_t join,
                 gboolean preserve)
{
    rgb(p->out, c, "RG");
    pdf_num(p->out, width);
    g_string_append_printf(p->out, " w %d j ", join == CAIRO_LINE_JOIN_ROUND ? 1 : 0);
    g_string_append_len(p->out, p->path->str, p->path->len);
    g_string_append(p->out, "S\n");
    if (!preserve)
        pdf_paint_new_path(p);
}

void
pdf_paint_clip(PdfPaint *p, gboolean preserve)
{
    g_string_append_len(p->out, p->path->str, p->path->len);
    g_string_append(p->out, "W n\n");
    if (!preserve)
        pdf_paint_new_path(p);
}

void
pdf_paint_prepare_fill(PdfPaint *p, guint32 c)
{
    if (p->fill == (gint64)c)
        return;
    rgb(p->out, c, "rg");
    if (!p->alpha)
        g_string_append(p->out, "/a0 gs");
    g_string_append_c(p->out, '\n');
    p->alpha = TRUE;
    p->fill = c;
}

void
pdf_paint_forget_style(PdfPaint *p)
{
    p->fill = -1;
}
