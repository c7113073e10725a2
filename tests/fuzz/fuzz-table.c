/* libFuzzer target: the table and chart file reader on any bytes. The first byte picks CSV
 * or TSV, the number of header rows and the chart kind checked. */
#include "chart.h"
#include "tablefile.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    Doc *doc = doc_new("fuzz/report.txt");
    GError *error = NULL;
    gboolean csv = data[0] & 1;
    size_t header = (data[0] >> 1) % 4;
    DocTable *table = table_parse(doc, csv ? "fuzz.csv" : "fuzz.tsv", (const char *)data + 1,
                                  size - 1, csv, header, &error);
    g_clear_error(&error);
    if (table != NULL) {
        DocChart chart = {(DocChartKind)((data[0] >> 3) % 6), table, NULL, FALSE};
        chart_check_data(&chart, &error);
        g_clear_error(&error);
        char *dump = doc_dump(doc);
        g_free(dump);
    }
    doc_free(doc);
    return 0;
}
