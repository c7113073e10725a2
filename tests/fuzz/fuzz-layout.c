/* libFuzzer target: the whole layout of a small document (up to 4 KB of source). */
#include "page.h"
#include "source.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fonts == NULL || size > 4096)
        return 0;
    GError *error = NULL;
    Doc *doc = source_parse("fuzz/report.txt", (const char *)data, size, &error);
    if (doc != NULL && page_check_fonts(doc, fonts, NULL, &error)) {
        Pages *pages = page_layout(doc, fonts, &error);
        if (pages != NULL) {
            char *dump = pages_dump(pages);
            g_free(dump);
        }
        pages_free(pages);
    }
    doc_free(doc);
    g_clear_error(&error);
    return 0;
}
