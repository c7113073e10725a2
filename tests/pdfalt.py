#!/usr/bin/env python3
"""Print, as JSON, the structure elements of a tagged PDF as poppler reads them
(poppler-glib through GObject introspection: Debian packages python3-gi and
gir1.2-poppler-0.18): a list of [depth, kind, alternative text or null] in the tree's order.
pdfinfo -struct-text shows the tree but not /Alt; poppler's StructElement reads it, and
poppler-glib gives it. Run by test-pdf-tagged.py with a Python that has gi."""
import json, os, sys

import gi

gi.require_version("Poppler", "0.18")
from gi.repository import GLib, Poppler  # noqa: E402


def walk(it, depth, out):
    while True:
        el = it.get_element()
        out.append([depth, el.get_kind().value_nick, el.get_alt_text()])
        child = it.get_child()
        if child is not None:
            walk(child, depth + 1, out)
        if not it.next():
            return


doc = Poppler.Document.new_from_file(GLib.filename_to_uri(os.path.abspath(sys.argv[1])), None)
it = Poppler.StructureElementIter.new(doc)
out = []
if it is not None:
    walk(it, 0, out)
print(json.dumps(out, ensure_ascii=False))
