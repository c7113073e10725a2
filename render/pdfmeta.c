/* gongwen: the outline and the document information of the PDF (pdfmeta.h). */
#include "pdfmeta.h"

#include "diag.h"
#include "gongwen-config.h"
#include "pdfpaint.h"

#include <math.h>

static double
units(int v)
{
    return v / (double)PANGO_SCALE;
}

/* The largest SOURCE_DATE_EPOCH: 9999-12-31T23:59:59Z, the last second a PDF date holds. */
#define SOURCE_DATE_MAX G_GINT64_CONSTANT(253402300799)

/* SOURCE_DATE_EPOCH's seconds into *seconds (-1 when unset or empty); FALSE when it is set to
 * anything but a whole number of seconds from 0 to SOURCE_DATE_MAX. */
gboolean
source_date_epoch(gint64 *seconds)
{
    *seconds = -1;
    const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
    if (epoch == NULL || *epoch == '\0')
        return TRUE;
    guint64 v = 0;
    for (const char *p = epoch; *p != '\0'; p++) {
        if (!g_ascii_isdigit(*p) || v > (guint64)SOURCE_DATE_MAX)
            return FALSE;
        v = v * 10 + (guint64)(*p - '0');
    }
    if (v > (guint64)SOURCE_DATE_MAX)
        return FALSE;
    *seconds = (gint64)v;
    return TRUE;
}

gboolean
pdf_check_source_date(GError **error)
{
    gint64 seconds;
    if (source_date_epoch(&seconds))
        return TRUE;
    diag_set_error(error, GONGWEN_ERROR_INPUT, (DiagAt){NULL, 0, 0},
                   "SOURCE_DATE_EPOCH='%s' is not a date: give whole seconds since "
                   "1970-01-01 UTC, from 0 to %" G_GINT64_FORMAT ", or leave it empty",
                   g_getenv("SOURCE_DATE_EPOCH"), SOURCE_DATE_MAX);
    return FALSE;
}

/* The document date: the report's 成文日期 (China Standard Time), else SOURCE_DATE_EPOCH
 * (checked by pdf_check_source_date before anything is written). NULL when neither is
 * known: cairo then writes the current time as the creation date. */
static char *
pdf_date(const PagesMeta *meta)
{
    if (meta->year > 0)
        return g_strdup_printf("%04d-%02d-%02dT00:00:00+08:00", meta->year, meta->month,
                               meta->day);
    gint64 seconds;
    if (!source_date_epoch(&seconds) || seconds < 0)
        return NULL;
    GDateTime *dt = g_date_time_new_from_unix_utc(seconds);
    if (dt == NULL)
        return NULL;
    char *text = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
    g_date_time_unref(dt);
    return text;
}

typedef struct {
    const PageOutline *o;
    guint obj;
    int parent;           /* index, -1 for the root */
    int first, last, prev, next;
    int count;            /* descendants shown */
} OutlineItem;

guint
pdf_write_outline(PdfOut *o, const Pages *pages, size_t first, const GArray *page_objs,
                  const GArray *page_heights)
{
    GArray *items = g_array_new(FALSE, TRUE, sizeof(OutlineItem));
    int parents[7];
    for (int l = 0; l < 7; l++)
        parents[l] = -1;
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *ol = &g_array_index(pages->outline, PageOutline, k);
        if (ol->page < first || ol->page >= first + page_objs->len || ol->level < 1 ||
            ol->level > 5)
            continue;
        OutlineItem it = {ol, pdf_out_reserve(o), parents[ol->level - 1], -1, -1, -1, -1, 0};
        int index = (int)items->len;
        g_array_append_val(items, it);
        OutlineItem *all = (OutlineItem *)items->data;
        if (it.parent >= 0) {
            OutlineItem *p = &all[it.parent];
            if (p->last >= 0) {
                all[p->last].next = index;
                all[index].prev = p->last;
            } else {
                p->first = index;
            }
            p->last = index;
        } else {
            for (int j = index - 1; j >= 0; j--)
                if (all[j].parent < 0) {
                    all[j].next = index;
                    all[index].prev = j;
                    break;
                }
        }
        for (int l = ol->level; l < 7; l++)
            parents[l] = index;
    }
    if (items->len == 0) {
        g_array_free(items, TRUE);
        return 0;
    }
    OutlineItem *all = (OutlineItem *)items->data;
    /* counts: an open item shows its children (and theirs, when open); level 1 is open */
    for (int i = (int)items->len - 1; i >= 0; i--) {
        int shown = 0;
        for (int c = all[i].first; c >= 0; c = all[c].next)
            shown += 1 + (all[c].o->level == 1 ? all[c].count : 0);
        all[i].count = shown;
    }
    guint root = pdf_out_reserve(o);
    int top_first = -1, top_last = -1, top = 0;
    for (guint i = 0; i < items->len; i++)
        if (all[i].parent < 0) {
            if (top_first < 0)
                top_first = (int)i;
            top_last = (int)i;
            top += 1 + (all[i].o->level == 1 ? all[i].count : 0);
        }
    for (guint i = 0; i < items->len; i++) {
        OutlineItem *it = &all[i];
        GString *s = pdf_out_begin(o, it->obj);
        g_string_append(s, "<< /Title ");
        pdf_out_text_string(s, it->o->text);
        g_string_append_printf(s, " /Parent %u 0 R",
                               it->parent < 0 ? root : all[it->parent].obj);
        if (it->prev >= 0)
            g_string_append_printf(s, " /Prev %u 0 R", all[it->prev].obj);
        if (it->next >= 0)
            g_string_append_printf(s, " /Next %u 0 R", all[it->next].obj);
        if (it->first >= 0)
            g_string_append_printf(s, " /First %u 0 R /Last %u 0 R /Count %d",
                                   all[it->first].obj, all[it->last].obj,
                                   it->o->level == 1 ? it->count : -it->count);
        guint page_obj = g_array_index(page_objs, guint, it->o->page - first);
        g_string_append_printf(s, " /Dest [ %u 0 R /XYZ 0 ", page_obj);
        /* the PDF's y runs up from the page's foot */
        double height = g_array_index(page_heights, double, it->o->page - first);
        pdf_num(s, height - units(it->o->y));
        g_string_append(s, " 0 ] >>");
        pdf_out_end(o);
    }
    GString *s = pdf_out_begin(o, root);
    g_string_append_printf(s, "<< /Type /Outlines /First %u 0 R /Last %u 0 R /Count %d >>",
                           all[top_first].obj, all[top_last].obj, top);
    pdf_out_end(o);
    g_array_free(items, TRUE);
    return root;
}

/* The document date as a PDF date (D:YYYYMMDDHHmmSS+08'00'), or NULL. */
static char *
pdf_date_string(const PagesMeta *meta)
{
    char *iso = pdf_date(meta);
    if (iso == NULL)
        return NULL;
    GDateTime *dt = g_date_time_new_from_iso8601(iso, NULL);
    g_free(iso);
    if (dt == NULL)
        return NULL;
    GTimeSpan off = g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE;
    char *date = g_date_time_format(dt, "%Y%m%d%H%M%S");
    char *out = off == 0 ? g_strdup_printf("D:%sZ", date)
                         : g_strdup_printf("D:%s%c%02d'%02d'", date, off < 0 ? '-' : '+',
                                           (int)(ABS(off) / 60), (int)(ABS(off) % 60));
    g_free(date);
    g_date_time_unref(dt);
    return out;
}

guint
pdf_write_info(PdfOut *o, const PagesMeta *meta)
{
    guint info = pdf_out_reserve(o);
    GString *s = pdf_out_begin(o, info);
    g_string_append(s, "<< /Producer (gongwen " GONGWEN_VERSION ") /Creator (gongwen "
                       GONGWEN_VERSION ")");
    const char *keys[] = {"Title", "Author", "Subject", "Keywords"};
    const char *values[] = {meta->title, meta->author, meta->subject, meta->keywords};
    for (int i = 0; i < 4; i++)
        if (values[i] != NULL) {
            g_string_append_printf(s, " /%s ", keys[i]);
            pdf_out_text_string(s, values[i]);
        }
    char *date = pdf_date_string(meta);
    if (date != NULL) {
        g_string_append_printf(s, " /CreationDate (%s) /ModDate (%s) >>", date, date);
    } else { /* no date known: created now, never modified */
        GDateTime *now = g_date_time_new_now_utc();
        char *t = g_date_time_format(now, "%Y%m%d%H%M%S");
        g_string_append_printf(s, " /CreationDate (D:%sZ) >>", t);
        g_free(t);
        g_date_time_unref(now);
    }
    g_free(date);
    pdf_out_end(o);
    return info;
}
