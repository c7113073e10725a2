#!/usr/bin/env python3
"""TAP test of the full 公文 format (GB/T 9704 7.2 版头, 7.3.4 附件说明, 7.3.5 seal, 7.3.7 an
attachment's table under its title, 7.4 版记, 7.5 page numbers, clause 8 landscape tables), of
one Han–digit spacing for the whole document, and of house-style profiles. Every PDF is read back
with tests/pdfread.py (poppler and MuPDF) only.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import json, os, re, shutil, sys, tempfile, unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import SRC, REPORT, MM, check, gw, txt, finish, fc_face  # noqa: E402
from pdftap import body_faults, rendered_pagecheck  # noqa: E402
import pagecheck  # noqa: E402
import pdfread  # noqa: E402

NOTICE = os.path.join(SRC, "reports", "notice-2024")
FIX = os.path.join(SRC, "tests", "fixtures", "gongwen-format")
T = tempfile.mkdtemp(prefix="gongwen-test-format-")
PN_RE = re.compile(r"^—\s*(\d+)\s*—$")


def render(src, name, *args):
    out = os.path.join(T, name)
    p = gw("render", src, "-o", out, *args)
    if p.returncode != 0:
        raise RuntimeError("render %s: exit %d: %s" % (src, p.returncode, txt(p.stderr)))
    return out


def red_rows(pdf, page, dpi=20):
    """The pixel rows (in mm from the top) that hold strongly red pixels."""
    w, h, px = pdfread.pixels(pdf, page, dpi)
    rows = set()
    for y in range(h):
        for x in range(w):
            r, g, b = px[3 * (y * w + x): 3 * (y * w + x) + 3]
            if r > 180 and g < 90 and b < 90:
                rows.add(round(y * 25.4 / dpi))
                break
    return sorted(rows)


def pieces(page):
    """The pieces of text of a page's MuPDF lines that whitespace sets apart (a 发文字号 and
    the 签发人 on its line, organs side by side under their seals): dicts of text, x0, x1
    (the next space's origin, or the line's right edge) and y."""
    out = []
    for l in page:
        cur = None
        chars = l["chars"] + [(" ", l["x1"])]
        for k, (c, x) in enumerate(chars):
            # one space between a figure and a Han character is the ¼-em Han–Latin gap a
            # reader puts in the text (3 号), not a space between pieces
            if (c == " " and cur is not None and 0 < k < len(chars) - 1
                    and not chars[k + 1][0].isspace()
                    and (chars[k - 1][0].isascii() != chars[k + 1][0].isascii())):
                continue
            if c.isspace():
                if cur is not None:
                    cur["x1"] = x
                    out.append(cur)
                cur = None
            elif cur is None:
                cur = dict(text=c, x0=x, y=l["y"])
            else:
                cur["text"] += c
    return out


def report(name, text, files=()):
    folder = os.path.join(T, name)
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, "report.txt"), "w", encoding="utf-8").write(text)
    for f in files:
        shutil.copy(f, folder)
    return folder


@check("通知: red 版头 above the title, its parts in order, black text below")
def _():
    pdf = render(NOTICE, "notice.pdf")
    d = []
    red = red_rows(pdf, 1)
    if not red:
        return ["page 1 has no red pixels"]
    pages = pdfread.stext(pdf)
    first = pages[0]
    texts = [l["text"] for l in first]
    want = ["000042", "秘密★1年", "特急", "某某省商务厅", "某商发〔2024〕5号",
            "某某省商务厅关于做好2024年政府信息", "各市（州）商务主管部门，省商务厅各处室、直属单位："]
    at = 0
    for w in want:
        k = next((i for i in range(at, len(texts)) if texts[i].startswith(w)), None)
        if k is None:
            d.append("%r not found in order on page 1: %s" % (w, texts[:12]))
            break
        at = k + 1
    organ = next((l for l in first if l["text"] == "某某省商务厅"), None)
    title = next((l for l in first if l["text"].startswith("某某省商务厅关于")), None)
    if organ is None or organ["color"].upper() in ("#000000",):
        d.append("the 发文机关标志 is not red: %s" % (organ,))
    if abs(min(red) - (37 + 35)) > 3:
        d.append("the 发文机关标志's ink starts %d mm from the page top, want 72 ± 3 "
                 "(35 mm under the type area's top)" % min(red))
    if title is None or title["color"] != "#000000":
        d.append("the title is not black: %s" % (title,))
    elif max(red) > title["bbox"][1] / MM:
        d.append("red at %d mm, below the title's top %.1f mm" % (max(red), title["bbox"][1] / MM))
    number = next((l for l in first if l["text"] == "某商发〔2024〕5号"), None)
    if number is None:
        d.append("no line 某商发〔2024〕5号 on page 1 to look under for the red rule")
    elif not [r for r in red if number["bbox"][3] / MM < r < number["bbox"][3] / MM + 8]:
        d.append("no red rule within 8 mm under the 发文字号 (red rows %s)" % red)
    return d


def title_table_gaps(pdf, dpi=300):
    """On each page that begins with “附件” and holds a table: (page, the gap in mm between
    the lowest ink above the table's top rule, the attachment's title, and that rule)."""
    heads = [i + 1 for i, page in enumerate(pdfread.stext(pdf))
             if page and min(page, key=lambda l: l["top"])["text"].startswith("附件")]
    gaps = []
    for n, w, h, glyphs, paths, runs in pdfread.trace(pdf):
        wide = [b[1] - half for b, half in paths if b[2] - b[0] > 100 * MM and b[3] - b[1] > 10]
        if n not in heads or not wide:
            continue
        rule = min(wide)                     # the top of the rule's ink, pt
        pw, ph, px = pdfread.pixels(pdf, n, dpi)
        y = int(rule / 72 * dpi) - 1
        while y > 0 and all(px[k] > 127 for k in range(3 * y * pw, 3 * (y + 1) * pw, 3)):
            y -= 1
        gaps.append((n, (rule - (y + 1) * 72 / dpi) / MM))
    return gaps


@check("attachment: at least half a line (5.1 mm) between its title's ink and the table's top rule")
def _():
    d = []
    for src, name in [(REPORT, "flagship.pdf"), (NOTICE, "notice.pdf"),
                      (os.path.join(FIX, "landscape.txt"), "landscape.pdf")]:
        gaps = title_table_gaps(render(src, name))
        if not gaps:
            d.append("%s: no page opens with 附件 above a table" % name)
        for page, gap in gaps:
            if gap < 225 / 22 / 2:
                d.append("%s page %d: the title's ink ends %.2f mm above the table's top rule, "
                         "want at least half a line (5.11 mm)" % (name, page, gap))
    return d


@check("check: an @attachment with no 附件说明 is a warning at its line; the 通知 has its note after the body (7.3.4)")
def _():
    d = []
    text = open(os.path.join(NOTICE, "report.txt"), encoding="utf-8").read()
    lines = text.split("\n")
    kept = [l for l in lines if not l.startswith("附件：")]
    at = next(i for i, l in enumerate(kept) if l.startswith("@attachment")) + 1
    folder = report("no-note", "\n".join(kept), [os.path.join(NOTICE, "schedule.tsv"),
                                                 os.path.join(NOTICE, "seal.png")])
    p = gw("check", folder)
    err = txt(p.stderr)
    want = "report.txt:%d:1: warning: 附件 “年度报告编制进度安排表” has no 附件说明" % at
    if p.returncode != 0 or want not in err:
        d.append("the notice without its 附件说明: exit %d, want 0 and %r: %s" % (p.returncode, want, err))
    p = gw("check", NOTICE, "--werror")
    if p.returncode != 0 or "0 errors, 0 warnings" not in txt(p.stderr):
        d.append("check reports/notice-2024 --werror: exit %d: %s" % (p.returncode, txt(p.stderr)))
    # 7.3.4: the note one blank line under the body, 左空二字, before the signature
    page = next((pg for pg in pdfread.stext(os.path.join(T, "notice.pdf"))
                 if any(l["text"].startswith("附件：") for l in pg)), None)
    if page is None:
        return d + ["no 附件： line in the notice"]
    rows = sorted(page, key=lambda l: l["y"])
    k = next(i for i, l in enumerate(rows) if l["text"].startswith("附件："))
    note = rows[k]
    if note["text"] != "附件：年度报告编制进度安排表":
        d.append("the note reads %r" % note["text"])
    if k == 0 or not rows[k - 1]["text"].endswith("0851-12345678。"):
        d.append("the note does not follow the body's last line: %s" % [l["text"] for l in rows[k - 2:k]])
    elif abs(note["y"] - rows[k - 1]["y"] - 2 * 225 / 22 * MM) > 0.5:
        d.append("the note is %.2f pt under the body's last line, want one blank line (57.98)"
                 % (note["y"] - rows[k - 1]["y"]))
    if abs(note["x0"] - (28 * MM + 2 * 156 / 28 * MM)) > 0.5:
        d.append("the note starts at %.1f mm, want 左空二字 (39.1)" % (note["x0"] / MM))
    if [l["text"] for l in rows[k + 1:k + 3]] != ["某某省商务厅", "2024年1月15日"]:
        d.append("signature and date do not follow the note: %s" % [l["text"] for l in rows[k + 1:]])
    return d


def han_digit_gaps(pdf):
    """Every Han character next to a digit (no space written between them) in a horizontal
    run, as (page, the pair, the run's text, the space between the first one's em box and
    the second's, in em)."""
    def han(c):
        return unicodedata.east_asian_width(c) == "W" and unicodedata.category(c).startswith("L")
    gaps = []
    for n, w, h, glyphs, paths, runs in pdfread.trace(pdf):
        for run in runs:
            g = [glyphs[i] for i in run]
            text = "".join(x["c"] for x in g)
            for a, b in zip(g, g[1:]):
                if a["u"] == (1.0, 0.0) and not b["space"] and ((han(a["c"]) and b["c"].isdigit()) or
                                             (a["c"].isdigit() and han(b["c"]))):
                    gaps.append((n, a["c"] + b["c"], text, (b["box"][0] - a["box"][2]) / a["size"]))
    return gaps


@check("one rule for Han–digit gaps: ¼ em everywhere by default (body, title, tables, charts, "
       "版头, 成文日期, 版记), none anywhere with latin_gap=off")
def _():
    d = []
    off = os.path.join(T, "latin-off.ini")
    open(off, "w").write("[style]\nlatin_gap=off\n")
    # lines of each kind that must be among those measured
    kinds = {"notice": ["某商发〔2024〕5号", "2024年1月15日", "2024年1月16日印发", "2024年1月10日",
                        "各单位应当于2024年1月31日前"],
             "flagship": ["2018年2月22日", "批示18次", "信函申请12件"]}
    for value, lo, hi in (("on", 0.2, 0.6), ("off", -0.05, 0.1)):
        for name, src in (("notice", NOTICE), ("flagship", REPORT)):
            args = () if value == "on" else ("--profile", off)
            try:
                gaps = han_digit_gaps(render(src, "%s-gap-%s.pdf" % (name, value), *args))
            except RuntimeError as e:
                d.append("%s, latin_gap=%s: %s" % (name, value, e))
                continue
            texts = {t for _, _, t, _ in gaps}
            missing = [k for k in kinds[name] if not any(k in t for t in texts)]
            if missing:
                d.append("%s (%s): no Han–digit pair measured in %s" % (name, value, missing))
            bad = [(p, pair, t[:20], round(g, 3)) for p, pair, t, g in gaps if not lo <= g <= hi]
            if bad:
                d.append("%s, latin_gap=%s: %d of %d Han–digit gaps outside %.2f–%.2f em, e.g. %s"
                         % (name, value, len(bad), len(gaps), lo, hi, bad[:4]))
    p = gw("profile", "--dump")
    if b"\nlatin_gap=on\n" not in p.stdout:
        d.append("profile --dump does not show latin_gap=on")
    bad = os.path.join(T, "latin-bad.ini")
    open(bad, "w").write("[style]\nlatin_gap=sometimes\n")
    p = gw("profile", "--dump", bad)
    if p.returncode != 1 or "latin-bad.ini:2:1: error: [style] latin_gap:" not in txt(p.stderr):
        d.append("latin_gap=sometimes: exit %d: %s" % (p.returncode, txt(p.stderr)))
    return d


@check("check: 发文字号 [2024]5号 is an error naming its line; 〔2024〕05号 and 第 too")
def _():
    d = []
    for number, col, what in [("某商发[2024]5号", 12, "六角括号"), ("某商发〔2024〕05号", 18, "leading zero"),
                              ("某商发〔2024〕第5号", 18, "第"), ("某商发〔24〕5号", 13, "full year")]:
        folder = report("number", "---\norgan: 某某省商务厅\nnumber: %s\n---\n标题\n正文。\n" % number)
        p = gw("check", folder)
        err = txt(p.stderr)
        want = "report.txt:3:%d: error: 发文字号" % col
        if p.returncode != 1 or want not in err or what not in err:
            d.append("%s: exit %d, want 1 and %r with %r: %s" % (number, p.returncode, want, what, err))
    return d


def number_lines(page):
    return [l for l in page if PN_RE.match(l["text"])]


def imprint_profile(value):
    prof = os.path.join(T, "imprint-%s.ini" % value)
    open(prof, "w").write("[page]\nimprint_page=%s\n" % value)
    return prof


def numbers(pages):
    return [[PN_RE.match(l["text"]).group(1) for l in number_lines(p)] for p in pages]


@check("版记: a document ending on an odd page gets an even page with the 版记 at its foot, "
       "numbered (7.5: no blank page before it); imprint_page=unnumbered leaves it unnumbered")
def _():
    pdf = render(os.path.join(FIX, "odd.txt"), "odd.pdf")
    pages = pdfread.stext(pdf)
    d = []
    if len(pages) != 2:
        return ["%d pages, want 2 (the text on page 1, the 版记 on page 2)" % len(pages)]
    if numbers(pages) != [["1"], ["2"]]:
        d.append("page numbers per page %s, want [['1'], ['2']]" % numbers(pages))
    body = [l["text"] for l in pages[1] if not l["text"].startswith(("抄送", "某某县人民政府办公室", "2024年1月22日"))
            and not PN_RE.match(l["text"])]
    if body:
        d.append("the 版记 page holds more than the 版记: %s" % body)
    cc = next((l for l in pages[1] if l["text"].startswith("抄送：")), None)
    printed = next((l for l in pages[1] if l["text"].endswith("印发")), None)
    if cc is None or printed is None:
        return d + ["no 抄送 or 印发 line on page 2: %s" % [l["text"] for l in pages[1]]]
    if not (250 < printed["bbox"][3] / MM <= 263):
        d.append("印发 line's bottom at %.1f mm, want the foot of the type area (≤ 262 mm)"
                 % (printed["bbox"][3] / MM))
    if not cc["bbox"][1] < printed["bbox"][1]:
        d.append("抄送 is not above 印发")
    old = pdfread.stext(render(os.path.join(FIX, "odd.txt"), "odd-unnumbered.pdf",
                               "--profile", imprint_profile("unnumbered")))
    if numbers(old) != [["1"], []]:
        d.append("imprint_page=unnumbered: page numbers %s, want [['1'], []]" % numbers(old))
    return d


@check("版记: a document ending on page 3 (odd): page 4 holds only the 版记 and is numbered 4 "
       "(imprint_page=letter, the default), unnumbered with imprint_page=unnumbered")
def _():
    body = "\n".join("第%d段正文内容，用于填满版面。" % i + "这是一段用于测试的文字。" * 3 for i in range(1, 26))
    folder = report("odd-end", "---\ncc: 某某单位。\nprinter: 某某办公室\nprinted: 2024-01-02\n---\n标题\n%s\n" % body)
    d = []
    for value, want in (("letter", [["1"], ["2"], ["3"], ["4"]]), ("unnumbered", [["1"], ["2"], ["3"], []])):
        pages = pdfread.stext(render(folder, "odd-end-%s.pdf" % value, "--profile", imprint_profile(value)))
        if len(pages) != 4 or not any(l["text"].startswith("第25段") for l in pages[2]):
            d.append("%s: %d pages, want the text ending on page 3 and the 版记 on page 4: %s"
                     % (value, len(pages), [[l["text"][:6] for l in p][-2:] for p in pages]))
            continue
        if numbers(pages) != want:
            d.append("%s: page numbers per page %s, want %s" % (value, numbers(pages), want))
        if not any(l["text"].startswith("抄送：") for l in pages[3]):
            d.append("%s: no 抄送 on page 4" % value)
        rest = [l["text"] for l in pages[3] if not PN_RE.match(l["text"]) and
                not l["text"].startswith(("抄送：", "某某办公室", "2024"))]
        if rest:
            d.append("%s: page 4 holds more than the 版记: %s" % (value, rest))
    return d


@check("版记: a document filling an even page gets a blank page and the 版记 page, neither "
       "numbered (7.5), with either imprint_page")
def _():
    body = "\n".join("第%d段正文内容，用于填满版面。" % i + "这是一段用于测试的文字。" * 3 for i in range(1, 22))
    folder = report("full-even", "---\ncc: 某某单位。\nprinter: 某某办公室\nprinted: 2024-01-02\n---\n标题\n%s\n" % body)
    d = []
    for value in ("letter", "unnumbered"):
        pages = pdfread.stext(render(folder, "full-even-%s.pdf" % value, "--profile", imprint_profile(value)))
        if len(pages) != 4 or pages[2] or not any(l["text"].startswith("第21段") for l in pages[1]):
            return d + ["%s: %d pages, want the text ending on page 2, page 3 blank and the 版记 on "
                        "page 4: %s" % (value, len(pages), [[l["text"][:6] for l in p][-2:] for p in pages])]
        if numbers(pages) != [["1"], ["2"], [], []]:
            d.append("%s: page numbers per page %s, want [['1'], ['2'], [], []]" % (value, numbers(pages)))
        if not any(l["text"].startswith("抄送：") for l in pages[3]):
            d.append("%s: no 抄送 on page 4" % value)
    return d


@check("版记: an even last page with room keeps its number and takes the 版记")
def _():
    body = "\n".join("第%d段正文内容，用于填满版面。" % i + "这是一段用于测试的文字。" * 3 for i in range(1, 15))
    folder = report("even", "---\ncc: 某某单位。\nprinter: 某某办公室\nprinted: 2024-01-02\n---\n标题\n%s\n" % body)
    pdf = render(folder, "even.pdf")
    pages = pdfread.stext(pdf)
    if len(pages) % 2:
        return ["%d pages: the fixture should end on an even page" % len(pages)]
    last = pages[-1]
    d = []
    if not number_lines(last):
        d.append("the last page lost its number")
    if not any(l["text"].startswith("抄送：") for l in last):
        d.append("no 抄送 on the last page")
    if len(pages) != 2:
        d.append("%d pages, want 2" % len(pages))
    return d


@check("clause 8: a 13-column landscape table, page numbers in the portrait place on odd and even pages")
def _():
    pdf = render(os.path.join(FIX, "landscape.txt"), "landscape.pdf")
    sizes = pdfread.page_sizes(pdf)
    pages = pdfread.stext(pdf)
    d = []
    land = [i for i, (w, h) in enumerate(sizes) if w > h]
    if not land or sizes[0][0] > sizes[0][1]:
        return ["page sizes %s: want a portrait page 1 and landscape pages after it" % sizes]
    if 0 in land or len(land) < 2:
        d.append("landscape pages %s, want at least two (an odd and an even)" % [i + 1 for i in land])
    parities = set()
    for i in land:
        w, h = sizes[i]
        nl = number_lines(pages[i])
        if len(nl) != 1:
            d.append("page %d: %d page numbers" % (i + 1, len(nl)))
            continue
        n = int(PN_RE.match(nl[0]["text"]).group(1))
        x0, y0, x1, y1 = nl[0]["bbox"]
        parities.add(n % 2)
        # the portrait page turned a quarter clockwise: its foot is the landscape page's
        # left edge; an odd page's number (portrait right) lies low, an even one's high
        if nl[0]["dir"] != "0 1":
            d.append("page %d: the number runs %s, want downwards (0 1)" % (i + 1, nl[0]["dir"]))
        if not (x0 > 15 * MM and x1 < 37 * MM):
            d.append("page %d: number at x %.1f–%.1f mm, want 7 mm beyond the type area's foot (21–35 mm)"
                     % (i + 1, x0 / MM, x1 / MM))
        # portrait: odd numbers end one 四号 character in from the type area's right edge
        # (184 mm), even ones start one in from its left (28 mm)
        if n % 2 == 1 and abs(y1 / MM - (184 - 14 / MM)) > 1:
            d.append("page %d (odd): number ends %.1f mm from the top, want %.1f"
                     % (i + 1, y1 / MM, 184 - 14 / MM))
        if n % 2 == 0 and abs(y0 / MM - (28 + 14 / MM)) > 1:
            d.append("page %d (even): number starts %.1f mm from the top, want %.1f"
                     % (i + 1, y0 / MM, 28 + 14 / MM))
        # the 13 head cells (指标 and 12 months) on every landscape page, at its top
        heads = [l for l in pages[i] if l["text"] == "指标" or re.fullmatch(r"\d+月", l["text"])]
        if len(heads) != 13:
            d.append("page %d: %d head cells, want 13" % (i + 1, len(heads)))
        elif max(l["bbox"][1] for l in heads) > 80 * MM:
            d.append("page %d: the table's head is not at the top" % (i + 1))
    if parities != {0, 1}:
        d.append("landscape page numbers are not both odd and even: %s" % parities)
    return d


@check("profile: line_pitch=28pt grid=off sets the flagship at a 28 pt pitch (pagecheck), text untouched")
def _():
    prof = os.path.join(T, "p28.ini")
    open(prof, "w").write("[page]\nline_pitch=28pt\ngrid=off\n")
    pdf = render(REPORT, "g28.pdf", "--profile", prof)
    d = []
    steps = []
    for page in pdfread.stext(pdf):
        ys = sorted({round(l["y"], 2) for l in page if l["dir"] == "1 0" and l["size"] == 16})
        steps += [round(b - a, 2) for a, b in zip(ys, ys[1:]) if 27 < b - a < 29.5]
    if not steps or any(abs(s - 28.0) > 0.02 for s in steps):
        d.append("line steps %s, want 28.00" % sorted(set(steps))[:8])
    m = pagecheck.body(pdf, os.path.join(REPORT, "report.txt"))
    if m["line_pitch"] is None or abs(m["line_pitch"] - 28.0) > 0.05:
        d.append("pagecheck line pitch %s, want 28.0" % m["line_pitch"])
    d += body_faults(m, ("fidelity", "unmapped"))
    return d


@check("profile: --dump round-trips; a bad key is an error naming file and line")
def _():
    d = []
    p = gw("profile", "--dump")
    if p.returncode != 0 or b"line_pitch=grid" not in p.stdout:
        return ["profile --dump: exit %d %s" % (p.returncode, txt(p.stdout)[:200])]
    f = os.path.join(T, "defaults.ini")
    open(f, "wb").write(p.stdout)
    q = gw("profile", "--dump", f)
    if q.returncode != 0 or q.stdout.replace(b"", b"") != p.stdout:
        d.append("the dumped defaults do not read back to themselves: exit %d %s" % (q.returncode, txt(q.stderr)))
    p = gw("profile", "--dump", imprint_profile("maybe"))
    if p.returncode != 1 or "imprint-maybe.ini:2:1: error: [page] imprint_page: \"maybe\": write letter or unnumbered" not in txt(p.stderr):
        d.append("imprint_page=maybe: exit %d, stderr %s" % (p.returncode, txt(p.stderr)))
    if b"\nimprint_page=letter\n" not in gw("profile", "--dump").stdout:
        d.append("profile --dump does not show imprint_page=letter")
    bad = os.path.join(T, "bad.ini")
    open(bad, "w").write("[page]\ngrid=on\nline_pich=28pt\n")
    r = gw("render", REPORT, "--profile", bad, "-o", os.path.join(T, "bad.pdf"))
    if r.returncode != 1 or "bad.ini:3:1: error:" not in txt(r.stderr) or os.path.exists(os.path.join(T, "bad.pdf")):
        d.append("bad key: exit %d, stderr %s" % (r.returncode, txt(r.stderr)))
    folder = report("profiled", "---\nprofile: house.ini\n---\n标题\n正文。\n")
    open(os.path.join(folder, "house.ini"), "w").write("[page]\npage_number=plain\n")
    pages = pdfread.stext(render(folder, "profiled.pdf"))
    if not any(l["text"] == "1" for l in pages[0]) or any(PN_RE.match(l["text"]) for l in pages[0]):
        d.append("front matter profile: page_number=plain not applied: %s" % [l["text"] for l in pages[0]])
    return d


@check("seal: --seal-anchor writes the box; the seal image lies under the date text")
def _():
    anchor = os.path.join(T, "seal.json")
    pdf = render(NOTICE, "sealed.pdf", "--seal-anchor", anchor)
    d = []
    a = json.load(open(anchor, encoding="utf-8"))
    if len(a.get("seals", [])) != 1:
        return ["seal anchor %s, want one seal" % a]
    s = a["seals"][0]
    page = s["page"]
    box = s["box"]
    if abs(box["width"] - 42) > 0.5 or abs(box["height"] - 42) > 0.5:
        d.append("seal box %s, want 42 × 42 mm" % box)
    items = pdfread.drawing_order(pdf, page)
    img = [i for i, it in enumerate(items) if it[0] == "image"]
    date = [i for i, it in enumerate(items) if it[0] == "text" and "2024年1月15日" in it[1]]
    if len(img) != 1 or not date:
        return d + ["page %d: %d images, date text at %s" % (page, len(img), date)]
    if img[0] > date[0]:
        d.append("the seal image is drawn after the date (over it), want under it")
    x0, y0, x1, y1 = items[img[0]][1]
    want = [box["x"] * MM, box["y"] * MM, (box["x"] + box["width"]) * MM, (box["y"] + box["height"]) * MM]
    if max(abs(u - v) for u, v in zip([x0, y0, x1, y1], want)) > 0.5:
        d.append("image at %s pt, anchor box at %s pt" % ([round(v, 1) for v in (x0, y0, x1, y1)],
                                                         [round(v, 1) for v in want]))
    dl = next((l for l in pdfread.stext(pdf)[page - 1] if l["text"] == "2024年1月15日"), None)
    if dl is None:
        return d + ["no date line on page %d" % page]
    bx = dl["bbox"]
    # the date with its ¼-em Han–digit gaps (latin_gap=on, as Word sets it) is 43.6 mm wide:
    # it may reach 1.5 mm past each side of the 42 mm seal, never above or below it
    if not (x0 - 1.5 * MM <= bx[0] and bx[2] <= x1 + 1.5 * MM and y0 <= bx[1] and bx[3] <= y1):
        d.append("the date %s is not inside the seal %s (1.5 mm to spare a side)"
                 % (bx, (x0, y0, x1, y1)))
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if not (bx[1] > cy - 30 and abs((bx[0] + bx[2]) / 2 - cx) < 2):
        d.append("the date is not centred under the seal's centre: date %s, centre (%.1f, %.1f)" % (bx, cx, cy))
    return d


@check("版头: joint document of three organs with 文件 against them; letterhead=preprinted prints no red")
def _():
    pdf = render(os.path.join(FIX, "joint.txt"), "joint.pdf")
    first = pdfread.stext(pdf)[0]
    d = []
    organs = [l for l in first if l["text"] in ("某某省商务厅", "某某省财政厅", "某某省市场监督管理局")]
    wj = next((l for l in first if l["text"] == "文件"), None)
    if len(organs) != 3 or wj is None:
        return ["organs %s, 文件 %s" % ([l["text"] for l in organs], wj)]
    lefts = [round(l["bbox"][0]) for l in organs]
    rights = [round(l["bbox"][2]) for l in organs]
    if max(lefts) - min(lefts) > 2 or max(rights) - min(rights) > 3:
        d.append("the organ names do not line up at both ends: lefts %s rights %s" % (lefts, rights))
    mid = (organs[0]["bbox"][1] + organs[-1]["bbox"][3]) / 2
    wmid = (wj["bbox"][1] + wj["bbox"][3]) / 2
    if abs(mid - wmid) > 3 or wj["bbox"][0] < max(rights):
        d.append("文件 is not centred against the names on their right: %s vs %.1f" % (wj["bbox"], mid))
    if any(l["color"] == "#000000" for l in organs + [wj]):
        d.append("the 发文机关标志 is not red")
    text = open(os.path.join(FIX, "joint.txt"), encoding="utf-8").read()
    folder = report("preprinted", text.replace("---\norgan:", "---\nletterhead: preprinted\norgan:"))
    pre = render(folder, "pre.pdf")
    if red_rows(pre, 1):
        d.append("preprinted: red pixels on page 1")
    pl = [l["text"] for l in pdfread.stext(pre)[0]]
    if "某商联发〔2024〕12号" not in pl or "某某省商务厅" in pl:
        d.append("preprinted: want the 发文字号 and no organ names: %s" % pl[:6])
    return d


@check("版头: 签发人 on the 发文字号's line for 上行文, names aligned; the title stays on page 1")
def _():
    pdf = render(os.path.join(FIX, "request.txt"), "request.pdf")
    first = pdfread.stext(pdf)[0]
    d = []
    sig = next((l for l in first if l["text"].startswith("签发人：")), None)
    num = next((p for p in pieces(first) if p["text"] == "某府〔2024〕3号"), None)
    wang = next((p for p in pieces(first) if p["text"] == "王某某"), None)
    if not (sig and num and wang):
        return ["missing 签发人/发文字号/second line: %s" % [l["text"] for l in first][:8]]
    if abs(num["y"] - wang["y"]) > 0.5:
        d.append("the 发文字号 is not on the last signer's line")
    if abs(num["x0"] / MM - (28 + 5.6)) > 1.5:
        d.append("the 发文字号 starts %.1f mm from the left, want 左空一字 (33.6)" % (num["x0"] / MM))
    if abs(sig["bbox"][2] / MM - (184 - 5.6)) > 1.5:
        d.append("签发人 ends %.1f mm from the left, want 右空一字 (178.4)" % (sig["bbox"][2] / MM))
    if not any(l["text"].startswith("某某市人民政府关于") for l in first):
        d.append("the title is not on page 1")
    return d


@check("seal: three organs sealing together, seals side by side in the type area, the date under the last")
def _():
    anchor = os.path.join(T, "joint-seal.json")
    pdf = render(os.path.join(FIX, "joint-sealed.txt"), "joint-sealed.pdf", "--seal-anchor", anchor)
    seals = json.load(open(anchor, encoding="utf-8"))["seals"]
    d = []
    if len(seals) != 3 or len({s["page"] for s in seals}) != 1:
        return ["seals %s, want three on one page" % seals]
    boxes = sorted((s["box"]["x"], s["box"]["y"]) for s in seals)
    for (x0, y0), (x1, y1) in zip(boxes, boxes[1:]):
        if x1 - x0 < 42 or abs(y1 - y0) > 0.1:
            d.append("seals at %s overlap or are not in a row" % boxes)
    if boxes[0][0] < 28 - 0.1 or boxes[-1][0] + 42 > 184 + 0.1:
        d.append("seals at %s leave the type area (28–184 mm)" % boxes)
    page = pdfread.stext(pdf)[seals[0]["page"] - 1]
    names = [p for p in pieces(page) if p["text"] in ("某某省商务厅", "某某省财政厅", "某某省统计局")
             and p["y"] > boxes[0][1] * MM]
    date = next((l for l in page if l["text"] == "2024年5月6日"), None)
    if len(names) != 3 or date is None:
        return d + ["signatures %s, date %s" % ([p["text"] for p in names], date)]
    for p, (x, y) in zip(sorted(names, key=lambda p: p["x0"]), boxes):
        l = dict(text=p["text"], bbox=[p["x0"], 0, p["x1"], 0])
        c = (l["bbox"][0] + l["bbox"][2]) / 2 / MM
        if abs(c - (x + 21)) > 1:
            d.append("%s centred at %.1f mm, its seal at %.1f" % (l["text"], c, x + 21))
    dc = (date["bbox"][0] + date["bbox"][2]) / 2 / MM
    if abs(dc - (boxes[-1][0] + 21)) > 1:
        d.append("the date is centred at %.1f mm, not under the last seal (%.1f)" % (dc, boxes[-1][0] + 21))
    return d


@check("pieces set apart on one line (发文字号 and 签发人, organs under their seals) read apart: "
       "spaces between them, no stretched gap (pagecheck, line breaks)")
def _():
    d = []
    for src, left, right in (("request.txt", "某府〔2024〕3号", "王某某"),
                             ("joint-sealed.txt", "某某省商务厅", "某某省财政厅"),
                             ("joint-sealed.txt", "某某省财政厅", "某某省统计局")):
        pdf = render(os.path.join(FIX, src), src.replace(".txt", "-apart.pdf"))
        d += ["%s: %s" % (src, f) for f in body_faults(pagecheck.body(pdf), ("breaks",))]
        found = False
        for page in pdfread.stext(pdf):
            for l in page:
                s = re.sub(r"(?<=[0-9A-Za-z]) (?=[^ -~\s])|(?<=[^ -~\s]) (?=[0-9A-Za-z])", "",
                           "".join(c for c, _ in l["chars"]))
                k = s.find(left)
                if k >= 0 and s[k + len(left):].lstrip().startswith(right):
                    found = True
                    if not s[k + len(left)].isspace():
                        d.append("%s: %r and %r on one line with no space between them: %r"
                                 % (src, left, right, s))
        if not found:
            d.append("%s: %r and %r not on one line" % (src, left, right))
    return sorted(set(d))


@check("seals (7.3.5.1): inside the type area, clear of the page number, their top within a "
       "line below the text: the joint fixture, the 请示 (sealed, no image; with one, on a page "
       "set closer), the 通知")
def _():
    d = []
    text = open(os.path.join(FIX, "request.txt"), encoding="utf-8").read()
    imaged = report("request-seal", text.replace("sealed: yes", "seal: seal.png"),
                    [os.path.join(FIX, "seal.png")])
    for src in (os.path.join(FIX, "joint-sealed.txt"), os.path.join(FIX, "request.txt"), imaged,
                NOTICE):
        name = os.path.basename(src)
        anchor = os.path.join(T, name + ".seal.json")
        pdf = render(src, name + ".sealed.pdf", "--seal-anchor", anchor)
        seals = json.load(open(anchor, encoding="utf-8"))["seals"]
        if not seals:
            d.append("%s: no seal in the anchor" % name)
        pages = pdfread.stext(pdf)
        for s in seals:
            b = s["box"]
            x0, y0, x1, y1 = b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]
            if x0 < 28 - 0.1 or x1 > 184 + 0.1 or y0 < 37 - 0.1 or y1 > 262 + 0.1:
                d.append("%s: the seal box %.1f–%.1f × %.1f–%.1f mm on page %d leaves the type "
                         "area (28–184 × 37–262)" % (name, x0, x1, y0, y1, s["page"]))
            boxes = [(x0 * MM, y0 * MM, x1 * MM, y1 * MM)]
            # and the image drawn in it
            images = [r for kind, r in pdfread.drawing_order(pdf, s["page"])
                      if kind == "image" and x0 * MM < (r[0] + r[2]) / 2 < x1 * MM
                      and y0 * MM < (r[1] + r[3]) / 2 < y1 * MM]
            for r in images:
                if max(abs(u - v) for u, v in zip(r, boxes[0])) > 0.5:
                    d.append("%s: the seal image at %s pt, its box at %s pt" % (
                        name, [round(v, 1) for v in r], [round(v, 1) for v in boxes[0]]))
            boxes += images
            page = pages[s["page"] - 1]
            for l in page:
                lb = l["bbox"]
                if PN_RE.match(l["text"]) and any(lb[0] < r[2] and r[0] < lb[2] and lb[1] < r[3]
                                                  and r[1] < lb[3] for r in boxes):
                    d.append("%s: a seal crosses the page number on page %d" % (name, s["page"]))
            above = [l["bbox"][3] for l in page if l["bbox"][3] <= y0 * MM + 0.5]
            if not above or not 0 <= y0 * MM - max(above) <= 28.99 + 0.5:
                d.append("%s: the seal's top at %.1f mm is not within a line below the text "
                         "(its bottom at %s mm)" % (name, y0, above and round(max(above) / MM, 1)))
    return d


@check("fifteen organs sealing together run on over pages: every seal box inside the type area, "
       "apart from the others, on the page of the name it presses on")
def _():
    organs = "；".join("某某省第%d厅" % (k + 1) for k in range(15))
    folder = report("fifteen-sealed", "---\nissuer: %s\ndate: 2024-01-01\nsealed: yes\n---\n"
                    "标题\n正文一段。\n" % organs)
    anchor = os.path.join(T, "fifteen.json")
    pdf = render(folder, "fifteen.pdf", "--seal-anchor", anchor)
    seals = json.load(open(anchor, encoding="utf-8"))["seals"]
    d = [] if len(seals) == 15 else ["%d seals, want 15" % len(seals)]
    pages = pdfread.stext(pdf)
    boxes = []
    for s in seals:
        b = s["box"]
        x0, y0, x1, y1 = b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]
        if x0 < 28 - 0.1 or x1 > 184 + 0.1 or y0 < 37 - 0.1 or y1 > 262 + 0.1:
            d.append("page %d: the seal box %.1f–%.1f × %.1f–%.1f mm leaves the type area"
                     % (s["page"], x0, x1, y0, y1))
        for p, o in boxes:
            if p == s["page"] and x0 < o[2] and o[0] < x1 and y0 < o[3] and o[1] < y1:
                d.append("page %d: seals at %s and %s overlap" % (p, o[:2], (x0, y0)))
        boxes.append((s["page"], (x0, y0, x1, y1)))
        names = [q for q in pieces(pages[s["page"] - 1]) if q["text"].startswith("某某省第")
                 and x0 * MM < (q["x0"] + q["x1"]) / 2 < x1 * MM and y0 * MM < q["y"] < y1 * MM]
        if len(names) != 1:
            d.append("page %d: the seal at %.1f, %.1f mm presses on %s, want one name"
                     % (s["page"], x0, y0, [q["text"] for q in names]))
    return d


@check("a short text before tall seals: page 1 holds the 主送机关 and body text, not the title alone; "
       "the seals inside the type area on the date's page, a body line above them (7.3.5.5)")
def _():
    d = []
    joint = open(os.path.join(FIX, "joint-sealed.txt"), encoding="utf-8").read()
    head, rest = joint.split("---\n", 2)[1:]
    organs = ["某某省商务厅", "某某省财政厅", "某某省统计局", "某某省教育厅", "某某省民政厅"]
    sentence = "为提高统计数据质量，各部门决定联合开展统计数据质量核查，请各地按要求认真组织自查。"
    cases = [("joint-sealed.txt", os.path.join(FIX, "joint-sealed.txt"), rest.split("\n")[1])]
    # the joint notice with 2 and 3 body lines, with and without its 主送机关, 3 and 5 seals
    for n, seals, addressee in [(2, 3, True), (3, 3, False), (2, 5, True), (3, 5, False)]:
        body = (sentence * 4)[:28 * n - 12] + "。"
        text = "---\n%s---\n%s%s\n%s\n2024年5月6日\n" % (
            head.replace("seal: seal.png；seal.png；seal.png", "seal: " + "；".join(["seal.png"] * seals))
                .replace("某某省商务厅；某某省财政厅；某某省统计局", "；".join(organs[:seals])),
            "各市（州）商务、财政、统计部门：\n" if addressee else "", body, "\n".join(organs[:seals]))
        name = "short-%d-sealed-%d%s" % (n, seals, "" if addressee else "-no-addressee")
        cases.append((name, report(name, text, [os.path.join(FIX, "seal.png")]), body))
    for name, src, body in cases:
        anchor = os.path.join(T, name + ".short.json")
        pdf = render(src, name + ".short.pdf", "--seal-anchor", anchor)
        seals = json.load(open(anchor, encoding="utf-8"))["seals"]
        pages = pdfread.stext(pdf)
        flat = re.sub(r"\s", "", body)

        def is_body(l):
            t = re.sub(r"\s", "", l["text"])
            return t != "" and t in flat

        if "".join(re.sub(r"\s", "", l["text"]) for p in pages for l in p if is_body(l)) != flat:
            d.append("%s: the body text does not read back whole and in order" % name)
        first = sorted(pages[0], key=lambda l: l["y"])
        k = next((i for i, l in enumerate(first) if l["text"].startswith("关于联合开展")), None)
        if k is None:
            d.append("%s: no title on page 1" % name)
            continue
        below = first[k + 1:]
        addressee = "各市（州）商务、财政、统计部门："
        if "no-addressee" not in name and not any(l["text"] == addressee for l in below):
            d.append("%s: the 主送机关 is not on page 1 under the title" % name)
        if not any(is_body(l) for l in below):
            d.append("%s: page 1 holds no body text after the title: %s"
                     % (name, [l["text"] for l in below]))
        on = [i for i, p in enumerate(pages) if any(l["text"] == "2024年5月6日" for l in p)]
        if len(on) != 1 or not seals or {s["page"] for s in seals} != {on[0] + 1}:
            d.append("%s: the date on pages %s, the seals on %s" % (
                name, [i + 1 for i in on], sorted({s["page"] for s in seals})))
            continue
        top = min(s["box"]["y"] for s in seals) * MM
        if not any(is_body(l) and l["bbox"][3] <= top + 0.5 for l in pages[on[0]]):
            d.append("%s: no body line above the seals on page %d" % (name, on[0] + 1))
        for s in seals:
            b = s["box"]
            x0, y0, x1, y1 = b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]
            if x0 < 28 - 0.1 or x1 > 184 + 0.1 or y0 < 37 - 0.1 or y1 > 262 + 0.1:
                d.append("%s: the seal box %.1f–%.1f × %.1f–%.1f mm on page %d leaves the type "
                         "area (28–184 × 37–262)" % (name, x0, x1, y0, y1, s["page"]))
    return d


@check("7.3.5.5: a page is set closer only when that keeps the date on it; when the date goes "
       "to the next page anyway, the page keeps the 28.99 pt pitch")
def _():
    d = []
    sentence = "为进一步做好政务公开工作，现就有关事项通知如下，请各单位认真贯彻落实，确保各项任务按时完成。"
    # body lines under a 版头 that leaves 11 rows for the text, unsealed and sealed
    for n, sealed in [(n, s) for s in ("no", "yes") for n in range(4, 14)]:
        body = (sentence * 10)[:28 * n - 13] + "。"
        name = "tighten-%d-%s" % (n, sealed)
        folder = report(name, "---\norgan: 某某市人民政府\nnumber: 某府〔2024〕9号\n"
                        "title: 关于做好某项工作的通知\nissuer: 某某市人民政府\ndate: 2024-03-01\n"
                        "sealed: %s\n---\n各区县人民政府：\n%s\n" % (sealed, body))
        out = os.path.join(T, name + ".pdf")
        p = gw("render", folder, "-o", out)
        if p.returncode != 0:
            d.append("%s: exit %d: %s" % (name, p.returncode, txt(p.stderr)))
            continue
        warned = re.search(r"page 1 is set at a line pitch of ([\d.]+) pt", txt(p.stderr))
        pages = list(pagecheck.pages(out))
        pitch = pagecheck.measure(pages[:1])["line_pitch"]
        on = [k + 1 for k, page in enumerate(pdfread.stext(out))
              if any(l["text"] == "2024年3月1日" for l in page)]
        if pitch is None or (pitch < 28.9) != bool(warned) or \
                (warned and abs(float(warned.group(1)) - pitch) > 0.05):
            d.append("%s: page 1 measured at %s pt, warning %s" % (
                name, pitch, warned and warned.group(0)))
        if pitch is not None and pitch < 28.9 and on != [1]:
            d.append("%s: page 1 set at %.2f pt, yet the date is on page %s" % (name, pitch, on))
    return d


# ---- 印发 notices: @issued, the document a notice issues ----

ISSUED = os.path.join(FIX, "issued.txt")
ISSUED_TITLE = ["某某市政策性粮食购销违法违规行为举报奖励实施细则", "（试行）"]
TITLE_FAMILY = "Noto Serif CJK SC Black"    # the title role's free face (README, fonts)
_issued = {}


def issued_pdf():
    """The 印发 fixture rendered once: (its path, stext pages, trace pages)."""
    if not _issued:
        pdf = render(ISSUED, "issued.pdf")
        _issued.update(pdf=pdf, pages=pdfread.stext(pdf), trace=list(pdfread.trace(pdf)))
    return _issued["pdf"], _issued["pages"], _issued["trace"]


def by_y(page):
    return sorted(page, key=lambda l: (round(l["y"], 1), l["x0"]))


def issued_title_page(pages):
    """The index of the page whose lines begin with the issued document's title, or None."""
    for k, page in enumerate(pages):
        rows = [l for l in by_y(page) if not PN_RE.match(l["text"])]
        if rows and rows[0]["text"] == ISSUED_TITLE[0][:len(rows[0]["text"])]:
            return k
    return None


@check("印发 notice (@issued): the issued document's title starts the page after the notice's "
       "date, on its first line, centred (within 1 mm) in the title font; no 附件 above it")
def _():
    d = []
    pdf, pages, traced = issued_pdf()
    dated = [k for k, page in enumerate(pages) if any(l["text"] == "2023年12月29日" for l in page)]
    k = issued_title_page(pages)
    if len(dated) != 1 or k is None:
        return ["the date on pages %s, the issued title on page %s" % (
            [p + 1 for p in dated], k if k is None else k + 1)]
    if k != dated[0] + 1:
        d.append("the issued document's title is on page %d, the notice's date on page %d: want "
                 "the page after it" % (k + 1, dated[0] + 1))
    rows = [l for l in by_y(pages[k]) if not PN_RE.match(l["text"])]
    n = next((i for i, l in enumerate(rows) if l["text"].startswith("第一条")), None)
    if n is None:
        return d + ["no 第一条 under the issued title: %s" % [l["text"] for l in rows[:5]]]
    title = rows[:n]
    if "".join(l["text"] for l in title) != "".join(ISSUED_TITLE) or title[-1]["text"] != ISSUED_TITLE[1]:
        d.append("the lines above 第一条 are %s, want the title %s with （试行） a line of its own"
                 % ([l["text"] for l in title], ISSUED_TITLE))
    top, pitch = 37 * MM, 225 / 22 * MM     # the first line's baseline lies in its first row
    if not top < title[0]["y"] < top + pitch:
        d.append("the title's first baseline is at %.1f mm, want it on the type area's first "
                 "line (37 to 47.2 mm)" % (title[0]["y"] / MM))
    if any(l["text"].startswith("附件") for l in pages[k]):
        d.append("a 附件 label on the issued document's page: %s"
                 % [l["text"] for l in pages[k] if l["text"].startswith("附件")])
    for l in title:
        centre = (l["x0"] + l["x1"]) / 2 / MM
        if abs(centre - (28 + 156 / 2)) > 1:
            d.append("title line %r is centred at %.2f mm, want 106.00 ± 1 (the type area's "
                     "centre)" % (l["text"], centre))
    # the font of each title glyph, read back from the PDF: the main title's, the title role's
    want = fc_face(TITLE_FAMILY)["postscriptname"]
    glyphs = traced[k][3]
    title_chars = set("".join(ISSUED_TITLE))
    faces = {(g["font"], round(g["size"], 1)) for g in glyphs
             if g["c"] in title_chars and g["y"] <= title[-1]["y"] + 1}
    main = {(g["font"], round(g["size"], 1)) for g in traced[0][3] if g["c"] in "关于印发通知"}
    if faces != {(want, 22.0)}:
        d.append("the issued title's glyphs are in %s, want %s at 22 pt (2号)" % (faces, want))
    if (want, 22.0) not in main:
        d.append("the notice's own title is not in %s at 22 pt: %s" % (want, main))
    return d


@check("印发 notice: the issued document's attachments are 附件1 and 附件2, after it; page "
       "numbers continue; the 版记 is on the last, even page")
def _():
    d = []
    pdf, pages, traced = issued_pdf()
    k = issued_title_page(pages)
    labels = [(n, l["text"]) for n, page in enumerate(pages) for l in page
              if re.fullmatch(r"附件\d*", l["text"])]
    if [t for _, t in labels] != ["附件1", "附件2"]:
        d.append("attachment labels %s, want 附件1 and 附件2" % labels)
    elif k is None or not all(n > k for n, _ in labels):
        d.append("attachment labels on pages %s, the issued title on page %s" % (
            [n + 1 for n, _ in labels], k if k is None else k + 1))
    want = [[str(n + 1)] for n in range(len(pages))]
    if numbers(pages) != want:
        d.append("page numbers %s, want %s" % (numbers(pages), want))
    imprint = [n for n, page in enumerate(pages) for l in page if l["text"].startswith("抄送：")]
    if imprint != [len(pages) - 1] or len(pages) % 2:
        d.append("the 版记 on pages %s of %d, want the last, an even one" % (
            [n + 1 for n in imprint], len(pages)))
    return d


@check("印发 notice: the outline has an entry for the issued document, its headings under it")
def _():
    pdf, pages, traced = issued_pdf()
    entries = pdfread.outline(pdf)
    whole = "".join(ISSUED_TITLE)
    if (1, whole) not in entries:
        return ["no top-level outline entry %r: %s" % (whole, entries)]
    after = entries[entries.index((1, whole)) + 1:]
    if not after or any(depth < 2 for depth, _ in after):
        return ["the headings after the issued document's entry are not under it: %s" % after]
    return []


@check("印发 notice: check gives no warnings (the notice's 附件说明 need not list the issued "
       "document); a 附件说明 that lists it is a warning")
def _():
    d = []
    p = gw("check", ISSUED, "--werror")
    if p.returncode != 0 or "0 errors, 0 warnings" not in txt(p.stderr):
        d.append("check %s --werror: exit %d: %s" % (ISSUED, p.returncode, txt(p.stderr)))
    text = open(ISSUED, encoding="utf-8").read()
    text = text.replace("\n2023年12月29日\n", "\n附件：某某市政策性粮食购销违法违规行为举报奖励实施细则"
                        "（试行）\n2023年12月29日\n")
    folder = report("issued-note", text, [os.path.join(FIX, "issued-form.csv")])
    p = gw("check", folder)
    want = "report.txt:13:1: warning: the 附件说明 lists “某某市政策性粮食购销违法违规行为举报" \
           "奖励实施细则（试行）”, the issued document"
    if want not in txt(p.stderr):
        d.append("a notice whose 附件说明 lists the issued document: want %r: %s"
                 % (want, txt(p.stderr)))
    return d


@check("印发 notice issuing two documents: each starts a page with its title and has an outline "
       "entry; attachments are numbered within their document (附件, 附件1, 附件2, 附件)")
def _():
    d = []
    text = ("---\nissuer: 某某局\ndate: 2024-03-01\ncc: 某某单位。\nprinter: 某某局办公室\n"
            "printed: 2024-03-01\n---\n关于印发《甲管理办法》《乙实施细则》的通知\n各单位：\n"
            "现将《甲管理办法》《乙实施细则》印发给你们，请认真贯彻执行。\n附件：通知附表\n"
            "@attachment\n通知附表的内容。\n"
            "@issued 甲管理办法\n第一条　为规范管理，制定本办法。\n附件：1．甲表\n2．乙表\n"
            "@attachment\n甲表的内容。\n@attachment\n乙表的内容。\n"
            "@issued\n乙实施细则\n（2024年修订）\n第一条　为规范管理，制定本细则。\n附件：丙表\n"
            "@attachment\n丙表的内容。\n")
    folder = report("issued-two", text)
    p = gw("check", folder, "--werror")
    if p.returncode != 0:
        d.append("check: exit %d: %s" % (p.returncode, txt(p.stderr)))
    pages = pdfread.stext(render(folder, "issued-two.pdf"))
    firsts = [[l["text"] for l in by_y(page) if not PN_RE.match(l["text"])][:1] for page in pages]
    labels = [f[0] for f in firsts if f and re.fullmatch(r"附件\d*", f[0])]
    if labels != ["附件", "附件1", "附件2", "附件"]:
        d.append("attachment labels %s, want 附件, 附件1, 附件2, 附件" % labels)
    for title in ("甲管理办法", "乙实施细则"):
        if [title] not in firsts:
            d.append("no page begins with the issued title %s: %s" % (title, firsts))
    page = next((pg for pg in pages if by_y(pg)[0]["text"] == "乙实施细则"), [])
    if [l["text"] for l in by_y(page)[:2]] != ["乙实施细则", "（2024年修订）"]:
        d.append("乙实施细则's page begins %s" % [l["text"] for l in by_y(page)[:2]])
    tops = [e for e in pdfread.outline(os.path.join(T, "issued-two.pdf")) if e[0] == 1]
    if tops != [(1, "甲管理办法"), (1, "乙实施细则（2024年修订）")]:
        d.append("top-level outline entries %s" % tops)
    return d


# ---- 规章-style text: 第X章, 第X节, 第X条 and the items of an article ----

MEASURES = os.path.join(FIX, "measures.txt")
HAN_NUMERAL = "零一二三四五六七八九十百千"
CELL, PITCH = 156 * MM / 28, 225 * MM / 22
TYPE_CENTRE = 28 * MM + 78 * MM


def lines_of(pdf):
    """Every line of horizontal text, top to bottom: dicts of page, text, glyphs (the
    trace's, left to right) and y (the baseline)."""
    out = []
    for n, w, h, glyphs, paths, runs in pdfread.trace(pdf):
        rows = {}
        for g in glyphs:
            if g["u"] == (1.0, 0.0):
                rows.setdefault(round(g["y"]), []).append(g)
        for y in sorted(rows):
            g = sorted(rows[y], key=lambda x: x["x"])
            out.append(dict(page=n, text="".join(x["c"] for x in g), glyphs=g, y=g[0]["y"]))
    return out


def ordinal_len(text, unit):
    """The characters of 第X<unit> at the start of `text`, or 0."""
    m = re.match("第[%s]+%s" % (HAN_NUMERAL, unit), text)
    return len(m.group(0)) if m else 0


@check("规章: 第X章 centred in 黑体 after a blank line, 第X节 centred in 楷体, 第X条 in 黑体 and "
       "one full-width space, every （一） and 1. of an article in the body font, indented 2")
def _():
    pdf = render(MEASURES, "measures.pdf")
    body, heiti, kaiti = (fc_face(f)["postscriptname"]
                          for f in ("FandolFang", "Noto Sans CJK SC", "AR PL KaitiM GB"))
    d, seen = [], dict(chapter=0, section=0, article=0, item=0)
    lines = lines_of(pdf)
    for k, l in enumerate(lines):
        t, g = l["text"], l["glyphs"]
        faces = lambda gs: sorted({x["font"] for x in gs})
        centre = (g[0]["box"][0] + g[-1]["box"][2]) / 2
        kind = "chapter" if ordinal_len(t, "章") else "section" if ordinal_len(t, "节") else None
        if kind is not None:
            seen[kind] += 1
            want = heiti if kind == "chapter" else kaiti
            if faces(g) != [want]:
                d.append("%s: faces %s, want %s" % (t, faces(g), want))
            if abs(centre - TYPE_CENTRE) > 1 * MM:
                d.append("%s: centred at %.1f mm, the type area at %.1f mm"
                         % (t, centre / MM, TYPE_CENTRE / MM))
            prev = lines[k - 1] if k > 0 and lines[k - 1]["page"] == l["page"] else None
            if kind == "chapter" and prev is not None and l["y"] - prev["y"] < 1.5 * PITCH:
                d.append("%s: %.1f pt under the line above, want a blank line between (two "
                         "rows: about %.1f pt)" % (t, l["y"] - prev["y"], 2 * PITCH))
            continue
        n = ordinal_len(t, "条")
        if n and abs(g[0]["x"] - (28 * MM + 2 * CELL)) < 1:
            seen["article"] += 1
            if faces(g[:n]) != [heiti] or faces(g[n:]) != [body]:
                d.append("%s: 第X条 in %s and the rest in %s, want %s then %s"
                         % (t[:12], faces(g[:n]), faces(g[n:]), heiti, body))
            # a character's pitch on this line (a justified line's is a little wider)
            step = sorted(b["x"] - a["x"] for a, b in zip(g[n:], g[n + 1:]))[len(g[n:]) // 2]
            if abs(g[n]["x"] - g[n - 1]["x"] - 2 * step) > 0.5 or not 15 < g[n]["space"] < 17:
                d.append("%s: the text starts %.2f pt after 条 behind a space of %.2f pt, want "
                         "two characters' pitch (%.2f pt), 条 and one full-width space (16 pt)"
                         % (t[:12], g[n]["x"] - g[n - 1]["x"], g[n]["space"], 2 * step))
            continue
        if re.match(r"（[一二三四五六七八九十]+）|\d+\.", t):
            seen["item"] += 1
            if faces(g) != [body]:
                d.append("item %s: faces %s, want the body's %s" % (t[:12], faces(g), body))
            if not -1 < g[0]["box"][0] - (28 * MM + 2 * CELL) < CELL / 2:
                d.append("item %s starts at %.1f pt, want a two-character indent (%.1f pt)"
                         % (t[:12], g[0]["box"][0], 28 * MM + 2 * CELL))
    want = dict(chapter=3, section=2, article=12, item=18)
    if seen != want:
        d.append("found %s, want %s" % (seen, want))
    depths = [(depth, title) for depth, title in pdfread.outline(pdf)]
    if depths != [(1, "第一章　总　则"), (1, "第二章　共享、使用与监督"), (2, "第一节　共　享"),
                  (2, "第二节　使用与监督"), (1, "第三章　附　则")]:
        d.append("outline %s: want the chapters at depth 1, the sections under them" % depths)
    return d


@check("规章: check finds no problem in measures.txt; 第三条 after 第一条 is an error at its "
       "file:line:col, and render still writes the PDF")
def _():
    d = []
    p = gw("check", MEASURES)
    if p.returncode != 0 or not re.search(r": \d+ pages?, 0 errors, 0 warnings\n", txt(p.stderr)) \
            or re.search(r": (warning|error): ", txt(p.stderr)):
        d.append("check measures.txt: exit %d: %s" % (p.returncode, txt(p.stderr)))
    lines = open(MEASURES, encoding="utf-8").read().split("\n")
    skipped = [l for l in lines if not l.startswith("第二条")]
    first = next(k for k, l in enumerate(skipped) if l.startswith("第一条")) + 1
    third = next(k for k, l in enumerate(skipped) if l.startswith("第三条")) + 1
    folder = report("measures-skipped", "\n".join(skipped))
    p = gw("check", folder)
    want = "%s:%d:1: error: article 第三条 follows 第一条 (line %d); expected 第二条" % (
        os.path.join(folder, "report.txt"), third, first)
    if p.returncode != 1 or want not in txt(p.stderr):
        d.append("check without 第二条: exit %d, want 1 and %r: %s"
                 % (p.returncode, want, txt(p.stderr)))
    out = os.path.join(T, "measures-skipped.pdf")
    p = gw("render", folder, "-o", out)
    if p.returncode != 0 or not os.path.isfile(out) or want not in txt(p.stderr):
        d.append("render without 第二条: exit %d, want 0, the PDF and %r: %s"
                 % (p.returncode, want, txt(p.stderr)))
    return d


SPEECH = os.path.join(SRC, "tests", "fixtures", "source", "speech.txt")
AREA_CENTRE = (28 + 156 / 2) * MM


def glyph_lines(pdf, page=1):
    """A page's glyphs as lines: (baseline y, text, left edge x, right edge x, fonts)."""
    for n, w, h, glyphs, paths, runs in pdfread.trace(pdf):
        if n != page:
            continue
        rows = {}
        for g in glyphs:
            rows.setdefault(round(g["y"], 1), []).append(g)
        return [(y, "".join(g["c"] for g in gs), min(g["box"][0] for g in gs),
                 max(g["box"][2] for g in gs), {g["font"] for g in gs})
                for y, gs in sorted(rows.items())]
    return []


@check("speech: the subtitle and author lines centred in the heading-2 (楷体) face, the "
       "salutation flush left, the text below them")
def _():
    pdf = render(SPEECH, "speech.pdf")
    lines = glyph_lines(pdf)
    d = []
    find = lambda start: next((l for l in lines if l[1].startswith(start)), None)
    title, head2 = find("政府工作报告"), find("（二）")  # a heading line, not run in
    author, salute, first = find("国务院总理"), find("各位代表："), find("现在，我代表国务院")
    if None in (title, head2, author, salute, first):
        return ["lines not found on page 1: %s" % [l[1] for l in lines[:8]]]
    sub = lines[lines.index(title) + 1:lines.index(author)]
    if "".join(l[1] for l in sub) != "——2018年3月5日在第十三届全国人民代表大会第一次会议上":
        return ["the lines between the title and the author are %s" % [l[1] for l in sub]]
    kai = {f for f in head2[4]}
    for l in sub + [author]:
        centre = (l[2] + l[3]) / 2
        if abs(centre - AREA_CENTRE) > 1 * MM:
            d.append("%r is centred at %.1f mm, the type area at %.1f mm" % (
                l[1], centre / MM, AREA_CENTRE / MM))
        if not l[4] <= kai or l[4] & title[4]:
            d.append("%r is set in %s, the level-2 heading in %s" % (l[1], sorted(l[4]),
                                                                     sorted(kai)))
        if l[2] < 28 * MM + 3 * 15.79:
            d.append("%r starts %.1f mm from the type area's left: not centred" % (
                l[1], l[2] / MM - 28))
    if abs(salute[2] - 28 * MM) > 0.5:
        d.append("the salutation starts at %.2f mm, the type area at 28 mm (flush left)"
                 % (salute[2] / MM))
    if abs(first[2] - (28 * MM + 2 * 15.793)) > 0.5:
        d.append("the first paragraph starts at %.2f mm, want an indent of two characters"
                 % (first[2] / MM))
    ys = [title[0]] + [l[0] for l in sub] + [author[0], salute[0]]
    gaps = [round((b - a) / 28.99, 2) for a, b in zip(ys, ys[1:])]
    if any(abs(g - 1) > 0.3 for g in gaps[:-1]) or abs(gaps[-1] - 2) > 0.1:
        d.append("rows between title, subtitle, author and salutation: %s, want the subtitle "
                 "and author on the lines under the title and a blank line after them" % gaps)
    return d


FORMS = os.path.join(SRC, "tests", "fixtures", "forms")
CELL = 156 * MM / 28


def blank_runs(text):
    """The lengths of the fill-in blanks of a text: runs of ＿, or of two or more _."""
    return [len(m.group(0)) for m in re.finditer(r"[＿_]{2,}|＿", text)]


@check("blanks: each run of ＿ or _ whole on its line, drawn as one rule of as many cells, "
       "its underscores still in the text")
def _():
    # the form without its @right lines (checked below): blanks in paragraphs alone
    source = "".join(l for l in open(os.path.join(FORMS, "report.txt"), encoding="utf-8")
                     if not l.startswith("@"))
    pdf = render(report("blanks", source), "blanks.pdf")
    want = sorted(blank_runs(source))
    d, got = [], []
    for n, w, h, glyphs, paths, runs in pdfread.trace(pdf):
        rules = [b for b, half in paths if b[3] - b[1] < 2]
        for r in runs:
            k = 0
            while k < len(r):
                if glyphs[r[k]]["c"] not in "＿_":
                    k += 1
                    continue
                j = k
                while j < len(r) and glyphs[r[j]]["c"] in "＿_":
                    j += 1
                first, last = glyphs[r[k]], glyphs[r[j - 1]]
                n_cells = j - k
                if n_cells == 1 and first["c"] == "_":
                    k = j
                    continue
                got.append(n_cells)
                under = [b for b in rules if b[0] - 3 < first["x"] < b[2] and
                         first["y"] < b[1] < first["y"] + 0.3 * first["size"]]
                if len(under) != 1:
                    d.append("page %d: %d × %s at %.1f, %.1f: %d rules under it" % (
                        n, n_cells, first["c"], first["x"], first["y"], len(under)))
                elif abs(under[0][2] - under[0][0] - n_cells * CELL) > 0.2 or \
                        not under[0][0] - 0.5 <= first["x"] <= under[0][0] + CELL / 2 or \
                        not under[0][2] - CELL - 0.5 <= last["x"] < under[0][2]:
                    d.append("page %d: the rule %s under %d × %s from %.1f to %.1f is not "
                             "%d cells over them" % (n, [round(v, 1) for v in under[0]],
                                                     n_cells, first["c"], first["x"],
                                                     last["x"], n_cells))
                k = j
    if sorted(got) != want:
        d.append("blanks in the PDF %s, in the source %s (a blank split over lines reads as two)"
                 % (sorted(got), want))
    text = "".join(pdfread.text(pdf))
    if text.count("＿") != source.count("＿") or text.count("_") != source.count("_"):
        d.append("the text has %d ＿ and %d _, the source %d and %d" % (
            text.count("＿"), text.count("_"), source.count("＿"), source.count("_")))
    return d


@check("@right: 右空一字 by default, @right2 右空二字, @right0 flush right; full-width spaces "
       "kept as written")
def _():
    pdf = render(FORMS, "forms.pdf")
    lines = pdfread.stext(pdf)[0]
    edge = (28 + 156) * MM
    d = []
    for text, space in [("（盖章）", 1), ("年月日", 2), ("年月日", 1), ("举报奖字〔〕号", 0),
                        ("举报人（签字）：＿＿＿＿＿＿", 2)]:
        found = [l for l in lines if l["text"] == text]
        if not found:
            d.append("no line %r on page 1" % text)
            continue
        l = found[0] if text != "年月日" or space == 2 else found[-1]
        if abs(l["x1"] - (edge - space * CELL)) > 0.5:
            d.append("%r ends %.2f pt from the type area's right edge, want %d characters "
                     "(%.2f pt)" % (text, edge - l["x1"], space, space * CELL))
    spaced = [l for l in lines if l["text"] == "年月日"]
    if len(spaced) == 2 and not spaced[1]["x0"] < spaced[0]["x0"] - 2 * CELL:
        d.append("“@right 　　年　　月　　日” starts at %.1f, “@right2 年　月　日” at %.1f: the "
                 "full-width spaces written are not kept" % (spaced[1]["x0"], spaced[0]["x0"]))
    return d


# Last: the PDFs the checks above rendered from reports/ and tests/fixtures (each distinct one
# once); none is of bad input (the reports written into T are not collected).
@check("every rendered PDF: no glyph or rule outside the type area, no glyphs over each other")
def _():
    # the fixture no check above renders: a landscape table between portrait pages
    p = gw("render", os.path.join(FIX, "landscape-middle.txt"), "-o",
           os.path.join(T, "landscape-middle.pdf"))
    if p.returncode != 0:
        return ["landscape-middle.txt: exit %d: %s" % (p.returncode, txt(p.stderr))]
    return rendered_pagecheck()


shutil.rmtree(T, ignore_errors=True)
finish()
