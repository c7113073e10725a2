/* libFuzzer target: the source reader on any bytes. */
#include "source.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GError *error = NULL;
    Doc *doc = source_parse("fuzz/report.txt", (const char *)data, size, &error);
    if (doc != NULL) {
        char *dump = doc_dump(doc);
        g_free(dump);
    }
    doc_free(doc);
    g_clear_error(&error);
    return 0;
}
