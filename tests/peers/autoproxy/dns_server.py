#!/usr/bin/env python3
"""A tiny DNS responder for the WPAD tests (the autoproxy peer plugin).

Listens on UDP 127.0.0.1:53 (tools/run-tests points the test namespace's
resolv.conf there) and answers only names under the zone it is given:
  wpad.<zone> and <zone> names listed with --a NAME=ADDR  -> A ADDR
  any other name under the zone                          -> NXDOMAIN
  AAAA of a listed name                                  -> no data (NOERROR, empty)
Queries outside the zone get no answer at all, so a name that does not
resolve elsewhere in the test suite still times out as it did before.
Every query is logged as "QUERY <name> <type>" to --log.
"""
import argparse
import socket
import struct
import sys


def parse_name(data, off):
    labels = []
    while True:
        n = data[off]
        if n == 0:
            return '.'.join(labels), off + 1
        if n & 0xC0:
            raise ValueError('compression in a question')
        labels.append(data[off + 1:off + 1 + n].decode('ascii', 'replace'))
        off += 1 + n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--zone', required=True)
    ap.add_argument('--a', action='append', default=[])
    ap.add_argument('--log', required=True)
    ap.add_argument('--port', type=int, default=53)
    args = ap.parse_args()
    zone = args.zone.lower().rstrip('.')
    records = {}
    for item in args.a:
        name, addr = item.split('=')
        records[name.lower().rstrip('.')] = socket.inet_aton(addr)

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('127.0.0.1', args.port))
    log = open(args.log, 'a', buffering=1)
    print('ready', flush=True)
    while True:
        data, peer = sock.recvfrom(4096)
        try:
            qid, flags, qd = struct.unpack('!HHH', data[:6])
            name, off = parse_name(data, 12)
            qtype, qclass = struct.unpack('!HH', data[off:off + 4])
        except Exception:
            continue
        lname = name.lower().rstrip('.')
        log.write('QUERY %s %d\n' % (lname, qtype))
        if lname != zone and not lname.endswith('.' + zone):
            continue
        question = data[12:off + 4]
        answers = b''
        rcode = 0
        count = 0
        if lname in records:
            if qtype == 1:
                answers = b'\xc0\x0c' + struct.pack('!HHIH', 1, 1, 60, 4) + records[lname]
                count = 1
        else:
            rcode = 3
        resp_flags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode
        header = struct.pack('!HHHHHH', qid, resp_flags, 1, count, 0, 0)
        sock.sendto(header + question + answers, peer)


if __name__ == '__main__':
    sys.exit(main())
