#!/usr/bin/env python3
"""An RFC 7616 HTTP Digest server for the WinHTTP tests (python3 stdlib only).

apache's mod_auth_digest knows MD5 and qop=auth only; this server speaks the
rest of RFC 7616: SHA-256, the -sess variants, userhash, stale nonces, the
username* parameter (RFC 8187), and RFC 2069's qop-less responses.  It checks
every response exactly, and the nonce count: a count that does not grow is a
replay and gets 401.

  digest_server.py --port N --user NAME --password-env VAR [--log FILE]

The path picks the challenge (query strings are ignored):
  /md5, /sha256, /md5-sess, /sha256-sess   that algorithm, qop="auth"
  /userhash         SHA-256 with userhash=true
  /stale            MD5; a correct response to the nonce of a first
                    challenge gets 401 with stale=true and a new nonce,
                    a correct response to that new nonce 200
  /noqop            MD5 without qop (RFC 2069)
  /both             two challenges: SHA-256 first, then MD5
  /utf8             SHA-256 with charset=UTF-8
A correct request gets 200 with the body "ok\\n", X-Remote-User, X-Digest-Nc
(the count received), X-Digest-Algorithm, and an Authentication-Info header
with rspauth (RFC 7616 section 3.5).  Every request is logged as one line:
  PATH STATUS user=NAME nc=NC algorithm=ALG reason=WHY
The password never appears in the log.
"""
import argparse
import hashlib
import os
import re
import secrets
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REALM = "winhttp rfc7616"
ALGORITHMS = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}

CONFIG = {
    "/md5": [("MD5", {})],
    "/sha256": [("SHA-256", {})],
    "/md5-sess": [("MD5-sess", {})],
    "/sha256-sess": [("SHA-256-sess", {})],
    "/userhash": [("SHA-256", {"userhash": True})],
    "/stale": [("MD5", {"stale_once": True})],
    "/noqop": [("MD5", {"noqop": True})],
    "/both": [("SHA-256", {}), ("MD5", {})],
    "/utf8": [("SHA-256", {"charset": True})],
}

lock = threading.Lock()
nonces = {}         # nonce -> {"path": p, "nc": last nc, "staled": bool}
log_file = None
user = password = None


def log(line):
    with lock:
        if log_file:
            with open(log_file, "a") as f:
                f.write(line + "\n")


def hexhash(alg, data):
    base = alg[:-5] if alg.endswith("-sess") else alg
    return ALGORITHMS[base](data.encode("utf-8")).hexdigest()


def parse_auth_params(text):
    """auth-param list of RFC 7235: token=token or token="quoted" ."""
    params, pos = {}, 0
    rx = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^,\s]*)\s*(,|$)')
    while pos < len(text):
        m = rx.match(text, pos)
        if not m:
            return None
        name = m.group(1).lower()
        if m.group(3) is not None:
            value = re.sub(r"\\(.)", r"\1", m.group(3))
        else:
            value = m.group(2)
        params[name] = value
        pos = m.end()
    return params


def new_nonce(path, staled=False):
    nonce = secrets.token_hex(16)
    with lock:
        nonces[nonce] = {"path": path, "nc": 0, "staled": staled}
    return nonce


def challenge(path, alg, opts, stale=False):
    parts = ['realm="%s"' % REALM]
    if not opts.get("noqop"):
        parts.append('qop="auth"')
    # A nonce handed out as the fresh one of a stale=true answer does not
    # go stale itself.
    parts.append('nonce="%s"' % new_nonce(path, staled=stale))
    parts.append('opaque="%s"' % "0pa9ue")
    parts.append("algorithm=%s" % alg)
    if stale:
        parts.append("stale=true")
    if opts.get("userhash"):
        parts.append("userhash=true")
    if opts.get("charset"):
        parts.append('charset=UTF-8')
    return "Digest " + ", ".join(parts)


def decode_ext_value(value):
    """RFC 8187 ext-value: charset'lang'pct-encoded."""
    m = re.match(r"(?i)(utf-8)'[^']*'(.*)$", value)
    if not m:
        return None
    return urllib.parse.unquote(m.group(2), encoding="utf-8", errors="strict")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, headers, body=b""):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def deny(self, path, config, why, stale=False, who="-", nc="-", alg="-"):
        log("%s 401 user=%s nc=%s algorithm=%s reason=%s" % (path, who, nc, alg, why))
        headers = [("WWW-Authenticate", challenge(path, a, o, stale)) for a, o in config]
        self.reply(401, headers, b"unauthorized\n")

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = urllib.parse.urlsplit(self.path).path
        config = CONFIG.get(path)
        if not config:
            log("%s 404" % path)
            self.reply(404, [], b"not found\n")
            return
        auth = self.headers.get("Authorization")
        if not auth:
            self.deny(path, config, "no-credentials")
            return
        scheme, _, rest = auth.partition(" ")
        if scheme.lower() != "digest":
            self.deny(path, config, "not-digest")
            return
        p = parse_auth_params(rest)
        if p is None:
            self.deny(path, config, "malformed")
            return
        alg = p.get("algorithm", "MD5")
        match = [o for a, o in config if a.lower() == alg.lower()]
        if not match:
            self.deny(path, config, "algorithm", alg=alg)
            return
        alg = [a for a, o in config if a.lower() == alg.lower()][0]
        opts = match[0]
        nonce = p.get("nonce", "")
        with lock:
            state = nonces.get(nonce)
        if not state or state["path"] != path:
            self.deny(path, config, "unknown-nonce", alg=alg)
            return
        if p.get("realm") != REALM or p.get("opaque") != "0pa9ue" or p.get("uri") != self.path:
            self.deny(path, config, "realm-opaque-uri", alg=alg)
            return
        # who: plain username, username* (RFC 8187) or a userhash
        if "username*" in p:
            who = decode_ext_value(p["username*"])
        else:
            who = p.get("username")
        if opts.get("userhash"):
            if p.get("userhash") != "true" or who != hexhash(alg, "%s:%s" % (user, REALM)):
                self.deny(path, config, "userhash", alg=alg)
                return
            who = user
        if who != user:
            self.deny(path, config, "user", who=who or "-", alg=alg)
            return
        qop, nc, cnonce = p.get("qop"), p.get("nc"), p.get("cnonce")
        ha1 = hexhash(alg, "%s:%s:%s" % (user, REALM, password))
        if alg.endswith("-sess"):
            ha1 = hexhash(alg, "%s:%s:%s" % (ha1, nonce, cnonce or ""))
        ha2 = hexhash(alg, "%s:%s" % (self.command, p.get("uri")))
        if opts.get("noqop"):
            if qop is not None:
                self.deny(path, config, "unexpected-qop", who=who, alg=alg)
                return
            expect = hexhash(alg, "%s:%s:%s" % (ha1, nonce, ha2))
        else:
            if qop != "auth" or not nc or not cnonce or not re.fullmatch(r"[0-9a-f]{8}", nc):
                self.deny(path, config, "qop-nc-cnonce", who=who, alg=alg)
                return
            expect = hexhash(alg, "%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2))
        if p.get("response") != expect:
            self.deny(path, config, "response", who=who, nc=nc or "-", alg=alg)
            return
        with lock:
            if nc:
                count = int(nc, 16)
                if count <= state["nc"]:
                    replay = True
                else:
                    replay = False
                    state["nc"] = count
            else:
                replay = False
            stale = opts.get("stale_once") and not state["staled"]
            if stale:
                state["staled"] = True
        if replay:
            self.deny(path, config, "replayed-nc", who=who, nc=nc, alg=alg)
            return
        if stale:
            # Correct, but the nonce has "expired": RFC 7616 section 3.3.
            log("%s 401 user=%s nc=%s algorithm=%s reason=stale" % (path, who, nc or "-", alg))
            headers = [("WWW-Authenticate", challenge(path, alg, opts, stale=True))]
            self.reply(401, headers, b"stale\n")
            return
        rspauth = None
        if qop:
            ha2r = hexhash(alg, ":%s" % p.get("uri"))
            rspauth = hexhash(alg, "%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, ha2r))
        log("%s 200 user=%s nc=%s algorithm=%s reason=ok" % (path, who, nc or "-", alg))
        headers = [("X-Remote-User", who), ("X-Digest-Nc", nc or "-"), ("X-Digest-Algorithm", alg)]
        if rspauth:
            headers.append(("Authentication-Info", 'rspauth="%s", qop=%s, nc=%s, cnonce="%s"' % (rspauth, qop, nc, cnonce)))
        self.reply(200, headers, b"ok\n")

    do_GET = do_POST = do_HEAD = do_PUT = handle_any


def main():
    global log_file, user, password
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-env", required=True)
    ap.add_argument("--log")
    args = ap.parse_args()
    log_file, user = args.log, args.user
    password = os.environ.get(args.password_env)
    if password is None:
        sys.exit("digest_server: %s is not set" % args.password_env)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
