#!/usr/bin/env python3
"""TAP test pdf-lines: the line breaker seen in the PDF. Every fixture of tests/fixtures/lines
and the long sample report (reports/sample-work-report) rendered with the built gongwen and
checked by tests/pagecheck.py: no line starting or ending with a mark that may not, no ——
or …… split, no stretched space, no overfull line, the text paragraph by paragraph (and for
the sample report the margins, 22 lines a page and the line and character pitches); a body
that fills a page exactly keeps body text on the date's page; pagecheck on every PDF rendered
here.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import os, re, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import SRC, TOP, check, gw, txt, body_faults, finish, rendered_pagecheck  # noqa: E402
import pagecheck  # noqa: E402
import pdfread  # noqa: E402

PN_RE = re.compile(r"^—\s*(\d+)\s*—$")
T = tempfile.mkdtemp(prefix="gongwen-test-pdf-lines-")


@check("line-breaking fixtures and sample reports: no fault, none overfull, the text whole, "
       "no line spread wider than 2 em and at most 1 % of them wider than 1.5 em")
def _():
    d, spreads = [], []
    folder = os.path.join(SRC, "tests", "fixtures", "lines")
    sources = [os.path.join(folder, n) for n in sorted(os.listdir(folder)) if n.endswith(".txt")]
    sample = os.path.join(SRC, "reports", "sample-work-report", "report.txt")
    for src in sources + [sample]:
        name = os.path.basename(os.path.dirname(src)) + "/" + os.path.basename(src)
        out = os.path.join(T, name.replace("/", "-") + ".pdf")
        p = gw("render", src, "-o", out)
        if p.returncode != 0:
            d.append("%s: exit %d %s" % (name, p.returncode, txt(p.stderr)[:200]))
            continue
        m = pagecheck.body(out, src)
        found = body_faults(m, ("breaks", "overfull", "fidelity", "unmapped"), limit=3)
        if src == sample:
            found += pagecheck.margin_faults(m) + pagecheck.grid_faults(m, chars=None)
        # every line within 2 em; the 1 % is counted over all of them together (a torture
        # fixture of a dozen lines may hold one line that no break can spare)
        found += pagecheck.loose_faults(m, share=False)
        spreads += [(name, n, v, t) for n, v, t in pagecheck.spreads(m)]
        d += ["%s: %s" % (name, f) for f in found]
    wide = [x for x in spreads if x[2] > pagecheck.LOOSE_SHARE]
    if len(wide) > 0.01 * len(spreads):
        d.append("%d of %d justified lines spread wider than %.1f em: %s" % (
            len(wide), len(spreads), pagecheck.LOOSE_SHARE,
            "; ".join("%s p%d %r %.2f" % (a, n, t[:8], v) for a, n, v, t in wide[:5])))
    if len(sources) < 8:
        d.append("only %d fixtures in %s" % (len(sources), folder))
    return d


HAN = "政府信息公开工作年度报告贵州省商务厅推进决策执行管理服务结果民生预决算非目录平台建设能力依申请"
LAST_ROW = TOP + 21 * 28.99 + 20.6          # baseline of row 22, pt


def fixture(k, closing):
    body = ["".join(HAN[(p * 7 + i) % len(HAN)] for i in range(28)) for p in range(k)]
    text = "---\nissuer: 某某单位\n---\n某某单位关于某某工作的报告\n\n" + "\n".join(body) + "\n"
    if closing:
        text += "\n2018年2月22日\n"
    return text


def dump_pages(path):
    p = gw("dump", "--stage=pages", path)
    if p.returncode != 0:
        raise RuntimeError("dump failed: " + txt(p.stderr))
    pages = []
    for l in txt(p.stdout).splitlines():
        if l.startswith("page "):
            pages.append([])
        m = re.match(r"\s+y=([\d.]+) x=([\d.]+) \|(.*)\|$", l)
        if m and pages:
            pages[-1].append((float(m[1]), m[3]))
    return pages


@check("a body that fills a page exactly keeps body text with the date")
def _():
    os.makedirs(os.path.join(T, "full"))
    rep = os.path.join(T, "full", "report.txt")
    found, tried = None, []
    for k in range(1, 41):
        open(rep, "w", encoding="utf-8").write(fixture(k, False))
        pages = dump_pages(rep)
        body = [r for r in pages[-1] if not PN_RE.match(r[1].strip())] if pages else []
        tried.append("k=%d:%d pages,last y=%.2f" % (k, len(pages), body[-1][0] if body else -1))
        if body and len(pages) in (1, 2) and abs(body[-1][0] - LAST_ROW) < 2:
            found = k
            break
    if not found:
        return ["no k in 1..40 puts the last body line on row 22 (y≈%.1f): %s" % (LAST_ROW, tried)]
    open(rep, "w", encoding="utf-8").write(fixture(found, True))
    out = os.path.join(T, "full.pdf")
    p = gw("render", os.path.join(T, "full"), "-o", out)
    if p.returncode != 0:
        return ["render k=%d: exit %d %s" % (found, p.returncode, txt(p.stderr))]
    pages = pdfread.stext(out)
    on = [i for i, pg in enumerate(pages) if any(l["text"].strip() == "2018年2月22日" for l in pg)]
    if not on:
        return ["k=%d: no page holds 2018年2月22日" % found]
    pg = pages[on[0]]
    body = [l for l in pg if abs(l["size"] - 16) < 0.5 and l["text"].strip() not in ("2018年2月22日", "某某单位")
            and not PN_RE.match(l["text"].strip())]
    if len(body) < 2:
        return ["k=%d (%d pages): page %d holds the date with %d body lines: %s"
                % (found, len(pages), on[0] + 1, len(body), [l["text"] for l in pg])]
    return []



@check("odd.txt: the date run 2023年12月31日止。 does not leave a line stretched over 1 em "
       "(16 pt), lines are compressed first")
def _():
    src = os.path.join(SRC, "tests", "fixtures", "gongwen-format", "odd.txt")
    p = gw("dump", "--stage=lines", src)
    if p.returncode != 0:
        return ["dump: exit %d %s" % (p.returncode, txt(p.stderr)[:200])]
    d, lines = [], 0
    for l in txt(p.stdout).splitlines():
        m = re.match(r"\s+line .*?(?:stretch=([\d.]+) )?chars=\d+ \|(.*)\|$", l)
        if not m:
            continue
        lines += 1
        if m[1] and float(m[1]) > 16.0:
            d.append("stretch %s pt: %s" % (m[1], m[2]))
    if lines < 10:
        d.append("only %d lines in the dump" % lines)
    return d


@check("every rendered PDF: no glyph or rule outside the type area, no glyphs over each other")
def _():
    return rendered_pagecheck()


shutil.rmtree(T, ignore_errors=True)
finish()
