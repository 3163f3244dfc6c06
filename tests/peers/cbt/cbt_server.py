#!/usr/bin/env python3
"""An HTTP acceptor that enforces Extended Protection (channel bindings).

mod_auth_gssapi 1.6 cannot require channel bindings, so this server plays a
"fully hardened" Windows server itself: python3-gssapi (MIT krb5, and
gss-ntlmssp for NTLM) accepts the client's tokens with the channel bindings
of RFC 5056 / RFC 5929 section 4 ("tls-server-end-point:" followed by the
hash of its own certificate, the hash of the certificate's signature
algorithm, SHA-256 for MD5 and SHA-1) as the application data.

Several listeners in one process, all on 127.0.0.1 (the port file says which
is where, one "NAME PORT" a line):
  tls256   TLS, a certificate signed with SHA-256
  tls384   TLS, a certificate signed with SHA-384 (so a client that always
           hashes with SHA-256 is caught)
  plain    no TLS

Paths (the query string is ignored):
  /cbt/ok, /cbt/ntlm-ok
      the channel's own binding, REQUIRED: 200 "bound\n" only when the
      client's authenticator carried exactly this binding.
  /cbt/mismatch, /cbt/ntlm-mismatch
      a deliberately wrong binding (what a server sees through a relay):
      a correct client is rejected with 401 and X-Cbt-Result: bad-bindings.
  /cbt/none, /cbt/ntlm-none
      not required ("partially hardened"): over TLS the channel's binding,
      over plain http a canary binding nobody can know, so a client that
      sends any binding there fails (bad-bindings) and one that sends none
      gets 200 "unbound\n".
The Kerberos paths answer "WWW-Authenticate: Negotiate", the NTLM paths
"WWW-Authenticate: NTLM".  Every answer to an Authorization header says
X-Cbt-Result (bound, unbound, bad-bindings, unbound-refused, error:TEXT,
continue), and a completed context X-Cbt-Target (the principal the client
asked for), X-Cbt-User (the initiator) and X-Cbt-Mech.  One log line per
request: "PORTNAME PATH?QUERY conn=N status RESULT target=... user=...".

Environment: KRB5_KTNAME (the HTTP/localhost keytab), KRB5_CONFIG,
NTLM_USER_FILE (gss-ntlmssp's users), KRB5RCACHETYPE=none.
"""
import argparse
import base64
import errno
import hashlib
import http.server
import itertools
import os
import socketserver
import ssl
import sys
import threading

import gssapi
import gssapi.raw as graw

PREFIX = b"tls-server-end-point:"
NTLMSSP_OID = gssapi.OID.from_int_seq("1.3.6.1.4.1.311.2.2.10")
KRB5_OID = gssapi.OID.from_int_seq("1.2.840.113554.1.2.2")
SPNEGO_OID = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")

# Signature algorithm OIDs (DER content octets) -> hashlib name, RFC 5929 4.1:
# MD5 and SHA-1 become SHA-256.
SIG_HASH = {
    "1.2.840.113549.1.1.4": "sha256",   # md5WithRSAEncryption
    "1.2.840.113549.1.1.5": "sha256",   # sha1WithRSAEncryption
    "1.2.840.113549.1.1.11": "sha256",
    "1.2.840.113549.1.1.12": "sha384",
    "1.2.840.113549.1.1.13": "sha512",
    "1.2.840.10045.4.1": "sha256",      # ecdsa-with-SHA1
    "1.2.840.10045.4.3.2": "sha256",
    "1.2.840.10045.4.3.3": "sha384",
    "1.2.840.10045.4.3.4": "sha512",
}


def der_read(buf, pos):
    """(tag, content start, content end) of the DER element at pos."""
    tag = buf[pos]
    n = buf[pos + 1]
    pos += 2
    if n & 0x80:
        count = n & 0x7f
        n = int.from_bytes(buf[pos:pos + count], "big")
        pos += count
    return tag, pos, pos + n


def oid_text(content):
    first = content[0]
    parts = [first // 40, first % 40]
    value = 0
    for b in content[1:]:
        value = (value << 7) | (b & 0x7f)
        if not b & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def signature_oid(der):
    """Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, ... }"""
    _, start, _ = der_read(der, 0)
    _, _, tbs_end = der_read(der, start)
    _, alg_start, _ = der_read(der, tbs_end)
    tag, oid_start, oid_end = der_read(der, alg_start)
    assert tag == 0x06
    return oid_text(der[oid_start:oid_end])


def end_point_binding(der):
    oid = signature_oid(der)
    if oid not in SIG_HASH:
        raise ValueError(f"no RFC 5929 hash for signature algorithm {oid}")
    return PREFIX + hashlib.new(SIG_HASH[oid], der).digest()


def name_text(name):
    # gss-ntlmssp's names end in a NUL, which has no place in a header.
    return graw.display_name(name, name_type=False).name.rstrip(b"\0").decode() if name is not None else ""


def bindings(app_data):
    return graw.ChannelBindings(application_data=app_data) if app_data is not None else None


log_lock = threading.Lock()
conn_ids = itertools.count(1)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "winhttp-cbt-test"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        self.conn_id = next(conn_ids)
        self.gss = None       # the context of this connection (NTLM takes two legs)
        self.gss_path = None

    def log(self, status, result, extra=""):
        with log_lock, open(self.server.log_path, "a") as f:
            f.write(f"{self.server.name} {self.path} conn={self.conn_id} {status} {result}{extra}\n")

    def reply(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def expected_binding(self, mode):
        """(application data the acceptor insists on or None, required)"""
        own = self.server.binding
        if mode == "ok":
            return own, True
        if mode == "mismatch":
            # Right prefix and length, wrong hash: a relayed connection.
            return PREFIX + hashlib.sha256(b"not the certificate of this channel").digest(), True
        if own is not None:
            return own, False
        return PREFIX + hashlib.sha256(b"canary: plain http has no channel").digest(), False

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        routes = {"/cbt/ok": ("Negotiate", "ok"), "/cbt/mismatch": ("Negotiate", "mismatch"),
                  "/cbt/none": ("Negotiate", "none"), "/cbt/ntlm-ok": ("NTLM", "ok"),
                  "/cbt/ntlm-mismatch": ("NTLM", "mismatch"), "/cbt/ntlm-none": ("NTLM", "none")}
        if path not in routes:
            self.log(404, "-")
            return self.reply(404, "not found\n")
        scheme, mode = routes[path]
        auth = self.headers.get("Authorization", "")
        word, _, token = auth.partition(" ")
        if word.lower() != scheme.lower() or not token.strip():
            self.gss = None
            self.log(401, "challenge")
            return self.reply(401, "authenticate\n", [("WWW-Authenticate", scheme)])
        try:
            token = base64.b64decode(token.strip(), validate=True)
        except ValueError:
            self.log(400, "bad-base64")
            return self.reply(400, "bad token\n")

        app_data, required = self.expected_binding(mode)
        # A new exchange unless this continues the one of this connection.
        # The raw API: the high-level step() keeps SPNEGO's error behind
        # its reject token.
        if self.gss is None or self.gss_path != path:
            mechs = [NTLMSSP_OID] if scheme == "NTLM" else None
            self.gss = [None, gssapi.Credentials(usage="accept", mechs=mechs)]
            self.gss_path = path
        try:
            res = graw.accept_sec_context(token, acceptor_creds=self.gss[1], context=self.gss[0],
                                          channel_bindings=bindings(app_data))
        except gssapi.exceptions.BadChannelBindingsError:
            self.gss = None
            self.log(401, "bad-bindings")
            return self.reply(401, "channel bindings do not match\n",
                              [("WWW-Authenticate", scheme), ("X-Cbt-Result", "bad-bindings")])
        except gssapi.exceptions.GSSError as e:
            self.gss = None
            text = " ".join(str(e).split())[:300]
            result = "error"
            # gss-ntlmssp says a binding mismatch with GSS_S_DEFECTIVE_TOKEN
            # and EACCES (a wrong password is GSS_S_FAILURE).
            if scheme == "NTLM" and isinstance(e, graw.exceptions.InvalidTokenError) and e.min_code == errno.EACCES:
                result = "bad-bindings"
            self.log(401, result, f" {text}")
            return self.reply(401, "authentication failed\n",
                              [("WWW-Authenticate", scheme), ("X-Cbt-Result", result), ("X-Cbt-Error", text)])
        self.gss[0] = res.context
        out_hdr = [("WWW-Authenticate", f"{scheme} {base64.b64encode(res.token).decode()}")] if res.token else []
        if res.more_steps:
            self.log(401, "continue")
            return self.reply(401, "continue\n", out_hdr + [("X-Cbt-Result", "continue")])

        # MIT krb5 accepts an authenticator without bindings even when the
        # acceptor gives some; GSS_C_CHANNEL_BOUND_FLAG says whether they
        # were there and matched.
        bound = graw.RequirementFlag.channel_bound in res.flags
        target = ""
        if res.mech == KRB5_OID:
            # The principal of the ticket: the service the client asked for.
            # (gss-ntlmssp 1.2 crashes when asked for its target name.)
            target = name_text(graw.inquire_context(res.context, initiator_name=False, target_name=True,
                                                    lifetime=False, mech=False, flags=False, locally_init=False,
                                                    complete=False).target_name)
        user = name_text(res.initiator_name)
        mech = {KRB5_OID: "krb5", NTLMSSP_OID: "ntlmssp", SPNEGO_OID: "spnego"}.get(res.mech, str(res.mech))
        info = [(k, v) for k, v in (("X-Cbt-Target", target), ("X-Cbt-User", user), ("X-Cbt-Mech", mech)) if v]
        extra = f" target={target} user={user} mech={mech}"
        self.gss = None
        if required and not bound:
            self.log(401, "unbound-refused", extra)
            return self.reply(401, "channel bindings required\n",
                              [("WWW-Authenticate", scheme), ("X-Cbt-Result", "unbound-refused")] + info)
        result = "bound" if bound else "unbound"
        self.log(200, result, extra)
        return self.reply(200, result + "\n", out_hdr + [("X-Cbt-Result", result)] + info)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = False


def make_server(name, certfile, keyfile, log_path):
    srv = Server(("127.0.0.1", 0), Handler)
    srv.name = name
    srv.log_path = log_path
    srv.binding = None
    if certfile:
        der = ssl.PEM_cert_to_DER_cert(open(certfile).read())
        srv.binding = end_point_binding(der)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(certfile, keyfile)
        # The handshake in the connection's thread, not in accept().
        srv.socket = tls.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
    return srv


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pki", required=True, help="directory with tls256.pem/.key, tls384.pem/.key")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()

    servers = [make_server("tls256", f"{args.pki}/tls256.pem", f"{args.pki}/tls256.key", args.log),
               make_server("tls384", f"{args.pki}/tls384.pem", f"{args.pki}/tls384.key", args.log),
               make_server("plain", None, None, args.log)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        for s in servers:
            f.write(f"{s.name} {s.server_address[1]}\n")
            if s.binding:
                f.write(f"{s.name}-binding {s.binding.hex()}\n")
    os.rename(tmp, args.port_file)
    threading.Event().wait()


if __name__ == "__main__":
    sys.exit(main())
