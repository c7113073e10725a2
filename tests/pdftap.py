"""Shared pieces of the PDF-reading TAP tests: run gongwen, keep every PDF it renders from a
report or fixture for pagecheck, ask fontconfig what a family is, and report checks in TAP.
PDFs are read with tests/pdfread.py and checked with tests/pagecheck.py; nothing here uses
gongwen's own code. A check cannot be skipped: one that cannot run (a tool missing, an
exception) is `not ok`."""
import atexit, hashlib, os, re, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagecheck  # noqa: E402
import pdfread  # noqa: E402
from pdfread import MM  # noqa: E402,F401

BIN = os.environ.get("GONGWEN_BIN", "build/gongwen")
SRC = os.environ.get("GONGWEN_SRCDIR", ".")
REPORT = os.path.join(SRC, "reports", "guizhou-commerce-2017")
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 262 * MM, 28 * MM, 184 * MM   # type area (版心), pt
EM_PN = 14.0                                                       # page-number size, pt

results = []


def check(name):
    """Decorator: run a check; it returns a list of diagnostics, empty when it holds."""
    def wrap(fn):
        try:
            diags = fn()
            if not isinstance(diags, list):
                diags = ["the check returned %r, not a list of diagnostics" % (diags,)]
        except Exception as e:                       # a crash is a failure, not a stop
            diags = ["exception: %r" % (e,)]
        n = len(results) + 1
        print("%s %d - %s" % ("not ok" if diags else "ok", n, name))
        for d in diags:
            print("# " + str(d).replace("\n", "\n# "))
        results.append(not diags)
        sys.stdout.flush()
        return fn
    return wrap


def run(*args, env=None, stdin=None):
    return pdfread.tool(*args, env=dict(os.environ, **(env or {})), stdin=stdin)


# Every distinct PDF that gw rendered (render or preview) from a report under reports/ or a
# fixture under tests/fixtures, kept as a copy (later renders reuse output names): sha1 ->
# (what was rendered, the copy). rendered_pagecheck() checks them all.
rendered = {}
_KEEP = tempfile.mkdtemp(prefix="gongwen-rendered-")
atexit.register(shutil.rmtree, _KEEP, True)
_VALUED = {"-o", "--output", "--out-dir", "-j", "--jobs", "--font", "--fonts-conf", "--profile",
           "--seal-anchor", "--dpi", "--stage", "--words"}


def gw(*args, env=None):
    p = run(BIN, *args, env=env)
    if p.returncode == 0 and args[:1] in (("render",), ("preview",)):
        _note_rendered(args)
    return p


def _note_rendered(args):
    opts = {a: b for a, b in zip(args, args[1:]) if a in _VALUED}
    words = [a for prev, a in zip(args, args[1:]) if prev not in _VALUED and a not in _VALUED
             and not a.startswith("-")]
    ours = [os.path.realpath(os.path.join(SRC, d)) + os.sep for d in ("reports", "tests/fixtures")]
    for src in words[:1] if args[0] == "preview" else words:
        if not any(os.path.realpath(src).startswith(d) for d in ours):
            continue
        out = opts.get("-o", opts.get("--output", ""))
        if "--out-dir" in opts:
            name = os.path.basename(os.path.normpath(src))
            out = os.path.join(opts["--out-dir"], re.sub(r"\.txt$", "", name) + ".pdf")
        if not out.endswith(".pdf") or not os.path.isfile(out):
            continue
        with open(out, "rb") as f:
            data = f.read()
        key = hashlib.sha1(data).hexdigest()
        if key not in rendered:
            what = [args[0], os.path.relpath(os.path.realpath(src), os.path.realpath(SRC))]
            what += words[1:2] if args[0] == "preview" else []
            what += ["%s %s" % (o, os.path.basename(opts[o])) for o in ("--profile", "--font")
                     if o in opts] + (["(in a batch)"] if "--out-dir" in opts else [])
            copy = os.path.join(_KEEP, "%d.pdf" % len(rendered))
            with open(copy, "wb") as f:
                f.write(data)
            source = None
            if args[0] == "render":  # a whole document: its text is the source's
                source = src if os.path.isfile(src) else os.path.join(src, "report.txt")
            rendered[key] = (" ".join(what), copy, source)


def rendered_pagecheck(limit=4):
    """Diagnostics of pagecheck.faults on every PDF noted in `rendered` (a few faults each),
    and for a whole document its text against the source's paragraphs (no text lost, none
    added: pagecheck.fidelity_faults); prints each one's counts as a TAP comment."""
    if not rendered:
        return ["no PDF of a report or fixture was rendered"]
    d = []
    for what, pdf, source in sorted(rendered.values()):
        found, n = pagecheck.check(pdf)
        if source is not None:
            found += pagecheck.fidelity_faults(list(pagecheck.pages(pdf)), source)
        print("# pagecheck %s: %d pages, %d glyphs, %d paths, %d faults"
              % (what, n["pages"], n["glyphs"], n["paths"], len(found)))
        d += ["%s: %s" % (what, f) for f in found[:limit]]
        if len(found) > limit:
            pages = sorted({int(f.split()[1].rstrip(":")) for f in found})
            d.append("%s: … %d faults in all, on pages %s" % (what, len(found), pages))
    return d


def body_faults(m, kinds, limit=4):
    """The faults of pagecheck.body()'s result `m` in the lists `kinds`, a few of each."""
    d = []
    for k in kinds:
        d += ["%s: %s" % (k, f) for f in m[k][:limit]]
        if len(m[k]) > limit:
            d.append("%s: … %d in all" % (k, len(m[k])))
    return d


def render_flagship(folder):
    """The flagship rendered into folder/g.pdf; its path (an error if the render fails)."""
    out = os.path.join(folder, "g.pdf")
    p = gw("render", REPORT, "-o", out)
    if p.returncode != 0 or not os.path.isfile(out):
        raise RuntimeError("render %s: exit %d, %s" % (REPORT, p.returncode, txt(p.stderr)))
    return out


def fc_face(family):
    """The face fontconfig gives for `family` under gongwen's fonts configuration, as a dict
    of file, index, postscriptname and families; an error when it gives another family."""
    env = dict(FONTCONFIG_FILE=os.environ.get(
        "GONGWEN_FONTS_CONF", os.path.join(SRC, "fonts", "gongwen-fonts.conf")))
    p = run("fc-match", "-f", "%{file}\n%{index}\n%{postscriptname}\n%{family}\n",
            family + ":lang=zh-cn", env=env)
    file, index, psname, families = txt(p.stdout).split("\n")[:4]
    if p.returncode != 0 or family not in families.split(","):
        raise RuntimeError("fontconfig has no %s: fc-match gives %r (%s)" % (family, families, file))
    return dict(file=file, index=int(index), postscriptname=psname, families=families)


def squash(s):
    return re.sub(r"\s+", "", s)


def in_order(needles, hay):
    """The needles that are not found in `hay` in order (whitespace ignored)."""
    missing, at = [], 0
    for n in needles:
        k = hay.find(squash(n), at)
        if k < 0:
            missing.append(n)
        else:
            at = k + len(squash(n))
    return missing


def txt(b):
    return b.decode("utf-8", "replace")


def finish():
    """Print the plan and exit with the tests' status."""
    print("1..%d" % len(results))
    sys.exit(0 if all(results) else 1)
