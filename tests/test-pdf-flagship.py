#!/usr/bin/env python3
"""TAP test pdf-flagship: the flagship report (reports/guizhou-commerce-2017) rendered with
the built gongwen and read back with tests/pdfread.py (poppler and MuPDF), never with
gongwen's code.

Checks: a clean atomic render; A4 page size and metadata; exactly the role faces fontconfig
gives, embedded, with ToUnicode; —— two cells wide; the outline (一、…六、 with （一）
children); page numbers “— N —” placed per GB/T 9704; the attachment on a new page, its
title on line 3; every cell of the statistics table in row order; the text against
report.txt (pdftotext); the body in tests/pagecheck.py: the 28 × 22 grid and its pitches,
the margins, the line-breaking rules, no overfull line, the text paragraph by paragraph,
every glyph mapped to Unicode; byte-identical output across runs and SOURCE_DATE_EPOCH;
pagecheck's self-test and its glyph count; pagecheck on every PDF rendered here.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import difflib, os, re, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import REPORT, MM, BOTTOM, LEFT, RIGHT, EM_PN  # noqa: E402
from pdftap import check, gw, txt, squash, fc_face, body_faults, finish  # noqa: E402
from pdftap import rendered_pagecheck  # noqa: E402
import pagecheck  # noqa: E402
import pdfread  # noqa: E402

PN_RE = re.compile(r"^—\s*(\d+)\s*—$")
PAGE_TOP_MM, PITCH_MM = 37.0, 225.0 / 22
T = tempfile.mkdtemp(prefix="gongwen-test-pdf-flagship-")
G = os.path.join(T, "g.pdf")
state = {}


def need_g():
    if not state.get("g_ok"):
        raise RuntimeError("g.pdf was not rendered (see check 1)")


@check("render the seed report atomically")
def _():
    p = gw("render", REPORT, "-o", G)
    d = []
    if p.returncode != 0:
        d.append("exit %d, stderr: %s" % (p.returncode, txt(p.stderr)))
    left = sorted(os.listdir(T))
    if left != ["g.pdf"]:
        d.append("files in T: %s (want only g.pdf)" % left)
    state["g_ok"] = os.path.isfile(G) and os.path.getsize(G) > 0
    if state["g_ok"]:
        state["stext"] = pdfread.stext(G)
    return d


@check("pdfinfo: A4, pages, metadata")
def _():
    need_g()
    info = pdfread.info(G)
    d = []
    m = re.match(r"([\d.]+) x ([\d.]+) pts", info.get("Page size", ""))
    if not m or abs(float(m[1]) - 595.28) > 0.5 or abs(float(m[2]) - 841.89) > 0.5:
        d.append("page size %r, want 595.28 x 841.89" % info.get("Page size"))
    if int(info.get("Pages", 0)) < 8:
        d.append("Pages %r < 8" % info.get("Pages"))
    for k, want in (("Title", "省商务厅2017政府信息公开工作年度报告"), ("Author", "贵州省商务厅")):
        if info.get(k) != want:
            d.append("%s %r, want %r" % (k, info.get(k), want))
    if not info.get("Creator", "").startswith("gongwen "):
        d.append("Creator %r does not start with 'gongwen '" % info.get("Creator"))
    if not info.get("CreationDate"):
        d.append("no CreationDate")
    return d


# The families the roles resolve to with tools/debian-packages.txt: FandolFang (body), Noto
# Serif CJK SC Black (title), Noto Sans CJK SC (level 1), AR PL KaitiM GB (level 2), Noto Serif
# CJK SC (page numbers, the 宋体 substitute). fontconfig says which face each one is.
WANT_FAMILIES = ["FandolFang", "Noto Serif CJK SC Black", "Noto Sans CJK SC", "AR PL KaitiM GB",
                 "Noto Serif CJK SC"]


@check("pdffonts: exactly the role faces, all embedded, subset, with ToUnicode")
def _():
    need_g()
    want = {fc_face(f)["postscriptname"] for f in WANT_FAMILIES}
    d, faces = [], set()
    for f in pdfread.fonts(G):
        if not (f["embedded"] and f["subset"] and f["unicode"]):
            d.append("font %s: embedded %s, subset %s, ToUnicode %s"
                     % (f["name"], f["embedded"], f["subset"], f["unicode"]))
        faces.add(f["name"])
    if faces != want:
        d.append("faces %s; want %s (fontconfig's faces of %s)" % (sorted(faces), sorted(want),
                                                                   WANT_FAMILIES))
    return d


@check("—— measures 2 em on the grid (mutool glyph origins)")
def _():
    need_g()
    d, found = [], 0
    for pg in pdfread.stext(G):
        for l in pg:
            ch = l["chars"]
            for i in range(len(ch) - 2):
                if ch[i][0] == "—" and ch[i + 1][0] == "—":
                    found += 1
                    x0, x1, x2 = ch[i][1], ch[i + 1][1], ch[i + 2][1]
                    if not (15.5 <= x1 - x0 <= 16.2 and 31.2 <= x2 - x0 <= 32.4):
                        d.append("—— at x=%.2f: next dash +%.2f, next char +%.2f (want one and "
                                 "two 15.79-pt cells)" % (x0, x1 - x0, x2 - x0))
    if found == 0:
        d.append("no —— found in g.pdf")
    return d


@check("outline: 一、…六、 at top level, （一） children")
def _():
    need_g()
    ents = pdfread.outline(G)
    if not ents:
        return ["no outline entries"]
    top = min(l for l, _ in ents)
    tops = [t for l, t in ents if l == top]
    d = []
    want = ["一、", "二、", "三、", "四、", "五、", "六、"]
    if len(tops) != 6 or any(not t.startswith(w) for t, w in zip(tops, want)):
        d.append("top-level entries: %s" % tops)
    if len(ents) < 2 or ents[1][0] != top + 1 or not ents[1][1].startswith("（一）"):
        d.append("first child of 一、: %r" % (ents[1:2],))
    return d


@check("page numbers — N — on every page, placed per GB/T 9704")
def _():
    need_g()
    d = []
    for i, lines in enumerate(state["stext"], 1):
        pn = [l for l in lines if PN_RE.match(l["text"].strip())]
        if not pn or int(PN_RE.match(pn[-1]["text"].strip())[1]) != i:
            d.append("page %d: page-number lines %s" % (i, [l["text"] for l in pn]))
            continue
        l = pn[-1]
        if i % 2:
            lo, hi = RIGHT - EM_PN - 3, RIGHT
            if not lo <= l["x1"] <= hi:
                d.append("page %d: right end %.2f pt not in [%.2f, %.2f]" % (i, l["x1"], lo, hi))
        elif abs(l["x0"] - (LEFT + EM_PN)) > 3:
            d.append("page %d: left start %.2f pt, want %.2f ±3" % (i, l["x0"], LEFT + EM_PN))
        if not BOTTOM < l["y"] < 280 * MM:
            d.append("page %d: baseline %.2f pt (%.1f mm) not in (262, 280) mm" % (i, l["y"], l["y"] / MM))
    return d


@check("attachment on a new page, its title on line 3")
def _():
    need_g()
    pages, d = state["stext"], []
    title = "贵州省商务厅2017年度政府信息公开情况统计表"
    starts = [i for i, pg in enumerate(pages)
              if [l for l in pg if not PN_RE.match(l["text"])][:1]
              and [l for l in pg if not PN_RE.match(l["text"])][0]["text"] == "附件"]
    if len(starts) != 1:
        return ["pages starting with 附件: %s, want exactly one" % [i + 1 for i in starts]]
    at = starts[0]
    lines = [l for l in pages[at] if not PN_RE.match(l["text"])]
    if not 37 <= lines[0]["y"] / MM <= 50:
        d.append("'附件' baseline at %.1f mm from top, want 37–50" % (lines[0]["y"] / MM))
    joined = "".join(l["text"] for l in lines[1:3])
    if title not in joined:
        d.append("attachment title not in the lines after 附件: %r" % joined)
    third = PAGE_TOP_MM + 2 * PITCH_MM
    if not third <= lines[1]["y"] / MM <= third + PITCH_MM:
        d.append("the title's first baseline at %.1f mm; line 3 is %.1f–%.1f mm"
                 % (lines[1]["y"] / MM, third, third + PITCH_MM))
    for i, pg in enumerate(pages[:at], 1):
        if any(l["text"] == title or (l["text"] in title and l["size"] > 16) for l in pg):
            d.append("attachment title as a title line on page %d" % i)
    if not any(l["text"].startswith("附件：") for p in pages[:at] for l in p):
        d.append("no '附件：' note line before the attachment")
    return d




def in_order(needles, hay):
    """The first needle not found in `hay` after the previous one, or None."""
    at = 0
    for n in needles:
        k = hay.find(n, at)
        if k < 0:
            return n
        at = k + len(n)
    return None


@check("tables: the flagship attachment holds every cell of stats.tsv in row order")
def _():
    need_g()
    rows = [l.split("\t") for l in open(os.path.join(REPORT, "stats.tsv"), encoding="utf-8")
            .read().splitlines() if l.strip()]
    cells = [squash(c) for r in rows for c in r if squash(c)]
    text = squash("".join(pdfread.text(G, raw=True)))
    start = text.find("政府信息公开情况统计表")
    missing = in_order(cells, text[start:]) if start >= 0 else "统计表"
    return [] if missing is None else ["cell %r not found in order (of %d cells)" % (missing, len(cells))]



@check("text fidelity: report.txt in pdftotext output (ratio >= 0.999)")
def _():
    need_g()
    src = open(os.path.join(REPORT, "report.txt"), encoding="utf-8").read().splitlines()
    if src and src[0].strip() == "---":
        src = src[src.index("---", 1) + 1:]
    src = [l for l in src if not l.startswith("@")]  # directives print no text of their own
    a = squash("".join(src))
    out = [l for pg in pdfread.text(G) for l in pg.splitlines() if not PN_RE.match(l.strip())]
    b = squash("".join(out))
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    blocks = sm.get_matching_blocks()
    ratio = sum(m.size for m in blocks) / max(1, len(a))
    if ratio >= 0.999:
        return []
    d = ["ratio %.5f (%d of %d source chars matched)" % (ratio, sum(m.size for m in blocks), len(a))]
    missing = [(a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes()
               if op in ("delete", "replace")]
    for want, got in missing[:8]:
        d.append("missing %r (pdf has %r)" % (want, got))
    return d



@check("the body in pagecheck: grid 28 × 22, margins, line breaks, none overfull, the text")
def _():
    need_g()
    m = pagecheck.body(G, os.path.join(REPORT, "report.txt"))
    print("# %d pages; body lines per page %s; line pitch %s pt, character pitch %s pt; %s "
          "characters per full line (%d full lines); left %s mm, first line's top %s mm, last "
          "line's bottom %s mm, ink to %s mm" % (len(m["lines"]), m["lines"], m["line_pitch"],
          m["char_pitch"], m["chars_per_full_line"], m["full_lines"], m["left_mm"],
          m["first_top_mm"], m["last_bottom_mm"], m["right_mm"]))
    d = body_faults(m, ("grid", "margins", "overfull", "breaks", "fidelity", "unmapped", "loose"))
    sizes = {(round(w, 1), round(h, 1)) for w, h in pdfread.page_sizes(G)}
    if sizes != {(595.3, 841.9)}:
        d.append("page sizes %s pt, want only A4 portrait (595.3 × 841.9)" % sorted(sizes))
    return d


@check("deterministic: same bytes across runs and SOURCE_DATE_EPOCH")
def _():
    need_g()
    g2, g3 = os.path.join(T, "g2.pdf"), os.path.join(T, "g3.pdf")
    d = []
    for out, env in ((g2, None), (g3, {"SOURCE_DATE_EPOCH": "1"})):
        p = gw("render", REPORT, "-o", out, env=env)
        if p.returncode != 0:
            d.append("render %s: exit %d %s" % (out, p.returncode, txt(p.stderr)))
    ref = open(G, "rb").read()
    for out in (g2, g3):
        if os.path.exists(out) and open(out, "rb").read() != ref:
            b = open(out, "rb").read()
            k = next((i for i in range(min(len(b), len(ref))) if b[i] != ref[i]), min(len(b), len(ref)))
            d.append("%s differs from g.pdf at byte %d: %r vs %r" % (os.path.basename(out), k,
                     b[k:k + 40], ref[k:k + 40]))
    return d




@check("pagecheck: it reads every glyph of the flagship and fails on PDFs made bad on purpose")
def _():
    d = pagecheck.self_test()
    need_g()
    n = pagecheck.check(G)[1]
    chars = len(squash("".join(pdfread.text(G))))
    if n["glyphs"] != chars or n["pages"] != len(state["stext"]):
        d.append("pagecheck read %d glyphs on %d pages of g.pdf; pdftotext reads %d characters "
                 "on %d" % (n["glyphs"], n["pages"], chars, len(state["stext"])))
    return d


# Last: the PDFs the checks above rendered from reports/ and tests/fixtures (each distinct one
# once). None of them comes from hostile input: the bad-input matrix, the killed render and
# the generated tables and figures render reports written into T, which are not collected.
@check("every rendered PDF: no glyph or rule outside the type area, no glyphs over each other")
def _():
    return rendered_pagecheck()



shutil.rmtree(T, ignore_errors=True)
finish()
