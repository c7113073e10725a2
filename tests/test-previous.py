#!/usr/bin/env python3
"""TAP test previous: `gongwen check --previous LASTDIR`, year over year, on the two years of
tests/fixtures/previous (agency-2023, agency-2024), copied and changed one thing at a time:
nothing reported when they agree; a copied paragraph (both lines), with the 90 % threshold
on both sides; a carry-over mismatch (an error naming both cells); 现行有效件数 against last
year's plus 本年制发件数 less 本年废止件数; a figure changed by more than a factor of 3, and
the changes that are not reported (under 3 times, both under 10, a zero); last year's folder
found beside this one by its year, said so, and --no-previous; a long report, and reports
too long to compare whole; and the errors (LASTDIR missing, not a report, unreadable, this
report itself, both options).

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import atexit, os, random, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import BIN, SRC, check, gw, txt, finish  # noqa: E402

FIXTURES = os.path.join(SRC, "tests", "fixtures", "previous")
T = tempfile.mkdtemp(prefix="gongwen-test-previous-")
atexit.register(shutil.rmtree, T, True)
DIAG = re.compile(r"^(\S+?):(\d+):(\d+): (error|warning): (.*)$")


def years(name):
    """Fresh copies of both fixture years as T/name-2024 and T/name-2023; their paths, this
    year's first."""
    paths = []
    for year in ("2024", "2023"):
        dst = os.path.join(T, "%s-%s" % (name, year))
        shutil.rmtree(dst, ignore_errors=True)
        shutil.copytree(os.path.join(FIXTURES, "agency-" + year), dst)
        paths.append(dst)
    return paths


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(rows))


def line_of(path, start):
    """The 1-based line of `path` that starts with `start`."""
    return next(i + 1 for i, l in enumerate(lines(path)) if l.startswith(start))


def set_row(path, label, figures):
    """Give the row of a table file whose label is `label` the figures `figures`."""
    rows = lines(path)
    i = next(k for k, r in enumerate(rows) if label in r.split("\t"))
    cells = rows[i].split("\t")
    first = next(k for k, c in enumerate(cells) if re.fullmatch(r"[\d.]+", c))
    rows[i] = "\t".join(cells[:first] + figures.split() + cells[first + len(figures.split()):])
    write(path, rows)


def run_check(*args):
    """check's exit status, its diagnostics (file, line, col, severity, message) and stderr."""
    p = gw("check", *args)
    err = txt(p.stderr)
    found = [m.groups() for m in map(DIAG.match, err.splitlines()) if m]
    return p.returncode, found, err


def about(found, words):
    return [f for f in found if words in f[4]]


@check("previous: two years that agree: nothing reported, exit 0 (--previous and beside it)")
def _():
    d = []
    this, last = (os.path.join(FIXTURES, "agency-" + y) for y in ("2024", "2023"))
    for args in ((this, "--previous", last), (this,)):
        status, found, err = run_check(*args)
        if status != 0 or found or "0 errors, 0 warnings" not in err:
            d.append("check %s: exit %d, %s" % (" ".join(args), status, found or err[-300:]))
    return d


@check("previous: a paragraph copied from last year is a warning naming both lines")
def _():
    d = []
    this, last = years("copied")
    src, lsrc = os.path.join(this, "report.txt"), os.path.join(last, "report.txt")
    old = lines(lsrc)
    lline = line_of(lsrc, "一是部分执法信息")          # 2023's 五 (line 38)
    tline = line_of(src, "2024年，我局")               # 2024's first under 一 (line 12)
    rows = lines(src)
    rows[tline - 1] = old[lline - 1].replace("2024年", "2025年")  # copied, the year changed
    write(src, rows)
    status, found, err = run_check(this, "--previous", last)
    want = (src, str(tline), "1", "warning")
    copied = about(found, "the same as last year's")
    if status != 0 or len(found) != 1 or len(copied) != 1 or copied[0][:4] != want \
            or "%s:%d" % (lsrc, lline) not in copied[0][4] or "内容雷同" not in copied[0][4]:
        d.append("want one warning at %s:%d:1 naming %s:%d, got exit %d, %s"
                 % (src, tline, lsrc, lline, status, found))
    elif not re.search(r"\b9[0-9] % the same", copied[0][4]):
        d.append("the share is not stated: %s" % copied[0][4])
    return d


@check("previous: the 90 % threshold: 93 % the same is reported, 86 % is not")
def _():
    d = []
    base = "本年度围绕优化营商环境这一主线，持续推进行政许可事项清单化管理，全面公开许可依据、条件、程序和办理时限，方便企业群众查询办理，同时加强事中事后监管信息的归集与公示工作。"
    n = len(base)
    for share, reported in ((93, True), (86, False)):
        this, last = years("threshold-%d" % share)
        src, lsrc = os.path.join(this, "report.txt"), os.path.join(last, "report.txt")
        changes = round(n * (100 - share) / 100)
        new = list(base)
        for k in range(changes):                    # substitutions spread over the text
            new[(k * n) // changes] = "丙"
        rows, lrows = lines(src), lines(lsrc)
        lrows.insert(line_of(lsrc, "六、") - 1, base)
        lrows.insert(line_of(lsrc, "六、") - 1, "")
        rows.insert(line_of(src, "六、") - 1, "".join(new))
        rows.insert(line_of(src, "六、") - 1, "")
        write(src, rows)
        write(lsrc, lrows)
        status, found, err = run_check(this, "--previous", last)
        copied = about(found, "the same as last year's")
        same = (n - changes) * 100 // n
        if bool(copied) != reported or (reported and "%d %% the same" % same not in copied[0][4]):
            d.append("%d %% the same (%d of %d characters changed): %s" % (
                share, changes, n, copied or "not reported"))
    return d


@check("previous: a carry-over mismatch is an error naming both cells")
def _():
    this, last = years("carry")
    apply_, lapply = os.path.join(this, "apply.tsv"), os.path.join(last, "apply.tsv")
    # 上年结转 2 1 … instead of 3 0 …; 一 changed too, so that this year's own sums hold
    set_row(apply_, "二、上年结转政府信息公开申请数量", "2 1 0 0 0 0 3")
    set_row(apply_, "一、本年新收政府信息公开申请数量", "53 7 0 1 2 3 66")
    status, found, err = run_check(this, "--previous", last)
    row, lrow = line_of(apply_, "二、上年结转"), line_of(lapply, "四、结转下年度继续办理")
    errors = [f for f in found if f[3] == "error"]
    want = [(apply_, str(row), "4", "%s:%d:4" % (lapply, lrow), "2", "3"),
            (apply_, str(row), "5", "%s:%d:5" % (lapply, lrow), "1", "0")]
    got = [(f[0], f[1], f[2], re.search(r"\((\S+?:\d+:\d+)\)", f[4]).group(1),
            re.search(r": (\d+), but", f[4]).group(1), re.search(r"has (\d+)", f[4]).group(1))
           for f in errors if "carried over" in f[4]]
    d = []
    if status != 1 or got != want or len(errors) != 2:
        d.append("want exit 1 and errors %s, got exit %d: %s" % (want, status, found))
    elif "自然人" not in errors[0][4] or "四、结转下年度继续办理" not in errors[0][4]:
        d.append("the cells are not named: %s" % errors[0][4])
    return d


@check("previous: 现行有效件数 is last year's + 本年制发件数 − 本年废止件数 (规范性文件 is 行政规范性文件)")
def _():
    this, last = years("active")
    active, lactive = os.path.join(this, "active.tsv"), os.path.join(last, "active.tsv")
    rows = lines(active)
    i = next(k for k, r in enumerate(rows) if r.startswith("行政规范性文件\t"))
    rows[i] = "规范性文件\t3\t2\t19"                  # 17 + 3 − 2 is 18
    write(active, rows)
    status, found, err = run_check(this, "--previous", last)
    lrow = line_of(lactive, "行政规范性文件")
    want = (active, str(i + 1), "4", "warning")
    hits = about(found, "现行有效件数")
    # the built-in form also says that 规范性文件 is not the 2021 form's label
    found = [f for f in found if "is not the form's label" not in f[4]]
    if status != 0 or len(found) != 1 or not hits or hits[0][:4] != want \
            or "%s:%d:4" % (lactive, lrow) not in hits[0][4] or "= 18" not in hits[0][4]:
        return ["want one warning at %s:%d:4 naming %s:%d:4 and 18, got exit %d: %s"
                % (active, i + 1, lactive, lrow, status, found)]
    return []


@check("previous: a figure changed by more than a factor of 3 is a warning; 2.9 ×, both under 10 and 0 are not")
def _():
    this, last = years("factor")
    active, lactive = os.path.join(this, "active.tsv"), os.path.join(last, "active.tsv")
    set_row(active, "行政许可", "4312")      # 1268 last year: 3.4 ×
    set_row(active, "行政处罚", "1032")      # 356: 2.9 ×
    set_row(active, "行政事业性收费", "9.9")  # 3.25: both under 10
    set_row(active, "行政强制", "0")         # 42: to zero
    status, found, err = run_check(this, "--previous", last)
    row, lrow = line_of(active, "行政许可"), line_of(lactive, "行政许可")
    hits = about(found, "factor")
    if status != 0 or len(found) != 1 or len(hits) != 1 \
            or hits[0][:4] != (active, str(row), "2", "warning") \
            or "%s:%d:2" % (lactive, lrow) not in hits[0][4] or "4312" not in hits[0][4] \
            or "1268" not in hits[0][4]:
        return ["want one warning at %s:%d:2 naming %s:%d:2, got exit %d: %s"
                % (active, row, lactive, lrow, status, found)]
    return []


@check("previous: last year's folder is found beside this one by its year and said so; --no-previous")
def _():
    d = []
    this, last = years("beside")
    set_row(os.path.join(this, "apply.tsv"), "二、上年结转政府信息公开申请数量", "2 1 0 0 0 0 3")
    set_row(os.path.join(this, "apply.tsv"), "一、本年新收政府信息公开申请数量", "53 7 0 1 2 3 66")
    said = "comparing with last year's report %s" % last
    for args in ((this,), (this + "/",), (os.path.join(this, "report.txt"),)):
        status, found, err = run_check(*args)
        carried = [f for f in found if "carried over" in f[4]]
        if status != 1 or len(carried) != 2 or said not in err:
            d.append("check %s: exit %d, %d carry-over errors, said %r"
                     % (args[0], status, len(carried), [l for l in err.splitlines()
                                                         if "comparing" in l]))
    # run in the folder: `check .` names the folder beside it through its real name
    p = subprocess.run([os.path.abspath(BIN), "check", "."], cwd=this, capture_output=True)
    if p.returncode != 1 or "comparing with last year's report" not in txt(p.stderr) \
            or "beside-2023" not in txt(p.stderr):
        d.append("check . in the folder: exit %d, %s" % (p.returncode, txt(p.stderr)[:300]))
    status, found, err = run_check(this, "--no-previous")
    if status != 0 or found or "comparing" in err:
        d.append("--no-previous: exit %d, %s %s" % (status, found, err[:200]))
    status, found, err = run_check(this, "-q")
    if "comparing" in err:
        d.append("-q still says it compares: %s" % err[:200])
    # a year with no folder beside it, and no year: nothing said
    for report in (last, os.path.join(SRC, "reports", "guizhou-commerce-2017")):
        status, found, err = run_check(report)
        if "comparing" in err:
            d.append("check %s: %s" % (report, err[:200]))
    # a folder of the year before that holds no report is not one
    empty = os.path.join(T, "nothing-2023")
    os.makedirs(empty, exist_ok=True)
    shutil.copytree(os.path.join(FIXTURES, "agency-2024"), os.path.join(T, "nothing-2024"),
                    dirs_exist_ok=True)
    status, found, err = run_check(os.path.join(T, "nothing-2024"))
    if status != 0 or "comparing" in err:
        d.append("beside a folder without report.txt: exit %d, %s" % (status, err[:200]))
    return d


@check("previous: last year's report without the tables: the carry-over is not compared, and says so")
def _():
    this, last = years("notables")
    src = os.path.join(last, "report.txt")
    write(src, [l for l in lines(src) if not l.startswith("@table")])
    status, found, err = run_check(this, "--previous", last)
    hits = [f for f in found if "has no table" in f[4]]
    if status != 0 or len(hits) != 2 or any(f[3] != "warning" for f in hits):
        return ["exit %d, %s" % (status, found)]
    return []


@check("previous: errors: LASTDIR missing, not a report, unreadable, this report itself, both options")
def _():
    d = []
    this, last = years("errors")
    empty = os.path.join(T, "empty")
    os.makedirs(empty, exist_ok=True)
    bad = os.path.join(T, "bad-2023")
    shutil.copytree(last, bad, dirs_exist_ok=True)
    with open(os.path.join(bad, "report.txt"), "a", encoding="utf-8") as f:
        f.write("@table missing.tsv\n")
    cases = [((this, "--previous", os.path.join(T, "no-such")), 1,
              os.path.join(T, "no-such") + ": error: --previous: no such folder or file"),
             ((this, "--previous", empty), 1, empty + ": error: --previous: not a report"),
             ((this, "--previous", bad), 1,
              os.path.join(bad, "report.txt") + ":"),
             ((this, "--previous", this), 1, "--previous names this report itself"),
             ((this, "--previous", last, "--no-previous"), 2, "not both")]
    for args, want, phrase in cases:
        status, found, err = run_check(*args)
        if status != want or phrase not in err:
            d.append("check %s: exit %d (want %d), %r" % (" ".join(args[1:]), status, want,
                                                           err[:300]))
        if status != 2 and " pages, " in err:
            d.append("check %s went on to its summary" % " ".join(args[1:]))
    status, found, err = run_check(this, "--previous", bad)
    if "last year's report" not in err or "missing.tsv" not in err:
        d.append("an unreadable last year's report is not named: %r" % err[:300])
    return d


@check("previous: 300 paragraphs against 300 take well under the time limit; a planted copy is found")
def _():
    rnd = random.Random(19)
    han = [chr(c) for c in range(0x4E00, 0x4E00 + 800)]
    def para():
        return "".join(rnd.choice(han) for _ in range(rnd.randint(60, 160))) + "。"
    this, last = years("long")
    src, lsrc = os.path.join(this, "report.txt"), os.path.join(last, "report.txt")
    old = [para() for _ in range(300)]
    new = [para() for _ in range(300)]
    new[150] = old[77][:-3] + "一二。"               # a copy with its end changed
    for path, body in ((src, new), (lsrc, old)):
        rows = lines(path)
        at = line_of(path, "六、") - 1
        rows[at:at] = [x for p in body for x in (p, "")]
        write(path, rows)
    start = time.monotonic()
    status, found, err = run_check(this, "--previous", last)
    took = time.monotonic() - start
    copied = about(found, "the same as last year's")
    d = []
    if len(copied) != 1 or "%s:%d" % (lsrc, line_of(lsrc, old[77][:20])) not in copied[0][4] \
            or copied[0][1] != str(line_of(src, new[150][:20])):
        d.append("want the one copy found, got %s" % copied)
    if took > 30:
        d.append("check took %.1f s" % took)
    print("# check of 300 + 300 paragraphs: %.2f s" % took)
    return d


@check("previous: reports too long to compare whole: a warning says where the comparison stops")
def _():
    rnd = random.Random(5)
    alphabet = "的一是在不了有和人这"
    base = [rnd.choice(alphabet) for _ in range(100)]
    def variant():                              # 80 % like the base: every pair passes the
        text = list(base)                       # cheap tests, and the distance is computed
        for k in rnd.sample(range(100), 10):    # almost whole before it exceeds 10
            text[k] = rnd.choice(alphabet)
        return "".join(text) + "。"
    def report(path, n):
        os.makedirs(path, exist_ok=True)
        write(os.path.join(path, "report.txt"), ["标题"] + [variant() for _ in range(n)] + [""])
    this, last = os.path.join(T, "slow-2024"), os.path.join(T, "slow-2023")
    report(this, 1500)
    report(last, 1500)
    start = time.monotonic()
    status, found, err = run_check(this, "--previous", last)
    took = time.monotonic() - start
    stops = about(found, "comparing them all would take too long")
    print("# check of 1500 + 1500 alike paragraphs: %.2f s" % took)
    d = []
    if status != 0 or len(stops) != 1 or stops[0][0] != os.path.join(this, "report.txt") \
            or not 2 < int(stops[0][1]) < 1500:
        d.append("want one warning where the comparison stops, got exit %d: %s"
                 % (status, stops or found[:3]))
    if took > 60:
        d.append("check took %.1f s" % took)
    return d


finish()
