#!/usr/bin/env python3
"""TAP test pdf-charts: charts and figures read back from the PDF with tests/pdfread.py:
every chart kind drawn as vectors with its labels, values and percentages; bad chart data
(exit 1 naming the file and row, no PDF); a JPEG figure embedded unchanged and a PNG as an
image; pagecheck on every PDF rendered here from tests/fixtures.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import os, re, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import SRC, check, gw, txt, squash, finish, rendered_pagecheck  # noqa: E402
import pdfread  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-pdf-charts-")


@check("charts: every kind renders as vectors; labels, values and percentages read back")
def _():
    out = os.path.join(T, "charts.pdf")
    p = gw("render", os.path.join(SRC, "tests", "fixtures", "charts"), "-o", out)
    if p.returncode != 0:
        return ["exit %d: %s" % (p.returncode, txt(p.stderr)[:300])]
    d = []
    text = squash("".join(pdfread.text(out, raw=True)))
    for want in ("图1柱状图", "图2条形图", "图3堆积柱状图", "图4饼图", "图5环形图", "图6折线图",
                 "第一季度", "收到", "办结", "227份", "网上申请54件（81%）", "信函申请12件（18%）",
                 "当面申请1件（1%）", "合计67件", "单位：件", "国家发展改革委员会",
                 "图8八个系列的图例", "系列八"):
        if want not in text:
            d.append("%r not in the PDF text" % want)
    images = pdfread.images(out)
    if images:
        d.append("raster images in a PDF of charts: %s" % images[:2])
    return d


@check("charts of 100 categories with long labels: labels thinned with a warning, none over another")
def _():
    out = os.path.join(T, "many.pdf")
    p = gw("render", os.path.join(SRC, "tests", "fixtures", "charts-many"), "-o", out)
    if p.returncode != 0:
        return ["exit %d: %s" % (p.returncode, txt(p.stderr)[:300])]
    d = []
    warned = [l for l in txt(p.stderr).splitlines() if "some category or value labels are left out" in l]
    if len(warned) != 4 or not all(":%d:1: warning:" % n in w for n, w in zip((3, 4, 5, 6), warned)):
        d.append("want a warning at each of the four @chart lines: %r" % warned)
    text = squash("".join(pdfread.text(out, raw=True)))
    for want in ("第0类政府信息公开申请办理事项", "图1柱状图", "图4饼图"):
        if want not in text:
            d.append("%r not in the PDF text" % want)
    return d  # the pagecheck of every PDF rendered here, last, sees no glyph over another


@check("charts: a non-number, a negative value in a pie, no rows: exit 1 naming file and row")
def _():
    d = []
    cases = [("nan.tsv", "bar", "甲\t1\n乙\tNaN\n", "nan.tsv:3:2:", "not a number"),
             ("huge.tsv", "bar", "甲\t1e999\n", "huge.tsv:2:2:", "not a number"),
             ("neg.tsv", "pie", "甲\t5\n乙\t-2\n", "neg.tsv:3:2:", "negative"),
             ("zero.tsv", "pie", "甲\t0\n乙\t0\n", "zero.tsv:2:2:", "zero"),
             ("empty.tsv", "bar", "", "empty.tsv:1:1:", "no body row")]
    for name, kind, body, where, phrase in cases:
        folder = os.path.join(T, "chart-" + name.replace(".", "-"))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
            f.write("图表错误\n正文。\n@chart %s %s\n" % (kind, name))
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write("类别\t数值\n" + body)
        out = os.path.join(T, "chart-bad.pdf")
        p = gw("render", folder, "-o", out)
        err = txt(p.stderr)
        if p.returncode != 1 or where not in err or phrase not in err:
            d.append("%s: exit %d, stderr %r (want %r, %r)" % (name, p.returncode, err[:160], where, phrase))
        if os.path.exists(out):
            d.append("%s: a PDF was written" % name)
    return d


FROM_TABLE = os.path.join(SRC, "tests", "fixtures", "charts", "from-table")
# The 办理结果 rows of the application table and their names in the charts (the label
# without its numbering and its note in brackets).
OUTCOMES = [("（一）", "予以公开"), ("（二）", "部分公开"), ("（三）", "不予公开"),
            ("（四）", "无法提供"), ("（五）", "不予处理"), ("（六）", "其他处理")]


def traced_lines(pdf):
    """Per page: its lines of text (dicts: text, x0, x1, y, glyphs) and the boxes of its
    table cells (rectangles narrower than the type area)."""
    pages = []
    for _, _, _, glyphs, paths, runs in pdfread.trace(pdf):
        lines = []
        for r in runs:
            g = [glyphs[i] for i in r]
            lines.append(dict(text="".join(x["c"] for x in g), x0=g[0]["box"][0],
                              x1=g[-1]["box"][2], y=g[0]["y"], glyphs=g))
        pages.append((lines, [b for b, _ in paths if b[2] - b[0] < 400]))
    return pages


def smallest_box(boxes, x, y):
    inside = [b for b in boxes if b[0] <= x <= b[2] and b[1] <= y <= b[3]]
    return min(inside, key=lambda b: (b[2] - b[0]) * (b[3] - b[1])) if inside else None


def table_figures(pages, head, prefixes):
    """The figures the PDF's table shows in the column headed `head` for each label that
    begins with a prefix: the sum of the figures beside its cell (a group's cell spans its
    items' rows), on every page the cell is on."""
    sums = {p: None for p in prefixes}
    for lines, boxes in pages:
        heads = [l for l in lines if l["text"] == head]
        col = heads and smallest_box(boxes, heads[0]["x0"] + 1, heads[0]["y"] - 2)
        for l in lines if col else []:
            prefix = next((p for p in prefixes if l["text"].startswith(p)), None)
            cell = prefix and smallest_box(boxes, l["x0"] + 1, l["y"] - 2)
            if not cell:
                continue
            rows = {}
            for m in lines:
                for g in m["glyphs"]:
                    if g["c"].isdigit() and col[0] < g["x"] < col[2] and cell[1] < g["y"] < cell[3]:
                        rows.setdefault(round(g["y"], 1), []).append(g)
            figures = [int("".join(g["c"] for g in sorted(gs, key=lambda g: g["x"])))
                       for gs in rows.values()]
            sums[prefix] = (sums[prefix] or 0) + sum(figures)
    return sums


def bar_values(pages, names):
    """The value label over each named category of a bar chart: the figure centred above
    the category's label."""
    values = {}
    for lines, _ in pages:
        for l in lines:
            if l["text"] not in names:
                continue
            centre = (l["x0"] + l["x1"]) / 2
            above = [m for m in lines if re.fullmatch(r"\d+", m["text"]) and l["y"] - 300 < m["y"] < l["y"]
                     and abs((m["x0"] + m["x1"]) / 2 - centre) < 3]
            if len(above) == 1:
                values[l["text"]] = int(above[0]["text"])
    return values


@check("a chart from the application table shows the table's figures (read back from the PDF)")
def _():
    out = os.path.join(T, "from-table.pdf")
    p = gw("render", FROM_TABLE, "-o", out)
    # no diagnostic from gongwen (a sanitizer build's leak checker may add its own report
    # of suppressions to standard error)
    said = [l for l in txt(p.stderr).splitlines() if re.search(r"(warning|error):", l)]
    if p.returncode != 0 or said:
        return ["exit %d: %s" % (p.returncode, said[:3] or txt(p.stderr)[:300])]
    pages = traced_lines(out)
    table = table_figures(pages, "总计", [n for n, _ in OUTCOMES] + ["（七）"])
    bars = bar_values(pages, [name for _, name in OUTCOMES])
    text = squash("".join(pdfread.text(out, raw=True)))
    pie = {m.group(1): int(m.group(2)) for m in re.finditer(r"(\w{4})(\d+)件（\d+%）", text)}
    d = []
    for number, name in OUTCOMES:
        if table[number] is None or table[number] != bars.get(name) or table[number] != pie.get(name):
            d.append("%s%s: the table shows %s, the bar chart %s, the pie %s"
                     % (number, name, table[number], bars.get(name), pie.get(name)))
    if sum(bars.values()) != table["（七）"] or len(bars) != 6:
        d.append("the bars add up to %d, the table's （七）总计 is %s" % (sum(bars.values()), table["（七）"]))
    return d


@check("a chart from a table: an unknown label or column, a blank cell: exit 1 at file:line:col")
def _():
    d = []
    folder = os.path.join(T, "from-table-bad")
    os.makedirs(folder, exist_ok=True)
    for name in ("apply.tsv", "gaps.tsv"):
        shutil.copy(os.path.join(FROM_TABLE, name), folder)
    cases = [("@chart bar apply.tsv rows=（一）,（八） column=总计", "report.txt:4:31: error: apply.tsv: "
              "no row label begins with “（八）”; the closest are “（一）予以公开” (row 6)"),
             ("@chart bar apply.tsv rows=（一）..（六） column=总数", "report.txt:4:43: error: apply.tsv: "
              "no figure column is headed “总数”; the figure columns are “自然人”"),
             ("@chart bar gaps.tsv rows=（一）/2 column=统计数", "report.txt:4:26: error: gaps.tsv: "
              "row 4, column 3 (“2．传真申请数”, “统计数”) is blank")]
    for line, want in cases:
        with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
            f.write("图表错误\n@table apply.tsv header=3\n@table gaps.tsv\n%s 图\n" % line)
        out = os.path.join(T, "from-table-bad.pdf")
        p = gw("render", folder, "-o", out)
        err = txt(p.stderr)
        if p.returncode != 1 or want not in err:
            d.append("%s: exit %d, stderr %r (want %r)" % (line, p.returncode, err[:300], want))
        if os.path.exists(out):
            d.append("%s: a PDF was written" % line)
    return d


@check("figures: a JPEG goes in unchanged (N + 2 KB at most), a PNG as an image")
def _():
    d = []
    figs = os.path.join(SRC, "tests", "fixtures", "figures")
    folder = os.path.join(T, "figures")
    os.makedirs(folder, exist_ok=True)
    for n in ("sample.jpg", "sample.png"):
        shutil.copy(os.path.join(figs, n), folder)
    sizes = {}
    for name, extra in (("base", ""), ("jpg", "@figure sample.jpg 示例照片\n"),
                        ("png", "@figure sample.png 示例照片\n")):
        with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
            f.write("图片测试\n图1示例照片。\n" + extra)
        out = os.path.join(T, name + "-fig.pdf")
        p = gw("render", folder, "-o", out)
        if p.returncode != 0:
            return ["%s: exit %d %s" % (name, p.returncode, txt(p.stderr)[:200])]
        sizes[name] = os.path.getsize(out)
    n = os.path.getsize(os.path.join(figs, "sample.jpg"))
    if sizes["jpg"] - sizes["base"] > n + 2048:
        d.append("the JPEG of %d bytes added %d bytes" % (n, sizes["jpg"] - sizes["base"]))
    jpg = pdfread.images(os.path.join(T, "jpg-fig.pdf"))
    if len(jpg) != 1 or " jpeg " not in jpg[0]:
        d.append("pdfimages for the JPEG figure: %s" % jpg)
    png = pdfread.images(os.path.join(T, "png-fig.pdf"))
    if len(png) != 1:
        d.append("pdfimages for the PNG figure: %s" % png)
    return d



# Last: the fixtures rendered above (the bad charts and the figures are reports written into
# T, which are not collected).
@check("every rendered PDF: no glyph or rule outside the type area, no glyphs over each other")
def _():
    return rendered_pagecheck()


shutil.rmtree(T, ignore_errors=True)
finish()
