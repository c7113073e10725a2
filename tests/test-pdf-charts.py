#!/usr/bin/env python3
"""TAP test pdf-charts: charts and figures read back from the PDF with tests/pdfread.py:
every chart kind drawn as vectors with its labels, values and percentages; bad chart data
(exit 1 naming the file and row, no PDF); a JPEG figure embedded unchanged and a PNG as an
image; pagecheck on every PDF rendered here from tests/fixtures.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import os, shutil, sys, tempfile

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
