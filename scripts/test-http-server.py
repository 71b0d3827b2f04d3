#!/usr/bin/env python3
"""A small HTTP server for promkit's integration tests, on 127.0.0.1 and an ephemeral port.

Prints `PORT n` on its first line of standard output once listening, then serves until standard input closes
(the test that started it ends) or it is killed.

  --root DIR   serve DIR's files at /file/PATH, with these query parameters:
                 type=CONTENT-TYPE   the Content-Type (default text/plain; version=0.0.4); type=none sends none
                 gzip=1              gzip the body (Content-Encoding: gzip)
                 status=N            answer with status N
                 truncate=N          send the whole body's Content-Length, then only N bytes, and close
                 redirect=N          redirect N times (to the same URL with redirect=N-1) before answering
                 bearer=TOKEN        401 unless 'Authorization: Bearer TOKEN'
                 basic=USER:PASS     401 unless that basic authentication
                 bearer_file=PATH    as bearer=, the token read from PATH (a URL that shows no secret)
                 basic_file=USER:PATH  as basic=, the password read from PATH
               /echo                 a text exposition whose labels are the request's Accept, Accept-Encoding
                                     and X-Test headers, and whether an Authorization header came
               /empty                200, no body
               /generate?bytes=N     a valid text exposition of about N bytes, streamed
  --hang       listen, never accept or answer (for timeouts)
  --tls CERT KEY
               serve HTTPS with this PEM certificate (chain) and key
"""
import argparse, base64, gzip, os, socket, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs, urlencode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=".")
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()

    if args.hang:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        print("PORT", s.getsockname()[1], flush=True)
        sys.stdin.read()
        return

    root = os.path.abspath(args.root)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def send(self, status, body=b"", content_type=None, extra=()):
            self.send_response(status)
            if content_type is not None:
                self.send_header("Content-Type", content_type)
            for k, v in extra:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            url = urlsplit(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/echo":
                def esc(v):
                    return (v or "").replace("\\", "\\\\").replace('"', '\\"')
                body = ('# TYPE request_info gauge\nrequest_info{accept="%s",accept_encoding="%s",x_test="%s",authorization="%s"} 1\n'
                        % (esc(self.headers.get("Accept")), esc(self.headers.get("Accept-Encoding")),
                           esc(self.headers.get("X-Test")), "present" if self.headers.get("Authorization") else "absent")).encode()
                return self.send(200, body, "text/plain; version=0.0.4")
            if url.path == "/empty":
                return self.send(200, b"", "text/plain; version=0.0.4")
            if url.path == "/generate":
                total = int(q.get("bytes", "1000"))
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                head = b"# TYPE generated gauge\n"
                sent, i = 0, 0
                chunk = [head]
                size = len(head)
                try:
                    while sent < total:
                        line = b'generated{i="%d"} 1\n' % i
                        i += 1
                        chunk.append(line)
                        size += len(line)
                        if size >= 65536 or sent + size >= total:
                            data = b"".join(chunk)
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                            sent += len(data)
                            chunk, size = [], 0
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return
            if url.path.startswith("/file/"):
                if int(q.get("redirect", "0")) > 0:
                    q["redirect"] = str(int(q["redirect"]) - 1)
                    return self.send(302, b"", None, [("Location", url.path + "?" + urlencode(q))])
                def secret(path):
                    with open(path) as f:
                        return f.read().strip()
                if "bearer_file" in q:
                    q["bearer"] = secret(q["bearer_file"])
                if "basic_file" in q:
                    user, _, path = q["basic_file"].partition(":")
                    q["basic"] = user + ":" + secret(path)
                if "bearer" in q and self.headers.get("Authorization") != "Bearer " + q["bearer"]:
                    return self.send(401, b"unauthorized\n", "text/plain")
                if "basic" in q and self.headers.get("Authorization") != "Basic " + base64.b64encode(q["basic"].encode()).decode():
                    return self.send(401, b"unauthorized\n", "text/plain")
                path = os.path.normpath(os.path.join(root, url.path[len("/file/"):]))
                if not path.startswith(root + os.sep) or not os.path.isfile(path):
                    return self.send(404, b"not found\n", "text/plain")
                ctype = q.get("type", "text/plain; version=0.0.4")
                if q.get("gzip") != "1" and "truncate" not in q and "status" not in q:
                    # A plain file goes out as a static file server sends it: sendfile(2), no copy in Python
                    # (reading 100 MB into a bytes object first cost the benchmark's HTTP case ~40 ms).
                    with open(path, "rb") as f:
                        self.send_response(200)
                        if ctype != "none":
                            self.send_header("Content-Type", ctype)
                        self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
                        self.end_headers()
                        self.wfile.flush()
                        self.connection.sendfile(f)
                    return
                with open(path, "rb") as f:
                    body = f.read()
                extra = []
                if q.get("gzip") == "1":
                    body = gzip.compress(body)
                    extra.append(("Content-Encoding", "gzip"))
                if "truncate" in q:
                    self.send_response(200)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[:int(q["truncate"])])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                return self.send(int(q.get("status", "200")), body, None if ctype == "none" else ctype, extra)
            return self.send(404, b"not found\n", "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls[0], args.tls[1])
        # The handshake happens in the handler's thread (on first read), so a client that gives up on the
        # certificate does not stall the accepting loop.
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    print("PORT", server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
