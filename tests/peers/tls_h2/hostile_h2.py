#!/usr/bin/python3
"""A scripted, misbehaving HTTP/2 server over TLS (ALPN h2) for the tests.

Each request's path picks the misbehaviour (the test names what WinHTTP must
report for it):

  /ok            200, "h2 ok\n"
  /goaway-once   the first time: GOAWAY (last stream 0, nothing processed)
                 and the connection closed; later: 200 "after goaway\n".
                 The client retries the unprocessed request on a new connection.
  /goaway-always GOAWAY every time
  /rst           RST_STREAM (INTERNAL_ERROR) on the request's stream, the
                 connection stays usable
  /bigheaders    a response head of about 200 KiB in 200 fields
  /nowindow      the server's SETTINGS give streams a window of 0 and it never
                 opens it: a request body cannot be sent
  /drop          HEADERS (content-length 100000), 1000 bytes of DATA, then the
                 TCP connection closes mid-stream
  /slow          200 after 3 seconds (timeouts)
  /http11        RST_STREAM (HTTP_1_1_REQUIRED): the client must ask again over
                 HTTP/1.1, which this server answers (without ALPN h2) with
                 200 "http/1.1 here\n" for any request
  /push          a PUSH_PROMISE for /pushed (stream 2) although the client's
                 SETTINGS_ENABLE_PUSH is 0, then the pushed response and the
                 request's own 200 "not pushed\n": a protocol error for the
                 client (RFC 9113 8.4), whose pushed body must not surface

Every connection's first line in the log is "conn N"; each request "N path",
each PING from the client "N ping".
"""
import argparse
import socket
import ssl
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events
import h2.errors
import h2.settings

lock = threading.Lock()
seen = {}
conn_serial = [0]


def log(args, text):
    with lock:
        with open(args.log, "a") as f:
            f.write(text + "\n")


def send_all(sock, conn):
    data = conn.data_to_send()
    if data:
        sock.sendall(data)


def serve(sock, args, nowindow):
    with lock:
        conn_serial[0] += 1
        serial = conn_serial[0]
    log(args, "conn %d" % serial)
    config = h2.config.H2Configuration(client_side=False, header_encoding="utf-8",
                                       validate_outbound_headers=False)
    conn = h2.connection.H2Connection(config=config)
    conn.initiate_connection()
    if nowindow:
        conn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 0})
    send_all(sock, conn)
    paths = {}
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            for ev in conn.receive_data(data):
                if isinstance(ev, h2.events.RequestReceived):
                    path = dict(ev.headers).get(":path", "/")
                    paths[ev.stream_id] = path
                    log(args, "%d %s" % (serial, path))
                    if handle(sock, conn, ev.stream_id, path) == "close":
                        send_all(sock, conn)
                        return
                elif isinstance(ev, h2.events.PingReceived):
                    log(args, "%d ping" % serial)
                elif isinstance(ev, h2.events.DataReceived):
                    conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            send_all(sock, conn)
    except (OSError, h2.exceptions.ProtocolError) as e:
        log(args, "%d error %r" % (serial, e))
    finally:
        try:
            sock.close()
        except OSError:
            pass


def serve_http11(sock, args):
    """A client that did not pick h2: one plain HTTP/1.1 answer."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode("latin-1")
        log(args, "http/1.1 %s" % line)
        body = b"http/1.1 here\n"
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % len(body) + body)
    except OSError:
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


def literal_block(headers):
    """An HPACK block of literals without indexing (RFC 7541 6.2.2), names
    and values under 127 bytes: leaves the connection's HPACK state alone."""
    out = b""
    for name, value in headers:
        name, value = name.encode(), value.encode()
        out += b"\x00" + bytes([len(name)]) + name + bytes([len(value)]) + value
    return out


def frame(kind, flags, sid, payload):
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + sid.to_bytes(4, "big") + payload


def respond(conn, sid, status, body, extra=()):
    headers = [(":status", str(status)), ("content-length", str(len(body))),
               ("content-type", "text/plain")] + list(extra)
    conn.send_headers(sid, headers)
    conn.send_data(sid, body, end_stream=True)


def handle(sock, conn, sid, path):
    name = path.split("?")[0]
    if name == "/ok":
        respond(conn, sid, 200, b"h2 ok\n")
    elif name == "/goaway-once":
        with lock:
            n = seen.get(path, 0)
            seen[path] = n + 1
        if n == 0:
            conn.close_connection(error_code=h2.errors.ErrorCodes.NO_ERROR, last_stream_id=0)
            return "close"
        respond(conn, sid, 200, b"after goaway\n")
    elif name == "/goaway-always":
        conn.close_connection(error_code=h2.errors.ErrorCodes.NO_ERROR, last_stream_id=0)
        return "close"
    elif name == "/rst":
        conn.reset_stream(sid, error_code=h2.errors.ErrorCodes.INTERNAL_ERROR)
    elif name == "/bigheaders":
        extra = [("x-big-%03d" % i, "v" * 1000) for i in range(200)]
        respond(conn, sid, 200, b"big\n", extra)
    elif name == "/nowindow":
        pass    # the body never comes: no answer
    elif name == "/drop":
        conn.send_headers(sid, [(":status", "200"), ("content-length", "100000")])
        conn.send_data(sid, b"x" * 1000)
        send_all(sock, conn)
        time.sleep(0.2)
        sock.shutdown(socket.SHUT_RDWR)
        return "close"
    elif name == "/http11":
        conn.reset_stream(sid, error_code=h2.errors.ErrorCodes.HTTP_1_1_REQUIRED)
    elif name == "/push":
        # h2 will not push to a client that disabled push: the frames are
        # written by hand, around h2's own output.
        send_all(sock, conn)
        promise = literal_block([(":method", "GET"), (":scheme", "https"), (":authority", "localhost"),
                                 (":path", "/pushed")])
        pushed = b"pushed body\n"
        sock.sendall(frame(0x5, 0x4, sid, (2).to_bytes(4, "big") + promise) +
                     frame(0x1, 0x4, 2, literal_block([(":status", "200")])) +
                     frame(0x0, 0x1, 2, pushed))
        respond(conn, sid, 200, b"not pushed\n")
    elif name == "/slow":
        time.sleep(3)
        respond(conn, sid, 200, b"slow\n")
    else:
        respond(conn, sid, 404, b"no such misbehaviour\n")
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--nowindow-port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(args.cert, args.key)
    ctx.set_alpn_protocols(["h2", "http/1.1"])

    def listener(port, nowindow):
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", port))
        ls.listen(64)
        while True:
            raw, _ = ls.accept()
            threading.Thread(target=handshake, args=(raw, nowindow), daemon=True).start()

    def handshake(raw, nowindow):
        # In its own thread: a probe that connects and sends nothing
        # (tools/testenv's port check) must not hold up the others.
        try:
            raw.settimeout(30)
            tls = ctx.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError):
            raw.close()
            return
        if tls.selected_alpn_protocol() != "h2":
            serve_http11(tls, args)
            return
        serve(tls, args, nowindow)

    threading.Thread(target=listener, args=(args.nowindow_port, True), daemon=True).start()
    listener(args.port, False)


if __name__ == "__main__":
    sys.exit(main())
