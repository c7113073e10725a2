/* gongwen: the OFD (GB/T 33190-2016): the same pages as the PDF, as a ZIP of XML parts with
 * the font subsets embedded. Text objects carry their characters and every character's
 * position (DeltaX, in micrometre-rounded millimetres without accumulated error); rules and
 * table lines are path objects; images are the files as given. The outline is the PDF's. Not
 * yet written: charts' wedges and dots, turned text (quarter_turns). */
#include "render.h"

#include "diag.h"
#include "figure.h"
#include "gongwen-config.h"

#include <hb-subset.h>
#include <hb.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define NS "xmlns:ofd=\"http://www.ofdspec.org/2016\""

typedef struct {
    hb_face_t *face;   /* referenced */
    guint id;
    char *name;
    hb_set_t *unicodes, *glyphs;
} OfdFont;

typedef struct {
    AtomicFile own;
    AtomicFile *out;
    guint next_id;
    GHashTable *fonts; /* hb_face_t* -> OfdFont* */
    GPtrArray *font_list;
    GPtrArray *page_xml; /* GString* */
    GArray *page_ids;    /* guint */
    GHashTable *images;  /* FigureImage* -> its MultiMedia ID */
    GPtrArray *image_list; /* OfdImage* */
    int width, height;   /* the first page's */
    size_t first;        /* the first page's index in the document */
} OfdOut;

typedef struct {
    guint id;
    GBytes *data; /* referenced */
    gboolean jpeg;
} OfdImage;

/* Pango units -> micrometres */
static gint64
um(double pango)
{
    return llround(pango / PANGO_SCALE * 25400.0 / 72.0);
}

static void
put_mm(GString *s, gint64 v)
{
    if (v < 0) {
        g_string_append_c(s, '-');
        v = -v;
    }
    g_string_append_printf(s, "%" G_GINT64_FORMAT, v / 1000);
    if (v % 1000 != 0) {
        char frac[8];
        g_snprintf(frac, sizeof frac, "%03d", (int)(v % 1000));
        for (int i = 2; i > 0 && frac[i] == '0'; i--)
            frac[i] = '\0';
        g_string_append_printf(s, ".%s", frac);
    }
}

static void
put_box(GString *s, gint64 x, gint64 y, gint64 w, gint64 h)
{
    put_mm(s, x);
    g_string_append_c(s, ' ');
    put_mm(s, y);
    g_string_append_c(s, ' ');
    put_mm(s, w);
    g_string_append_c(s, ' ');
    put_mm(s, h);
}

static void
put_colour(GString *s, const char *element, guint32 rgb)
{
    g_string_append_printf(s, "<ofd:%s Value=\"%u %u %u\"/>", element, (rgb >> 16) & 0xFF,
                           (rgb >> 8) & 0xFF, rgb & 0xFF);
}

static OfdFont *
ofd_font(OfdOut *s, PangoFont *font)
{
    hb_face_t *face = hb_font_get_face(pango_font_get_hb_font(font));
    OfdFont *f = g_hash_table_lookup(s->fonts, face);
    if (f != NULL)
        return f;
    f = g_new0(OfdFont, 1);
    f->face = hb_face_reference(face);
    f->id = s->next_id++;
    PangoFontDescription *d = pango_font_describe(font);
    f->name = g_strdup(pango_font_description_get_family(d));
    pango_font_description_free(d);
    f->unicodes = hb_set_create();
    f->glyphs = hb_set_create();
    hb_set_add(f->glyphs, 0);
    g_hash_table_insert(s->fonts, face, f);
    g_ptr_array_add(s->font_list, f);
    return f;
}

static void
ofd_text(OfdOut *s, GString *x, const PageItem *item)
{
    const PangoGlyphItem *gi = item->run;
    const PangoItem *pi = gi->item;
    OfdFont *f = ofd_font(s, pi->analysis.font);
    PangoFontDescription *d = pango_font_describe(pi->analysis.font);
    double size = pango_font_description_get_size(d);
    pango_font_description_free(d);
    gint64 size_um = um(size);
    double scale = item->scale_x != 0 ? item->scale_x : 1.0;
    /* every character's origin in micrometres (page coordinates) */
    GArray *xs = g_array_new(FALSE, FALSE, sizeof(gint64));
    GString *text = g_string_new(NULL);
    int pos = 0;
    PangoGlyphItemIter it;
    for (gboolean more = pango_glyph_item_iter_init_start(&it, (PangoGlyphItem *)gi, item->text);
         more; more = pango_glyph_item_iter_next_cluster(&it)) {
        int gx = pos;
        if (it.start_glyph < it.end_glyph)
            gx += gi->glyphs->glyphs[it.start_glyph].geometry.x_offset;
        for (int g = it.start_glyph; g < it.end_glyph; g++) {
            const PangoGlyphInfo *info = &gi->glyphs->glyphs[g];
            if (!(info->glyph & PANGO_GLYPH_UNKNOWN_FLAG))
                hb_set_add(f->glyphs, info->glyph);
            pos += info->geometry.width;
        }
        for (const char *p = item->text + it.start_index; p < item->text + it.end_index;
             p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            hb_set_add(f->unicodes, c);
            gint64 cx = um(item->x + gx * scale);
            g_array_append_val(xs, cx);
            char *esc = g_markup_escape_text(p, g_utf8_next_char(p) - p);
            g_string_append(text, esc);
            g_free(esc);
        }
    }
    if (xs->len == 0) {
        g_array_free(xs, TRUE);
        g_string_free(text, TRUE);
        return;
    }
    gint64 x0 = g_array_index(xs, gint64, 0), base = um(item->y);
    gint64 right = um(item->x + pos * scale);
    gint64 bx = MIN(x0, right) - size_um / 2, by = base - size_um * 3 / 2;
    gint64 bw = ABS(right - x0) + size_um * 2, bh = size_um * 2;
    g_string_append_printf(x, "<ofd:TextObject ID=\"%u\" Boundary=\"", s->next_id++);
    put_box(x, bx, by, bw, bh);
    g_string_append_printf(x, "\" Font=\"%u\" Size=\"", f->id);
    put_mm(x, size_um);
    g_string_append_c(x, '"');
    if (item->clip_w > 0)
        g_string_append(x, " Alpha=\"0\""); /* kept for its text, drawn nowhere in the PDF */
    g_string_append(x, ">");
    if (item->color != 0)
        put_colour(x, "FillColor", item->color);
    g_string_append(x, "<ofd:TextCode X=\"");
    put_mm(x, x0 - bx);
    g_string_append(x, "\" Y=\"");
    put_mm(x, base - by);
    g_string_append_c(x, '"');
    if (xs->len > 1) {
        g_string_append(x, " DeltaX=\"");
        for (guint i = 1; i < xs->len; i++) {
            if (i > 1)
                g_string_append_c(x, ' ');
            put_mm(x, g_array_index(xs, gint64, i) - g_array_index(xs, gint64, i - 1));
        }
        g_string_append_c(x, '"');
    }
    g_string_append_printf(x, ">%s</ofd:TextCode></ofd:TextObject>\n", text->str);
    g_array_free(xs, TRUE);
    g_string_free(text, TRUE);
}

/* A path object around `data` (in page micrometres, already relative to the box). */
static void
ofd_path(OfdOut *s, GString *x, gint64 bx, gint64 by, gint64 bw, gint64 bh, gint64 line,
         guint32 stroke, guint32 fill, const char *data)
{
    g_string_append_printf(x, "<ofd:PathObject ID=\"%u\" Boundary=\"", s->next_id++);
    put_box(x, bx, by, MAX(bw, 1), MAX(bh, 1));
    g_string_append(x, "\"");
    if (stroke != SHAPE_NONE) {
        g_string_append(x, " LineWidth=\"");
        put_mm(x, MAX(line, 1));
        g_string_append(x, "\"");
    } else {
        g_string_append(x, " Stroke=\"false\"");
    }
    if (fill != SHAPE_NONE)
        g_string_append(x, " Fill=\"true\"");
    g_string_append(x, ">");
    if (stroke != SHAPE_NONE)
        put_colour(x, "StrokeColor", stroke);
    if (fill != SHAPE_NONE)
        put_colour(x, "FillColor", fill);
    g_string_append_printf(x, "<ofd:AbbreviatedData>%s</ofd:AbbreviatedData></ofd:PathObject>\n",
                           data);
}

static char *
rect_data(gint64 x, gint64 y, gint64 w, gint64 h)
{
    GString *d = g_string_new("M ");
    put_mm(d, x), g_string_append_c(d, ' '), put_mm(d, y);
    g_string_append(d, " L "), put_mm(d, x + w), g_string_append_c(d, ' '), put_mm(d, y);
    g_string_append(d, " L "), put_mm(d, x + w), g_string_append_c(d, ' '), put_mm(d, y + h);
    g_string_append(d, " L "), put_mm(d, x), g_string_append_c(d, ' '), put_mm(d, y + h);
    g_string_append(d, " C");
    return g_string_free(d, FALSE);
}

static void
ofd_shape(OfdOut *s, GString *x, const PageItem *item)
{
    const PageShape *sh = item->shape;
    const int *p = sh->points;
    gint64 line = sh->line > 0 ? um(sh->line) : 0;
    guint32 stroke = sh->stroke != SHAPE_NONE && sh->line > 0 ? sh->stroke : SHAPE_NONE;
    guint32 fill = sh->kind != SHAPE_POLYLINE ? sh->fill : SHAPE_NONE;
    if (sh->kind == SHAPE_RECT) {
        gint64 pad = line / 2 + 1;
        char *d = rect_data(pad, pad, um(p[2]), um(p[3]));
        ofd_path(s, x, um(item->x + p[0]) - pad, um(item->y + p[1]) - pad, um(p[2]) + 2 * pad,
                 um(p[3]) + 2 * pad, line, stroke, fill, d);
        g_free(d);
        return;
    }
    if (sh->kind != SHAPE_POLYLINE && sh->kind != SHAPE_POLYGON)
        return; /* wedges and dots: not yet */
    int minx = G_MAXINT, miny = G_MAXINT, maxx = G_MININT, maxy = G_MININT;
    for (size_t i = 0; i + 1 < sh->n_points; i += 2) {
        minx = MIN(minx, p[i]), maxx = MAX(maxx, p[i]);
        miny = MIN(miny, p[i + 1]), maxy = MAX(maxy, p[i + 1]);
    }
    if (minx > maxx)
        return;
    gint64 pad = line / 2 + 1;
    gint64 bx = um(item->x + minx) - pad, by = um(item->y + miny) - pad;
    GString *d = g_string_new(NULL);
    for (size_t i = 0; i + 1 < sh->n_points; i += 2) {
        g_string_append(d, i == 0 ? "M " : " L ");
        put_mm(d, um(item->x + p[i]) - bx);
        g_string_append_c(d, ' ');
        put_mm(d, um(item->y + p[i + 1]) - by);
    }
    if (sh->kind == SHAPE_POLYGON)
        g_string_append(d, " C");
    ofd_path(s, x, bx, by, um(item->x + maxx) + pad - bx, um(item->y + maxy) + pad - by, line,
             stroke, fill, d->str);
    g_string_free(d, TRUE);
}

static void *
ofd_begin(const char *path, const BackendParams *params, GError **error)
{
    OfdOut *s = g_new0(OfdOut, 1);
    s->out = params != NULL && params->file != NULL ? params->file : &s->own;
    if (s->out == &s->own && !atomic_open(&s->own, path, error)) {
        g_free(s);
        return NULL;
    }
    s->next_id = 1;
    s->fonts = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->font_list = g_ptr_array_new();
    s->page_xml = g_ptr_array_new();
    s->page_ids = g_array_new(FALSE, FALSE, sizeof(guint));
    s->images = g_hash_table_new(g_direct_hash, g_direct_equal);
    s->image_list = g_ptr_array_new();
    return s;
}

static void
ofd_page(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    OfdOut *s = data;
    if (s->page_xml->len == 0)
        s->width = page->width, s->height = page->height, s->first = page->index;
    guint page_id = s->next_id++;
    g_array_append_val(s->page_ids, page_id);
    GString *x = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Page " NS ">");
    g_string_append(x, "<ofd:Area><ofd:PhysicalBox>");
    put_box(x, 0, 0, um(page->width), um(page->height));
    g_string_append_printf(x, "</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID=\"%u\">\n",
                           s->next_id++);
    for (guint k = 0; k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        switch (item->kind) {
        case PAGE_ITEM_GLYPHS:
            if (item->quarter_turns % 4 == 0)
                ofd_text(s, x, item);
            break;
        case PAGE_ITEM_FILL: {
            char *d = rect_data(0, 0, um(item->w), um(item->h));
            ofd_path(s, x, um(item->x), um(item->y), um(item->w), um(item->h), 0, SHAPE_NONE,
                     item->color, d);
            g_free(d);
            break;
        }
        case PAGE_ITEM_RECT: {
            gint64 line = um(item->line), pad = line / 2 + 1;
            char *d = rect_data(pad, pad, um(item->w), um(item->h));
            ofd_path(s, x, um(item->x) - pad, um(item->y) - pad, um(item->w) + 2 * pad,
                     um(item->h) + 2 * pad, line, 0, SHAPE_NONE, d);
            g_free(d);
            break;
        }
        case PAGE_ITEM_SHAPE:
            ofd_shape(s, x, item);
            break;
        case PAGE_ITEM_IMAGE: {
            /* the file as it was given (a JPEG passed through), drawn in the unit square */
            const FigureImage *image = item->image;
            guint id = GPOINTER_TO_UINT(g_hash_table_lookup(s->images, image));
            if (id == 0) {
                OfdImage *im = g_new0(OfdImage, 1);
                im->id = id = s->next_id++;
                im->data = g_bytes_ref(image->data);
                im->jpeg = image->jpeg;
                g_hash_table_insert(s->images, (gpointer)image, GUINT_TO_POINTER(id));
                g_ptr_array_add(s->image_list, im);
            }
            g_string_append_printf(x, "<ofd:ImageObject ID=\"%u\" Boundary=\"", s->next_id++);
            put_box(x, um(item->x), um(item->y), um(item->w), um(item->h));
            g_string_append(x, "\" CTM=\"");
            put_mm(x, um(item->w));
            g_string_append(x, " 0 0 ");
            put_mm(x, um(item->h));
            g_string_append_printf(x, " 0 0\" ResourceID=\"%u\"/>\n", id);
            break;
        }
        }
    }
    g_string_append(x, "</ofd:Layer></ofd:Content></ofd:Page>\n");
    g_ptr_array_add(s->page_xml, x);
}

/* A ZIP of stored entries, with a fixed date (1980-01-01) so that the bytes depend only on
 * the content. */
typedef struct {
    GByteArray *data, *central;
    guint count;
} Zip;

static guint32
crc32_of(const guint8 *p, gsize n)
{
    static guint32 table[256];
    if (table[1] == 0)
        for (guint32 i = 0; i < 256; i++) {
            guint32 c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    guint32 c = 0xFFFFFFFFu;
    for (gsize i = 0; i < n; i++)
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static void
le(GByteArray *a, guint32 v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        guint8 b = (guint8)(v >> (8 * i));
        g_byte_array_append(a, &b, 1);
    }
}

static void
zip_add(Zip *z, const char *name, const void *bytes, gsize len)
{
    guint32 crc = crc32_of(bytes, len), offset = z->data->len;
    guint32 nlen = (guint32)strlen(name);
    le(z->data, 0x04034b50, 4), le(z->data, 20, 2), le(z->data, 0x0800, 2), le(z->data, 0, 2);
    le(z->data, 0, 2), le(z->data, 0x21, 2), le(z->data, crc, 4), le(z->data, (guint32)len, 4);
    le(z->data, (guint32)len, 4), le(z->data, nlen, 2), le(z->data, 0, 2);
    g_byte_array_append(z->data, (const guint8 *)name, nlen);
    g_byte_array_append(z->data, bytes, (guint)len);
    GByteArray *c = z->central;
    le(c, 0x02014b50, 4), le(c, 20, 2), le(c, 20, 2), le(c, 0x0800, 2), le(c, 0, 2), le(c, 0, 2);
    le(c, 0x21, 2), le(c, crc, 4), le(c, (guint32)len, 4), le(c, (guint32)len, 4);
    le(c, nlen, 2), le(c, 0, 2), le(c, 0, 2), le(c, 0, 2), le(c, 0, 2), le(c, 0, 4);
    le(c, offset, 4);
    g_byte_array_append(c, (const guint8 *)name, nlen);
    z->count++;
}

static void
zip_add_string(Zip *z, const char *name, GString *s)
{
    zip_add(z, name, s->str, s->len);
}

/* The outline as the PDF's: one entry per heading (and issued document) on the pages
 * written, nested by level, the first level open. */
static void
ofd_outline(OfdOut *s, GString *x, const Pages *pages)
{
    int open[8], depth = 0;
    gboolean any = FALSE;
    for (guint k = 0; k < pages->outline->len; k++) {
        const PageOutline *o = &g_array_index(pages->outline, PageOutline, k);
        if (o->page < s->first || o->page - s->first >= s->page_ids->len || o->level < 1 ||
            o->level > 5)
            continue;
        if (!any)
            g_string_append(x, "<ofd:Outlines>");
        any = TRUE;
        while (depth > 0 && open[depth - 1] >= o->level) {
            g_string_append(x, "</ofd:OutlineElem>");
            depth--;
        }
        char *esc = g_markup_escape_text(o->text, -1);
        g_string_append_printf(x, "<ofd:OutlineElem Title=\"%s\"%s><ofd:Actions>"
                                  "<ofd:Action Event=\"CLICK\"><ofd:Goto><ofd:Dest Type=\"XYZ\" "
                                  "PageID=\"%u\" Left=\"0\" Top=\"",
                               esc, o->level == 1 ? "" : " Expanded=\"false\"",
                               g_array_index(s->page_ids, guint, o->page - s->first));
        g_free(esc);
        put_mm(x, um(o->y));
        g_string_append(x, "\"/></ofd:Goto></ofd:Action></ofd:Actions>");
        open[depth++] = o->level;
    }
    while (depth-- > 0)
        g_string_append(x, "</ofd:OutlineElem>");
    if (any)
        g_string_append(x, "</ofd:Outlines>");
}

static gboolean
ofd_end(void *data, const Pages *pages, GError **error)
{
    OfdOut *s = data;
    gboolean ok = FALSE;
    if (pages != NULL) {
        Zip z = {g_byte_array_new(), g_byte_array_new(), 0};
        GString *x = g_string_new(NULL);
        /* fonts: subsets keeping the cmap of every character written */
        GString *res = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res " NS
                                    " BaseLoc=\"Res\"><ofd:Fonts>");
        for (guint i = 0; i < s->font_list->len; i++) {
            OfdFont *f = g_ptr_array_index(s->font_list, i);
            hb_subset_input_t *in = hb_subset_input_create_or_fail();
            hb_face_t *sub = NULL;
            if (in != NULL) {
                hb_set_union(hb_subset_input_unicode_set(in), f->unicodes);
                hb_set_union(hb_subset_input_glyph_set(in), f->glyphs);
                sub = hb_subset_or_fail(f->face, in);
                hb_subset_input_destroy(in);
            }
            char *esc = g_markup_escape_text(f->name, -1);
            g_string_append_printf(res, "<ofd:Font ID=\"%u\" FontName=\"%s\" FamilyName=\"%s\">",
                                   f->id, esc, esc);
            g_free(esc);
            if (sub != NULL) {
                hb_blob_t *cff = hb_face_reference_table(sub, HB_TAG('C', 'F', 'F', ' '));
                gboolean is_cff = hb_blob_get_length(cff) > 0;
                hb_blob_destroy(cff);
                hb_blob_t *blob = hb_face_reference_blob(sub);
                unsigned int len = 0;
                const char *bytes = hb_blob_get_data(blob, &len);
                char *file = g_strdup_printf("font_%u.%s", f->id, is_cff ? "otf" : "ttf");
                char *entry = g_strdup_printf("Doc_0/Res/%s", file);
                zip_add(&z, entry, bytes, len);
                g_string_append_printf(res, "<ofd:FontFile>%s</ofd:FontFile>", file);
                g_free(file);
                g_free(entry);
                hb_blob_destroy(blob);
                hb_face_destroy(sub);
            }
            g_string_append(res, "</ofd:Font>");
        }
        g_string_append(res, "</ofd:Fonts></ofd:Res>\n");
        for (guint i = 0; i < s->page_xml->len; i++) {
            char *entry = g_strdup_printf("Doc_0/Pages/Page_%u/Content.xml", i);
            zip_add_string(&z, entry, g_ptr_array_index(s->page_xml, i));
            g_free(entry);
        }
        zip_add_string(&z, "Doc_0/PublicRes.xml", res);
        g_string_assign(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Res " NS
                           " BaseLoc=\"Res\">");
        if (s->image_list->len > 0)
            g_string_append(x, "<ofd:MultiMedias>");
        for (guint i = 0; i < s->image_list->len; i++) {
            OfdImage *im = g_ptr_array_index(s->image_list, i);
            char *file = g_strdup_printf("image_%u.%s", im->id, im->jpeg ? "jpg" : "png");
            char *entry = g_strdup_printf("Doc_0/Res/%s", file);
            gsize len = 0;
            const void *bytes = g_bytes_get_data(im->data, &len);
            zip_add(&z, entry, bytes, len);
            g_string_append_printf(x, "<ofd:MultiMedia ID=\"%u\" Type=\"Image\" Format=\"%s\">"
                                      "<ofd:MediaFile>%s</ofd:MediaFile></ofd:MultiMedia>",
                                   im->id, im->jpeg ? "JPEG" : "PNG", file);
            g_free(file);
            g_free(entry);
        }
        if (s->image_list->len > 0)
            g_string_append(x, "</ofd:MultiMedias>");
        g_string_append(x, "</ofd:Res>\n");
        zip_add_string(&z, "Doc_0/DocumentRes.xml", x);
        g_string_assign(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Document " NS ">");
        g_string_append_printf(x, "<ofd:CommonData><ofd:MaxUnitID>%u</ofd:MaxUnitID>",
                               s->next_id - 1);
        g_string_append(x, "<ofd:PageArea><ofd:PhysicalBox>");
        put_box(x, 0, 0, um(s->width), um(s->height));
        g_string_append(x, "</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml"
                           "</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
                           "</ofd:CommonData><ofd:Pages>");
        for (guint i = 0; i < s->page_ids->len; i++)
            g_string_append_printf(x,
                                   "<ofd:Page ID=\"%u\" BaseLoc=\"Pages/Page_%u/Content.xml\"/>",
                                   g_array_index(s->page_ids, guint, i), i);
        g_string_append(x, "</ofd:Pages>");
        ofd_outline(s, x, pages);
        g_string_append(x, "</ofd:Document>\n");
        zip_add_string(&z, "Doc_0/Document.xml", x);
        /* DocID: stable for the same content */
        GChecksum *sum = g_checksum_new(G_CHECKSUM_MD5);
        g_checksum_update(sum, z.data->data, z.data->len);
        g_string_assign(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:OFD " NS
                           " Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo>");
        g_string_append_printf(x, "<ofd:DocID>%s</ofd:DocID>", g_checksum_get_string(sum));
        g_checksum_free(sum);
        if (pages->meta.title != NULL) {
            char *esc = g_markup_escape_text(pages->meta.title, -1);
            g_string_append_printf(x, "<ofd:Title>%s</ofd:Title>", esc);
            g_free(esc);
        }
        if (pages->meta.author != NULL) {
            char *esc = g_markup_escape_text(pages->meta.author, -1);
            g_string_append_printf(x, "<ofd:Author>%s</ofd:Author>", esc);
            g_free(esc);
        }
        if (pages->meta.subject != NULL) {
            char *esc = g_markup_escape_text(pages->meta.subject, -1);
            g_string_append_printf(x, "<ofd:Subject>%s</ofd:Subject>", esc);
            g_free(esc);
        }
        if (pages->meta.year > 0)
            g_string_append_printf(x, "<ofd:CreationDate>%04d-%02d-%02d</ofd:CreationDate>",
                                   pages->meta.year, pages->meta.month, pages->meta.day);
        if (pages->meta.keywords != NULL) {
            /* one Keyword for each of the comma-separated keywords */
            char **words = g_strsplit(pages->meta.keywords, ",", -1);
            gboolean any = FALSE;
            for (char **w = words; *w != NULL; w++) {
                g_strstrip(*w);
                if (**w == '\0')
                    continue;
                char *esc = g_markup_escape_text(*w, -1);
                g_string_append_printf(x, "%s<ofd:Keyword>%s</ofd:Keyword>",
                                       any ? "" : "<ofd:Keywords>", esc);
                g_free(esc);
                any = TRUE;
            }
            if (any)
                g_string_append(x, "</ofd:Keywords>");
            g_strfreev(words);
        }
        g_string_append(x, "<ofd:Creator>gongwen</ofd:Creator><ofd:CreatorVersion>"
                           GONGWEN_VERSION "</ofd:CreatorVersion></ofd:DocInfo>"
                           "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>"
                           "</ofd:OFD>\n");
        zip_add_string(&z, "OFD.xml", x);
        guint32 central_at = z.data->len;
        g_byte_array_append(z.data, z.central->data, z.central->len);
        le(z.data, 0x06054b50, 4), le(z.data, 0, 2), le(z.data, 0, 2);
        le(z.data, z.count, 2), le(z.data, z.count, 2), le(z.data, z.central->len, 4);
        le(z.data, central_at, 4), le(z.data, 0, 2);
        atomic_write_cb(s->out, z.data->data, z.data->len);
        ok = !s->out->failed;
        if (!ok)
            diag_set_error(error, GONGWEN_ERROR_IO, (DiagAt){s->out->path, 0, 0},
                           "cannot write the OFD: %s", g_strerror(s->out->write_errno));
        g_byte_array_free(z.data, TRUE);
        g_byte_array_free(z.central, TRUE);
        g_string_free(x, TRUE);
        g_string_free(res, TRUE);
    }
    if (s->out == &s->own) {
        if (ok)
            ok = atomic_commit(&s->own, error);
        else
            atomic_abort(&s->own);
    }
    for (guint i = 0; i < s->font_list->len; i++) {
        OfdFont *f = g_ptr_array_index(s->font_list, i);
        hb_face_destroy(f->face);
        hb_set_destroy(f->unicodes);
        hb_set_destroy(f->glyphs);
        g_free(f->name);
        g_free(f);
    }
    g_ptr_array_free(s->font_list, TRUE);
    for (guint i = 0; i < s->image_list->len; i++) {
        OfdImage *im = g_ptr_array_index(s->image_list, i);
        g_bytes_unref(im->data);
        g_free(im);
    }
    g_ptr_array_free(s->image_list, TRUE);
    g_hash_table_destroy(s->images);
    g_hash_table_destroy(s->fonts);
    for (guint i = 0; i < s->page_xml->len; i++)
        g_string_free(g_ptr_array_index(s->page_xml, i), TRUE);
    g_ptr_array_free(s->page_xml, TRUE);
    g_array_free(s->page_ids, TRUE);
    g_free(s);
    return ok;
}

const Backend backend_ofd = {"ofd", FALSE, FALSE, ofd_begin, ofd_page, ofd_end};
