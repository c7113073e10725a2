#!/usr/bin/env python3
"""TAP test pdf-cli: the commands around a render, read back with tests/pdfread.py: previews
(PNG, PDF, terminal) agree with the full PDF's pages and lines; bad input and usage errors
(exit status, nothing written); fonts (a character in no font, --font, `gongwen fonts`
against what fontconfig gives); `check` (one diagnostic per fault, the numbers that must
agree, hygiene, a word list, --werror); -o -, --help and the man page (groff, no warning);
--watch; a batch with --out-dir and -j; pagecheck on every PDF rendered here from reports/
and tests/fixtures.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF, GONGWEN_SANITIZED.
"""
import os, re, shutil, signal, struct, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import BIN, SRC, REPORT, check, run, gw, txt, squash, fc_face, finish  # noqa: E402
from pdftap import render_flagship, rendered_pagecheck  # noqa: E402
import pdfread  # noqa: E402

PN_RE = re.compile(r"^—\s*(\d+)\s*—$")
T = tempfile.mkdtemp(prefix="gongwen-test-pdf-cli-")
_flagship = []


def flagship_lines():
    """The stext lines of the flagship rendered alone (rendered once)."""
    if not _flagship:
        _flagship.append(pdfread.stext(render_flagship(T)))
    return _flagship[0]


@check("preview of section 三 (PNG, PDF, terminal) and of an unknown section")
def _():
    d = []
    png, spdf, xpng = (os.path.join(T, n) for n in ("s.png", "s.pdf", "x.png"))
    p = gw("preview", REPORT, "三", "-o", png)
    head = open(png, "rb").read(24) if os.path.exists(png) else b""
    if p.returncode != 0 or head[:8] != b"\x89PNG\r\n\x1a\n":
        d.append("PNG: exit %d, header %r, stderr %s" % (p.returncode, head[:8], txt(p.stderr)))
    else:
        w, h = struct.unpack(">II", head[16:24])
        if h <= w:
            d.append("PNG is %dx%d, want taller than wide (pages stacked)" % (w, h))
    p = gw("preview", REPORT, "三", "-o", spdf)
    full = flagship_lines()
    where = [i for i, pg in enumerate(full, 1) if any(l["text"].strip() == "三、政务公开互动参与情况" for l in pg)]
    if p.returncode != 0 or not os.path.exists(spdf):
        d.append("PDF: exit %d, stderr %s" % (p.returncode, txt(p.stderr)))
    else:
        prev = pdfread.stext(spdf)
        if not full:
            d.append("g.pdf missing: cannot compare the preview's pages with it")
        for k, pg in enumerate(prev, 1):
            pn = [int(PN_RE.match(l["text"].strip())[1]) for l in pg if PN_RE.match(l["text"].strip())]
            body = [l["text"] for l in pg if not PN_RE.match(l["text"].strip())]
            if not pn or not body:
                d.append("preview page %d: page numbers %s, %d text lines" % (k, pn, len(body)))
                continue
            fulltext = {l["text"] for l in full[pn[0] - 1]} if pn[0] <= len(full) else set()
            stray = [t for t in body if t not in fulltext]
            if stray:
                d.append("preview page %d (numbered %d): %d lines differ from that page of g.pdf; first %r"
                         % (k, pn[0], len(stray), stray[0]))
            if k == 1 and [pn[0]] != where[:1]:
                d.append("preview's first page is numbered %d; 三、 is on page %s of g.pdf" % (pn[0], where))
    p = gw("preview", REPORT, "三")
    if p.returncode != 0 or "三、政务公开互动参与情况" not in txt(p.stdout):
        d.append("terminal preview: exit %d, stdout starts %r" % (p.returncode, txt(p.stdout)[:200]))
    p = gw("preview", REPORT, "十三", "-o", xpng)
    err = txt(p.stderr)
    if p.returncode != 1 or "政务公开基础性工作" not in err or "attachment" not in err:
        d.append("unknown section: exit %d, stderr %r" % (p.returncode, err[:300]))
    if os.path.exists(xpng):
        d.append("x.png was written for an unknown section")
    return d




@check("cli: the preview's lines are the PDF's lines (section 三)")
def _():
    full = flagship_lines()
    p = gw("preview", REPORT, "三")
    if p.returncode != 0:
        return ["exit %d: %s" % (p.returncode, txt(p.stderr)[:200])]
    rows = [l for l in txt(p.stdout).splitlines() if "│" in l and l[:3].strip().isdigit()]
    pdf = {}
    for i, pg in enumerate(full, 1):
        pdf[i] = {squash(l["text"]) for l in pg}
    d = []
    for row in rows:
        page = int(row[:3])
        text = squash(row.split("│", 1)[1].replace("\u3000", ""))
        if text and text not in pdf.get(page, set()):
            d.append("page %d: %r is not a line of that page in g.pdf" % (page, text))
    if len(rows) < 10:
        d.append("only %d lines printed" % len(rows))
    return d[:5]


def report_dir(name, text, files=()):
    folder = os.path.join(T, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    for n in files:
        shutil.copy(os.path.join(REPORT, n), folder)
    return folder


def diagnostics(stderr):
    return [l for l in stderr.splitlines() if re.match(r"^[^:]+:\d+:\d+: (error|warning): ", l)]


@check("cli: check prints one diagnostic per fault and exits 1 on errors")
def _():
    d = []
    cases = [("gap", "标题\n一、甲\n正文。\n三、丙\n正文。\n", 0, "warning: numbering 三、"),
             ("table", "标题\n正文。\n@table t.tsv\n", 1, "error: this row has 1 cell"),
             ("glyph", "标题\n正文\U00030000。\n", 1, "error: no installed font")]
    for name, text, status, phrase in cases:
        folder = report_dir("check-" + name, text)
        with open(os.path.join(folder, "t.tsv"), "w", encoding="utf-8") as f:
            f.write("甲\t乙\n1\n")
        p = gw("check", folder)
        found = diagnostics(txt(p.stderr))
        if p.returncode != status or len(found) != 1 or phrase not in found[0]:
            d.append("%s: exit %d, diagnostics %s (want %d and one with %r)"
                     % (name, p.returncode, found, status, phrase))
    wide = report_dir("check-wide", "标题\n正文。\n@table w.tsv size=四号\n")
    with open(os.path.join(wide, "w.tsv"), "w", encoding="utf-8") as f:
        f.write("\t".join("第%d列标题" % i for i in range(20)) + "\n" +
                "\t".join("一二三四五六" for _ in range(20)) + "\n")
    p = gw("check", wide)
    found = diagnostics(txt(p.stderr))
    if p.returncode != 1 or len(found) != 1 or "the table needs" not in found[0] \
            or "wider than the 156.0 mm of the type area" not in found[0]:
        d.append("a table too wide for the page even at 小五: exit %d, %s" % (p.returncode, found))
    p = gw("check", os.path.join(T, "check-gap"), "--werror")
    if p.returncode != 1:
        d.append("--werror with a warning: exit %d, want 1" % p.returncode)
    p = gw("check", REPORT)
    if p.returncode != 0 or [l for l in diagnostics(txt(p.stderr)) if ": error:" in l]:
        d.append("the flagship: exit %d, %s" % (p.returncode, diagnostics(txt(p.stderr))[:3]))
    return d


@check("cli: the numbers must agree (rules beside the table, figures in the text)")
def _():
    d = []
    folder = os.path.join(T, "rules")
    shutil.copytree(REPORT, folder)
    tsv = os.path.join(folder, "stats.tsv")
    rows = open(tsv, encoding="utf-8").read().split("\n")
    i = next(k for k, r in enumerate(rows) if "网络申请数" in r)
    rows[i] = rows[i].replace("\t54", "\t55")
    open(tsv, "w", encoding="utf-8").write("\n".join(rows))
    p = gw("check", folder)
    found = [l for l in diagnostics(txt(p.stderr)) if ": error:" in l]
    if p.returncode != 1 or not found or not found[0].startswith("%s:23:3:" % tsv):
        d.append("a channel figure changed: exit %d, errors %s" % (p.returncode, found[:2]))
    shutil.rmtree(folder)
    shutil.copytree(REPORT, folder)
    rep = os.path.join(folder, "report.txt")
    text = open(rep, encoding="utf-8").read().replace("共受理政府信息公开申请67件", "共受理政府信息公开申请68件")
    open(rep, "w", encoding="utf-8").write(text)
    p = gw("check", folder)
    warns = [l for l in diagnostics(txt(p.stderr)) if "the text says 68" in l]
    if p.returncode != 0 or len(warns) != 1 or not warns[0].startswith(rep + ":38:") \
            or "stats.tsv:23" not in warns[0]:
        d.append("the prose's 67 changed: exit %d, warnings %s" % (p.returncode, warns))
    return d


@check("cli: hygiene and a word list")
def _():
    folder = report_dir("hygiene", '标题\n他说"好"。甲,乙和 丙。\n1.第一项。\n2．第二项。\n3．第三项。\n贵州省商务厅的工作。\n')
    words = os.path.join(T, "words.txt")
    with open(words, "w", encoding="utf-8") as f:
        f.write("# names\n商务厅 → 商务厅（示例）\n禁用词\n")
    p = gw("check", folder, "--words", words)
    found = diagnostics(txt(p.stderr))
    d = []
    for want in ("2:3: warning: straight quote", "2:5: warning: straight quote",
                 "2:8: warning: half-width “,”", "2:11: warning: a space between two Han",
                 "3:1: warning: numbering “1.”", "6:4: warning: “商务厅” should be"):
        if not any(want in l for l in found):
            d.append("missing %r in %s" % (want, found))
    return d[:3]


@check("cli: -o - writes the PDF to standard output; help and man page")
def _():
    d = []
    p = run(BIN, "render", REPORT, "-o", "-")
    if p.returncode != 0 or not p.stdout.startswith(b"%PDF-"):
        d.append("-o -: exit %d, starts %r" % (p.returncode, p.stdout[:8]))
    for cmd, params in (("render", "REPORT…"), ("check", "REPORT")):
        p = gw(cmd, "--help")
        usage = "gongwen %s [OPTION…] %s" % (cmd, params)
        if p.returncode != 0 or "Examples:" not in txt(p.stdout) or usage not in txt(p.stdout):
            d.append("%s --help: exit %d, want the usage “%s”: %s"
                     % (cmd, p.returncode, usage, txt(p.stdout)[:80]))
    man = os.path.join(SRC, "doc", "gongwen.1")
    p = run("groff", "-k", "-man", "-Tutf8", "-ww", man)      # -k: preconv reads the UTF-8
    if p.returncode != 0 or "gongwen" not in txt(p.stdout) or "公文" not in txt(p.stdout) \
            or p.stderr:
        d.append("groff -k -man -ww gongwen.1: exit %d, %s" % (p.returncode, txt(p.stderr)[:300]))
    return d


@check("cli: --watch renders again on a change and keeps the last good PDF on an error")
def _():
    folder = report_dir("watch", "标题\n第一段。\n")
    out = os.path.join(T, "watch.pdf")
    proc = subprocess.Popen([BIN, "render", folder, "-o", out, "--watch"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    d = []
    try:
        deadline = time.time() + 10
        while not os.path.exists(out) and time.time() < deadline:
            time.sleep(0.05)
        first = os.path.getmtime(out) if os.path.exists(out) else None
        time.sleep(0.3)
        with open(os.path.join(folder, "report.txt"), "a", encoding="utf-8") as f:
            f.write("第二段。\n")
        changed_at = time.time()
        seen = None
        while time.time() < changed_at + 10:
            if os.path.exists(out) and os.path.getmtime(out) != first:
                seen = time.time() - changed_at
                break
            time.sleep(0.02)
        limit = 1.0 if os.environ.get("GONGWEN_SANITIZED", "0") == "0" else 5.0
        if first is None or seen is None or seen > limit:
            d.append("re-render after a change: %s s (limit %.0f s)" % (seen, limit))
        time.sleep(0.5 if os.environ.get("GONGWEN_SANITIZED", "0") == "0" else 3.0)
        good = open(out, "rb").read() if os.path.exists(out) else b""
        with open(os.path.join(folder, "report.txt"), "a", encoding="utf-8") as f:
            f.write("@nosuchdirective\n")
        time.sleep(1.0 if os.environ.get("GONGWEN_SANITIZED", "0") == "0" else 4.0)
        if not os.path.exists(out) or open(out, "rb").read() != good:
            d.append("a syntax error replaced the last good PDF")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            status = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            status = "killed"
    if status != 0:
        d.append("--watch ended with %s on SIGTERM" % status)
    return d




@check("bad input and CLI errors")
def _():
    d = []
    bad, badpdf = os.path.join(T, "bad.txt"), os.path.join(T, "bad.pdf")
    with open(bad, "wb") as f:
        f.write("标题\n\n".encode() + b"\xe4\xb8abc\n" + "正文。\n".encode())
    p = gw("render", bad, "-o", badpdf)
    if p.returncode != 1 or "bad.txt:3:" not in txt(p.stderr):
        d.append("invalid UTF-8: exit %d, stderr %r (want 1 and 'bad.txt:3:')" % (p.returncode, txt(p.stderr)))
    junk = [n for n in os.listdir(T) if n == "bad.pdf" or n.startswith(".bad.pdf")]
    if junk:
        d.append("left behind after a failed render: %s" % junk)
    p = gw("render", REPORT, "--no-such-option")
    if p.returncode != 2:
        d.append("unknown option: exit %d, want 2" % p.returncode)
    p = gw("--version")
    if p.returncode != 0 or not re.match(r"gongwen \S+", txt(p.stdout)):
        d.append("--version: exit %d, stdout %r" % (p.returncode, txt(p.stdout)))
    p = gw("render", os.path.join(T, "missing-dir", "x.txt"))
    if p.returncode != 1:
        d.append("missing input: exit %d, want 1" % p.returncode)
    p = gw("render", REPORT, "-o", os.path.join(T, "nope", "out.pdf"))
    if p.returncode != 1 or os.path.exists(os.path.join(T, "nope")):
        d.append("output into a missing folder: exit %d, nope/ exists: %s"
                 % (p.returncode, os.path.exists(os.path.join(T, "nope"))))
    same = os.path.join(T, "same.txt")
    shutil.copy(os.path.join(REPORT, "report.txt"), same)
    before = open(same, "rb").read()
    p = gw("render", same, "-o", same)
    if p.returncode != 1 or open(same, "rb").read() != before:
        d.append("-o = input: exit %d, input unchanged: %s" % (p.returncode, open(same, "rb").read() == before))
    return d


@check("fonts: a character in no font fails with its place; overrides; gongwen fonts")
def _():
    d = []
    ext, extpdf = os.path.join(T, "extg.txt"), os.path.join(T, "extg.pdf")
    with open(ext, "w", encoding="utf-8") as f:
        f.write("标题\n正文。\n第三行有\U00030000字。\n")
    p = gw("render", ext, "-o", extpdf)
    err = txt(p.stderr)
    if p.returncode != 1 or "extg.txt:3:5:" not in err or "U+30000" not in err:
        d.append("U+30000: exit %d, stderr %r (want 1, extg.txt:3:5: and U+30000)" % (p.returncode, err))
    if [n for n in os.listdir(T) if "extg.pdf" in n]:
        d.append("a PDF was left behind for the uncovered character")
    p = gw("render", REPORT, "-o", os.path.join(T, "o.pdf"), "--font", "body=不存在的仿宋")
    if p.returncode != 1 or "FandolFang" not in txt(p.stderr):
        d.append("--font with a missing family: exit %d, stderr %r" % (p.returncode, txt(p.stderr)[:200]))
    small = os.path.join(T, "small.txt")
    with open(small, "w", encoding="utf-8") as f:
        f.write("标题\n正文一段。\n")
    p = gw("render", small, "-o", os.path.join(T, "o.pdf"), "--font", "body=Noto Serif CJK SC")
    faces = [f["name"] for f in pdfread.fonts(os.path.join(T, "o.pdf"))] if p.returncode == 0 else []
    if p.returncode != 0 or fc_face("FandolFang")["postscriptname"] in faces:
        d.append("--font body=Noto Serif CJK SC: exit %d, faces %s" % (p.returncode, faces))
    p = gw("fonts", REPORT)
    out = txt(p.stdout)
    body = fc_face("FandolFang")["file"]
    if p.returncode != 0 or not re.search(r"(?m)^body +FandolFang .*%s$" % re.escape(body), out) \
            or "0 characters outside" not in out:
        d.append("gongwen fonts REPORT: exit %d, stdout %r" % (p.returncode, out[:300]))
    return d




@check("cli: a batch renders every report into --out-dir, each PDF the same bytes as alone; a bad one does not stop the others")
def _():
    d = []
    good = report_dir("batch-good", "批量报告\n正文一段。\n")
    bad = report_dir("batch-bad", "批量报告\n@table missing.tsv\n")
    out = os.path.join(T, "batch-out")
    for jobs in ("1", "2"):
        shutil.rmtree(out, ignore_errors=True)
        p = gw("render", REPORT, good, bad, "--out-dir", out, "-j", jobs)
        made = sorted(os.listdir(out)) if os.path.isdir(out) else []
        if p.returncode != 1:
            d.append("-j %s: exit %d, want 1 (one report failed)" % (jobs, p.returncode))
        if made != ["batch-good.pdf", "guizhou-commerce-2017.pdf"]:
            d.append("-j %s: %s in the folder, want the two good PDFs" % (jobs, made))
        if "missing.tsv" not in txt(p.stderr) or "2 of 3 reports" not in txt(p.stderr):
            d.append("-j %s: stderr %s" % (jobs, txt(p.stderr)[-300:]))
    if os.path.isdir(out) and "guizhou-commerce-2017.pdf" in os.listdir(out):
        pages = pdfread.text(os.path.join(out, "guizhou-commerce-2017.pdf"))
        if len(pages) < 13 or "省商务厅2017政府信息公开工作年度报告" not in re.sub(r"\s", "", pages[0]):
            d.append("the batch's flagship PDF reads back wrong: %d pages" % len(pages))
    # every report of reports/ in one batch, after each other with -j 2: each PDF the same
    # bytes as the report rendered alone (font subsets per document)
    rdir = os.path.join(SRC, "reports")
    mixed = [os.path.join(rdir, n) for n in sorted(os.listdir(rdir))
             if os.path.isfile(os.path.join(rdir, n, "report.txt"))]
    if len(mixed) < 4:
        d.append("reports/ holds %d reports, want the four at least" % len(mixed))
    mout = os.path.join(T, "batch-mixed")
    p = gw("render", *mixed, "--out-dir", mout, "-j", "2")
    if p.returncode != 0:
        d.append("mixed batch: exit %d %s" % (p.returncode, txt(p.stderr)[-300:]))
    for r in mixed:
        name = os.path.basename(r)
        alone = os.path.join(T, "alone-%s.pdf" % name)
        gw("render", r, "-o", alone)
        inbatch = os.path.join(mout, name + ".pdf")
        if not os.path.exists(inbatch):
            d.append("mixed batch: no %s in %s" % (os.path.basename(inbatch), sorted(os.listdir(mout))
                                                   if os.path.isdir(mout) else "no folder"))
            continue
        with open(inbatch, "rb") as a, open(alone, "rb") as b:
            same = a.read() == b.read()
        if not same:
            d.append("%s: the batch's PDF differs in bytes from the report rendered alone (%d, %d)"
                     % (name, os.path.getsize(inbatch), os.path.getsize(alone)))
    p = gw("render", good, os.path.join(T, "x", "batch-good"), "--out-dir", out)
    if p.returncode != 2 or "both be written" not in txt(p.stderr):
        d.append("two reports of one name: exit %d %s" % (p.returncode, txt(p.stderr)))
    p = gw("render", good, bad, "-o", os.path.join(T, "one.pdf"))
    if p.returncode != 2:
        d.append("-o with several reports: exit %d, want 2" % p.returncode)
    return d



# Last: the PDFs the checks above rendered from reports/ and tests/fixtures (each distinct one
# once); the reports written into T (bad input, the check and batch cases) are not collected.
@check("every rendered PDF: no glyph or rule outside the type area, no glyphs over each other")
def _():
    return rendered_pagecheck()


shutil.rmtree(T, ignore_errors=True)
finish()
