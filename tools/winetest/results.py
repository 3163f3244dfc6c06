"""Reading the logs of one tools/winetest/run: per file and per test function.

Used by run (the per-file summary), by-function, check (the known-failures verdict of
make winetest) and update-known-failures.  Python 3 standard library only.

A log directory holds, for each test file F that ran: F.log (every check, one line each:
"F.c:LINE: Test succeeded" / "F.c:LINE: Test failed: ..."; WINETEST_REPORT_SUCCESS=1),
status (one line per file: "F rc=N secs=S"), and src/ (the test sources that were built,
so line numbers can be mapped to functions even after the cache has moved on).
"""
import glob
import os
import re

FILES = ("url", "notification", "winhttp")

SUMMARY_RE = re.compile(r"^[0-9a-f]+:(\w+):\S* ?(\d+) tests executed \((\d+) marked as todo, "
                        r"(\d+) as flaky, (\d+) failures?\), (\d+) skipped\.")

# The outcome words of Wine's test.h.  Judged as on Windows (WINETEST_PLATFORM=windows),
# so a todo_wine block is not a todo; a failure inside a flaky block still counts as a
# failure (the per-file summary adds flaky to failures too).
FAILED = ("Test failed", "Test marked flaky", "Test succeeded inside todo block",
          "Test succeeded inside flaky todo block")
PASSED = ("Test succeeded", "Test marked todo")


def read_status(logdir):
    status = {}
    try:
        for line in open(os.path.join(logdir, "status")):
            f, rc, secs = line.split()
            status[f] = (int(rc.split("=")[1]), secs.split("=")[1])
    except OSError:
        pass
    return status


def file_results(logdir, files):
    """One dict per file: file, executed, failures, todo, skipped, crashed, timed_out, rc, secs."""
    status = read_status(logdir)
    out = []
    for f in files:
        try:
            text = open("%s/%s.log" % (logdir, f), errors="replace").read()
        except OSError:
            text = ""
        rc, secs = status.get(f, (None, "0"))
        timed_out = rc in (124, 137)
        m = None
        for line in text.splitlines():
            mm = SUMMARY_RE.match(line)
            if mm and mm.group(1) == f:
                m = mm
        crashed = ("unhandled exception" in text) or (m is None and not timed_out)
        if m:
            executed, todo, flaky, failures, skipped = (int(m.group(i)) for i in (2, 3, 4, 5, 6))
            failures += flaky
        else:  # no summary (crash / timeout / failed to start): count the printed checks
            ok = len(re.findall(r"Test succeeded\s*$", text, re.M))
            failed = text.count("Test failed: ") + text.count("Test succeeded inside todo block: ")
            flaky = text.count("Test marked flaky: ") + text.count("Test succeeded inside flaky todo block: ")
            todo = text.count("Test marked todo: ")
            executed = ok + failed + flaky + todo
            failures = failed + flaky
            skipped = text.count("Tests skipped: ")
        out.append(dict(file=f, executed=executed, failures=failures, todo=todo, skipped=skipped,
                        crashed=crashed, timed_out=timed_out, rc=rc, secs=secs))
    return out


def summary_lines(results):
    out = []
    for r in results:
        out.append("%s executed=%d failures=%d todo=%d skipped=%d crashed=%s timed_out=%s"
                   % (r["file"], r["executed"], r["failures"], r["todo"], r["skipped"],
                      "yes" if r["crashed"] else "no", "yes" if r["timed_out"] else "no"))
    out.append("TOTAL executed=%d failures=%d crashed_files=%d"
               % (sum(r["executed"] for r in results), sum(r["failures"] for r in results),
                  sum(r["crashed"] for r in results)))
    return out


def source_dir(logdir, cache):
    """Where the test sources of this run are: the copy the run left in the log directory,
    else the newest build in the cache."""
    if os.path.exists(os.path.join(logdir, "src", "winhttp.c")):
        return os.path.join(logdir, "src")
    builds = sorted(glob.glob(f"{cache}/build/*/winhttp.c"), key=os.path.getmtime)
    return os.path.dirname(builds[-1]) if builds else None


_START = re.compile(r"^(?:static\s+)?[A-Za-z_][\w\s\*]*?\b(\w+)\s*\([^;]*\)\s*$")


def functions(path):
    """sorted (line, name) of top-level function definitions: a signature line at column 0
    followed by a line that is just '{'."""
    lines = open(path, errors="replace").read().split("\n")
    out = []
    for i in range(len(lines) - 1):
        m = _START.match(lines[i])
        if m and lines[i + 1].strip() == "{":
            out.append((i + 1, m.group(1)))
        elif lines[i].startswith("START_TEST"):
            out.append((i + 1, "START_TEST"))
    return out


def by_function(logdir, srcdir, files=FILES):
    """{file: (counts, last)}: counts maps each test function to [executed, failures] in the
    order the functions first reported; last is the function of the last check in the log
    (where a crash or a hang happened), None if no check ran.

    A check in a shared helper (any function not named test_* or *_test) is counted for the
    test function that ran last before it in the log, so e.g. check_notification() failures
    land on the test that called it.  Checks in START_TEST itself stay there."""
    line_re = re.compile(r"^(\w+)\.c:(\d+): (?:.*?: )?(%s)(?::|\s*$)"
                         % "|".join(re.escape(w) for w in sorted(FAILED + PASSED, key=len, reverse=True)))
    out = {}
    for f in files:
        log = f"{logdir}/{f}.log"
        if not os.path.exists(log) or not srcdir:
            continue
        fns = functions(f"{srcdir}/{f}.c")
        counts = {}
        current = None   # the test function that ran last, in log order
        last = None
        for line in open(log, errors="replace"):
            m = line_re.match(line)
            if not m or m.group(1) != f:
                continue
            n = int(m.group(2))
            name = "?"
            for ln, fn in fns:
                if ln > n:
                    break
                name = fn
            if name.startswith("test_") or name.endswith("_test"):
                current = name
            elif current and name != "START_TEST":
                name = current
            c = counts.setdefault(name, [0, 0])
            c[0] += 1
            c[1] += m.group(3) in FAILED
            last = name
        out[f] = (counts, last)
    return out


def read_known(path):
    """The known-failures list: {(file, function): (issue, comment)}, in file order.
    Lines: "<file> <function> <issue#> <comment>"; '#' starts a comment line."""
    known = {}
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return known
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if not s or s.startswith("#"):
            continue
        parts = s.split(None, 3)
        if len(parts) < 3:
            raise SystemExit("%s:%d: expected '<file> <function> <issue#> <comment>'" % (path, n))
        known[(parts[0], parts[1])] = (parts[2], parts[3] if len(parts) > 3 else "")
    return known
