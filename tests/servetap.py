"""The workbench's tests share this: a copy of a report in a temporary folder, `gongwen serve`
started on it on a free port (--port 0, the address it prints), and plain HTTP requests to
it over a socket (so that any header, even a wrong Host, can be sent)."""
import os, re, shutil, signal, socket, subprocess, tempfile, time, urllib.parse

from pdftap import BIN, SRC

FLAGSHIP = os.path.join(SRC, "reports", "guizhou-commerce-2017")


def copy_report(src=FLAGSHIP):
    """A copy of the report in a new temporary folder: (the folder, the copy)."""
    top = tempfile.mkdtemp(prefix="gongwen-serve-")
    dst = os.path.join(top, os.path.basename(src))
    shutil.copytree(src, dst)
    return top, dst


class Server:
    def __init__(self, folder, *args, env=None):
        self.proc = subprocess.Popen([BIN, "serve", folder, "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=dict(os.environ, **(env or {})))
        line = self.proc.stdout.readline().decode()
        m = re.match(r"http://127\.0\.0\.1:(\d+)/$", line.strip())
        if not m:
            self.proc.kill()
            raise RuntimeError("serve printed %r, not its address; stderr: %s" %
                               (line, self.proc.stderr.read().decode()[:500]))
        self.port = int(m.group(1))
        self.url = "http://127.0.0.1:%d/" % self.port
        self.host = "127.0.0.1:%d" % self.port
        status, _, page = self.request("GET", "/")
        m = re.search(rb'name="gongwen-token" content="([0-9a-f]{32})"', page)
        if status != 200 or not m:
            raise RuntimeError("GET / gave %d without a token" % status)
        self.token = m.group(1).decode()

    def request(self, method, path, body=b"", headers=None, host=None, timeout=60):
        """(status, headers as a lower-case dict, body) of one request on its own connection."""
        h = {"Host": host or self.host}
        if method == "POST":
            h.update({"Origin": "http://" + self.host, "X-Gongwen-Token": self.token,
                      "Content-Type": "application/x-www-form-urlencoded",
                      "Content-Length": str(len(body))})
        for k, v in (headers or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        head = "%s %s HTTP/1.1\r\n" % (method, path)
        head += "".join("%s: %s\r\n" % kv for kv in h.items()) + "Connection: close\r\n\r\n"
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(head.encode() + body)
            data = b""
            while True:
                chunk = s.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
        finally:
            s.close()
        return parse(data)

    def post(self, path, fields, **kw):
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(), **kw)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Send `sig`; the exit status and what it wrote on standard error."""
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None, self.proc.stderr.read().decode()
        return self.proc.returncode, self.proc.stderr.read().decode()


def parse(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d+)", lines[0] if lines else "")
    status = int(m.group(1)) if m else 0
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers, body


def snapshot(folder):
    """Every file under `folder`: relative path -> (inode, bytes)."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = (os.stat(path).st_ino, f.read())
    return out
