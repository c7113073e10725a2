#!/usr/bin/env python3
"""Layout faults of a gongwen PDF as a reviewer would see them, read back with `mutool trace`
(every glyph with its font matrix, every path with its points, in points from the page's top
left), never with gongwen's own code. faults(pdf) -> ["page P: what at x…, y… mm", …].

- Glyphs outside the type area: GB/T 9704 on A4 portrait 28 mm from the left, 37 mm from the
  top, 156 × 225 mm; on a landscape page (MediaBox wider than tall) the portrait area turned a
  quarter clockwise, as layout/page.c (layout_set_area) puts it: 225 × 156 mm, 28 mm from the
  top, its right edge 37 mm from the page's. A glyph's box is its em box, from its origin
  along its advance and from 0.12 em below the baseline to 0.88 em above, through the font and
  text matrices (condensed or turned text is measured as drawn); it may leave the area by
  0.5 mm. Full-width punctuation is compressed to half a cell, so only its inked half counts:
  the left half of ，。、：；！？）》” etc., the right half of （《“ etc. Whitespace is skipped.
  The page number — a line “— 12 —” or “12” lying wholly in the 14 mm band beyond the area's
  foot edge (the bottom; the left edge of a landscape page) — is outside by design.
- Glyphs printed over each other: em boxes overlapping by more than a quarter of the smaller
  box. Punctuation, full-width and ASCII, is compressed into its neighbours' cells and left
  out. A grid of 24-pt cells keeps the pairwise test linear in the number of glyphs.
- Rules outside the type area: every stroked or filled path (table rules and frames, chart
  bars and axes, the 版头's and 版记's rules, outlines stroked to embolden a face) whose
  bounding box, cut to the clip in force, leaves the area by more than 0.5 mm + half its line
  width. Images (seals, figures) are left out.

What gongwen draws outside the type area on purpose: only the page number. Lines centred on an
edge of the area (table frames, the 版记's thick rule at the area's foot) stick out by half
their width, 0.1–0.2 mm, inside the slack; hatched chart bars stroke lines past the bar but
clipped to it. Text drawn only as outlines (stroke_text) is not read: gongwen draws none.

Command line: pagecheck.py [-v] FILE.pdf… prints the faults (-v: counts and time), exits 1
if any; pagecheck.py --self-test shows each test failing on a PDF made bad on purpose.
"""
import os, re, subprocess, sys, tempfile, time
from html import unescape

MM = 72 / 25.4
TOL = 0.5 * MM
BAND = 14 * MM                                   # the page number's band beyond the foot
LEFT_INK = set("，。、：；！？）》〉〕】」』〗”’．")
RIGHT_INK = set("（《〈〔【「『〖“‘")
MARKS = LEFT_INK | RIGHT_INK | set("·・,.:;!?()[]<>{}\"'")
PAGE_NUMBER = re.compile(r"(—\d+—|\d+)$")
TAG, ATTR = re.compile(r"\s*<(/?)(\w+)"), re.compile(r'(\w+)="([^"]*)"')
CLIP = {"clip_path", "clip_stroke_path", "clip_text", "clip_stroke_text", "clip_image_mask"}


def type_area(w, h):
    """The type area (x0, y0, x1, y1) in pt of a page w × h pt."""
    l, t, aw, ah = 28 * MM, 37 * MM, 156 * MM, 225 * MM
    if w > h:                     # landscape: the portrait area turned a quarter clockwise
        l, t, aw, ah = w - t - ah, l, ah, aw
    return l, t, l + aw, t + ah


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


def pages(pdf):
    """Per page: (number, width, height, glyphs, paths, runs). A glyph is a dict: c, box (its
    em box, pt), ink (its inked part); a path is (its box cut to the clip, half its line
    width); a run holds the indices of one line's glyphs. mutool trace writes an element a
    line: regular expressions read it ten times faster than an XML parser."""
    try:
        proc = subprocess.Popen(["mutool", "trace", pdf], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise RuntimeError("pagecheck needs MuPDF's mutool, not found on PATH") from None
    text, opened, pts, clips = False, {}, [], []
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
            if tag == "g" and text and not at.get("unicode", "").isspace():
                ch, adv = at.get("unicode", ""), float(at.get("adv") or 1)
                o = _pt(ctm, float(at["x"]), float(at["y"]))
                box = _em(o, A, up, 0, adv)
                ink = _em(o, A, up, 0, adv / 2) if ch in LEFT_INK else \
                    _em(o, A, up, adv / 2, adv) if ch in RIGHT_INK else box
                # a line run: the same direction and baseline, no gap wider than an em
                across, along = o[0] * u[1] - o[1] * u[0], o[0] * u[0] + o[1] * u[1]
                if not last or last[0] != u or abs(across - last[1]) > 0.5 \
                        or along - last[2] > size:
                    runs.append([])
                runs[-1].append(len(glyphs))
                last = (u, across, along + adv * size)
                glyphs.append(dict(c=ch, box=box, ink=ink))
            elif tag == "page":
                mb = _m(at["mediabox"])
                w, h, glyphs, paths, clips, runs = mb[2] - mb[0], mb[3] - mb[1], [], [], [], []
            elif tag == "fill_text":
                text, ctm, last = True, _m(at["transform"]), None
            elif tag == "span" and text:                # an em's advance and up in device space
                a, b, c, d = _m(at["trm"])
                A = (a * ctm[0] + b * ctm[2], a * ctm[1] + b * ctm[3])
                up = (c * ctm[0] + d * ctm[2], c * ctm[1] + d * ctm[3])
                size = (A[0] ** 2 + A[1] ** 2) ** 0.5 or 1
                u = (A[0] / size, A[1] / size)
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


def _where(b):
    return "x %.1f–%.1f, y %.1f–%.1f mm" % (b[0] / MM, b[2] / MM, b[1] / MM, b[3] / MM)


def _outside(b, area, slack):
    return b[0] < area[0] - slack or b[1] < area[1] - slack or \
        b[2] > area[2] + slack or b[3] > area[3] + slack


def _overlaps(glyphs):
    """(i, j, share) for glyphs whose em boxes overlap by more than a quarter of the smaller,
    punctuation left out: each is compared with the earlier ones in its 24-pt grid cells."""
    grid, found = {}, []
    for i, g in enumerate(glyphs):
        if g["c"] in MARKS:
            continue
        b, seen = g["box"], set()
        for cx in range(int(b[0] // 24), int(b[2] // 24) + 1):
            for cy in range(int(b[1] // 24), int(b[3] // 24) + 1):
                cell = grid.setdefault((cx, cy), [])
                for j in cell:
                    if j in seen:
                        continue
                    seen.add(j)
                    o = glyphs[j]["box"]
                    ow, oh = min(b[2], o[2]) - max(b[0], o[0]), min(b[3], o[3]) - max(b[1], o[1])
                    small = min((b[2] - b[0]) * (b[3] - b[1]), (o[2] - o[0]) * (o[3] - o[1]))
                    if ow > 0 and oh > 0 and ow * oh > small / 4:
                        found.append((j, i, ow * oh / small))
                cell.append(i)
    return found


def check(pdf):
    """(faults, counts): the fault strings and how many pages, glyphs and paths were read."""
    out, counts = [], dict(pages=0, glyphs=0, paths=0)
    for n, w, h, glyphs, paths, runs in pages(pdf):
        area = type_area(w, h)
        counts["pages"] += 1
        counts["glyphs"] += len(glyphs)
        counts["paths"] += len(paths)
        band = (area[0] - BAND, area[1], area[0], area[3]) if w > h else \
            (area[0], area[3], area[2], area[3] + BAND)
        number = {i for r in runs if PAGE_NUMBER.match("".join(glyphs[i]["c"] for i in r))
                  and not any(_outside(glyphs[i]["box"], band, TOL) for i in r) for i in r}
        out += ["page %d: %r outside the type area at %s" % (n, g["c"], _where(g["ink"]))
                for i, g in enumerate(glyphs) if i not in number and _outside(g["ink"], area, TOL)]
        out += ["page %d: %r and %r printed over each other (%.0f%% of the smaller) at %s"
                % (n, glyphs[i]["c"], glyphs[j]["c"], 100 * share, _where(glyphs[j]["box"]))
                for i, j, share in _overlaps(glyphs)]
        out += ["page %d: rule outside the type area at %s" % (n, _where(b)) for b, half in paths
                if b[0] <= b[2] and b[1] <= b[3] and _outside(b, area, TOL + half)]
    return out, counts


def faults(pdf):
    """The layout faults of a PDF, as strings naming the page, what and where."""
    return check(pdf)[0]


SELF_TEST = [   # (an A4 page's content stream, "L" first for landscape; the fault wanted)
    ("BT /F 16 Tf 100 700 Td (Text 12) Tj ET 80 600 m 520 600 l S "
     "BT /F 14 Tf 290 70 Td (3) Tj ET", None),                          # a page number
    ("BT /F 16 Tf 100 700 Td (AB) Tj ET BT /F 16 Tf 104 702 Td (AB) Tj ET", "over each other"),
    ("BT /F 16 Tf 30 700 Td (X) Tj ET", "'X' outside the type area"),
    ("BT /F 14 Tf 290 800 Td (3) Tj ET", "'3' outside the type area"),   # a number, at the top
    ("40 600 m 520 600 l S", "rule outside the type area"),
    ("L BT /F 16 Tf 110 480 Td (Wide) Tj ET", None),
    ("L BT /F 16 Tf 85 480 Td (Wide) Tj ET", "'W' outside the type area"),
]


def self_test():
    """Where a check misses its case in PDFs made with mutool create (empty: none)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="pagecheck-") as tmp:
        for k, (stream, want) in enumerate(SELF_TEST):
            size = "841.89 595.28" if stream.startswith("L ") else "595.28 841.89"
            src, pdf = os.path.join(tmp, "%d.txt" % k), os.path.join(tmp, "%d.pdf" % k)
            with open(src, "w") as f:
                f.write("%%%%MediaBox 0 0 %s\n%%%%Font F Helvetica\n%s\n"
                        % (size, stream.lstrip("L ")))
            p = subprocess.run(["mutool", "create", "-o", pdf, src], capture_output=True)
            got = faults(pdf) if p.returncode == 0 else ["mutool create: %r" % p.stderr]
            if (want is None and got) or (want and not any(want in f for f in got)):
                problems.append("%r: faults %s, want %s" % (stream, got, want or "none"))
    return problems


def main(args):
    if args == ["--self-test"]:
        problems = self_test()
        print("\n".join(problems) or "self-test: each check caught its case")
        return 1 if problems else 0
    if not [a for a in args if a != "-v"]:
        sys.exit("usage: pagecheck.py [-v] FILE.pdf… | --self-test")
    status = 0
    for pdf in (a for a in args if a != "-v"):
        t = time.time()
        found, n = check(pdf)
        print("".join("%s: %s\n" % (pdf, f) for f in found), end="")
        if "-v" in args:
            print("%s: %d pages, %d glyphs, %d paths checked, %d faults in %.2f s"
                  % (pdf, n["pages"], n["glyphs"], n["paths"], len(found), time.time() - t),
                  file=sys.stderr)
        status |= bool(found)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
