/* gongwen: a PDF's objects written in order (pdfout.h). */
#include "pdfout.h"

#include <string.h>
#include <zlib.h>

#define PDF_OUT_FLUSH 65536
/* Items handed on and not yet written, at most: memory stays bounded when the thread falls
 * behind. */
#define PDF_OUT_PENDING 32

typedef struct {
    guint obj;
    gsize at; /* offset in the item's bytes */
} Mark;

typedef struct {
    GString *bytes;  /* formatted objects: written as they are */
    GArray *marks;   /* Mark: the objects begun in them */
    /* or a stream to deflate: */
    guint obj;
    char *dict;
    void *data;
    gsize len;
    GBytes *packed;  /* deflated already */
    int level;
    gboolean stop;   /* the last item */
} Item;

struct PdfWriterThread {
    GThread *thread;
    GMutex lock;
    GCond changed;
    GQueue items;     /* Item* */
    guint pending;
    AtomicFile *out;
    guint64 pos;      /* bytes written */
    GArray *offsets;  /* Mark (obj, absolute offset), in the thread's hands until joined */
    gboolean failed;
};

static void
put(PdfWriterThread *t, const void *data, gsize len)
{
    if (len > 0 && !t->failed &&
        atomic_write_cb(t->out, data, (unsigned)len) != CAIRO_STATUS_SUCCESS)
        t->failed = TRUE;
    t->pos += len;
}

static void
item_free(Item *it)
{
    if (it->bytes != NULL)
        g_string_free(it->bytes, TRUE);
    if (it->marks != NULL)
        g_array_free(it->marks, TRUE);
    g_free(it->dict);
    g_free(it->data);
    if (it->packed != NULL)
        g_bytes_unref(it->packed);
    g_free(it);
}

static void
write_item(PdfWriterThread *t, Item *it)
{
    if (it->bytes != NULL) {
        for (guint i = 0; i < it->marks->len; i++) {
            Mark m = g_array_index(it->marks, Mark, i);
            m.at += t->pos;
            g_array_append_val(t->offsets, m);
        }
        put(t, it->bytes->str, it->bytes->len);
        return;
    }
    Mark m = {it->obj, t->pos};
    g_array_append_val(t->offsets, m);
    GBytes *packed = it->packed != NULL ? g_bytes_ref(it->packed) : NULL;
    if (packed == NULL && it->level > 0 && it->len > 0)
        packed = pdf_deflate(it->data, it->len, it->level);
    gsize len = it->len;
    const void *body = it->data;
    if (packed != NULL)
        body = g_bytes_get_data(packed, &len);
    char *head = g_strdup_printf("%u 0 obj\n<< /Length %" G_GSIZE_FORMAT "%s%s%s >>\nstream\n",
                                 it->obj, len, packed != NULL ? " /Filter /FlateDecode" : "",
                                 it->dict != NULL && *it->dict != '\0' ? " " : "",
                                 it->dict != NULL ? it->dict : "");
    put(t, head, strlen(head));
    put(t, body, len);
    put(t, "\nendstream\nendobj\n", 18);
    g_free(head);
    if (packed != NULL)
        g_bytes_unref(packed);
}

static gpointer
writer_run(gpointer data)
{
    PdfWriterThread *t = data;
    for (;;) {
        g_mutex_lock(&t->lock);
        while (g_queue_is_empty(&t->items))
            g_cond_wait(&t->changed, &t->lock);
        Item *it = g_queue_pop_head(&t->items);
        g_mutex_unlock(&t->lock);
        gboolean stop = it->stop;
        if (!stop)
            write_item(t, it);
        item_free(it);
        g_mutex_lock(&t->lock);
        t->pending--;
        g_cond_broadcast(&t->changed);
        g_mutex_unlock(&t->lock);
        if (stop)
            return NULL;
    }
}

static void
hand_on(PdfOut *o, Item *it)
{
    PdfWriterThread *t = o->thread;
    g_mutex_lock(&t->lock);
    while (t->pending >= PDF_OUT_PENDING)
        g_cond_wait(&t->changed, &t->lock);
    g_queue_push_tail(&t->items, it);
    t->pending++;
    g_cond_broadcast(&t->changed);
    g_mutex_unlock(&t->lock);
}

/* Hand the formatted bytes on. */
static void
flush(PdfOut *o)
{
    if (o->buf->len == 0)
        return;
    Item *it = g_new0(Item, 1);
    it->bytes = o->buf;
    it->marks = o->marks;
    o->buf = g_string_sized_new(PDF_OUT_FLUSH + 4096);
    o->marks = g_array_new(FALSE, FALSE, sizeof(Mark));
    hand_on(o, it);
}

void
pdf_out_init(PdfOut *o, AtomicFile *out)
{
    memset(o, 0, sizeof *o);
    o->out = out;
    o->next = 1;
    o->buf = g_string_sized_new(PDF_OUT_FLUSH + 4096);
    o->marks = g_array_new(FALSE, FALSE, sizeof(Mark));
    PdfWriterThread *t = g_new0(PdfWriterThread, 1);
    g_mutex_init(&t->lock);
    g_cond_init(&t->changed);
    g_queue_init(&t->items);
    t->out = out;
    t->offsets = g_array_new(FALSE, FALSE, sizeof(Mark));
    o->thread = t;
    t->thread = g_thread_new("gongwen-pdf", writer_run, t);
    /* the header, and a comment of bytes above 127 marking the file as binary */
    g_string_append(o->buf, "%PDF-1.7\n%\xb5\xed\xae\xfb\n");
}

void
pdf_out_stop(PdfOut *o)
{
    if (o->thread == NULL || o->thread->thread == NULL)
        return;
    flush(o);
    Item *it = g_new0(Item, 1);
    it->stop = TRUE;
    hand_on(o, it);
    g_thread_join(o->thread->thread);
    o->thread->thread = NULL;
}

void
pdf_out_free(PdfOut *o)
{
    pdf_out_stop(o);
    PdfWriterThread *t = o->thread;
    g_queue_clear_full(&t->items, (GDestroyNotify)item_free);
    g_mutex_clear(&t->lock);
    g_cond_clear(&t->changed);
    g_array_free(t->offsets, TRUE);
    g_free(t);
    g_string_free(o->buf, TRUE);
    g_array_free(o->marks, TRUE);
}

guint
pdf_out_reserve(PdfOut *o)
{
    return o->next++;
}

GString *
pdf_out_begin(PdfOut *o, guint n)
{
    Mark m = {n, o->buf->len};
    g_array_append_val(o->marks, m);
    g_string_append_printf(o->buf, "%u 0 obj\n", n);
    return o->buf;
}

void
pdf_out_end(PdfOut *o)
{
    g_string_append(o->buf, "\nendobj\n");
    if (o->buf->len >= PDF_OUT_FLUSH)
        flush(o);
}

void
pdf_out_stream_take(PdfOut *o, guint n, const char *dict, void *data, gsize len, int level)
{
    flush(o);
    Item *it = g_new0(Item, 1);
    it->obj = n;
    it->dict = g_strdup(dict);
    it->data = data;
    it->len = len;
    it->level = level;
    hand_on(o, it);
}

void
pdf_out_stream(PdfOut *o, guint n, const char *dict, const void *data, gsize len, int level)
{
    pdf_out_stream_take(o, n, dict, g_memdup2(data, len), len, level);
}

GBytes *
pdf_deflate(const void *data, gsize len, int level)
{
    uLongf cap = compressBound((uLong)len);
    guchar *packed = g_malloc(cap);
    if (compress2(packed, &cap, data, (uLong)len, level) != Z_OK) {
        g_free(packed);
        return NULL;
    }
    return g_bytes_new_take(g_realloc(packed, cap), cap);
}

void
pdf_out_stream_deflated(PdfOut *o, guint n, const char *dict, GBytes *packed)
{
    flush(o);
    Item *it = g_new0(Item, 1);
    it->obj = n;
    it->dict = g_strdup(dict);
    it->packed = g_bytes_ref(packed);
    hand_on(o, it);
}

gboolean
pdf_out_finish(PdfOut *o, guint root, guint info, const char *id_hex)
{
    pdf_out_stop(o);
    PdfWriterThread *t = o->thread;
    GArray *at = g_array_new(FALSE, TRUE, sizeof(guint64));
    g_array_set_size(at, o->next);
    for (guint i = 0; i < t->offsets->len; i++) {
        const Mark *m = &g_array_index(t->offsets, Mark, i);
        if (m->obj < o->next)
            g_array_index(at, guint64, m->obj) = m->at;
    }
    gboolean complete = TRUE;
    GString *s = g_string_sized_new(20 * (gsize)o->next + 256);
    g_string_append_printf(s, "xref\n0 %u\n0000000000 65535 f \n", o->next);
    for (guint n = 1; n < o->next; n++) {
        guint64 off = g_array_index(at, guint64, n);
        complete = complete && off != 0;
        g_string_append_printf(s, "%010" G_GUINT64_FORMAT " 00000 n \n", off);
    }
    g_string_append_printf(s, "trailer\n<< /Size %u /Root %u 0 R", o->next, root);
    if (info != 0)
        g_string_append_printf(s, " /Info %u 0 R", info);
    if (id_hex != NULL)
        g_string_append_printf(s, " /ID [<%s> <%s>]", id_hex, id_hex);
    g_string_append_printf(s, " >>\nstartxref\n%" G_GUINT64_FORMAT "\n%%%%EOF\n", t->pos);
    put(t, s->str, s->len);
    g_string_free(s, TRUE);
    g_array_free(at, TRUE);
    return complete && !t->failed;
}

void
pdf_out_text_string(GString *s, const char *utf8)
{
    gboolean ascii = TRUE;
    for (const char *p = utf8; *p != '\0' && ascii; p++)
        ascii = (guchar)*p >= 0x20 && (guchar)*p < 0x7F;
    if (ascii) {
        g_string_append_c(s, '(');
        for (const char *p = utf8; *p != '\0'; p++) {
            if (*p == '(' || *p == ')' || *p == '\\')
                g_string_append_c(s, '\\');
            g_string_append_c(s, *p);
        }
        g_string_append_c(s, ')');
        return;
    }
    g_string_append(s, "<FEFF");
    glong n = 0;
    gunichar2 *u = g_utf8_to_utf16(utf8, -1, NULL, &n, NULL);
    for (glong i = 0; u != NULL && i < n; i++)
        g_string_append_printf(s, "%04X", u[i]);
    g_free(u);
    g_string_append_c(s, '>');
}
