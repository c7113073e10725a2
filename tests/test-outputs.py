#!/usr/bin/env python3
"""TAP test pdf-outputs: what gongwen writes, and what it must never write over. Every output
is checked before anything is written (the PDF and the seal anchor the same file is a usage
error; a folder that is missing or cannot be written fails before the render, and an
existing output is left intact); no input of the report (source, data and rules files,
images, seals, profiles, also through a link or a hard link) may be an output; a link to a
device, a pipe or a closed standard output is written in place or refused, never replaced;
SOURCE_DATE_EPOCH is a date or an error, and the creation date rule holds; a batch killed by
SIGTERM or SIGKILL leaves no worker running and no temporary file; --watch stops cleanly;
`render .` is named after the folder; -j 0 and --dpi 0 are usage errors.

It renders only reports written into its temporary folder (copies of the flagship among
them), so it has no final pagecheck of rendered PDFs.

Environment: GONGWEN_BIN, GONGWEN_SRCDIR, GONGWEN_FONTS_CONF, GONGWEN_SANITIZED.
"""
import datetime, os, re, shutil, signal, stat, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import BIN, SRC, REPORT, check, run, gw, txt, finish  # noqa: E402

T = tempfile.mkdtemp(prefix="gongwen-test-outputs-")
SLOW = os.environ.get("GONGWEN_SANITIZED", "0") != "0"
OLD = b"the previous output\n"


def folder(name):
    path = os.path.join(T, name)
    os.makedirs(path)
    return path


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w",
              **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as f:
        f.write(data)
    return path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def temporaries(*dirs):
    """Temporary files (.NAME.XXXXXX) left in the folders."""
    return sorted(os.path.join(d, n) for d in dirs if os.path.isdir(d) for n in os.listdir(d)
                  if re.match(r"^\..+\.[A-Za-z0-9]{6}$", n))


def small_report(name, text="标题\n正文一段。\n"):
    d = folder(name)
    write(os.path.join(d, "report.txt"), text)
    return d


def full_report(name):
    """A report that reads every kind of input: a table with its rules, a chart, a figure, a
    seal and a profile of its own."""
    d = folder(name)
    shutil.copy(os.path.join(SRC, "reports", "notice-2024", "seal.png"), d)
    shutil.copy(os.path.join(SRC, "tests", "fixtures", "figures", "sample.png"),
                os.path.join(d, "fig.png"))
    write(os.path.join(d, "house.ini"), txt(gw("profile", "--dump").stdout))
    write(os.path.join(d, "t.tsv"), "项目\t数量\n甲\t1\n乙\t2\n合计\t3\n")
    write(os.path.join(d, "t.rules"), "合计 = 甲 + 乙\n")
    write(os.path.join(d, "c.tsv"), "类别\t数量\n甲\t1\n乙\t2\n")
    write(os.path.join(d, "report.txt"),
          "---\nissuer: 某某局\ndate: 2024-01-15\nseal: seal.png\nprofile: house.ini\n---\n"
          "输入文件测试\n正文一段。\n@table t.tsv 表一\n@chart bar c.tsv 图一\n"
          "@figure fig.png 图二\n")
    return d


def expect(d, what, p, status, phrases, intact=(), absent=(), dirs=()):
    """Append to d what differs from: exit `status`, every phrase in stderr, the files of
    `intact` (path, bytes) unchanged, those of `absent` missing, no temporary file in dirs."""
    err = txt(p.stderr)
    if p.returncode != status or any(ph not in err for ph in phrases):
        d.append("%s: exit %d (want %d), stderr %r (want %s)" % (what, p.returncode, status,
                                                                 err[-300:], phrases))
    for path, data in intact:
        if not os.path.lexists(path) or read(path) != data:
            d.append("%s: %s was changed" % (what, path))
    for path in absent:
        if os.path.lexists(path):
            d.append("%s: %s was written" % (what, path))
    left = temporaries(*dirs)
    if left:
        d.append("%s: temporary files left: %s" % (what, left))


@check("outputs: the PDF and the seal anchor one file is a usage error; a seal anchor that "
       "cannot be written fails before the PDF is replaced")
def _():
    d = []
    r = small_report("anchor-report", "---\nissuer: 某某局\ndate: 2024-01-15\nsealed: yes\n---\n"
                     "标题\n正文一段。\n")
    w = folder("anchor")
    pdf, js = os.path.join(w, "n.pdf"), os.path.join(w, "a.json")
    write(pdf, OLD)
    write(js, OLD)
    os.symlink("n.pdf", os.path.join(w, "link.json"))
    os.link(pdf, os.path.join(w, "hard.json"))
    for what, anchor in (("the same name", pdf), ("./ before the name", os.path.join(w, ".", "n.pdf")),
                         ("a link to the PDF", os.path.join(w, "link.json")),
                         ("a hard link to the PDF", os.path.join(w, "hard.json"))):
        p = gw("render", r, "-o", pdf, "--seal-anchor", anchor)
        expect(d, what, p, 2, ["would both be written to", "Try 'gongwen --help'"],
               intact=[(pdf, OLD)], dirs=[w])
    p = run(BIN, "render", r, "-o", "-", "--seal-anchor", "-")
    if p.returncode != 2 or p.stdout:
        d.append("-o - --seal-anchor -: exit %d, %d bytes written" % (p.returncode, len(p.stdout)))
    for what, anchor, phrase in (
            ("a missing folder", os.path.join(w, "nodir", "x.json"),
             "nodir/x.json: error: cannot write here: %s/nodir: No such file or directory" % w),
            ("a folder", w, "error: this is a folder"),
            ("an unwritable folder", "/proc/gongwen-x.json", "/proc/gongwen-x.json: error: cannot write here")):
        p = gw("render", r, "-o", pdf, "--seal-anchor", anchor)
        expect(d, what, p, 1, [phrase], intact=[(pdf, OLD)], dirs=[w])
    p = gw("render", r, "-o", os.path.join(w, "nodir", "n.pdf"), "--seal-anchor", js)
    expect(d, "the PDF into a missing folder", p, 1, ["n.pdf: error: cannot write here"],
           intact=[(js, OLD)], dirs=[w])
    p = gw("render", r, "-o", pdf, "--seal-anchor", js)
    expect(d, "both good", p, 0, [], dirs=[w])
    if not read(pdf).startswith(b"%PDF-") or b'"seals": [' not in read(js):
        d.append("both good: the PDF starts %r, the anchor %r" % (read(pdf)[:8], read(js)[:80]))
    return d


@check("outputs: no input of the report is an output, also through a link or a hard link; "
       "each is left intact")
def _():
    d = []
    r = full_report("inputs")
    elsewhere = folder("inputs-out")
    profile = write(os.path.join(elsewhere, "override.ini"), txt(gw("profile", "--dump").stdout))
    inputs = [("report.txt", "the report's source"), ("t.tsv", "the report's data file"),
              ("t.rules", "the report's rules file"), ("c.tsv", "the report's data file"),
              ("fig.png", "the report's image"), ("seal.png", "the report's seal image"),
              ("house.ini", "the report's profile")]
    for name, phrase in inputs:
        path = os.path.join(r, name)
        before = read(path)
        link = os.path.join(elsewhere, "link-" + name)
        hard = os.path.join(elsewhere, "hard-" + name)
        os.symlink(path, link)
        os.link(path, hard)
        for how, out in (("-o", path), ("-o a link", link), ("-o a hard link", hard)):
            p = gw("render", r, "-o", out)
            expect(d, "%s %s" % (how, name), p, 1,
                   ["%s: error: the output would overwrite %s" % (out, phrase)],
                   intact=[(path, before)], dirs=[r, elsewhere])
            if not os.path.islink(link):
                d.append("%s %s: the link is no longer a link" % (how, name))
        p = gw("render", r, "-o", os.path.join(elsewhere, "x.pdf"), "--seal-anchor", path)
        expect(d, "--seal-anchor %s" % name, p, 1, ["the output would overwrite %s" % phrase],
               intact=[(path, before)], absent=[os.path.join(elsewhere, "x.pdf")],
               dirs=[r, elsewhere])
    seal = os.path.join(r, "seal.png")
    p = gw("preview", r, "title", "-o", seal)
    expect(d, "preview -o seal.png", p, 1, ["would overwrite the report's seal image"],
           intact=[(seal, read(seal))], dirs=[r])
    before = read(profile)
    p = gw("render", r, "--profile", profile, "-o", profile)
    expect(d, "--profile FILE -o FILE", p, 1,
           ["override.ini: error: the output would overwrite the report's profile"],
           intact=[(profile, before)], dirs=[elsewhere])
    p = gw("render", r, "-o", os.path.join(elsewhere, "good.pdf"))
    expect(d, "a good render of the report", p, 0, [], dirs=[r, elsewhere])
    return d


@check("outputs: a link to a closed standard output, a device, a pipe or nothing is written "
       "in place or refused, and stays a link")
def _():
    d = []
    r = small_report("links-report")
    w = folder("links")
    # a link of our own to /proc/self/fd/1: the machine's /dev/stdout is never touched
    so = os.path.join(w, "stdout")
    os.symlink("/proc/self/fd/1", so)
    p = subprocess.run([BIN, "render", r, "-o", so], stdin=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
    expect(d, "a link to standard output, closed", p, 1,
           ["%s: error: cannot write: it leads to standard output or error, which is closed" % so],
           dirs=[w])
    if not os.path.islink(so) or os.readlink(so) != "/proc/self/fd/1":
        d.append("the link to /proc/self/fd/1 was replaced")
    p = subprocess.run([BIN, "render", r, "-o", "-"], stdin=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=60)
    expect(d, "-o - with standard output closed", p, 1, ["-: error: ", "Bad file descriptor"])
    full = os.path.join(w, "full")
    os.symlink("/dev/full", full)
    p = gw("render", r, "-o", full)
    expect(d, "a link to /dev/full", p, 1, ["%s: error: " % full, "No space left on device"],
           dirs=[w])
    if not os.path.islink(full):
        d.append("the link to /dev/full was replaced")
    fifo = os.path.join(w, "fifo")
    os.mkfifo(fifo)
    os.symlink(fifo, os.path.join(w, "to-fifo"))
    got = []
    reader = threading.Thread(target=lambda: got.append(read(fifo)))
    reader.start()
    p = gw("render", r, "-o", os.path.join(w, "to-fifo"))
    reader.join(30)
    expect(d, "a link to a FIFO", p, 0, [], dirs=[w])
    if not got or not got[0].startswith(b"%PDF-") or not stat.S_ISFIFO(os.lstat(fifo).st_mode) \
            or not os.path.islink(os.path.join(w, "to-fifo")):
        d.append("a link to a FIFO: read %r, still a FIFO behind a link: %s"
                 % (got[0][:8] if got else None, stat.S_ISFIFO(os.lstat(fifo).st_mode)))
    dangling = os.path.join(w, "dangling")
    os.symlink(os.path.join(w, "nowhere", "x.pdf"), dangling)
    p = gw("render", r, "-o", dangling)
    expect(d, "a link to nothing", p, 1, ["dangling: error: cannot write: it is a link to"],
           dirs=[w])
    if not os.path.islink(dangling) or os.path.exists(os.path.join(w, "nowhere")):
        d.append("a link to nothing was replaced or followed")
    target = write(os.path.join(w, "target.pdf"), OLD)
    os.symlink("target.pdf", os.path.join(w, "to-file.pdf"))
    p = gw("render", r, "-o", os.path.join(w, "to-file.pdf"))
    expect(d, "a link to a file", p, 0, [], dirs=[w])
    if not os.path.islink(os.path.join(w, "to-file.pdf")) or not read(target).startswith(b"%PDF-"):
        d.append("a link to a file: the link is gone or the file it leads to not replaced")
    return d


def iso_dates(pdf):
    out = txt(run("pdfinfo", "-isodates", pdf).stdout)
    return dict(re.findall(r"(?m)^(CreationDate|ModDate):\s*(\S+)", out))


@check("SOURCE_DATE_EPOCH: a bad value is an error before anything is written; the creation "
       "date is the report's, else SOURCE_DATE_EPOCH's, else the current time")
def _():
    d = []
    undated = small_report("undated")
    dated = small_report("dated", "---\ndate: 2024-01-15\n---\n标题\n正文一段。\n")
    w = folder("dates")
    out = write(os.path.join(w, "out.pdf"), OLD)
    for value in ("abc", "-5", "99999999999999", " 5", "1e3", "253402300800"):
        for cmd in (("render", undated, "-o", out), ("render", dated, "-o", out),
                    ("preview", undated, "title", "-o", out), ("check", undated),
                    ("render", undated, undated + "/../dated", "--out-dir", w)):
            p = gw(*cmd, env={"SOURCE_DATE_EPOCH": value})
            expect(d, "SOURCE_DATE_EPOCH=%r %s" % (value, cmd[0]), p, 1,
                   ["gongwen: error: SOURCE_DATE_EPOCH='%s' is not a date" % value],
                   intact=[(out, OLD)], absent=[os.path.join(w, "undated.pdf")], dirs=[w])
    cases = (("0", undated, {"SOURCE_DATE_EPOCH": "0"}, "1970-01-01T00:00:00Z"),
             ("the largest", undated, {"SOURCE_DATE_EPOCH": "253402300799"}, "9999-12-31T23:59:59Z"),
             ("the report's date first", dated, {"SOURCE_DATE_EPOCH": "0"}, "2024-01-15T00:00:00+08"))
    for what, report, env, want in cases:
        p = gw("render", report, "-o", out, env=env)
        got = iso_dates(out) if p.returncode == 0 else {}
        if p.returncode != 0 or got.get("CreationDate") != want or got.get("ModDate") != want:
            d.append("%s: exit %d, dates %s, want both %s" % (what, p.returncode, got, want))
    # neither: cairo writes the current time as the creation date, and no ModDate
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    for e in (env, dict(env, SOURCE_DATE_EPOCH="")):
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        p = subprocess.run([BIN, "render", undated, "-o", out], env=e, stderr=subprocess.PIPE)
        after = datetime.datetime.now(datetime.timezone.utc)
        got = iso_dates(out)
        created = got.get("CreationDate", "")
        try:
            when = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            when = None
        if p.returncode != 0 or when is None or not before <= when <= after or "ModDate" in got:
            d.append("no date (SOURCE_DATE_EPOCH %r): exit %d, dates %s, want the current time "
                     "and no ModDate" % (e.get("SOURCE_DATE_EPOCH"), p.returncode, got))
    return d


def batch_processes(marker):
    """gongwen processes whose command line holds `marker`."""
    found = []
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                argv = f.read().split(b"\0")
        except (OSError, ValueError):
            continue
        if argv[0].endswith(b"gongwen") and any(marker.encode() in a for a in argv):
            found.append(int(pid))
    return found


@check("a batch with -j 3 killed by SIGTERM, SIGINT or SIGKILL: no worker keeps running or "
       "writing, no temporary file left")
def _():
    d = []
    src = folder("copies")
    copies = []
    for i in range(16):
        c = os.path.join(src, "copy-%02d" % i)
        shutil.copytree(REPORT, c)
        copies.append(c)
    pdfs = lambda out: sorted(n for n in os.listdir(out) if n.endswith(".pdf"))
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        out = os.path.join(T, "batch-killed-%s-%d" % (sig.name, os.getpid()))
        proc = subprocess.Popen([BIN, "render", *copies, "--out-dir", out, "-j", "3"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline, seen = time.time() + (300 if SLOW else 60), False
        while time.time() < deadline and proc.poll() is None and not seen:
            # the workers are writing once temporary files of reports after the first are there
            seen = len([n for n in temporaries(out) if "copy-00" not in n]) >= 2
            time.sleep(0.01)
        proc.send_signal(sig)
        status = proc.wait(timeout=60)
        # the parent is gone: a worker still there ends within a moment (it was sent the
        # signal), and no PDF is finished after that
        time.sleep(0.05)
        done = pdfs(out)
        end = time.time() + (3 if SLOW else 0.5)
        while time.time() < end and batch_processes(out):
            time.sleep(0.02)
        left_procs = batch_processes(out)
        time.sleep(1.5)
        later = sorted(set(pdfs(out)) - set(done))
        for pid in batch_processes(out):
            os.kill(pid, signal.SIGKILL)
        if not seen:
            d.append("%s: the workers were never seen writing (exit %s)" % (sig.name, status))
        if status != -sig:
            d.append("%s: the batch ended with %s, want killed by the signal" % (sig.name, status))
        if left_procs:
            d.append("%s: gongwen processes still running after the parent: %s"
                     % (sig.name, left_procs))
        if later:
            d.append("%s: PDFs finished after the parent was gone: %s" % (sig.name, later))
        if temporaries(out):
            d.append("%s: temporary files left: %s" % (sig.name, temporaries(out)))
        if len(done) >= len(copies):
            d.append("%s: every report was finished despite the signal" % sig.name)
    return d


@check("cli: --watch stops on SIGINT without a GLib warning; on a missing report it does not "
       "claim a last good output")
def _():
    d = []
    r = small_report("watched")
    out = os.path.join(T, "watched.pdf")
    for sig in (signal.SIGINT, signal.SIGTERM):
        if os.path.exists(out):
            os.remove(out)
        proc = subprocess.Popen([BIN, "render", r, "-o", out, "--watch"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = b""
        try:
            deadline = time.time() + (60 if SLOW else 10)
            while time.time() < deadline and not os.path.exists(out):
                time.sleep(0.05)
            time.sleep(0.3)
            proc.send_signal(sig)  # during the first render or after it: the same
            err = proc.communicate(timeout=10)[1]
        except subprocess.TimeoutExpired:
            proc.kill()
            err = proc.communicate()[1]
        if proc.returncode != 0 or b"CRITICAL" in err or b"WARNING" in err:
            d.append("--watch stopped by %s: exit %s, stderr %r" % (sig.name, proc.returncode, txt(err)))
    w = folder("watch-missing")
    proc = subprocess.Popen([BIN, "render", os.path.join(w, "missing"), "--watch"], cwd=w,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(2.0 if SLOW else 0.8)
    proc.send_signal(signal.SIGINT)
    try:
        err = txt(proc.communicate(timeout=10)[1])
    except subprocess.TimeoutExpired:
        proc.kill()
        err = txt(proc.communicate()[1])
    if "last good output" in err or "no output yet; missing.pdf is written once the report renders" not in err \
            or "missing: error: no such file" not in err or os.listdir(w):
        d.append("--watch on a missing report: stderr %r, files %s" % (err, os.listdir(w)))
    return d


@check("cli: render . is named after the folder; -j 0, -j x and --dpi 0 are usage errors")
def _():
    d = []
    r = small_report("named-after")
    p = subprocess.run([BIN, "render", "."], cwd=r, stderr=subprocess.PIPE)
    made = sorted(n for n in os.listdir(r) if n != "report.txt")
    if p.returncode != 0 or made != ["named-after.pdf"]:
        d.append("render .: exit %d, wrote %s" % (p.returncode, made))
    sub = folder("named-after/sub")
    p = subprocess.run([BIN, "render", ".."], cwd=sub, stderr=subprocess.PIPE)
    made = sorted(os.listdir(sub))
    if p.returncode != 0 or made != ["named-after.pdf"]:
        d.append("render ..: exit %d, wrote %s" % (p.returncode, made))
    w = folder("usage")
    for args, phrase in ((("render", r, r + "/../watched", "--out-dir", w, "-j", "0"),
                          "-j needs a number from 1 to 256, not '0'"),
                         (("render", r, r + "/../watched", "--out-dir", w, "-j", "x"),
                          "-j needs a number from 1 to 256, not 'x'"),
                         (("render", r, r + "/../watched", "--out-dir", w, "-j", "257"),
                          "-j needs a number"),
                         (("preview", r, "title", "-o", os.path.join(w, "p.png"), "--dpi", "0"),
                          "--dpi needs a number from 10 to 1200, not '0'"),
                         (("preview", r, "title", "-o", os.path.join(w, "p.png"), "--dpi", "nan"),
                          "--dpi needs a number")):
        p = gw(*args)
        expect(d, " ".join(args[-2:]), p, 2, [phrase, "Try 'gongwen --help'"], dirs=[w])
        if os.listdir(w):
            d.append("%s: wrote %s" % (" ".join(args[-2:]), os.listdir(w)))
    p = gw("preview", r, "title", "-o", os.path.join(w, "p.png"), "--dpi", "10")
    expect(d, "--dpi 10", p, 0, [], dirs=[w])
    return d


shutil.rmtree(T, ignore_errors=True)
finish()
