#!/usr/bin/env python3
"""The Passport 1.4 peer (python3 stdlib only): one process, three roles on
three loopback ports, as "Passport Authentication in WinHTTP" describes them.

  nexus    any GET: 200 with "PassportURLs: DARealm=..,DALogin=..,ConfigVersion=.."
  login    /login2.srf: "Authorization: Passport1.4 OrgVerb=..,OrgURL=..,
           [sign-in=..,pwd=..,]<partner params>".  No or wrong credentials:
           401 "WWW-Authenticate: Passport1.4 da-status=failed,..,cbtxt=..,cburl=..";
           right ones: 302 back to OrgURL with "Authentication-Info: Passport1.4
           da-status=success,..,from-PP='t=..&p=..'"
  partner  /protected/ANYTHING: 200 with "Authorization: Passport1.4
           from-PP='<the tickets>'", else 302 to the login server with
           "WWW-Authenticate: Passport1.4 <params>"; /open: 200 always

Every port answers GET /log with the log: one line per request,
"ROLE METHOD PATH key=value...", where the login server notes the sign-in
name and whether the password matched (never the password), and every role
notes "password-seen" when the password appears anywhere in the request head.
"""
import argparse
import os
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
log_lines = []
args = None
TICKET = "t=" + secrets.token_hex(16) + "&p=" + secrets.token_hex(8)
REALM = "WinHTTPTest"
CBTXT = "Welcome to the WinHTTP test partner"
PARAMS = "lc=1033,id=10,tw=20,fs=1,ct=1700000000,kpp=1,kv=4,ver=2.1.6000.1,rn=wtest,tpf=0123abcd"


def log(line):
    with lock:
        log_lines.append(line)


def parse_params(value):
    """name=value pairs of a Passport1.4 header, quotes (' or ") dropped."""
    out, i, n = {}, 0, len(value)
    while i < n:
        while i < n and value[i] in ", \t":
            i += 1
        j = i
        while j < n and value[j] not in "=,":
            j += 1
        name = value[i:j].strip().lower()
        if j < n and value[j] == "=":
            j += 1
            if j < n and value[j] in "'\"":
                q = value[j]
                k = value.find(q, j + 1)
                k = n if k < 0 else k
                out[name] = value[j + 1:k]
                j = k + 1
            else:
                k = value.find(",", j)
                k = n if k < 0 else k
                out[name] = value[j:k].strip()
                j = k
        elif name:
            out[name] = ""
        i = j
    return out


def passport_auth(headers):
    auth = headers.get("Authorization", "")
    if not auth.lower().startswith("passport1.4"):
        return None
    return parse_params(auth[len("passport1.4"):])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    role = "?"

    def log_message(self, *a):
        pass

    def send(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0") or 0)
        if n:
            self.rfile.read(n)
        self.do_GET()

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        if self.path == "/log":
            with lock:
                text = "".join(l + "\n" for l in log_lines)
            return self.send(200, text.encode())
        head = str(self.headers)
        seen = " password-seen" if args.password in head or urllib.parse.quote(args.password, safe="") in head else ""
        getattr(self, "role_" + self.role)(seen)

    def role_nexus(self, seen):
        log(f"nexus {self.command} {self.path}{seen}")
        urls = (f"DARealm={REALM},DALogin=http://127.0.0.1:{args.login_port}/login2.srf,"
                f"DAReg=http://127.0.0.1:{args.login_port}/reg,ConfigVersion=14")
        self.send(200, b"nexus\n", [("PassportURLs", urls)])

    def role_login(self, seen):
        p = passport_auth(self.headers)
        if p is None:
            log(f"login {self.command} {self.path} auth=none{seen}")
            return self.send(401, b"no passport\n", [("WWW-Authenticate", "Passport1.4 da-status=failed")])
        user = urllib.parse.unquote(p.get("sign-in", ""))
        pwd = urllib.parse.unquote(p.get("pwd", ""))
        org_url = urllib.parse.unquote(p.get("orgurl", ""))
        verdict = "none" if "sign-in" not in p else ("ok" if user == args.user and pwd == args.password else "bad")
        log(f"login {self.command} {self.path} orgverb={p.get('orgverb', '')} orgurl={org_url} "
            f"sign-in={user or '-'} pwd={verdict} ct={p.get('ct', '-')}{seen}")
        if verdict != "ok":
            cburl = urllib.parse.quote(f"http://127.0.0.1:{args.partner_port}/cobrand.png", safe="")
            return self.send(401, b"sign in\n", [("WWW-Authenticate",
                             f"Passport1.4 da-status=failed,srealm={REALM},ts=-3,prompt,"
                             f"cburl={cburl},cbtxt={urllib.parse.quote(CBTXT)}")])
        info = (f"Passport1.4 da-status=success,tname=MSPAuth,tname=MSPProf,tname=MSPSec,"
                f"from-PP='{TICKET}',ru={org_url}")
        self.send(302, b"signed in\n", [("Location", org_url or "/"), ("Authentication-Info", info)])

    def role_partner(self, seen):
        p = passport_auth(self.headers)
        ticket = p.get("from-pp") if p else None
        if ticket is None:
            kind = "none"
        elif ticket == TICKET:
            kind = "ticket"
        else:
            kind = "badticket"
        if p and "sign-in" in p:
            kind += "+sign-in"
        log(f"partner {self.command} {self.path} auth={kind}{seen}")
        if self.path.startswith("/open"):
            return self.send(200, b"open\n")
        if kind == "ticket":
            return self.send(200, b"partner: welcome\n")
        ru = urllib.parse.quote(f"http://127.0.0.1:{args.partner_port}{self.path}", safe="")
        login = f"http://127.0.0.1:{args.login_port}/login2.srf?{PARAMS.replace(',', '&')}&ru={ru}"
        self.send(302, b"passport required\n", [("Location", login),
                                                ("WWW-Authenticate", f"Passport1.4 {PARAMS},ru={ru}")])


def serve(role, port):
    handler = type(role, (Handler,), {"role": role})
    srv = ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()


def main():
    global args
    ap = argparse.ArgumentParser()
    ap.add_argument("--nexus-port", type=int, required=True)
    ap.add_argument("--login-port", type=int, required=True)
    ap.add_argument("--partner-port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-env", required=True)
    args = ap.parse_args()
    args.password = os.environ[args.password_env]
    serve("nexus", args.nexus_port)
    serve("login", args.login_port)
    serve("partner", args.partner_port)
    threading.Event().wait()


if __name__ == "__main__":
    main()
