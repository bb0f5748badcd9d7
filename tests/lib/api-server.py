"""A small HTTP server for ftmatrix's network tests: remote matrices served
well and badly, and an endpoint that takes published results.

    api-server.py ROOT PORTFILE LOGDIR [--post-status LIST] [--tls CERT KEY]

Listens on 127.0.0.1 on a port the system picks and writes it to PORTFILE.
(tests/lib/http-server.py serves downloads; this one serves what a remote
matrix or publish meets.)

GET /files/NAME         ROOT/NAME
GET /redirect/N/NAME    302 to /redirect/N-1/NAME; /redirect/0/NAME is
                        /files/NAME
GET /loop               302 to itself
GET /to-file            302 to file:///etc/passwd
GET /to-http/NAME       302 to http://127.0.0.1:PORT/files/NAME, PORT
                        from $API_SERVER_HTTP_PORT (default 1)
GET /big                2 MiB, with its Content-Length
GET /big-chunked        2 MiB, chunked: no length up front
GET /stall              headers, then nothing, for an hour
POST /moved             307 to /results
POST /echo              400 whose body quotes the Authorization header
POST /echo-location     201 whose Location holds the Authorization header
POST /results           the body and headers kept as LOGDIR/post-N.body and
                        post-N.headers; answered with the next status of
                        --post-status (comma-separated, the last repeats;
                        default 201). 201 carries "Location: /results/N";
                        503 carries "Retry-After: 1". If $API_SERVER_TOKEN
                        is set, a request without "Authorization: Bearer
                        $API_SERVER_TOKEN" gets 401.

Every request is logged to LOGDIR/requests.log as "METHOD PATH STATUS".
"""

import argparse
import json
import os
import socketserver
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

BIG = 2 * 1024 * 1024


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def handler_for(root, logdir, statuses, token):
    lock = threading.Lock()
    state = {"posts": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def note(self, status):
            with lock, open(os.path.join(logdir, "requests.log"), "a") as f:
                f.write("%s %s %d\n" % (self.command, self.path, status))

        def reply(self, status, body=b"", headers=()):
            self.note(status)
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def redirect(self, to):
            self.reply(302, headers=[("Location", to)])

        def do_GET(self):
            p = self.path
            if p.startswith("/files/"):
                path = os.path.realpath(os.path.join(root, p[len("/files/"):]))
                if not path.startswith(os.path.realpath(root) + os.sep) or \
                        not os.path.isfile(path):
                    return self.reply(404, b"not found\n")
                with open(path, "rb") as f:
                    return self.reply(200, f.read(),
                                      [("Content-Type", "application/yaml")])
            if p.startswith("/redirect/"):
                n, name = p[len("/redirect/"):].split("/", 1)
                n = int(n)
                return self.redirect("/files/" + name if n == 0 else
                                     "/redirect/%d/%s" % (n - 1, name))
            if p == "/loop":
                return self.redirect("/loop")
            if p == "/to-file":
                return self.redirect("file:///etc/passwd")
            if p.startswith("/to-http/"):
                return self.redirect("http://127.0.0.1:%s/files/%s" % (
                    os.environ.get("API_SERVER_HTTP_PORT", "1"),
                    p[len("/to-http/"):]))
            if p == "/big":
                return self.reply(200, b"#" * BIG)
            if p == "/big-chunked":
                self.note(200)
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"#" * 65536
                try:
                    for _ in range(BIG // len(chunk)):
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass  # the client hung up once it had enough
                return
            if p == "/stall":
                self.note(200)
                self.send_response(200)
                self.send_header("Content-Length", "100")
                self.end_headers()
                self.wfile.flush()
                time.sleep(3600)
                return
            self.reply(404, b"not found\n")

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            with lock:
                state["posts"] += 1
                k = state["posts"]
            base = os.path.join(logdir, "post-%d" % k)
            with open(base + ".body", "wb") as f:
                f.write(body)
            with open(base + ".headers", "w") as f:
                for name, value in self.headers.items():
                    f.write("%s: %s\n" % (name, value))
            if self.path == "/moved":
                return self.reply(307, headers=[("Location", "/results")])
            auth = self.headers.get("Authorization", "")
            if self.path == "/echo":
                return self.reply(400, b'{"error": "bad token %s"}\n' %
                                  auth.encode())
            if self.path == "/echo-location":
                return self.reply(201, b"{}\n", [(
                    "Location", "/results/" + auth.replace(" ", "-"))])
            if self.path != "/results":
                return self.reply(404, b'{"error": "no such endpoint"}\n')
            if token is not None and \
                    self.headers.get("Authorization") != "Bearer " + token:
                return self.reply(401, b'{"error": "bad or missing token"}\n')
            status = statuses[min(k, len(statuses)) - 1]
            if status == 201:
                return self.reply(201, json.dumps({"id": k}).encode() + b"\n",
                                  [("Location", "/results/%d" % k),
                                   ("Content-Type", "application/json")])
            if status == 503:
                return self.reply(503, b'{"error": "busy, try later"}\n',
                                  [("Retry-After", "1")])
            self.reply(status, b'{"error": "status %d as asked"}\n' % status)

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("portfile")
    ap.add_argument("logdir")
    ap.add_argument("--post-status", default="201")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()
    statuses = [int(s) for s in args.post_status.split(",")]
    token = os.environ.get("API_SERVER_TOKEN")
    server = Server(("127.0.0.1", 0),
                    handler_for(args.root, args.logdir, statuses, token))
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
