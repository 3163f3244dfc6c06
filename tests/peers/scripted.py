#!/usr/bin/env python3
"""Scripted HTTP/1.1 server for the WinHTTP conformance tests (stdlib only).

Speaks exact byte sequences, well-formed or not, on 127.0.0.1; one thread per
connection; every slow or hanging case is bounded in time; never dies on a
misbehaving client.  Started by tools/testenv:

  scripted.py --port-file FILE [--port N] [--log FILE]

Every ordinary response carries X-Connection-Id (this server's serial number
of the TCP connection, from 1) and X-Connection-Request (1 for the first
request on that connection), so a test can see connection reuse directly.
A query parameter ctag=TAG on any request files its connection under TAG
for /count?ctag=TAG.

Endpoints (GET /raw/ lists the raw scenarios):
  /echo[...]        200 text/plain; the body is the request head exactly as
                    received (request line, headers, blank line) followed by
                    the request body, de-chunked.  X-Echo-Body-Framing:
                    chunked|length|none, X-Echo-Head-Length: bytes of head.
                    ?framing=raw: the body bytes as on the wire (chunk sizes,
                    trailers).  Expect: 100-continue gets a 100 first unless
                    ?no100.  HEAD gets the headers only.
  /sink             reads the request body and discards it; the body says
                    how many bytes ("N\\n"); for upload benchmarks.
  /bytes?n=N        N bytes of the pattern (byte i is i %% 251); &chunked=1
                    for chunked (&chunk=SIZE, default 16384), &close=1 for a
                    close-delimited body.
  /delay?ms=N       waits N ms (at most 120 s) then 200 "hello, winhttp\\n".
  /status/NNN       status NNN; ?reason=TEXT (the reason phrase, may be
                    empty), &header=Name:%%20value (repeatable), &body=TEXT,
                    &body_hex=HEX (the body's bytes), &ctype=TYPE (the
                    Content-Type instead of text/plain; empty: none).
  /redirect?status=NNN&location=URL
                    NNN with Location: URL (no Location without location=);
                    &hops=K instead of location: a chain of K redirects
                    ending at /echo/redirected.
  /cookie/set?c=SETCOOKIE[&c=...]
                    one Set-Cookie header per c (verbatim after %%-decoding);
                    or /cookie/set?NAME=VALUE&Attr=v&Flag: one header
                    "NAME=VALUE; Attr=v; Flag".  Body "ok\\n".
  /cookie/echo      the body is the received Cookie header value(s), one a
                    line, nothing if none; X-Cookie-Count says how many.
  /count            "N\\n": distinct connections that carried a request other
                    than /count... since start or the last reset (the
                    connection asking is not counted); X-Accepted-Connections:
                    every connection accepted since then.  ?ctag=TAG: only
                    connections that carried a request with ctag=TAG.
  /count/reset      resets the counts (?ctag=TAG: only that tag); 200 "0\\n".
  /raw/NAME         reads the request, sends the canned bytes of NAME and
                    closes (slow ones honour ?secs=N, at most 120, default 60,
                    and ?ms=INTERVAL).
  /hostile-auth/SCHEME/CASE
                    NTLM / Negotiate exchanges whose challenge token is
                    malformed one way or another (hostile_auth.py).
  CONNECT           200 Connection established, then serves HTTP on the
                    tunnel as if it were a new connection to this server.
  anything else     404.
"""
import argparse
import gzip
import os
import signal
import socket
import sys
import threading
import time
import traceback
import urllib.parse
import zlib

import hostile_auth

SMALL = b"hello, winhttp\n"
TEXT = SMALL * 64
MAX_HEAD = 8 << 20
IDLE_TIMEOUT = 60.0      # keep-alive idle / read timeout
MAX_SECS = 120.0         # bound of every deliberate hang

REASONS = {
    100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
    200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
    204: "No Content", 205: "Reset Content", 206: "Partial Content",
    300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
    304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 407: "Proxy Authentication Required", 408: "Request Timeout",
    411: "Length Required", 413: "Content Too Large", 414: "URI Too Long",
    416: "Range Not Satisfiable", 417: "Expectation Failed",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
}


def pattern(n):
    block = bytes(i % 251 for i in range(251))
    return (block * (n // 251 + 1))[:n]


class Closed(Exception):
    """The peer went away or timed out."""


class BadRequest(Exception):
    pass


# ---------------------------------------------------------------- state

class State:
    def __init__(self, log):
        self.lock = threading.Lock()
        self.serial = 0
        self.accepted = 0        # since reset
        self.used = set()        # connection ids with a non-/count request
        self.tags = {}           # tag -> set of connection ids
        self.log_file = log

    def new_connection(self):
        with self.lock:
            self.serial += 1
            self.accepted += 1
            return self.serial

    def log(self, msg):
        line = "%s %s\n" % (time.strftime("%H:%M:%S"), msg)
        with self.lock:
            try:
                self.log_file.write(line)
                self.log_file.flush()
            except Exception:
                pass


STATE = None


# ---------------------------------------------------------------- connection

class Conn:
    def __init__(self, sock, cid):
        self.sock = sock
        self.cid = cid
        self.buf = b""
        self.nreq = 0
        sock.settimeout(IDLE_TIMEOUT)

    def fill(self):
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, OSError):
            raise Closed()
        if not data:
            raise Closed()
        self.buf += data

    def read_head(self):
        """The request head up to and including the blank line (CRLF or LF)."""
        while True:
            while self.buf[:1] in (b"\r", b"\n") and self.buf:
                self.buf = self.buf[1:]  # empty lines before a request line
            i = self.buf.find(b"\n\r\n")
            j = self.buf.find(b"\n\n")
            ends = [e for e in ((i + 3) if i >= 0 else -1, (j + 2) if j >= 0 else -1) if e > 0]
            if ends:
                end = min(ends)
                head, self.buf = self.buf[:end], self.buf[end:]
                return head
            if len(self.buf) > MAX_HEAD:
                raise BadRequest("head too large")
            self.fill()

    def read_exact(self, n):
        while len(self.buf) < n:
            self.fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def read_line(self):
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line, self.buf = self.buf[:i + 1], self.buf[i + 1:]
                return line
            if len(self.buf) > 65536:
                raise BadRequest("line too long")
            self.fill()

    def send(self, data):
        try:
            self.sock.sendall(data)
        except OSError:
            raise Closed()

    def close(self, linger=True):
        """Half-close, let the client read everything, then close."""
        try:
            if linger:
                self.sock.shutdown(socket.SHUT_WR)
                self.sock.settimeout(2.0)
                deadline = time.monotonic() + 2.0
                while time.monotonic() < deadline:
                    if not self.sock.recv(65536):
                        break
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def reset(self):
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.sock.close()
        except OSError:
            pass

    def peer_closed(self, wait):
        """Wait up to WAIT seconds; True if the client closed meanwhile."""
        try:
            self.sock.settimeout(wait)
            data = self.sock.recv(65536)
            self.sock.settimeout(IDLE_TIMEOUT)
            if not data:
                return True
            self.buf += data
            return False
        except socket.timeout:
            self.sock.settimeout(IDLE_TIMEOUT)
            return False
        except OSError:
            return True


class Request:
    def __init__(self, head):
        self.head = head
        lines = head.split(b"\n")
        first = lines[0].rstrip(b"\r").decode("latin-1")
        parts = first.split(" ")
        if len(parts) != 3:
            raise BadRequest("bad request line")
        self.method, self.target, self.version = parts
        self.headers = []
        for raw in lines[1:]:
            raw = raw.rstrip(b"\r")
            if not raw:
                continue
            name, sep, value = raw.decode("latin-1").partition(":")
            if not sep:
                raise BadRequest("bad header line")
            self.headers.append((name.strip().lower(), value.strip()))
        target = self.target
        if target.startswith("http://") or target.startswith("https://"):
            rest = target.split("://", 1)[1]
            target = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
        self.path, _, self.query_string = target.partition("?")
        self.query = urllib.parse.parse_qsl(self.query_string, keep_blank_values=True)
        self.body = b""
        self.raw_body = b""
        self.framing = "none"

    def header(self, name):
        for n, v in self.headers:
            if n == name:
                return v
        return None

    def header_all(self, name):
        return [v for n, v in self.headers if n == name]

    def tokens(self, name):
        out = []
        for v in self.header_all(name):
            out += [t.strip().lower() for t in v.split(",") if t.strip()]
        return out

    def arg(self, name, default=None):
        for n, v in self.query:
            if n == name:
                return v
        return default

    def args(self, name):
        return [v for n, v in self.query if n == name]

    def has_arg(self, name):
        return any(n == name for n, _ in self.query)

    def keep_alive(self):
        conn = self.tokens("connection")
        if self.version == "HTTP/1.1":
            return "close" not in conn
        return "keep-alive" in conn

    def read_body(self, conn, discard=False):
        """Read the body per Transfer-Encoding / Content-Length; returns its size."""
        if "chunked" in self.tokens("transfer-encoding"):
            self.framing = "chunked"
            total, raw, body = 0, [], []
            while True:
                line = conn.read_line()
                raw.append(line)
                size_text = line.split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                except ValueError:
                    raise BadRequest("bad chunk size")
                if size < 0:
                    raise BadRequest("bad chunk size")
                if size == 0:
                    while True:  # trailers
                        t = conn.read_line()
                        raw.append(t)
                        if t in (b"\r\n", b"\n"):
                            break
                    break
                data = conn.read_exact(size)
                crlf = conn.read_line()
                total += size
                if not discard:
                    raw += [data, crlf]
                    body.append(data)
            if not discard:
                self.body = b"".join(body)
                self.raw_body = b"".join(raw)
            return total
        cl = self.header("content-length")
        if cl is not None:
            self.framing = "length"
            try:
                n = int(cl)
            except ValueError:
                raise BadRequest("bad content-length")
            if n < 0:
                raise BadRequest("bad content-length")
            if discard:
                left = n
                while left:
                    if not conn.buf:
                        conn.fill()
                    take = min(left, len(conn.buf))
                    conn.buf = conn.buf[take:]
                    left -= take
                return n
            self.body = self.raw_body = conn.read_exact(n)
            return n
        return 0


def status_line(status, reason=None, version="HTTP/1.1"):
    if reason is None:
        reason = REASONS.get(status, "Status")
    return ("%s %d %s\r\n" % (version, status, reason)).encode("latin-1")


def respond(conn, req, status, body=b"", headers=(), reason=None, ctype="text/plain",
            keep=None, head_only=None):
    """An ordinary, well-formed response; returns whether to keep the connection."""
    if keep is None:
        keep = req.keep_alive()
    if head_only is None:
        head_only = req.method == "HEAD"
    out = [status_line(status, reason)]
    hdrs = [("Server", "winhttp-scripted"),
            ("X-Connection-Id", str(conn.cid)),
            ("X-Connection-Request", str(conn.nreq))]
    if ctype and status not in (204, 304):
        hdrs.append(("Content-Type", ctype))
    hdrs += list(headers)
    if status not in (204, 304) and not (100 <= status < 200):
        hdrs.append(("Content-Length", str(len(body))))
    if not keep:
        hdrs.append(("Connection", "close"))
    elif req.version == "HTTP/1.0":
        hdrs.append(("Connection", "keep-alive"))
    for n, v in hdrs:
        out.append(("%s: %s\r\n" % (n, v)).encode("latin-1"))
    out.append(b"\r\n")
    if not head_only and status not in (204, 304):
        out.append(body)
    conn.send(b"".join(out))
    return keep


# ---------------------------------------------------------------- endpoints

def maybe_continue(conn, req):
    if "100-continue" in req.tokens("expect") and not req.has_arg("no100") \
            and req.version == "HTTP/1.1":
        conn.send(b"HTTP/1.1 100 Continue\r\n\r\n")


def ep_echo(conn, req):
    maybe_continue(conn, req)
    req.read_body(conn)
    payload = req.raw_body if req.arg("framing") == "raw" else req.body
    return respond(conn, req, 200, req.head + payload,
                   [("X-Echo-Body-Framing", req.framing),
                    ("X-Echo-Head-Length", str(len(req.head)))])


def ep_sink(conn, req):
    maybe_continue(conn, req)
    n = req.read_body(conn, discard=True)
    return respond(conn, req, 200, b"%d\n" % n, [("X-Echo-Body-Framing", req.framing)])


def ep_bytes(conn, req):
    req.read_body(conn)
    try:
        n = max(0, min(int(req.arg("n", "0")), 1 << 31))
    except ValueError:
        n = 0
    if req.arg("chunked") == "1":
        try:
            chunk = max(1, int(req.arg("chunk", "16384")))
        except ValueError:
            chunk = 16384
        keep = req.keep_alive()
        head = status_line(200) + b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n" \
            + b"X-Connection-Id: %d\r\n" % conn.cid + (b"" if keep else b"Connection: close\r\n") + b"\r\n"
        conn.send(head)
        if req.method != "HEAD":
            data = pattern(n)
            for i in range(0, n, chunk):
                piece = data[i:i + chunk]
                conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
        return keep
    if req.arg("close") == "1":
        conn.send(status_line(200) + b"Content-Type: application/octet-stream\r\nConnection: close\r\n"
                  + b"X-Connection-Id: %d\r\n\r\n" % conn.cid)
        if req.method != "HEAD":
            data = pattern(n)
            for i in range(0, n, 1 << 20):
                conn.send(data[i:i + (1 << 20)])
        return False
    return respond(conn, req, 200, pattern(n), ctype="application/octet-stream")


def ep_delay(conn, req):
    req.read_body(conn)
    try:
        ms = max(0, min(int(req.arg("ms", "1000")), int(MAX_SECS * 1000)))
    except ValueError:
        ms = 1000
    deadline = time.monotonic() + ms / 1000.0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if conn.peer_closed(min(left, 0.5)):
            raise Closed()
    return respond(conn, req, 200, SMALL)


def ep_status(conn, req):
    req.read_body(conn)
    try:
        status = int(req.path.split("/")[2])
        if not 100 <= status <= 999:
            raise ValueError
    except (ValueError, IndexError):
        return respond(conn, req, 404, b"bad status\n")
    headers = []
    for h in req.args("header"):
        n, _, v = h.partition(":")
        headers.append((n.strip(), v.strip()))
    body = req.arg("body", "").encode("latin-1")
    if req.has_arg("body_hex"):
        try:
            body = bytes.fromhex(req.arg("body_hex"))
        except ValueError:
            return respond(conn, req, 400, b"bad body_hex\n")
    return respond(conn, req, status, body, headers, reason=req.arg("reason"),
                   ctype=req.arg("ctype", "text/plain"))


def ep_redirect(conn, req):
    req.read_body(conn)
    try:
        status = int(req.arg("status", "302"))
    except ValueError:
        status = 302
    headers = []
    hops = req.arg("hops")
    if hops is not None:
        try:
            k = int(hops)
        except ValueError:
            k = 0
        if k <= 0:
            loc = "/echo/redirected"
        else:
            loc = "/redirect?status=%d&hops=%d" % (status, k - 1)
        headers.append(("Location", loc))
    elif req.has_arg("location"):
        headers.append(("Location", req.arg("location")))
    return respond(conn, req, status, b"redirect\n", headers)


def ep_cookie_set(conn, req):
    req.read_body(conn)
    values = req.args("c")
    if not values:
        parts = []
        for n, v in req.query:
            if n == "ctag":
                continue
            parts.append(n + "=" + v if (v or not parts) else n)
        if parts:
            values = ["; ".join(parts)]
    return respond(conn, req, 200, b"ok\n", [("Set-Cookie", v) for v in values])


def ep_cookie_echo(conn, req):
    req.read_body(conn)
    cookies = req.header_all("cookie")
    body = "".join(c + "\n" for c in cookies).encode("latin-1")
    return respond(conn, req, 200, body, [("X-Cookie-Count", str(len(cookies)))])


def ep_count(conn, req):
    req.read_body(conn)
    tag = req.arg("ctag")
    with STATE.lock:
        if req.path == "/count/reset":
            if tag is not None:
                STATE.tags.pop(tag, None)
            else:
                STATE.accepted = 0
                STATE.used.clear()
                STATE.tags.clear()
            n, acc = 0, STATE.accepted
        else:
            if tag is not None:
                n = len(STATE.tags.get(tag, ()))
            else:
                n = len(STATE.used)
            acc = STATE.accepted
    return respond(conn, req, 200, b"%d\n" % n, [("X-Accepted-Connections", str(acc))])


# ---------------------------------------------------------------- raw scenarios

def hdr_block(status, headers, eol=b"\r\n"):
    return eol.join([status] + list(headers) + [b"", b""])


def gz(data):
    return gzip.compress(data, 6, mtime=0)


def raw_deflate(data):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def encoded(encoding, body, extra=()):
    return hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain",
                                          b"Content-Encoding: " + encoding,
                                          b"Content-Length: %d" % len(body)] + list(extra)) + body


def chunked(body, size=5):
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


OK15 = [b"Content-Type: text/plain", b"Content-Length: 15"]

RAW = {
    # status lines
    "not-http": b"this is not an HTTP response\r\n\r\n",
    "status-garbage": b"HTPT/1.1 200 OK\r\nContent-Length: 15\r\n\r\n" + SMALL,
    "status-bad-code": b"HTTP/1.1 2x0 OK\r\nContent-Length: 15\r\n\r\n" + SMALL,
    "status-bad-version": b"HTTP/x.y 200 OK\r\nContent-Length: 15\r\n\r\n" + SMALL,
    "no-reason": hdr_block(b"HTTP/1.1 200", OK15) + SMALL,
    "no-reason-space": hdr_block(b"HTTP/1.1 200 ", OK15) + SMALL,
    "long-reason": hdr_block(b"HTTP/1.1 200 " + b"R" * 8192, OK15) + SMALL,
    "http10-close": hdr_block(b"HTTP/1.0 200 OK", [b"Content-Type: text/plain"]) + TEXT,
    "http11-close": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain", b"Connection: close"]) + TEXT,
    # header lines
    "bare-lf": hdr_block(b"HTTP/1.1 200 OK", OK15, eol=b"\n") + SMALL,
    "long-header": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-Long: " + b"a" * (100 * 1024)]) + SMALL,
    "many-headers": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-H%d: v" % i for i in range(100000)]) + SMALL,
    "nul-in-header": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-Nul: a\x00b"]) + SMALL,
    "header-no-colon": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"ThisLineHasNoColon"]) + SMALL,
    "header-space-before-colon": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-Space : v"]) + SMALL,
    "header-folding": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-Folded: first", b" second"]) + SMALL,
    "header-empty-value": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-Empty:"]) + SMALL,
    "header-control-byte": hdr_block(b"HTTP/1.1 200 OK", OK15 + [b"X-Ctl: a\x01b"]) + SMALL,
    # chunked
    "chunked": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain", b"Transfer-Encoding: chunked"])
        + chunked(TEXT, 100),
    "chunked-ext-trailers": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain",
                                                           b"Transfer-Encoding: chunked",
                                                           b"Trailer: X-Trailer"])
        + b"5;name=value\r\nhello\r\n2;foo;bar=\"baz\"\r\n, \r\n8; spaced = x\r\nwinhttp\n\r\n"
        + b"0;last\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n",
    "chunked-and-length": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain",
                                                         b"Content-Length: 1000",
                                                         b"Transfer-Encoding: chunked"]) + chunked(SMALL),
    "chunked-uppercase-hex": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"0F\r\n" + SMALL + b"\r\n0\r\n\r\n",
    "chunk-negative": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"-5\r\nhello\r\n0\r\n\r\n",
    "chunk-nonhex": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"zz\r\nhello\r\n0\r\n\r\n",
    "chunk-overflow": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"ffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
    "chunk-missing-crlf": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"5\r\nhelloXX0\r\n\r\n",
    "chunked-truncated": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"f\r\nhello,",
    "chunked-no-last": hdr_block(b"HTTP/1.1 200 OK", [b"Transfer-Encoding: chunked"])
        + b"f\r\n" + SMALL + b"\r\n",
    # Content-Length
    "cl-conflict": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Length: 15", b"Content-Length: 10"]) + SMALL,
    "cl-conflict-list": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Length: 15, 10"]) + SMALL,
    "cl-duplicate-same": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Length: 15", b"Content-Length: 15"]) + SMALL,
    "cl-negative": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Length: -1"]) + SMALL,
    "cl-overflow": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Length: 99999999999999999999999"]) + SMALL,
    "cl-nonnumeric": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Length: abc"]) + SMALL,
    "early-close": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain", b"Content-Length: 100"]) + SMALL,
    "extra-body": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain", b"Content-Length: 5"]) + SMALL,
    "empty-reply": b"",
    # status codes with bodies that must not be there
    "204-with-body": hdr_block(b"HTTP/1.1 204 No Content", [b"Content-Length: 15"]) + SMALL,
    "304": hdr_block(b"HTTP/1.1 304 Not Modified", [b"ETag: \"winhttp\"", b"Content-Length: 100"]),
    "304-with-body": hdr_block(b"HTTP/1.1 304 Not Modified", [b"ETag: \"winhttp\""]) + SMALL,
    # interim responses
    "100-continue": b"HTTP/1.1 100 Continue\r\n\r\n" + hdr_block(b"HTTP/1.1 200 OK", OK15) + SMALL,
    "1xx-multiple": b"HTTP/1.1 102 Processing\r\n\r\n"
        + b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        + b"HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
        + hdr_block(b"HTTP/1.1 200 OK", OK15) + SMALL,
    # content codings; each decodes to text.txt (960 bytes)
    "gzip": encoded(b"gzip", gz(TEXT)),
    "gzip-chunked": hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain", b"Content-Encoding: gzip",
                                                   b"Transfer-Encoding: chunked"]) + chunked(gz(TEXT), 64),
    "deflate": encoded(b"deflate", zlib.compress(TEXT)),
    "deflate-raw": encoded(b"deflate", raw_deflate(TEXT)),
    "gzip-corrupt": encoded(b"gzip", gz(TEXT)[:10] + b"\xff" * 40 + gz(TEXT)[50:]),
    "gzip-truncated": encoded(b"gzip", gz(TEXT)[:-20]),
    "unknown-encoding": encoded(b"x-unknown", TEXT),
}


def raw_secs(req, default=60.0):
    try:
        return max(0.0, min(float(req.arg("secs", default)), MAX_SECS))
    except ValueError:
        return default


def raw_interval(req, default=100):
    try:
        return max(1, min(int(req.arg("ms", default)), 10000)) / 1000.0
    except ValueError:
        return default / 1000.0


def slow_send(conn, req, head, piece_fn):
    deadline = time.monotonic() + raw_secs(req)
    interval = raw_interval(req)
    if head:
        conn.send(head)
    i = 0
    while time.monotonic() < deadline:
        conn.send(piece_fn(i))
        i += 1
        if conn.peer_closed(interval):
            return


def raw_endless_body(conn, req):
    slow_send(conn, req, hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain", b"Connection: close"]),
              lambda i: SMALL)


def raw_endless_chunked(conn, req):
    slow_send(conn, req, hdr_block(b"HTTP/1.1 200 OK", [b"Content-Type: text/plain",
                                                        b"Transfer-Encoding: chunked"]),
              lambda i: b"f\r\n" + SMALL + b"\r\n")


def raw_endless_headers(conn, req):
    slow_send(conn, req, b"HTTP/1.1 200 OK\r\n", lambda i: b"X-Slow-%d: a\r\n" % i)


def raw_slow_body(conn, req):
    """15 bytes of a Content-Length: 15 body, one every ?ms= (100 ms)."""
    interval = raw_interval(req)
    conn.send(hdr_block(b"HTTP/1.1 200 OK", OK15))
    for b in SMALL:
        if conn.peer_closed(interval):
            return
        conn.send(bytes([b]))


def raw_never_respond(conn, req):
    deadline = time.monotonic() + raw_secs(req)
    while time.monotonic() < deadline:
        if conn.peer_closed(min(0.5, max(0.01, deadline - time.monotonic()))):
            return


def raw_reset(conn, req):
    return "reset"


RAW_FUNCS = {
    "endless-body": raw_endless_body,
    "endless-chunked": raw_endless_chunked,
    "endless-headers": raw_endless_headers,
    "slow-body": raw_slow_body,
    "never-respond": raw_never_respond,
    "reset": raw_reset,
}


def ep_raw(conn, req):
    name = req.path[len("/raw/"):]
    if name == "":
        names = sorted(list(RAW) + list(RAW_FUNCS))
        return respond(conn, req, 200, "".join(n + "\n" for n in names).encode())
    if name not in RAW and name not in RAW_FUNCS:
        return respond(conn, req, 404, b"no such raw scenario\n")
    try:
        req.read_body(conn)
    except BadRequest:
        pass
    if name in RAW:
        conn.send(RAW[name])
    elif RAW_FUNCS[name](conn, req) == "reset":
        conn.reset()
        return "reset"
    return False


def ep_hostile_auth(conn, req):
    req.read_body(conn)
    status, headers, body = hostile_auth.handle(req)
    return respond(conn, req, status, body, headers)


ROUTES = [
    ("/echo", ep_echo),
    ("/sink", ep_sink),
    ("/bytes", ep_bytes),
    ("/delay", ep_delay),
    ("/status/", ep_status),
    ("/redirect", ep_redirect),
    ("/cookie/set", ep_cookie_set),
    ("/cookie/echo", ep_cookie_echo),
    ("/count", ep_count),
    ("/raw/", ep_raw),
    ("/hostile-auth", ep_hostile_auth),
]


def route(path):
    for prefix, fn in ROUTES:
        if prefix.endswith("/"):
            if path.startswith(prefix):
                return fn
        elif path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?"):
            return fn
    return None


def ep_notfound(conn, req):
    req.read_body(conn)
    return respond(conn, req, 404, b"not found\n")


# ---------------------------------------------------------------- main loop

def serve(conn):
    while True:
        try:
            head = conn.read_head()
        except BadRequest as e:
            STATE.log("conn %d: bad request (%s)" % (conn.cid, e))
            conn.send(b"HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        conn.nreq += 1
        try:
            req = Request(head)
        except BadRequest as e:
            STATE.log("conn %d: bad request (%s): %r" % (conn.cid, e, head[:200]))
            conn.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        STATE.log("conn %d req %d: %s %s %s" % (conn.cid, conn.nreq, req.method, req.target, req.version))
        with STATE.lock:
            if not req.path.startswith("/count"):
                STATE.used.add(conn.cid)
                for tag in req.args("ctag"):
                    STATE.tags.setdefault(tag, set()).add(conn.cid)
        if req.method == "CONNECT":
            conn.send(b"HTTP/1.1 200 Connection established\r\n\r\n")
            conn.nreq = 0
            continue
        fn = route(req.path) or ep_notfound
        try:
            keep = fn(conn, req)
        except BadRequest as e:
            STATE.log("conn %d: bad request body (%s)" % (conn.cid, e))
            conn.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        if keep == "reset":
            return "reset"
        if not keep:
            return


def handle(sock, addr):
    cid = STATE.new_connection()
    conn = Conn(sock, cid)
    result = None
    try:
        result = serve(conn)
    except Closed:
        pass
    except Exception:
        STATE.log("conn %d: internal error\n%s" % (cid, traceback.format_exc()))
    if result != "reset":
        conn.close()


def main():
    global STATE
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--host", default="127.0.0.1")
    opts = ap.parse_args()

    log = open(opts.log, "a") if opts.log else sys.stderr
    STATE = State(log)
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    signal.signal(signal.SIGINT, lambda *a: os._exit(0))

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((opts.host, opts.port))
    srv.listen(256)
    port = srv.getsockname()[1]
    if opts.port_file:
        tmp = opts.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, opts.port_file)
    STATE.log("listening on %s:%d" % (opts.host, port))
    while True:
        try:
            sock, addr = srv.accept()
        except OSError:
            time.sleep(0.01)
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        t = threading.Thread(target=handle, args=(sock, addr), daemon=True)
        t.start()


if __name__ == "__main__":
    main()
