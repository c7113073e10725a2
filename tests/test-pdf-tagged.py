#!/usr/bin/env python3
"""TAP test pdf-tagged: the flagship's PDF carries a structure tree (issue 20, item 2), read
back with poppler's `pdfinfo -struct-text`, never with gongwen's code.

Checks: the structure tree in reading order (the title as H, headings H1/H2 by level,
paragraphs P, the tables, the charts and figures as Figure), the page numbers left out; the
pixels of every page (pdftoppm -r 50) identical to an untagged render of the same input
(GONGWEN_PDF_UNTAGGED=1, which only leaves out the structure and its marked content); the tagged
output byte-identical across runs.

Page furniture (page numbers, the 版记's rules, a table's frame and repeated header rows) is
marked /Artifact in the content streams (read with mutool show -b) and is in no element.
The figures' alternative text (/Alt), which pdfinfo does not print, is read with poppler's
own structure reader (poppler-glib, tests/pdfalt.py) and with MuPDF (mutool show of the
Document's kids). A table's title is a Caption in its Table (sample-2019-format). A PDF over
8 MiB (a 9 MiB JPEG figure) is tagged as well, the catalog is written once (no incremental
update), and a PDF written to a pipe is the file's.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import json, os, re, shutil, struct, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import REPORT  # noqa: E402
from pdftap import check, gw, run, txt, finish  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-pdf-tagged-")
G = os.path.join(T, "g.pdf")
U = os.path.join(T, "u.pdf")
ENV = dict(SOURCE_DATE_EPOCH="1500000000")
state = {}


def render(out, env, report=REPORT):
    p = gw("render", report, "-o", out, env=env)
    if p.returncode != 0 or not os.path.isfile(out):
        raise RuntimeError("render: exit %d, %s" % (p.returncode, txt(p.stderr)))


def structure(pdf, spans=False):
    """pdfinfo -struct-text as a list of (depth, type, text); the text of a Span (a block's
    text on one page, when it goes on over a page) its element's, unless `spans`."""
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
        if m and m[2] == "Span" and not spans:
            continue
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


NUMBER = r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)"


# The flagship's headings in reading order, from its source: the title, then 一、… as H1 and
# （一）… as H2.
def flagship_headings():
    with open(os.path.join(REPORT, "report.txt"), encoding="utf-8") as f:
        lines = [l.strip() for l in f]
    want = [("H", "省商务厅2017政府信息公开工作年度报告")]
    for l in lines:
        m = re.match(NUMBER, l)
        if m:
            want.append(("H1" if m[1].endswith("、") else "H2", m[1]))
    return want


@check("headings: H, H1 and H2 exactly as the source's headings, in reading order")
def _():
    want = flagship_headings()
    got = []
    for _, k, t in state["s"]:
        m = re.match(NUMBER, t)
        if k == "H":
            got.append((k, t))
        elif k in ("H1", "H2", "H3", "H4"):
            got.append((k, m[1] if m else t[:12]))
    if len(want) < 25 or got != want:
        return ["headings %r, want %r" % (got[:8], want[:8])]
    return []


@check("tables: the stats table over 3 pages is one Table of 66 rows, its 3 TH cells (统计指标, "
       "单位, 统计数) once: the header rows repeated on its pages are left out of the tree")
def _():
    s = state["s"]
    tables = sum(1 for _, k, _ in s if k == "Table")
    rows = sum(1 for _, k, _ in s if k == "TR")
    th = [t for _, k, t in s if k == "TH"]
    if tables != 1 or rows != 66 or th != ["统计指标", "单位", "统计数"]:
        return ["%d Tables, %d rows, TH cells %r" % (tables, rows, th[:6])]
    return []


@check("a paragraph that goes on over a page is one element, its text on each page a Span")
def _():
    s = structure(G, spans=True)
    d = []
    with open(os.path.join(REPORT, "report.txt"), encoding="utf-8") as f:
        source = [l.strip() for l in f if l.startswith("（三）注重政务公开队伍建设")][0]
    for i, (dep, k, t) in enumerate(s):
        if k == "H2" and i + 2 < len(s) and s[i + 1][2].startswith("（三）注重"):
            spans = [e for e in s[i + 1:i + 3] if e[:2] == (dep + 1, "Span")]
            if len(spans) != 2 or spans[0][2] + spans[1][2] != source:
                d.append("（三）注重…: %r" % (s[i:i + 3],))
            break
    else:
        d.append("no H2 （三）注重… with Spans")
    if any(k == "Span" and dep < 2 for dep, k, _ in s):
        d.append("a Span that is not inside a block's element")
    return d


FLAGSHIP_ALTS = [
    "图1　2017年依申请公开申请方式：当面申请1件，网络申请54件，信函申请12件",
    "图2　2017年依申请公开申请办理结果：同意公开25件，同意部分公开6件，不同意公开1件，"
    "非本机关政府信息2件，申请信息不存在26件，告知作出更改补充4件，申请人自行撤销3件",
    "图3　2017年网民留言类别：投诉227份，咨询176份，建议3份",
]


def poppler_elements(pdf):
    """The structure elements as poppler-glib reads them (tests/pdfalt.py), with the first
    Python that has gi and its Poppler typelib (Debian: python3-gi, gir1.2-poppler-0.18)."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdfalt.py")
    tried = []
    for py in (sys.executable, "/usr/bin/python3"):
        try:
            p = subprocess.run([py, script, pdf], capture_output=True)
        except FileNotFoundError:
            continue
        if p.returncode == 0:
            return json.loads(txt(p.stdout))
        tried.append("%s: %s" % (py, txt(p.stderr).strip().split("\n")[-1]))
    raise RuntimeError("poppler-glib cannot be run (Debian packages python3-gi, "
                       "gir1.2-poppler-0.18): %s" % "; ".join(tried))


def mutool_alts(pdf):
    """The /Alt of every Figure among the Document's kids, as MuPDF reads the file: mutool show
    of trailer/Root/StructTreeRoot/K/1/K/*."""
    p = run("mutool", "show", "-g", pdf, "trailer/Root/StructTreeRoot/K/1/K/*")
    if p.returncode != 0:
        raise RuntimeError("mutool show: %s" % txt(p.stderr)[:200])
    alts = []
    for line in txt(p.stdout).split("\n"):
        if "/S/Figure" not in line:
            continue
        m = re.search(r"/Alt\s*<FEFF([0-9A-Fa-f]*)>", line)
        alts.append(bytes.fromhex(m[1]).decode("utf-16-be") if m else None)
    return alts


@check("figures: each chart's Figure has /Alt, the caption and its figures in words, exactly "
       "(poppler and MuPDF)")
def _():
    d = []
    figs = [[dep, alt] for dep, kind, alt in poppler_elements(G) if kind == "figure"]
    if [a for _, a in figs] != FLAGSHIP_ALTS:
        d.append("poppler: Figure alternative texts %r, want %r" % (figs, FLAGSHIP_ALTS))
    alts = mutool_alts(G)
    if alts != FLAGSHIP_ALTS:
        d.append("mutool: %r" % alts)
    # in reading order: the Figures last, after the table, as in the source
    kinds = [k for _, k, _ in state["s"]]
    if kinds.count("Figure") != 3 or kinds.index("Figure") < max(
            i for i, k in enumerate(kinds) if k == "Table"):
        d.append("the Figures are not the last elements after the Tables")
    return d


@check("captions: a table's title is a Caption, the first child of its Table "
       "(sample-2019-format)")
def _():
    out = os.path.join(T, "s19.pdf")
    render(out, ENV, os.path.join(os.path.dirname(REPORT), "sample-2019-format"))
    s = structure(out)
    d = []
    caps = []
    for i, (dep, k, t) in enumerate(s):
        if k == "Table" and i + 1 < len(s) and s[i + 1][:2] == (dep + 1, "Caption"):
            caps.append(s[i + 1][2])
    want = ["主动公开政府信息情况", "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况"]
    if caps != want:
        d.append("Captions %r, want %r" % (caps, want))
    if any(k == "Caption" and dep == 1 for dep, k, _ in s):
        d.append("a Caption outside a Table")
    return d


def big_jpeg(path, small, size):
    """A JPEG of at least `size` bytes: `small`'s image with comment segments after its SOI."""
    with open(small, "rb") as f:
        data = f.read()
    body = b"".join(b"\xff\xfe" + struct.pack(">H", 65535) + bytes(65533)
                    for _ in range(size // 65537 + 1))
    with open(path, "wb") as f:
        f.write(data[:2] + body + data[2:])


@check("a PDF over 8 MiB (a 9 MiB JPEG figure and a chart): the Figures' /Alt read by "
       "poppler, /Lang by MuPDF, no warning")
def _():
    folder = os.path.join(T, "big")
    os.makedirs(folder, exist_ok=True)
    big_jpeg(os.path.join(folder, "big.jpg"),
             os.path.join(os.path.dirname(REPORT), "..", "tests", "fixtures", "figures",
                          "sample.jpg"), 9 << 20)
    shutil.copy(os.path.join(REPORT, "channels.tsv"), folder)
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        f.write("大文件测试\n一、图片\n这是一张很大的图片。\n@figure big.jpg 门户网站页面\n"
                "@chart pie channels.tsv unit=件 申请方式\n")
    out = os.path.join(T, "big.pdf")
    p = gw("render", folder, "-o", out, env=ENV)
    d = []
    # (a sanitizer build prints its suppressions on standard error: only warnings count)
    if p.returncode != 0 or re.search(r"warning|error", txt(p.stderr), re.I):
        return ["render: exit %d, %s" % (p.returncode, txt(p.stderr)[:300])]
    if os.path.getsize(out) <= 8 << 20:
        d.append("the PDF is %d bytes, not over 8 MiB" % os.path.getsize(out))
    figs = [alt for _, kind, alt in poppler_elements(out) if kind == "figure"]
    want = ["图1　门户网站页面", "图2　申请方式：当面申请1件，网络申请54件，信函申请12件"]
    if figs != want:
        d.append("Figures %r, want %r" % (figs, want))
    p = run("mutool", "show", out, "trailer/Root/Lang")
    if txt(p.stdout).strip() != "(zh-CN)":
        d.append("mutool: Root/Lang %r" % txt(p.stdout).strip())
    return d


@check("a PDF written to a pipe (-o -) is byte for byte the one written to a file")
def _():
    p = gw("render", REPORT, "-o", "-", env=ENV)
    with open(G, "rb") as f:
        if p.returncode != 0 or p.stdout != f.read():
            return ["exit %d, %d bytes, %s" % (p.returncode, len(p.stdout), txt(p.stderr)[:200])]
    return []


def page_contents(pdf, page):
    """A page's content stream, decoded by MuPDF."""
    p = run("mutool", "show", "-b", pdf, "pages/%d/Contents" % page)
    if p.returncode != 0:
        raise RuntimeError("mutool show -b pages/%d/Contents: %s" % (page, txt(p.stderr)[:200]))
    return p.stdout.decode("latin-1")


@check("page furniture: every page number (14 pt text below the type area) in an /Artifact "
       "sequence, no furniture element left in the tree, no /Private marked content")
def _():
    d = []
    pages = int(re.search(r"Pages:\s+(\d+)", txt(run("pdfinfo", G).stdout))[1])
    numbers = 0
    for page in range(1, pages + 1):
        stack, marks = [], []
        for line in page_contents(G, page).split("\n"):
            line = line.strip()
            m = re.match(r"^/(\w+)\b.*\b(BMC|BDC)$", line)
            if m:
                stack.append(m[1])
            elif line == "EMC":
                stack.pop() if stack else d.append("page %d: EMC without BMC" % page)
            m = re.match(r"^(\S+) 0 0 (\S+) (\S+) (\S+) Tm$", line)
            if m and abs(float(m[1]) - 14) < 0.01 and float(m[4]) > 262 * 72 / 25.4:
                marks.append(list(stack))
            if "/Private" in line:
                d.append("page %d: %r" % (page, line))
        if not marks or any(m[-1:] != ["Artifact"] for m in marks):
            d.append("page %d: the page number's marks %r" % (page, marks))
        numbers += len(marks)
    if numbers < pages:
        d.append("%d page numbers in artifacts on %d pages" % (numbers, pages))
    if any(k in ("Private", "NonStruct") for _, k, _ in structure(G, spans=True)):
        d.append("a furniture element in the tree")
    return d


@check("catalog: /Lang (zh-CN) and /MarkInfo << /Marked true >>, written with the file (one "
       "cross-reference table, no incremental update), which poppler and MuPDF read")
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
    p = run("mutool", "show", G, "trailer/Root")
    if txt(p.stdout).count("/MarkInfo") != 1:
        d.append("the catalog has /MarkInfo %d times" % txt(p.stdout).count("/MarkInfo"))
    with open(G, "rb") as f:
        data = f.read()
    if data.count(b"startxref") != 1 or b"/Prev " in data[data.rfind(b"trailer"):]:
        d.append("not one cross-reference table: %d startxref" % data.count(b"startxref"))
    for key in ("StructTreeRoot", "Outlines", "Pages"):
        if run("mutool", "show", G, "trailer/Root/" + key).returncode != 0:
            d.append("the catalog has no /%s" % key)
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
