#!/usr/bin/env python3
"""TAP test ofd: `gongwen render REPORT -o NAME.ofd` for the flagship, reports/notice-2024
and reports/sample-2019-format (版头, 版记, seal), the chart fixtures (every kind; a hundred
categories, hatched), a landscape table (its page numbers turned) and the forms fixture
(hidden underscores), read back with a small OFD reader of its own (zipfile + xml.etree; it
shares nothing with render/ofd.c) and compared with the PDF of the same report read by
tests/pdfread.py (MuPDF): the container's parts, the page count, every page's text, IDs
unique and within MaxUnitID, every DeltaX list one shorter than its text, each glyph's
position within 0.05 mm (CTMs applied), every path in the PDF's order (colour, width,
extent), the fonts' names, the image files, the outline, the creation date, faux bold, the
seal anchor, a batch to OFD and the same bytes from a second render.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import calendar, json, os, posixpath, shutil, sys, tempfile, time, zipfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import SRC, check, gw, txt, finish  # noqa: E402
import pdfread  # noqa: E402

NS = "{http://www.ofdspec.org/2016}"
MM = 72 / 25.4  # points per millimetre
T = tempfile.mkdtemp(prefix="gongwen-test-ofd-")
FIX = os.path.join(SRC, "tests", "fixtures")
# name -> the report rendered: the three of the acceptance, charts of every kind (pie,
# donut, line with dots; a hundred categories, hatched), a landscape table (its page number
# turned a quarter)
REPORTS = {name: os.path.join(SRC, "reports", name)
           for name in ("guizhou-commerce-2017", "notice-2024", "sample-2019-format")}
REPORTS["charts"] = os.path.join(FIX, "charts")
REPORTS["charts-many"] = os.path.join(FIX, "charts-many")
REPORTS["landscape"] = os.path.join(FIX, "gongwen-format", "landscape.txt")
REPORTS["forms"] = os.path.join(FIX, "forms")  # blanks: underscores hidden, text kept


def matrix(value):
    """A CTM "a b c d e f" (the identity when absent)."""
    return [float(v) for v in value.split()] if value else [1, 0, 0, 1, 0, 0]


def apply(m, x, y):
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def path_points(data):
    """AbbreviatedData's points, curves sampled along the curve (64 points a Bézier), and
    whether it has curves. S and M start a subpath, L a line, Q and B curves, C closes; A
    (arcs) is not read: an error."""
    words, pts, i, cur, start, curved = data.split(), [], 0, (0.0, 0.0), (0.0, 0.0), False
    while i < len(words):
        op, i = words[i], i + 1
        n = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "C": 0}.get(op)
        if n is None:
            raise ValueError("path operator %r not read" % op)
        v = [float(w) for w in words[i:i + n]]
        i += n
        if op in ("S", "M", "L"):
            cur = (v[0], v[1])
            pts.append(cur)
            if op != "L":
                start = cur
        elif op == "Q":
            c = (v[0], v[1])
            pts += pdfread.bezier(cur, (cur[0] + 2 / 3 * (c[0] - cur[0]),
                                        cur[1] + 2 / 3 * (c[1] - cur[1])),
                                  (v[2] + 2 / 3 * (c[0] - v[2]), v[3] + 2 / 3 * (c[1] - v[3])),
                                  (v[2], v[3]))
            cur, curved = (v[2], v[3]), True
        elif op == "B":
            pts += pdfread.bezier(cur, (v[0], v[1]), (v[2], v[3]), (v[4], v[5]))
            cur, curved = (v[4], v[5]), True
        else:
            cur = start
    return pts, curved


def colour(el, name):
    """A CT_Color child's (r, g, b), or None."""
    c = el.find(NS + name)
    return None if c is None else tuple(int(v) for v in c.get("Value").split())


def ps_name(data):
    """An OpenType font's PostScript name (name table, ID 6), or None."""
    import struct
    if len(data) < 12:
        return None
    for i in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag != b"name":
            continue
        _, count, strings = struct.unpack(">HHH", data[offset:offset + 6])
        for k in range(count):
            pid, eid, lang, nid, ln, off = struct.unpack(
                ">HHHHHH", data[offset + 6 + 12 * k:offset + 18 + 12 * k])
            if nid == 6:
                raw = data[offset + strings + off:offset + strings + off + ln]
                return raw.decode("utf-16-be" if pid in (0, 3) else "latin-1")
    return None


def deltas(value):
    """An ST_Array of DeltaX, with the "g N v" shorthand expanded."""
    out, words = [], (value or "").split()
    i = 0
    while i < len(words):
        if words[i] == "g":
            out += [float(words[i + 2])] * int(words[i + 1])
            i += 3
        else:
            out.append(float(words[i]))
            i += 1
    return out


class Ofd:
    """The parts of an OFD package: its documents' pages, as lists of glyphs (character,
    x, y in mm from the page's top left), the IDs defined and MaxUnitID."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())
        root = self.xml("OFD.xml")
        self.doc_root = root.find(NS + "DocBody/" + NS + "DocRoot").text.strip().lstrip("/")
        doc = self.xml(self.doc_root)
        base = posixpath.dirname(self.doc_root)
        self.max_id = int(doc.find(NS + "CommonData/" + NS + "MaxUnitID").text)
        self.ids = []
        self.res = []
        self.font_names = {}
        for tag in ("PublicRes", "DocumentRes"):
            for r in doc.iter(NS + tag):
                loc = posixpath.join(base, r.text.strip())
                self.res.append(loc)
                res = self.xml(loc)
                res_base = posixpath.join(posixpath.dirname(loc), res.get("BaseLoc", ""))
                self.fonts = getattr(self, "fonts", {})
                self.media = getattr(self, "media", {})
                for m in res.iter(NS + "MultiMedia"):
                    self.ids.append(int(m.get("ID")))
                    self.media[m.get("ID")] = posixpath.join(
                        res_base, m.find(NS + "MediaFile").text.strip())
                for f in res.iter(NS + "Font"):
                    self.ids.append(int(f.get("ID")))
                    self.font_names[f.get("ID")] = f.get("FontName")
                    ff = f.find(NS + "FontFile")
                    self.fonts[f.get("ID")] = (posixpath.join(res_base, ff.text.strip())
                                               if ff is not None else None)
        self.outline = []

        def walk(el, depth):
            for e in el.findall(NS + "OutlineElem"):
                self.outline.append((depth, e.get("Title")))
                walk(e, depth + 1)
        for o in doc.findall(NS + "Outlines"):
            walk(o, 1)
        self.pages, self.page_files, self.problems, self.images = [], [], [], []
        self.paths, self.texts, self.page_ids, self.boundaries = [], [], [], []
        for p in doc.find(NS + "Pages").iter(NS + "Page"):
            self.ids.append(int(p.get("ID")))
            self.page_ids.append(int(p.get("ID")))
            loc = posixpath.join(base, p.get("BaseLoc"))
            self.page_files.append(loc)
            self.paths.append([])
            self.texts.append([])
            self.boundaries.append([])
            self.pages.append(self.read_page(self.xml(loc)))

    def xml(self, name):
        return ET.fromstring(self.zip.read(name))

    def read_page(self, page):
        glyphs = []
        for el in page.iter():
            if el.get("ID") is not None and el.tag != NS + "Page":
                self.ids.append(int(el.get("ID")))
            if el.tag == NS + "ImageObject":
                self.images.append(el.get("ResourceID"))
                self.boundaries[-1].append(el.get("Boundary"))
            if el.tag == NS + "PathObject":
                self.read_path(el)
            if el.tag != NS + "TextObject":
                continue
            bx, by = [float(v) for v in el.get("Boundary").split()[:2]]
            m = matrix(el.get("CTM"))
            self.texts[-1].append(dict(
                id=el.get("ID"), size=float(el.get("Size")), ctm=m,
                stroke=el.get("Stroke") == "true", hscale=float(el.get("HScale", 1)),
                linewidth=float(el.get("LineWidth", 0.353)), alpha=int(el.get("Alpha", 255)),
                text="".join(c.text or "" for c in el.iter(NS + "TextCode"))))
            if el.get("Font") not in self.fonts:
                self.problems.append("TextObject %s: font %s not defined"
                                     % (el.get("ID"), el.get("Font")))
            for code in el.iter(NS + "TextCode"):
                text = code.text or ""
                dx, dy = deltas(code.get("DeltaX")), deltas(code.get("DeltaY"))
                if text != text.strip():
                    self.problems.append("TextObject %s: %r starts or ends with white space "
                                         "(readers that trim it move the rest)"
                                         % (el.get("ID"), text))
                if len(text) > 1 and len(dx) != len(text) - 1:
                    self.problems.append("TextObject %s: %d characters, %d DeltaX"
                                         % (el.get("ID"), len(text), len(dx)))
                x, y = float(code.get("X")), float(code.get("Y"))
                for i, c in enumerate(text):
                    if i > 0:
                        x += dx[i - 1] if i - 1 < len(dx) else 0
                        y += dy[i - 1] if i - 1 < len(dy) else 0
                    px, py = apply(m, x, y)
                    glyphs.append((c, bx + px, by + py))
        return glyphs

    def read_path(self, el):
        """A PathObject as the PDF draws it: its fill, then its stroke (each a dict of op,
        color, linewidth in mm, curved, pts in mm on the page), clipped or not."""
        bx, by = [float(v) for v in el.get("Boundary").split()[:2]]
        m = matrix(el.get("CTM"))
        try:
            pts, curved = path_points(el.find(NS + "AbbreviatedData").text or "")
        except ValueError as e:
            self.problems.append("PathObject %s: %s" % (el.get("ID"), e))
            return
        pts = [(bx + p[0], by + p[1]) for p in (apply(m, *q) for q in pts)]
        clip = None
        for area in el.iter(NS + "Area"):  # Clips: the box of its paths (in object space)
            for cp in area.iter(NS + "Path"):
                q, _ = path_points(cp.find(NS + "AbbreviatedData").text or "")
                q = [(bx + p[0], by + p[1]) for p in (apply(m, *r) for r in q)]
                b = [min(x for x, y in q), min(y for x, y in q),
                     max(x for x, y in q), max(y for x, y in q)]
                clip = b if clip is None else [max(clip[0], b[0]), max(clip[1], b[1]),
                                               min(clip[2], b[2]), min(clip[3], b[3])]
        if el.get("Fill", "false") == "true":
            self.paths[-1].append(dict(op="fill", color=colour(el, "FillColor") or (0, 0, 0),
                                       linewidth=0, curved=curved, pts=pts, clip=clip))
        if el.get("Stroke", "true") == "true":
            self.paths[-1].append(dict(op="stroke",
                                       color=colour(el, "StrokeColor") or (0, 0, 0),
                                       linewidth=float(el.get("LineWidth", 0.353)),
                                       curved=curved, pts=pts, clip=clip))


def extent(pts, clip):
    """The box of the points, cut to the clip's box."""
    e = [min(x for x, y in pts), min(y for x, y in pts),
         max(x for x, y in pts), max(y for x, y in pts)]
    return e if clip is None else [max(e[0], clip[0]), max(e[1], clip[1]),
                                   min(e[2], clip[2]), min(e[3], clip[3])]


rendered = {}


def render(name):
    if name not in rendered:
        src = REPORTS[name]
        out = {}
        for ext in ("ofd", "pdf"):
            out[ext] = os.path.join(T, "%s.%s" % (name, ext))
            p = gw("render", src, "-o", out[ext])
            if p.returncode != 0:
                raise RuntimeError("%s.%s: exit %d %s" % (name, ext, p.returncode,
                                                          txt(p.stderr)[:300]))
        ofd = Ofd(out["ofd"])
        pdf = list(pdfread.trace(out["pdf"]))
        rendered[name] = (out, ofd, pdf)
    return rendered[name]


for name in REPORTS:
    @check("%s.ofd: the container's parts (the XML deflated), one Content.xml per page, fonts "
           "embedded (FontName their PostScript name), "
           "IDs unique and within MaxUnitID, DeltaX counts, no TextCode with white space at "
           "either end" % name)
    def _():
        out, ofd, pdf = render(name)
        d = list(ofd.problems)
        for part in ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml",
                     "Doc_0/DocumentRes.xml"] + ofd.page_files:
            if part not in ofd.names:
                d.append("missing %s" % part)
        if not ofd.fonts:
            d.append("no fonts")
        for info in ofd.zip.infolist():
            if info.filename.endswith(".xml") and info.compress_type != zipfile.ZIP_DEFLATED:
                d.append("%s is not deflated" % info.filename)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or \
                    info.compress_size > info.file_size:
                d.append("%s: method %d, %d bytes for %d" % (info.filename, info.compress_type,
                                                            info.compress_size, info.file_size))
        for fid, loc in ofd.fonts.items():
            data = ofd.zip.read(loc) if loc in ofd.names else b""
            if data[:4] not in (b"OTTO", b"\0\1\0\0", b"true"):
                d.append("font %s: %s is not an OpenType file" % (fid, loc))
            elif ofd.font_names.get(fid) != ps_name(data):
                d.append("font %s: FontName %s, the file's PostScript name %s"
                         % (fid, ofd.font_names.get(fid), ps_name(data)))
        dup = sorted({i for i in ofd.ids if ofd.ids.count(i) > 1})
        if dup:
            d.append("IDs defined twice: %s" % dup[:10])
        if 0 in ofd.ids or max(ofd.ids) > ofd.max_id:
            d.append("IDs outside 1..MaxUnitID %d" % ofd.max_id)
        return d

    @check("%s.ofd: as many pages as the PDF, every page's text the PDF's" % name)
    def _():
        out, ofd, pdf = render(name)
        if len(ofd.pages) != len(pdf):
            return ["%d pages in the OFD, %d in the PDF" % (len(ofd.pages), len(pdf))]
        d = []
        for n, (og, pp) in enumerate(zip(ofd.pages, pdf), 1):
            a = "".join(c for c, x, y in og if not c.isspace())
            b = "".join(g["c"] for g in pp[3])
            if a != b:
                k = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                         min(len(a), len(b)))
                d.append("page %d differs at %d: OFD …%s… PDF …%s…"
                         % (n, k, a[max(0, k - 10):k + 20], b[max(0, k - 10):k + 20]))
        return d

    @check("%s.ofd: every glyph within 0.05 mm of its place in the PDF" % name)
    def _():
        out, ofd, pdf = render(name)
        d, worst, compared = [], 0.0, 0
        for n, (og, pp) in enumerate(zip(ofd.pages, pdf), 1):
            og = [g for g in og if not g[0].isspace()]
            for (c, x, y), g in zip(og, pp[3]):
                if c != g["c"]:
                    break
                compared += 1
                err = max(abs(x - g["x"] / MM), abs(y - g["y"] / MM))
                worst = max(worst, err)
                if err > 0.05 and len(d) < 10:
                    d.append("page %d %r: OFD (%.3f, %.3f) mm, PDF (%.3f, %.3f) mm"
                             % (n, c, x, y, g["x"] / MM, g["y"] / MM))
        total = sum(len(pp[3]) for pp in pdf)
        if compared < total or total < 100:
            d.append("only %d of the PDF's %d glyphs compared" % (compared, total))
        print("# %d glyphs compared, the largest difference %.4f mm" % (compared, worst))
        return d

    @check("%s.ofd: every path the PDF's, in its order (fill or stroke, colour, width, extent "
           "within 0.05 mm; wedges and dots by their curves)" % name)
    def _():
        out, ofd, pdf = render(name)
        want = pdfread.shapes(out["pdf"])
        d, compared, curved = [], 0, 0
        for n, (op, pp) in enumerate(zip(ofd.paths, want), 1):
            if len(op) != len(pp):
                d.append("page %d: %d paths in the OFD, %d in the PDF" % (n, len(op), len(pp)))
                continue
            for k, (a, b) in enumerate(zip(op, pp)):
                what = "page %d path %d (%s)" % (n, k, b["op"])
                if a["op"] != b["op"] or a["color"] != b["color"]:
                    d.append("%s: OFD %s %s, PDF %s %s" % (what, a["op"], a["color"], b["op"],
                                                           b["color"]))
                    continue
                if abs(a["linewidth"] - b["linewidth"] / MM) > 0.002:
                    d.append("%s: width OFD %.3f mm, PDF %.3f mm"
                             % (what, a["linewidth"], b["linewidth"] / MM))
                if a["curved"] != b["curved"]:
                    d.append("%s: curved in %s only" % (what, "the OFD" if a["curved"] else
                                                        "the PDF"))
                compared += 1
                curved += a["curved"]
                ea = extent(a["pts"], a["clip"])
                eb = [v / MM for v in extent(b["pts"], b["clip"])]
                # hatching: the PDF's lines clipped to the shape (the clip's box here), the
                # OFD's cut to the shape: inside the PDF's box
                if b["clip"] is not None and abs(b["linewidth"] - 0.6) < 0.01:
                    if ea[0] < eb[0] - 0.05 or ea[1] < eb[1] - 0.05 or ea[2] > eb[2] + 0.05 \
                            or ea[3] > eb[3] + 0.05:
                        d.append("%s: hatching OFD %s mm outside the PDF's %s mm"
                                 % (what, ["%.3f" % v for v in ea], ["%.3f" % v for v in eb]))
                    continue
                if max(abs(u - v) for u, v in zip(ea, eb)) > 0.05:
                    d.append("%s: extent OFD %s mm, PDF %s mm"
                             % (what, ["%.3f" % v for v in ea], ["%.3f" % v for v in eb]))
        if len(ofd.paths) != len(want):
            d.append("%d pages of paths in the OFD, %d in the PDF" % (len(ofd.paths), len(want)))
        print("# %d paths compared, %d of them curved" % (compared, curved))
        return d[:12]

    @check("%s.ofd: the outline the PDF's (titles and levels)" % name)
    def _():
        out, ofd, pdf = render(name)
        want = pdfread.outline(out["pdf"])
        return [] if ofd.outline == want else ["OFD %s, PDF %s" % (ofd.outline[:5], want[:5])]

    @check("%s.ofd: the same bytes from a second render" % name)
    def _():
        out, ofd, pdf = render(name)
        again = os.path.join(T, "again.ofd")
        p = gw("render", REPORTS[name], "-o", again)
        if p.returncode != 0:
            return ["exit %d" % p.returncode]
        with open(again, "rb") as a, open(out["ofd"], "rb") as b:
            return [] if a.read() == b.read() else ["the two renders differ"]


@check("notice-2024.ofd: its image (the seal) an ImageObject whose MultiMedia file is a PNG "
       "or JPEG in the package")
def _():
    out, ofd, pdf = render("notice-2024")
    d = [] if ofd.images else ["no ImageObject"]
    for rid in ofd.images:
        loc = ofd.media.get(rid)
        if loc is None or loc not in ofd.names:
            d.append("ImageObject's ResourceID %s: no MultiMedia file" % rid)
        elif ofd.zip.read(loc)[:4] not in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1",
                                           b"\xff\xd8\xff\xdb", b"\xff\xd8\xff\xee"):
            d.append("%s is neither PNG nor JPEG" % loc)
    return d


@check("landscape.ofd: the turned page numbers TextObjects with a quarter-turn CTM, each "
       "turned glyph within 0.05 mm of the PDF's")
def _():
    out, ofd, pdf = render("landscape")
    d, turned, worst = [], 0, 0.0
    for n, (og, pp, texts) in enumerate(zip(ofd.pages, pdf, ofd.texts), 1):
        want = [g for g in pp[3] if g["u"] != (1.0, 0.0)]
        ctm = [t for t in texts if t["ctm"][:4] != [1, 0, 0, 1]]
        if [t["ctm"][:4] for t in ctm] != [[0, 1, -1, 0]] * len(ctm):
            d.append("page %d: CTMs %s, want a quarter turn clockwise" % (n, ctm))
        got = [g for g in og if not g[0].isspace()]
        # the turned glyphs: those of the TextObjects with a CTM, in order
        names = "".join(t["text"] for t in ctm)
        if "".join(g["c"] for g in want) != names.replace(" ", ""):
            d.append("page %d: turned text OFD %r, PDF %r" % (n, names,
                                                             "".join(g["c"] for g in want)))
            continue
        # the OFD glyphs that are turned: match them by place in the page's order
        k = 0
        for c, x, y in got:
            if k < len(want) and c == want[k]["c"] and abs(x - want[k]["x"] / MM) < 1 \
                    and abs(y - want[k]["y"] / MM) < 1:
                err = max(abs(x - want[k]["x"] / MM), abs(y - want[k]["y"] / MM))
                worst = max(worst, err)
                if err > 0.05:
                    d.append("page %d %r: OFD (%.3f, %.3f), PDF (%.3f, %.3f) mm"
                             % (n, c, x, y, want[k]["x"] / MM, want[k]["y"] / MM))
                k += 1
        if k != len(want):
            d.append("page %d: %d of %d turned glyphs found in place" % (n, k, len(want)))
        turned += k
    if turned == 0:
        d.append("no turned glyph")
    print("# %d turned glyphs, the largest difference %.4f mm" % (turned, worst))
    return d


@check("forms.ofd: a blank's underscores kept as text and hidden (Alpha 0 on the object and "
       "on its FillColor, for readers that read only one)")
def _():
    out, ofd, pdf = render("forms")
    hidden = [t for page in ofd.texts for t in page if t["alpha"] == 0]
    d = [] if hidden else ["no hidden TextObject"]
    for t in hidden:
        if set(t["text"]) - set("_＿"):
            d.append("hidden text %r" % t["text"])
    z = ofd.zip
    for loc in ofd.page_files:
        for el in ET.fromstring(z.read(loc)).iter(NS + "TextObject"):
            if el.get("Alpha") == "0":
                fc = el.find(NS + "FillColor")
                if fc is None or fc.get("Alpha") != "0":
                    d.append("TextObject %s: its FillColor opaque" % el.get("ID"))
    return d


@check("faux bold (heading3_bold=on, a face without bold): the run a TextObject stroked 1/30 "
       "em wide, as many as the PDF's stroked outlines of that width")
def _():
    where = os.path.join(T, "bold")
    os.makedirs(where, exist_ok=True)
    with open(os.path.join(where, "p.ini"), "w") as f:
        f.write("[style]\nheading3_bold=on\n")
    with open(os.path.join(where, "report.txt"), "w") as f:
        f.write("---\nprofile: p.ini\n---\n关于测试的报告\n一、总体情况\n（一）主动公开\n"
                "1．加粗的三级标题。这一段的其余文字不加粗。\n2．又一个三级标题。其余不加粗。\n")
    out = {}
    for ext in ("ofd", "pdf"):
        out[ext] = os.path.join(T, "bold." + ext)
        p = gw("render", where, "-o", out[ext])
        if p.returncode != 0:
            return ["%s: exit %d %s" % (ext, p.returncode, txt(p.stderr)[:200])]
    ofd = Ofd(out["ofd"])
    bold = [t for page in ofd.texts for t in page if t["stroke"]]
    d = [] if [t["text"] for t in bold] == ["1．加粗的三级标题。", "2．又一个三级标题。"] \
        else ["stroked TextObjects %s" % [t["text"] for t in bold]]
    for t in bold:
        if abs(t["linewidth"] - t["size"] / 30) > 0.002:
            d.append("%r: LineWidth %.3f, Size %.3f / 30 wanted" % (t["text"], t["linewidth"],
                                                                    t["size"]))
    strokes = [sh for page in pdfread.shapes(out["pdf"]) for sh in page
               if sh["op"] == "stroke" and sh["curved"]
               and any(abs(sh["linewidth"] / MM - t["size"] / 30) < 0.002 for t in bold)]
    if len(strokes) != len(bold):
        d.append("%d stroked runs in the OFD, %d stroked outlines in the PDF"
                 % (len(bold), len(strokes)))
    return d


@check("--seal-anchor with an OFD: each seal's page_id the ID of its page, its boundary the "
       "seal image's Boundary, its box the PDF anchor's")
def _():
    out, ofd, pdf = render("notice-2024")
    anchors = {}
    for ext in ("ofd", "pdf"):
        js = os.path.join(T, "anchor-%s.json" % ext)
        p = gw("render", REPORTS["notice-2024"], "-o", os.path.join(T, "anchored." + ext),
               "--seal-anchor", js)
        if p.returncode != 0:
            return ["%s: exit %d %s" % (ext, p.returncode, txt(p.stderr)[:200])]
        with open(js) as f:
            anchors[ext] = json.load(f)
    a, b = anchors["ofd"], anchors["pdf"]
    d = [] if a.get("ofd", "").endswith("anchored.ofd") and "pdf" not in a else \
        ["the anchor names %s" % {k: a[k] for k in a if k != "seals"}]
    if not a.get("seals") or len(a["seals"]) != len(b["seals"]):
        return d + ["seals: OFD %s, PDF %s" % (a.get("seals"), b["seals"])]
    again = Ofd(os.path.join(T, "anchored.ofd"))
    for sa, sb in zip(a["seals"], b["seals"]):
        if sa["box"] != sb["box"] or sa["page"] != sb["page"]:
            d.append("seal OFD %s, PDF %s" % (sa, sb))
        if sa.get("page_id") != again.page_ids[sa["page"] - 1]:
            d.append("page_id %s, the page's ID %d" % (sa.get("page_id"),
                                                       again.page_ids[sa["page"] - 1]))
        if sa.get("boundary") not in again.boundaries[sa["page"] - 1]:
            d.append("boundary %s: no ImageObject there (%s)"
                     % (sa.get("boundary"), again.boundaries[sa["page"] - 1]))
    p = gw("render", REPORTS["notice-2024"], "-o", os.path.join(T, "same.ofd"), "--seal-anchor",
           os.path.join(T, "same.ofd"))
    if p.returncode != 2 or "the OFD and --seal-anchor" not in txt(p.stderr):
        d.append("the anchor onto the OFD: exit %d %s" % (p.returncode, txt(p.stderr)[:200]))
    return d


@check("a batch to OFD (--out-dir, --format ofd, -j 2): one OFD a report, each the bytes of "
       "the report rendered alone")
def _():
    names = ["notice-2024", "sample-2019-format", "charts"]
    outdir = os.path.join(T, "batch")
    p = gw("render", *[REPORTS[n] for n in names], "--out-dir", outdir, "--format", "ofd",
           "-j", "2")
    if p.returncode != 0:
        return ["exit %d %s" % (p.returncode, txt(p.stderr)[:300])]
    d = []
    if sorted(os.listdir(outdir)) != sorted(n + ".ofd" for n in names):
        d.append("the folder holds %s" % sorted(os.listdir(outdir)))
    for n in names:
        out, ofd, pdf = render(n)
        got = os.path.join(outdir, n + ".ofd")
        if not os.path.exists(got):
            continue
        with open(got, "rb") as a, open(out["ofd"], "rb") as b:
            if a.read() != b.read():
                d.append("%s.ofd differs from the report rendered alone" % n)
    return d


@check("DocInfo's CreationDate: the 成文日期 (notice-2024), else SOURCE_DATE_EPOCH's day "
       "(charts, no date)")
def _():
    d = []
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    want = {"notice-2024": None,
            "charts": time.strftime("%Y-%m-%d", time.gmtime(epoch))}
    for name in want:
        out, ofd, pdf = render(name)
        info = ofd.xml("OFD.xml").find(NS + "DocBody/" + NS + "DocInfo")
        got = info.findtext(NS + "CreationDate")
        if name == "notice-2024":
            # the PDF's date: the 成文日期 at 00:00 China Standard Time, shown in UTC
            raw = pdfread.info(out["pdf"]).get("CreationDate", "")
            t = calendar.timegm(time.strptime(raw, "%a %b %d %H:%M:%S %Y UTC")) + 8 * 3600
            if got != time.strftime("%Y-%m-%d", time.gmtime(t)):
                d.append("%s: CreationDate %s, the PDF's %s" % (name, got, raw))
        elif got != want[name]:
            d.append("%s: CreationDate %s, want %s" % (name, got, want[name]))
    return d


@check("--format ofd writes an OFD whatever the name; --format with anything else is refused")
def _():
    d = []
    out = os.path.join(T, "named.bin")
    p = gw("render", os.path.join(SRC, "reports", "notice-2024"), "--format", "ofd", "-o", out)
    if p.returncode != 0:
        d.append("--format ofd: exit %d %s" % (p.returncode, txt(p.stderr)[:200]))
    elif not zipfile.is_zipfile(out) or "OFD.xml" not in zipfile.ZipFile(out).namelist():
        d.append("--format ofd: %s is not an OFD" % out)
    p = gw("render", os.path.join(SRC, "reports", "notice-2024"), "--format", "docx", "-o",
           os.path.join(T, "x.docx"))
    if p.returncode != 2 or "--format" not in txt(p.stderr):
        d.append("--format docx: exit %d %s" % (p.returncode, txt(p.stderr)[:200]))
    return d


shutil.rmtree(T, ignore_errors=True)
finish()
