/*
 * Tests of the PAC helper program itself (programs/winhttp-pac/winhttp-pac),
 * driven the way the DLL drives it: a request on a pipe, a reply or EOF on
 * another.  Hostile scripts must cost the helper its life and nothing more.
 */
// unit-sources:
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static char helper[PATH_MAX];

struct outcome
{
    char reply[4096];   /* what came on stdout ("" when nothing) */
    size_t reply_len;
    int exited, code;   /* exit status, when it exited */
    int signal;         /* the signal that ended it, when one did */
    double seconds;     /* wall clock */
    double cpu;         /* CPU time the helper used */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the helper with args, writes input (then closes its stdin unless
 * keep_open) and collects what it says and how it ends. */
static size_t write_chunk;   /* when set, the request goes in pieces this big, 20 ms apart */

static void run_helper(const char *const *args, const char *input, size_t input_len, int keep_open,
                       struct outcome *out)
{
    int in[2], outp[2], status;
    const char *argv[16];
    pid_t pid;
    size_t pos = 0;
    double start = now_seconds();
    int n = 0;

    memset(out, 0, sizeof(*out));
    argv[n++] = helper;
    while (args && *args && n < 15) argv[n++] = *args++;
    argv[n] = NULL;
    if (pipe(in) || pipe(outp)) { ok(0, "pipe: %s\n", strerror(errno)); return; }
    if (!(pid = fork()))
    {
        dup2(in[0], 0);
        dup2(outp[1], 1);
        close(in[0]); close(in[1]); close(outp[0]); close(outp[1]);
        execv(helper, (char **)argv);
        _exit(127);
    }
    close(in[0]);
    close(outp[1]);
    signal(SIGPIPE, SIG_IGN);
    while (pos < input_len)
    {
        size_t n = write_chunk && write_chunk < input_len - pos ? write_chunk : input_len - pos;
        ssize_t w;
        if (pos && write_chunk) usleep(20000);
        w = write(in[1], input + pos, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;   /* the helper stopped reading: fine, its reply says why */
        pos += (size_t)w;
    }
    if (!keep_open) close(in[1]);
    for (;;)
    {
        ssize_t r = read(outp[0], out->reply + out->reply_len, sizeof(out->reply) - 1 - out->reply_len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        out->reply_len += (size_t)r;
    }
    out->reply[out->reply_len] = 0;
    if (keep_open) close(in[1]);
    close(outp[0]);
    {
        struct rusage ru;
        wait4(pid, &status, 0, &ru);
        out->cpu = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    }
    out->seconds = now_seconds() - start;
    if (WIFEXITED(status)) { out->exited = 1; out->code = WEXITSTATUS(status); }
    if (WIFSIGNALED(status)) out->signal = WTERMSIG(status);
}

/* A request of three netstrings. */
static char *make_request(const char *script, size_t script_len, const char *url, const char *host, size_t *len)
{
    size_t cap = script_len + strlen(url) + strlen(host) + 64;
    char *buf = malloc(cap);
    int n = sprintf(buf, "%zu:", script_len);
    memcpy(buf + n, script, script_len);
    n += (int)script_len;
    n += sprintf(buf + n, ",%zu:%s,%zu:%s,", strlen(url), url, strlen(host), host);
    *len = (size_t)n;
    return buf;
}

static void evaluate(const char *const *args, const char *script, struct outcome *out)
{
    size_t len;
    char *req = make_request(script, strlen(script), "http://www.example.com/", "www.example.com", &len);
    run_helper(args, req, len, 0, out);
    free(req);
}

#define ok_reply(out, expect) do { \
    ok((out)->exited && (out)->code == 0 && !strcmp((out)->reply, expect), \
       "expected \"%s\" and exit 0, got \"%s\" (exited %d code %d signal %d)", expect, (out)->reply, \
       (out)->exited, (out)->code, (out)->signal); } while (0)

static void test_replies(void)
{
    struct outcome out;

    evaluate(NULL, "function FindProxyForURL(url, host) { return 'PROXY proxy.example:8080; DIRECT'; }", &out);
    ok_reply(&out, "35:OK PROXY proxy.example:8080; DIRECT,");
    evaluate(NULL, "function FindProxyForURL(url, host) { return url + ' ' + host; }", &out);
    ok_reply(&out, "42:OK http://www.example.com/ www.example.com,");
    evaluate(NULL, "function FindProxyForURLEx(url, host) { return 'EX ' + isInNetEx('10.0.0.1', '10.0.0.0/8'); }",
             &out);
    ok_reply(&out, "10:OK EX true,");
    evaluate(NULL, "function FindProxyForURL() { return '' }", &out);
    ok_reply(&out, "3:OK ,");
    evaluate(NULL, "function FindProxyForURL( {", &out);
    ok_reply(&out, "10:ERR SYNTAX,");
    evaluate(NULL, "var x = 1;", &out);
    ok_reply(&out, "15:ERR NO_FUNCTION,");
    evaluate(NULL, "function FindProxyForURL() { throw 1; }", &out);
    ok_reply(&out, "11:ERR RUNTIME,");
    evaluate(NULL, "function FindProxyForURL() { return 42; }", &out);
    ok_reply(&out, "14:ERR BAD_RESULT,");
    /* The resolver works under the helper's limits (localhost is in every
     * /etc/hosts, the run's private one included). */
    evaluate(NULL, "function FindProxyForURL() { return dnsResolve('localhost') + ' ' + isResolvable('127.0.0.2'); }",
             &out);
    ok_reply(&out, "17:OK 127.0.0.1 true,");
}

static void test_hostile(void)
{
    static const char *const one_second[] = {"--cpu-seconds", "1", NULL};
    static const char *const small[] = {"--memory-mib", "16", "--cpu-seconds", "2", NULL};
    struct outcome out;

    /* An endless loop: no reply, killed by RLIMIT_CPU (SIGXCPU at the soft
     * limit, SIGKILL at the hard one) after about a second. */
    evaluate(one_second, "function FindProxyForURL() { while (true) {} }", &out);
    ok(!out.reply_len, "got \"%s\"", out.reply);
    ok(out.signal == SIGXCPU || out.signal == SIGKILL, "ended by signal %d, exited %d\n", out.signal, out.exited);
    /* CPU time, not wall time: on a busy machine a CPU second takes longer. */
    ok(out.cpu > 0.9 && out.cpu < 2.5, "used %.2f s of CPU (%.2f s of wall time)\n", out.cpu, out.seconds);
    /* ... even when it loops before FindProxyForURL, and catches errors. */
    evaluate(one_second, "for (;;) { try { null.x; } catch (e) {} }", &out);
    ok(!out.reply_len && (out.signal == SIGXCPU || out.signal == SIGKILL), "got \"%s\", signal %d\n",
       out.reply, out.signal);

    /* Endless allocation: the heap's cap refuses it. */
    evaluate(small, "var a = []; while (true) a.push('allocation ' + a.length);", &out);
    ok_reply(&out, "10:ERR MEMORY,");
    evaluate(small, "function FindProxyForURL() { var s = 'xy'; while (true) s += s; }", &out);
    ok_reply(&out, "10:ERR MEMORY,");
    evaluate(small, "function FindProxyForURL() { return String(new Uint8Array(1 << 30)); }", &out);
    ok_reply(&out, "10:ERR MEMORY,");
    /* Slow, native, growing work: capped or killed, never a crash. */
    evaluate(small, "function FindProxyForURL() { return new Array(100000000).join('x'); }", &out);
    ok((out.exited && !strcmp(out.reply, "10:ERR MEMORY,")) || (!out.reply_len && (out.signal == SIGXCPU || out.signal == SIGKILL)),
       "got \"%s\" (exited %d, signal %d)\n", out.reply, out.exited, out.signal);

    /* Deep recursion: duktape's call stack limit, a runtime error. */
    evaluate(NULL, "function f(n) { return 1 + f(n + 1); } function FindProxyForURL() { return '' + f(0); }", &out);
    ok_reply(&out, "11:ERR RUNTIME,");
    /* Deeply nested source: the compiler's recursion limit. */
    {
        size_t depth = 200000, i, len;
        char *script = malloc(2 * depth + 64), *p = script;
        p += sprintf(p, "var x = ");
        for (i = 0; i < depth; i++) *p++ = '[';
        for (i = 0; i < depth; i++) *p++ = ']';
        strcpy(p, ";");
        evaluate(NULL, script, &out);
        ok_reply(&out, "10:ERR SYNTAX,");
        free(script);
        (void)len;
    }
}

static void test_protocol_errors(void)
{
    static const struct { const char *input; size_t len; const char *reply; } cases[] =
    {
        {"", 0, "12:ERR PROTOCOL,"},
        {"x", 1, "12:ERR PROTOCOL,"},
        {"3:abc,1:u,1:h", 13, "12:ERR PROTOCOL,"},                /* EOF inside the third */
        {"3:abcX1:u,1:h,", 14, "12:ERR PROTOCOL,"},
        {"01:a,1:u,1:h,", 13, "12:ERR PROTOCOL,"},
        {"1:a,1:u,1:h,trailing", 20, "12:ERR PROTOCOL,"},
        {"1:a,1:u,3:h\0i,", 14, "12:ERR PROTOCOL,"},
        {"1:a,1:u,", 8, "12:ERR PROTOCOL,"},
        {"16777217:", 9, "10:ERR TOOBIG,"},
        {"99999999999:x", 13, "10:ERR TOOBIG,"},
        {"1:a,2000000:", 12, "10:ERR TOOBIG,"},
    };
    struct outcome out;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        run_helper(NULL, cases[i].input, cases[i].len, 0, &out);
        ok(out.exited && !out.code && !strcmp(out.reply, cases[i].reply), "case %zu: expected \"%s\", got \"%s\""
           " (exited %d code %d signal %d)", i, cases[i].reply, out.reply, out.exited, out.code, out.signal);
    }

    /* A too big script is refused from its length, while the parent is
     * still writing it (and the parent's writes do not fail). */
    {
        size_t len = (16u << 20) + 100;
        char *big = malloc(len + 16);
        int n = sprintf(big, "%zu:", len);
        memset(big + n, ' ', len);
        run_helper(NULL, big, len + n, 0, &out);
        ok_reply(&out, "10:ERR TOOBIG,");
        free(big);
    }

    /* The parent need not close stdin: three netstrings are the request. */
    {
        static const char req[] = "41:function FindProxyForURL() { return 'A' },1:u,1:h,";
        run_helper(NULL, req, strlen(req), 1, &out);
        ok_reply(&out, "4:OK A,");
    }

    /* A request that arrives in pieces, split anywhere (inside a length,
     * between a length and its colon, inside a payload). */
    {
        static const char req[] = "41:function FindProxyForURL() { return 'A' },1:u,1:h,";
        size_t sizes[] = {1, 2, 7, 20}, i;
        for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        {
            write_chunk = sizes[i];
            run_helper(NULL, req, strlen(req), 1, &out);
            ok_reply(&out, "4:OK A,");
        }
        write_chunk = 0;
    }

    /* Bad arguments: a usage message on stderr, exit 2, no reply. */
    {
        static const char *const bad1[] = {"--cpu-seconds", "x", NULL};
        static const char *const bad2[] = {"--memory-mib", NULL};
        static const char *const bad3[] = {"--frobnicate", NULL};
        run_helper(bad1, "", 0, 0, &out);
        ok(out.exited && out.code == 2 && !out.reply_len, "exited %d code %d reply \"%s\"\n", out.exited, out.code, out.reply);
        run_helper(bad2, "", 0, 0, &out);
        ok(out.exited && out.code == 2 && !out.reply_len, "exited %d code %d reply \"%s\"\n", out.exited, out.code, out.reply);
        run_helper(bad3, "", 0, 0, &out);
        ok(out.exited && out.code == 2 && !out.reply_len, "exited %d code %d reply \"%s\"\n", out.exited, out.code, out.reply);
    }
}

/* The largest script the protocol takes, 16 MiB exactly, is evaluated. */
static void test_large_script(void)
{
    static const char head[] = "function FindProxyForURL() { return 'BIG'; }\n//";
    size_t len = 16u << 20, rlen;
    char *script = malloc(len), *req;
    struct outcome out;

    memcpy(script, head, sizeof(head) - 1);
    memset(script + sizeof(head) - 1, 'x', len - (sizeof(head) - 1));
    req = make_request(script, len, "u", "h", &rlen);
    run_helper(NULL, req, rlen, 0, &out);
    ok_reply(&out, "6:OK BIG,");
    free(req);
    free(script);
}

/* The helper's limits are what it promises. */
static void test_limits(void)
{
    static const char *const args[] = {"--cpu-seconds", "3", "--memory-mib", "64", NULL};
    char script[512];

    /* No script can see the helper's rlimits; check them from outside:
     * /proc/PID/limits of a helper that waits for its request. */
    int in[2], outp[2];
    pid_t pid;
    char path[64], limits[8192] = "";
    FILE *f;
    double start;
    static const char *const expect[] =
    {
        "Max cpu time              3                    4                    seconds",
        "Max file size             0                    0                    bytes",
        "Max core file size        0                    0                    bytes",
        "Max open files            16                   16                   files",
        /* 64 MiB of heap plus 128 MiB of headroom. */
        "Max address space         201326592            201326592            bytes",
    };
    size_t i, found = 0;

    if (pipe(in) || pipe(outp)) return;
    if (!(pid = fork()))
    {
        dup2(in[0], 0);
        dup2(outp[1], 1);
        close(in[0]); close(in[1]); close(outp[0]); close(outp[1]);
        execl(helper, helper, args[0], args[1], args[2], args[3], (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(outp[1]);
    snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
    /* Wait until it has exec'ed and confined itself: every limit set (it
     * sets them one by one, so the first one seen says nothing of the rest). */
    for (start = now_seconds(); now_seconds() - start < 30;)
    {
        size_t n;
        if (!(f = fopen(path, "r"))) break;
        n = fread(limits, 1, sizeof(limits) - 1, f);
        limits[n] = 0;
        fclose(f);
        for (i = found = 0; i < sizeof(expect) / sizeof(expect[0]); i++) found += strstr(limits, expect[i]) != NULL;
        if (found == sizeof(expect) / sizeof(expect[0])) break;
        usleep(10000);
    }
    for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
        ok(strstr(limits, expect[i]) != NULL, "limit \"%s\" not found in:\n%s", expect[i], limits);
    close(in[1]);
    close(outp[0]);
    waitpid(pid, NULL, 0);

    /* The parent's death kills a helper stuck in a loop: a middle process
     * starts the helper and dies; the helper must be gone soon after. */
    {
        int report[2];
        pid_t middle, grandchild = 0;
        if (pipe(report)) return;
        if (!(middle = fork()))
        {
            pid_t child;
            int p[2];
            if (pipe(p)) _exit(1);
            if (!(child = fork()))
            {
                int devnull = open("/dev/null", O_WRONLY);
                dup2(p[0], 0);
                dup2(devnull, 1);
                close(p[0]); close(p[1]); close(devnull);
                execl(helper, helper, "--cpu-seconds", "30", (char *)NULL);
                _exit(127);
            }
            static const char loop[] = "function FindProxyForURL(){for(;;);}";
            snprintf(script, sizeof(script), "%zu:%s,1:u,1:h,", strlen(loop), loop);
            if (write(p[1], script, strlen(script)) < 0) _exit(1);
            if (write(report[1], &child, sizeof(child)) < 0) _exit(1);
            usleep(200000);
            _exit(0);   /* the helper's parent dies: PR_SET_PDEATHSIG */
        }
        close(report[1]);
        if (read(report[0], &grandchild, sizeof(grandchild)) != sizeof(grandchild)) grandchild = 0;
        close(report[0]);
        waitpid(middle, NULL, 0);
        ok(grandchild > 0, "no helper pid\n");
        if (grandchild > 0)
        {
            int gone = 0;
            for (start = now_seconds(); now_seconds() - start < 30 && !gone;)
            {
                char stat[256] = "";
                snprintf(path, sizeof(path), "/proc/%d/stat", (int)grandchild);
                if (!(f = fopen(path, "r"))) gone = 1;
                else
                {
                    /* A zombie waiting for init to reap it is gone as well. */
                    if (fgets(stat, sizeof(stat), f) && strstr(stat, ") Z ")) gone = 1;
                    fclose(f);
                }
                if (!gone) usleep(20000);
            }
            ok(gone, "the helper outlived its parent\n");
            if (!gone) kill(grandchild, SIGKILL);
        }
    }
}

int main(int argc, char **argv)
{
    char self[PATH_MAX - 64], *slash;
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    (void)argc; (void)argv;
    if (n <= 0) { printf("cannot find myself\n0 passed, 1 failed\n"); return 1; }
    self[n] = 0;
    /* tests/unit/test_pac_helper -> programs/winhttp-pac/winhttp-pac */
    if ((slash = strrchr(self, '/'))) *slash = 0;
    if ((slash = strrchr(self, '/'))) *slash = 0;
    if ((slash = strrchr(self, '/'))) *slash = 0;
    snprintf(helper, sizeof(helper), "%s/programs/winhttp-pac/winhttp-pac", self);
    if (access(helper, X_OK))
    {
        printf("%s: not built\n0 passed, 1 failed\n", helper);
        return 1;
    }
    run_test(test_replies);
    run_test(test_hostile);
    run_test(test_protocol_errors);
    run_test(test_large_script);
    run_test(test_limits);
    return unit_summary();
}
