#!/usr/bin/env python3
"""Generate the document root nginx serves (called by tools/testenv).

  mkcontent.py www DIR            create DIR/static, DIR/gzip, DIR/gzip-static
  mkcontent.py pattern FILE SIZE  write SIZE bytes of the pattern to FILE

Known content (tests/peers.h has the same constants):
  small.txt        "hello, winhttp\\n" (15 bytes)
  text.txt         small.txt's line 64 times (960 bytes)
  empty.txt        0 bytes
  pattern-1m.bin   1 MiB; the byte at offset i is i % 251
"""
import gzip
import os
import sys

SMALL = b"hello, winhttp\n"
TEXT = SMALL * 64


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def pattern(path, size):
    block = bytes(i % 251 for i in range(251)) * 4096  # multiple of 251: ~1 MiB
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(block))
            f.write(block[:n])
            left -= n
    os.replace(tmp, path)


def www(root):
    for sub in ("static", "gzip", "gzip-static"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    s = os.path.join(root, "static")
    write(os.path.join(s, "small.txt"), SMALL)
    write(os.path.join(s, "text.txt"), TEXT)
    write(os.path.join(s, "empty.txt"), b"")
    write(os.path.join(s, "index.html"), b"<html><body>winhttp test peers</body></html>\n")
    pattern(os.path.join(s, "pattern-1m.bin"), 1 << 20)
    write(os.path.join(root, "gzip", "text.txt"), TEXT)
    gs = os.path.join(root, "gzip-static")
    write(os.path.join(gs, "text.txt"), TEXT)
    write(os.path.join(gs, "text.txt.gz"), gzip.compress(TEXT, 9, mtime=0))


def main(argv):
    if len(argv) == 3 and argv[1] == "www":
        www(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "pattern":
        pattern(argv[2], int(argv[3]))
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
