#!/usr/bin/env python3
"""A CRL distribution point that takes its time (the tls plugin's SLOWCRLPOINT).

GET /ca.crl answers with the test CA's CRL after --delay seconds; every
request is logged ("start /ca.crl" when it arrives, "sent /ca.crl" once
answered, "gone /ca.crl" when the client left first) so a test can tell when
the DLL's revocation fetch is under way.  Anything else is a 404.

    slow_crl.py --port PORT --crl FILE --delay SECS --log FILE
"""
import argparse
import http.server
import socketserver
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--crl", required=True)
    ap.add_argument("--delay", type=float, default=4.0)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    crl = open(args.crl, "rb").read()
    log = open(args.log, "a", buffering=1)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):
            pass

        def do_GET(self):
            if self.path != "/ca.crl":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            log.write("start %s\n" % self.path)
            time.sleep(args.delay)
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(crl)))
                self.end_headers()
                self.wfile.write(crl)
                self.wfile.flush()
                log.write("sent %s\n" % self.path)
            except OSError:
                log.write("gone %s\n" % self.path)

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    Server(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    sys.exit(main())
