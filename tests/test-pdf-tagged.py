#!/usr/bin/env python3
"""TAP test pdf-tagged: the flagship's PDF carries a structure tree (issue 20, item 2), read
back with poppler's `pdfinfo -struct-text`, never with gongwen's code.

Checks: the structure tree in reading order (the title as H, headings H1/H2 by level,
paragraphs P, the tables, the charts and figures as Figure), the page numbers left out; the
pixels of every page (pdftoppm -r 50) identical to an untagged render of the same input
(GONGWEN_PDF_UNTAGGED=1, which only leaves out the cairo_tag_begin/end calls); the tagged
output byte-identical across runs.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import os, re, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import REPORT  # noqa: E402
from pdftap import check, gw, run, txt, finish  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-pdf-tagged-")
G = os.path.join(T, "g.pdf")
U = os.path.join(T, "u.pdf")
ENV = dict(SOURCE_DATE_EPOCH="1500000000")
state = {}


def render(out, env):
    p = gw("render", REPORT, "-o", out, env=env)
    if p.returncode != 0 or not os.path.isfile(out):
        raise RuntimeError("render: exit %d, %s" % (p.returncode, txt(p.stderr)))


def structure(pdf):
    """pdfinfo -struct-text as a list of (depth, type, text)."""
    p = run("pdfinfo", "-struct-text", pdf)
    if p.returncode != 0 or p.stderr:
        raise RuntimeError("pdfinfo -struct-text: exit %d, %s" % (p.returncode, txt(p.stderr)))
    out, last = [], None
    for line in txt(p.stdout).split("\n"):
        m = re.match(r'^( *)"(.*)"$', line)
        if m and last is not None:
            out[last] = (out[last][0], out[last][1], out[last][2] + m[2])
            continue
        m = re.match(r"^( *)(\w+)", line)
        if m:
            out.append((len(m[1]) // 2, m[2], ""))
            last = len(out) - 1
    return out


@check("render the flagship tagged and untagged")
def _():
    render(G, ENV)
    render(U, dict(ENV, GONGWEN_PDF_UNTAGGED="1"))
    state["s"] = structure(G)
    return []


@check("structure: the title H, headings H1 and H2 in order, P, Table, Figure; no page numbers")
def _():
    s = state["s"]
    d = []
    if not s or s[0][:2] != (0, "Document") or any(dep == 0 for dep, _, _ in s[1:]):
        return ["the root is not one Document: %r" % [e for e in s if e[0] == 0][:3]]
    s = s[1:]
    kinds = [k for _, k, _ in s]
    if not kinds or kinds[0] != "H" or "2017政府信息公开工作年度报告" not in s[0][2]:
        d.append("first element %r, want the title as H" % (s[:1],))
    h1 = [t[:2] for _, k, t in s if k == "H1"]
    want = ["一、", "二、", "三、", "四、", "五、", "六、"]
    if h1 != want:
        d.append("H1 heads %r, want %r" % (h1, want))
    h2 = [t for _, k, t in s if k == "H2"]
    if not h2 or not h2[0].startswith("（一）"):
        d.append("H2: %r, want （一）… under 一、" % h2[:1])
    if "H1" not in kinds or "H2" not in kinds or kinds.index("H2") < kinds.index("H1"):
        d.append("no H1, no H2, or an H2 before the first H1")
    for k in ("P", "Table", "Figure"):
        if k not in kinds:
            d.append("no %s element" % k)
    for _, k, t in s:
        if re.search(r"—\s*\d+\s*—", t):
            d.append("a page number in %s: %r" % (k, t[:40]))
    return d


@check("tables: Table > TR > TH for the header rows, TD for the rest, in row order")
def _():
    s = state["s"]
    d = []
    tables = [i for i, (_, k, _) in enumerate(s) if k == "Table"]
    if not tables:
        return ["no Table"]
    for i in tables:
        depth = s[i][0]
        rows, j = [], i + 1
        while j < len(s) and s[j][0] > depth:
            dep, k, t = s[j]
            if k == "TR" and dep == depth + 1:
                rows.append([])
            elif k in ("TH", "TD") and dep == depth + 2 and rows:
                rows[-1].append((k, t))
            j += 1
        if not rows or not all(rows):
            d.append("Table %d: rows %r" % (i, rows[:2]))
            continue
        if rows[0][0][0] != "TH" or all(k == "TH" for r in rows for k, _ in r):
            d.append("Table %d: first row %r, want TH cells and TD cells below" % (i, rows[0]))
    # the statistics table: its header cell 统计指标 a TH, 一、主动公开情况 a TD
    cells = [(k, t) for _, k, t in s if k in ("TH", "TD")]
    if ("TH", "统计指标") not in cells:
        d.append("no TH 统计指标: %r" % cells[:6])
    return d


@check("catalog: /Lang (zh-CN) and /MarkInfo << /Marked true >>, by an incremental update "
       "that poppler and MuPDF read")
def _():
    d = []
    p = run("pdfinfo", G)
    if "Tagged:          yes" not in txt(p.stdout):
        d.append("pdfinfo does not say Tagged: yes")
    for key, want in (("Lang", "(zh-CN)"), ("MarkInfo/Marked", "true")):
        p = run("mutool", "show", G, "trailer/Root/" + key)
        if p.returncode != 0 or txt(p.stdout).strip() != want:
            d.append("mutool: Root/%s is %r, want %r (%s)" % (key, txt(p.stdout).strip(), want,
                                                              txt(p.stderr).strip()[:200]))
    with open(G, "rb") as f:
        data = f.read()
    if data.count(b"startxref") != 2 or b"/Prev " not in data[data.rfind(b"trailer"):]:
        d.append("not one incremental update with /Prev after cairo's file")
    for key in ("StructTreeRoot", "Outlines", "Pages"):
        if run("mutool", "show", G, "trailer/Root/" + key).returncode != 0:
            d.append("the updated catalog lost cairo's /%s" % key)
    p = run("mutool", "info", G)
    if p.returncode != 0 or "warning" in txt(p.stderr).lower() or "error" in txt(p.stderr).lower():
        d.append("mutool info: exit %d, %s" % (p.returncode, txt(p.stderr)[:300]))
    return d


@check("tagging changes no pixel: pdftoppm -r 50 of every page, tagged vs. untagged")
def _():
    d = []
    for name, pdf in (("g", G), ("u", U)):
        p = run("pdftoppm", "-r", "50", pdf, os.path.join(T, name))
        if p.returncode != 0:
            d.append("pdftoppm %s: %s" % (name, txt(p.stderr)))
    g = sorted(f for f in os.listdir(T) if f.startswith("g-") and f.endswith(".ppm"))
    u = sorted(f for f in os.listdir(T) if f.startswith("u-") and f.endswith(".ppm"))
    if len(g) < 8 or len(g) != len(u):
        d.append("pages: %d tagged, %d untagged" % (len(g), len(u)))
    for a, b in zip(g, u):
        with open(os.path.join(T, a), "rb") as fa, open(os.path.join(T, b), "rb") as fb:
            if fa.read() != fb.read():
                d.append("%s differs from %s" % (a, b))
    return d


@check("deterministic: the tagged PDF byte-identical across runs")
def _():
    again = os.path.join(T, "g2.pdf")
    render(again, ENV)
    with open(G, "rb") as a, open(again, "rb") as b:
        return [] if a.read() == b.read() else ["two renders differ"]


shutil.rmtree(T, ignore_errors=True)
finish()
