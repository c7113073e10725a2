#!/usr/bin/env python3
"""The layout of a gongwen PDF checked as a reviewer would, on what tests/pdfread.py reads
back with `mutool trace` (every glyph with its font matrix, every path with its points, in
points from the page's top left), never with gongwen's own code.

Faults of every page — faults(pdf) -> ["page P: what at x…, y… mm", …]:

- Glyphs outside the type area: GB/T 9704 on A4 portrait 28 mm from the left, 37 mm from the
  top, 156 × 225 mm; on a landscape page (MediaBox wider than tall) the portrait area turned a
  quarter clockwise, as layout/page.c (layout_set_area) puts it: 225 × 156 mm, 28 mm from the
  top, its right edge 37 mm from the page's. A glyph counts by its em box, through the font
  and text matrices (condensed or turned text is measured as drawn); it may leave the area by
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

The body text — body(pdf, source), which measures it (measure()) and runs the *_faults
functions, overfull() and unmapped(). A body line is the horizontal glyphs of the body size
(三号, 16 pt) on one baseline of a portrait page, left to right:

- grid: characters per full line (one that starts at the type area's left edge and ends
  within 0.6 em of its right edge; a Han or full-width character is a cell, a Latin letter or
  digit half a cell): 28; line pitch 225 mm / 22 = 28.99 pt and character pitch
  156 mm / 28 = 15.79 pt (medians of neighbouring baselines and of neighbouring Han
  characters); at most 22 body lines a page, and 22 on the fullest.
- margins: the text block's left edge (the ink of the lines' first characters) 28 mm; the top
  of the first line 37 mm (a line is one pitch tall, its em box centred in it); the bottom of
  the last line at most 262 mm; no line's ink past 184 mm (an overfull line).
- line breaks (GB/T 15834 and clreq's GB法 with the strict rule for dashes and ellipses, as
  the README says gongwen breaks): no line starts with a mark of NO_START, none ends with one
  of NO_END (a URL may end a line with its /), a —— or …… is never split and never starts a
  line, and no gap between two characters is wider than the spaces drawn in it plus half an
  em (a stretched space).
- fidelity: the PDF's text, in the order it is drawn and page numbers aside, holds every
  paragraph of the source, in order, each unbroken; between two paragraphs there is nothing
  but what the front matter prints (the 发文机关署名 above the date), except after a directive
  (@table, @chart, @attachment … print text of their own) and before the first paragraph
  (the 版头).

Command line: pagecheck.py [-v] FILE.pdf… prints the faults (-v: counts and time), exits 1
if any; pagecheck.py --body FILE.pdf [SOURCE.txt] prints the body's measurements and faults;
pagecheck.py --self-test shows each check failing on a PDF made bad on purpose.
"""
import os, re, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdfread import MM, LEFT_INK, RIGHT_INK, trace  # noqa: E402

pages = trace                                    # per page (number, w, h, glyphs, paths, runs)
TOL = 0.5 * MM
BAND = 14 * MM                                   # the page number's band beyond the foot
MARKS = LEFT_INK | RIGHT_INK | set("·・,.:;!?()[]<>{}\"'")
PAGE_NUMBER = re.compile(r"(—\d+—|\d+)$")
AREA_MM = (28, 37, 156, 225)                     # the portrait type area: left, top, w, h
BODY = 16.0                                      # 三号
CHARS, LINES = 28, 22
LINE_PITCH, CHAR_PITCH = 225 * MM / LINES, 156 * MM / CHARS
# clreq (W3C Requirements for Chinese Text Layout) GB法: marks that may not start a line —
# 点号, closing quotes and brackets, 连接号, 间隔号, 分隔号 — plus ellipses and Word's %‰℃
# (a 破折号 —— may start one, GB/T 15834-2011; a single — may not, see break_faults); and
# marks that may not end a line: opening quotes and brackets and the 分隔号.
NO_START = set("、，。．：；！？‼⁇”’」』）］｝〕】〗》〉～-–·・‧/／…⋯%‰℃,.;:?!)]}")
NO_END = set("“‘「『（［｛〔【〖《〈/／([{")
URL_END = re.compile(r"(https?://|www\.)[!-~]*/$")  # a URL may break after its / (the 分隔号
#                                                   rule is for Chinese text; see layout/para.c)
RANGE_END = re.compile(r"[0-9０-９]—$")
UNSPLIT = "—…⋯"                                  # doubled into 破折号 and 省略号


def type_area(w, h):
    """The type area (x0, y0, x1, y1) in pt of a page w × h pt."""
    l, t, aw, ah = (v * MM for v in AREA_MM)
    if w > h:                     # landscape: the portrait area turned a quarter clockwise
        l, t, aw, ah = w - t - ah, l, ah, aw
    return l, t, l + aw, t + ah


def _where(b):
    return "x %.1f–%.1f, y %.1f–%.1f mm" % (b[0] / MM, b[2] / MM, b[1] / MM, b[3] / MM)


def _outside(b, area, slack):
    return b[0] < area[0] - slack or b[1] < area[1] - slack or \
        b[2] > area[2] + slack or b[3] > area[3] + slack


def page_number(w, h, glyphs, runs):
    """The indices of the glyphs of the page number: a run that reads “— 12 —” or “12” and
    lies wholly in the band beyond the type area's foot."""
    area = type_area(w, h)
    band = (area[0] - BAND, area[1], area[0], area[3]) if w > h else \
        (area[0], area[3], area[2], area[3] + BAND)
    return {i for r in runs if PAGE_NUMBER.match("".join(glyphs[i]["c"] for i in r))
            and not any(_outside(glyphs[i]["box"], band, TOL) for i in r) for i in r}


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
        number = page_number(w, h, glyphs, runs)
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


# ---- the body text: grid, margins, line breaks, fidelity ----

def body_rows(page, size=BODY):
    """The body lines of one page of pages(): lists of glyphs, top to bottom, each left to
    right; none on a landscape page."""
    n, w, h, glyphs, paths, runs = page
    if w > h:
        return []
    rows = []
    for g in sorted((g for g in glyphs if g["u"] == (1.0, 0.0) and abs(g["size"] - size) < 0.6),
                    key=lambda g: g["y"]):
        if rows and g["y"] - rows[-1][0]["y"] <= 0.5:
            rows[-1].append(g)
        else:
            rows.append([g])
    rows = [sorted(r, key=lambda g: g["x"]) for r in rows]
    return [r for r in rows if not PAGE_NUMBER.match(_text(r))]


def _text(row):
    return "".join(g["c"] for g in row)


def _cells(row):
    """A line's width in grid cells: a Han or full-width character one, any other half."""
    return sum(1 if ord(g["c"][:1] or " ") >= 0x2E80 or g["c"] in "“”‘’…—" else 0.5
               for g in row)


def _han(c):
    return c != "" and ("\u3400" <= c[0] <= "\u9fff" or "\uf900" <= c[0] <= "\ufaff"
                        or c[0] >= "\U00020000")


def measure(pdf_pages, size=BODY):
    """The body's grid and margins: a dict of lines (body lines per page), line_pitch and
    char_pitch (pt), chars_per_full_line (cells, median), full_lines, max_cells, left_mm,
    right_mm (the block's ink), first_top_mm and last_bottom_mm (of the line boxes), and
    rows: (page number, its body lines)."""
    rows = [(p[0], body_rows(p, size)) for p in pdf_pages]
    lines = [len(r) for _, r in rows]
    steps = [b[0]["y"] - a[0]["y"] for _, r in rows for a, b in zip(r, r[1:])]
    steps = [s for s in steps if 0 < s < 3 * size]
    pitches = [b["x"] - a["x"] for _, r in rows for line in r for a, b in zip(line, line[1:])
               if _han(a["c"]) and _han(b["c"])]
    pitches = [p for p in pitches if 0 < p < 1.5 * size]
    left, right = AREA_MM[0] * MM, (AREA_MM[0] + AREA_MM[2]) * MM
    all_rows = [line for _, r in rows for line in r]
    full = [_cells(line) for line in all_rows if abs(line[0]["ink"][0] - left) < 1
            and abs(max(g["ink"][2] for g in line) - right) < 0.6 * size]
    m = dict(rows=rows, lines=lines,
             line_pitch=round(statistics.median(steps), 2) if steps else None,
             char_pitch=round(statistics.median(pitches), 2) if pitches else None,
             chars_per_full_line=statistics.median(full) if full else None,
             full_lines=len(full), max_cells=max(full) if full else None,
             left_mm=None, right_mm=None, first_top_mm=None, last_bottom_mm=None)
    if all_rows:
        half = (m["line_pitch"] or LINE_PITCH) / 2    # a line box: its em box centred in it
        centre = lambda line: line[0]["y"] - 0.38 * size
        m.update(left_mm=round(min(line[0]["ink"][0] for line in all_rows) / MM, 2),
                 right_mm=round(max(g["ink"][2] for line in all_rows for g in line) / MM, 2),
                 first_top_mm=round(min(centre(r[0]) - half for _, r in rows if r) / MM, 2),
                 last_bottom_mm=round(max(centre(r[-1]) + half for _, r in rows if r) / MM, 2))
    return m


def grid_faults(m, chars=CHARS, lines=LINES, line_pitch=LINE_PITCH, char_pitch=CHAR_PITCH):
    """Where the measured grid (of measure()) is not `chars` × `lines` at these pitches
    (chars None: the characters of a full line are not checked)."""
    d = []
    if chars is not None and m["chars_per_full_line"] != chars:
        d.append("%s characters per full line (of %d full lines), want %d"
                 % (m["chars_per_full_line"], m["full_lines"], chars))
    if not m["lines"] or max(m["lines"]) != lines:
        d.append("body lines per page %s: want at most %d, and %d on the fullest page"
                 % (m["lines"], lines, lines))
    for name, want in (("line_pitch", line_pitch), ("char_pitch", char_pitch)):
        if m[name] is None or abs(m[name] - want) > 0.05:
            d.append("%s %s pt, want %.2f" % (name.replace("_", " "), m[name], want))
    return d


def margin_faults(m):
    """Where the text block (of measure()) leaves its place in the type area: the left edge
    and the first line's top within 0.5 mm, the last line's bottom and the ink's right edge
    inside (overfull() names the lines past the right edge)."""
    left, top, width, height = AREA_MM
    d = []
    if m["left_mm"] is None:
        return ["no body line"]
    if abs(m["left_mm"] - left) > 0.5:
        d.append("the text block's left edge at %.2f mm, want %d" % (m["left_mm"], left))
    if abs(m["first_top_mm"] - top) > 0.5:
        d.append("the first line's top at %.2f mm, want %d" % (m["first_top_mm"], top))
    if m["last_bottom_mm"] > top + height + 0.5:
        d.append("the last line's bottom at %.2f mm, below %d" % (m["last_bottom_mm"], top + height))
    if m["right_mm"] > left + width + 0.2:
        d.append("ink to %.2f mm, past the right edge %d" % (m["right_mm"], left + width))
    return d


def overfull(m):
    """The body lines whose ink passes the type area's right edge (by more than 0.2 mm)."""
    edge = (AREA_MM[0] + AREA_MM[2] + 0.2) * MM
    return ["page %d: line %r ends at %.2f mm, past the right edge %d mm"
            % (n, _text(line)[-12:], max(g["ink"][2] for g in line) / MM, AREA_MM[0] + AREA_MM[2])
            for n, r in m["rows"] for line in r if max(g["ink"][2] for g in line) > edge]


def _run_at_end(s, chars):
    """How many of the characters `chars` end s."""
    return len(s) - len(s.rstrip(chars))


def break_faults(m):
    """The body lines that break the line-breaking rules, or hold a stretched space."""
    d = []
    for n, r in m["rows"]:
        for line in r:
            s = _text(line)
            where = "page %d: line %r" % (n, s[:14] if len(s) <= 14 else s[:6] + "…" + s[-6:])
            if s[0] in NO_START or (s[0] == "—" and not s.startswith("——")):
                d.append("%s starts with %r" % (where, s[0]))
            if s[-1] in NO_END and not URL_END.search(s):
                d.append("%s ends with %r" % (where, s[-1]))
            for c in UNSPLIT:
                # a single — after a figure is the 连接号 of a range (2021—|2035), which
                # clreq lets end a line; anywhere else it is half a split ——
                if _run_at_end(s, c) % 2 and not RANGE_END.search(s):
                    d.append("%s ends inside a %s" % (where, c * 2))
            for a, b in zip(line, line[1:]):
                gap = b["x"] - a["box"][2] - b["space"]
                if gap > 0.5 * b["size"]:
                    d.append("%s: %.1f pt between %r and %r beyond the spaces drawn there"
                             % (where, gap, a["c"], b["c"]))
    return d


LOOSE_EM = 2.0        # no justified line spread wider than this (one character pushed down
LOOSE_SHARE = 1.5     # is one em); and at most 1 % of them wider than this


def spreads(m):
    """The spread of every justified body line (one reaching the right edge, of 8 glyphs or
    more): the room between its characters beyond their advances, less a quarter em at each
    Han/Latin boundary (spacing by design), in em — as (page, spread, text)."""
    right = (AREA_MM[0] + AREA_MM[2]) * MM
    out = []
    for n, r in m["rows"]:
        for line in r:
            inked = [g for g in line if g["c"].strip()]
            if len(inked) < 8 or abs(inked[-1]["ink"][2] - right) > 0.6 * inked[-1]["size"]:
                continue
            size = inked[0]["size"]
            slack = sum(max(0.0, b["x"] - a["box"][2]) for a, b in zip(inked, inked[1:]))
            bounds = sum(1 for a, b in zip(inked, inked[1:])
                         if (ord(a["c"][0]) >= 0x2E80) != (ord(b["c"][0]) >= 0x2E80))
            out.append((n, (slack - bounds * size / 4) / size, _text(line)))
    return out


def loose_faults(m, share=True):
    """Justified lines spread wider than LOOSE_EM; with `share`, also more than 1 % of them
    wider than LOOSE_SHARE."""
    s = spreads(m)
    d = ["page %d: line %r spread %.2f em (at most %.1f)" % (n, t[:14], v, LOOSE_EM)
         for n, v, t in s if v > LOOSE_EM]
    wide = [(n, v, t) for n, v, t in s if v > LOOSE_SHARE]
    if share and s and len(wide) > 0.01 * len(s):
        d.append("%d of %d justified lines spread wider than %.1f em (at most 1 %%): %s"
                 % (len(wide), len(s), LOOSE_SHARE,
                    "; ".join("page %d %r %.2f" % (n, t[:10], v) for n, v, t in wide[:4])))
    return d


def source_items(path):
    """A report's source as (front matter, items): the front matter as a dict, an item as
    (line number, text) of a paragraph or (line number, None) of a directive."""
    lines = open(path, encoding="utf-8-sig").read().splitlines()
    front, start = {}, 0
    if lines and lines[0].strip() == "---":
        end = lines.index("---", 1)
        front = dict((k.strip(), v.strip()) for k, v in
                     (l.split(":", 1) for l in lines[1:end] if ":" in l))
        start = end + 1
    items = []
    for k, l in enumerate(lines[start:], start + 1):
        l = l.strip()
        if re.match(r"@[A-Za-z]", l):
            items.append((k, None))
        elif l:
            items.append((k, l[1:] if l.startswith("\\@") else l))
    return front, items


def _squash(s):
    return re.sub(r"\s+", "", s)


def body_text(pdf_pages):
    """Every glyph's text in drawing order, the page numbers left out, whitespace dropped."""
    out = []
    for _, w, h, glyphs, _, runs in pdf_pages:
        number = page_number(w, h, glyphs, runs)
        out += [g["c"] for i, g in enumerate(glyphs) if i not in number]
    return _squash("".join(out))


def fidelity_faults(pdf_pages, source):
    """Where the PDF's text is not the source's paragraphs (see the module's docstring)."""
    front, items = source_items(source)
    values = [v for v in front.values() if v]
    # several organs (issuer: 甲；乙) are printed one by one, without the ；
    values += [o for v in values if "；" in v for o in v.split("；") if o]
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", front.get("date", ""))
    if m:  # a front-matter date is printed as the 成文日期: 2024年2月20日
        values.append("%d年%d月%d日" % tuple(int(x) for x in m.groups()))
    extras = sorted({_squash(v) for v in values}, key=len, reverse=True)
    text, name = body_text(pdf_pages), os.path.basename(source)
    d, at, free = [], 0, True
    for line, para in items:
        if para is None:                        # a directive prints text of its own
            free = True
            continue
        s = _squash(para)
        k = text.find(s, at)
        if k < 0:
            lo, hi = 0, len(s)                  # the longest prefix found: where they part
            while lo < hi:
                mid = (lo + hi + 1) // 2
                lo, hi = (mid, hi) if text.find(s[:mid], at) >= 0 else (lo, mid - 1)
            k = text.find(s[:lo], at) + lo
            d.append("%s:%d: the paragraph is not in the PDF after the one before it: after "
                     "%r the source has %r, the PDF %r" % (name, line, s[max(0, lo - 8):lo],
                                                          s[lo:lo + 10], text[k:k + 10]))
            free = True                         # what it left in the PDF is reported here
            continue
        gap = text[at:k]
        for v in extras:
            gap = gap.replace(v, "")
        if gap and not free:
            d.append("%s:%d: the PDF has %r before this paragraph, the source nothing"
                     % (name, line, gap[:30]))
        at, free = k + len(s), False
    banji = {"cc", "printer", "printed"} & set(front)      # the 版记 follows the text
    tail = text[at:]
    for v in extras:  # the signature and date from the front matter close the text
        tail = tail.replace(v, "")
    if tail and not free and not banji:
        d.append("%s: the PDF has %r after the last paragraph" % (name, tail[:30]))
    return d


def unmapped(pdf_pages):
    """Glyphs with no Unicode text (they cannot be copied or searched)."""
    return ["page %d: a glyph at %s maps to %r" % (n, _where(g["box"]), g["c"])
            for n, w, h, glyphs, _, _ in pdf_pages for g in glyphs if g["c"] in ("", "\ufffd")]


def body(pdf, source=None, size=BODY):
    """measure() of a PDF with every fault list of the body: grid, margins, overfull,
    breaks, fidelity (with a source) and unmapped."""
    pdf_pages = list(pages(pdf))
    m = measure(pdf_pages, size)
    m.update(grid=grid_faults(m), margins=margin_faults(m), overfull=overfull(m),
             breaks=break_faults(m), unmapped=unmapped(pdf_pages), loose=loose_faults(m),
             fidelity=fidelity_faults(pdf_pages, source) if source else [])
    return m


# ---- the self-test: each check on PDFs made bad on purpose with mutool create ----

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

HAN = "政府信息公开工作年度报告贵州省商务厅推进决策执行管理服务结果民生预决算非目录平台建设能力依申请"
ROWS = [HAN[k:] + HAN[:k] for k in range(LINES)]
ROWS = [r[:CHARS] for r in ROWS]
# (what is changed: the body lines drawn (a "|" in one stretches the space there by 10 pt),
# a line pitch, a shift of the block in mm, the source's lines, or none; the fault list of
# body() and the fault wanted in it, None for none at all)
BODY_SELF_TEST = [
    ("a page set on the grid", {}, None, None),
    ("a 30 pt line pitch", dict(pitch=30), "grid", "line pitch 30.0 pt"),
    ("27 characters a line", dict(rows=[r[:27] for r in ROWS]), "grid", "characters per full line"),
    ("21 lines", dict(rows=ROWS[:21]), "grid", "body lines per page [21]"),
    ("the block 3 mm right", dict(shift=3), "margins", "left edge at 31.00 mm"),
    ("a line starting with ，", dict(rows=ROWS[:3] + ["，" + ROWS[3][1:]] + ROWS[4:]),
     "breaks", "starts with '，'"),
    ("a line ending with 《", dict(rows=ROWS[:3] + [ROWS[3][:-1] + "《"] + ROWS[4:]),
     "breaks", "ends with '《'"),
    ("—— split over two lines", dict(rows=ROWS[:3] + [ROWS[3][:-1] + "—", "—" + ROWS[4][1:]]
                                     + ROWS[5:]), "breaks", "ends inside a ——"),
    # MuPDF reads U+2026 … back from this font as U+22EF ⋯, which is held to the same rule
    ("…… split over two lines", dict(rows=ROWS[:3] + [ROWS[3][:-1] + "…", "…" + ROWS[4][1:]]
                                     + ROWS[5:]), "breaks", "ends inside a"),
    ("a range of years broken after its dash", dict(rows=ROWS[:3] + [ROWS[3][:-3] + "２１—",
                                                                "３５" + ROWS[4][2:]] + ROWS[5:],
                                                     source=ROWS[:3] + [ROWS[3][:-3] + "２１—３５"
                                                                        + ROWS[4][2:]] + ROWS[5:]),
     None, None),
    ("a line starting with a single —", dict(rows=ROWS[:3] + ["—" + ROWS[3][1:]] + ROWS[4:]),
     "breaks", "starts with '—'"),
    ("a line spread 2.5 em", dict(rows=ROWS[:3] + [ROWS[3][:9] + "|" + ROWS[3][9:10] + "|" +
                                                 ROWS[3][10:11] + "|" + ROWS[3][11:12] + "|"
                                                 + ROWS[3][12:26]] + ROWS[4:]),
     "loose", "spread"),
    ("a stretched space", dict(rows=ROWS[:3] + [ROWS[3][:9] + "|" + ROWS[3][9:-1]] + ROWS[4:]),
     "breaks", "9.8 pt between"),
    ("29 characters in a line", dict(rows=ROWS[:3] + [ROWS[3] + "政"] + ROWS[4:]),
     "overfull", "past the right edge"),
    ("a character the source does not have",
     dict(source=ROWS[:5] + [ROWS[5][:7] + "字" + ROWS[5][8:]] + ROWS[6:]),
     "fidelity", ":6: the paragraph is not in the PDF"),
    ("a line printed twice", dict(rows=ROWS[:6] + ROWS[5:21], source=ROWS[:21]), "fidelity",
     ":7: the PDF has"),
]


def _body_stream(rows, pitch=LINE_PITCH, shift=0, height=842):
    """Body lines of 16-pt Han in a CJK font on the grid, as mutool create's content."""
    out = []
    for k, row in enumerate(rows):
        base = AREA_MM[1] * MM + (k + 0.5) * pitch + 0.38 * BODY
        x = (AREA_MM[0] + shift) * MM
        for part in row.split("|"):
            hexa = "".join("%04X" % ord(c) for c in part)
            out.append("BT /F 16 Tf %.3f Tc %.3f %.3f Td <%s> Tj ET"
                       % (CHAR_PITCH - BODY, x, height - base, hexa))
            x += len(part) * CHAR_PITCH + 10
    return "\n".join(out)


def self_test():
    """Where a check misses its case in PDFs made with mutool create (empty: none)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="pagecheck-") as tmp:
        def make(k, content, landscape=False, cjk=False):
            size = "842 595" if landscape else "595 842"
            src, pdf = os.path.join(tmp, "%s.stream" % k), os.path.join(tmp, "%s.pdf" % k)
            font = "%%CJKFont F zh-Hans H serif" if cjk else "%%Font F Helvetica"
            with open(src, "w") as f:
                f.write("%%%%MediaBox 0 0 %s\n%s\n%s\n" % (size, font, content))
            p = subprocess.run(["mutool", "create", "-o", pdf, src], capture_output=True)
            if p.returncode != 0:
                raise RuntimeError("mutool create: %r" % p.stderr)
            return pdf
        for k, (stream, want) in enumerate(SELF_TEST):
            got = faults(make(k, stream.lstrip("L "), stream.startswith("L ")))
            if (want is None and got) or (want and not any(want in f for f in got)):
                problems.append("%r: faults %s, want %s" % (stream, got, want or "none"))
        for k, (what, bad, kind, want) in enumerate(BODY_SELF_TEST):
            pdf = make("body%d" % k, _body_stream(bad.get("rows", ROWS), bad.get("pitch", LINE_PITCH),
                                                 bad.get("shift", 0)), cjk=True)
            source = os.path.join(tmp, "body%d.txt" % k)
            with open(source, "w", encoding="utf-8") as f:
                f.write("\n".join(bad.get("source", [r.replace("|", "") for r in
                                                      bad.get("rows", ROWS)])) + "\n")
            m = body(pdf, source)
            found = {name: m[name] for name in ("grid", "margins", "overfull", "breaks",
                                                "unmapped", "fidelity", "loose") if m[name]}
            if (want is None and found) or (want and not any(want in f for f in found.get(kind, []))):
                problems.append("%s: faults %s, want %s" % (what, found,
                                                          "%s %r" % (kind, want) if want else "none"))
    return problems


def main(args):
    if args == ["--self-test"]:
        problems = self_test()
        print("\n".join(problems) or "self-test: each check caught its case")
        return 1 if problems else 0
    if args[:1] == ["--body"] and len(args) in (2, 3):
        m = body(args[1], args[2] if len(args) == 3 else None)
        for k, v in m.items():
            if k != "rows":
                print("%-20s %s" % (k, v))
        return 1 if any(m[k] for k in ("grid", "margins", "overfull", "breaks", "unmapped",
                                       "fidelity")) else 0
    if not [a for a in args if a != "-v"]:
        sys.exit("usage: pagecheck.py [-v] FILE.pdf… | --body FILE.pdf [SOURCE.txt] | --self-test")
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
