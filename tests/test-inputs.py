#!/usr/bin/env python3
"""TAP test inputs: every file gongwen reads on behalf of a report goes through one opener
(layout/files.c), and what it reads is checked when the report is read.

- Whatever is not a regular file — a FIFO, a directory, /dev/zero, a socket — and a link
  out of the report's folder, given as any input (the report, report.txt, table and chart
  data, the rules beside a table, a figure, a seal, the profile of the front matter,
  --profile, --words, --fonts-conf, GONGWEN_FONTS_CONF), to render and to check: exit 1, a
  message naming it (file:line:col for a file the report names), no output or temporary
  file left, and quickly. The acceptance says within a second; a case is timed and must
  take under 5 s, so that a loaded CI machine or the sanitizer build does not fail it (the
  times are printed; a hang would take until the 60 s timeout).
- Sizes are checked on the opened file before a byte is read: a sparse 3 GB image is
  refused in well under a second with little memory; every input has its limit.
- A link swapped between a file inside the folder and one outside while gongwen reads it
  never shows the outside file's text (what is checked is what is read).
- Images are decoded (PNG) or walked to their end (JPEG) when the report is read: a
  truncated or corrupt PNG, a truncated JPEG, a JPEG that PDF readers cannot show are an
  error at report.txt:line:col naming the image, for render and check alike.
- A relative --fonts-conf or GONGWEN_FONTS_CONF is taken from the current directory.
- Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) in the text and in
  table cells are an error at file:line:col that says they can hide text.
- A NUL byte in a TSV cell and a stray quote in a CSV cell are named at their row and
  column; a profile's duplicated key, localized key, bad colour, key before any group and
  uninstalled font are errors at their line.
- A file unreadable to the user (as root, run as nobody with setpriv) names the cause.

It renders no report or fixture of the repository, only input written into its temporary
folder, so it has no final pagecheck of rendered PDFs.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF, GONGWEN_SANITIZED.
"""
import os, shutil, socket, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import BIN, SRC, check, txt, finish  # noqa: E402

BIN = os.path.abspath(BIN)  # some cases run in another directory
T = tempfile.mkdtemp(prefix="gongwen-test-inputs-")
FIG = os.path.join(SRC, "tests", "fixtures", "figures")
CONF = os.environ.get("GONGWEN_FONTS_CONF", os.path.join(SRC, "fonts", "gongwen-fonts.conf"))
SANITIZED = os.environ.get("GONGWEN_SANITIZED", "0") != "0"
QUICK = 5.0        # seconds: the acceptance's one second, with room for a loaded machine
times = {}         # kind of input -> the times measured, for the TAP comments
sockets = []       # bound sockets, kept open until the end


def u(s):
    return s.encode("utf-8")


def folder(name, report, files=None):
    """A report folder in T: report.txt (bytes or str) and `files` (name -> bytes or str)."""
    path = os.path.join(T, name)
    os.makedirs(path)
    for n, data in [("report.txt", report)] + sorted((files or {}).items()):
        if data is not None:
            with open(os.path.join(path, n), "wb") as f:
                f.write(u(data) if isinstance(data, str) else data)
    return path


def make(path, kind, outside=None):
    """Make `path` a FIFO, a directory, a link to /dev/zero, a socket or a link to `outside`."""
    if os.path.lexists(path):
        os.remove(path)
    if kind == "FIFO":
        os.mkfifo(path)
    elif kind == "directory":
        os.mkdir(path)
    elif kind == "/dev/zero":
        os.symlink("/dev/zero", path)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(1)
        sockets.append(s)
    elif kind == "link out":
        os.symlink(outside, path)
    else:
        raise ValueError(kind)


def tag(kind):
    return kind.replace("/", "").replace(" ", "-")


def listing(path):
    return set(os.listdir(path)) if os.path.isdir(path) else set()


def gw_timed(args, where, cwd=None, env=None):
    """Run gongwen; (status, stderr, seconds, files it left in `where`)."""
    before = listing(where)
    start = time.monotonic()
    p = subprocess.run([BIN] + list(args), capture_output=True, cwd=cwd, timeout=60,
                       env=dict(os.environ, **(env or {})))
    took = time.monotonic() - start
    return p.returncode, txt(p.stderr), took, sorted(listing(where) - before)


def expect_fail(what, args, where, phrases, kind=None, cwd=None, env=None):
    """Diagnostics unless gongwen exits 1 with every phrase in its message, quickly, leaving
    nothing in `where`."""
    status, err, took, left = gw_timed(args, where, cwd, env)
    times.setdefault(kind or "other", []).append(took)
    missing = [ph for ph in phrases if ph not in err]
    d = []
    if status != 1 or missing:
        d.append("%s: exit %d (want 1), missing %r in %r" % (what, status, missing, err[:300]))
    if took > QUICK:
        d.append("%s: took %.2f s (at most %.0f s)" % (what, took, QUICK))
    if left:
        d.append("%s: left %s" % (what, left))
    return d


def render_and_check(what, target, where, phrases, kind=None, extra=(), env=None):
    """expect_fail for `render TARGET -o WHERE/out.pdf` and `check TARGET`."""
    out = os.path.join(where, "out.pdf")
    return (expect_fail("render " + what, ["render", target, "-o", out] + list(extra), where,
                        phrases, kind, env=env) +
            expect_fail("check " + what, ["check", target] + list(extra), where, phrases, kind,
                        env=env))


def time_comments():
    for kind in sorted(times):
        t = times[kind]
        print("# %s: %d runs, longest %.3f s, mean %.3f s" % (kind, len(t), max(t),
                                                                 sum(t) / len(t)))
    times.clear()


# ---- not a regular file, or out of the folder ----

KINDS = ("FIFO", "directory", "/dev/zero", "socket", "link out")
WHY = {"FIFO": "not a regular file (a FIFO)", "directory": "not a regular file (a directory)",
       "/dev/zero": "not a regular file (a character device)",
       "socket": "not a regular file (a socket)",
       "link out": "the path leads out of the report's folder"}
TSV = "甲\t乙\n一\t1\n"


@check("a FIFO, a directory, /dev/zero, a socket or a link out as a file the report names: "
       "exit 1 at its line, quickly, nothing left (render and check)")
def _():
    secret = os.path.join(T, "outside.txt")
    with open(secret, "w") as f:
        f.write("甲\t乙\nOUTSIDE\t1\n")
    # name in the folder, the report, where its error is (line:col), files beside it
    inputs = [
        ("t.tsv", "标题\n正文。\n@table t.tsv\n", "3:1", {}),
        ("c.tsv", "标题\n正文。\n@chart bar c.tsv\n", "3:1", {}),
        ("t.rules", "标题\n正文。\n@table t.tsv\n", "3:1", {"t.tsv": TSV}),
        ("f.png", "标题\n正文。\n@figure f.png 图\n", "3:1", {}),
        ("seal.png", "---\nseal: seal.png\n---\n标题\n正文。\n", "2:7", {}),
        ("house.ini", "---\nprofile: house.ini\n---\n标题\n正文。\n", "2:10", {}),
    ]
    d = []
    for name, report, at, files in inputs:
        for kind in KINDS:
            where = folder("kind-%s-%s" % (name, tag(kind)), report, files)
            make(os.path.join(where, name), kind, secret)
            d += render_and_check("%s as %s" % (name, kind), where, where,
                                  ["report.txt:%s: error: %s: %s" % (at, name, WHY[kind])], kind)
    time_comments()
    return d


@check("a FIFO, a directory, /dev/zero or a socket as the report, report.txt, --profile, "
       "--words, --fonts-conf or GONGWEN_FONTS_CONF: exit 1 naming it, quickly, nothing left")
def _():
    d = []
    for kind in KINDS[:4]:
        # the report given as a file, and report.txt in its folder
        where = os.path.join(T, "report-" + tag(kind))
        os.makedirs(where)
        target = "/dev/zero" if kind == "/dev/zero" else os.path.join(where, "r.txt")
        if kind != "/dev/zero":
            make(target, kind)
        # a folder is read as the folder of a report: its report.txt
        want = ("%s: error: no such file" % os.path.join(target, "report.txt")
                if kind == "directory" else "%s: error: %s" % (target, WHY[kind]))
        d += render_and_check("the report as " + kind, target, where, [want], kind)
        where = folder("report-txt-" + tag(kind), None)
        make(os.path.join(where, "report.txt"), kind)
        d += render_and_check("report.txt as " + kind, where, where,
                              ["report.txt: error: %s" % WHY[kind]], kind)
        # options: a file of the user's, named as given
        where = folder("options-" + tag(kind), "标题\n正文。\n")
        path = os.path.join(where, "opt")
        make(path, kind)
        d += render_and_check("--profile as " + kind, where, where,
                              ["%s: error: cannot read the profile: %s" % (path, WHY[kind])],
                              kind, extra=["--profile", path])
        d += expect_fail("check --words as " + kind, ["check", where, "--words", path], where,
                         ["%s: error: cannot read the word list: %s" % (path, WHY[kind])], kind)
        d += render_and_check("--fonts-conf as " + kind, where, where,
                              ["%s: error: cannot read the font configuration: %s"
                               % (path, WHY[kind])], kind, extra=["--fonts-conf", path])
        d += render_and_check("GONGWEN_FONTS_CONF as " + kind, where, where,
                              ["%s: error: cannot read the font configuration: %s"
                               % (path, WHY[kind])], kind, env={"GONGWEN_FONTS_CONF": path})
    time_comments()
    return d


# ---- sizes, checked before reading ----

def peak_rss(args):
    """Run gongwen; (status, stderr, seconds, its peak resident memory in MB)."""
    start = time.monotonic()
    proc = subprocess.Popen([BIN] + list(args), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, txt(err), time.monotonic() - start, usage.ru_maxrss / 1024.0


@check("a sparse 3 GB image (a figure, a seal) is refused by its size before it is read: "
       "exit 1 at its line, quickly, little memory")
def _():
    d = []
    for name, report, at in (("big.png", "标题\n正文。\n@figure big.png 图\n", "3:1"),
                             ("big.jpg", "---\nseal: big.jpg\n---\n标题\n正文。\n", "2:7")):
        where = folder("sparse-" + name.replace(".", "-"), report)
        with open(os.path.join(where, name), "wb") as f:
            f.write(open(os.path.join(FIG, "sample.png" if name.endswith("png") else
                                      "sample.jpg"), "rb").read())
        os.truncate(os.path.join(where, name), 3 * 1024 ** 3)
        for args in (["render", where, "-o", os.path.join(where, "out.pdf")],
                     ["check", where]):
            status, err, took, rss = peak_rss(args)
            print("# %s %s: %.3f s, peak RSS %.0f MB" % (args[0], name, took, rss))
            want = "report.txt:%s: error: %s: 3221225472 bytes, more than the 32 MiB limit " \
                   "for an image" % (at, name)
            if status != 1 or want not in err:
                d.append("%s %s: exit %d, %r (want %r)" % (args[0], name, status, err, want))
            if took > QUICK or rss > (400 if SANITIZED else 200):
                d.append("%s %s: %.2f s, %.0f MB" % (args[0], name, took, rss))
        if listing(where) != {"report.txt", name}:
            d.append("%s: left %s" % (name, sorted(listing(where))))
    return d


@check("every input has its size limit, checked on the opened file: report, table, rules, "
       "profile, word list, font configuration")
def _():
    d = []
    MiB = 1024 * 1024

    def sparse(path, size):
        with open(path, "wb"):
            pass
        os.truncate(path, size)

    where = folder("limit-report", None)
    sparse(os.path.join(where, "report.txt"), 16 * MiB + 1)
    d += render_and_check("a 16 MiB report", where, where, [
        "report.txt: error: 16777217 bytes, more than the 16 MiB limit for a report"], "limits")
    for name, report, files, limit, what in (
            ("t.tsv", "标题\n正文。\n@table t.tsv\n", {}, "8 MiB", "a table file"),
            ("t.rules", "标题\n正文。\n@table t.tsv\n", {"t.tsv": TSV}, "1 MiB", "a rules file")):
        where = folder("limit-" + name.replace(".", "-"), report, files)
        size = (8 if name == "t.tsv" else 1) * MiB + 1
        sparse(os.path.join(where, name), size)
        d += render_and_check(name, where, where, [
            "report.txt:3:1: error: %s: %d bytes, more than the %s limit for %s"
            % (name, size, limit, what)], "limits")
    where = folder("limit-options", "标题\n正文。\n")
    big = os.path.join(where, "big")
    sparse(big, 64 * 1024 + 1)
    d += render_and_check("a 64 KiB profile", where, where, [
        "%s: error: cannot read the profile: 65537 bytes, more than the 64 KiB limit for a "
        "profile" % big], "limits", extra=["--profile", big])
    sparse(big, MiB + 1)
    d += expect_fail("a 1 MiB word list", ["check", where, "--words", big], where, [
        "%s: error: cannot read the word list: 1048577 bytes, more than the 1 MiB limit for a "
        "word list" % big], "limits")
    d += render_and_check("a 1 MiB font configuration", where, where, [
        "%s: error: cannot read the font configuration: 1048577 bytes, more than the 1 MiB "
        "limit for a font configuration" % big], "limits", extra=["--fonts-conf", big])
    time_comments()
    return d


# ---- what is checked is what is read ----

@check("a link swapped in and out of the folder while gongwen reads it never shows the file "
       "outside (the rules beside a table, the table itself)")
def _():
    secret = os.path.join(T, "secret.rules")
    with open(secret, "w") as f:
        f.write("SECRET-OUTSIDE = 1\n")
    with open(os.path.join(T, "secret.tsv"), "w") as f:
        f.write("甲\t乙\nSECRET-OUTSIDE\t1\n")
    where = folder("race", "标题\n正文。\n@table t.tsv\n",
                   {"t.tsv": TSV, "good.tsv": TSV, "good.rules": "# no rule\n"})
    d = []
    runs = 40 if SANITIZED else 150
    for name, inside, outside in (("t.rules", "good.rules", secret),
                                  ("t.tsv", "good.tsv", os.path.join(T, "secret.tsv"))):
        if name == "t.tsv":  # the rules inside again
            os.remove(os.path.join(where, "t.rules"))
            os.symlink("good.rules", os.path.join(where, "t.rules"))
        stop = threading.Event()

        def flip():
            tmp, i = os.path.join(where, ".flip"), 0
            while not stop.is_set():
                if os.path.lexists(tmp):
                    os.remove(tmp)
                os.symlink(outside if i % 2 else inside, tmp)
                os.replace(tmp, os.path.join(where, name))
                i += 1

        flipper = threading.Thread(target=flip)
        flipper.start()
        outcomes = {}
        try:
            for _ in range(runs):
                p = subprocess.run([BIN, "check", where], capture_output=True, timeout=60)
                err = txt(p.stderr)
                if "SECRET" in err:
                    d.append("%s: the outside file was read: %r" % (name, err[:200]))
                key = "exit 0" if p.returncode == 0 else err.split("error: ")[-1].strip()[:70]
                outcomes[key] = outcomes.get(key, 0) + 1
        finally:
            stop.set()
            flipper.join()
        print("# %s swapped %d times: %s" % (name, runs, outcomes))
        if not any("leads out" in k for k in outcomes):
            d.append("%s: the link never led out while it was read: %s" % (name, outcomes))
    return d


# ---- images, validated when the report is read ----

def image_bytes():
    png = open(os.path.join(FIG, "sample.png"), "rb").read()
    jpg = open(os.path.join(FIG, "sample.jpg"), "rb").read()
    idat = png.index(b"IDAT")
    flipped = bytearray(png)
    flipped[idat + 40] ^= 0x55                      # inside the compressed data: a bad CRC
    sof = jpg.index(b"\xff\xc0")
    lossless = bytearray(jpg)
    lossless[sof + 1] = 0xC3
    eoi = jpg.rindex(b"\xff\xd9")
    return [
        ("cut.png", png[:len(png) // 2], "the PNG image is cut short or corrupt"),
        ("no-iend.png", png[:-12], "the PNG image is cut short or corrupt"),
        ("corrupt.png", bytes(flipped), "the PNG image is corrupt"),
        ("cut.jpg", jpg[:len(jpg) // 2], "the JPEG image is cut short"),
        ("no-eoi.jpg", jpg[:eoi], "the JPEG image is cut short"),
        ("header.jpg", jpg[:sof + 40], "the JPEG image is cut short"),
        ("lossless.jpg", bytes(lossless), "a lossless or arithmetic-coded JPEG"),
        ("text.png", b"not an image\n", "not a PNG or JPEG image"),
    ]


@check("a truncated or corrupt PNG, a truncated JPEG, one PDF readers cannot show: exit 1 at "
       "report.txt:line:col naming the image (figure and seal, render and check), nothing left")
def _():
    d = []
    for name, data, why in image_bytes():
        for use, report, at in (("figure", "标题\n正文。\n@figure %s 图\n" % name, "3:1"),
                                ("seal", "---\nseal: %s\n---\n标题\n正文。\n" % name, "2:7")):
            where = folder("image-%s-%s" % (use, name.replace(".", "-")), report, {name: data})
            d += render_and_check("%s %s" % (use, name), where, where,
                                  ["report.txt:%s: error: %s: %s" % (at, name, why)], "images")
    # the same images whole are fine
    for name in ("sample.png", "sample.jpg"):
        where = folder("image-good-" + name.replace(".", "-"),
                       "标题\n正文。\n@figure %s 图\n" % name,
                       {name: open(os.path.join(FIG, name), "rb").read()})
        p = subprocess.run([BIN, "check", where], capture_output=True, timeout=60)
        if p.returncode != 0:
            d.append("check %s: exit %d, %r" % (name, p.returncode, txt(p.stderr)))
    time_comments()
    return d


# ---- a relative font configuration ----

@check("a relative --fonts-conf or GONGWEN_FONTS_CONF is read from the current directory")
def _():
    where = folder("fonts-conf", "标题\n正文。\n")
    os.makedirs(os.path.join(where, "conf"))
    shutil.copy(CONF, os.path.join(where, "conf", "g.conf"))
    d = []
    full = os.path.join(where, "conf", "g.conf")
    for how, args, env in (("--fonts-conf", ["--fonts-conf", "conf/g.conf"], {}),
                           ("GONGWEN_FONTS_CONF", [], {"GONGWEN_FONTS_CONF": "conf/g.conf"})):
        out = os.path.join(where, "out.pdf")
        p = subprocess.run([BIN, "render", ".", "-o", "out.pdf"] + args, cwd=where,
                           capture_output=True, timeout=60, env=dict(os.environ, **env))
        if p.returncode != 0 or not os.path.isfile(out):
            d.append("render with %s conf/g.conf: exit %d, %r" % (how, p.returncode,
                                                                   txt(p.stderr)[:300]))
        if os.path.exists(out):
            os.remove(out)
        p = subprocess.run([BIN, "fonts"] + args, cwd=where, capture_output=True, timeout=60,
                           env=dict(os.environ, **env))
        if p.returncode != 0 or "configuration: %s\n" % full not in txt(p.stdout):
            d.append("fonts with %s conf/g.conf: exit %d, %r" % (how, p.returncode,
                                                                  txt(p.stdout)[:200]))
        d += expect_fail("%s to a missing file" % how, ["check", "."] +
                         (["--fonts-conf", "no/such.conf"] if args else []), where,
                         ["%s: error: cannot read the font configuration: no such file"
                          % os.path.join(where, "no", "such.conf")], cwd=where,
                         env={"GONGWEN_FONTS_CONF": "no/such.conf"} if env else None)
    return d


# ---- bidirectional controls ----

BIDI = [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]


@check("bidirectional overrides and isolates in the text, the front matter and table cells "
       "(TSV, CSV): exit 1 at file:line:col, saying they can hide text")
def _():
    d = []
    for c in BIDI:
        ch = chr(c)
        hide = "bidirectional control character U+%04X" % c
        trojan = "can reorder the text as shown and hide part of it (the “Trojan Source” pattern)"
        cases = [
            ("text", "标题\n正文%s甲乙。\n" % ch, {}, "report.txt:2:3: error: "),
            ("front matter", "---\ntitle: 标%s题\n---\n正文。\n" % ch, {}, "report.txt:2:9: error: "),
            ("tsv", "标题\n正文。\n@table t.tsv\n", {"t.tsv": "甲\t乙\n一\t1%s2\n" % ch},
             "t.tsv:2:2: error: "),
            ("csv", "标题\n正文。\n@table t.csv\n", {"t.csv": "甲,乙\n\"一%s\",1\n" % ch},
             "t.csv:2:1: error: "),
            ("chart", "标题\n正文。\n@chart bar c.tsv\n", {"c.tsv": "甲\t乙\n一%s\t1\n" % ch},
             "c.tsv:2:1: error: "),
        ]
        for what, report, files, at in cases:
            where = folder("bidi-%04X-%s" % (c, what.replace(" ", "-")), report, files)
            d += render_and_check("U+%04X in the %s" % (c, what), where, where,
                                  [at + hide, trojan], "bidi")
    time_comments()
    return d


# ---- table files: NUL, quotes ----

@check("a NUL byte in a TSV cell and a stray quote in a CSV cell: exit 1 at row:column, "
       "saying what is wrong")
def _():
    cases = [
        ("t.tsv", b"\xe7\x94\xb2\t\xe4\xb9\x99\n1\t2\x00x\n",
         "t.tsv:2:2: error: NUL byte at character 2 of this cell (is the file UTF-16?"),
        ("u.tsv", "甲\t乙\n".encode("utf-16-le"), "u.tsv:1:2: error: NUL byte at character 1"),
        ("q.csv", u('甲,乙\n1,2"3\n'),
         'q.csv:2:2: error: a quote (") inside a cell that does not start with one'),
        ("a.csv", u('甲,乙\n"1"x,2\n'),
         "a.csv:2:1: error: text after the closing quote of a quoted cell"),
    ]
    d = []
    for name, data, want in cases:
        where = folder("cells-" + name.replace(".", "-"), "标题\n正文。\n@table %s\n" % name,
                       {name: data})
        d += render_and_check(name, where, where, [want], "cells")
    return d


# ---- profiles ----

@check("a profile's duplicated key, localized key, bad colour, key before any group, unknown "
       "line and uninstalled fonts: exit 1 at the profile's line")
def _():
    cases = [
        ("dup", "[page]\nlines=20\n\nlines=21\n",
         "4:1: error: [page] lines: given twice (first on line 2); keep one"),
        ("localized", "[fonts]\nbody[zh_CN]=FandolFang\n",
         "2:1: error: [fonts] body[zh_CN]: a localized key, which gongwen does not read"),
        ("red", "[style]\nred=#-00001\n", '2:1: error: [style] red: "#-00001": write a colour'),
        ("red-space", "[style]\nred=# +FFFF\n", "2:1: error: [style] red"),
        ("no-group", "# a profile\nlines=20\n", "2:1: error: lines: a key before any group"),
        ("not-a-line", "[page]\nlines 20\n", "2:1: error: “lines 20” is neither key=value"),
        ("font", "[page]\nlines=22\n[fonts]\n\nbody=No Such Font 字体\n",
         '5:1: error: [fonts] body: the font "No Such Font 字体"'),
        ("latin", "[style]\nheading3_bold=on\nlatin_font=No Such Latin\n",
         "3:1: error: [style] latin_font: no font"),
    ]
    d = []
    for name, text, want in cases:
        where = folder("profile-" + name, "---\nprofile: p.ini\n---\n标题\n正文。\n",
                       {"p.ini": text})
        path = os.path.join(where, "p.ini")
        d += render_and_check("profile: " + name, where, where, [path + ":" + want], "profiles")
        d += render_and_check("--profile " + name, where, where, [path + ":" + want], "profiles",
                              extra=["--profile", path])
        if name not in ("font", "latin"):
            d += expect_fail("profile --dump " + name, ["profile", "--dump", path], where,
                             [path + ":" + want])
    p = subprocess.run([BIN, "profile", "--dump"], capture_output=True, timeout=60)
    dumped = os.path.join(T, "dumped.ini")
    with open(dumped, "wb") as f:
        f.write(p.stdout)
    p = subprocess.run([BIN, "profile", "--dump", dumped], capture_output=True, timeout=60)
    if p.returncode != 0:
        d.append("the dumped defaults do not load again: %r" % txt(p.stderr))
    return d


# ---- a file the user cannot read ----

@check("an image, a table and a profile the user cannot read: exit 1 naming the file and the "
       "cause (as root: run as nobody)")
def _():
    def gw_unprivileged(*args):
        if os.getuid() != 0:
            return subprocess.run([BIN] + list(args), capture_output=True, timeout=60)
        os.chmod(T, 0o755)
        return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                               BIN] + list(args), capture_output=True, timeout=60)

    png = open(os.path.join(FIG, "sample.png"), "rb").read()
    cases = [("f.png", "标题\n正文。\n@figure f.png 图\n", png, "report.txt:3:1: error: f.png"),
             ("t.tsv", "标题\n正文。\n@table t.tsv\n", u(TSV), "report.txt:3:1: error: t.tsv"),
             ("p.ini", "---\nprofile: p.ini\n---\n标题\n正文。\n", b"[page]\n",
              "report.txt:2:10: error: p.ini")]
    d = []
    for name, report, data, want in cases:
        where = folder("locked-" + name.replace(".", "-"), report, {name: data})
        os.chmod(os.path.join(where, name), 0)
        p = gw_unprivileged("check", where)
        err = txt(p.stderr)
        if p.returncode != 1 or want not in err or "Permission denied" not in err:
            d.append("%s: exit %d, %r (want %r and Permission denied)" % (name, p.returncode,
                                                                         err[:200], want))
    return d


for s in sockets:
    s.close()
shutil.rmtree(T, ignore_errors=True)
finish()
