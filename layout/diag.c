/* gongwen: diagnostics (see diag.h). */
#include "diag.h"

#include <string.h>

static void
diag_clear(Diag *d)
{
    g_free(d->file);
    g_free(d->message);
    memset(d, 0, sizeof *d);
}

static void
diag_free(gpointer data)
{
    Diag *d = data;
    diag_clear(d);
    g_free(d);
}

static void
diag_fill(Diag *d, DiagSeverity severity, DiagAt at, char *message)
{
    d->severity = severity;
    d->file = g_strdup(at.file);
    d->line = at.line;
    d->col = at.col;
    d->message = message;
}

GPtrArray *
diag_list_new(void)
{
    return g_ptr_array_new_with_free_func(diag_free);
}

void
diag_add(GPtrArray *list, DiagSeverity severity, DiagAt at, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    Diag *d = g_new0(Diag, 1);
    diag_fill(d, severity, at, g_strdup_vprintf(format, args));
    va_end(args);
    g_ptr_array_add(list, d);
}

void
diag_add_all(GPtrArray *list, const GPtrArray *from)
{
    for (guint k = 0; from != NULL && k < from->len; k++) {
        const Diag *s = g_ptr_array_index(from, k);
        Diag *d = g_new0(Diag, 1);
        DiagAt at = {s->file, s->line, s->col};
        diag_fill(d, s->severity, at, g_strdup(s->message));
        g_ptr_array_add(list, d);
    }
}

guint
diag_count(const GPtrArray *list, DiagSeverity severity)
{
    guint n = 0;
    for (guint k = 0; list != NULL && k < list->len; k++)
        n += ((const Diag *)g_ptr_array_index(list, k))->severity == severity;
    return n;
}

char *
diag_format(const Diag *d)
{
    GString *s = g_string_new(d->file != NULL ? d->file : "gongwen");
    if (d->file != NULL && d->line > 0) {
        g_string_append_printf(s, ":%d", d->line);
        if (d->col > 0)
            g_string_append_printf(s, ":%d", d->col);
    }
    g_string_append_printf(s, ": %s: %s", d->severity == DIAG_ERROR ? "error" : "warning",
                           d->message);
    return g_string_free(s, FALSE);
}

/* ---- errors that carry their Diag ---- */

typedef struct {
    Diag diag;
} GongwenErrorPrivate;

static void
gongwen_error_private_init(GongwenErrorPrivate *priv)
{
    memset(priv, 0, sizeof *priv);
}

static void
gongwen_error_private_copy(const GongwenErrorPrivate *src, GongwenErrorPrivate *dest)
{
    DiagAt at = {src->diag.file, src->diag.line, src->diag.col};
    diag_fill(&dest->diag, src->diag.severity, at, g_strdup(src->diag.message));
}

static void
gongwen_error_private_clear(GongwenErrorPrivate *priv)
{
    diag_clear(&priv->diag);
}

G_DEFINE_EXTENDED_ERROR(GongwenError, gongwen_error)

void
diag_set_error(GError **error, GongwenError code, DiagAt at, const char *format, ...)
{
    if (error == NULL)
        return;
    va_list args;
    va_start(args, format);
    Diag d = {0};
    diag_fill(&d, DIAG_ERROR, at, g_strdup_vprintf(format, args));
    va_end(args);
    char *text = diag_format(&d);
    g_set_error_literal(error, GONGWEN_ERROR, code, text);
    g_free(text);
    if (*error != NULL && (*error)->domain == GONGWEN_ERROR) {
        GongwenErrorPrivate *priv = gongwen_error_get_private(*error);
        diag_clear(&priv->diag);
        priv->diag = d;
    } else {
        diag_clear(&d);
    }
}

const Diag *
diag_from_error(const GError *error)
{
    if (error == NULL || error->domain != GONGWEN_ERROR)
        return NULL;
    const GongwenErrorPrivate *priv = gongwen_error_get_private(error);
    return priv->diag.message != NULL ? &priv->diag : NULL;
}
