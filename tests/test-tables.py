#!/usr/bin/env python3
"""TAP: tables as real forms need them (issue 14), read back from the PDF with
tests/pdfread.py (MuPDF and poppler): the annual report's three prescribed tables in their
published shape, forms with no header, merged cells in body rows, column widths, sizes, line
breaks in cells, tall rows, rows taller than a page, tables too wide to fit, a generated
300-row table (its header on every page, no row split), CSV quoting, bad table files (a
ragged row, an unreadable file — as root, read as nobody —, a directory, paths leading out,
an unclosed quote), and no glyph or rule outside the type area in any table rendered here
(tests/pagecheck.py)."""
import os, re, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import MM, SRC, BIN, check, finish, gw, in_order, run, squash, txt  # noqa: E402
import pagecheck  # noqa: E402
import pdfread  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-tables-")
PN_RE = re.compile(r"^—\s*(\d+)\s*—$")
FIX = os.path.join(SRC, "tests", "fixtures", "tables")
SAMPLE = os.path.join(SRC, "reports", "sample-2019-format")
rendered = {}


def render(src, name=None):
    """Render a report folder; the PDF's path (cached), or raise with gongwen's message."""
    out = os.path.join(T, (name or os.path.basename(src.rstrip("/"))) + ".pdf")
    if out not in rendered:
        p = gw("render", src, "-o", out)
        if p.returncode != 0:
            raise RuntimeError("render %s: exit %d: %s" % (src, p.returncode, txt(p.stderr)))
        rendered[out] = txt(p.stderr)
    return out


def cells_of(path):
    """The cell texts of a TSV or CSV table file, row by row, merge marks left out."""
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="," if path.endswith(".csv") else "\t"))
    return [c.replace("\\n", "\n") for r in rows for c in r if c not in ("", "^", "<")]


def page_lines(pdf):
    return [[l for l in pg] for pg in pdfread.stext(pdf)]


def cells_around(boxes, line):
    """The table cells (rectangles narrower than the type area) holding a line's start."""
    return [b for b in boxes if b[1] < line["y"] < b[3] and b[0] <= line["x0"] <= b[2]
            and b[2] - b[0] < 400]


def rects(pdf):
    """Per page: the rectangles drawn (table cells and frames), as (x0, y0, x1, y1) pt."""
    return [[b for b, half in paths] for _, _, _, _, paths, _ in pagecheck.pages(pdf)]


# ---- the annual report's three tables ----

@check("sample-2019-format: check prints no warning; every cell of the three tables in order")
def _():
    d = []
    p = gw("check", SAMPLE)
    if p.returncode != 0 or ": warning:" in txt(p.stderr):
        d.append("check: exit %d: %s" % (p.returncode, txt(p.stderr)))
    pdf = render(SAMPLE)
    text = squash("".join(l["text"] for pg in pdfread.stext(pdf) for l in pg))
    for name in ("active.tsv", "apply.tsv", "review.tsv"):
        missing = in_order(cells_of(os.path.join(SAMPLE, name)), text)
        if missing:
            d.append("%s: %d cells not in order in the PDF text, first %r"
                     % (name, len(missing), missing[:3]))
    return d


def matrix_pages(pdf, first, last):
    """The pages from the one holding `first` to the one holding `last`, and the sizes of
    the figures' glyphs on them."""
    pages = pdfread.stext(pdf)
    on = lambda s: [i for i, pg in enumerate(pages) if any(s in l["text"] for l in pg)]
    a, b = on(first), on(last)
    if not a or not b:
        raise RuntimeError("%r or %r not found" % (first, last))
    sizes = {round(l["size"], 1) for pg in pages[a[0]:b[-1] + 1] for l in pg
             if re.fullmatch(r"\d+", l["text"])}
    return b[-1] - a[0] + 1, sizes


@check("the matrix with three label columns: on at most 2 portrait pages, not smaller than 小五")
def _():
    d = []
    for src in (SAMPLE, os.path.join(FIX, "forms-2019")):
        pdf = render(src)
        n, sizes = matrix_pages(pdf, "本列数据的勾稽关系为", "四、结转下年度继续办理")
        if n > 2 or not sizes or min(sizes) < 9:
            d.append("%s: the matrix takes %d pages, figures in %s pt" % (src, n, sorted(sizes)))
        pages = [pg for pg in pagecheck.pages(pdf)]
        if any(w > h for _, w, h, _, _, _ in pages):
            d.append("%s: a landscape page" % src)
    return d


@check("the 15-column table fits a portrait page, its 4-character heads wrapped 2 × 2")
def _():
    d = []
    for src in (SAMPLE, os.path.join(FIX, "forms-2019")):
        pdf = render(src)
        pages = [[l["text"] for l in pg] for pg in pdfread.stext(pdf)]
        if not any("行政复议" in texts for texts in pages):
            d.append("%s: no page holds the table's head 行政复议" % src)
        for texts in pages:
            if "行政复议" not in texts:
                continue
            for head in ("结果", "维持", "纠正", "其他", "尚未", "审结"):
                if texts.count(head) < (3 if head != "其他" else 1):
                    d.append("%s: “%s” on its own line %d times" % (src, head, texts.count(head)))
            if any(t.startswith("结果维持") for t in texts):
                d.append("%s: 结果维持 on one line" % src)
    return d


@check("several text columns: the column of long texts gets the width, short ones wrap")
def _():
    d = []
    pdf = render(os.path.join(FIX, "tasks"))
    pages = pdfread.stext(pdf)
    heads = {l["text"]: l for pg in pages for l in pg
             if l["text"] in ("序号", "重点任务", "牵头单位", "配合单位", "完成时限")}
    if len(heads) != 5:
        return ["heads found: %r" % sorted(heads)]
    boxes = [b for pg in rects(pdf) for b in pg]
    width = {}
    for name, l in heads.items():
        cell = cells_around(boxes, l)
        width[name] = min(b[2] - b[0] for b in cell) if cell else 0
    if width["重点任务"] < 0.4 * sum(width.values()) or \
            width["重点任务"] < 1.5 * max(w for k, w in width.items() if k != "重点任务"):
        d.append("column widths %r: 重点任务 not the widest by half again, or under 40 %%"
                 % width)
    # every head on one line, and the table on the attachment's page
    if len(pages) != 2 or not all(h in "".join(l["text"] for l in pages[1]) for h in heads):
        d.append("%d pages" % len(pages))
    return d


# ---- rows taller than a page, tables too wide ----

@check("a 1,500-character cell: all its characters in the PDF, the row split with a warning")
def _():
    rep = os.path.join(T, "tall")
    os.makedirs(rep)
    han = "政府信息公开工作年度报告根据条例要求编制统计期限自起至止办理答复"
    cell = "".join(han[(i * 7) % len(han)] for i in range(1500))
    with open(os.path.join(rep, "t.tsv"), "w", encoding="utf-8") as f:
        f.write("项目\t说明\t数量\n甲\t%s\t1\n乙\t短\t2\n" % cell)
    with open(os.path.join(rep, "report.txt"), "w", encoding="utf-8") as f:
        f.write("长单元格\n正文一段。\n@table t.tsv\n正文结束。\n")
    pdf = render(rep)
    d = []
    # the cell's lines, in reading order (the page number, the header row that begins the
    # second page and the other cells aside)
    text = "".join(l["text"] for pg in pdfread.stext(pdf) for l in pg if set(l["text"]) <= set(han))
    if cell not in text:
        got = max((k for k in range(0, 1501, 50) if cell[:k] in text), default=0)
        d.append("the cell's 1,500 characters are not in the PDF text (the first %d are)" % got)
    if "taller than a page" not in rendered[pdf]:
        d.append("no warning: %r" % rendered[pdf])
    if len(pdfread.stext(pdf)) < 2:
        d.append("the row was not continued on a second page")
    return d


@check("a table that cannot fit even at its smallest size: exit 1 at its @table line, no PDF")
def _():
    d = []
    rep = os.path.join(T, "wide")
    os.makedirs(rep)
    with open(os.path.join(rep, "w.tsv"), "w", encoding="utf-8") as f:
        f.write("\t".join("第%d列标题" % i for i in range(30)) + "\n" +
                "\t".join("一二三四五六七八" for _ in range(30)) + "\n")
    for extra, where in (("", "type area"), (" landscape=auto", "landscape page")):
        with open(os.path.join(rep, "report.txt"), "w", encoding="utf-8") as f:
            f.write("标题\n正文。\n\n@table w.tsv%s 宽表\n" % extra)
        out = os.path.join(T, "wide.pdf")
        p = gw("render", rep, "-o", out)
        err = txt(p.stderr)
        m = re.search(r"report\.txt:4:1: error: .*w\.tsv: the table needs ([\d.]+) mm at 小五.*"
                      r"the ([\d.]+) mm (of the type area|of a landscape page)", err)
        if p.returncode != 1 or not m or where not in err:
            d.append("%s: exit %d, %r" % (extra or "portrait", p.returncode, err))
        elif float(m[1]) <= float(m[2]):
            d.append("needs %s mm of %s mm" % (m[1], m[2]))
        if os.path.exists(out) or [f for f in os.listdir(T) if f.startswith("wide.pdf")]:
            d.append("%s: a PDF or temporary file was written" % (extra or "portrait"))
    return d


# ---- forms, merges, widths, sizes, line breaks ----

@check("header=0, widths= in mm and shares, height= rows, a line break in a quoted CSV cell")
def _():
    d = []
    src = os.path.join(FIX, "form")
    pdf = render(src)
    lines = pdfread.stext(pdf)[0]
    body = [l for l in lines if l["text"] == "申请单位"]
    if not body or abs(body[0]["size"] - 12) > 0.1:
        d.append("申请单位 (the first row, no header): %r" % body)
    texts = [l["text"] for l in lines]
    for a, b in (("申请理由", "（可另附页）"),):
        if a not in texts or b not in texts or texts.index(b) != texts.index(a) + 1:
            d.append("the CSV cell's line break: %r" % texts)
    missing = in_order(cells_of(os.path.join(src, "form.csv")),
                       squash("".join(texts)))
    if missing:
        d.append("cells missing: %r" % missing)
    boxes = sorted({tuple(round(v, 1) for v in b) for b in rects(pdf)[0]})
    cols = sorted({round(b[2] - b[0], 1) for b in boxes if abs(b[0] - 28 * MM) < 0.5})
    if not any(abs(w - 32 * MM) < 0.3 for w in cols):
        d.append("no cell at the left edge 32 mm wide: widths %r" % cols)
    # 处室意见: at least 4 lines of 小四 (1.5 × 12 pt) plus padding
    row = [b for l in lines if l["text"] == "处室意见" for b in cells_around(boxes, l)]
    if not row or min(b[3] - b[1] for b in row) < 4 * 18:
        d.append("处室意见's row: %r" % row)
    return d


@check("< merges in body rows, \\n breaks in TSV cells, labels indented alike for 1. 1． 1、")
def _():
    d = []
    pdf = render(os.path.join(FIX, "merges"))
    lines = pdfread.stext(pdf)[0]
    by = {}
    for l in lines:
        by.setdefault(l["text"], []).append(l)
    x = {k: by[k][0]["x0"] for k in ("1.基本支出", "1．项目支出", "1、其他") if k in by}
    if len(x) != 3 or max(x.values()) - min(x.values()) > 0.1:
        d.append("1. 1． 1、 labels start at %r" % x)
    if "其中：专项" in by and "一、收入合计" in by:
        indent = by["其中：专项"][0]["x0"] - by["一、收入合计"][0]["x0"]
        if abs(indent - 2 * 9) > 0.2:
            d.append("“　　其中：专项” indented %.2f pt, want 2 em of 小五 (18 pt)" % indent)
    else:
        d.append("labels missing: %r" % sorted(by))
    for a, b in (("单位：", "万元"), ("全年", "合计")):
        if a not in by or b not in by or abs(by[a][0]["x0"] - by[b][0]["x0"]) > 0.1 \
                or by[b][0]["y"] <= by[a][0]["y"]:
            d.append("“%s\\n%s” not two lines of one cell" % (a, b))
    note = [l for l in lines if l["text"].startswith("本表数据未经审计")]
    boxes = rects(pdf)[0]
    spans = [b for l in note[:1] for b in cells_around(boxes, l)]
    heads = {t: by[t][0] for t in ("本年", "备注") if t in by}
    if not spans or len(heads) < 2 or abs(spans[0][0] - (heads["本年"]["x0"] - 30)) > 40 \
            or spans[0][2] < heads["备注"]["x1"]:
        d.append("the merged note cell does not span 本年 … 备注: %r" % spans[:1])
    sizes = sorted({round(l["size"], 1) for l in lines if l["text"] == "一、收入合计"})
    if sizes != [7.5, 9.0, 12.0]:
        d.append("sizes 小五, 六号 and 小四: %r" % sizes)
    return d


@check("consecutive tables and a table under a heading keep half a line; no double rule")
def _():
    d = []
    pdf = render(os.path.join(FIX, "merges"))
    boxes = rects(pdf)[0]
    frames = sorted({(round(b[1], 1), round(b[3], 1)) for b in boxes
                     if abs((b[2] - b[0]) - 156 * MM) < 1.5})
    gaps = [b[0] - a[1] for a, b in zip(frames, frames[1:])]
    if len(frames) < 3 or min(gaps) < 28.99 / 2 - 0.5:
        d.append("table frames %r: gaps %r, want at least half a line (14.5 pt)" % (frames, gaps))
    lines = pdfread.stext(pdf)[0]
    head = [l for l in lines if l["text"] == "一、收支情况"]
    if not head:
        d.append("no heading 一、收支情况 on page 1")
    elif frames and frames[0][0] - head[0]["y"] < 28.99 / 2:
        d.append("the first table starts %.1f pt under its heading's baseline"
                 % (frames[0][0] - head[0]["y"]))
    return d


@check("landscape=auto turns a table too wide for portrait, with its heading; 13 columns stay")
def _():
    d = []
    pdf = render(os.path.join(FIX, "sizes"))
    pages = list(pagecheck.pages(pdf))
    st = pdfread.stext(pdf)
    orient = ["L" if w > h else "P" for _, w, h, _, _, _ in pages]
    if orient != ["P", "L"]:
        d.append("pages %r, want a portrait page then a landscape one" % orient)
    if len(st) == 2:
        second = [l["text"] for l in st[1]]
        if "二、按周统计" not in second or "第16周" not in second:
            d.append("the landscape page holds %r" % second[:6])
        first = "".join(l["text"] for l in st[0])
        if any("%d月" % m not in first for m in range(1, 13)) or "合计" not in first:
            d.append("the 13-column table is not whole on page 1: %r" % first)
    return d


@check("bad table options and merge marks: an error at the option's or the cell's place")
def _():
    d = []
    rep = os.path.join(T, "bad")
    os.makedirs(rep)
    data = {"ok.tsv": "项目\t数量\n甲\t1\n乙\t2\n",
            "left.tsv": "项目\t数量\n<\t1\n",
            "up.tsv": "^\t数量\n甲\t1\n",
            "wide.tsv": "项目\t说明\t数量\n甲\t<\t1\n^\t丙\t2\n"}
    for name, text in data.items():
        with open(os.path.join(rep, name), "w", encoding="utf-8") as f:
            f.write(text)
    cases = [
        ("@table ok.tsv widths=40mm,1,1", "report.txt:2:15: error: widths=40mm,1,1 gives 3 widths"),
        ("@table ok.tsv widths=40cm,1", "report.txt:2:15: error: widths=: “40cm” (column 1)"),
        ("@table ok.tsv widths=200mm,1", "report.txt:2:15: error: widths= add up to 200.0 mm"),
        ("@table ok.tsv widths=4mm,1", "report.txt:2:15: error: %s: in column 1 (4.0 mm with "
         "widths=) “项目” needs" % os.path.join(T, "bad", "ok.tsv")),
        ("@table ok.tsv height=0", "report.txt:2:15: error: height=: “0” is not a height"),
        ("@table ok.tsv size=小六", "report.txt:2:15: error: size=小六: the table sizes are"),
        ("@table ok.tsv size=五号 min-size=四号", "report.txt:2:1: error: min-size=14 is larger"),
        ("@table ok.tsv landscape=yes", "report.txt:2:15: error: landscape=yes"),
        ("@table ok.tsv header=21", "report.txt:2:15: error: header=21"),
        ("@table left.tsv", "left.tsv:2:1: error: “<” in the first column"),
        ("@table up.tsv", "up.tsv:1:1: error: “^” in the first row"),
        ("@table wide.tsv", "wide.tsv:3:1: error: the cell above is merged over several columns"),
    ]
    for line, want in cases:
        with open(os.path.join(rep, "report.txt"), "w", encoding="utf-8") as f:
            f.write("标题\n%s\n" % line)
        out = os.path.join(T, "bad.pdf")
        p = gw("render", rep, "-o", out)
        err = txt(p.stderr)
        if p.returncode != 1 or want not in err or os.path.exists(out):
            d.append("%s: exit %d, %r; want %r" % (line, p.returncode, err.strip(), want))
    return d


# ---- generated tables, bad table files ----

def gw_unprivileged(*args):
    """gongwen run by a user whom file modes bind: root reads any file, so as root it runs as
    nobody (setpriv, util-linux), with T opened for it to read."""
    if os.getuid() != 0:
        return gw(*args)
    os.chmod(T, 0o755)
    return run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN, *args)


def table_report(name, header, rows, extra=""):
    """A report folder in T with one table file `name`; returns the folder."""
    folder = os.path.join(T, name.replace(".", "-"))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        f.write("表格测试报告\n正文一段。\n@table %s %s\n" % (name, extra))
    with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
        f.write(header + "".join(rows))
    return folder


@check("tables: 300 rows over several pages, header on every page, no row split")
def _():
    rows = ["%d\t第%d项统计指标\t%d\n" % (i, i, i * 7) for i in range(1, 301)]
    out = render(table_report("big.tsv", "序号\t指标名称\t数量\n", rows))
    d, seen = [], {}
    pages = pdfread.stext(out)
    for i, pg in enumerate(pages, 1):
        lines = [l["text"] for l in pg if not PN_RE.match(l["text"])]
        if i > 1 and lines[:3] != ["序号", "指标名称", "数量"]:
            d.append("page %d does not start with the header row: %s" % (i, lines[:3]))
        for t in lines:
            m = re.match(r"^第(\d+)项统计指标$", t)
            if m:
                seen.setdefault(int(m.group(1)), []).append(i)
    if len(pages) < 5:
        d.append("only %d pages for 300 rows" % len(pages))
    if sorted(seen) != list(range(1, 301)) or any(len(v) != 1 for v in seen.values()):
        d.append("rows found once each: %d of 300" % sum(1 for v in seen.values() if len(v) == 1))
    return d


@check("tables: CSV quotes, commas and newlines round-trip into the PDF text")
def _():
    rows = ['"甲,乙","他说""好了""",1\n', '"多行\n单元格",普通,"2,345"\n']
    out = render(table_report("q.csv", "名称,说明,数量\n", rows))
    text = squash("".join(pdfread.text(out, raw=True)))
    missing = in_order(["名称", "说明", "数量", "甲,乙", '他说"好了"', "1", "多行单元格", "普通",
                        "2,345"], text)
    return ["%r not in the PDF text in order: %r" % (missing, text[:200])] if missing else []


@check("tables: a ragged row, an unreadable file and a path out of the folder fail cleanly")
def _():
    d = []
    cases = []
    ragged = table_report("ragged.tsv", "甲\t乙\n", ["1\t2\n", "3\n", "4\t5\n"])
    cases.append(("ragged row", ragged, "ragged.tsv:3:", "3"))
    locked = table_report("locked.tsv", "甲\t乙\n", ["1\t2\n"])
    os.chmod(os.path.join(locked, "locked.tsv"), 0)
    cases.append(("unreadable file", locked, "report.txt:3:1: error: locked.tsv", "Permission denied"))
    dirfile = table_report("dir.tsv", "甲\n", ["1\n"])
    os.remove(os.path.join(dirfile, "dir.tsv"))
    os.mkdir(os.path.join(dirfile, "dir.tsv"))
    cases.append(("a directory", dirfile, "report.txt:3:1:", "not a regular file"))
    up = table_report("up.tsv", "甲\n", ["1\n"])
    with open(os.path.join(up, "report.txt"), "w", encoding="utf-8") as f:
        f.write("标题\n正文。\n@table ../big-tsv/big.tsv\n")
    cases.append(("../ in the path", up, "report.txt:3:1:", "leaves the report's folder"))
    link = table_report("link.tsv", "甲\n", ["1\n"])
    os.remove(os.path.join(link, "link.tsv"))
    os.symlink(os.path.join(T, "big-tsv", "big.tsv"), os.path.join(link, "link.tsv"))
    cases.append(("a link out of the folder", link, "report.txt:3:1:", "leads out"))
    absolute = table_report("abs.tsv", "甲\n", ["1\n"])
    with open(os.path.join(absolute, "report.txt"), "w", encoding="utf-8") as f:
        f.write("标题\n正文。\n@table %s\n" % os.path.join(absolute, "abs.tsv"))
    cases.append(("an absolute path", absolute, "report.txt:3:1:", "absolute path"))
    unclosed = table_report("open.csv", "甲,乙\n", ['1,"2\n'])
    cases.append(("an unclosed quote", unclosed, "open.csv:", "not closed"))
    for what, folder, where, phrase in cases:
        out = os.path.join(T, "bad-table.pdf")
        p = gw_unprivileged("render", folder, "-o", out)
        err = txt(p.stderr)
        if p.returncode != 1 or where not in err or phrase not in err:
            d.append("%s: exit %d, stderr %r (want 1, %r, %r)" % (what, p.returncode, err[:200], where, phrase))
        if [n for n in os.listdir(T) if "bad-table.pdf" in n]:
            d.append("%s: a PDF was left behind" % what)
    return d


# ---- every PDF rendered here ----

@check("every table fixture and report: no glyph or rule outside the type area, none over another")
def _():
    d = []
    for src in [SAMPLE] + [os.path.join(FIX, n) for n in sorted(os.listdir(FIX))]:
        try:
            render(src)
        except RuntimeError as e:
            d.append(str(e))
    for pdf in sorted(rendered):
        for fault in pagecheck.faults(pdf)[:5]:
            d.append("%s: %s" % (os.path.basename(pdf), fault))
    return d


shutil.rmtree(T, ignore_errors=True)
finish()
