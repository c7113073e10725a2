"""The tests' one PDF reader: what a PDF holds, read back with MuPDF (mutool trace, mutool
draw -F stext, mutool show) and poppler (pdfinfo, pdffonts, pdftotext, pdfimages, pdftoppm),
never with gongwen's own code. Every check of a PDF goes through here; pagecheck.py holds the
checks of a page's layout. A tool that is missing is an error naming its Debian package
(tools/debian-packages.txt), never a skip.

Coordinates are in points from the page's top left (MuPDF's device space).
"""
import re, subprocess
import xml.etree.ElementTree as ET
from html import unescape

MM = 72 / 25.4
PACKAGES = {"mutool": "mupdf-tools", "pdfinfo": "poppler-utils", "pdffonts": "poppler-utils",
            "pdftotext": "poppler-utils", "pdfimages": "poppler-utils",
            "pdftoppm": "poppler-utils", "fc-match": "fontconfig", "groff": "groff-base"}
# Full-width marks whose ink lies in one half of the em box, so that compression may take
# the other half: the left half of the closing ones, the right half of the opening ones.
LEFT_INK = set("，。、：；！？）》〉〕】」』〗”’．")
RIGHT_INK = set("（《〈〔【「『〖“‘")


def tool(*args, env=None, stdin=None):
    """Run a program; a program that is not installed is an error naming its package."""
    try:
        return subprocess.run(list(args), capture_output=True, env=env, input=stdin)
    except FileNotFoundError:
        raise RuntimeError("%s is not installed (Debian package %s, tools/debian-packages.txt)"
                           % (args[0], PACKAGES.get(args[0], "unknown"))) from None


def output(*args):
    """A program's standard output as text; a failure is an error."""
    p = tool(*args)
    if p.returncode != 0:
        raise RuntimeError("%s failed (exit %d): %s" % (" ".join(args), p.returncode,
                                                        p.stderr.decode("utf-8", "replace")))
    return p.stdout.decode("utf-8", "replace")


# ---- mutool trace: every glyph and path as drawn ----

TAG, ATTR = re.compile(r"\s*<(/?)(\w+)"), re.compile(r'(\w+)="([^"]*)"')
CLIP = {"clip_path", "clip_stroke_path", "clip_text", "clip_stroke_text", "clip_image_mask"}


def _m(s):
    return [float(v) for v in s.split()]


def _pt(m, x, y):
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]


def _bbox(pts, clip=None):
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    b = [min(xs), min(ys), max(xs), max(ys)]
    return b if clip is None else [max(b[0], clip[0]), max(b[1], clip[1]),
                                   min(b[2], clip[2]), min(b[3], clip[3])]


def _em(o, A, up, u0, u1):
    """The box from u0 to u1 em along the advance A, 0.12 em below the baseline through the
    origin o to 0.88 em above (up: an em upwards)."""
    xs, ys = (u0 * A[0], u1 * A[0]), (u0 * A[1], u1 * A[1])
    vx, vy = (-0.12 * up[0], 0.88 * up[0]), (-0.12 * up[1], 0.88 * up[1])
    return [o[0] + min(xs) + min(vx), o[1] + min(ys) + min(vy),
            o[0] + max(xs) + max(vx), o[1] + max(ys) + max(vy)]


def trace(pdf):
    """Per page: (number, width, height, glyphs, paths, runs), from `mutool trace`.

    A glyph is a dict: c (its text), x, y (its origin), size (pt), u (the unit vector of its
    advance: (1, 0) for horizontal text), font (the face's PostScript name), box (its em
    box: along its advance, from 0.12 em below the baseline to 0.88 em above), ink (the
    inked part of that box: half of it for the marks of LEFT_INK and RIGHT_INK), space (the
    advance in pt of the whitespace glyphs drawn just before it in the same text object).
    Whitespace glyphs are not listed. A path is (its box cut to the clip in force, half its
    line width); images are left out. A run holds the indices of one line's glyphs: the
    same direction and baseline, no gap wider than an em. mutool trace writes an element a
    line: regular expressions read it ten times faster than an XML parser."""
    try:
        proc = subprocess.Popen(["mutool", "trace", pdf], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise RuntimeError("mutool is not installed (Debian package mupdf-tools)") from None
    text, opened, pts, clips = False, {}, [], []
    # what <page>, <fill_text> and <span> set for the elements inside them
    w = h = size = 1.0
    glyphs, paths, runs, ctm, A, up, u, last, font, space = [], [], [], *[None] * 5, "", 0.0
    for line in proc.stdout:
        line = line.decode("utf-8", "replace")
        m = TAG.match(line)
        tag = m and m.group(2)
        if not m:
            continue
        elif m.group(1):                                # </tag>
            at = opened.get(tag, {})
        else:
            at = {k: unescape(v) if "&" in v else v for k, v in ATTR.findall(line)}
            opened[tag] = at
            if tag == "g" and text:
                ch, adv = at.get("unicode", ""), float(at.get("adv") or 1)
                o = _pt(ctm, float(at["x"]), float(at["y"]))
                if ch.isspace():
                    space += adv * size
                    continue
                box = _em(o, A, up, 0, adv)
                ink = _em(o, A, up, 0, adv / 2) if ch in LEFT_INK else \
                    _em(o, A, up, adv / 2, adv) if ch in RIGHT_INK else box
                across, along = o[0] * u[1] - o[1] * u[0], o[0] * u[0] + o[1] * u[1]
                if not last or last[0] != u or abs(across - last[1]) > 0.5 \
                        or along - last[2] > size:
                    runs.append([])
                runs[-1].append(len(glyphs))
                last = (u, across, along + adv * size)
                glyphs.append(dict(c=ch, x=o[0], y=o[1], size=size, u=u, font=font, box=box,
                                   ink=ink, space=space))
                space = 0.0
            elif tag == "page":
                mb = _m(at["mediabox"])
                w, h, glyphs, paths, clips, runs = mb[2] - mb[0], mb[3] - mb[1], [], [], [], []
            elif tag == "fill_text":
                text, ctm, last, space = True, _m(at["transform"]), None, 0.0
            elif tag == "span" and text:                # an em's advance and up in device space
                a, b, c, d = _m(at["trm"])
                A = (a * ctm[0] + b * ctm[2], a * ctm[1] + b * ctm[3])
                up = (c * ctm[0] + d * ctm[2], c * ctm[1] + d * ctm[3])
                size = (A[0] ** 2 + A[1] ** 2) ** 0.5 or 1
                u = (round(A[0] / size, 6), round(A[1] / size, 6))
                font = re.sub(r"^[A-Z]{6}\+", "", at.get("font", ""))
            elif tag in ("fill_path", "stroke_path") or tag in CLIP:
                pts = [(0, 0), (1, 1)] if tag == "clip_image_mask" else []
            elif tag in ("moveto", "lineto", "curveto", "rect"):
                pts += [(float(at["x" + k]), float(at["y" + k])) for k in ("", "1", "2", "3")
                        if "x" + k in at]
            if not line.rstrip().endswith("/>"):
                continue                                # the element goes on
        if tag == "fill_text":                          # the element ends
            text = False
        elif tag in ("fill_path", "stroke_path") and pts:
            m = _m(at["transform"])
            half = float(at.get("linewidth", 0)) * abs(m[0] * m[3] - m[1] * m[2]) ** 0.5 / 2
            paths.append((_bbox([_pt(m, *p) for p in pts], clips[-1] if clips else None), half))
        elif tag in CLIP:
            m = _m(at.get("transform", "1 0 0 1 0 0"))
            pts = [_pt(m, *p) for p in pts] if "text" not in tag else [(-1e9, -1e9), (1e9, 1e9)]
            clips.append(_bbox(pts or [(-1e9, -1e9), (1e9, 1e9)], clips[-1] if clips else None))
        elif tag == "pop_clip" and clips:
            clips.pop()
        elif tag == "page":
            yield int(at["number"]), w, h, glyphs, paths, runs
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise RuntimeError("mutool trace %s failed: %s" % (pdf, err.decode("utf-8", "replace")))


def drawing_order(pdf, page):
    """One page's images and texts in the order they are drawn: ('image', [x0, y0, x1, y1]),
    ('text', the text of one text object) and ('end', None) after each text object."""
    items = []
    for m in re.finditer(r'<fill_image[^>]*transform="([^"]+)"|<g unicode="([^"]*)"|</fill_text>',
                         output("mutool", "trace", pdf, str(page))):
        if m.group(1):
            a, b, c, d, e, f = _m(m.group(1))
            items.append(("image", [e, f, e + a, f + d]))
        elif m.group(2) is not None:
            if items and items[-1][0] == "text":
                items[-1] = ("text", items[-1][1] + unescape(m.group(2)))
            else:
                items.append(("text", unescape(m.group(2))))
        else:
            items.append(("end", None))
    return items


# ---- mutool draw -F stext: MuPDF's lines of text ----

def stext(pdf):
    """Pages of MuPDF's text lines, each a dict: text (whitespace dropped: readers infer
    spaces from the ¼-em gaps between Han and Latin text, and those are layout, not text),
    chars ((character, origin x) pairs, whitespace kept), size (of the first font), x0 and x1
    (the first character's left and the last one's right edge), y (the first character's
    baseline), top, bbox (x0, y0, x1, y1), dir ("1 0" left to right, "0 1" downwards) and
    color (the first character's, "#rrggbb")."""
    pages = []
    for page in ET.fromstring(output("mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf)) \
            .iter("page"):
        lines = []
        for ln in page.iter("line"):
            chars = list(ln.iter("char"))
            if not chars:
                continue
            q0, q1 = _m(chars[0].get("quad")), _m(chars[-1].get("quad"))
            font = ln.find("font")
            lines.append(dict(text="".join(c.get("c") for c in chars if not c.get("c").isspace()),
                              chars=[(c.get("c"), float(c.get("x"))) for c in chars],
                              size=float(font.get("size")) if font is not None else 0.0,
                              x0=q0[0], x1=q1[2], y=float(chars[0].get("y")), top=q0[1],
                              bbox=_m(ln.get("bbox")), dir=ln.get("dir"),
                              color=chars[0].get("color")))
        pages.append(lines)
    return pages


def outline(pdf):
    """The outline as (depth, title) pairs, depth 1 at the top."""
    return [(len(m[1]), m[2]) for m in re.finditer(r'(?m)^[-+|](\t+)"(.*)"\t',
                                                   output("mutool", "show", pdf, "outline"))]


# ---- poppler ----

def text(pdf, raw=False):
    """Pages of pdftotext's text; `raw` keeps the content stream's order (gongwen draws a
    table cell by cell, row by row)."""
    return output("pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), pdf, "-").split("\f")


def info(pdf):
    """pdfinfo's fields."""
    return {k.strip(): v.strip() for k, v in
            (l.split(":", 1) for l in output("pdfinfo", pdf).splitlines() if ":" in l)}


def page_sizes(pdf):
    """(width, height) in pt of every page."""
    return [(float(a), float(b)) for a, b in re.findall(
        r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", output("pdfinfo", "-f", "1", "-l", "99999", pdf))]


def fonts(pdf):
    """pdffonts' rows: dicts of name (the subset tag dropped), embedded, subset, unicode."""
    rows = []
    for r in output("pdffonts", pdf).splitlines()[2:]:
        f = r.split()                 # name type… encoding emb sub uni object gen
        rows.append(dict(name=re.sub(r"^[A-Z]{6}\+", "", f[0]), embedded=f[-5] == "yes",
                         subset=f[-4] == "yes", unicode=f[-3] == "yes"))
    return rows


def images(pdf):
    """pdfimages -list's rows, as lines."""
    return output("pdfimages", "-list", pdf).splitlines()[2:]


def pixels(pdf, page, dpi=20):
    """One page as (width, height, RGB bytes)."""
    p = tool("pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), pdf)
    if p.returncode != 0 or not p.stdout.startswith(b"P6"):
        raise RuntimeError("pdftoppm %s page %d failed: %s" % (pdf, page, p.stderr[:200]))
    parts = p.stdout.split(b"\n", 3)
    w, h = (int(v) for v in parts[1].split())
    return w, h, parts[3]


def bezier(p0, p1, p2, p3, steps=64):
    """Points along a cubic Bézier (p0 excluded), `steps` of them."""
    out = []
    for i in range(1, steps + 1):
        t = i / steps
        s = 1 - t
        out.append(tuple(s * s * s * a + 3 * s * s * t * b + 3 * s * t * t * c + t * t * t * d
                         for a, b, c, d in zip(p0, p1, p2, p3)))
    return out


def shapes(pdf):
    """Per page, the paths drawn (not glyphs, not clips), from `mutool trace`, in order: dicts
    of op ("fill" or "stroke"), color (r, g, b from 0 to 255), linewidth (pt, device space),
    curved (whether it has Béziers), pts (its points in pt from the page's top left, curves
    sampled along the curve, 64 points each) and clip (the box [x0, y0, x1, y1] of the clip
    in force, or None)."""
    pages, cur, ctm, pts, last, op, at, clips = [], None, None, [], (0, 0), None, {}, []
    for line in output("mutool", "trace", pdf).splitlines():
        m = TAG.match(line)
        if not m:
            continue
        tag, closing = m.group(2), m.group(1) or line.rstrip().endswith("/>")
        if not m.group(1):
            a = dict(ATTR.findall(line))
            if tag == "page":
                cur, clips = [], []
                pages.append(cur)
            elif tag in ("fill_path", "stroke_path") or tag in CLIP:
                op, at, pts, curved = tag, a, [], False
                ctm = _m(a.get("transform", "1 0 0 1 0 0"))
            elif tag == "pop_clip" and clips:
                clips.pop()
            elif op is None:
                pass
            elif tag in ("moveto", "lineto"):
                last = (float(a["x"]), float(a["y"]))
                pts.append(last)
            elif tag == "curveto":
                c = [(float(a["x" + k]), float(a["y" + k])) for k in ("1", "2", "3")]
                pts += bezier(last, *c)
                last, curved = c[2], True
        if not closing or op is None or tag != op:
            continue
        if tag in CLIP:
            box = _bbox([_pt(ctm, *p) for p in pts], clips[-1] if clips else None) \
                if pts and "text" not in tag and tag != "clip_image_mask" else \
                [-1e9, -1e9, 1e9, 1e9] if not clips else clips[-1]
            clips.append(box)
        elif pts and cur is not None:
            col = tuple(round(float(v) * 255) for v in at.get("color", "0").split())
            col = col * 3 if len(col) == 1 else col
            scale = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) ** 0.5
            cur.append(dict(op=op[:-5], color=col[:3], curved=curved,
                            linewidth=float(at.get("linewidth", 0)) * scale,
                            pts=[_pt(ctm, *p) for p in pts], clip=clips[-1] if clips else None))
        op = None
    return pages
