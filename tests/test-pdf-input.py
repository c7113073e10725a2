#!/usr/bin/env python3
"""TAP test pdf-input: hostile input and hostile outputs. The bad-input matrix (empty and
truncated files, invalid UTF-8, NUL and control characters, a 10 MB line, 200,000 lines,
bad directives and data files, paths leading out of the report's folder, outputs that cannot
be written) gives the exact status and message and leaves no output or temporary file; a
render killed by SIGTERM while writing leaves the previous output intact.

It renders no report or fixture, only input written into its temporary folder, so it has no
final pagecheck of rendered PDFs.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF.
"""
import os, shutil, signal, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import BIN, check, gw, txt, finish  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-pdf-input-")


def matrix_case(name, report, files=None, args=(), output="out.pdf"):
    """Render `report` (bytes) in a fresh folder; returns (exit, stderr, files left over)."""
    folder = os.path.join(T, "matrix-" + name)
    os.makedirs(folder)
    with open(os.path.join(folder, "report.txt"), "wb") as f:
        f.write(report)
    for n, data in (files or {}).items():
        if data is None:
            os.mkdir(os.path.join(folder, n))
        else:
            with open(os.path.join(folder, n), "wb") as f:
                f.write(data)
    before = set(os.listdir(folder))
    out = output if output.startswith("/") else os.path.join(folder, output)
    p = gw("render", folder, "-o", out, *args)
    left = sorted(set(os.listdir(folder)) - before)
    return p.returncode, txt(p.stderr), left


@check("the bad-input matrix: exact status and message, no output or temporary file left")
def _():
    u = lambda s: s.encode("utf-8")
    big_line = u("标题\n" + "政务公开工作" * 570000 + "\n")
    many = u("标题\n" + "".join("第%d段。\n" % i for i in range(200000)))
    tsv = {"t.tsv": u("甲\t乙\n1\t2\n")}
    cases = [
        ("empty", b"", None, 1, "report.txt:1:1: error: no text"),
        ("front-matter-only", u("---\ntitle: 标题\n---\n"), None, 1, "error: no text"),
        ("truncated-utf8", u("标题\n正文\n") + b"\xe4\xb8abc\n", None, 1, "report.txt:3:1: error: invalid UTF-8"),
        ("overlong", u("标题\n") + b"\xc0\xaf\n", None, 1, "report.txt:2:1: error: invalid UTF-8"),
        ("surrogate", u("标题\n") + b"\xed\xa0\x80\n", None, 1, "report.txt:2:1: error: invalid UTF-8"),
        ("nul", u("标题\n正文") + b"\x00" + u("字\n"), None, 1, "report.txt:2:3: error: NUL byte"),
        ("control", u("标题\n正文") + b"\x07" + u("字\n"), None, 1, "report.txt:2:3: error: control character"),
        ("10mb-line", big_line, None, 0, ""),
        ("200k-lines", many, None, 0, ""),
        ("bom-crlf", b"\xef\xbb\xbf" + u("标题\r\n正文。\r\n"), None, 0, ""),
        ("unknown-directive", u("标题\n@nope x\n"), None, 1, "report.txt:2:1: error: unknown directive `@nope`"),
        ("directive-no-arg", u("标题\n@table\n"), None, 1, "report.txt:2:1: error: @table needs a file"),
        ("missing-file", u("标题\n@table none.tsv\n"), None, 1, "report.txt:2:1: error: none.tsv: no such file"),
        ("empty-file", u("标题\n@table e.tsv\n"), {"e.tsv": b""}, 1, "e.tsv: the file is empty"),
        ("directory", u("标题\n@table d.tsv\n"), {"d.tsv": None}, 1, "d.tsv: not a regular file"),
        ("dotdot", u("标题\n@table ../t.tsv\n"), None, 1, "leaves the report's folder"),
        ("absolute", u("标题\n@table /etc/passwd\n"), None, 1, "an absolute path"),
        ("unclosed-quote", u("标题\n@table q.csv\n"), {"q.csv": u('甲,乙\n1,"2\n')}, 1, "q.csv:2:2: error: a quoted cell is not closed"),
        ("1e999", u("标题\n@chart bar c.tsv\n"), {"c.tsv": u("甲\t乙\n一\t1e999\n")}, 1, "c.tsv:2:2: error: “1e999” is not a number"),
        ("nan", u("标题\n@chart bar c.tsv\n"), {"c.tsv": u("甲\t乙\n一\tNaN\n")}, 1, "c.tsv:2:2: error: “NaN” is not a number"),
        ("pie-zeros", u("标题\n@chart pie c.tsv\n"), {"c.tsv": u("甲\t乙\n一\t0\n二\t0\n")}, 1, "every value of this pie is zero"),
        ("uncovered", u("标题\n正文\U00030000。\n"), None, 1, "report.txt:2:3: error: no installed font has"),
    ]
    d = []
    for name, report, files, want, phrase in cases:
        status, err, left = matrix_case(name, report, files)
        expected_left = ["out.pdf"] if want == 0 else []
        if status != want or phrase not in err or left != expected_left:
            d.append("%s: exit %d (want %d), stderr %r, left %s" % (name, status, want, err[:120], left))
    link = os.path.join(T, "matrix-symlink")
    os.makedirs(link)
    with open(os.path.join(link, "report.txt"), "w", encoding="utf-8") as f:
        f.write("标题\n@table l.tsv\n")
    os.symlink("/etc/hostname", os.path.join(link, "l.tsv"))
    p = gw("render", link, "-o", os.path.join(link, "out.pdf"))
    if p.returncode != 1 or "leads out of the report's folder" not in txt(p.stderr) \
            or os.path.exists(os.path.join(link, "out.pdf")):
        d.append("symlink out: exit %d %r" % (p.returncode, txt(p.stderr)[:120]))
    ok = u("标题\n正文。\n")
    for name, output, phrase in (("missing-folder", "no/such/out.pdf", "cannot write here"),
                                 ("unwritable", "/proc/gongwen-out.pdf", "cannot write here"),
                                 ("same-as-input", "report.txt", "would overwrite the report"),
                                 ("full-disk", "/dev/full", "No space left on device")):
        status, err, left = matrix_case(name, ok, output=output)
        if status != 1 or phrase not in err or left:
            d.append("%s: exit %d, stderr %r, left %s" % (name, status, err[:120], left))
    return d


@check("a render killed by SIGTERM while writing leaves the previous output intact, no temporary file")
def _():
    folder = os.path.join(T, "killed")
    os.makedirs(folder)
    out = os.path.join(folder, "out.pdf")
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        f.write("标题\n正文。\n")
    if gw("render", folder, "-o", out).returncode != 0:
        return ["the first render failed"]
    previous = open(out, "rb").read()
    with open(os.path.join(folder, "report.txt"), "w", encoding="utf-8") as f:
        f.write("标题\n" + "".join("第%d段。\n" % i for i in range(100000)))
    proc = subprocess.Popen([BIN, "render", folder, "-o", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, seen = time.time() + 120, False
    while time.time() < deadline and proc.poll() is None and not seen:
        seen = any(n.startswith(".out.pdf.") for n in os.listdir(folder))
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    status = proc.wait(timeout=30)
    left = sorted(set(os.listdir(folder)) - {"report.txt", "out.pdf"})
    d = []
    if not seen:
        d.append("the temporary file was never seen (the render took %s)" % status)
    if status != -signal.SIGTERM or left:
        d.append("exit %s, files left %s" % (status, left))
    if open(out, "rb").read() != previous:
        d.append("the previous output was changed")
    return d



shutil.rmtree(T, ignore_errors=True)
finish()
