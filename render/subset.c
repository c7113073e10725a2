/* gongwen: font subsets for the PDF (see subset.h). */
#include "subset.h"

#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-font.h>
#include <glib.h>
#include <harfbuzz/hb-subset.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Subsets made in this process, by face and glyph set (subset.h); bounded: when full it is
 * emptied. Threads cut faces at once, so it is locked. */
#define SUBSET_CACHE_MAX 64

typedef struct {
    hb_blob_t *data;
    hb_map_t *map;
} CachedSubset;

static GHashTable *subset_cache; /* "file#index:count:digest of the glyph ids" -> CachedSubset */
static GMutex subset_lock;

static void
cached_subset_free(gpointer data)
{
    CachedSubset *c = data;
    hb_blob_destroy(c->data);
    hb_map_destroy(c->map);
    g_free(c);
}

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

/* The PDF needs outlines and advances only: Pango has shaped with the whole font, so the
 * layout tables go, and with them the costly closure of the glyph set over GSUB; so does
 * cmap (the PDF maps its own codes to glyphs and takes the text from the runs' clusters). */
static const char *const drop[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "vhea",
                                   "vmtx", "VORG", "kern", "morx", "DSIG", "cmap"}; /* last */

typedef struct {
    void *map;
    size_t len;
} Mapping;

static void
unmap(void *data)
{
    Mapping *m = data;
    munmap(m->map, m->len);
    g_free(m);
}

static guint32
be32(const guint8 *p)
{
    return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

/* The font file with the tables `drop` of face `index` emptied: mapped copy-on-write, the
 * lengths in the face's table directory set to 0, so that only that page is copied. Told
 * to leave these tables out, HarfBuzz still reads some of them to plan the subset: with a
 * glyph set it maps every character of the cmap (a CJK face's 30,000 and more), which was
 * 10 of the 17 ms a Noto CJK face took to plan. Falls back to the file as it is. */
static hb_blob_t *
font_file_without(const char *file, unsigned index, const char *const *tags, size_t n_tags)
{
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    guint8 *m = MAP_FAILED;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size >= 12)
        m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (fd >= 0)
        close(fd);
    if (m == MAP_FAILED)
        return hb_blob_create_from_file_or_fail(file);
    size_t len = (size_t)st.st_size, dir = 0;
    if (be32(m) == 0x74746366) /* 'ttcf': the face's own table directory */
        dir = 12 + 4 * (size_t)index + 4 <= len ? be32(m + 12 + 4 * index) : len;
    guint n = dir + 6 <= len ? (guint)(m[dir + 4] << 8 | m[dir + 5]) : 0;
    for (guint i = 0; i < n && dir + 12 + 16 * (size_t)(i + 1) <= len; i++) {
        guint8 *record = m + dir + 12 + 16 * (size_t)i;
        for (size_t k = 0; k < n_tags; k++)
            if (be32(record) == hb_tag_from_string(tags[k], -1))
                memset(record + 12, 0, 4);
    }
    Mapping *owner = g_new(Mapping, 1);
    owner->map = m;
    owner->len = len;
    return hb_blob_create_or_fail((const char *)m, (unsigned)len, HB_MEMORY_MODE_READONLY,
                                  owner, unmap);
}

/* The face `key` cut down to `glyphs`, as font data (a new reference) and its glyph ids by
 * the original ids in `*map` (a new reference); NULL when it cannot be made. The glyphs
 * are renumbered from 0 in the order of their original ids: with the ids kept instead
 * (HB_SUBSET_FLAGS_RETAIN_GIDS) a CJK face's subset keeps CFF and metrics tables of all
 * its 65,535 glyphs, which HarfBuzz takes a third longer to write and cairo to read. */
static hb_blob_t *
subset_data(const char *key, const hb_set_t *glyphs, const hb_set_t *unicodes, hb_map_t **map)
{
    /* with the text's characters (an OFD), the cmap stays: readers find glyphs by it */
    size_t n_drop = G_N_ELEMENTS(drop) - (unicodes != NULL ? 1 : 0);
    const char *hash = strrchr(key, '#');
    char *file = g_strndup(key, (size_t)(hash - key));
    unsigned index = (unsigned)atoi(hash + 1);
    hb_blob_t *blob = font_file_without(file, index, drop, n_drop);
    g_free(file);
    if (blob == NULL)
        return NULL;
    hb_face_t *face = hb_face_create(blob, index);
    hb_subset_input_t *input = hb_subset_input_create_or_fail();
    hb_face_t *subset = NULL;
    if (input != NULL) {
        if (glyphs != NULL)
            hb_set_union(hb_subset_input_glyph_set(input), glyphs);
        if (unicodes != NULL)
            hb_set_union(hb_subset_input_unicode_set(input), unicodes);
        hb_set_t *tags = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
        for (size_t i = 0; i < n_drop; i++)
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

hb_blob_t *
font_subset_data(const char *key, const hb_set_t *glyphs, hb_map_t **map)
{
    char *ckey = cache_key(key, glyphs);
    g_mutex_lock(&subset_lock);
    CachedSubset *c = subset_cache != NULL ? g_hash_table_lookup(subset_cache, ckey) : NULL;
    if (c != NULL) {
        hb_blob_t *data = hb_blob_reference(c->data);
        *map = hb_map_reference(c->map);
        g_mutex_unlock(&subset_lock);
        g_free(ckey);
        return data;
    }
    g_mutex_unlock(&subset_lock);
    hb_blob_t *data = subset_data(key, glyphs, NULL, map);
    if (data == NULL) {
        g_free(ckey);
        return NULL;
    }
    c = g_new0(CachedSubset, 1);
    c->data = hb_blob_reference(data);
    c->map = hb_map_reference(*map);
    g_mutex_lock(&subset_lock);
    if (subset_cache == NULL || g_hash_table_size(subset_cache) >= SUBSET_CACHE_MAX) {
        if (subset_cache != NULL)
            g_hash_table_destroy(subset_cache);
        subset_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cached_subset_free);
    }
    g_hash_table_replace(subset_cache, ckey, c);
    g_mutex_unlock(&subset_lock);
    return data;
}

hb_blob_t *
font_subset_text(const char *key, const hb_set_t *unicodes)
{
    hb_map_t *map = NULL;
    hb_blob_t *data = subset_data(key, NULL, unicodes, &map);
    hb_map_destroy(map);
    return data;
}

char *
font_face_key(PangoFont *font)
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
