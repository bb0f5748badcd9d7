"""A small HTTP server for ftmatrix's download tests.

    http-server.py DIR PORTFILE LOGFILE [--cut-first N] [--tls CERT KEY]

Serves the files under DIR on 127.0.0.1, on a port the system picks, and
writes that port to PORTFILE once it listens. Honours "Range: bytes=A-" and
"bytes=A-B" (206 Partial Content, 416 past the end), answers 404 for what is
not there, and logs one line per request to LOGFILE:

    GET /x.tar.xz range=bytes=100- status=206

With --cut-first N, the first N GETs of a file send the headers of the whole
response, half of the body, and then close the connection, as a flaky
network does; later requests are served whole. With --tls it speaks
HTTPS with that certificate and key.
"""

import argparse
import os
import re
import socketserver
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def handler_for(root, log, cuts):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def note(self, status):
            with lock:
                log.write("%s %s range=%s status=%d\n" % (
                    self.command, self.path,
                    self.headers.get("Range", "-"), status))
                log.flush()

        def fail(self, status):
            self.note(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def file_path(self):
            rel = self.path.split("?", 1)[0].lstrip("/")
            path = os.path.realpath(os.path.join(root, rel))
            if not path.startswith(os.path.realpath(root) + os.sep):
                return None
            return path if os.path.isfile(path) else None

        def do_HEAD(self):
            self.serve(body=False)

        def do_GET(self):
            self.serve(body=True)

        def serve(self, body):
            path = self.file_path()
            if path is None:
                return self.fail(404)
            with open(path, "rb") as f:
                data = f.read()
            start, end, status = 0, len(data), 200
            want = self.headers.get("Range")
            if want:
                m = re.fullmatch(r"bytes=(\d+)-(\d*)", want.strip())
                if not m:
                    return self.fail(416)
                start = int(m.group(1))
                if m.group(2):
                    end = min(len(data), int(m.group(2)) + 1)
                if start >= len(data):
                    self.note(416)
                    self.send_response(416)
                    self.send_header("Content-Range", "bytes */%d" % len(data))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
            part = data[start:end]
            cut = False
            if body:
                with lock:
                    if cuts.get(self.path, 0) > 0:
                        cuts[self.path] -= 1
                        cut = True
            self.note(status)
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(part)))
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", "bytes %d-%d/%d" % (
                    start, end - 1, len(data)))
            self.end_headers()
            if not body:
                return
            if cut:
                self.wfile.write(part[:len(part) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(2)
                return
            self.wfile.write(part)

    return Handler


class Cuts(dict):
    """How many more GETs of each path are cut half-way."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    def __missing__(self, key):
        self[key] = self.n
        return self.n

    def get(self, key, default=None):
        return self[key]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("portfile")
    ap.add_argument("logfile")
    ap.add_argument("--cut-first", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()
    log = open(args.logfile, "a")
    server = Server(("127.0.0.1", 0),
                    handler_for(args.root, log, Cuts(args.cut_first)))
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    tmp = args.portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.portfile)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
