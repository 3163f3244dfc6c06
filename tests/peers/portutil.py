#!/usr/bin/env python3
"""Port helpers for tools/testenv (python3 stdlib only).

  portutil.py free N [--v6]      print N distinct free TCP ports on 127.0.0.1,
                                 one a line; with --v6 each is also free on ::1
  portutil.py has-v6             exit 0 if a socket can bind to [::1]
  portutil.py wait SECS [--pids P,P...] HOST:PORT...
                                 wait until every address accepts a TCP
                                 connection; exit 1 naming those that never
                                 did, at once if one of the PIDS has exited
"""
import socket
import sys
import time


def has_v6():
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def free_ports(n, v6):
    held, ports = [], []
    try:
        while len(ports) < n:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
            held.append(s)  # hold it so the next pick differs
            if v6:
                s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                try:
                    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    s6.bind(("::1", port))
                except OSError:
                    s6.close()
                    continue
                held.append(s6)
            ports.append(port)
    finally:
        for s in held:
            s.close()
    return ports


def connects(host, port):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(fam, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect((host, port))
            return True
        except OSError:
            return False


def pid_alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait(secs, addrs, pids=()):
    pending = []
    for a in addrs:
        host, _, port = a.rpartition(":")
        pending.append((host.strip("[]"), int(port), a))
    deadline = time.monotonic() + secs
    while pending and time.monotonic() < deadline:
        pending = [p for p in pending if not connects(p[0], p[1])]
        if pending:
            dead = [p for p in pids if not pid_alive(p)]
            if dead:
                print(" ".join(p[2] for p in pending) + " (exited: pid %s)" % ",".join(map(str, dead)))
                return 1
            time.sleep(0.05)
    if pending:
        print(" ".join(p[2] for p in pending))
        return 1
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "free":
        for p in free_ports(int(argv[2]), "--v6" in argv[3:]):
            print(p)
        return 0
    if len(argv) == 2 and argv[1] == "has-v6":
        return 0 if has_v6() else 1
    if len(argv) >= 3 and argv[1] == "wait":
        pids, addrs = [], argv[3:]
        if addrs[:1] == ["--pids"] and len(addrs) >= 2:
            pids = [int(p) for p in addrs[1].split(",") if p]
            addrs = addrs[2:]
        return wait(float(argv[2]), addrs, pids)
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
