"""A small web app on the standard library only (no pip needed offline):
a page with a visit counter and notes kept in redis.

  GET  /         the page (counter + notes)
  POST /notes    adds a note (form field "text")
  GET  /healthz  200 when redis answers, 503 otherwise (the healthcheck)

Settings come from the environment: PORT (8000), REDIS_HOST (db),
REDIS_PORT (6379). `--reload` (development) restarts the process when a
.py file next to this one changes, so edits in the bind mount show at once.
"""
import html
import os
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Redis:
    """Just enough of the RESP protocol for the commands this app sends."""

    def __init__(self, host, port=6379, timeout=2.0):
        self.address = (host, port)
        self.timeout = timeout

    def command(self, *args):
        request = b"*%d\r\n" % len(args)
        for arg in args:
            data = str(arg).encode()
            request += b"$%d\r\n%s\r\n" % (len(data), data)
        with socket.create_connection(self.address, timeout=self.timeout) as conn:
            conn.sendall(request)
            return self._reply(conn.makefile("rb"))

    def _reply(self, stream):
        line = stream.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            return None if size < 0 else stream.read(size + 2)[:-2].decode()
        if kind == b"*":
            return [self._reply(stream) for _ in range(int(rest))]
        raise RuntimeError("unexpected reply from redis: %r" % line)


def redis():
    return Redis(os.environ.get("REDIS_HOST", "db"), int(os.environ.get("REDIS_PORT", "6379")))


PAGE = """<!doctype html>
<title>berth python-web</title>
<h1>Hello from berth</h1>
<p>This page was seen {hits} times ({env} mode).</p>
<form method="post" action="/notes"><input name="text"><button>Add a note</button></form>
<ul>{notes}</ul>
"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            try:
                ok = redis().command("PING") == "PONG"
            except OSError:
                ok = False
            return self.reply(200 if ok else 503, "ok\n" if ok else "redis does not answer\n", "text/plain")
        if self.path != "/":
            return self.reply(404, "not found\n", "text/plain")
        try:
            db = redis()
            hits = db.command("INCR", "hits")
            notes = "".join("<li>%s</li>" % html.escape(n) for n in db.command("LRANGE", "notes", 0, -1))
        except OSError as e:
            return self.reply(503, "redis does not answer: %s\n" % e, "text/plain")
        env = os.environ.get("APP_ENV", "production")
        self.reply(200, PAGE.format(hits=hits, env=env, notes=notes), "text/html; charset=utf-8")

    def do_POST(self):
        if self.path != "/notes":
            return self.reply(404, "not found\n", "text/plain")
        length = int(self.headers.get("Content-Length", "0"))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        text = form.get("text", [""])[0].strip()
        if text:
            try:
                redis().command("RPUSH", "notes", text[:200])
            except OSError as e:
                return self.reply(503, "redis does not answer: %s\n" % e, "text/plain")
        self.send_response(303)
        self.send_header("Location", "/")
        self.end_headers()

    def reply(self, status, body, content_type):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))


def reload_on_change():
    """Re-executes the process when a .py file here changes (development)."""
    here = os.path.dirname(os.path.abspath(__file__))

    def snapshot():
        return {f: os.stat(os.path.join(here, f)).st_mtime for f in os.listdir(here) if f.endswith(".py")}

    seen = snapshot()
    while True:
        time.sleep(1)
        if snapshot() != seen:
            print("source changed, restarting", file=sys.stderr, flush=True)
            os.execv(sys.executable, [sys.executable] + sys.argv)


def main():
    if "--reload" in sys.argv:
        threading.Thread(target=reload_on_change, daemon=True).start()
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    print("listening on port %d (%s)" % (port, os.environ.get("APP_ENV", "production")), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
