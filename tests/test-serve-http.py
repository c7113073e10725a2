#!/usr/bin/env python3
"""gongwen serve over plain HTTP: what a local server must refuse (a wrong Host, a write
without the token or from another origin, a path out of the folder, a 100 MiB body) is
refused and writes nothing; saves are atomic and warn of a change on disk; renders answer
with pages and file:line:col errors, the latest text winning, cancelled after --timeout;
exports; the list of reports and a new one; SIGTERM and SIGINT stop it cleanly."""
import json, os, shutil, signal, socket, sys, threading, time, urllib.parse, zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pdftap import check, finish  # noqa: E402
from servetap import Server, copy_report, snapshot  # noqa: E402

TOP, REPORT = copy_report()
OUTSIDE = os.path.join(os.path.dirname(TOP), os.path.basename(TOP) + "-outside.txt")
with open(OUTSIDE, "w") as f:
    f.write("outside\n")
os.symlink(OUTSIDE, os.path.join(REPORT, "evil.tsv"))   # a link out of the folder
S = Server(REPORT)


def files():
    status, _, body = S.request("GET", "/api/files")
    return json.loads(body) if status == 200 else {}


def mtime(name):
    return next(f["mtime"] for f in files()["files"] if f["name"] == name)


def unchanged(before, what):
    after = snapshot(TOP)
    return [] if after == before else ["%s changed the folder: %s" % (
        what, sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))]


@check("a Host other than this server's is refused (403): DNS rebinding")
def _():
    d = []
    for host, want in (("evil.example", 403), ("127.0.0.1:1", 403), (None, 200),
                       ("localhost:%d" % S.port, 200)):
        status, _, _ = S.request("GET", "/api/info", host=host)
        if status != want:
            d.append("Host %s: %d, not %d" % (host, status, want))
    return d


@check("a write without the token, with a wrong one, from another Origin or none is refused "
       "(403) and writes nothing")
def _():
    d = []
    before = snapshot(TOP)
    fields = {"report": "", "file": "report.txt", "text": "x", "mtime": mtime("report.txt"),
              "force": "1"}
    for what, headers in (("no token", {"X-Gongwen-Token": None}),
                          ("a wrong token", {"X-Gongwen-Token": "0" * 32}),
                          ("Origin http://evil.example", {"Origin": "http://evil.example"}),
                          ("no Origin", {"Origin": None}),
                          ("Origin of another port", {"Origin": "http://127.0.0.1:1"})):
        status, _, body = S.post("/api/save", fields, headers=headers)
        if status != 403:
            d.append("%s: %d %s" % (what, status, body[:100]))
    status, _, _ = S.request("GET", "/api/info", headers={"Host": "evil.example"})
    for path in ("/api/render", "/api/export", "/api/new"):
        status, _, _ = S.post(path, {"report": ""}, headers={"X-Gongwen-Token": None})
        if status != 403:
            d.append("%s without the token: %d" % (path, status))
    return d + unchanged(before, "refused writes")


@check("a path out of the folder is refused (403): ../x, a folder above, a link out")
def _():
    d = []
    before = snapshot(TOP)
    m = mtime("report.txt")
    for fields in ({"report": "", "file": "../x.txt", "text": "x", "mtime": m, "force": "1"},
                   {"report": "", "file": "sub/x.txt", "text": "x", "force": "1"},
                   {"report": "", "file": "/tmp/x.txt", "text": "x", "force": "1"},
                   {"report": "..", "file": "report.txt", "text": "x", "force": "1"},
                   {"report": "", "file": "evil.tsv", "text": "x", "force": "1"},
                   {"report": "", "file": "..", "text": "x", "force": "1"}):
        status, _, body = S.post("/api/save", fields)
        if status != 403:
            d.append("save %r: %d %s" % (fields, status, body[:120]))
    for path in ("/api/files?report=..", "/api/files?report=%2e%2e",
                 "/api/files?report=/etc", "/api/files?report=../" + os.path.basename(TOP)):
        status, _, _ = S.request("GET", path)
        if status != 403:
            d.append("GET %s: %d" % (path, status))
    for path in ("/api/page/../../etc/passwd", "/../../etc/passwd", "/api/page/x.svg"):
        status, _, body = S.request("GET", path)
        if status not in (403, 404) or b"root:" in body:
            d.append("GET %s: %d" % (path, status))
    status, _, body = S.post("/api/render", {"report": "", "f:../x.txt": "x"})
    if status != 403:
        d.append("render with f:../x.txt: %d" % status)
    evil = [f for f in files().get("files", []) if f["name"] == "evil.tsv"]
    if not evil or "text" in evil[0] or "outside" in json.dumps(evil):
        d.append("the link out of the folder was read: %s" % evil)
    if open(OUTSIDE).read() != "outside\n" or os.path.exists(os.path.join(TOP, "x.txt")):
        d.append("a file outside the report was written")
    return d + unchanged(before, "refused paths")


@check("a 100 MiB body is refused (413) before it is read, also on a GET; one of unknown "
       "length too (411)")
def _():
    d = []
    before = snapshot(TOP)
    s = socket.create_connection(("127.0.0.1", S.port), timeout=30)
    s.sendall(("POST /api/save HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\n"
               "X-Gongwen-Token: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               "Content-Length: %d\r\n\r\n" % (S.host, S.host, S.token, 100 << 20)).encode())
    sent, chunk = 0, b"text=" + b"x" * (1 << 16)
    start = time.monotonic()
    try:
        while sent < 100 << 20:
            s.sendall(chunk)
            sent += len(chunk)
    except OSError:
        pass
    data = b""
    try:
        while True:
            c = s.recv(1 << 16)
            if not c:
                break
            data += c
    except OSError:
        pass
    s.close()
    if not data.startswith(b"HTTP/1.1 413"):
        d.append("100 MiB: %r" % data[:80])
    if sent >= 100 << 20:
        d.append("the server read all 100 MiB (%.1f s) before answering" %
                 (time.monotonic() - start))
    status, _, _ = S.request("GET", "/api/info", headers={"Content-Length": str(100 << 20)})
    if status != 413:
        d.append("a GET with a 100 MiB body: %d" % status)
    status, _, _ = S.request("POST", "/api/save", b"5\r\nhello\r\n0\r\n\r\n",
                             headers={"Transfer-Encoding": "chunked", "Content-Length": None})
    if status not in (411, 413):
        d.append("a chunked body: %d" % status)
    return d + unchanged(before, "a refused body")


@check("save writes the file atomically (a new inode, no file left beside it) and returns "
       "its new mtime")
def _():
    d = []
    path = os.path.join(REPORT, "report.txt")
    inode = os.stat(path).st_ino
    text = open(path, encoding="utf-8").read() + "新增一段，用于检查保存。\n"
    status, _, body = S.post("/api/save", {"report": "", "file": "report.txt", "text": text,
                                           "mtime": mtime("report.txt")})
    r = json.loads(body or b"{}")
    if status != 200 or not r.get("ok"):
        return ["save: %d %s" % (status, body[:200])]
    if open(path, encoding="utf-8").read() != text:
        d.append("the file does not hold the text saved")
    if os.stat(path).st_ino == inode:
        d.append("the file was rewritten in place, not replaced by a rename")
    left = [n for n in os.listdir(REPORT) if n.startswith(".") or n.endswith("~") or
            "tmp" in n.lower()]
    if left:
        d.append("left beside it: %s" % left)
    if r.get("mtime") != mtime("report.txt"):
        d.append("the mtime returned %s is not the file's" % r.get("mtime"))
    return d


@check("a file changed on disk since it was opened is not overwritten (409) unless forced")
def _():
    d = []
    path = os.path.join(REPORT, "stats.rules")
    opened = mtime("stats.rules")
    time.sleep(0.01)
    with open(path, "a", encoding="utf-8") as f:
        f.write("# changed by another program\n")
    on_disk = open(path, encoding="utf-8").read()
    status, _, body = S.post("/api/save", {"report": "", "file": "stats.rules",
                                           "text": "# mine\n", "mtime": opened})
    if status != 409 or not json.loads(body).get("conflict"):
        d.append("a stale save: %d %s" % (status, body[:200]))
    if open(path, encoding="utf-8").read() != on_disk:
        d.append("the stale save wrote the file")
    status, _, body = S.post("/api/save", {"report": "", "file": "stats.rules",
                                           "text": on_disk + "# mine\n", "mtime": opened,
                                           "force": "1"})
    if status != 200 or not open(path, encoding="utf-8").read().endswith("# mine\n"):
        d.append("a forced save: %d %s" % (status, body[:200]))
    return d


@check("render: the editor's text (not the disk's) laid out; an error names report.txt:LINE:COL")
def _():
    d = []
    text = open(os.path.join(REPORT, "report.txt"), encoding="utf-8").read()
    status, _, body = S.post("/api/render", {"report": "", "f:report.txt": text})
    r = json.loads(body)
    if status != 200 or not r.get("ok") or len(r["pages"]) < 13:
        return ["render: %d %s" % (status, body[:300])]
    for p in r["pages"]:
        status, headers, svg = S.request("GET", "/api/page/%s.svg" % p["svg"])
        if status != 200 or not svg.startswith(b"<?xml") or "svg" not in headers.get(
                "content-type", ""):
            d.append("page %s: %d %s" % (p["svg"], status, svg[:60]))
            break
    lines = text.split("\n")
    bad = lines[:]
    bad[7] = bad[7][:5] + "\u202e" + bad[7][5:]
    status, _, body = S.post("/api/render", {"report": "", "f:report.txt": "\n".join(bad)})
    r = json.loads(body)
    e = r.get("error") or {}
    if r.get("ok") is not False or (e.get("file"), e.get("line"), e.get("col")) != (
            "report.txt", 8, 6) or "report.txt:8:6" not in e.get("text", ""):
        d.append("an invalid character: %s" % body[:300])
    data = "\n".join(lines) + "\n@table nothere.tsv\n"
    status, _, body = S.post("/api/render", {"report": "", "f:report.txt": data})
    e = json.loads(body).get("error") or {}
    if e.get("file") != "report.txt" or e.get("line") != len(lines) + 1:
        d.append("a missing table: %s" % body[:300])
    return d


@check("renders waiting are replaced by the latest (one at a time); the latest is answered")
def _():
    text = open(os.path.join(REPORT, "report.txt"), encoding="utf-8").read()
    answers = [None] * 3

    def ask(k):  # each one reflows every page: none is quick
        lines = text.split("\n")
        lines[7] = "测" * (k + 1) + lines[7]
        if k == 0:  # the first twice as long: the others come while it is laid out
            lines += lines[8:]
        body = "\n".join(lines) + "\n第%d次修改的段落。\n" % k
        answers[k] = S.post("/api/render", {"report": "", "f:report.txt": body})

    threads = []
    for k in range(3):
        t = threading.Thread(target=ask, args=(k,))
        t.start()
        threads.append(t)
        time.sleep(0.15 if k == 0 else 0.1)
    for t in threads:
        t.join(120)
    got = [json.loads(a[2]) if a else {} for a in answers]
    d = []
    if not got[2].get("ok"):
        d.append("the latest was not rendered: %s" % str(got[2])[:200])
    elif "第2次修改" not in json.dumps(got[2]["pages"][-1]["runs"], ensure_ascii=False):
        d.append("the latest answer does not show the latest text")
    if not got[1].get("superseded"):
        d.append("the one in between was not replaced: %s" % str(got[1])[:100])
    return d


@check("a client that goes away before its render is answered does not disturb the server")
def _():
    body = urllib.parse.urlencode({"report": "", "f:report.txt": "变了\n" + open(
        os.path.join(REPORT, "report.txt"), encoding="utf-8").read()}).encode()
    for _ in range(3):
        s = socket.create_connection(("127.0.0.1", S.port), timeout=30)
        s.sendall(("POST /api/render HTTP/1.1\r\nHost: %s\r\nOrigin: http://%s\r\n"
                   "X-Gongwen-Token: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %d\r\n\r\n" % (S.host, S.host, S.token, len(body))).encode()
                  + body)
        s.close()
    time.sleep(0.2)
    status, _, body = S.post("/api/render", {"report": ""})
    r = json.loads(body or b"{}")
    return [] if status == 200 and r.get("ok") else ["then: %d %s" % (status, body[:200])]


@check("download: the PDF and the OFD of the editor's text")
def _():
    d = []
    text = open(os.path.join(REPORT, "report.txt"), encoding="utf-8").read()
    for fmt, magic in (("pdf", b"%PDF-"), ("ofd", b"PK")):
        status, headers, body = S.post("/api/export", {"report": "", "format": fmt,
                                                       "f:report.txt": text})
        if status != 200 or not body.startswith(magic) or "attachment" not in headers.get(
                "content-disposition", ""):
            d.append("%s: %d %s %s" % (fmt, status, headers.get("content-type"), body[:80]))
        if fmt == "ofd" and status == 200:
            import io
            if "OFD.xml" not in zipfile.ZipFile(io.BytesIO(body)).namelist():
                d.append("the OFD has no OFD.xml")
    status, _, _ = S.post("/api/export", {"report": "", "format": "docx"})
    if status != 400:
        d.append("format docx: %d" % status)
    return d


@check("without a report folder: the list of reports, and a new one made by gongwen new")
def _():
    d = []
    s = Server(TOP)
    try:
        status, _, body = s.request("GET", "/api/info")
        info = json.loads(body)
        if info.get("single") or info.get("reports") != [os.path.basename(REPORT)]:
            d.append("info: %s" % body[:200])
        status, _, body = s.post("/api/new", {"kind": "annual-report", "dir": "2025年报",
                                              "year": "2025", "organ": "某某县商务局"})
        if status != 200 or not os.path.isfile(os.path.join(TOP, "2025年报", "report.txt")):
            d.append("new annual-report: %d %s" % (status, body[:200]))
        status, _, body = s.request("GET", "/api/files?report=" + urllib.parse.quote("2025年报"))
        if status != 200 or len(json.loads(body)["files"]) < 5:
            d.append("the new report's files: %d %s" % (status, body[:200]))
        status, _, body = s.post("/api/new", {"kind": "notice", "dir": "2025年报"})
        if status != 422:
            d.append("new into a folder that exists: %d %s" % (status, body[:200]))
        above = "../" + os.path.basename(TOP) + "-new"  # a name nothing else uses
        for bad in (above, "a/b", ".hidden", "-q"):
            status, _, body = s.post("/api/new", {"kind": "notice", "dir": bad})
            if status != 403:
                d.append("new %r: %d" % (bad, status))
        if os.path.exists(os.path.join(TOP, above)):
            d.append("new %s wrote outside" % above)
    finally:
        s.stop()
    return d


@check("a render or export that takes longer than --timeout is cancelled, leaving no "
       "temporary file; the server goes on")
def _():
    tmp = os.path.join(TOP, "tmp")
    os.mkdir(tmp)
    s = Server(REPORT, "--timeout", "0.02", env={"TMPDIR": tmp})
    try:
        d = []
        for _ in range(2):
            status, _, body = s.post("/api/render", {"report": ""})
            r = json.loads(body)
            if status != 200 or not r.get("timeout") or r.get("ok") is not False:
                d.append("render: %d %s" % (status, body[:200]))
        status, _, body = s.post("/api/export", {"report": "", "format": "pdf"})
        if status != 503:
            d.append("export: %d %s" % (status, body[:200]))
        status, _, _ = s.request("GET", "/api/info")
        if status != 200:
            d.append("after the timeouts: %d" % status)
    finally:
        s.stop()
    if os.listdir(tmp):
        d.append("left in TMPDIR: %s" % os.listdir(tmp))
    shutil.rmtree(tmp)
    return d


@check("SIGTERM and SIGINT stop it cleanly (exit 0), also during a render")
def _():
    d = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        s = Server(REPORT)
        t = threading.Thread(target=lambda: s.post("/api/render", {"report": ""}, timeout=30))
        t.start()
        time.sleep(0.1)
        status, err = s.stop(sig)
        t.join(30)
        if status != 0 or "已停止" not in err:
            d.append("%s: exit %s, %s" % (sig.name, status, err[-300:]))
    return d




@check("the server stops on SIGTERM with exit 0, and no sanitizer said anything")
def _():
    status, err = S.stop()
    bad = [w for w in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "CRITICAL",
                       "WARNING **") if w in err]
    return ([] if status == 0 else ["exit %s" % status]) + (
        ["standard error: %s" % err[-1500:]] if bad else [])


shutil.rmtree(TOP, ignore_errors=True)
os.unlink(OUTSIDE)
finish()
