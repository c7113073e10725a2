/* gongwen: the document model (Doc): arena, blocks, warnings, the doc dump and sections. */
#include "doc.h"
#include "diag.h"

#include <string.h>

static void doc_table_free(gpointer data);

Doc *
doc_new(const char *path)
{
    g_return_val_if_fail(path != NULL, NULL);
    Doc *doc = g_new0(Doc, 1);
    doc->strings = g_string_chunk_new(4096);
    doc->block_array = g_array_new(FALSE, TRUE, sizeof(DocBlock));
    doc->item_lists = g_ptr_array_new_with_free_func(g_free);
    doc->tables = g_ptr_array_new_with_free_func(doc_table_free);
    doc->charts = g_ptr_array_new_with_free_func(g_free);
    doc->warnings = diag_list_new();
    doc->keys = g_array_new(FALSE, FALSE, sizeof(DocKey));
    doc->path = g_string_chunk_insert(doc->strings, path);
    doc->profile = profile_new();
    return doc;
}

void
doc_free(Doc *doc)
{
    if (doc == NULL)
        return;
    g_ptr_array_unref(doc->warnings);
    g_array_unref(doc->keys);
    g_ptr_array_unref(doc->item_lists);
    g_ptr_array_unref(doc->tables);
    g_ptr_array_unref(doc->charts);
    g_array_unref(doc->block_array);
    g_string_chunk_free(doc->strings);
    profile_free(doc->profile);
    g_free(doc);
}

const char *
doc_intern(Doc *doc, const char *text, gssize len)
{
    g_return_val_if_fail(doc != NULL && text != NULL, NULL);
    if (len < 0)
        return g_string_chunk_insert(doc->strings, text);
    return g_string_chunk_insert_len(doc->strings, text, len);
}

DocBlock *
doc_append(Doc *doc, const DocBlock *block)
{
    g_return_val_if_fail(doc != NULL && block != NULL, NULL);
    g_array_append_vals(doc->block_array, block, 1);
    doc->blocks = (DocBlock *)(void *)doc->block_array->data;
    doc->n_blocks = doc->block_array->len;
    return &doc->blocks[doc->n_blocks - 1];
}

DocLoc
doc_key_loc(const Doc *doc, const char *key)
{
    for (guint k = 0; k < doc->keys->len; k++) {
        const DocKey *dk = &g_array_index(doc->keys, DocKey, k);
        if (g_str_equal(dk->key, key))
            return dk->loc;
    }
    DocLoc first = {doc->path, 1, 1};
    return first;
}

void
doc_warn(Doc *doc, DocLoc loc, const char *format, ...)
{
    g_return_if_fail(doc != NULL && format != NULL);
    va_list args;
    va_start(args, format);
    char *message = g_strdup_vprintf(format, args);
    va_end(args);
    if (loc.file == NULL)
        loc.file = doc->path;
    diag_add(doc->warnings, DIAG_WARNING, loc, "%s", message);
    g_free(message);
}

const char **
doc_intern_items(Doc *doc, const char *const *items, size_t n)
{
    g_return_val_if_fail(doc != NULL, NULL);
    if (n == 0)
        return NULL;
    const char **list = g_new0(const char *, n + 1);
    for (size_t i = 0; i < n; i++)
        list[i] = items[i];
    g_ptr_array_add(doc->item_lists, list);
    return list;
}

const char *
doc_block_kind_name(DocBlockKind kind)
{
    switch (kind) {
    case DOC_BLOCK_TITLE:
        return "title";
    case DOC_BLOCK_HEADING:
        return "heading";
    case DOC_BLOCK_PARAGRAPH:
        return "paragraph";
    case DOC_BLOCK_ATTACHMENT_NOTE:
        return "attachment-note";
    case DOC_BLOCK_SIGNATURE:
        return "signature";
    case DOC_BLOCK_DATE:
        return "date";
    case DOC_BLOCK_ATTACHMENT:
        return "attachment";
    case DOC_BLOCK_PAGE_BREAK:
        return "page-break";
    case DOC_BLOCK_TABLE:
        return "table";
    case DOC_BLOCK_CHART:
        return "chart";
    case DOC_BLOCK_CAPTION:
        return "caption";
    case DOC_BLOCK_FIGURE:
        return "figure";
    case DOC_BLOCK_ADDRESSEE:
        return "addressee";
    case DOC_BLOCK_ISSUED:
        return "issued";
    case DOC_BLOCK_CHAPTER:
        return "chapter";
    case DOC_BLOCK_SECTION:
        return "section";
    case DOC_BLOCK_ARTICLE:
        return "article";
    case DOC_BLOCK_ITEM:
        return "item";
    case DOC_BLOCK_SUBTITLE:
        return "subtitle";
    case DOC_BLOCK_AUTHOR:
        return "author";
    case DOC_BLOCK_SALUTATION:
        return "salutation";
    case DOC_BLOCK_RIGHT:
        return "right";
    }
    return "unknown";
}

/* ---- the dump ---------------------------------------------------------------------------- */

/* Append ` key="text"` with `"`, `\` and control characters escaped. */
static void
dump_quoted(GString *out, const char *key, const char *text, gssize len)
{
    if (*key != '\0')
        g_string_append_printf(out, " %s=\"", key);
    else
        g_string_append(out, " \"");
    if (len < 0)
        len = (gssize)strlen(text);
    for (gssize i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", c);
        else if (c == '\t')
            g_string_append(out, "\\t");
        else if (c < 0x20 || c == 0x7f)
            g_string_append_printf(out, "\\x%02x", c);
        else
            g_string_append_c(out, (char)c);
    }
    g_string_append_c(out, '"');
}

/* `meta key="value"`, nothing when value is NULL; a path by its file name alone (dumps
 * are compared across machines). */
static void
dump_meta_line(GString *out, const char *key, const char *value, gboolean basename)
{
    if (value == NULL)
        return;
    char *base = basename ? g_path_get_basename(value) : NULL;
    g_string_append(out, "meta");
    dump_quoted(out, key, base != NULL ? base : value, -1);
    g_string_append_c(out, '\n');
    g_free(base);
}

static void
dump_meta(GString *out, const Doc *doc)
{
    g_string_append(out, "meta");
    dump_quoted(out, "path", doc->path, -1);
    g_string_append_c(out, '\n');
    const char *names[] = {"title", "issuer", "subject", "keywords"};
    const char *values[] = {doc->title, doc->issuer, doc->subject, doc->keywords};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_string_append(out, "meta");
        if (values[i] != NULL)
            dump_quoted(out, names[i], values[i], -1);
        else
            g_string_append_printf(out, " %s=none", names[i]);
        g_string_append_c(out, '\n');
    }
    if (doc->year != 0)
        g_string_append_printf(out, "meta date=%d-%d-%d\n", doc->year, doc->month, doc->day);
    else
        g_string_append(out, "meta date=none\n");
    g_string_append_printf(out, "meta sealed=%s\n", doc->sealed ? "yes" : "no");
    /* the 版头 and 版记, only when given */
    const char *extra_names[] = {"copy", "secrecy", "urgency", "organ-suffix", "number", "cc",
                                 "printer", "printed"};
    const char *extra[] = {doc->copy_number, doc->secrecy, doc->urgency, doc->organ_suffix,
                           doc->doc_number, doc->cc, doc->printer, doc->printed};
    for (size_t i = 0; i < G_N_ELEMENTS(extra); i++)
        dump_meta_line(out, extra_names[i], extra[i], FALSE);
    for (size_t i = 0; i < doc->n_organs; i++)
        dump_meta_line(out, "organ", doc->organs[i], FALSE);
    for (size_t i = 0; i < doc->n_signers; i++)
        dump_meta_line(out, "signer", doc->signers[i], FALSE);
    for (size_t i = 0; i < doc->n_seals; i++)
        dump_meta_line(out, "seal", doc->seals[i], TRUE);
    if (doc->preprinted)
        g_string_append(out, "meta letterhead=preprinted\n");
    dump_meta_line(out, "profile", doc->profile->path, TRUE);
    for (size_t i = 0; i < doc->n_fonts; i++)
        g_string_append_printf(out, "meta font.%s=\"%s\" %d:%d\n", doc->fonts[i].role,
                               doc->fonts[i].family, doc->fonts[i].loc.line,
                               doc->fonts[i].loc.col);
    g_string_append_printf(out, "meta blocks=%zu warnings=%u\n", doc->n_blocks, doc->warnings->len);
}

static void
dump_heading(GString *out, const DocBlock *block)
{
    size_t len = strlen(block->text);
    g_string_append_printf(out, " level=%d", block->level);
    dump_quoted(out, "number", block->number != NULL ? block->number : "", -1);
    g_string_append_printf(out, " value=%d", block->number_value);
    if (block->head_len >= len) {
        dump_quoted(out, "text", block->text, -1);
        return;
    }
    g_string_append(out, " run-in");
    dump_quoted(out, "head", block->text, (gssize)block->head_len);
    dump_quoted(out, "rest", block->text + block->head_len, -1);
}

/* A chapter, section, article or item: ` level=N` (items), the numbering and its value. */
static void
dump_ordinal(GString *out, const DocBlock *block)
{
    if (block->kind == DOC_BLOCK_ITEM)
        g_string_append_printf(out, " level=%d", block->level);
    dump_quoted(out, "number", block->number != NULL ? block->number : "", -1);
    g_string_append_printf(out, " value=%d", block->number_value);
    dump_quoted(out, "text", block->text, -1);
}

/* A table: its shape on the block's line, then one line per row with each anchor cell as
 * text (or text@ROWSxCOLS when merged); covered cells print as ~. */
static void
dump_table(GString *out, const DocBlock *block)
{
    const DocTable *t = block->table;
    g_string_append_printf(out, " rows=%zu cols=%zu header=%zu size=%d numeric=", t->n_rows,
                           t->n_cols, t->header_rows, t->size / 1024);
    for (size_t c = 0; c < t->n_cols; c++)
        g_string_append_c(out, t->numeric[c] ? 'n' : '-');
    if (t->landscape)
        g_string_append(out, " landscape");
    if (t->landscape_auto)
        g_string_append(out, " landscape=auto");
    if (t->min_size > 0)
        g_string_append_printf(out, " min-size=%g", t->min_size / 1024.0);
    if (t->widths != NULL) {
        g_string_append(out, " widths=");
        for (size_t c = 0; c < t->n_cols; c++)
            g_string_append_printf(out, "%s%g%s", c > 0 ? "," : "",
                                   t->widths[c].fixed > 0 ? t->widths[c].fixed * 25.4 / 72 / 1024
                                                          : t->widths[c].share,
                                   t->widths[c].fixed > 0 ? "mm" : "");
    }
    if (t->form != NULL)
        g_string_append_printf(out, " form=%s", t->form);
    if (t->blank_error)
        g_string_append(out, " blank=error");
    dump_quoted(out, "file", t->file, -1);
    dump_quoted(out, "title", block->text, -1);
    for (size_t r = 0; r < t->n_rows; r++) {
        g_string_append_printf(out, "\n  %s%zu:",
                               r < t->header_rows                          ? "h"
                               : t->subhead != NULL && t->subhead[r] ? "s"
                                                                           : "r",
                               r + 1);
        for (size_t c = 0; c < t->n_cols; c++) {
            const DocCell *cell = doc_table_cell(t, r, c);
            if (cell->row_span == 0) {
                g_string_append(out, " ~");
                continue;
            }
            dump_quoted(out, "", cell->text, -1);
            if (cell->row_span > 1 || cell->col_span > 1)
                g_string_append_printf(out, "@%dx%d", cell->row_span, cell->col_span);
        }
        if (t->min_lines != NULL && t->min_lines[r] > 0)
            g_string_append_printf(out, " height=%d", t->min_lines[r]);
    }
}

/* An issued document: its number and title, then the title's lines as set. */
static void
dump_issued(GString *out, const DocBlock *block)
{
    g_string_append_printf(out, " number=%d", block->level);
    dump_quoted(out, "title", block->text, -1);
    g_string_append_printf(out, " lines=%zu", block->n_items);
    for (size_t i = 0; i < block->n_items; i++) {
        char key[32];
        g_snprintf(key, sizeof key, "line%zu", i + 1);
        dump_quoted(out, key, block->items[i], -1);
    }
}

static void
dump_block(GString *out, const DocBlock *block)
{
    g_string_append_printf(out, "%s %d:%d", doc_block_kind_name(block->kind), block->loc.line,
                           block->loc.col);
    switch (block->kind) {
    case DOC_BLOCK_HEADING:
        dump_heading(out, block);
        break;
    case DOC_BLOCK_CHAPTER:
    case DOC_BLOCK_SECTION:
    case DOC_BLOCK_ARTICLE:
    case DOC_BLOCK_ITEM:
        dump_ordinal(out, block);
        break;
    case DOC_BLOCK_ATTACHMENT_NOTE:
        g_string_append_printf(out, " items=%zu", block->n_items);
        for (size_t i = 0; i < block->n_items; i++) {
            char key[32];
            g_snprintf(key, sizeof key, "item%zu", i + 1);
            dump_quoted(out, key, block->items[i], -1);
        }
        dump_quoted(out, "text", block->text, -1);
        break;
    case DOC_BLOCK_DATE:
        g_string_append_printf(out, " date=%d-%d-%d", block->year, block->month, block->day);
        dump_quoted(out, "text", block->text, -1);
        break;
    case DOC_BLOCK_ATTACHMENT:
        g_string_append_printf(out, " number=%d", block->level);
        dump_quoted(out, "title", block->text, -1);
        break;
    case DOC_BLOCK_PAGE_BREAK:
        break;
    case DOC_BLOCK_ISSUED:
        dump_issued(out, block);
        break;
    case DOC_BLOCK_RIGHT:
        g_string_append_printf(out, " space=%d", block->level);
        dump_quoted(out, "text", block->text, -1);
        break;
    case DOC_BLOCK_TABLE:
        dump_table(out, block);
        break;
    case DOC_BLOCK_FIGURE:
        dump_quoted(out, "file", block->file, -1);
        dump_quoted(out, "caption", block->text, -1);
        break;
    case DOC_BLOCK_CHART:
        g_string_append_printf(out, " kind=%s", doc_chart_kind_name(block->chart->kind));
        if (block->chart->unit != NULL)
            dump_quoted(out, "unit", block->chart->unit, -1);
        if (block->chart->color)
            g_string_append(out, " palette=color");
        dump_quoted(out, "caption", block->text, -1);
        dump_table(out, &(DocBlock){.text = "", .table = block->chart->table});
        break;
    default:
        dump_quoted(out, "text", block->text, -1);
        break;
    }
    g_string_append_c(out, '\n');
}

static void
doc_table_free(gpointer data)
{
    DocTable *table = data;
    g_free(table->cells);
    g_free(table->numeric);
    g_free(table->widths);
    g_free(table->min_lines);
    g_free(table->subhead);
    g_free(table);
}

DocTable *
doc_new_table(Doc *doc, size_t n_rows, size_t n_cols)
{
    g_return_val_if_fail(n_rows > 0 && n_cols > 0 && n_rows <= G_MAXSIZE / n_cols, NULL);
    DocTable *table = g_new0(DocTable, 1);
    table->n_rows = n_rows;
    table->n_cols = n_cols;
    table->cells = g_new0(DocCell, n_rows * n_cols);
    table->numeric = g_new0(gboolean, n_cols);
    for (size_t i = 0; i < n_rows * n_cols; i++) {
        table->cells[i].text = "";
        table->cells[i].row_span = table->cells[i].col_span = 1;
        table->cells[i].anchor = i;
    }
    g_ptr_array_add(doc->tables, table);
    return table;
}

DocCell *
doc_table_cell(const DocTable *table, size_t row, size_t col)
{
    g_return_val_if_fail(row < table->n_rows && col < table->n_cols, NULL);
    return &table->cells[row * table->n_cols + col];
}

DocChart *
doc_new_chart(Doc *doc)
{
    DocChart *chart = g_new0(DocChart, 1);
    g_ptr_array_add(doc->charts, chart);
    return chart;
}

const char *
doc_chart_kind_name(DocChartKind kind)
{
    static const char *const names[] = {"bar", "hbar", "stacked", "pie", "donut", "line"};
    return (size_t)kind < G_N_ELEMENTS(names) ? names[kind] : "unknown";
}

char *
doc_dump(const Doc *doc)
{
    g_return_val_if_fail(doc != NULL, NULL);
    GString *out = g_string_new(NULL);
    dump_meta(out, doc);
    for (size_t i = 0; i < doc->n_blocks; i++)
        dump_block(out, &doc->blocks[i]);
    for (guint i = 0; i < doc->warnings->len; i++) {
        char *line = diag_format(g_ptr_array_index(doc->warnings, i));
        g_string_append_printf(out, "%s\n", line);
        g_free(line);
    }
    return g_string_free(out, FALSE);
}

/* ---- parts: the notice and its issued documents ------------------------------------------ */

size_t
doc_part_first(const Doc *doc, size_t index)
{
    g_return_val_if_fail(doc != NULL && index <= doc->n_blocks, 0);
    while (index > 0 && (index == doc->n_blocks || doc->blocks[index].kind != DOC_BLOCK_ISSUED))
        index--;
    return index;
}

size_t
doc_part_end(const Doc *doc, size_t index)
{
    g_return_val_if_fail(doc != NULL && index <= doc->n_blocks, 0);
    for (size_t i = index + 1; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == DOC_BLOCK_ISSUED)
            return i;
    return doc->n_blocks;
}

size_t
doc_part_attachments(const Doc *doc, size_t index)
{
    size_t n = 0;
    for (size_t i = doc_part_first(doc, index), end = doc_part_end(doc, index); i < end; i++)
        n += doc->blocks[i].kind == DOC_BLOCK_ATTACHMENT;
    return n;
}

const DocBlock *
doc_part_note(const Doc *doc, size_t index)
{
    const DocBlock *note = NULL;
    for (size_t i = doc_part_first(doc, index), end = doc_part_end(doc, index); i < end; i++)
        if (doc->blocks[i].kind == DOC_BLOCK_ATTACHMENT_NOTE)
            note = &doc->blocks[i];
    return note;
}

/* ---- sections ---------------------------------------------------------------------------- */

typedef struct {
    char *name;          /* "title", "3", "attachment2" */
    const char *heading; /* borrowed: the heading or attachment title */
    const DocBlock *block;
    DocSection range;
} SectionInfo;

static void
section_info_clear(gpointer data)
{
    SectionInfo *info = data;
    g_free(info->name);
}

/* The end of the notice's text: its first attachment or issued document. */
static size_t
first_attachment(const Doc *doc)
{
    for (size_t i = 0; i < doc->n_blocks; i++)
        if (doc->blocks[i].kind == DOC_BLOCK_ATTACHMENT || doc->blocks[i].kind == DOC_BLOCK_ISSUED)
            return i;
    return doc->n_blocks;
}

static size_t
count_attachments(const Doc *doc)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks; i++)
        n += doc->blocks[i].kind == DOC_BLOCK_ATTACHMENT;
    return n;
}

static void
add_section(GArray *sections, char *name, const DocBlock *block, const char *heading, size_t first)
{
    SectionInfo info = {name, heading, block, {first, first}};
    /* The previous section ends where this one begins. */
    if (sections->len > 0)
        g_array_index(sections, SectionInfo, sections->len - 1).range.last = first;
    g_array_append_val(sections, info);
}

/* An issued document's section: "issued", or "issuedN" when there are several. */
static char *
issued_section_name(const Doc *doc, const DocBlock *block)
{
    size_t n = 0;
    for (size_t i = 0; i < doc->n_blocks; i++)
        n += doc->blocks[i].kind == DOC_BLOCK_ISSUED;
    return n == 1 ? g_strdup("issued") : g_strdup_printf("issued%d", block->level);
}

/* The sections in order: title, one per level-1 heading, one per issued document and one
 * per attachment. */
static GArray *
collect_sections(const Doc *doc)
{
    GArray *sections = g_array_new(FALSE, TRUE, sizeof(SectionInfo));
    g_array_set_clear_func(sections, section_info_clear);
    size_t main_end = first_attachment(doc);
    size_t n_attachments = count_attachments(doc);
    const char *title = doc->title != NULL ? doc->title : "";
    add_section(sections, g_strdup("title"), NULL, title, 0);
    for (size_t i = 0; i < main_end; i++) {
        const DocBlock *block = &doc->blocks[i];
        if (block->kind == DOC_BLOCK_HEADING && block->level == 1)
            add_section(sections,
                        block->number_value > 0 ? g_strdup_printf("%d", block->number_value)
                                                : g_strdup(block->text),
                        block, block->text, i);
    }
    for (size_t i = main_end; i < doc->n_blocks; i++) {
        const DocBlock *block = &doc->blocks[i];
        if (block->kind == DOC_BLOCK_ISSUED) {
            add_section(sections, issued_section_name(doc, block), block, block->text, i);
            continue;
        }
        if (block->kind != DOC_BLOCK_ATTACHMENT)
            continue;
        size_t in_part = doc_part_attachments(doc, i);
        char *name = in_part == 1 ? g_strdup("attachment")
                                  : g_strdup_printf("attachment%d", block->level);
        if (n_attachments > in_part) {
            /* attachments in several parts: those of issued document N are issuedN-… */
            size_t first = doc_part_first(doc, i);
            if (doc->blocks[first].kind == DOC_BLOCK_ISSUED) {
                char *part = g_strdup_printf("issued%d-%s", doc->blocks[first].level, name);
                g_free(name);
                name = part;
            }
        }
        add_section(sections, name, block, block->text[0] != '\0' ? block->text : "附件", i);
    }
    g_array_index(sections, SectionInfo, sections->len - 1).range.last = doc->n_blocks;
    return sections;
}

static char *
list_sections(GArray *sections)
{
    GString *out = g_string_new(NULL);
    for (guint i = 0; i < sections->len; i++) {
        const SectionInfo *info = &g_array_index(sections, SectionInfo, i);
        g_string_append_printf(out, "  %-12s %s\n", info->name, info->heading);
    }
    return g_string_free(out, FALSE);
}

char *
doc_list_sections(const Doc *doc)
{
    g_return_val_if_fail(doc != NULL, NULL);
    GArray *sections = collect_sections(doc);
    char *text = list_sections(sections);
    g_array_unref(sections);
    return text;
}

/* The value of an Arabic number "3", or 0. */
static int
arabic_value(const char *text)
{
    guint64 value = 0;
    if (!g_ascii_string_to_unsigned(text, 10, 1, 999, &value, NULL))
        return 0;
    return (int)value;
}

/* Is `name` the heading's number, with or without its "、" ("三" or "三、")? */
static gboolean
is_heading_number(const DocBlock *block, const char *name)
{
    size_t len = strlen(name);
    if (strncmp(block->number, name, len) != 0)
        return FALSE;
    const char *rest = block->number + len;
    return *rest == '\0' || g_str_equal(rest, "、");
}

/* Does section `info` answer to `name`? Exact matches only. */
static gboolean
section_matches(const SectionInfo *info, const char *name, int number)
{
    if (g_strcmp0(info->name, name) == 0)
        return TRUE;
    if (info->block == NULL)
        return g_strcmp0(name, "标题") == 0;
    if (info->block->kind == DOC_BLOCK_ISSUED)
        return g_strcmp0(info->block->text, name) == 0 ||
               g_strcmp0(info->block->items[0], name) == 0;
    if (info->block->kind == DOC_BLOCK_ATTACHMENT) {
        char *alias = g_strdup_printf("attachment%d", info->block->level);
        char *chinese = g_strdup_printf("附件%d", info->block->level);
        gboolean hit = g_strcmp0(alias, name) == 0 || g_strcmp0(chinese, name) == 0 ||
                       (g_strcmp0(name, "附件") == 0 && g_str_equal(info->name, "attachment")) ||
                       g_strcmp0(info->block->text, name) == 0;
        g_free(alias);
        g_free(chinese);
        return hit;
    }
    if (number > 0 && info->block->number_value == number)
        return TRUE;
    if (is_heading_number(info->block, name))
        return TRUE;
    const char *bare = info->block->text + strlen(info->block->number);
    return g_strcmp0(info->block->text, name) == 0 || g_strcmp0(bare, name) == 0;
}

static gboolean
section_has_prefix(const SectionInfo *info, const char *name)
{
    if (info->block == NULL)
        return FALSE;
    if (g_str_has_prefix(info->heading, name))
        return TRUE;
    if (info->block->kind != DOC_BLOCK_HEADING)
        return FALSE;
    return g_str_has_prefix(info->block->text + strlen(info->block->number), name);
}

/* Index of the one section matching `name`; -1 when none, -2 when several. */
static gssize
match_sections(GArray *sections, const char *name)
{
    int number = arabic_value(name);
    gssize found = -1;
    for (guint pass = 0; pass < 2 && found == -1; pass++) {
        for (guint i = 0; i < sections->len; i++) {
            const SectionInfo *info = &g_array_index(sections, SectionInfo, i);
            gboolean hit =
                pass == 0 ? section_matches(info, name, number) : section_has_prefix(info, name);
            if (!hit)
                continue;
            if (found >= 0)
                return -2;
            found = (gssize)i;
        }
    }
    return found;
}

gboolean
doc_find_section(const Doc *doc, const char *name, DocSection *out, GError **error)
{
    g_return_val_if_fail(doc != NULL && name != NULL && out != NULL, FALSE);
    char *wanted = g_strstrip(g_strdup(name));
    GArray *sections = collect_sections(doc);
    gssize index = wanted[0] != '\0' ? match_sections(sections, wanted) : -1;
    gboolean ok = index >= 0;
    if (ok) {
        *out = g_array_index(sections, SectionInfo, index).range;
    } else {
        char *list = g_strchomp(list_sections(sections));
        diag_set_error(error, GONGWEN_ERROR_SECTION, (DiagAt){doc->path, 0, 0},
                       "%s section \"%s\"; the sections are:\n%s", index == -2 ? "ambiguous" : "no",
                       wanted, list);
        g_free(list);
    }
    g_array_unref(sections);
    g_free(wanted);
    return ok;
}
