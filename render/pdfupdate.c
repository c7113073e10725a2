/* gongwen: an incremental update appended to a PDF that cairo wrote (PDF 32000-1 7.5.6): a
 * new version of the catalog with entries cairo 1.16 does not write, a cross-reference
 * section for it and a trailer with /Prev. The bytes before it are left as they are. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

/* The last occurrence of `needle` in [hay, hay + len), or NULL. */
static const char *
find_last(const char *hay, gsize len, const char *needle)
{
    gsize n = strlen(needle);
    for (gsize i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

/* The number after `key` (e.g. "/Size") in [p, end), or -1. */
static long
number_after(const char *p, const char *end, const char *key)
{
    gsize n = strlen(key);
    for (; p + n < end; p++)
        if (memcmp(p, key, n) == 0 && !g_ascii_isalnum(p[n])) {
            const char *q = p + n;
            while (q < end && (*q == ' ' || *q == '\n' || *q == '\r'))
                q++;
            if (q == end || !g_ascii_isdigit(*q))
                return -1;
            return strtol(q, NULL, 10);
        }
    return -1;
}

gboolean
pdf_update_catalog(const char *tail, gsize len, gsize total, const char *extra, GString *out)
{
    g_return_val_if_fail(len <= total, FALSE);
    const char *end = tail + len;
    const char *sx = find_last(tail, len, "startxref");
    const char *tr = sx != NULL ? find_last(tail, (gsize)(sx - tail), "trailer") : NULL;
    if (tr == NULL)
        return FALSE;
    const char *p = sx + strlen("startxref");
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' '))
        p++;
    if (p == end || !g_ascii_isdigit(*p))
        return FALSE;
    long prev = strtol(p, NULL, 10);
    long size = number_after(tr, sx, "/Size"), root = number_after(tr, sx, "/Root");
    long info = number_after(tr, sx, "/Info");
    if (size <= 0 || root <= 0 || root >= size)
        return FALSE;
    /* the catalog: "\nR 0 obj" up to its "endobj", its dictionary between the first "<<"
     * and the last ">>" */
    char head[48];
    g_snprintf(head, sizeof head, "\n%ld 0 obj", root);
    const char *obj = find_last(tail, (gsize)(tr - tail), head);
    if (obj == NULL)
        return FALSE;
    obj += strlen(head);
    const char *eo = strstr(obj, "endobj");
    if (eo == NULL || eo > tr)
        return FALSE;
    const char *open = strstr(obj, "<<");
    const char *close = find_last(obj, (gsize)(eo - obj), ">>");
    if (open == NULL || close == NULL || open >= close)
        return FALSE;
    gsize at = total + out->len; /* where the new catalog begins */
    if (len == 0 || tail[len - 1] != '\n') {
        g_string_append_c(out, '\n');
        at++;
    }
    g_string_append_printf(out, "%ld 0 obj\n", root);
    g_string_append_len(out, open, close - open);
    g_string_append_printf(out, "   %s\n>>\nendobj\n", extra);
    gsize xref = total + out->len;
    g_string_append_printf(out, "xref\n%ld 1\n%010" G_GSIZE_FORMAT " 00000 n \n", root, at);
    g_string_append_printf(out, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, root);
    if (info > 0)
        g_string_append_printf(out, "   /Info %ld 0 R\n", info);
    g_string_append_printf(out, "   /Prev %ld\n>>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                           prev, xref);
    return TRUE;
}
