"""Shared pieces of the PDF-reading TAP tests: run gongwen, read a PDF back with poppler
and MuPDF, and report checks in TAP. Nothing here uses gongwen's own code."""
import atexit, hashlib, os, re, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagecheck  # noqa: E402

BIN = os.environ.get("GONGWEN_BIN", "build/gongwen")
SRC = os.environ.get("GONGWEN_SRCDIR", ".")
SHARED = os.environ.get("GONGWEN_SHARED", os.path.join(SRC, "..", "shared"))
REPORT = os.path.join(SRC, "reports", "guizhou-commerce-2017")
MM = 72 / 25.4
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 262 * MM, 28 * MM, 184 * MM   # type area (版心), pt
EM_PN = 14.0                                                       # page-number size, pt

results = []


def check(name):
    """Decorator: run a check; it returns a list of diagnostics (empty = ok) or 'SKIP why'."""
    def wrap(fn):
        try:
            diags = fn()
        except Exception as e:                       # a crash is a failure, not a stop
            diags = ["exception: %r" % (e,)]
        n = len(results) + 1
        if isinstance(diags, str) and diags.startswith("SKIP"):
            print("ok %d - %s # %s" % (n, name, diags)); results.append(True)
        else:
            print("%s %d - %s" % ("not ok" if diags else "ok", n, name))
            for d in diags or []:
                print("# " + str(d).replace("\n", "\n# "))
            results.append(not diags)
        sys.stdout.flush()
        return fn
    return wrap


def run(*args, env=None, stdin=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run(list(args), capture_output=True, env=e, input=stdin)


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
            rendered[key] = (" ".join(what), copy)


def rendered_pagecheck(limit=4):
    """Diagnostics of pagecheck.faults on every PDF noted in `rendered` (a few faults each);
    prints each one's counts as a TAP comment. Never skips: no mutool is a failure."""
    if not rendered:
        return ["no PDF of a report or fixture was rendered"]
    d = []
    for what, pdf in sorted(rendered.values()):
        found, n = pagecheck.check(pdf)
        print("# pagecheck %s: %d pages, %d glyphs, %d paths, %d faults"
              % (what, n["pages"], n["glyphs"], n["paths"], len(found)))
        d += ["%s: %s" % (what, f) for f in found[:limit]]
        if len(found) > limit:
            pages = sorted({int(f.split()[1].rstrip(":")) for f in found})
            d.append("%s: … %d faults in all, on pages %s" % (what, len(found), pages))
    return d


def txt(b):
    return b.decode("utf-8", "replace")


def stext(pdf):
    """Pages of lines from mutool stext: [[{'text','chars','size','x0','x1','y'}...]...];
    chars are (character, origin x) pairs."""
    p = run("mutool", "draw", "-q", "-F", "stext", "-o", "-", pdf)
    if p.returncode != 0:
        raise RuntimeError("mutool draw failed: " + txt(p.stderr))
    pages = []
    for page in ET.fromstring(p.stdout).iter("page"):
        lines = []
        for ln in page.iter("line"):
            chars = list(ln.iter("char"))
            if not chars:
                continue
            q0 = [float(v) for v in chars[0].get("quad").split()]
            q1 = [float(v) for v in chars[-1].get("quad").split()]
            font = ln.find("font")
            # Whitespace is dropped: readers infer spaces from the ¼-em gaps between Han and
            # Latin text, and those are layout, not text.
            lines.append(dict(text="".join(c.get("c") for c in chars if not c.get("c").isspace()),
                              chars=[(c.get("c"), float(c.get("x"))) for c in chars],
                              size=float(font.get("size")) if font is not None else 0.0,
                              x0=q0[0], x1=q1[2], y=float(chars[0].get("y")), top=q0[1]))
        pages.append(lines)
    return pages


def pdftext_pages(pdf, raw=False):
    """Pages of pdftotext's text; `raw` keeps the content stream's order (gongwen draws a
    table cell by cell, row by row)."""
    p = run("pdftotext", "-enc", "UTF-8", *(["-raw"] if raw else []), pdf, "-")
    if p.returncode != 0:
        raise RuntimeError("pdftotext failed: " + txt(p.stderr))
    return txt(p.stdout).split("\f")




def finish():
    """Print the plan and exit with the tests' status."""
    print("1..%d" % len(results))
    sys.exit(0 if all(results) else 1)
