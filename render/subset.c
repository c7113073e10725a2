/* gongwen: font subsets before cairo (see subset.h). */
#include "subset.h"

#include <cairo-ft.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>
#include <harfbuzz/hb-subset.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <stdlib.h>
#include <string.h>

struct FontSubsets {
    FT_Library library; /* one for the process: cairo may keep faces past a render */
    GHashTable *faces;  /* "file#index" -> FaceSubset* */
    GHashTable *scaled; /* PangoFont* -> cairo_scaled_font_t* (owned ref) */
};

typedef struct {
    hb_set_t *glyphs;          /* the glyph ids used */
    cairo_font_face_t *face;   /* the subset face, once made */
    gboolean failed;
    /* its data made ahead, in a thread (subset_ahead): owned until make_subset_face */
    gboolean made;
    hb_blob_t *made_data;
    hb_map_t *made_map;
} FaceSubset;

typedef struct {
    FT_Face face;
    hb_blob_t *data;
} FtData;

static void
face_subset_free(gpointer data)
{
    FaceSubset *s = data;
    hb_set_destroy(s->glyphs);
    hb_blob_destroy(s->made_data);
    hb_map_destroy(s->made_map);
    if (s->face != NULL)
        cairo_font_face_destroy(s->face);
    g_free(s);
}

/* "file#index" of a Pango font's face, owned, or NULL. */
static char *
face_key(PangoFont *font)
{
    if (!PANGO_IS_FC_FONT(font))
        return NULL;
    FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
    FcChar8 *file = NULL;
    int index = 0;
    if (FcPatternGetString(pattern, FC_FILE, 0, &file) != FcResultMatch)
        return NULL;
    FcPatternGetInteger(pattern, FC_INDEX, 0, &index);
    return g_strdup_printf("%s#%d", (const char *)file, index);
}

static void
collect(FontSubsets *s, const PageItem *item)
{
    PangoFont *font = item->run->item->analysis.font;
    char *key = face_key(font);
    if (key == NULL)
        return;
    FaceSubset *fs = g_hash_table_lookup(s->faces, key);
    if (fs == NULL) {
        fs = g_new0(FaceSubset, 1);
        fs->glyphs = hb_set_create();
        hb_set_add(fs->glyphs, 0); /* .notdef */
        g_hash_table_insert(s->faces, key, fs);
    } else {
        g_free(key);
    }
    const PangoGlyphString *g = item->run->glyphs;
    for (int i = 0; i < g->num_glyphs; i++)
        if (!(g->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            hb_set_add(fs->glyphs, g->glyphs[i].glyph);
    if (!g_hash_table_contains(s->scaled, font))
        g_hash_table_insert(s->scaled, g_object_ref(font), NULL);
}

static void
ft_data_free(void *data)
{
    FtData *d = data;
    FT_Done_Face(d->face);
    hb_blob_destroy(d->data);
    g_free(d);
}

/* Subset faces made in this process, by face and glyph set: a batch whose reports use the
 * same glyphs of a face (copies of one report, the reports of one agency) cuts it once, and
 * cairo keeps its glyphs' outlines with the face. Each document still gets exactly its own
 * glyphs, so a report's PDF is the same bytes alone or in a batch. Bounded: when full it is
 * emptied (faces in use stay alive by their references). */
#define SUBSET_CACHE_MAX 64
static GHashTable *subset_cache; /* "file#index:count:digest of the glyph ids" -> face */

static char *
cache_key(const char *key, const hb_set_t *glyphs)
{
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    for (hb_codepoint_t g = HB_SET_VALUE_INVALID; hb_set_next(glyphs, &g);) {
        guint32 v = GUINT32_TO_LE(g);
        g_checksum_update(sum, (const guchar *)&v, sizeof v);
    }
    char *out = g_strdup_printf("%s:%u:%s", key, hb_set_get_population(glyphs),
                                g_checksum_get_string(sum));
    g_checksum_free(sum);
    return out;
}

/* The user data of a subset face: its glyph ids by the original face's (hb_map_t). */
static const cairo_user_data_key_t glyph_map_key;

/* The face `key` cut down to `glyphs`, as font data (a new reference) and its glyph ids by
 * the original ids in `*map` (a new reference); NULL when it cannot be made. The glyphs
 * are renumbered from 0 in the order of their original ids: with the ids kept instead
 * (HB_SUBSET_FLAGS_RETAIN_GIDS) a CJK face's subset keeps CFF and metrics tables of all
 * its 65,535 glyphs, which HarfBuzz takes a third longer to write and cairo to read. */
static hb_blob_t *
subset_data(const char *key, const hb_set_t *glyphs, hb_map_t **map)
{
    const char *hash = strrchr(key, '#');
    char *file = g_strndup(key, (size_t)(hash - key));
    unsigned index = (unsigned)atoi(hash + 1);
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    g_free(file);
    if (blob == NULL)
        return NULL;
    hb_face_t *face = hb_face_create(blob, index);
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    hb_face_t *subset = NULL;
    if (input != NULL) {
        hb_set_union(hb_subset_input_glyph_set(input), glyphs);
        /* The PDF needs outlines and advances only: Pango has shaped with the whole font, so
         * the layout tables go, and with them the costly closure of the glyph set over GSUB;
         * so does cmap (cairo draws glyph ids and takes the text from the runs' clusters),
         * whose subset HarfBuzz builds from the whole map of a CJK face. */
        static const char *const drop[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH",
                                           "vhea", "vmtx", "VORG", "kern", "morx", "DSIG",
                                           "cmap"};
        hb_set_t *tags = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
        for (size_t i = 0; i < G_N_ELEMENTS(drop); i++)
            hb_set_add(tags, hb_tag_from_string(drop[i], -1));
        /* Subroutines inlined: the same outlines and hints, less work for HarfBuzz and
         * cairo (measured: 30 M instructions of the flagship's 1,004 M), and the fonts
         * cairo embeds from these subsets come out smaller (1.3 KB of its 428 KB). */
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NAME_LEGACY |
                                             HB_SUBSET_FLAGS_NOTDEF_OUTLINE |
                                             HB_SUBSET_FLAGS_DESUBROUTINIZE);
        hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(face, input);
        if (plan != NULL) {
            subset = hb_subset_plan_execute_or_fail(plan);
            if (subset != NULL)
                *map = hb_map_reference(
                    (hb_map_t *)hb_subset_plan_old_to_new_glyph_mapping(plan));
            hb_subset_plan_destroy(plan);
        }
        hb_subset_input_destroy(input);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    if (subset == NULL)
        return NULL;
    hb_blob_t *data = hb_face_reference_blob(subset);
    hb_face_destroy(subset);
    return data;
}

static cairo_font_face_t *make_subset_face(FontSubsets *s, const char *key, FaceSubset *fs);

/* A cairo face of the face `key` cut down to the document's glyphs (a new reference). */
static cairo_font_face_t *
make_face(FontSubsets *s, const char *key, FaceSubset *fs)
{
    char *ckey = cache_key(key, fs->glyphs);
    cairo_font_face_t *face = subset_cache != NULL ? g_hash_table_lookup(subset_cache, ckey)
                                                   : NULL;
    if (face != NULL) {
        g_free(ckey);
        return cairo_font_face_reference(face);
    }
    face = make_subset_face(s, key, fs);
    if (face == NULL) {
        g_free(ckey);
        return NULL;
    }
    if (subset_cache == NULL || g_hash_table_size(subset_cache) >= SUBSET_CACHE_MAX) {
        if (subset_cache != NULL)
            g_hash_table_destroy(subset_cache);
        subset_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)cairo_font_face_destroy);
    }
    g_hash_table_insert(subset_cache, ckey, cairo_font_face_reference(face));
    return face;
}

static cairo_font_face_t *
make_subset_face(FontSubsets *s, const char *key, FaceSubset *fs)
{
    hb_map_t *map = NULL;
    hb_blob_t *data = NULL;
    if (fs->made) {
        data = g_steal_pointer(&fs->made_data);
        map = g_steal_pointer(&fs->made_map);
    } else {
        data = subset_data(key, fs->glyphs, &map);
    }
    if (data == NULL) {
        hb_map_destroy(map);
        return NULL;
    }
    unsigned len = 0;
    const char *bytes = hb_blob_get_data(data, &len);
    FT_Face ft = NULL;
    if (len == 0 || FT_New_Memory_Face(s->library, (const FT_Byte *)bytes, (FT_Long)len, 0, &ft)) {
        hb_blob_destroy(data);
        hb_map_destroy(map);
        return NULL;
    }
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(ft, 0);
    if (cairo_font_face_set_user_data(cf, &glyph_map_key, map,
                                      (cairo_destroy_func_t)hb_map_destroy) !=
        CAIRO_STATUS_SUCCESS) {
        hb_map_destroy(map);
        cairo_font_face_destroy(cf);
        FT_Done_Face(ft);
        hb_blob_destroy(data);
        return NULL;
    }
    FtData *owner = g_new0(FtData, 1);
    owner->face = ft;
    owner->data = data;
    static const cairo_user_data_key_t ft_key;
    if (cairo_font_face_set_user_data(cf, &ft_key, owner, ft_data_free) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        ft_data_free(owner);
        return NULL;
    }
    return cf;
}

/* A scaled font of the subset face with the matrices and options of the original. */
static cairo_scaled_font_t *
make_scaled(FontSubsets *s, PangoFont *font)
{
    char *key = face_key(font);
    FaceSubset *fs = key != NULL ? g_hash_table_lookup(s->faces, key) : NULL;
    if (fs != NULL && fs->face == NULL && !fs->failed) {
        fs->face = make_face(s, key, fs);
        fs->failed = fs->face == NULL;
    }
    g_free(key);
    cairo_scaled_font_t *original = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font));
    if (fs == NULL || fs->face == NULL || original == NULL)
        return NULL;
    cairo_matrix_t font_matrix, ctm;
    cairo_scaled_font_get_font_matrix(original, &font_matrix);
    cairo_scaled_font_get_ctm(original, &ctm);
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_scaled_font_get_font_options(original, options);
    cairo_scaled_font_t *scaled = cairo_scaled_font_create(fs->face, &font_matrix, &ctm, options);
    cairo_font_options_destroy(options);
    if (cairo_scaled_font_status(scaled) != CAIRO_STATUS_SUCCESS) {
        cairo_scaled_font_destroy(scaled);
        return NULL;
    }
    return scaled;
}

FontSubsets *
font_subsets_begin(void)
{
    static gsize once;
    static FT_Library library;
    if (g_once_init_enter(&once)) {
        if (FT_Init_FreeType(&library) != 0)
            library = NULL;
        g_once_init_leave(&once, 1);
    }
    if (library == NULL)
        return NULL;
    FontSubsets *s = g_new0(FontSubsets, 1);
    s->library = library;
    s->faces = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, face_subset_free);
    /* the fonts are held, so that a second layout of the document (page_layout_stream
     * frees each page's lines once drawn) gets the same font objects from Pango */
    s->scaled = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref,
                                      (GDestroyNotify)cairo_scaled_font_destroy);
    return s;
}

void
font_subsets_collect(const Pages *pages, const Page *page, void *data)
{
    (void)pages;
    FontSubsets *s = data;
    for (guint k = 0; s != NULL && k < page->items->len; k++) {
        const PageItem *item = &g_array_index(page->items, PageItem, k);
        if (item->kind == PAGE_ITEM_GLYPHS)
            collect(s, item);
    }
}

typedef struct {
    const char *key; /* borrowed */
    FaceSubset *fs;
    GThread *thread;
} SubsetJob;

static gpointer
subset_job_run(gpointer data)
{
    SubsetJob *job = data;
    job->fs->made_data = subset_data(job->key, job->fs->glyphs, &job->fs->made_map);
    return NULL;
}

/* Cut the faces that no earlier document of the process has cut to the same glyphs down
 * at once, a thread each: HarfBuzz takes 15 ms for a Noto CJK face whatever its glyphs, and
 * the faces are independent (each thread reads its own copy of the font; the glyph sets are
 * not changed meanwhile). Their cairo faces are then made in order, as before. */
static void
subset_ahead(FontSubsets *s)
{
    GPtrArray *jobs = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, s->faces);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        FaceSubset *fs = value;
        if (fs->face != NULL || fs->failed || fs->made)
            continue;
        char *ckey = cache_key(key, fs->glyphs);
        gboolean cached = subset_cache != NULL && g_hash_table_contains(subset_cache, ckey);
        g_free(ckey);
        if (cached)
            continue;
        SubsetJob *job = g_new0(SubsetJob, 1);
        job->key = key;
        job->fs = fs;
        fs->made = TRUE;
        g_ptr_array_add(jobs, job);
    }
    for (guint i = 0; jobs->len > 1 && i < jobs->len; i++) {
        SubsetJob *job = g_ptr_array_index(jobs, i);
        job->thread = g_thread_try_new("gongwen-subset", subset_job_run, job, NULL);
    }
    for (guint i = 0; i < jobs->len; i++) {
        SubsetJob *job = g_ptr_array_index(jobs, i);
        if (job->thread != NULL)
            g_thread_join(job->thread);
        else
            subset_job_run(job);
    }
    g_ptr_array_free(jobs, TRUE);
}

void
font_subsets_finish(FontSubsets *s)
{
    if (s == NULL)
        return;
    subset_ahead(s);
    GPtrArray *fonts = g_ptr_array_new();
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, s->scaled);
    while (g_hash_table_iter_next(&it, &key, &value))
        if (value == NULL)
            g_ptr_array_add(fonts, key);
    for (guint i = 0; i < fonts->len; i++) {
        PangoFont *f = g_ptr_array_index(fonts, i);
        cairo_scaled_font_t *scaled = make_scaled(s, f);
        if (scaled != NULL)
            g_hash_table_insert(s->scaled, g_object_ref(f), scaled);
        else
            g_hash_table_remove(s->scaled, f);
    }
    g_ptr_array_free(fonts, TRUE);
}

void
font_subsets_free(FontSubsets *s)
{
    if (s == NULL)
        return;
    g_hash_table_destroy(s->scaled);
    g_hash_table_destroy(s->faces);
    g_free(s);
}

cairo_scaled_font_t *
font_subsets_lookup(FontSubsets *subsets, PangoFont *font)
{
    return subsets != NULL ? g_hash_table_lookup(subsets->scaled, font) : NULL;
}

unsigned long
font_subsets_glyph(cairo_scaled_font_t *subset, PangoGlyph glyph)
{
    const hb_map_t *map = cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(subset),
                                                        &glyph_map_key);
    hb_codepoint_t id = map != NULL ? hb_map_get(map, glyph) : HB_MAP_VALUE_INVALID;
    return id != HB_MAP_VALUE_INVALID ? id : 0;
}
