/* libFuzzer target: the whole layout of a small document (up to 4 KB of source), or of one
 * table (see fuzz_table). */
#include "page.h"
#include "report.h"
#include "tablefile.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Fonts *fonts;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fonts = fonts_new(NULL, NULL);
    return 0;
}

/* An input whose first byte is 0x01 is a table file: the next byte picks CSV or TSV, the
 * header rows, the type size asked for and whether landscape=auto; the rest is the file,
 * laid out as the only block of a document (column widths, sizes, row splits). */
static void
fuzz_table(const uint8_t *data, size_t size)
{
    static const int sizes[] = {14 * 1024, 12 * 1024, 10752, 9 * 1024, 7680};
    GError *error = NULL;
    Doc *doc = doc_new("fuzz/report.txt");
    gboolean csv = data[1] & 1;
    DocTable *table = table_parse(doc, csv ? "fuzz.csv" : "fuzz.tsv", (const char *)data + 2,
                                  size - 2, csv, (data[1] >> 1) % 4, &error);
    if (table != NULL) {
        table->size = sizes[(data[1] >> 3) % 5];
        table->min_size = 7680;
        table->landscape_auto = (data[1] >> 6) & 1;
        DocBlock block = {0};
        block.kind = DOC_BLOCK_TABLE;
        block.loc = (DocLoc){doc->path, 1, 1};
        block.text = doc_intern(doc, (data[1] >> 7) ? "表" : "", -1);
        block.table = table;
        doc_append(doc, &block);
        Pages *pages = page_layout(doc, fonts, &error);
        if (pages != NULL) {
            char *dump = pages_dump(pages);
            g_free(dump);
        }
        pages_free(pages);
    }
    g_clear_error(&error);
    doc_free(doc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fonts == NULL || size > 4096)
        return 0;
    if (size >= 2 && data[0] == 1) {
        fuzz_table(data, size);
        return 0;
    }
    GError *error = NULL;
    Report report;
    ReportOptions ro = {.shared_fonts = fonts, .lay_out = TRUE};
    if (report_parse(&report, "fuzz/report.txt", (const char *)data, size, &ro, &error)) {
        char *dump = pages_dump(report.pages);
        g_free(dump);
    }
    report_clear(&report);
    g_clear_error(&error);
    return 0;
}
