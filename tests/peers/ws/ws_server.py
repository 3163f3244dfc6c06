#!/usr/bin/python3
"""WebSocket peers for tests/websocket.c, one asyncio process on loopback.

The real server is Debian's python3-websockets (an independent RFC 6455
implementation), on a plain port and, when a certificate is given, a TLS
port.  Paths:
  /echo           echoes every message (reassembled) as one frame; accepts the
                  subprotocols "chat" and "superchat"
  /greet          sends the text message "hello" first, then echoes
  /fragments      sends the text message "one" "two" "three" as three fragments,
                  then the binary message 0x00..0xff as two fragments, then echoes
  /ping           pings with payload "are you there", waits for our pong, then
                  sends the text message "pong received" and echoes
  /close?code=N&reason=R   closes with N and R right after the handshake
  /big?n=N        sends one binary message of N bytes (byte i = i % 251), then echoes
  /count          echoes; after the connection ends, its message count is in the log

The hostile server (raw sockets, no library) answers the handshake correctly
unless the path says otherwise, then misbehaves:
  /masked             a masked text frame (servers must not mask: 1002)
  /rsv                a text frame with RSV1 set (no extension: 1002)
  /opcode             a frame with reserved opcode 3 (1002)
  /bigping            a ping of 126 bytes (1002)
  /badutf8            a text message that is not UTF-8 (1007)
  /badclose           a close frame whose reason is not UTF-8 (1007)
  /close1005          a close frame carrying 1005 on the wire (1002)
  /huge               a frame claiming 2^63 bytes (1002)
  /drop               half a frame, then the TCP connection closes
  /noreply            answers nothing ever (a close gets no reply)
  /badaccept          a 101 whose Sec-WebSocket-Accept is wrong
  /notws              a 200 instead of a 101
  /checkmask          reads 4 client frames, then sends the text message "masked"
                      if each was masked with a different key, else "unmasked"
  /leftover           the 101 head and a text frame "early" in the same write
For every connection the hostile server logs the close status the client sent
("CLOSE path status") or "EOF path" to the log file.
"""
import argparse
import asyncio
import base64
import hashlib
import os
import ssl
import struct
import sys
import urllib.parse

import websockets
import websockets.version

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
log_file = None


def log(line):
    log_file.write(line + "\n")
    log_file.flush()


async def real_handler(ws, path=None):
    if path is None:
        # websockets >= 13 (Debian 13): the request is on the connection.
        path = ws.request.path if hasattr(ws, "request") else ws.path
    url = urllib.parse.urlsplit(path)
    query = dict(urllib.parse.parse_qsl(url.query))
    count = 0
    try:
        if url.path == "/greet":
            await ws.send("hello")
        elif url.path == "/fragments":
            await ws.send(["one", "two", "three"])
            await ws.send([bytes(range(128)), bytes(range(128, 256))])
        elif url.path == "/ping":
            waiter = await ws.ping(b"are you there")
            await asyncio.wait_for(waiter, 10)
            await ws.send("pong received")
        elif url.path == "/close":
            await ws.close(int(query.get("code", "1000")), query.get("reason", ""))
            return
        elif url.path == "/big":
            n = int(query.get("n", "1048576"))
            await ws.send(bytes(i % 251 for i in range(n)))
        async for message in ws:
            count += 1
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    finally:
        log("REAL %s messages=%d code=%s" % (url.path, count, ws.close_code))


def accept_key(key):
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


def frame(opcode, payload, fin=True, rsv=0, mask=None, length=None):
    n = len(payload) if length is None else length
    head = bytes([(0x80 if fin else 0) | (rsv << 4) | opcode])
    mbit = 0x80 if mask else 0
    if n < 126:
        head += bytes([mbit | n])
    elif n < 65536:
        head += bytes([mbit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([mbit | 127]) + struct.pack(">Q", n)
    if mask:
        head += mask
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + payload


async def read_frame(reader):
    b0, b1 = await reader.readexactly(2)
    n = b1 & 0x7f
    if n == 126:
        n = struct.unpack(">H", await reader.readexactly(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", await reader.readexactly(8))[0]
    key = await reader.readexactly(4) if b1 & 0x80 else None
    payload = await reader.readexactly(n)
    if key:
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return b0 & 0x0f, key, payload


async def hostile(reader, writer):
    path = "?"
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        lines = head.decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        key = ""
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "sec-websocket-key":
                key = value.strip()
        if path == "/notws":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nno")
            await writer.drain()
            await asyncio.sleep(1)
            return
        accept = "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" if path == "/badaccept" else accept_key(key)
        response = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode()
        if path == "/leftover":
            writer.write(response + frame(1, b"early"))
        else:
            writer.write(response)
        await writer.drain()
        bad = {
            "/masked": frame(1, b"hello", mask=b"\x01\x02\x03\x04"),
            "/rsv": frame(1, b"hello", rsv=4),
            "/opcode": frame(3, b"hello"),
            "/bigping": frame(9, b"x" * 126),
            "/badutf8": frame(1, b"\xed\xa0\x80"),
            "/badclose": frame(8, struct.pack(">H", 1000) + b"\xff\xfe"),
            "/close1005": frame(8, struct.pack(">H", 1005)),
            "/huge": bytes([0x82, 0x7f]) + struct.pack(">Q", 1 << 63),
        }
        if path in bad:
            writer.write(bad[path])
            await writer.drain()
        elif path == "/drop":
            writer.write(frame(2, b"x" * 100)[:50])
            await writer.drain()
            writer.close()
            log("EOF %s" % path)
            return
        elif path == "/checkmask":
            keys = set()
            masked = True
            for i in range(4):
                opcode, k, payload = await asyncio.wait_for(read_frame(reader), 10)
                masked = masked and k is not None
                keys.add(k)
            ok = masked and len(keys) == 4
            writer.write(frame(1, b"masked" if ok else b"unmasked"))
            await writer.drain()
        elif path == "/noreply":
            await asyncio.sleep(30)
            return
        # Whatever the client says next: a close frame's status, or the end.
        while True:
            opcode, k, payload = await asyncio.wait_for(read_frame(reader), 15)
            if opcode == 8:
                status = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
                log("CLOSE %s %d" % (path, status))
                writer.write(frame(8, payload[:2]))
                await writer.drain()
                break
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.TimeoutError, IndexError):
        log("EOF %s" % path)
    finally:
        writer.close()


async def main():
    global log_file
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls-port", type=int)
    parser.add_argument("--hostile-port", type=int, required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    log_file = open(args.log, "a")
    kwargs = dict(subprotocols=["chat", "superchat"], max_size=None, ping_interval=None)
    if int(websockets.version.version.split(".")[0]) >= 13:
        # The newer server refuses a client that offers no subprotocol when
        # it has some; the echo tests offer none, as the older one allowed.
        kwargs["select_subprotocol"] = lambda conn, offered: next(
            (p for p in offered if p in ("chat", "superchat")), None)
    await websockets.serve(real_handler, "127.0.0.1", args.port, **kwargs)
    if args.tls_port and args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        await websockets.serve(real_handler, "127.0.0.1", args.tls_port, ssl=ctx, **kwargs)
    await asyncio.start_server(hostile, "127.0.0.1", args.hostile_port)
    await asyncio.Future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
