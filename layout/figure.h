/* gongwen: images for @figure. The file's bytes are kept as they are: a JPEG goes into the
 * PDF unchanged (render/ attaches them as cairo mime data), a PNG is decoded by cairo. */
#ifndef GONGWEN_FIGURE_H
#define GONGWEN_FIGURE_H

#include "doc.h"

#include <glib.h>

#define FIGURE_MAX_BYTES (32u * 1024u * 1024u)
#define FIGURE_MAX_PIXELS (40u * 1000u * 1000u)

typedef struct {
    GBytes *data;   /* the file, owned */
    int width_px;   /* its size in pixels */
    int height_px;
    gboolean jpeg;  /* JPEG (else PNG) */
    const char *id; /* the path, for cairo's unique-id mime data (borrowed from the Doc) */
} FigureImage;

/* Read and check the image of a FIGURE block (a figure or a seal): `block->file`, which must
 * lie in the folder of the report `block->loc.file` (checked on the file opened, files.h).
 * A PNG is decoded whole, a JPEG walked to its end, so that a broken image is an error here
 * and not when it is drawn. Errors name the block's location and the image. */
FigureImage *figure_load(const DocBlock *block, GError **error);
void figure_free(FigureImage *image);

#endif
